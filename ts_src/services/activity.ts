/**
 * Which of the app's requests are background polling, so that they do not count
 * as the user's activity.
 *
 * jupyter_server records the time of the last authenticated API request
 * (`last_activity` in `GET /api/status`), and JupyterHub's single-user server reports
 * it to the hub, whose idle culler stops servers idle for long enough. A request
 * whose query has `no_track_activity` is not recorded (jupyter_server:
 * base/handlers.py, `APIHandler.update_api_activity`). The app polls the kernel,
 * session, kernelspec and terminal listings, reads settings and extension listings
 * at start, re-lists the file browser's folder, checks open files on disk (a model
 * without content) and asks the execution journal: none of that is the user working,
 * so an open but unused tab would otherwise keep a server alive for ever. Opening,
 * saving, running, renaming... stay tracked.
 */

import { serverRequestUrl } from './request-url';

/** The query parameter jupyter_server reads (any value). */
export const NO_TRACK_ACTIVITY = 'no_track_activity';

/**
 * Whether a request is background polling by its method and URL alone: a GET or
 * HEAD of a listing or model the app refreshes on a timer or at start.
 *
 * @param method HTTP method (any case).
 * @param url Absolute URL of the request.
 * @param baseUrl The server's base URL path (`/user/ana/`), leading and trailing `/`.
 */
export function isBackgroundRequest(method: string, url: string, baseUrl: string): boolean {
  const m = method.toUpperCase();
  if (m !== 'GET' && m !== 'HEAD') return false;
  const at = serverRequestUrl(url, baseUrl);
  if (!at) return false;
  const { path: rest, query } = at;
  return (
    /^api\/(kernels|sessions|terminals)(\/[^/]+)?\/?$/.test(rest) ||
    /^api\/kernelspecs\/?$/.test(rest) ||
    /^jlab-alt\/api\/(settings\/.+|settings-schemas|extensions|journal)$/.test(rest) ||
    // An open document's check of its file on disk (model only, every few seconds).
    (/^api\/contents(\/.*)?$/.test(rest) && query.get('content') === '0')
  );
}

/** `url` with `no_track_activity=1` added to its query (kept if already there). */
export function withNoTrackActivity(url: string): string {
  const parsed = new URL(url, 'http://host');
  if (parsed.searchParams.has(NO_TRACK_ACTIVITY)) return url;
  parsed.searchParams.set(NO_TRACK_ACTIVITY, '1');
  return /^[a-z][a-z0-9+.-]*:/i.test(url) ? parsed.href : parsed.pathname + parsed.search + parsed.hash;
}

/**
 * A `fetch` for `ServerConnection` settings that marks requests as not activity:
 * every GET/HEAD when `all` (the settings used only for polling), else those
 * {@link isBackgroundRequest} recognises.
 */
export function activityAwareFetch(
  baseUrl: string,
  options: { all?: boolean; fetch?: typeof fetch } = {}
): typeof fetch {
  const inner = options.fetch ?? ((input, init) => fetch(input, init));
  return (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : null;
    const url = request ? request.url : String(input);
    const method = init?.method ?? request?.method ?? 'GET';
    const untracked = options.all ? ['GET', 'HEAD'].includes(method.toUpperCase()) : isBackgroundRequest(method, url, baseUrl);
    if (!untracked) return inner(input, init);
    const marked = withNoTrackActivity(url);
    return inner(request ? new Request(marked, request) : marked, init);
  };
}
