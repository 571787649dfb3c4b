import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';

/**
 * The size in bytes of the file at `url` (a kernelspec logo on this server), asking for
 * its first byte only (`Range: bytes=0-0`, RFC 9110 §14): the answer's `Content-Range`
 * (`bytes 0-0/<size>`) or, from a server that ignores ranges, its `Content-Length`, read
 * from the headers before the body is fetched (the request is then aborted). Null when
 * the size cannot be known (an error status, a network error, no such header).
 */
export async function resourceBytes(url: string, settings: ServerConnection.ISettings): Promise<number | null> {
  const abort = new AbortController();
  try {
    const response = await ServerConnection.makeRequest(
      url,
      { headers: { Range: 'bytes=0-0' }, signal: abort.signal },
      settings
    );
    if (response.status === 206) {
      const total = /\/(\d+)\s*$/.exec(response.headers.get('Content-Range') ?? '');
      return total ? Number(total[1]) : null;
    }
    if (!response.ok) return null;
    const length = response.headers.get('Content-Length');
    return length !== null && /^\d+$/.test(length) ? Number(length) : null;
  } catch {
    return null;
  } finally {
    abort.abort();
  }
}
