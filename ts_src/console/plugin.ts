import type { Application } from '../core/application';
import type { KernelSources } from '../kernel/sources';
import type { LayoutRestorer } from '../shell/restorer';
import type { NotebookTracker } from '../notebook/tracker';
import type { RenderMimeRegistry } from '../rendermime/registry';
import type { ConsolePanel, ConsoleSettings } from './panel';
import { definePlugin, KERNEL, LAYOUT, NOTEBOOK, RENDERMIME } from '../tokens';

const SETTINGS_ID = '@jlab-alt/console:plugin';

/** Settings as defaults; the settings service may override each (see builtin_plugin.py). */
const DEFAULTS: ConsoleSettings = { runOnEnter: false, showAllKernelActivity: false, maxLogCells: 500 };

/** A unique session path for console number `n` in `cwd` (JupyterLab's `console-<n>-<uuid>`). */
export function consolePath(cwd: string, n: number, uuid: string): string {
  const name = `console-${n}-${uuid}`;
  const dir = cwd.replace(/^\/+|\/+$/g, '');
  return dir ? `${dir}/${name}` : name;
}

/** The console number in a console session's path (`dir/console-<n>-<uuid>`), or null for another path. */
export function consoleNumber(path: string): number | null {
  const match = /(?:^|\/)console-(\d+)-[^/]+$/.exec(path);
  return match ? Number(match[1]) : null;
}

/**
 * Code consoles: `console:create {kernelName?, cwd?}` (asks for a kernelspec when
 * none is given), `console:open {path, kernelName?, label?}` (the console of a session
 * the server still runs, shown again: from the running panel and the saved layout),
 * `console:create-for-notebook` (the current notebook's kernel,
 * split below it), `console:run-selection` from a notebook or a text editor, and
 * the console's run, clear, interrupt, restart commands. Only this file is in the
 * cold load: the panel, CodeMirror and the rest load with the first console.
 */
export const consolePlugin = definePlugin({
  id: SETTINGS_ID,
  description: 'Code consoles: run code in a kernel of its own or a notebook\'s, with history and search.',
  requires: [RENDERMIME],
  optional: [NOTEBOOK, KERNEL, LAYOUT],
  activate(
    app: Application,
    rendermime: RenderMimeRegistry,
    tracker: NotebookTracker | null,
    kernels: KernelSources | null,
    restorer: LayoutRestorer | null
  ) {
    const consoles = new Set<ConsolePanel>();
    let last: ConsolePanel | null = null;
    let count = 0;
    let settings: ConsoleSettings = { ...DEFAULTS };
    void app.settings
      .load(SETTINGS_ID)
      .then((values) => {
        settings = { ...DEFAULTS, ...(values as Partial<ConsoleSettings>) };
        for (const c of consoles) c.setSettings(settings);
      })
      .catch(() => undefined);

    const load = () => import(/* webpackChunkName: "console" */ './panel');

    const track = (panel: ConsolePanel): ConsolePanel => {
      consoles.add(panel);
      last = panel;
      const reg = kernels?.add(panel.session);
      panel.node.addEventListener('focusin', () => (last = panel));
      panel.disposed(() => {
        consoles.delete(panel);
        reg?.dispose();
        if (last === panel) last = [...consoles].pop() ?? null;
      });
      return panel;
    };

    /** The console the person is in (focus), or the current tab when it is a console, or the last used. */
    const current = (): ConsolePanel | null => {
      const active = document.activeElement;
      for (const c of consoles) if (active && c.node.contains(active)) return c;
      const widget = app.shell.dock.current;
      for (const c of consoles) if (c === widget) return c;
      return last;
    };

    // Numbered past every console session the server runs (one reopened after a reload
    // keeps its number), so two tabs never share a number or a widget id.
    const nextNumber = (): number => {
      for (const s of app.services.sessions.running()) count = Math.max(count, consoleNumber(s.path) ?? 0);
      return ++count;
    };

    const addConsole = async (n: number, path: string, kernel: { name: string; display_name: string }, label = `Console ${n}`): Promise<ConsolePanel> => {
      const { ConsolePanel } = await load();
      let id = `console-${n}`;
      while (app.shell.dock.get(id)) id += '-';
      const panel = ConsolePanel.create({
        id,
        label,
        path,
        sessions: app.services.sessions,
        kernelspecs: app.services.kernelspecs,
        rendermime,
        settings,
        kernel,
        notify: (text) => app.notifications.notify(text, { type: 'error' })
      });
      track(panel);
      app.shell.add(panel, 'main');
      return panel;
    };

    const create = async (args: { kernelName?: string; cwd?: string }): Promise<ConsolePanel | null> => {
      const { pickKernelFor } = await load();
      const choice = await pickKernelFor(app.services.kernelspecs, args.kernelName);
      if (!choice) return null;
      const n = nextNumber();
      return addConsole(n, consolePath(args.cwd ?? '', n, crypto.randomUUID()), choice);
    };

    /**
     * Show the console of session `path` again: its tab when one is open, else a new tab
     * that joins the session (same kernel, same variables). When the server no longer has
     * the session (it restarted), the console starts `kernelName` there as a new one.
     * @throws Error when there is neither the session nor a `kernelName`.
     */
    const open = async (args: { path: string; kernelName?: string; label?: string }): Promise<ConsolePanel> => {
      const shown = [...consoles].find((c) => !c.sharedSessionPath && c.session.path === args.path);
      if (shown) {
        app.shell.activateById(shown.id);
        return shown;
      }
      const session = await app.services.sessions.findByPath(args.path);
      const kernelName = (session?.type === 'console' ? session.kernel?.name : undefined) ?? args.kernelName;
      if (!kernelName) throw new Error(`No console session runs at "${args.path}".`);
      const n = consoleNumber(args.path) ?? nextNumber();
      count = Math.max(count, n);
      const displayName = app.services.kernelspecs.specs?.kernelspecs[kernelName]?.display_name ?? kernelName;
      return addConsole(n, args.path, { name: kernelName, display_name: displayName }, args.label ?? session?.name ?? `Console ${n}`);
    };

    const createForNotebook = async (): Promise<ConsolePanel | null> => {
      const notebook = tracker?.current;
      if (!notebook) return null;
      const existing = [...consoles].find((c) => c.notebook === notebook);
      if (existing) {
        app.shell.dock.activate(existing.id);
        return existing;
      }
      const { ConsolePanel } = await load();
      const n = ++count;
      const panel = ConsolePanel.forSession({
        id: `console-${n}`,
        label: `Console ${n}: ${notebook.context.name}`,
        session: notebook.session,
        notebook,
        rendermime,
        settings,
        notify: (text) => app.notifications.notify(text, { type: 'error' })
      });
      track(panel);
      app.shell.add(panel, 'main', { ref: notebook.id, position: 'bottom' });
      return panel;
    };

    app.commands.addCommand('console:create', {
      label: (args) => {
        const name = typeof args.kernelName === 'string' ? args.kernelName : '';
        const spec = name ? app.services.kernelspecs.specs?.kernelspecs[name] : undefined;
        // A launcher card is already titled "Console": it shows the kernel's name alone,
        // as the notebook cards do (and JupyterLab's launcher).
        if (spec && args.isLauncher) return spec.display_name;
        return spec ? `New Console (${spec.display_name})` : 'New Console';
      },
      caption: 'Open a code console with a kernel of its own (asks which kernel)',
      category: 'Console',
      execute: (args) =>
        create({
          kernelName: typeof args.kernelName === 'string' ? args.kernelName : undefined,
          cwd: typeof args.cwd === 'string' ? args.cwd : undefined
        })
    });
    app.commands.addCommand('console:open', {
      label: 'Open Console',
      caption: 'Show the console of a running console session (args: path, kernelName?, label?)',
      category: 'Console',
      // Only with a session's path (the running panel, the saved layout): not a palette entry.
      isVisible: (args) => typeof args.path === 'string',
      isEnabled: (args) => typeof args.path === 'string',
      execute: (args) => {
        if (typeof args.path !== 'string') throw new Error('console:open needs the session\'s path');
        return open({
          path: args.path,
          kernelName: typeof args.kernelName === 'string' ? args.kernelName : undefined,
          label: typeof args.label === 'string' ? args.label : undefined
        });
      }
    });
    // A console of its own comes back with the saved layout, on its session when the server
    // still runs it (JupyterLab's consoles do too); one on a notebook's kernel does not.
    restorer?.addRestorer({
      namespace: 'console',
      command: 'console:open',
      args: (widget) => {
        const c = widget as ConsolePanel;
        if (!consoles.has(c) || c.sharedSessionPath !== null) return null;
        const kernelName = c.session.kernel?.name;
        return { path: c.session.path, label: c.title.label, ...(kernelName ? { kernelName } : {}) };
      },
      matches: (widget, args) => consoles.has(widget as ConsolePanel) && (widget as ConsolePanel).session.path === args.path
    });
    app.commands.addCommand('console:create-for-notebook', {
      label: 'New Console for Notebook',
      caption: 'Open a code console on the current notebook\'s kernel, below the notebook',
      category: 'Console',
      isEnabled: () => !!tracker?.current?.session.kernel,
      execute: () => createForNotebook()
    });

    const withConsole = (id: string, label: string, run: (c: ConsolePanel) => unknown, caption = '') =>
      app.commands.addCommand(id, {
        label,
        caption,
        category: 'Console',
        isEnabled: () => current() !== null,
        execute: () => {
          const c = current();
          return c ? run(c) : undefined;
        }
      });
    withConsole('console:run-forced', 'Run Console Input', (c) => c.runPrompt(), 'Run the code in the console prompt');
    withConsole('console:clear', 'Clear Console Cells', (c) => c.clear());
    withConsole('console:interrupt-kernel', 'Interrupt Console Kernel', (c) => c.session.interrupt());
    withConsole('console:restart-kernel', 'Restart Console Kernel…', (c) => c.restart());
    withConsole('console:toggle-show-all-kernel-activity', 'Show All Kernel Activity in Console', (c) =>
      c.setShowAll(!c.showAll)
    );
    withConsole('console:search-history', 'Search Console History', (c) => c.openSearch(), 'Reverse search (Ctrl+R)');

    // Run the selection (or the current line) of a notebook cell or a text editor in a console:
    // the notebook's own console (made when missing), else the last console used.
    app.commands.addCommand('console:run-selection', {
      label: 'Run Selection or Current Line in Console',
      caption: 'Send the selected code (or the line at the cursor) to a console',
      category: 'Console',
      execute: async () => {
        const widget = app.shell.dock.current;
        const notebook = tracker?.current && tracker.current === widget ? tracker.current : null;
        let view: { state: { selection: { main: { from: number; to: number; head: number } }; sliceDoc(a: number, b: number): string; doc: { lineAt(p: number): { text: string } } } } | null = null;
        if (notebook) view = notebook.view?.activeView?.editor?.view ?? null;
        else if (widget && 'editorView' in widget) view = (widget as { editorView: typeof view }).editorView;
        if (!view) return;
        const sel = view.state.selection.main;
        const code = sel.from === sel.to ? view.state.doc.lineAt(sel.head).text : view.state.sliceDoc(sel.from, sel.to);
        if (!code.trim()) return;
        let target: ConsolePanel | null = notebook ? ([...consoles].find((c) => c.notebook === notebook) ?? null) : current();
        if (!target && notebook) target = await createForNotebook();
        if (!target) target = await create({});
        await target?.runCode(code);
      }
    });
  }
});
