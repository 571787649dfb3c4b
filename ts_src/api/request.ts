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

/**
 * `fetch` a URL of the app's server, relative to `<baseUrl>jlab-alt/` (so
 * `'ext/my_ext/hello'` or `'api/extensions'`), with the login cookie and, for
 * mutating methods, the XSRF header jupyter_server requires.
 */
export function makeRequest(app: HasPageConfig, path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(`${app.config.baseUrl}jlab-alt/${path.replace(/^\//, '')}`, window.location.origin);
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method)) headers.set('X-XSRFToken', xsrfToken());
  if (init.body && !headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
  return fetch(url, { ...init, headers, credentials: 'same-origin' });
}

/**
 * Like {@link makeRequest}, parsing the JSON answer.
 * @throws RequestError for an error status (its message is the server's `message`, if any).
 */
export async function requestJSON<T = any>(app: HasPageConfig, path: string, init: RequestInit = {}): Promise<T> {
  const response = await makeRequest(app, path, init);
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
