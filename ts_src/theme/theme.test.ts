// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ThemeManager, parsePreference } from './theme';

/** A controllable `prefers-color-scheme: dark` media query (jsdom has no matchMedia). */
class FakeDarkQuery {
  matches: boolean;
  private listeners: (() => void)[] = [];
  constructor(dark: boolean) {
    this.matches = dark;
  }
  addEventListener(_type: 'change', listener: () => void): void {
    this.listeners.push(listener);
  }
  /** The person switches the operating system's appearance. */
  set(dark: boolean): void {
    this.matches = dark;
    for (const l of this.listeners) l();
  }
}

describe('ThemeManager', () => {
  let os: FakeDarkQuery;
  let root: HTMLElement;

  beforeEach(() => {
    os = new FakeDarkQuery(false);
    vi.stubGlobal('matchMedia', (query: string) => {
      expect(query).toBe('(prefers-color-scheme: dark)');
      return os;
    });
    root = document.createElement('html');
  });

  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('follows the system at first: dark when the system is dark', () => {
    os = new FakeDarkQuery(true);
    const themes = new ThemeManager(root);
    expect(themes.preference).toBe('system');
    expect(themes.theme).toBe('dark');
    expect(root.dataset['theme']).toBe('dark');
    expect(root.style.colorScheme).toBe('dark');
  });

  it('follows the system at first: light when the system is light', () => {
    const themes = new ThemeManager(root);
    expect(themes.theme).toBe('light');
    expect(root.dataset['theme']).toBe('light');
  });

  it('switches live when the system appearance changes', () => {
    const themes = new ThemeManager(root);
    const changed = vi.fn();
    themes.changed(changed);
    os.set(true);
    expect(root.dataset['theme']).toBe('dark');
    expect(changed).toHaveBeenLastCalledWith('dark');
    os.set(false);
    expect(root.dataset['theme']).toBe('light');
    expect(changed).toHaveBeenLastCalledWith('light');
  });

  it('keeps a chosen theme whatever the system does', () => {
    const themes = new ThemeManager(root);
    themes.preference = 'dark';
    expect(root.dataset['theme']).toBe('dark');
    os.set(false);
    os.set(true);
    os.set(false);
    expect(themes.theme).toBe('dark');
    expect(root.dataset['theme']).toBe('dark');
  });

  it('goes back to the system theme when "system" is chosen again', () => {
    os = new FakeDarkQuery(true);
    const themes = new ThemeManager(root);
    themes.preference = 'light';
    expect(root.dataset['theme']).toBe('light');
    themes.preference = 'system';
    expect(root.dataset['theme']).toBe('dark');
  });

  it('reports a change only when the theme in effect changes', () => {
    const themes = new ThemeManager(root);
    const changed = vi.fn();
    themes.changed(changed);
    themes.preference = 'light'; // the system was light already
    expect(changed).not.toHaveBeenCalled();
    themes.preference = 'dark';
    themes.preference = 'dark';
    expect(changed.mock.calls).toEqual([['dark']]);
  });

  it('uses the light theme where the browser cannot report a preference', () => {
    vi.stubGlobal('matchMedia', undefined);
    const themes = new ThemeManager(root);
    expect(themes.theme).toBe('light');
    themes.preference = 'dark';
    expect(root.dataset['theme']).toBe('dark');
  });

  it('themes the whole page by default', () => {
    os = new FakeDarkQuery(true);
    new ThemeManager();
    expect(document.documentElement.dataset['theme']).toBe('dark');
    delete document.documentElement.dataset['theme'];
  });
});

describe('parsePreference', () => {
  it('accepts the three preferences and falls back to "system" for anything else', () => {
    expect(parsePreference('light')).toBe('light');
    expect(parsePreference('dark')).toBe('dark');
    expect(parsePreference('system')).toBe('system');
    expect(parsePreference(undefined)).toBe('system');
    expect(parsePreference('Dark')).toBe('system');
    expect(parsePreference(1)).toBe('system');
    expect(parsePreference(null)).toBe('system');
  });
});
