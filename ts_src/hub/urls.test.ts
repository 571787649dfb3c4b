import { describe, expect, it } from 'vitest';
import { hubUrls } from './urls';

describe('hubUrls', () => {
  it('is null outside a hub', () => {
    expect(hubUrls({ baseUrl: '/' })).toBeNull();
    expect(hubUrls({ baseUrl: '/', hubPrefix: '/hub/', hubUser: '' })).toBeNull();
  });

  it('builds the control panel, logout and restart URLs', () => {
    const urls = hubUrls({ baseUrl: '/user/ana/', hubPrefix: '/hub/', hubHost: '', hubUser: 'ana', hubServerName: '' });
    expect(urls).toEqual({ controlPanel: '/hub/home', logout: '/user/ana/logout', restart: '/hub/spawn/ana' });
  });

  it('escapes awkward user and server names and keeps a separate hub host', () => {
    const urls = hubUrls({
      baseUrl: '/user/a@b.c/dev%20box/',
      hubPrefix: '/jh/hub',
      hubHost: 'https://hub.example.org/',
      hubUser: 'ana+b@ü',
      hubServerName: 'dev box'
    });
    expect(urls?.restart).toBe('https://hub.example.org/jh/hub/spawn/ana%2Bb%40%C3%BC/dev%20box');
    expect(urls?.controlPanel).toBe('https://hub.example.org/jh/hub/home');
    expect(urls?.logout).toBe('https://hub.example.org/user/a@b.c/dev%20box/logout');
  });
});
