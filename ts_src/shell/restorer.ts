import type { CommandRegistry } from '../commands/registry';
import { DisposableDelegate, IDisposable } from '../core/disposable';
import type { Shell } from './shell';
import { Widget } from './widget';
import {
  DockviewJSON,
  LAYOUT_VERSION,
  LayoutNode,
  SideBarState,
  TabState,
  WorkspaceLayout,
  allTabs,
  flatten,
  fromDockview,
  toDockview
} from './layout';
import { errorMessage } from '../core/errors';
import { nextTask } from '../core/tasks';

/**
 * How one kind of main-area widget is saved in the layout and re-created after a
 * reload (JupyterLab's `WidgetTracker` restore options, as a registry entry).
 *
 * Register with {@link LayoutRestorer.addRestorer} (the layout plugin provides the
 * restorer: `requires: ['@jlab-alt/shell:layout']`). For example, a terminal plugin:
 * ```ts
 * restorer.addRestorer({
 *   namespace: 'terminal',
 *   command: 'terminal:open',
 *   args: (w) => (w instanceof TerminalWidget ? { name: w.session.name } : null),
 *   matches: (w, args) => w instanceof TerminalWidget && w.session.name === args.name
 * });
 * ```
 * A saved tab is re-created lazily: it shows as a placeholder until first shown, then
 * `command` runs with the saved `args` (so lazy chunks load through the command) and the
 * widget it adds to the main area takes the placeholder's place. When the command fails
 * (a file deleted since, a terminal that died with the server) the placeholder says so
 * and can be closed; nothing else is affected.
 */
export interface WidgetRestorer {
  /** Unique name of the kind, saved with each tab (e.g. `'document'`, `'terminal'`). */
  namespace: string;
  /** The command that re-creates the widget from {@link args}; it must add it to the main area. */
  command: string;
  /** What to save for `widget`: the args of {@link command}, or null when `widget` is not of this kind. */
  args(widget: Widget): Record<string, unknown> | null;
  /**
   * Whether `widget`, just added to the main area, is the one re-created for `args`
   * (default: the first widget added while the command runs).
   */
  matches?(widget: Widget, args: Record<string, unknown>): boolean;
}

/** The restore setting (`@jlab-alt/shell:layout` `restore`). */
export type RestoreMode = 'all' | 'tabs' | 'none';

/** The parts of the file browser the layout saves (its folder). */
export interface FolderModel {
  readonly path: string;
  cd(path: string): Promise<boolean>;
  changed(listener: () => void): IDisposable;
}

/** A saved tab not loaded yet: its label, and a note while loading or when it cannot be. */
export class PendingTab extends Widget {
  private readonly message: HTMLElement;
  loading = false;
  /** Set when the re-created widget took its place (its disposal is no close). */
  replaced = false;

  constructor(id: string, readonly state: TabState) {
    super(id, state.label);
    this.title.caption = typeof state.args.path === 'string' ? state.args.path : state.label;
    this.node.className = 'ja-PendingTab';
    this.node.dataset.testid = 'pending-tab';
    this.node.dataset.label = state.label;
    this.message = document.createElement('p');
    this.message.textContent = `${state.label} opens when shown.`;
    this.node.appendChild(this.message);
  }

  /** Show why the tab could not be reopened (it stays until closed). */
  fail(message: string): void {
    this.loading = false;
    this.node.dataset.failed = 'true';
    this.message.textContent = message;
  }

  setLoading(): void {
    this.loading = true;
    this.message.textContent = `Opening ${this.state.label}…`;
  }
}

/** Options of {@link LayoutRestorer}. */
export interface LayoutRestorerOptions {
  shell: Shell;
  commands: CommandRegistry;
  /** Persist a layout (the workspaces API); may reject, which is reported on the console. */
  save(layout: WorkspaceLayout, keepalive: boolean): Promise<void>;
  /** Debounce of saves, in ms (default 500). */
  delay?: number;
  /** The file browser's folder, when the file browser is present. */
  folder?: FolderModel | null;
  /** Report a tab that could not be reopened (e.g. a notification). */
  note?(message: string): void;
  /**
   * Resolves once every plugin has activated (the app's `started`). A shown tab whose kind
   * has no restorer yet waits for it: the plugin registering that kind may activate after
   * the layout is restored (an `optional` dependency on the restorer). Without it, such a
   * tab fails at once.
   */
  pluginsActive?: Promise<void>;
}

const MAX_CLOSED = 20;

/**
 * Saves the shell's layout as a {@link WorkspaceLayout} (debounced, never while
 * restoring, never awaited by anything the user does) and restores one lazily:
 * each saved tab becomes a {@link PendingTab} that runs its restorer's command only
 * when first shown, so thirty saved notebooks cost thirty labels, not thirty kernels.
 * It also keeps the recently closed tabs, to reopen them.
 */
export class LayoutRestorer {
  private readonly restorers = new Map<string, WidgetRestorer>();
  private readonly pending = new Map<string, PendingTab>();
  /** Set once `options.pluginsActive` resolved: no restorer can come after. */
  private pluginsActive = false;
  private restoring = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private counter = 0;
  /** Saved states of the widgets in the main area, kept so a closed one can be reopened. */
  private readonly closed: TabState[] = [];
  private readonly known = new WeakSet<Widget>();
  private lastSaved = '';
  private started = false;

  constructor(private readonly options: LayoutRestorerOptions) {
    const { shell } = options;
    shell.dock.placementHook = (widget) => this.placementFor(widget);
    const schedule = () => this.scheduleSave();
    shell.dock.layoutChanged(schedule);
    shell.dock.currentChanged((w) => {
      schedule();
      if (w instanceof PendingTab) this.load(w);
      if (w) this.watchClose(w);
    });
    shell.left.currentChanged(schedule);
    shell.right.currentChanged(schedule);
    options.folder?.changed(() => {
      if (options.folder!.path !== this.lastFolder) schedule();
    });
  }

  private lastFolder: string | undefined;

  /**
   * Register how a kind of widget is saved and re-created. Later restorers are asked
   * first. Dispose the result to remove it.
   * @throws Error when the namespace is taken.
   */
  addRestorer(restorer: WidgetRestorer): IDisposable {
    if (this.restorers.has(restorer.namespace)) throw new Error(`A restorer for "${restorer.namespace}" exists already`);
    this.restorers.set(restorer.namespace, restorer);
    return new DisposableDelegate(() => this.restorers.delete(restorer.namespace));
  }

  /** The state that re-creates `widget`, or null when no restorer knows it. */
  describe(widget: Widget): TabState | null {
    if (widget instanceof PendingTab) return widget.state;
    for (const restorer of [...this.restorers.values()].reverse()) {
      const args = restorer.args(widget);
      if (args) return { namespace: restorer.namespace, args, label: widget.title.label };
    }
    return null;
  }

  /** The current layout in the saved schema. */
  serialize(): WorkspaceLayout {
    const { shell } = this.options;
    const json = shell.dock.api.toJSON() as unknown as DockviewJSON;
    const main = shell.dock.all.length === 0 ? null : fromDockview(json, (id) => {
      const widget = shell.dock.get(id);
      return widget ? this.describe(widget) : null;
    });
    const layout: WorkspaceLayout = { version: LAYOUT_VERSION, main, left: side(shell.left), right: side(shell.right) };
    if (this.options.folder) layout.fileBrowserPath = this.options.folder.path;
    return layout;
  }

  /**
   * Show `layout` (replacing the main area) as `mode` says: `all` restores groups,
   * sizes, sidebars and folder; `tabs` the tabs only, in one group; `none` nothing.
   * Nothing is saved while this runs.
   */
  async restore(layout: WorkspaceLayout | null, mode: RestoreMode): Promise<void> {
    this.restoring = true;
    try {
      if (!layout || mode === 'none') return;
      const main = mode === 'tabs' ? flatten(layout.main) : layout.main;
      if (main) this.restoreMain(main);
      if (mode === 'all') {
        const { shell, folder } = this.options;
        restoreSide(shell.left, layout.left);
        restoreSide(shell.right, layout.right);
        if (folder && typeof layout.fileBrowserPath === 'string' && layout.fileBrowserPath !== folder.path) {
          const ok = await folder.cd(layout.fileBrowserPath).catch(() => false);
          if (!ok) this.options.note?.(`The folder "${layout.fileBrowserPath}" of the saved layout is gone.`);
        }
      }
    } finally {
      this.restoring = false;
      this.started = true;
      this.lastFolder = this.options.folder?.path;
      this.lastSaved = JSON.stringify(this.serialize());
    }
  }

  private restoreMain(main: LayoutNode): void {
    const { dock } = this.options.shell;
    const box = dock.node.getBoundingClientRect();
    const tabs: PendingTab[] = [];
    const json = toDockview(main, Math.max(100, box.width), Math.max(100, box.height), (tab) => {
      const placeholder = new PendingTab(`restored:${++this.counter}`, tab);
      tabs.push(placeholder);
      return placeholder.id;
    });
    try {
      dock.restore(json, tabs);
    } catch (err) {
      console.warn('The saved layout could not be shown; reopening its tabs in one group.', err);
      dock.restore(toDockview(flatten(main)!, box.width, box.height, (_, n) => tabs[n]!.id), tabs);
    }
    for (const tab of tabs) {
      this.pending.set(tab.id, tab);
      tab.disposed(() => this.pending.delete(tab.id));
      this.watchClose(tab);
      const panel = dock.api.getPanel(tab.id);
      if (!panel) continue;
      // Load when first shown: the visible tab of every group, and later any tab picked.
      panel.api.onDidVisibilityChange((e) => {
        if (e.isVisible) this.load(tab);
      });
    }
    const current = dock.current;
    if (current instanceof PendingTab) this.load(current);
    for (const tab of tabs) if (dock.api.getPanel(tab.id)?.api.isVisible) this.load(tab);
  }

  /** Re-create the widget of a placeholder in its place (once). */
  private load(tab: PendingTab): void {
    if (tab.loading || tab.isDisposed || tab.node.dataset.failed) return;
    const restorer = this.restorers.get(tab.state.namespace);
    if (!restorer) {
      if (this.options.pluginsActive && !this.pluginsActive) {
        void this.options.pluginsActive.then(() => {
          this.pluginsActive = true;
          this.load(tab);
        });
        return;
      }
      tab.fail(`${tab.state.label} cannot be reopened: nothing restores "${tab.state.namespace}" tabs.`);
      return;
    }
    tab.setLoading();
    // Runs in a new task: after the current dockview event, so the placeholder's group is
    // settled, and apart from the restore of the whole layout (together they were one
    // task of 60-140 ms on a slow machine, 2026-12-05).
    void nextTask().then(() => {
      this.options.commands.execute(restorer.command, tab.state.args).then(
        () => {
          // The command may have activated an existing widget elsewhere instead of adding one.
          if (!tab.isDisposed && this.pending.has(tab.id)) {
            tab.replaced = true;
            tab.dispose();
          }
        },
        (err: unknown) => {
          const message = `${tab.state.label} could not be reopened: ${errorMessage(err)}`;
          tab.fail(message);
          this.options.note?.(message);
        }
      );
    });
  }

  /** Put a widget re-created for a placeholder (or opened for the same document) in its place. */
  private placementFor(widget: Widget): { ref: string; position: 'center'; index: number; background: boolean } | undefined {
    const { dock } = this.options.shell;
    for (const tab of this.pending.values()) {
      const restorer = this.restorers.get(tab.state.namespace);
      if (!restorer) continue;
      const matches = restorer.matches ? restorer.matches(widget, tab.state.args) : tab.loading;
      if (!matches) continue;
      const panel = dock.api.getPanel(tab.id);
      if (!panel) continue;
      const visible = panel.group.activePanel?.id === tab.id;
      const active = dock.api.activePanel?.id === tab.id;
      const index = panel.group.panels.indexOf(panel);
      this.pending.delete(tab.id);
      tab.replaced = true;
      queueMicrotask(() => {
        const real = dock.api.getPanel(widget.id);
        if (real && visible && !active && tab.loading) {
          // Keep it the visible tab of its group without taking the focus.
          const focused = dock.api.activePanel;
          real.api.setActive();
          focused?.api.setActive();
        }
        tab.dispose();
      });
      // Restoring keeps the focus where it is; a person opening the same document gets it.
      return { ref: tab.id, position: 'center', index: index + 1, background: tab.loading && !active };
    }
    return undefined;
  }

  /** Remember `widget`'s state when its tab closes, for {@link reopenClosed}. */
  private watchClose(widget: Widget): void {
    if (this.known.has(widget)) return;
    this.known.add(widget);
    let state = this.describe(widget);
    const update = widget.title.changed(() => (state = this.describe(widget) ?? state));
    widget.disposed(() => {
      update.dispose();
      // A placeholder replaced by its widget is not a close.
      if (!state || (widget instanceof PendingTab && widget.replaced)) return;
      this.closed.push(state);
      if (this.closed.length > MAX_CLOSED) this.closed.shift();
    });
  }

  /** Tabs closed recently, most recent last (at most 20). */
  get recentlyClosed(): readonly TabState[] {
    return this.closed;
  }

  /**
   * Reopen the most recently closed tab (Ctrl+Shift+T). Resolves false when there was none.
   * @throws the restorer command's error (e.g. the file is gone).
   */
  async reopenClosed(): Promise<boolean> {
    const state = this.closed.pop();
    if (!state) return false;
    const restorer = this.restorers.get(state.namespace);
    if (!restorer) return false;
    await this.options.commands.execute(restorer.command, state.args);
    return true;
  }

  /** Start watching the main area's widgets (call once plugins have added theirs). */
  track(): void {
    for (const widget of this.options.shell.dock.all) this.watchClose(widget);
  }

  private scheduleSave(): void {
    if (this.restoring || !this.started) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.options.delay ?? 500);
  }

  /** Save now if the layout changed since the last save; `keepalive` when the page is going away. */
  flush(keepalive = false): void {
    clearTimeout(this.timer);
    if (this.restoring || !this.started) return;
    const layout = this.serialize();
    const text = JSON.stringify(layout);
    if (text === this.lastSaved) return;
    this.lastSaved = text;
    this.lastFolder = layout.fileBrowserPath;
    this.options.save(layout, keepalive).catch((err: unknown) => {
      this.lastSaved = '';
      console.warn('The layout could not be saved:', err);
    });
  }

  /** Every tab in `layout`, for counts. */
  static tabsOf(layout: WorkspaceLayout | null): TabState[] {
    return allTabs(layout?.main ?? null);
  }
}

function side(bar: { current: Widget | null; panel: HTMLElement }): SideBarState {
  const width = parseFloat(bar.panel.style.width);
  return { current: bar.current?.id ?? null, ...(width > 0 ? { width } : {}) };
}

function restoreSide(
  bar: { current: Widget | null; panel: HTMLElement; show(id: string | null): void; has(id: string): boolean },
  state: SideBarState | undefined
): void {
  if (!state) return;
  if (state.width) bar.panel.style.width = `${state.width}px`;
  if (state.current === null) bar.show(null);
  else if (bar.has(state.current)) bar.show(state.current);
}
