// By module path, not the package index (see lab-services-root.ts).
import { ContentsManager } from '@jupyterlab/services/lib/contents';
import { KernelManager } from '@jupyterlab/services/lib/kernel/manager';
import { KernelSpecManager } from '@jupyterlab/services/lib/kernelspec/manager';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { SessionManager } from '@jupyterlab/services/lib/session/manager';
import { TerminalManager } from '@jupyterlab/services/lib/terminal/manager';
import type { PageConfig } from '../core/pageconfig';
import { activityAwareFetch } from './activity';
import { type JsonParser, offThreadJsonFetch, workerJsonParser } from './offthread-json';

/**
 * Connection settings for the host's REST and WebSocket APIs, from the page config.
 * No token: the browser is authenticated by jupyter_server's login cookie, and
 * `ServerConnection.makeRequest` sends the `_xsrf` cookie as `X-XSRFToken` on every
 * method (which JupyterHub >= 4.1 requires). Background polling is marked as not
 * the user's activity (see `./activity.ts`); with `polling`, every GET is. Big
 * contents responses are parsed in a worker (see `./offthread-json.ts`).
 */
export function makeServerSettings(
  config: PageConfig,
  loc: Location = window.location,
  polling = false
): ServerConnection.ISettings {
  const origin = loc.origin;
  const wsOrigin = origin.replace(/^http/, 'ws');
  return ServerConnection.makeSettings({
    baseUrl: origin + config.baseUrl,
    appUrl: config.appUrl,
    wsUrl: wsOrigin + config.baseUrl,
    token: '',
    appendToken: false,
    fetch: polling
      ? activityAwareFetch(config.baseUrl, { all: true })
      : offThreadJsonFetch(activityAwareFetch(config.baseUrl), config.baseUrl, pageJsonParser()),
    ...(config.remoteKernels ? { WebSocket: LegacyProtocolWebSocket } : {})
  });
}

let jsonParser: JsonParser | null = null;

/** The page's one worker-backed parser, shared by every settings object. */
function pageJsonParser(): JsonParser {
  return (jsonParser ??= workerJsonParser(
    () => new Worker(new URL('./json-worker.ts', import.meta.url), { type: 'module', name: 'jlab-alt-json' })
  ));
}

/**
 * A WebSocket that asks for no subprotocol. jupyter_server's gateway mode relays
 * kernel WebSockets without the `v1.kernel.websocket.jupyter.org` subprotocol, so a
 * browser asking for it fails the handshake ("Sent non-empty Sec-WebSocket-Protocol
 * header but no response was received") and the first connection is lost; with no
 * subprotocol `@jupyterlab/services` uses the default JSON/binary message format,
 * which the gateway relay supports.
 */
class LegacyProtocolWebSocket extends WebSocket {
  constructor(url: string | URL, _protocols?: string | string[]) {
    super(url);
  }
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
  private _pollContents?: ContentsManager;

  /**
   * @param pollSettings Settings for requests made on a timer (the file browser's
   *   re-listing), which must not count as the user's activity; default `serverSettings`.
   */
  constructor(
    readonly serverSettings: ServerConnection.ISettings,
    readonly pollSettings: ServerConnection.ISettings = serverSettings
  ) {}

  /** A contents service for polling only: its reads are not the user's activity. */
  get pollContents(): ContentsManager {
    return (this._pollContents ??= new ContentsManager({ serverSettings: this.pollSettings }));
  }

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
    for (const m of [this._contents, this._pollContents, this._kernelspecs, this._sessions, this._kernels, this._terminals]) {
      m?.dispose();
    }
  }
}
