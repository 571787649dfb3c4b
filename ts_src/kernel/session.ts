import * as SessionAPI from '@jupyterlab/services/lib/session/restapi';
import type { Kernel, KernelMessage, KernelSpec, Session, SessionManager } from '@jupyterlab/services';
import { Emitter } from '../core/emitter';

/**
 * The kernel status shown to people. `'no-kernel'` means the notebook has no session
 * (none chosen, or its kernelspec is not installed); the others are the messaging
 * protocol's execution states plus the connection's `disconnected`.
 */
export type KernelStatus =
  | 'no-kernel'
  | 'starting'
  | 'idle'
  | 'busy'
  | 'restarting'
  | 'autorestarting'
  | 'dead'
  | 'disconnected'
  | 'unknown';

/** The words shown for each status (status bar, console header), e.g. "Busy". */
export const KERNEL_STATUS_LABELS: Readonly<Record<KernelStatus, string>> = {
  'no-kernel': 'No Kernel',
  starting: 'Starting',
  idle: 'Idle',
  busy: 'Busy',
  restarting: 'Restarting',
  autorestarting: 'Restarting',
  dead: 'Dead',
  disconnected: 'Disconnected',
  unknown: 'Unknown'
};

/** A kernelspec to start, as in the notebook's `metadata.kernelspec`. */
export interface KernelChoice {
  name: string;
  display_name: string;
  language?: string;
}

/**
 * How a lost connection ended: `'rejoined'` the notebook's session again (same
 * kernel, variables kept), or `'gone'` when the server answers but no longer has a
 * session for the notebook (it was restarted, or the session was shut down).
 */
export type Reconnection = 'rejoined' | 'gone';

/** How long a connected kernel's status may stay unknown before it is asked, in ms. */
const STATUS_PROBE_MS = 1000;

/**
 * What a {@link KernelSession} is for, as jupyter_server records it: `type` is
 * `'notebook'` for a notebook and `'console'` for a code console (the session
 * model's `type`, as JupyterLab sets it); `path` identifies the session (a document's
 * path, or a console's unique synthetic path such as `dir/console-1-<uuid>`; the
 * kernel starts in its folder); `name` is shown in lists of running sessions
 * (default: the path's last segment).
 */
export interface KernelSessionOptions {
  type: string;
  path: string;
  name?: string;
}

/** How long one kernel_info request after a restart may take before it is sent again, and how many are sent. */
const RESTART_INFO = { timeoutMs: 2000, attempts: 15 };

/** Resolves once `kernel` answers a kernel_info request (sent again after each timeout), or after the last attempt. */
async function untilAnswered(kernel: Kernel.IKernelConnection): Promise<void> {
  for (let i = 0; i < RESTART_INFO.attempts && !kernel.isDisposed; i++) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = await Promise.race([
      kernel.requestKernelInfo().then(
        () => true,
        // Not connected yet: wait like a lost request, then ask again.
        () => new Promise<boolean>((resolve) => setTimeout(() => resolve(false), RESTART_INFO.timeoutMs))
      ),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), RESTART_INFO.timeoutMs)))
    ]);
    clearTimeout(timer);
    if (answered) return;
  }
}

/** First and longest wait between checks of an unreachable server, in ms. */
const SERVER_CHECK_MS = { first: 500, max: 8000 };

/**
 * A document's link to its kernel through a jupyter_server session (one session per
 * path, shared by every browser tab on the same notebook; a console has its own
 * unique path, so it never joins a notebook's session by accident).
 *
 * When the kernel's WebSocket is lost for good (the services' own reconnection
 * gave up, or the server closed it while shutting down), the session checks the
 * server with a growing delay until it answers, then rejoins the notebook's session
 * or reports {@link Reconnection} `'gone'` so the panel can start a new kernel.
 */
export class KernelSession {
  private session: Session.ISessionConnection | null = null;
  private _status: KernelStatus = 'no-kernel';
  private readonly _statusChanged = new Emitter<KernelStatus>();
  private readonly _kernelChanged = new Emitter<Kernel.IKernelConnection | null>();
  private readonly _iopub = new Emitter<KernelMessage.IIOPubMessage>();
  private readonly _reconnected = new Emitter<Reconnection>();
  private serverCheck: ReturnType<typeof setTimeout> | null = null;
  private statusProbe: ReturnType<typeof setTimeout> | null = null;
  private disposed = false;
  /** Fires when the status changes. */
  readonly statusChanged = this._statusChanged.event;
  /** Fires when another kernel is connected (start, change, shut down). */
  readonly kernelChanged = this._kernelChanged.event;
  /** Every iopub message of the kernel (including other clients' executions). */
  readonly iopubMessage = this._iopub.event;
  /** Fires when the server is reachable again after the connection was lost. */
  readonly reconnected = this._reconnected.event;
  private _path: string;
  /** The session's `type` (`'notebook'`, `'console'`). */
  readonly type: string;
  private readonly name: string | undefined;

  constructor(
    private readonly sessions: SessionManager,
    private readonly kernelspecs: KernelSpec.IManager,
    options: KernelSessionOptions
  ) {
    this._path = options.path;
    this.type = options.type;
    this.name = options.name;
  }

  /** The session's path (see {@link KernelSessionOptions.path}). */
  get path(): string {
    return this._path;
  }

  get status(): KernelStatus {
    return this._status;
  }

  get kernel(): Kernel.IKernelConnection | null {
    return this.session?.kernel ?? null;
  }

  /** The running kernel's display name, or "No Kernel". */
  get kernelDisplayName(): string {
    const name = this.kernel?.name;
    if (!name) return 'No Kernel';
    return this.kernelspecs.specs?.kernelspecs[name]?.display_name ?? name;
  }

  /** The installed kernelspecs (after `kernelspecs.ready`). */
  async availableKernels(): Promise<KernelChoice[]> {
    await this.kernelspecs.ready;
    const specs = this.kernelspecs.specs?.kernelspecs ?? {};
    return Object.values(specs)
      .filter((s): s is KernelSpec.ISpecModel => !!s)
      .map((s) => ({ name: s.name, display_name: s.display_name, language: s.language }));
  }

  /**
   * Join the existing session of this path and type, or start one with `preferred`'s
   * kernel. Resolves false, leaving status `'no-kernel'`, when `preferred` is not
   * installed (the caller offers a kernel picker).
   * @throws The services' errors when the server refuses to start the session.
   */
  async start(preferred: KernelChoice | null): Promise<boolean> {
    const existing = await this.sessions.findByPath(this._path);
    // Only a session of the same type: a console must never take over a notebook's kernel.
    if (existing && (existing.type || 'notebook') === this.type) {
      this.attach(this.sessions.connectTo({ model: existing }));
      return true;
    }
    if (!preferred) return false;
    const available = await this.availableKernels();
    if (!available.some((k) => k.name === preferred.name)) return false;
    this.setStatus('starting');
    const session = await this.sessions.startNew({
      path: this._path,
      type: this.type,
      name: this.name ?? this._path.split('/').pop() ?? this._path,
      kernel: { name: preferred.name }
    });
    this.attach(session);
    return true;
  }

  /** Start (or switch to) kernel `name`; starts a session when there is none. */
  async changeKernel(choice: KernelChoice): Promise<void> {
    if (!this.session) {
      await this.start(choice);
      return;
    }
    this.setStatus('starting');
    await this.session.changeKernel({ name: choice.name });
  }

  /** Interrupt the kernel (the REST interrupt endpoint). */
  async interrupt(): Promise<void> {
    await this.kernel?.interrupt();
  }

  /** Restart the kernel; its execution count starts again at 1. */
  async restart(): Promise<void> {
    const kernel = this.kernel;
    if (!kernel) return;
    this.setStatus('restarting');
    this.holdStatus = true;
    try {
      await kernel.restart();
      // Through a gateway, messages sent right after a restart can reach the new
      // kernel before it listens and be lost (an execution would never end): show
      // the kernel as ready only once it has answered a kernel_info request.
      await untilAnswered(kernel);
    } finally {
      this.holdStatus = false;
      this.setStatus((kernel.status as KernelStatus) ?? 'unknown');
    }
  }

  /** Shut the session and its kernel down. */
  async shutdown(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.detach();
    await session.shutdown();
    this.setStatus('no-kernel');
    this._kernelChanged.emit(null);
  }

  /** Keep the session's path in step with the document's (after a rename). */
  async setPath(path: string): Promise<void> {
    this._path = path;
    await this.session?.setPath(path);
  }

  /**
   * The kernel was found lost by a check outside its WebSocket (a remote kernel's
   * gateway stopped answering, see `gateway/liveness.ts`): show it as dead.
   */
  markLost(): void {
    if (!this.session || this.disposed) return;
    this.setStatus('dead');
  }

  /**
   * Ask the server for the notebook's session now: rejoin its kernel when the server
   * still has it, else report {@link Reconnection} `'gone'` (the panel starts a new one).
   */
  recheck(): void {
    this.checkServer();
  }

  /** Disconnect without shutting the kernel down (the tab was closed). */
  dispose(): void {
    this.disposed = true;
    this.stopServerCheck();
    if (this.statusProbe !== null) clearTimeout(this.statusProbe);
    this.statusProbe = null;
    this.detach();
    this._statusChanged.clear();
    this._kernelChanged.clear();
    this._iopub.clear();
  }

  /** While a restart settles, the status stays "restarting" (see {@link restart}). */
  private holdStatus = false;
  private readonly onStatus = (_: unknown, status: Kernel.Status) => {
    if (!this.holdStatus) this.setStatus(status as KernelStatus);
  };
  private readonly onConnection = (_: unknown, status: Kernel.ConnectionStatus) => {
    if (status === 'disconnected') {
      this.setStatus('disconnected');
      this.checkServer();
    }
    else if (status === 'connecting') this.setStatus(this._status === 'dead' ? 'dead' : 'disconnected');
    else this.setStatus((this.kernel?.status as KernelStatus) ?? 'unknown');
  };
  private readonly onKernel = () => {
    this._kernelChanged.emit(this.kernel);
    this.setStatus((this.kernel?.status as KernelStatus) ?? 'unknown');
  };
  private readonly onIOPub = (_: unknown, msg: KernelMessage.IIOPubMessage) => this._iopub.emit(msg);
  /** The session manager disposes connections of sessions the server no longer lists. */
  private readonly onSessionDisposed = () => {
    this.detach();
    this.setStatus('disconnected');
    this.checkServer();
  };

  /** Check the server with a growing delay until it answers; then rejoin or report the session gone. */
  private checkServer(delay: number = SERVER_CHECK_MS.first): void {
    if (this.disposed || this.serverCheck !== null) return;
    this.serverCheck = setTimeout(async () => {
      let models: Session.IModel[];
      try {
        models = await SessionAPI.listRunning(this.sessions.serverSettings);
      } catch {
        this.serverCheck = null;
        this.checkServer(Math.min(delay * 2, SERVER_CHECK_MS.max));
        return;
      }
      this.serverCheck = null;
      if (this.disposed) return;
      const model = models.find((m) => m.path === this._path);
      const kernel = this.kernel;
      if (model && kernel && !kernel.isDisposed && model.kernel?.id === kernel.id) {
        await kernel.reconnect().catch(() => undefined);
        this._reconnected.emit('rejoined');
      } else if (model) {
        await this.sessions.refreshRunning().catch(() => undefined);
        this.attach(this.sessions.connectTo({ model }));
        this._reconnected.emit('rejoined');
      } else {
        this.detach();
        this.setStatus('no-kernel');
        this._kernelChanged.emit(null);
        this._reconnected.emit('gone');
      }
    }, delay);
  }

  private stopServerCheck(): void {
    if (this.serverCheck !== null) clearTimeout(this.serverCheck);
    this.serverCheck = null;
  }

  private attach(session: Session.ISessionConnection): void {
    this.stopServerCheck();
    this.detach();
    this.session = session;
    session.statusChanged.connect(this.onStatus);
    session.connectionStatusChanged.connect(this.onConnection);
    session.kernelChanged.connect(this.onKernel);
    session.iopubMessage.connect(this.onIOPub);
    session.disposed.connect(this.onSessionDisposed);
    this.onKernel();
  }

  private detach(): void {
    const s = this.session;
    if (!s) return;
    s.statusChanged.disconnect(this.onStatus);
    s.connectionStatusChanged.disconnect(this.onConnection);
    s.kernelChanged.disconnect(this.onKernel);
    s.iopubMessage.disconnect(this.onIOPub);
    s.disposed.disconnect(this.onSessionDisposed);
    s.dispose();
    this.session = null;
  }

  private setStatus(status: KernelStatus): void {
    if (status === this._status) return;
    this._status = status;
    this._statusChanged.emit(status);
    if (status === 'unknown') this.probeStatus();
  }

  /**
   * A connected kernel whose status is unknown (a restart or reconnect whose status
   * messages went by before the connection listened again) would show "Unknown"
   * until its next execution. A kernel_info request makes it publish busy then idle.
   */
  private probeStatus(): void {
    if (this.statusProbe !== null) return;
    this.statusProbe = setTimeout(() => {
      this.statusProbe = null;
      const kernel = this.kernel;
      if (this._status !== 'unknown' || !kernel || kernel.isDisposed || kernel.connectionStatus !== 'connected') return;
      void kernel.requestKernelInfo().catch(() => undefined);
    }, STATUS_PROBE_MS);
  }
}
