import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';

/** Bytes of a file read by {@link readFileRange}. */
export interface FileRange {
  /** The bytes `from..to` of the file (fewer at its end). */
  bytes: Uint8Array;
  /** The file's whole size in bytes (from `Content-Range`, or the body's length). */
  total: number;
}

/**
 * Read the bytes `from..to` (inclusive, as in an HTTP `Range: bytes=from-to`, RFC 9110
 * §14.1.2) of a raw file the server serves under `<baseUrl>files/`.
 *
 * Goes through `ServerConnection.makeRequest`, like every call of the services layer, so
 * the request carries the `_xsrf` cookie's value as `X-XSRFToken`: JupyterHub >= 4.1
 * treats a cookie-authenticated GET without it as anonymous and refuses it
 * (jupyterhub/_xsrf_utils.py), which a bare `fetch` of the file did not send.
 * A server that ignores `Range` answers 200 with the whole file; the range is cut from it.
 *
 * @param settings the app's server settings (`app.services.serverSettings`).
 * @param url the file's URL, absolute or relative to the page's origin, under `settings.baseUrl`.
 * @throws ServerConnection.ResponseError for an error status (404, 403, ...);
 *   ServerConnection.NetworkError when the server cannot be reached.
 */
export async function readFileRange(
  settings: ServerConnection.ISettings,
  url: string,
  from: number,
  to: number
): Promise<FileRange> {
  const absolute = new URL(url, settings.baseUrl).href;
  // The default cache, not the services' `no-store`: the URL carries the file's
  // version (`?v=<last_modified>`), so pages read again come from the browser's cache.
  const init: RequestInit = { headers: { Range: `bytes=${from}-${to}` }, cache: 'default' };
  const response = await ServerConnection.makeRequest(absolute, init, settings);
  if (!response.ok) throw new ServerConnection.ResponseError(response);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const range = response.headers.get('Content-Range');
  const total = range ? Number(range.split('/')[1]) : bytes.length;
  if (response.status === 200) return { bytes: bytes.subarray(from, to + 1), total };
  return { bytes, total };
}
