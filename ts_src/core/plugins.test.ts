import { describe, expect, it, vi } from 'vitest';
import { DuplicatePluginError, Plugin, PluginRegistry } from './plugins';

/** The app object handed to plugins; here it records the activation order. */
interface FakeApp {
  log: string[];
}

function plugin(
  id: string,
  options: Partial<Omit<Plugin<FakeApp>, 'id'>> = {}
): Plugin<FakeApp> {
  return {
    id,
    activate: (app: FakeApp) => {
      app.log.push(id);
      return `${id} value`;
    },
    ...options
  };
}

function registry(plugins: Plugin<FakeApp>[], disabled: string[] = []): PluginRegistry<FakeApp> {
  const reg = new PluginRegistry<FakeApp>(new Set(disabled));
  for (const p of plugins) reg.register(p);
  return reg;
}

const statusOf = (reg: PluginRegistry<FakeApp>, id: string) => reg.list().find((p) => p.id === id)?.status;

describe('PluginRegistry', () => {
  it('activates every plugin once, each after the plugins it requires, whatever the registration order', async () => {
    const app: FakeApp = { log: [] };
    const reg = registry([
      plugin('notebook', { requires: ['docmanager', 'shell'] }),
      plugin('docmanager', { requires: ['shell'] }),
      plugin('shell')
    ]);
    expect(await reg.activateAll(app)).toEqual([]);
    expect(app.log).toEqual(['shell', 'docmanager', 'notebook']);
    expect(reg.list().map((p) => p.status.state)).toEqual(['active', 'active', 'active']);
  });

  it('hands each plugin the app, then the values of its required plugins, then of its optional ones', async () => {
    const app: FakeApp = { log: [] };
    const activate = vi.fn(() => 'mine');
    const reg = registry([
      plugin('a', { activate: () => ({ name: 'A' }) }),
      plugin('b', { activate: () => 42 }),
      plugin('c', { activate: () => 'C' }),
      plugin('user', { requires: ['b', 'a'], optional: ['c', 'missing'], activate })
    ]);
    await reg.activateAll(app);
    expect(activate).toHaveBeenCalledWith(app, 42, { name: 'A' }, 'C', null);
    expect(reg.get('user')).toBe('mine');
    expect(reg.get<{ name: string }>('a')?.name).toBe('A');
    expect(reg.get('missing')).toBeUndefined();
  });

  it('waits for an async plugin before activating the plugins that require it', async () => {
    const app: FakeApp = { log: [] };
    const reg = registry([
      plugin('dependent', { requires: ['slow'], activate: (a: FakeApp, v: string) => a.log.push(`dependent got ${v}`) }),
      plugin('slow', {
        activate: async (a: FakeApp) => {
          await new Promise((r) => setTimeout(r, 0));
          a.log.push('slow done');
          return 'settings';
        }
      })
    ]);
    await reg.activateAll(app);
    expect(app.log).toEqual(['slow done', 'dependent got settings']);
  });

  it('activates a plugin required by several others only once', async () => {
    const app: FakeApp = { log: [] };
    const shared = vi.fn(() => ({}));
    const reg = registry([
      plugin('x', { requires: ['shared'] }),
      plugin('y', { requires: ['shared'], optional: ['shared'] }),
      plugin('shared', { activate: shared })
    ]);
    await reg.activateAll(app);
    expect(shared).toHaveBeenCalledTimes(1);
  });

  describe('failures', () => {
    it('keeps starting the other plugins when one throws, and reports the failure', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([
        plugin('before'),
        plugin('broken', {
          activate: () => {
            throw new Error('cannot reach the server');
          }
        }),
        plugin('after')
      ]);
      const failures = await reg.activateAll(app);
      expect(app.log).toEqual(['before', 'after']);
      expect(failures).toEqual([{ id: 'broken', error: 'cannot reach the server' }]);
      expect(statusOf(reg, 'broken')).toEqual({ state: 'failed', error: 'cannot reach the server' });
      expect(statusOf(reg, 'after')).toEqual({ state: 'active' });
      expect(reg.get('broken')).toBeUndefined();
    });

    it('reports a rejected async activation and a thrown non-Error', async () => {
      const reg = registry([
        plugin('rejects', { activate: () => Promise.reject(new Error('timeout')) }),
        plugin('throws-string', {
          activate: () => {
            throw 'oops';
          }
        })
      ]);
      const failures = await reg.activateAll({ log: [] });
      expect(failures).toEqual([
        { id: 'rejects', error: 'timeout' },
        { id: 'throws-string', error: 'oops' }
      ]);
    });

    it('fails only the plugins that require a failed plugin, naming it and its cause', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([
        plugin('kernel', {
          activate: () => {
            throw new Error('no kernelspecs');
          }
        }),
        plugin('console', { requires: ['kernel'] }),
        plugin('toolbar', { requires: ['console'] }),
        plugin('status', { optional: ['kernel'] }),
        plugin('files')
      ]);
      const failures = await reg.activateAll(app);
      expect(app.log.sort()).toEqual(['files', 'status']);
      expect(failures.map((f) => f.id).sort()).toEqual(['console', 'kernel', 'toolbar']);
      const consoleError = failures.find((f) => f.id === 'console')!.error;
      expect(consoleError).toContain('"kernel"');
      expect(consoleError).toContain('no kernelspecs');
      expect(failures.find((f) => f.id === 'toolbar')!.error).toContain('"console"');
    });

    it('hands null for an optional plugin that failed, and still activates the user', async () => {
      const activate = vi.fn();
      const reg = registry([
        plugin('flaky', {
          activate: () => {
            throw new Error('x');
          }
        }),
        plugin('user', { optional: ['flaky'], activate })
      ]);
      await reg.activateAll({ log: [] });
      expect(activate).toHaveBeenCalledWith(expect.anything(), null);
      expect(statusOf(reg, 'user')).toEqual({ state: 'active' });
    });

    it('fails a plugin whose requirement no plugin provides, naming it', async () => {
      const reg = registry([plugin('needy', { requires: ['@other/ext:thing'] })]);
      const failures = await reg.activateAll({ log: [] });
      expect(failures).toHaveLength(1);
      expect(failures[0]!.id).toBe('needy');
      expect(failures[0]!.error).toContain('"@other/ext:thing"');
    });

    it('fails plugins that require each other instead of hanging', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([plugin('a', { requires: ['b'] }), plugin('b', { requires: ['a'] }), plugin('c')]);
      const failures = await reg.activateAll(app);
      expect(app.log).toEqual(['c']);
      expect(failures.map((f) => f.id).sort()).toEqual(['a', 'b']);
      expect(failures.some((f) => /circular/i.test(f.error))).toBe(true);
    });

    it('does not hang on a plugin requiring itself', async () => {
      const reg = registry([plugin('self', { requires: ['self'] })]);
      const failures = await reg.activateAll({ log: [] });
      expect(failures).toHaveLength(1);
      expect(failures[0]!.error).toMatch(/circular/i);
    });

    it('does not hang on plugins that use each other optionally', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([plugin('a', { optional: ['b'] }), plugin('b', { optional: ['a'] })]);
      expect(await reg.activateAll(app)).toEqual([]);
      expect(app.log).toEqual(['b', 'a']); // each once: b gets null for a, then a gets b
    });

    it('does not hang when a plugin optionally uses one that requires it', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([plugin('statusbar', { optional: ['kernel-item'] }), plugin('kernel-item', { requires: ['statusbar'] })]);
      await reg.activateAll(app);
      expect(statusOf(reg, 'statusbar')).toEqual({ state: 'active' });
      expect(app.log.filter((id) => id === 'statusbar')).toHaveLength(1);
    });

    it('reports each failure once', async () => {
      const reg = registry([
        plugin('base', {
          activate: () => {
            throw new Error('x');
          }
        }),
        plugin('one', { requires: ['base'] }),
        plugin('two', { requires: ['base'] })
      ]);
      const failures = await reg.activateAll({ log: [] });
      expect(failures.map((f) => f.id).sort()).toEqual(['base', 'one', 'two']);
    });
  });

  describe('disabling and auto-start', () => {
    it('never activates a disabled plugin and shows it as disabled', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([plugin('telemetry'), plugin('files')], ['telemetry']);
      expect(await reg.activateAll(app)).toEqual([]);
      expect(app.log).toEqual(['files']);
      expect(statusOf(reg, 'telemetry')).toEqual({ state: 'disabled' });
    });

    it('fails a plugin requiring a disabled one with a message saying so', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([plugin('kernel'), plugin('console', { requires: ['kernel'] })], ['kernel']);
      const failures = await reg.activateAll(app);
      expect(app.log).toEqual([]);
      expect(failures).toHaveLength(1);
      expect(failures[0]!.id).toBe('console');
      expect(failures[0]!.error).toMatch(/"kernel".*disabled/);
    });

    it('hands null for a disabled optional plugin', async () => {
      const activate = vi.fn();
      const reg = registry([plugin('extra'), plugin('user', { optional: ['extra'], activate })], ['extra']);
      await reg.activateAll({ log: [] });
      expect(activate).toHaveBeenCalledWith(expect.anything(), null);
    });

    it('activates a plugin with autoStart false only when another plugin requires it', async () => {
      const app: FakeApp = { log: [] };
      const reg = registry([
        plugin('lazy-unused', { autoStart: false }),
        plugin('lazy-used', { autoStart: false }),
        plugin('user', { requires: ['lazy-used'] })
      ]);
      expect(await reg.activateAll(app)).toEqual([]);
      expect(app.log).toEqual(['lazy-used', 'user']);
      expect(statusOf(reg, 'lazy-unused')).toEqual({ state: 'pending' });
    });
  });

  describe('registration and listing', () => {
    it('refuses two plugins with the same id', () => {
      const reg = registry([plugin('a')]);
      expect(() => reg.register(plugin('a'))).toThrow(DuplicatePluginError);
      expect(reg.list()).toHaveLength(1);
    });

    it('lists plugins in registration order with their descriptions, pending until activated', () => {
      const reg = registry([plugin('b', { description: 'The B plugin' }), plugin('a')]);
      expect(reg.has('a')).toBe(true);
      expect(reg.has('z')).toBe(false);
      expect(reg.list()).toEqual([
        { id: 'b', description: 'The B plugin', status: { state: 'pending' } },
        { id: 'a', description: '', status: { state: 'pending' } }
      ]);
    });
  });
});
