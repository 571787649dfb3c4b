// @vitest-environment jsdom
import { themeDark, themeLight } from 'dockview-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandRegistry } from '../commands/registry';
import type { Application } from '../core/application';
import { themePlugin } from './plugin';
import type { ThemeManager } from './theme';

class FakeDarkQuery {
  private listeners: (() => void)[] = [];
  constructor(public matches: boolean) {}
  addEventListener(_type: 'change', listener: () => void): void {
    this.listeners.push(listener);
  }
  set(dark: boolean): void {
    this.matches = dark;
    for (const l of this.listeners) l();
  }
}

const SETTINGS_ID = '@jlab-alt/theme:plugin';

describe('theme plugin', () => {
  let os: FakeDarkQuery;
  let stored: Record<string, unknown>;
  let app: {
    commands: CommandRegistry;
    shell: { setDockTheme: ReturnType<typeof vi.fn> };
    settings: { load: ReturnType<typeof vi.fn>; save: ReturnType<typeof vi.fn>; watch: unknown };
    notifications: { notify: ReturnType<typeof vi.fn> };
  };

  const activate = async () => (await themePlugin.activate(app as unknown as Application)) as ThemeManager;
  const pageTheme = () => document.documentElement.dataset['theme'];
  const lastDockTheme = () => app.shell.setDockTheme.mock.lastCall?.[0];

  beforeEach(() => {
    os = new FakeDarkQuery(false);
    vi.stubGlobal('matchMedia', () => os);
    stored = {};
    app = {
      commands: new CommandRegistry(),
      shell: { setDockTheme: vi.fn() },
      settings: {
        load: vi.fn(async () => ({ ...stored })),
        save: vi.fn(async (_id: string, values: Record<string, unknown>) => {
          stored = values;
        }),
        // SettingsClient.watch's contract: the loaded values, or {} with a warning.
        watch: (id: string, apply: (v: Record<string, unknown>) => void) => {
          (app.settings.load(id) as Promise<Record<string, unknown>>).then(apply, (err) => {
            console.warn('settings', err);
            apply({});
          });
          return { dispose() {} };
        }
      },
      notifications: { notify: vi.fn() }
    };
  });

  afterEach(() => {
    delete document.documentElement.dataset['theme'];
    vi.unstubAllGlobals();
  });

  it('applies the saved theme to the page and the dock at start', async () => {
    stored = { preference: 'dark' };
    const themes = await activate();
    expect(app.settings.load).toHaveBeenCalledWith(SETTINGS_ID);
    expect(themes.preference).toBe('dark');
    expect(pageTheme()).toBe('dark');
    expect(lastDockTheme()).toBe(themeDark);
  });

  it('follows the system when nothing valid is saved', async () => {
    os = new FakeDarkQuery(true);
    stored = { preference: 'purple' };
    const themes = await activate();
    expect(themes.preference).toBe('system');
    expect(pageTheme()).toBe('dark');
    expect(lastDockTheme()).toBe(themeDark);
  });

  it('still starts, following the system, when the settings cannot be loaded', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    app.settings.load.mockRejectedValue(new Error('500'));
    const themes = await activate();
    expect(warn).toHaveBeenCalled();
    expect(themes.preference).toBe('system');
    expect(pageTheme()).toBe('light');
    expect(lastDockTheme()).toBe(themeLight);
    expect(app.commands.hasCommand('theme:dark')).toBe(true);
  });

  it('offers the theme commands in the palette under "Theme"', async () => {
    await activate();
    for (const id of ['theme:light', 'theme:dark', 'theme:system', 'theme:toggle']) {
      expect(app.commands.hasCommand(id)).toBe(true);
      expect(app.commands.category(id)).toBe('Theme');
      expect(app.commands.label(id)).not.toBe('');
    }
  });

  it('switches theme from a command, remembers the choice and checks it in menus', async () => {
    await activate();
    await app.commands.execute('theme:dark');
    expect(pageTheme()).toBe('dark');
    expect(lastDockTheme()).toBe(themeDark);
    expect(app.settings.save).toHaveBeenLastCalledWith(SETTINGS_ID, { preference: 'dark' });
    expect(app.commands.isToggled('theme:dark')).toBe(true);
    expect(app.commands.isToggled('theme:light')).toBe(false);
    expect(app.commands.isToggled('theme:system')).toBe(false);

    await app.commands.execute('theme:system');
    expect(pageTheme()).toBe('light');
    expect(app.commands.isToggled('theme:system')).toBe(true);
    expect(stored).toEqual({ preference: 'system' });
  });

  it('toggles between light and dark from the theme in effect', async () => {
    os = new FakeDarkQuery(true);
    await activate();
    await app.commands.execute('theme:toggle');
    expect(pageTheme()).toBe('light');
    expect(stored).toEqual({ preference: 'light' });
    await app.commands.execute('theme:toggle');
    expect(pageTheme()).toBe('dark');
    expect(stored).toEqual({ preference: 'dark' });
  });

  it('keeps the dock in step when the system appearance changes', async () => {
    await activate();
    os.set(true);
    expect(pageTheme()).toBe('dark');
    expect(lastDockTheme()).toBe(themeDark);
  });

  it('warns the person when the choice cannot be saved, but still applies it', async () => {
    await activate();
    app.settings.save.mockRejectedValue(new Error('disk full'));
    await app.commands.execute('theme:dark');
    await vi.waitFor(() => expect(app.notifications.notify).toHaveBeenCalled());
    const [message, options] = app.notifications.notify.mock.lastCall!;
    expect(message).toContain('disk full');
    expect(options).toEqual({ type: 'warning' });
    expect(pageTheme()).toBe('dark');
  });
});
