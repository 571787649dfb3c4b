/**
 * Reading a request's URL against the server's base URL, for the `fetch` wrappers of the
 * `ServerConnection` settings that treat some of the host's endpoints apart (activity
 * tracking, off-thread parsing).
 */

/** A request URL seen from the server: the path below its base URL and the query. */
export interface ServerRequestUrl {
  /** The path after the base URL, without a leading `/` (`api/contents/a.ipynb`). */
  path: string;
  query: URLSearchParams;
}

/**
 * Where `url` points below `baseUrl`, or null when it does not parse or lies outside it
 * (another app under the same origin, another user's server behind the same hub).
 *
 * @param url Absolute URL of the request (a relative one is read against a dummy origin).
 * @param baseUrl The server's base URL path (`/user/ana/`), leading and trailing `/`.
 */
export function serverRequestUrl(url: string, baseUrl: string): ServerRequestUrl | null {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://host');
  } catch {
    return null;
  }
  if (!parsed.pathname.startsWith(baseUrl)) return null;
  return { path: parsed.pathname.slice(baseUrl.length), query: parsed.searchParams };
}
