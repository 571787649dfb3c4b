// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { makeRequest, requestJSON } from './request';

const app = { config: { baseUrl: '/user/ana/' } };

function stubFetch(body = '{"ok":true}') {
  const calls: { url: URL; init: RequestInit }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: URL, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(body, { status: 200 });
    })
  );
  return calls;
}

describe('makeRequest', () => {
  it('counts an extension request as activity unless it says it is background work', async () => {
    const calls = stubFetch();
    await makeRequest(app, 'ext/server_info/info');
    await requestJSON(app, '/ext/server_info/info', { background: true });
    expect(calls[0]!.url.pathname).toBe('/user/ana/jlab-alt/ext/server_info/info');
    expect(calls[0]!.url.searchParams.has('no_track_activity')).toBe(false);
    expect(calls[1]!.url.pathname).toBe('/user/ana/jlab-alt/ext/server_info/info');
    expect(calls[1]!.url.searchParams.get('no_track_activity')).toBe('1');
    // The option is ours: fetch never sees it.
    expect('background' in calls[1]!.init).toBe(false);
  });

  it('marks the core listings it polls, and never a change', async () => {
    const calls = stubFetch();
    await makeRequest(app, 'api/extensions');
    await makeRequest(app, 'api/settings/x', { method: 'PUT', body: '{}' });
    expect(calls[0]!.url.searchParams.get('no_track_activity')).toBe('1');
    expect(calls[1]!.url.searchParams.has('no_track_activity')).toBe(false);
    expect(new Headers(calls[1]!.init.headers).get('Content-Type')).toBe('application/json');
  });
});
