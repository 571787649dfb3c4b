import {
  ContentsManager,
  KernelManager,
  KernelSpecManager,
  ServerConnection,
  SessionManager,
  TerminalManager
} from '@jupyterlab/services';
import type { PageConfig } from '../core/pageconfig';

/**
 * Connection settings for the host's REST and WebSocket APIs, from the page config.
 * No token: the browser is authenticated by jupyter_server's login cookie, and
 * `ServerConnection.makeRequest` sends the `_xsrf` cookie as `X-XSRFToken`.
 */
export function makeServerSettings(config: PageConfig, loc: Location = window.location): ServerConnection.ISettings {
  const origin = loc.origin;
  const wsOrigin = origin.replace(/^http/, 'ws');
  return ServerConnection.makeSettings({
    baseUrl: origin + config.baseUrl,
    appUrl: config.appUrl,
    wsUrl: wsOrigin + config.baseUrl,
    token: '',
    appendToken: false
  });
}

/**
 * The host's services (contents, kernelspecs, kernels, sessions, terminals), each
 * created on first use so the first paint pays only for what it needs. One instance
 * per app; views reach them only through models.
 */
export class ServiceConnections {
  private _contents?: ContentsManager;
  private _kernelspecs?: KernelSpecManager;
  private _kernels?: KernelManager;
  private _sessions?: SessionManager;
  private _terminals?: TerminalManager;

  constructor(readonly serverSettings: ServerConnection.ISettings) {}

  get contents(): ContentsManager {
    return (this._contents ??= new ContentsManager({ serverSettings: this.serverSettings }));
  }

  get kernelspecs(): KernelSpecManager {
    return (this._kernelspecs ??= new KernelSpecManager({ serverSettings: this.serverSettings }));
  }

  get kernels(): KernelManager {
    return (this._kernels ??= new KernelManager({ serverSettings: this.serverSettings }));
  }

  get sessions(): SessionManager {
    return (this._sessions ??= new SessionManager({
      serverSettings: this.serverSettings,
      kernelManager: this.kernels
    }));
  }

  get terminals(): TerminalManager {
    return (this._terminals ??= new TerminalManager({ serverSettings: this.serverSettings }));
  }

  /** Stop polling and close connections. */
  dispose(): void {
    for (const m of [this._contents, this._kernelspecs, this._sessions, this._kernels, this._terminals]) {
      m?.dispose();
    }
  }
}
