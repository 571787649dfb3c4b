import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import type { Application } from '../core/application';
import { showDialog } from '../dialogs/dialog';
import { promptText } from '../dialogs/prompt';
import type { Widget } from '../shell/widget';
import { errorMessage } from '../core/errors';
import { describeLoadFailure, loadFailureLine } from '../docmanager/loadfailure';

/** Settings id of the font sizes and where the menu bar keeps its own preferences. */
export const WORKSPACE_SETTINGS_ID = '@jlab-alt/menus:plugin';
/** Font size bounds, in CSS pixels. */
export const FONT_SIZE_MIN = 8;
export const FONT_SIZE_MAX = 32;

interface Loadable extends Widget {
  load(): Promise<void>;
  save?(): Promise<void>;
}

/**
 * The commands menus need that no feature owned yet: documents (open from path, save
 * as, save all, rename, reload, revert, download, close and shut down), the server
 * (shut down), the shell (status bar, simple mode, presentation mode, tab switching),
 * kernels (shut down all), font sizes and autosave, and About.
 */
export function registerWorkspaceCommands(app: Application): void {
  const { commands, shell, docManager } = app;
  const notify = (message: string) => app.notifications.notify(message, { type: 'error' });
  const current = (): Widget | null => shell.currentWidget;
  const currentPath = () => docManager.pathOf(current());
  const hasDoc = () => currentPath() !== null;

  commands.addCommand('docmanager:open-path', {
    label: 'Open from Path…',
    caption: 'Open a file by its path from the server root',
    category: 'File',
    execute: async (args) => {
      const path = typeof args.path === 'string' ? args.path : await promptText('Open from Path', 'Path of the file, from the server root:');
      if (!path) return;
      const clean = path.replace(/^\/+/, '');
      try {
        const model = await app.services.contents.get(clean, { content: false });
        if (model.type === 'directory') {
          if (commands.hasCommand('filebrowser:go-to')) await commands.execute('filebrowser:go-to', { path: clean });
          return;
        }
        await docManager.open(clean);
      } catch (err) {
        notify(loadFailureLine(describeLoadFailure(clean, err, 'file')));
      }
    }
  });

  // Save and Save As belong to the document manager (docmanager/saving.ts), Download to
  // the export plugin; the menus list them.
  const saveable = (w: Widget | null): w is Loadable => !!w && typeof (w as Partial<Loadable>).save === 'function';
  commands.addCommand('docmanager:save-all', {
    label: 'Save All',
    caption: 'Save every document with unsaved changes',
    category: 'File',
    isEnabled: () => docManager.widgets.some((w) => w.title.dirty && saveable(w)),
    execute: async () => {
      for (const w of docManager.widgets) {
        if (!w.title.dirty || !saveable(w)) continue;
        try {
          await w.save!();
        } catch (err) {
          if (!(err instanceof Error && err.name === 'SaveCancelledError')) notify(`Saving "${w.title.label}" failed: ${errorMessage(err)}`);
        }
      }
    }
  });

  commands.addCommand('docmanager:rename', {
    label: 'Rename…',
    caption: 'Rename the current document',
    category: 'File',
    isEnabled: hasDoc,
    execute: async () => {
      const path = currentPath();
      if (path === null) return;
      const slash = path.lastIndexOf('/');
      const dir = slash >= 0 ? path.slice(0, slash + 1) : '';
      const name = await promptText('Rename File', 'New name:', path.slice(slash + 1), 'Rename');
      if (!name || name.includes('/') || dir + name === path) {
        if (name?.includes('/')) notify('A name cannot contain "/"');
        return;
      }
      try {
        await app.services.contents.rename(path, dir + name);
      } catch (err) {
        notify(`Cannot rename "${path}": ${errorMessage(err)}`);
      }
    }
  });

  const loadable = (w: Widget | null): w is Loadable => !!w && typeof (w as Partial<Loadable>).load === 'function';
  const reload = async (w: Loadable, what: string) => {
    if (w.title.dirty) {
      const choice = await showDialog({
        title: `${what}?`,
        body: `"${w.title.label}" has unsaved changes. ${what} and lose them?`,
        buttons: [
          { id: 'cancel', label: 'Cancel' },
          { id: 'reload', label: what, kind: 'warn' }
        ],
        defaultButton: 'cancel'
      });
      if (choice !== 'reload') return false;
    }
    await w.load();
    return true;
  };
  commands.addCommand('docmanager:reload', {
    label: 'Reload from Disk',
    caption: 'Load the current document again from disk, dropping unsaved changes',
    category: 'File',
    isEnabled: () => loadable(current()),
    execute: async () => {
      const w = current();
      if (loadable(w)) await reload(w, 'Reload from Disk');
    }
  });

  commands.addCommand('docmanager:restore-checkpoint', {
    label: 'Revert to Checkpoint…',
    caption: 'Go back to the last checkpoint of the current document',
    category: 'File',
    isEnabled: () => loadable(current()) && hasDoc(),
    execute: async () => {
      const w = current();
      const path = currentPath();
      if (!loadable(w) || path === null) return;
      try {
        const checkpoints = await app.services.contents.listCheckpoints(path);
        const last = checkpoints[checkpoints.length - 1];
        if (!last) {
          app.notifications.notify(`"${path}" has no checkpoint yet (one is made when it is saved).`, { type: 'info' });
          return;
        }
        const choice = await showDialog({
          title: 'Revert to checkpoint?',
          body: `Revert "${path}" to its checkpoint of ${new Date(last.last_modified).toLocaleString()}? Changes since then are lost.`,
          buttons: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'revert', label: 'Revert', kind: 'warn' }
          ],
          defaultButton: 'cancel'
        });
        if (choice !== 'revert') return;
        await app.services.contents.restoreCheckpoint(path, last.id);
        w.title.dirty = false;
        await w.load();
      } catch (err) {
        notify(`Cannot revert "${path}": ${errorMessage(err)}`);
      }
    }
  });

  commands.addCommand('docmanager:close-and-shutdown', {
    label: 'Close and Shut Down Kernel',
    caption: 'Close the current notebook and shut its kernel down',
    category: 'File',
    isEnabled: () => !!(current() as { session?: unknown } | null)?.session,
    execute: async () => {
      const w = current() as (Widget & { session?: { shutdown(): Promise<void> } }) | null;
      if (!w?.session) return;
      if (await shell.dock.requestClose(w)) await w.session.shutdown().catch(() => undefined);
    }
  });

  commands.addCommand('app:shutdown-server', {
    label: 'Shut Down the Server',
    caption: 'Stop the Jupyter server with its kernels and terminals',
    category: 'File',
    execute: async () => {
      const choice = await showDialog({
        title: 'Shut down the server?',
        body: 'This stops the Jupyter server, its kernels and terminals. Unsaved changes are lost.',
        buttons: [
          { id: 'cancel', label: 'Cancel' },
          { id: 'shutdown', label: 'Shut Down', kind: 'warn' }
        ],
        defaultButton: 'cancel'
      });
      if (choice !== 'shutdown') return;
      const settings = app.services.serverSettings;
      const response = await ServerConnection.makeRequest(`${settings.baseUrl}api/shutdown`, { method: 'POST' }, settings);
      if (!response.ok) {
        notify(`The server refused to shut down (${response.status})`);
        return;
      }
      document.body.replaceChildren();
      const done = document.createElement('p');
      done.dataset.testid = 'server-shut-down';
      done.style.padding = '2em';
      done.textContent = 'The server has been shut down. You can close this page.';
      document.body.appendChild(done);
    }
  });

  commands.addCommand('kernel:shutdown-all', {
    label: 'Shut Down All Kernels…',
    caption: 'Shut down every running kernel of the server',
    category: 'Kernel',
    execute: async () => {
      const choice = await showDialog({
        title: 'Shut down all kernels?',
        body: 'Every running kernel is stopped; variables in them are lost.',
        buttons: [
          { id: 'cancel', label: 'Cancel' },
          { id: 'shutdown', label: 'Shut Down All', kind: 'warn' }
        ],
        defaultButton: 'cancel'
      });
      if (choice === 'shutdown') await app.services.sessions.shutdownAll().catch((err) => notify(errorMessage(err)));
    }
  });

  // The shell.
  const statusBar = shell.statusBar.node;
  commands.addCommand('shell:toggle-statusbar', {
    label: 'Show Status Bar',
    category: 'View',
    isToggled: () => !statusBar.hidden,
    execute: () => void (statusBar.hidden = !statusBar.hidden)
  });
  const dockApi = shell.dock.api;
  commands.addCommand('shell:toggle-simple-mode', {
    label: 'Simple Interface',
    caption: 'Show only the current document in the main area',
    category: 'View',
    isToggled: () => dockApi.hasMaximizedGroup(),
    isEnabled: () => dockApi.hasMaximizedGroup() || !!dockApi.activePanel,
    execute: () => {
      if (dockApi.hasMaximizedGroup()) dockApi.exitMaximizedGroup();
      else if (dockApi.activePanel) dockApi.maximizeGroup(dockApi.activePanel);
    }
  });
  commands.addCommand('shell:toggle-presentation-mode', {
    label: 'Presentation Mode',
    caption: 'Larger text and no sidebars, for showing a document to others',
    category: 'View',
    isToggled: () => document.documentElement.classList.contains('ja-mod-presentation'),
    execute: () => {
      const on = document.documentElement.classList.toggle('ja-mod-presentation');
      if (on && shell.left.current) shell.left.show(null);
    }
  });

  const tabs = () => {
    // Tab order of the active group first, as people see them.
    const group = dockApi.activePanel?.group;
    return group ? group.panels.map((p) => p.id) : dockApi.panels.map((p) => p.id);
  };
  const step = (delta: number) => () => {
    const ids = tabs();
    const active = dockApi.activePanel?.id;
    if (ids.length < 2 || !active) return;
    const next = ids[(ids.indexOf(active) + delta + ids.length) % ids.length]!;
    shell.activateById(next);
  };
  commands.addCommand('shell:activate-next-tab', {
    label: 'Activate Next Tab',
    category: 'Tabs',
    isEnabled: () => tabs().length > 1,
    execute: step(1)
  });
  commands.addCommand('shell:activate-previous-tab', {
    label: 'Activate Previous Tab',
    category: 'Tabs',
    isEnabled: () => tabs().length > 1,
    execute: step(-1)
  });
  commands.addCommand('shell:activate-tab', {
    label: (args) => {
      const w = typeof args.id === 'string' ? shell.dock.get(args.id) : undefined;
      return w ? w.title.label : '';
    },
    category: 'Tabs',
    isVisible: () => false,
    isToggled: (args) => dockApi.activePanel?.id === args.id,
    execute: (args) => void (typeof args.id === 'string' && shell.activateById(args.id))
  });

  // Font sizes, applied at once and kept in the settings.
  const sizes = { uiFontSize: 13, editorFontSize: 13 };
  const apply = () => {
    const root = document.documentElement.style;
    root.setProperty('--ja-font-size', `${sizes.uiFontSize}px`);
    root.setProperty('--ja-code-font-size', `${sizes.editorFontSize}px`);
  };
  let stored: Record<string, unknown> = {};
  // Followed live, so the settings editor's changes apply at once too.
  app.settings.watch(WORKSPACE_SETTINGS_ID, (values) => {
    stored = values;
    for (const key of ['uiFontSize', 'editorFontSize'] as const) {
      const v = values[key];
      if (typeof v === 'number' && v >= FONT_SIZE_MIN && v <= FONT_SIZE_MAX) sizes[key] = v;
    }
    apply();
  });
  const persist = (values: Record<string, unknown>) => {
    stored = { ...stored, ...values };
    app.settings.save(WORKSPACE_SETTINGS_ID, stored).catch((err) => {
      app.notifications.notify(`Could not save the setting: ${errorMessage(err)}`, { type: 'warning' });
    });
  };
  for (const [key, name] of [
    ['editorFontSize', 'Editor'],
    ['uiFontSize', 'Interface']
  ] as const) {
    for (const [dir, delta, word] of [
      ['increase', 1, 'Increase'],
      ['decrease', -1, 'Decrease']
    ] as const) {
      const prefix = key === 'uiFontSize' ? 'ui' : 'editor';
      commands.addCommand(`settings:${prefix}-font-size-${dir}`, {
        label: `${word} ${name} Font Size`,
        category: 'Settings',
        isEnabled: () => (delta > 0 ? sizes[key] < FONT_SIZE_MAX : sizes[key] > FONT_SIZE_MIN),
        execute: () => {
          sizes[key] = Math.min(FONT_SIZE_MAX, Math.max(FONT_SIZE_MIN, sizes[key] + delta));
          apply();
          persist({ [key]: sizes[key] });
        }
      });
    }
  }

  // Autosave: on unless a plugin's `autosave` setting is false; the notebook and editor
  // plugins read it when the page loads.
  const NOTEBOOK_SETTINGS_ID = '@jlab-alt/notebook:plugin';
  const AUTOSAVE_IDS = [NOTEBOOK_SETTINGS_ID, '@jlab-alt/editor:plugin'];
  let autosave = true;
  // The check mark follows the notebook's setting, however it is changed.
  app.settings.watch(NOTEBOOK_SETTINGS_ID, (v) => (autosave = v.autosave !== false));
  commands.addCommand('settings:toggle-autosave', {
    label: 'Autosave Documents',
    caption: 'Save notebooks and files with changes every two minutes (from the next page load)',
    category: 'Settings',
    isToggled: () => autosave,
    execute: async () => {
      autosave = !autosave;
      for (const settingsId of AUTOSAVE_IDS) {
        try {
          const values = await app.settings.load(settingsId);
          await app.settings.save(settingsId, { ...values, autosave });
        } catch (err) {
          app.notifications.notify(`Could not save the autosave setting: ${errorMessage(err)}`, { type: 'warning' });
        }
      }
    }
  });

  commands.addCommand('help:about', {
    label: `About ${app.config.appName || 'jlab-alt'}`,
    category: 'Help',
    execute: async () => {
      const body = document.createElement('div');
      body.dataset.testid = 'about';
      const version = document.createElement('p');
      version.textContent = `Version ${app.config.appVersion}`;
      const what = document.createElement('p');
      what.textContent = 'A light, fast, extensible browser IDE for Jupyter notebooks, on jupyter_server.';
      body.append(version, what);
      await showDialog({ title: `About ${app.config.appName || 'jlab-alt'}`, body, buttons: [{ id: 'ok', label: 'OK', kind: 'accept' }] });
    }
  });
}
