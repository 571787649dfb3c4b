import type { Terminal } from '@jupyterlab/services';
import type { FileBrowserModel } from '../filebrowser/model';
import type { ThemeManager } from '../theme/theme';
import { OpenTerminals, SnapshotStore, terminalCwd, terminalWidgetId, type StorageLike } from './model';
import type { TerminalWidget } from './widget';
import { errorMessage } from '../core/errors';
import { promptText } from '../dialogs/prompt';
import { definePlugin, FILEBROWSER, TERMINAL, THEME } from '../tokens';

/** The module holding the xterm.js view, loaded with the first terminal. */
type Impl = typeof import('./widget');

/** What the terminal plugin provides to others (the running panel). */
export interface TerminalTracker {
  /** Whether the server offers terminals (`terminalsAvailable` in the page config). */
  readonly available: boolean;
  /** The terminal tabs open in this page, by terminal name. */
  readonly widgets: ReadonlyMap<string, TerminalWidget>;
}

const NOT_AVAILABLE =
  'Terminals are not available on this server (jupyter_server_terminals is not installed or terminals are disabled).';

/**
 * Terminals: commands and metadata only. The xterm.js view is in `widget.ts`, a
 * chunk loaded with the first terminal, so pages that never open one pay nothing.
 *
 * Commands: `terminal:create-new {cwd?}` (a new shell, started in `cwd` or the file
 * browser's folder), `terminal:open {name}` (a tab on a running terminal),
 * `terminal:shutdown {name?}`, `terminal:copy`, `terminal:paste`, `terminal:find`,
 * and `terminal:open-here` for the file browser's context menu. The terminals open
 * in a page are remembered in session storage and reopened, with their scrollback,
 * after a reload. Settings (`schema.json`: font, line height, theme, scrollback, cursor
 * blink, copy on select, paste with Ctrl+V...) apply to open terminals as they change.
 */
export const terminalPlugin = definePlugin({
  id: TERMINAL,
  description: 'Terminals on the server (xterm.js): open, resize, copy and paste; they survive a reload.',
  optional: [THEME, FILEBROWSER],
  activate(app, themes: ThemeManager | null, files: FileBrowserModel | null) {
    const available = app.config.terminalsAvailable === true;
    const storage = sessionStorageOrNull();
    const snapshots = new SnapshotStore(storage, app.config.baseUrl);
    const open = new OpenTerminals(storage, app.config.baseUrl);
    const widgets = new Map<string, TerminalWidget>();
    let impl: Promise<Impl> | null = null;
    const load = () => (impl ??= import(/* webpackChunkName: "terminal" */ './widget'));
    const fail = (err: unknown) =>
      app.notifications.notify(errorMessage(err), { type: 'error' });
    const current = (): TerminalWidget | null => {
      const w = app.shell.currentWidget;
      return w && [...widgets.values()].includes(w as TerminalWidget) ? (w as TerminalWidget) : null;
    };

    /**
     * Put a tab on the connection `connect` makes (or activate the tab already showing
     * that terminal). The view's code is loaded first: terminado sends its replay right
     * after connecting, and the widget must be listening by then.
     */
    const show = async (
      connect: () => Terminal.ITerminalConnection | Promise<Terminal.ITerminalConnection>,
      background = false
    ): Promise<TerminalWidget> => {
      const { TerminalWidget: View, copyText } = await load();
      const connection = await connect();
      const existing = widgets.get(connection.name);
      if (existing && !existing.isDisposed) {
        connection.dispose();
        if (!background) app.shell.activateById(existing.id);
        return existing;
      }
      const widget = new View({ connection, theme: themes?.theme ?? 'light', settings, snapshots, copy: copyText });
      widgets.set(widget.name, widget);
      open.add(widget.name);
      widget.disposed(() => {
        widgets.delete(widget.name);
        // Closed by the person (not by leaving the page): do not reopen it after a reload.
        open.remove(widget.name);
      });
      app.shell.add(widget, 'main', { background });
      return widget;
    };

    const connect = async (name: string, background = false): Promise<TerminalWidget> => {
      const existing = widgets.get(name);
      if (existing && !existing.isDisposed) {
        if (!background) app.shell.activateById(existing.id);
        return existing;
      }
      return show(() => app.services.terminals.connectTo({ model: { name } }), background);
    };

    themes?.changed((theme) => {
      for (const w of widgets.values()) w.setTheme(theme);
    });
    // Kept raw: the view parses them (settings.ts loads with xterm, not at cold load).
    let settings: Record<string, unknown> = {};
    app.settings.watch(TERMINAL, (values) => {
      settings = values;
      for (const w of widgets.values()) w.setSettings(values);
    });

    app.commands.addCommand('terminal:create-new', {
      label: 'New Terminal',
      caption: available ? 'Start a shell on the server, in the file browser\u2019s folder' : NOT_AVAILABLE,
      category: 'Terminal',
      isEnabled: () => available,
      execute: async (args) => {
        if (!available) throw new Error(NOT_AVAILABLE);
        const path = typeof args.cwd === 'string' ? args.cwd : (files?.path ?? '');
        const cwd = terminalCwd(path, app.config.serverRoot);
        return show(() => app.services.terminals.startNew(cwd === undefined ? {} : { cwd }));
      }
    });
    app.commands.addCommand('terminal:open-here', {
      label: 'Open Terminal Here',
      caption: 'Start a shell in the folder the file browser shows',
      category: 'Terminal',
      isEnabled: () => available,
      isVisible: () => false,
      execute: () => app.commands.execute('terminal:create-new', { cwd: files?.path ?? '' })
    });
    app.commands.addCommand('terminal:open', {
      label: (args) => (typeof args.name === 'string' ? `Open Terminal ${args.name}` : 'Open Terminal'),
      category: 'Terminal',
      isEnabled: () => available,
      isVisible: (args) => typeof args.name === 'string',
      execute: async (args) => {
        if (!available) throw new Error(NOT_AVAILABLE);
        if (typeof args.name !== 'string') throw new Error('terminal:open needs the terminal\u2019s name ({name: "1"})');
        const running = await app.services.terminals.refreshRunning().then(() => [...app.services.terminals.running()]);
        if (!running.some((m) => m.name === args.name)) throw new Error(`There is no terminal "${args.name}" on the server.`);
        return connect(args.name);
      }
    });
    app.commands.addCommand('terminal:shutdown', {
      label: 'Shut Down Terminal',
      caption: 'End the shell (and close its tab)',
      category: 'Terminal',
      isEnabled: (args) => typeof args.name === 'string' || current() !== null,
      execute: async (args) => {
        const name = typeof args.name === 'string' ? args.name : current()?.name;
        if (!name) return;
        // End the shell first, then close the tab. The services coalesce list refreshes
        // with one already in flight, so refresh once more after the DELETE answered:
        // the running list must not keep the terminal until the next poll.
        await app.services.terminals.shutdown(name);
        const widget = widgets.get(name);
        widget?.forgetSnapshot();
        widget?.dispose();
        snapshots.remove(name);
        await app.services.terminals.refreshRunning();
      }
    });
    app.commands.addCommand('terminal:copy', {
      label: 'Copy Terminal Selection',
      caption: 'Ctrl+Shift+C in a terminal',
      category: 'Terminal',
      isEnabled: () => current() !== null,
      execute: () => current()?.copySelection()
    });
    app.commands.addCommand('terminal:paste', {
      label: 'Paste into Terminal',
      caption: 'Ctrl+Shift+V in a terminal',
      category: 'Terminal',
      isEnabled: () => current() !== null,
      execute: async () => {
        const widget = current();
        if (!widget) return;
        const text = await navigator.clipboard.readText();
        widget.paste(text);
      }
    });
    // The app's own dialog, not window.prompt (which blocks the page and cannot be styled).
    let lastQuery = '';
    app.commands.addCommand('terminal:find', {
      label: (args) => (typeof args.query === 'string' ? `Find "${args.query}" in Terminal` : 'Find in Terminal'),
      category: 'Terminal',
      isEnabled: () => current() !== null,
      execute: async (args) => {
        const widget = current();
        if (!widget) return;
        const query =
          typeof args.query === 'string' ? args.query : await promptText('Find in Terminal', 'Text to find', lastQuery, 'Find');
        if (!query) return;
        lastQuery = query;
        widget.find(query, args.backwards === true);
      }
    });

    // Reopen the terminals this page had open before a reload (those still running).
    const remembered = open.names();
    if (available && remembered.length) {
      void app.started.then(async () => {
        try {
          await app.services.terminals.refreshRunning();
          const running = new Set([...app.services.terminals.running()].map((m) => m.name));
          for (const name of remembered) {
            if (running.has(name)) await connect(name, true);
            else {
              open.remove(name);
              snapshots.remove(name);
            }
          }
          const last = remembered.filter((n) => running.has(n)).pop();
          if (last && !app.shell.currentWidget) app.shell.activateById(terminalWidgetId(last));
        } catch (err) {
          fail(new Error(`Could not reopen the terminals: ${errorMessage(err)}`));
        }
      });
    }
    return { available, widgets };
  }
});

/** sessionStorage, or null where the browser refuses it (privacy modes). */
function sessionStorageOrNull(): StorageLike | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
