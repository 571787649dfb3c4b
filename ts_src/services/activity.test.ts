import { describe, expect, it } from 'vitest';
import { activityAwareFetch, isBackgroundRequest, withNoTrackActivity } from './activity';

const BASE = '/user/ana%2Bb/';
const O = 'http://127.0.0.1:8000';

describe('isBackgroundRequest', () => {
  it('recognises the listings the services poll', () => {
    for (const p of ['api/kernels', 'api/sessions', 'api/terminals', 'api/kernelspecs', 'api/kernels/abc-1']) {
      expect(isBackgroundRequest('GET', `${O}${BASE}${p}?1234`, BASE)).toBe(true);
    }
    expect(isBackgroundRequest('get', `${O}${BASE}jlab-alt/api/settings/@jlab-alt/notebook:plugin`, BASE)).toBe(true);
    expect(isBackgroundRequest('GET', `${O}${BASE}jlab-alt/api/extensions`, BASE)).toBe(true);
  });

  it('leaves real use tracked', () => {
    expect(isBackgroundRequest('POST', `${O}${BASE}api/sessions`, BASE)).toBe(false);
    expect(isBackgroundRequest('POST', `${O}${BASE}api/kernels/abc/interrupt`, BASE)).toBe(false);
    expect(isBackgroundRequest('PUT', `${O}${BASE}jlab-alt/api/settings/x`, BASE)).toBe(false);
    expect(isBackgroundRequest('GET', `${O}${BASE}api/contents/a.ipynb`, BASE)).toBe(false);
    expect(isBackgroundRequest('GET', `${O}${BASE}api/kernels/abc/channels`, BASE)).toBe(false);
    // Another server's URLs are not ours to mark.
    expect(isBackgroundRequest('GET', `${O}/user/other/api/kernels`, BASE)).toBe(false);
  });
});

describe('withNoTrackActivity', () => {
  it('adds the parameter once, keeping the query', () => {
    expect(withNoTrackActivity(`${O}/api/kernels?1`)).toBe(`${O}/api/kernels?1=&no_track_activity=1`);
    expect(withNoTrackActivity(`${O}/api/kernels?no_track_activity=1`)).toBe(`${O}/api/kernels?no_track_activity=1`);
    expect(withNoTrackActivity('/api/x')).toBe('/api/x?no_track_activity=1');
  });
});

describe('activityAwareFetch', () => {
  it('marks background requests only, or every GET with `all`', async () => {
    const seen: string[] = [];
    const fake = (async (input: RequestInfo | URL) => {
      seen.push(input instanceof Request ? input.url : String(input));
      return new Response('{}');
    }) as typeof fetch;
    const f = activityAwareFetch(BASE, { fetch: fake });
    await f(new Request(`${O}${BASE}api/sessions`));
    await f(new Request(`${O}${BASE}api/contents/x`));
    await f(new Request(`${O}${BASE}api/sessions`, { method: 'POST', body: '{}' }));
    const all = activityAwareFetch(BASE, { fetch: fake, all: true });
    await all(new Request(`${O}${BASE}api/contents/dir?content=1`));
    expect(seen).toEqual([
      `${O}${BASE}api/sessions?no_track_activity=1`,
      `${O}${BASE}api/contents/x`,
      `${O}${BASE}api/sessions`,
      `${O}${BASE}api/contents/dir?content=1&no_track_activity=1`
    ]);
  });
});
