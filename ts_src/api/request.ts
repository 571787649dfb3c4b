import { isBackgroundRequest, NO_TRACK_ACTIVITY } from '../services/activity';

/** The part of the app a request helper needs: where the server is. */
export interface HasPageConfig {
  config: { baseUrl: string };
}

/** Raised by {@link requestJSON} for an HTTP error status. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

function xsrfToken(): string {
  const match = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/);
  return match ? decodeURIComponent(match[1]!) : '';
}

/** What {@link makeRequest} and {@link requestJSON} take: `fetch`'s options, and one of their own. */
export interface RequestOptions extends RequestInit {
  /**
   * True for a request no person asked for at that moment: a poll, a refresh on a
   * timer or on an event of the app. It is sent with `no_track_activity=1`, so
   * jupyter_server leaves `last_activity` (`GET /api/status`) alone, as for the app's own
   * polling (services/activity.ts): JupyterHub's idle culler reads that time, and a
   * tab left open must not keep a server running for ever. False by default (counted
   * as the person's activity), except for the core listings the app itself polls.
   */
  background?: boolean;
}

/**
 * `fetch` a URL of the app's server, relative to `<baseUrl>jlab-alt/` (so
 * `'ext/my_ext/hello'` or `'api/extensions'`), with the login cookie and the
 * `_xsrf` cookie's value as `X-XSRFToken` on every method, GET included:
 * jupyter_server checks it on mutating methods, and JupyterHub >= 4.1 treats a
 * cookie-authenticated request without it as anonymous (jupyterhub/_xsrf_utils.py),
 * as `@jupyterlab/services` does. A body without a `Content-Type` is sent as JSON.
 * Pass `background: true` for polling (see {@link RequestOptions.background}).
 */
export function makeRequest(app: HasPageConfig, path: string, options: RequestOptions = {}): Promise<Response> {
  const { background, ...init } = options;
  const url = new URL(`${app.config.baseUrl}jlab-alt/${path.replace(/^\//, '')}`, window.location.origin);
  const method = init.method ?? 'GET';
  if (background || isBackgroundRequest(method, url.href, app.config.baseUrl)) url.searchParams.set(NO_TRACK_ACTIVITY, '1');
  const headers = new Headers(init.headers);
  const token = xsrfToken();
  if (token) headers.set('X-XSRFToken', token);
  if (init.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  return fetch(url, { ...init, headers, credentials: 'same-origin' });
}

/**
 * Like {@link makeRequest}, parsing the JSON answer.
 * @throws RequestError for an error status (its message is the server's `message`, if any).
 */
export async function requestJSON<T = any>(app: HasPageConfig, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await makeRequest(app, path, options);
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new RequestError(response.status, `${response.status} ${response.statusText}: ${message}`);
  }
  return (text ? JSON.parse(text) : null) as T;
}
