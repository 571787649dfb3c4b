// @vitest-environment jsdom
import { ServerConnection } from '@jupyterlab/services';
import { afterEach, describe, expect, it } from 'vitest';
import { readFileRange } from './files';

const BASE = 'http://localhost:8888/user/ada/';

/** Server settings whose fetch records the request and answers with `respond`. */
function settingsWith(respond: (request: Request) => Response): { settings: ServerConnection.ISettings; seen: Request[] } {
  const seen: Request[] = [];
  const settings = ServerConnection.makeSettings({
    baseUrl: BASE,
    wsUrl: 'ws://localhost:8888/user/ada/',
    token: '',
    appendToken: false,
    fetch: (input: RequestInfo | URL) => {
      const request = input as Request;
      seen.push(request);
      return Promise.resolve(respond(request));
    }
  });
  return { settings, seen };
}

afterEach(() => {
  document.cookie = '_xsrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
});

describe('readFileRange', () => {
  it('sends the Range and the _xsrf cookie as X-XSRFToken (JupyterHub refuses a GET without it)', async () => {
    document.cookie = '_xsrf=2|abc|def';
    const { settings, seen } = settingsWith(
      () => new Response(new Uint8Array([104, 105]), { status: 206, headers: { 'Content-Range': 'bytes 10-11/500' } })
    );
    const range = await readFileRange(settings, '/user/ada/files/data/big.csv?v=1', 10, 11);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe(`${BASE}files/data/big.csv?v=1`);
    expect(seen[0]!.headers.get('Range')).toBe('bytes=10-11');
    expect(seen[0]!.headers.get('X-XSRFToken')).toBe('2|abc|def');
    expect([...range.bytes]).toEqual([104, 105]);
    expect(range.total).toBe(500);
  });

  it('cuts the range out of a whole file answered with 200 (a server ignoring Range)', async () => {
    const { settings } = settingsWith(() => new Response(new Uint8Array([0, 1, 2, 3, 4, 5]), { status: 200 }));
    const range = await readFileRange(settings, `${BASE}files/a.csv`, 2, 3);
    expect([...range.bytes]).toEqual([2, 3]);
    expect(range.total).toBe(6);
  });

  it('raises a ResponseError for an error status', async () => {
    const { settings } = settingsWith(() => new Response('Forbidden', { status: 403 }));
    await expect(readFileRange(settings, `${BASE}files/a.csv`, 0, 9)).rejects.toBeInstanceOf(ServerConnection.ResponseError);
  });
});
