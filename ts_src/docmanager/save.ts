import type { Contents } from '@jupyterlab/services';
import { showDialog } from '../dialogs/dialog';

/**
 * Thrown by a document's save when the person cancels (the file changed on disk).
 * Callers recognise it by `name === 'SaveCancelledError'`, as they do the notebook's.
 */
export class SaveCancelledError extends Error {
  constructor() {
    super('Save cancelled');
    this.name = 'SaveCancelledError';
  }
}

/** What to do before saving: nothing changed on disk, or the person's answer. */
export type ConflictChoice = 'save' | 'overwrite' | 'reload' | 'cancel';

/**
 * Before saving `path`, check whether the file on disk is newer than the version the
 * document last loaded or saved (`lastModified`, the server's ISO 8601 time). If it
 * is, ask: overwrite it, reload it from disk (losing the changes here) or cancel.
 *
 * @param ask When false (autosave), a newer disk copy answers `'cancel'` without asking.
 * @returns `'save'` when the disk copy is not newer (or gone, or unreadable: the save
 *   itself then reports any error); otherwise the person's choice (Escape: `'cancel'`).
 */
export async function checkDiskBeforeSave(
  contents: Pick<Contents.IManager, 'get'>,
  path: string,
  lastModified: string | null,
  ask = true
): Promise<ConflictChoice> {
  const onDisk = await contents.get(path, { content: false }).catch(() => null);
  if (!onDisk || !lastModified || !(Date.parse(onDisk.last_modified) > Date.parse(lastModified))) return 'save';
  if (!ask) return 'cancel';
  const choice = await showDialog({
    title: 'File changed on disk',
    body: `"${path}" was changed on disk after it was opened here. Overwrite it with this version, or reload it from disk and lose your changes?`,
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'reload', label: 'Reload from disk', kind: 'warn' },
      { id: 'overwrite', label: 'Overwrite', kind: 'accept' }
    ],
    defaultButton: 'cancel'
  });
  return choice === 'reload' || choice === 'overwrite' ? choice : 'cancel';
}
