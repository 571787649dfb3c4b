// The crash recovery's implementation, loaded with the first document opened (plugin.ts).
import type { Application } from '../core/application';
import type { DocumentContext } from '../docmanager/context';
import { showDialog } from '../dialogs/dialog';
import type { Widget } from '../shell/widget';
import { cellDifferences, lineDifference } from './diff';
import { RecoveryKeeper } from './keeper';
import { assemble } from './parts';
import { IndexedDBRecoveryStore, MemoryRecoveryStore, RecoveryRecord } from './store';

let keeper: RecoveryKeeper | null = null;

/**
 * Follow a document just opened (see `plugin.ts`): keep its unsaved edits, offer a kept
 * copy once it loaded (`loadedAlready`: it loaded while this module was fetched), and drop
 * the copy when its tab is closed in the app. The first call creates the keeper.
 */
export function follow(app: Application, widget: Widget, context: DocumentContext, loadedAlready: boolean): void {
  if (!keeper) {
    const store = typeof indexedDB === 'undefined' ? new MemoryRecoveryStore() : new IndexedDBRecoveryStore();
    keeper = new RecoveryKeeper(store, window.location.origin + app.config.baseUrl);
    // Held while this page lives: another page then knows its kept edits are not orphans.
    void navigator.locks?.request(ownerLock(keeper.owner), () => new Promise<void>(() => undefined));
  }
  const k = keeper;
  const tracking = k.track(context);
  let offered = false;
  const run = () => {
    if (offered) return;
    offered = true;
    void offer(app, k, context).catch((err) => console.warn('Crash recovery:', err));
  };
  const loaded = context.loaded(run);
  if (loadedAlready) run();
  widget.disposed(() => {
    // Closed in the app: the person answered the unsaved-changes question (or saved).
    tracking.dispose();
    loaded.dispose();
    void k.discard(context.path).catch(() => undefined);
  });
}

function ownerLock(owner: string): string {
  return `jlab-alt-recovery-page:${owner}`;
}

/** Offer the kept copy of `context`'s document, if any differs from what was loaded. */
async function offer(app: Application, keeper: RecoveryKeeper, context: DocumentContext): Promise<void> {
  const content = context.content;
  if (!content?.apply) return;
  const record = await keeper.store.get(keeper.keyOf(context.path));
  if (!record || record.type !== content.type) return;
  // Edits of a page still open (another tab) are that page's, not a crash's.
  if (record.owner && record.owner !== keeper.owner && navigator.locks) {
    const { held } = await navigator.locks.query();
    if (held?.some((lock) => lock.name === ownerLock(record.owner!))) return;
  }
  const disk = content.snapshot().content;
  let kept: unknown;
  let missing = 0;
  if (record.parts) {
    // Cells unchanged since the version the edits were made on are the disk's (parts.ts).
    const sameBase = !!record.baseLastModified && !!context.lastModified && Date.parse(record.baseLastModified) === Date.parse(context.lastModified);
    const assembled = assemble(JSON.parse(record.json) as Record<string, unknown>, await keeper.store.parts(record.key), disk, sameBase);
    kept = assembled.notebook;
    missing = assembled.missing;
  } else kept = JSON.parse(record.json);
  const body = describe(record, disk, kept, context, missing);
  if (!body) {
    await keeper.discard(context.path);
    return;
  }
  const choice = await showDialog({
    title: 'Restore unsaved changes?',
    body,
    buttons: [
      { id: 'discard', label: 'Discard Them', kind: 'warn' },
      { id: 'cancel', label: 'Not Now' },
      { id: 'restore', label: 'Restore', kind: 'accept' }
    ],
    defaultButton: 'restore'
  });
  if (choice === 'discard') await keeper.discard(context.path);
  if (choice !== 'restore' || context.dirty) return;
  content.apply(kept);
  keeper.schedule(context);
  app.notifications.notify(`Unsaved changes of "${context.path}" restored; save to keep them.`, { type: 'info' });
}

/** The dialog's body: what differs and whether the disk changed since; null when nothing differs. */
function describe(record: RecoveryRecord, disk: unknown, kept: unknown, context: DocumentContext, missing: number): HTMLElement | null {
  const items: string[] = [];
  if (record.type === 'notebook') {
    for (const d of cellDifferences(disk, kept)) {
      const where = d.kind === 'removed' ? `Cell ${d.index} of the file` : `Cell ${d.index}`;
      items.push(`${where} (${d.cellType}) ${d.kind}${d.preview ? `: ${d.preview}` : ''}`);
    }
  } else {
    const d = lineDifference(String(disk), String(kept));
    if (d) items.push(`Lines ${d.firstLine}–${d.firstLine + Math.max(d.keptLines, 1) - 1} differ (${d.diskLines} on disk, ${d.keptLines} kept)`);
  }
  if (items.length === 0) return null;
  const box = document.createElement('div');
  box.dataset.testid = 'recovery';
  const intro = document.createElement('p');
  intro.textContent = `"${context.path}" has unsaved changes from ${new Date(record.time).toLocaleString()} that were never saved (the page was closed or crashed). Restore them as unsaved edits?`;
  box.appendChild(intro);
  if (record.baseLastModified && context.lastModified && record.baseLastModified !== context.lastModified) {
    const warning = document.createElement('p');
    warning.className = 'ja-Recovery-warning';
    warning.dataset.testid = 'recovery-disk-changed';
    warning.textContent =
      'The file on disk changed after these edits were made. Restoring shows the kept version here instead; the disk version stays until you save.';
    box.appendChild(warning);
  }
  if (missing > 0) {
    // Only edited cells are kept (parts.ts): the others came from the file, which no longer has them.
    const lost = document.createElement('p');
    lost.className = 'ja-Recovery-warning';
    lost.dataset.testid = 'recovery-missing';
    lost.textContent =
      missing === 1
        ? 'One cell you had not edited is no longer in the file: restoring brings back your edited cells without it.'
        : `${missing} cells you had not edited are no longer in the file: restoring brings back your edited cells without them.`;
    box.appendChild(lost);
  }
  const list = document.createElement('ul');
  list.dataset.testid = 'recovery-differences';
  for (const text of items) {
    const li = document.createElement('li');
    li.dataset.testid = 'recovery-difference';
    li.textContent = text;
    list.appendChild(li);
  }
  box.appendChild(list);
  return box;
}
