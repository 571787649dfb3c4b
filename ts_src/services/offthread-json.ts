/**
 * Parsing big contents responses off the main thread.
 *
 * Opening a notebook with a 20 MB output made `response.json()` one ~95 ms main-thread
 * task (UTF-8 decoding plus `JSON.parse` of 22 MB): the page froze while it loaded.
 * Here the body is read as bytes (no main-thread work to speak of), handed to a worker
 * (transferred, not copied) that decodes and parses it, and the value comes back by
 * structured clone, which for a notebook's few big strings costs the page ~5-10 ms.
 * Small bodies are parsed in place: for them the round trip costs more than it saves.
 *
 * This sits in the `fetch` of the `ServerConnection` settings, so `@jupyterlab/services`
 * (URLs, headers, errors, validation of the model) is used unchanged: only the
 * `json()` of the responses it reads changes.
 */

import { serverRequestUrl } from './request-url';

/** Bodies of at least this many bytes (decoded from any Content-Encoding) go to the worker. */
export const OFF_THREAD_MIN_BYTES = 1 << 20;

/** Parse a JSON body; rejects with a SyntaxError (or Error) as `Response.json()` does. */
export type JsonParser = (body: ArrayBuffer) => Promise<unknown>;

/** Parse in place: the same work `Response.json()` does. */
export function parseHere(body: ArrayBuffer): Promise<unknown> {
  try {
    return Promise.resolve(JSON.parse(new TextDecoder().decode(body)));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Whether a request reads a file's model with its content from the Contents API
 * (`GET <base>api/contents/<path>`, not `content=0`): the only responses that can be
 * megabytes of JSON.
 */
export function isContentsRead(method: string, url: string, baseUrl: string): boolean {
  if (method.toUpperCase() !== 'GET') return false;
  const at = serverRequestUrl(url, baseUrl);
  return at !== null && at.path.startsWith('api/contents/') && at.query.get('content') !== '0';
}

/**
 * A `fetch` whose Contents API reads answer `json()` with `parse` (a worker, see
 * {@link workerJsonParser}) when the body is at least `minBytes` long. Other requests,
 * and responses that are not 2xx, are returned untouched.
 *
 * The new `json()` rejects as `Response.json()` does: with a SyntaxError for a body that
 * is not JSON (so `@jupyterlab/services` reports it the same way), and with an Error
 * naming the worker when the worker dies while parsing (the next read starts a new one).
 *
 * @param baseUrl The server's base URL path (`/user/ana/`), leading and trailing `/`.
 */
export function offThreadJsonFetch(
  inner: typeof fetch,
  baseUrl: string,
  parse: JsonParser,
  minBytes = OFF_THREAD_MIN_BYTES
): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await inner(input, init);
    const request = input instanceof Request ? input : null;
    const method = init?.method ?? request?.method ?? 'GET';
    if (!response.ok || !isContentsRead(method, request ? request.url : String(input), baseUrl)) return response;
    // The body stays the response's own (text(), arrayBuffer() work as before); only json() changes.
    Object.defineProperty(response, 'json', {
      configurable: true,
      value: async () => {
        const body = await response.arrayBuffer();
        return body.byteLength >= minBytes ? parse(body) : parseHere(body);
      }
    });
    return response;
  };
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/**
 * A {@link JsonParser} backed by one worker (`./json-worker.ts`), started on first use
 * and stopped after `idleMs` without work, so an idle page holds no second JS heap.
 *
 * A body is sent only once the worker has said it is ready: a worker that cannot
 * start (a Content-Security-Policy without `worker-src 'self'`, a failed load) makes
 * the parse happen in place instead, with nothing lost. A worker that dies while
 * parsing (out of memory) rejects the parses it held with an Error saying so.
 *
 * @param makeWorker Creates the worker; may throw (e.g. SecurityError under a strict CSP).
 */
export function workerJsonParser(makeWorker: () => Worker, idleMs = 30_000): JsonParser {
  let worker: Worker | null = null;
  let ready: Promise<boolean> | null = null;
  let broken = false;
  let nextId = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, Pending>();

  const stop = (reason: string | null): void => {
    worker?.terminate();
    worker = null;
    ready = null;
    for (const p of pending.values()) p.reject(new Error(reason ?? 'The JSON worker stopped'));
    pending.clear();
  };

  const start = (): Promise<boolean> => {
    if (ready) return ready;
    let w: Worker;
    try {
      w = makeWorker();
    } catch {
      broken = true;
      return Promise.resolve(false);
    }
    worker = w;
    let started = false;
    ready = new Promise<boolean>((resolve) => {
      w.onmessage = ({ data }: MessageEvent) => {
        if (data?.ready) {
          started = true;
          return resolve(true);
        }
        const p = pending.get(data.id);
        if (!p) return;
        pending.delete(data.id);
        if ('error' in data) p.reject(new SyntaxError(data.error));
        else p.resolve(data.value);
        if (pending.size === 0) idleTimer = setTimeout(() => stop(null), idleMs);
      };
      w.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        // It never started: parse in place from now on. It died at work: the parses it
        // held fail, and the next one starts a new worker.
        if (!started) broken = true;
        resolve(false);
        if (worker === w) stop(`Parsing the file's contents failed: ${event.message || 'the worker stopped'}`);
      };
    });
    return ready;
  };

  return async (body) => {
    if (broken || !(await start()) || !worker) return parseHere(body);
    clearTimeout(idleTimer);
    const id = nextId++;
    const w = worker;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, body }, [body]);
    });
  };
}
