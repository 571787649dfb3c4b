import type { Application } from '../core/application';
import type { Widget } from '../shell/widget';
import type { DiskStatus, DocumentContext } from './context';

/** Seconds between checks of open documents' files while the page is visible. */
export const DISK_CHECK_SECONDS = 3;

/** What a document does about its file on disk: nothing, reload it, or say so. */
export type DiskAction = 'none' | 'reload' | 'show-deleted' | 'show-changed';

/**
 * The rule for files changed by other programs: a file changed on disk reloads a
 * document without edits (edits are never dropped: their Save asks instead); a file
 * gone (deleted, or renamed outside) is said on the document, whose Save writes it back.
 */
export function diskAction(status: DiskStatus, dirty: boolean): DiskAction {
  if (status === 'deleted') return 'show-deleted';
  if (status === 'changed') return dirty ? 'show-changed' : 'reload';
  return 'none';
}

const MESSAGES = {
  'show-deleted': (path: string) =>
    `"${path}" was deleted or renamed outside jlab-alt. Your work is still here: Save writes the file back, or Save As keeps it under another name.`,
  'show-changed': (path: string) =>
    `"${path}" was changed outside jlab-alt while you have unsaved edits. Save asks whether to overwrite it; Reload from Disk takes the other version.`
};

/**
 * Watch the files of open documents (JupyterLab checks only when saving): every
 * {@link DISK_CHECK_SECONDS} while the page is visible, and when it becomes visible
 * again. Applies {@link diskAction}: reloads, or a banner (`data-testid="document-disk-banner"`)
 * on the document, which goes once the file is back or saved.
 */
export function installDiskWatch(app: Application): void {
  const { docManager } = app;
  const banners = new WeakMap<Widget, HTMLElement>();
  const checking = new WeakSet<DocumentContext>();

  const setBanner = (widget: Widget, text: string | null) => {
    let banner = banners.get(widget);
    if (!text) {
      banner?.remove();
      banners.delete(widget);
      delete widget.node.dataset.diskState;
      return;
    }
    if (!banner) {
      banner = document.createElement('div');
      banner.className = 'ja-DocumentBanner';
      banner.dataset.testid = 'document-disk-banner';
      banner.setAttribute('role', 'status');
      banners.set(widget, banner);
    }
    banner.textContent = text;
    if (!banner.isConnected) widget.node.prepend(banner);
  };

  const check = async (widget: Widget, context: DocumentContext) => {
    if (checking.has(context) || !context.content || context.content.loadError) return;
    checking.add(context);
    try {
      const action = diskAction(await context.diskStatus(), context.dirty);
      if (widget.isDisposed) return;
      if (action === 'reload') {
        setBanner(widget, null);
        await context.revert();
      } else if (action === 'none') {
        setBanner(widget, null);
      } else {
        widget.node.dataset.diskState = action === 'show-deleted' ? 'deleted' : 'changed';
        setBanner(widget, MESSAGES[action](context.path));
      }
    } finally {
      checking.delete(context);
    }
  };
  const checkAll = () => {
    if (document.visibilityState === 'hidden') return;
    for (const widget of docManager.widgets) {
      const context = docManager.contextOf(widget);
      if (context) void check(widget, context).catch((err) => console.warn('Disk check failed:', err));
    }
  };
  docManager.opened(({ widget, context }) => {
    // A save or reload puts the file back in step: the banner goes.
    const sub = context.fileChanged(() => setBanner(widget, null));
    widget.disposed(() => sub.dispose());
  });
  setInterval(checkAll, DISK_CHECK_SECONDS * 1000);
  document.addEventListener('visibilitychange', checkAll);
}
