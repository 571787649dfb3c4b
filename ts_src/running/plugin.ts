import { DisposableDelegate, DisposableSet } from '../core/disposable';
import { Widget } from '../shell/widget';
import { terminalWidgetId } from '../terminal/model';
import { errorMessage } from '../core/errors';
import { definePlugin } from '../tokens';

/**
 * The running panel in the left sidebar: kernels with the notebooks and consoles
 * using them, terminals, and the open tabs; shut down one or all, close a tab
 * without ending its terminal, or end a terminal (which closes its tab). Its code
 * (`model.ts`, `view.ts`) loads when the panel is first shown, and only then does it
 * ask the server for lists; afterwards the services' `runningChanged` signals and
 * the dock's tab events keep it current.
 */
export const runningPlugin = definePlugin({
  id: '@jlab-alt/running:plugin',
  description: 'The running panel: kernels with their notebooks and consoles, terminals and open tabs; shut them down.',
  activate(app) {
    const report = (err: unknown) =>
      app.notifications.notify(errorMessage(err), { type: 'error' });
    const panel = new RunningPanel(async (node) => {
      const [{ RunningModel }, { RunningView }] = await Promise.all([
        import(/* webpackChunkName: "running" */ './model'),
        import(/* webpackChunkName: "running" */ './view')
      ]);
      const dock = app.shell.dock;
      const terminals = app.config.terminalsAvailable === true ? app.services.terminals : null;
      const model = new RunningModel(
        {
          kernels: app.services.kernels,
          sessions: app.services.sessions,
          terminals,
          tabs: () =>
            dock.all.map((w) => {
              const shared = (w as { sharedSessionPath?: unknown }).sharedSessionPath;
              return typeof shared === 'string'
                ? { id: w.id, label: w.title.label, sharedSessionPath: shared }
                : { id: w.id, label: w.title.label };
            }),
          tabsChanged: (listener) => {
            const subs = new DisposableSet();
            const watch = (id: string) => {
              const w = dock.get(id);
              if (w) subs.add(w.title.changed(listener));
            };
            for (const w of dock.all) watch(w.id);
            const added = dock.api.onDidAddPanel((p) => {
              watch(p.id);
              listener();
            });
            // The dock forgets the widget in its own remove handler: answer after it.
            const removed = dock.api.onDidRemovePanel(() => queueMicrotask(listener));
            subs.add(new DisposableDelegate(() => (added.dispose(), removed.dispose())));
            return subs;
          }
        },
        terminalWidgetId
      );
      const view = new RunningView(model, {
        // The services coalesce a list refresh with one already in flight (which may
        // predate the DELETE): refresh again once it answered, so the row goes now.
        shutdownKernel: async (id) => {
          await app.services.kernels.shutdown(id);
          await Promise.all([app.services.kernels.refreshRunning(), app.services.sessions.refreshRunning()]);
        },
        shutdownTerminal: async (name) => {
          if (app.commands.hasCommand('terminal:shutdown')) await app.commands.execute('terminal:shutdown', { name });
          else await app.services.terminals.shutdown(name);
          await app.services.terminals.refreshRunning();
        },
        // A console's session path names no file: its console is shown again instead.
        openSession: async (path, type) => {
          if (type === 'console' && app.commands.hasCommand('console:open')) await app.commands.execute('console:open', { path });
          else await app.docManager.open(path);
        },
        openTerminal: async (name) => {
          await app.commands.execute('terminal:open', { name });
        },
        activateTab: (id) => void app.shell.activateById(id),
        closeTab: async (id) => {
          const widget = dock.get(id);
          if (widget) await dock.requestClose(widget);
        },
        report
      });
      node.appendChild(view.node);
      await model.start();
      return () => model.refresh();
    }, report);
    app.shell.add(panel, 'left', { rank: 300 });
    app.commands.addCommand('running:show', {
      label: 'Show Running Terminals and Kernels',
      category: 'View',
      execute: () => app.shell.activateById(panel.id)
    });
    app.commands.addCommand('running:refresh', {
      label: 'Refresh Running Terminals and Kernels',
      category: 'Kernel',
      execute: () => panel.refresh()
    });
  }
});

/** The sidebar widget; builds its content on first show. */
class RunningPanel extends Widget {
  private loading: Promise<(() => Promise<void>) | null> | null = null;

  /** @param build Fills `node`; resolves with a function that refreshes the lists. */
  constructor(
    private readonly build: (node: HTMLElement) => Promise<() => Promise<void>>,
    private readonly report: (err: unknown) => void
  ) {
    super('running-panel', 'Running Terminals and Kernels');
    this.title.iconClass = 'ja-icon-running';
    this.node.className = 'ja-Running';
    this.node.dataset.testid = 'running-panel';
    this.node.tabIndex = -1;
  }

  override onShow(): void {
    void this.ensure();
  }

  /** Build the content if needed; otherwise ask the server for fresh lists. */
  async refresh(): Promise<void> {
    const built = !!this.loading;
    const refresh = await this.ensure();
    if (built) await refresh?.();
  }

  private ensure(): Promise<(() => Promise<void>) | null> {
    return (this.loading ??= this.build(this.node).catch((err) => {
      this.loading = null;
      this.report(err);
      return null;
    }));
  }
}
