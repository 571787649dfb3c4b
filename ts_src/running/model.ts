/**
 * The running panel's model, DOM-free: what runs on the server (kernels with the
 * notebooks and consoles using them, terminals) and what is open in this page (tabs),
 * kept current from the services' `runningChanged` signals and the dock's tab events.
 */
import type { Kernel, Session, Terminal } from '@jupyterlab/services';
import type { IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { compareNames } from '../core/collation';

/** A `@jupyterlab/services` signal, reduced to what the model uses. */
export interface SignalLike<T> {
  connect(slot: (sender: unknown, value: T) => void, thisArg?: unknown): boolean;
  disconnect(slot: (sender: unknown, value: T) => void, thisArg?: unknown): boolean;
}

/** The part of a services manager (kernels, sessions, terminals) the model uses. */
export interface RunningManager<M> {
  running(): IterableIterator<M>;
  refreshRunning(): Promise<void>;
  readonly runningChanged: SignalLike<M[]>;
}

/** One open tab of the main area. */
export interface TabInfo {
  /** The widget id (`terminal:1`, `document:nb.ipynb#1`...). */
  id: string;
  label: string;
  /**
   * The session path of the kernel session this tab uses without owning it (a console
   * opened for a notebook shares the notebook's session, so the server lists no
   * session for it); absent for tabs with a session of their own, or none.
   */
  sharedSessionPath?: string;
}

/** What the model needs from the app. Each action may reject; the view reports it. */
export interface RunningSources {
  kernels: RunningManager<Kernel.IModel>;
  sessions: RunningManager<Session.IModel>;
  /** Null when the server has no terminals. */
  terminals: RunningManager<Terminal.IModel> | null;
  /** The open tabs, in no particular order. */
  tabs(): TabInfo[];
  /** Fires when a tab opens, closes or is renamed. */
  tabsChanged(listener: () => void): IDisposable;
}

/** A kernel and the sessions (notebooks, consoles) using it. */
export interface KernelEntry {
  id: string;
  /** The kernelspec name (`python3`). */
  name: string;
  /** `idle`, `busy`, `starting`, `dead`... as the server last reported. */
  state: string;
  sessions: { id: string; path: string; type: string; name: string }[];
  /** Open tabs on this kernel without a session of their own (consoles for a notebook), by label. */
  tabs: TabInfo[];
}

/** A terminal on the server, and the tab showing it in this page, if any. */
export interface TerminalEntry {
  name: string;
  /** The tab's widget id, or null when no tab of this page shows it. */
  tabId: string | null;
}

/** Everything the panel shows. */
export interface RunningState {
  kernels: KernelEntry[];
  terminals: TerminalEntry[];
  tabs: TabInfo[];
}

/**
 * Collects the running kernels, sessions and terminals and the open tabs. Starts
 * listening on {@link start} (the panel calls it when first shown, so the cold load
 * asks the server nothing) and fires `changed` with the new state whenever any of
 * them changes.
 */
export class RunningModel {
  private readonly _changed = new Emitter<RunningState>();
  /** Fires with the new state after any change. */
  readonly changed = this._changed.event;
  private started = false;
  private tabsSub: IDisposable | null = null;
  private readonly onChange = () => this._changed.emit(this.state);

  /** @param terminalTabId Maps a terminal name to its tab's widget id. */
  constructor(
    private readonly sources: RunningSources,
    private readonly terminalTabId: (name: string) => string
  ) {}

  /** Listen for changes and ask the server for its lists now; resolves when they arrived. */
  async start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      const { kernels, sessions, terminals } = this.sources;
      kernels.runningChanged.connect(this.onChange, this);
      sessions.runningChanged.connect(this.onChange, this);
      terminals?.runningChanged.connect(this.onChange, this);
      this.tabsSub = this.sources.tabsChanged(this.onChange);
    }
    await this.refresh();
  }

  /** Ask the server for the running kernels, sessions and terminals again. */
  async refresh(): Promise<void> {
    const { kernels, sessions, terminals } = this.sources;
    await Promise.all([kernels.refreshRunning(), sessions.refreshRunning(), terminals?.refreshRunning()]);
    this.onChange();
  }

  /** The current lists: kernels by name then id, sessions by path, terminals by number. */
  get state(): RunningState {
    const tabs = this.sources.tabs().sort((a, b) => compareNames(a.label, b.label));
    const tabIds = new Set(tabs.map((t) => t.id));
    const sessions = [...this.sources.sessions.running()];
    const kernels: KernelEntry[] = [...this.sources.kernels.running()].map((k) => {
      const own = sessions.filter((s) => s.kernel?.id === k.id);
      const paths = new Set(own.map((s) => s.path));
      return {
        id: k.id,
        name: k.name,
        state: k.execution_state ?? 'unknown',
        sessions: own
          .map((s) => ({ id: s.id, path: s.path, type: s.type, name: s.name }))
          .sort((a, b) => compareNames(a.path, b.path)),
        tabs: tabs.filter((t) => t.sharedSessionPath !== undefined && paths.has(t.sharedSessionPath))
      };
    });
    kernels.sort((a, b) => compareNames(a.name, b.name) || compareNames(a.id, b.id));
    const terminals: TerminalEntry[] = [...(this.sources.terminals?.running() ?? [])]
      .map((t) => ({ name: t.name, tabId: tabIds.has(this.terminalTabId(t.name)) ? this.terminalTabId(t.name) : null }))
      .sort((a, b) => compareNames(a.name, b.name));
    return { kernels, terminals, tabs };
  }

  dispose(): void {
    const { kernels, sessions, terminals } = this.sources;
    kernels.runningChanged.disconnect(this.onChange, this);
    sessions.runningChanged.disconnect(this.onChange, this);
    terminals?.runningChanged.disconnect(this.onChange, this);
    this.tabsSub?.dispose();
    this._changed.clear();
  }
}
