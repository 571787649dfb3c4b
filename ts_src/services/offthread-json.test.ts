import { afterEach, describe, expect, it, vi } from 'vitest';
import { isContentsRead, offThreadJsonFetch, workerJsonParser } from './offthread-json';

const BASE = '/user/ana/';
const O = 'http://127.0.0.1:8000';
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;

describe('isContentsRead', () => {
  it('is a GET of a model with its content', () => {
    expect(isContentsRead('GET', `${O}${BASE}api/contents/a%20b.ipynb?type=notebook&content=1`, BASE)).toBe(true);
    expect(isContentsRead('get', `${O}${BASE}api/contents/dir/x.txt`, BASE)).toBe(true);
    expect(isContentsRead('GET', `${O}${BASE}api/contents/a.ipynb?content=0`, BASE)).toBe(false);
    expect(isContentsRead('PUT', `${O}${BASE}api/contents/a.ipynb`, BASE)).toBe(false);
    expect(isContentsRead('GET', `${O}${BASE}api/kernels`, BASE)).toBe(false);
    expect(isContentsRead('GET', `${O}/user/bob/api/contents/a.ipynb`, BASE)).toBe(false);
  });
});

describe('offThreadJsonFetch', () => {
  const url = `${O}${BASE}api/contents/big.ipynb?content=1`;
  const serve = (body: string, status = 200) => (async () => new Response(body, { status })) as typeof fetch;

  it('hands big bodies to the parser and parses small ones in place', async () => {
    const parse = vi.fn(async (_body: ArrayBuffer) => ({ from: 'worker' }));
    const big = JSON.stringify({ text: 'x'.repeat(100) });
    const f = offThreadJsonFetch(serve(big), BASE, parse, 64);
    expect(await (await f(new Request(url))).json()).toEqual({ from: 'worker' });
    expect(parse).toHaveBeenCalledTimes(1);
    expect(new TextDecoder().decode(parse.mock.calls[0]![0])).toBe(big);

    const small = offThreadJsonFetch(serve('{"a":1}'), BASE, parse, 64);
    expect(await (await small(url)).json()).toEqual({ a: 1 });
    expect(parse).toHaveBeenCalledTimes(1);
  });

  it('leaves other requests, errors and text() alone', async () => {
    const parse = vi.fn(async () => 'never');
    const body = JSON.stringify({ message: 'No such file', pad: 'y'.repeat(100) });
    const f = offThreadJsonFetch(serve(body, 404), BASE, parse, 1);
    expect(await (await f(url)).json()).toEqual(JSON.parse(body));
    const other = offThreadJsonFetch(serve(body), BASE, parse, 1);
    expect(await (await other(`${O}${BASE}api/sessions`)).json()).toEqual(JSON.parse(body));
    expect(await (await other(url)).text()).toBe(body);
    expect(parse).not.toHaveBeenCalled();
  });

  it('rejects a body that is not JSON with a SyntaxError, as Response.json() does', async () => {
    const f = offThreadJsonFetch(serve('{"a":'), BASE, async () => 'never', 1 << 20);
    await expect((await f(url)).json()).rejects.toBeInstanceOf(SyntaxError);
  });
});

/** A stand-in for `new Worker(json-worker.ts)` that runs the same protocol in this thread. */
class FakeWorker {
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  received: unknown[] = [];
  transferred: Transferable[][] = [];
  post(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }
  fail(message: string): void {
    this.onerror?.({ message, preventDefault() {} } as ErrorEvent);
  }
  postMessage(message: { id: number; body: ArrayBuffer }, transfer: Transferable[]): void {
    this.received.push(message);
    this.transferred.push(transfer);
  }
  answer(index = this.received.length - 1): void {
    const { id, body } = this.received[index] as { id: number; body: ArrayBuffer };
    try {
      this.post({ id, value: JSON.parse(new TextDecoder().decode(body)) });
    } catch (err) {
      this.post({ id, error: (err as Error).message });
    }
  }
  terminate(): void {
    this.terminated = true;
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('workerJsonParser', () => {
  afterEach(() => vi.useRealTimers());

  it('sends a body only once the worker is ready, transferred, and resolves its value', async () => {
    const w = new FakeWorker();
    const parse = workerJsonParser(() => w as unknown as Worker);
    const body = bytes({ cells: [1, 2] });
    const result = parse(body);
    await flush();
    expect(w.received).toHaveLength(0);
    w.post({ ready: true });
    await flush();
    expect(w.transferred[0]).toEqual([body]);
    w.answer();
    expect(await result).toEqual({ cells: [1, 2] });
  });

  it('answers each of several parses in flight', async () => {
    const w = new FakeWorker();
    const parse = workerJsonParser(() => w as unknown as Worker);
    const a = parse(bytes('a'));
    const b = parse(bytes('b'));
    w.post({ ready: true });
    await flush();
    w.answer(1);
    w.answer(0);
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
  });

  it('rejects a body that is not JSON with a SyntaxError', async () => {
    const w = new FakeWorker();
    const parse = workerJsonParser(() => w as unknown as Worker);
    const result = parse(new TextEncoder().encode('{"a":').buffer as ArrayBuffer);
    w.post({ ready: true });
    await flush();
    w.answer();
    await expect(result).rejects.toBeInstanceOf(SyntaxError);
  });

  it('parses in place when no worker can start, losing nothing', async () => {
    const refused = workerJsonParser(() => {
      throw new DOMException('worker-src', 'SecurityError');
    });
    expect(await refused(bytes({ ok: 1 }))).toEqual({ ok: 1 });

    const w = new FakeWorker();
    let made = 0;
    const parse = workerJsonParser(() => (made++, w as unknown as Worker));
    const result = parse(bytes({ ok: 2 }));
    w.fail('404 loading the script');
    expect(await result).toEqual({ ok: 2 });
    expect(await parse(bytes({ ok: 3 }))).toEqual({ ok: 3 });
    expect(made).toBe(1);
  });

  it('fails the parses of a worker that dies at work, and starts a new one after', async () => {
    const workers: FakeWorker[] = [];
    const parse = workerJsonParser(() => {
      workers.push(new FakeWorker());
      return workers[workers.length - 1] as unknown as Worker;
    });
    const lost = parse(bytes(1));
    workers[0].post({ ready: true });
    await flush();
    workers[0].fail('Out of memory');
    await expect(lost).rejects.toThrow(/Out of memory/);
    expect(workers[0].terminated).toBe(true);
    const next = parse(bytes(2));
    workers[1].post({ ready: true });
    await flush();
    workers[1].answer();
    expect(await next).toBe(2);
  });

  it('stops the worker once idle and starts another on the next parse', async () => {
    vi.useFakeTimers();
    const workers: FakeWorker[] = [];
    const parse = workerJsonParser(() => {
      workers.push(new FakeWorker());
      return workers[workers.length - 1] as unknown as Worker;
    }, 1000);
    const first = parse(bytes(1));
    workers[0].post({ ready: true });
    await vi.advanceTimersByTimeAsync(0);
    workers[0].answer();
    expect(await first).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(workers[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(workers[0].terminated).toBe(true);
    const second = parse(bytes(2));
    expect(workers).toHaveLength(2);
    workers[1].post({ ready: true });
    await vi.advanceTimersByTimeAsync(0);
    workers[1].answer();
    expect(await second).toBe(2);
  });
});
