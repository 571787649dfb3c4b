import type { Widget } from '../shell/widget';
import { encodePath } from './manager';
import { installSaving } from './saving';
import { installDiskWatch } from './watch';
import { TextViewer } from './viewers';
import { describeLoadFailure, loadFailureLine } from './loadfailure';
import { definePlugin } from '../tokens';

/**
 * Opening documents: the read-only Text Viewer (images and the rest are the viewers
 * plugin's), the `docmanager:open` command, opening
 * the document named by `/jlab-alt/tree/<path>`, keeping the address bar on the
 * active document's URL (also after a rename), and saving: `docmanager:save`
 * (Ctrl+S), `docmanager:save-as` (Ctrl+Shift+S), `docmanager:revert`, one autosave
 * loop, save-failure messages and the warning before leaving the page with unsaved
 * documents (see `saving.ts`).
 */
export const docManagerPlugin = definePlugin({
  id: '@jlab-alt/docmanager:plugin',
  description: 'Open documents in the main area; the read-only Text Viewer for any file.',
  activate(app) {
    app.docRegistry.addWidgetFactory({
      name: 'Text Viewer',
      fileTypes: ['*'],
      rank: 1000,
      create: (context) => new TextViewer(context)
    });

    app.commands.addCommand('docmanager:open', {
      label: (args) => (typeof args.path === 'string' ? `Open ${args.path}` : 'Open'),
      category: 'File',
      isVisible: () => false,
      execute: (args) => {
        if (typeof args.path !== 'string') throw new Error('docmanager:open needs a "path" argument');
        return app.docManager.open(args.path, typeof args.factory === 'string' ? args.factory : undefined);
      }
    });

    const syncUrl = (widget: Widget | null) => {
      const path = app.docManager.pathOf(widget);
      const url = path === null ? app.config.appUrl : `${app.config.appUrl}/tree/${encodePath(path)}`;
      if (window.location.pathname !== url) window.history.replaceState(null, '', url + window.location.hash);
    };
    app.shell.currentChanged(syncUrl);
    // A renamed document keeps its tab; the address bar follows when it is the current one.
    app.docManager.pathChanged(({ widget }) => {
      if (app.shell.dock.current === widget) syncUrl(widget);
    });

    installSaving(app);
    installDiskWatch(app);

    // Open the document the URL names once every plugin (and so every viewer) is in.
    const tree = app.config.treePath;
    if (tree) {
      void app.started.then(async () => {
        try {
          const model = await app.services.contents.get(tree, { content: false });
          if (model.type !== 'directory') await app.docManager.open(tree);
        } catch (err) {
          app.notifications.notify(loadFailureLine(describeLoadFailure(tree, err, 'file')), { type: 'error' });
        }
      });
    }
  }
});
