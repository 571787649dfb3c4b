import { Emitter } from '../core/emitter';

/** What a check of the single-user server found. */
export type ServerState = 'running' | 'stopped' | 'unreachable';

/**
 * Classify the answer to `GET <baseUrl>api/status` made with `redirect: 'manual'`.
 *
 * A running server answers 200. When the server is stopped, the proxy no longer
 * routes `/user/<name>/` to it and the hub answers instead: 424 (JupyterHub >= 2) or
 * 503 (older) for API requests, a redirect to its spawn/login pages for others, 404
 * when the user or server is gone. A network error means neither answered.
 */
export function classifyStatus(response: { ok: boolean; status: number; type?: string } | null): ServerState {
  if (!response) return 'unreachable';
  if (response.ok) return 'running';
  if (response.type === 'opaqueredirect' || [302, 404, 424, 502, 503].includes(response.status)) return 'stopped';
  return 'unreachable';
}

/**
 * Watches whether the single-user server still runs. It checks only when told
 * something failed ({@link suspect}), then again with a growing delay while the
 * server stays down, and emits each change of state; the page shows one message
 * with a way to restart the server from the hub instead of retrying blindly.
 */
export class ServerMonitor {
  private _state: ServerState = 'running';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private checking = false;
  private disposed = false;
  private readonly _changed = new Emitter<ServerState>();
  /** Fires when the state changes. */
  readonly changed = this._changed.event;

  /**
   * @param probe Asks the server; resolves with its classified state (never rejects).
   * @param delays First and longest wait between checks while down, in ms.
   */
  constructor(
    private readonly probe: () => Promise<ServerState>,
    private readonly delays = { first: 2000, max: 30_000 }
  ) {}

  get state(): ServerState {
    return this._state;
  }

  /** Something failed (a poll, a WebSocket): check the server now (once, if a check is on its way). */
  suspect(): void {
    if (this.disposed || this.checking) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    void this.check(this.delays.first);
  }

  private async check(nextDelay: number): Promise<void> {
    this.checking = true;
    let state: ServerState;
    try {
      state = await this.probe();
    } finally {
      this.checking = false;
    }
    if (this.disposed) return;
    if (state !== this._state) {
      this._state = state;
      this._changed.emit(state);
    }
    // While down, keep an eye on it so the page notices when it is back.
    if (state !== 'running') {
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.check(Math.min(nextDelay * 2, this.delays.max));
      }, nextDelay);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this._changed.clear();
  }
}

/**
 * A probe of `<baseUrl>api/status` (not counted as activity by jupyter_server), with
 * the login cookie and `X-XSRFToken` (without it JupyterHub >= 4.1 would treat the
 * request as anonymous and redirect), never following redirects.
 */
export function statusProbe(baseUrl: string, doFetch: typeof fetch = (i, o) => fetch(i, o)): () => Promise<ServerState> {
  return async () => {
    const xsrf = /(?:^|;\s*)_xsrf=([^;]*)/.exec(document.cookie)?.[1];
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (xsrf) headers['X-XSRFToken'] = decodeURIComponent(xsrf);
    try {
      const response = await doFetch(`${baseUrl}api/status`, {
        headers,
        credentials: 'same-origin',
        redirect: 'manual',
        cache: 'no-store'
      });
      return classifyStatus(response);
    } catch {
      return classifyStatus(null);
    }
  };
}
