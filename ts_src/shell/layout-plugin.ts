import type { FileBrowserModel } from '../filebrowser/model';
import { makeServerSettings } from '../services/connection';
import { WorkspacesClient } from '../services/workspaces';
import { parseLayout } from './layout';
import { LayoutRestorer, RestoreMode } from './restorer';
import { errorMessage } from '../core/errors';
import { definePlugin, FILEBROWSER, LAYOUT } from '../tokens';

/** The layout plugin's id: its settings (`restore`) and what other plugins require to add restorers. */
export const LAYOUT_PLUGIN_ID = '@jlab-alt/shell:layout';

/** The saved workspace. One per user for now (JupyterLab names them by URL). */
const WORKSPACE = 'default';

/**
 * The saved layout: tabs, splits, sizes, the active tab, the sidebars and the file
 * browser's folder come back after a reload and at the next start (setting `restore`:
 * all | tabs | none; `?reset` in the URL starts empty). Restored tabs load when first
 * shown. Ctrl+Shift+T reopens recently closed tabs. Provides the {@link LayoutRestorer},
 * on which other plugins register how their widgets are restored (`addRestorer`).
 */
export const layoutPlugin = definePlugin({
  id: LAYOUT,
  description: 'Saves the layout and restores it after a reload, loading each tab when first shown.',
  optional: [FILEBROWSER],
  async activate(app, fileBrowser: FileBrowserModel | null) {
    const workspaces = new WorkspacesClient(app.config, makeServerSettings(app.config));
    const folder = fileBrowser
      ? { get path() { return fileBrowser.path; }, cd: (p: string) => fileBrowser.cd(p), changed: fileBrowser.changed }
      : null;
    const restorer = new LayoutRestorer({
      shell: app.shell,
      commands: app.commands,
      folder,
      save: (layout, keepalive) => workspaces.save(WORKSPACE, layout, keepalive),
      note: (message) => app.notifications.notify(message, { type: 'warning' }),
      pluginsActive: app.started
    });

    // Documents: reopened by path with the factory that showed them, through the command,
    // so the viewer's lazy chunk loads as on a first open.
    restorer.addRestorer({
      namespace: 'document',
      command: 'docmanager:open',
      args: (widget) => {
        const path = app.docManager.pathOf(widget);
        if (path === null) return null;
        const factory = app.docManager.factoryNameOf(widget);
        return factory ? { path, factory } : { path };
      },
      matches: (widget, args) => app.docManager.pathOf(widget) === args.path
    });

    app.commands.addCommand('layout:reopen-closed', {
      label: 'Reopen Closed Tab',
      caption: 'Open again the tab closed most recently',
      category: 'View',
      isEnabled: () => restorer.recentlyClosed.length > 0,
      execute: async () => {
        try {
          await restorer.reopenClosed();
        } catch (err) {
          app.notifications.notify(`Could not reopen the tab: ${errorMessage(err)}`, {
            type: 'warning'
          });
        }
      }
    });

    const reset = new URLSearchParams(window.location.search).has('reset');
    let mode: RestoreMode = 'all';
    let saved: unknown = null;
    if (!reset) {
      const [settings, layout] = await Promise.allSettled([app.settings.load(LAYOUT_PLUGIN_ID), workspaces.load(WORKSPACE)]);
      if (settings.status === 'fulfilled') {
        const value = settings.value.restore;
        if (value === 'all' || value === 'tabs' || value === 'none') mode = value;
      }
      if (layout.status === 'fulfilled') saved = layout.value;
      else console.warn('The saved layout could not be read; starting empty.', layout.reason);
    }
    await restorer.restore(parseLayout(saved), reset ? 'none' : mode);
    restorer.track();
    // Widgets plugins add later (the URL's document, new tabs) are tracked as they come.
    window.addEventListener('pagehide', () => restorer.flush(true));
    return restorer;
  }
});
