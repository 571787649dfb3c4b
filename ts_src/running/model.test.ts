import { describe, expect, it, vi } from 'vitest';
import { DisposableDelegate } from '../core/disposable';
import { RunningModel, type RunningManager, type SignalLike, type TabInfo } from './model';

/** A fake services manager: `set` replaces the server's list and fires runningChanged. */
function fakeManager<M>(initial: M[]): RunningManager<M> & { set(models: M[]): void; refreshes: number } {
  let models = initial;
  const slots = new Set<(sender: unknown, value: M[]) => void>();
  const signal: SignalLike<M[]> = {
    connect: (slot) => (slots.add(slot), true),
    disconnect: (slot) => slots.delete(slot)
  };
  const manager = {
    refreshes: 0,
    running: () => models[Symbol.iterator]() as IterableIterator<M>,
    refreshRunning: async () => void manager.refreshes++,
    runningChanged: signal,
    set(next: M[]) {
      models = next;
      for (const slot of slots) slot(manager, next);
    }
  };
  return manager;
}

const kernel = (id: string, name = 'python3', execution_state = 'idle') => ({ id, name, execution_state }) as never;
const session = (id: string, path: string, kernelId: string, type = 'notebook') =>
  ({ id, path, name: path, type, kernel: { id: kernelId, name: 'python3' } }) as never;

function setup() {
  const kernels = fakeManager([kernel('k2', 'python3'), kernel('k1', 'ir', 'busy')]);
  const sessions = fakeManager([session('s1', 'b.ipynb', 'k2'), session('s2', 'a.ipynb', 'k2'), session('s3', 'c.R', 'k1', 'console')]);
  const terminals = fakeManager([{ name: '10' }, { name: '2' }] as never[]);
  let tabs: TabInfo[] = [{ id: 'terminal:2', label: 'Terminal 2' }, { id: 'document:a.ipynb#1', label: 'a.ipynb' }];
  const tabListeners = new Set<() => void>();
  const model = new RunningModel(
    {
      kernels,
      sessions,
      terminals,
      tabs: () => [...tabs],
      tabsChanged: (listener) => {
        tabListeners.add(listener);
        return new DisposableDelegate(() => tabListeners.delete(listener));
      }
    },
    (name) => `terminal:${name}`
  );
  const setTabs = (next: TabInfo[]) => {
    tabs = next;
    for (const l of tabListeners) l();
  };
  return { model, kernels, sessions, terminals, setTabs, tabListeners };
}

describe('RunningModel', () => {
  it('groups sessions under their kernels and links terminals to their tabs', () => {
    const { model } = setup();
    const state = model.state;
    expect(state.kernels.map((k) => [k.name, k.id, k.state, k.sessions.map((s) => s.path)])).toEqual([
      ['ir', 'k1', 'busy', ['c.R']],
      ['python3', 'k2', 'idle', ['a.ipynb', 'b.ipynb']]
    ]);
    expect(state.terminals).toEqual([
      { name: '2', tabId: 'terminal:2' },
      { name: '10', tabId: null }
    ]);
    expect(state.tabs.map((t) => t.label)).toEqual(['a.ipynb', 'Terminal 2']);
  });

  it('lists a console sharing a notebook\'s session under that notebook\'s kernel', () => {
    const { model, setTabs } = setup();
    setTabs([
      { id: 'document:a.ipynb#1', label: 'a.ipynb' },
      { id: 'console:3', label: 'Console 3', sharedSessionPath: 'a.ipynb' },
      // Shares a session the server no longer has: under no kernel, still an open tab.
      { id: 'console:4', label: 'Console 4', sharedSessionPath: 'gone.ipynb' }
    ]);
    const state = model.state;
    const byName = Object.fromEntries(state.kernels.map((k) => [k.name, k.tabs.map((t) => t.id)]));
    expect(byName).toEqual({ ir: [], python3: ['console:3'] });
    expect(state.tabs.map((t) => t.id)).toContain('console:4');
  });

  it('asks the server only once started, and fires changed on every source', async () => {
    const { model, kernels, terminals, setTabs } = setup();
    expect(kernels.refreshes).toBe(0);
    const seen = vi.fn();
    model.changed(seen);
    await model.start();
    expect(kernels.refreshes).toBe(1);
    expect(terminals.refreshes).toBe(1);
    seen.mockClear();
    kernels.set([]);
    expect(seen.mock.lastCall?.[0].kernels).toEqual([]);
    terminals.set([]);
    expect(seen.mock.lastCall?.[0].terminals).toEqual([]);
    setTabs([]);
    expect(seen.mock.lastCall?.[0].tabs).toEqual([]);
    expect(seen).toHaveBeenCalledTimes(3);
  });

  it('stops listening when disposed', async () => {
    const { model, kernels, tabListeners } = setup();
    await model.start();
    const seen = vi.fn();
    model.changed(seen);
    model.dispose();
    kernels.set([]);
    expect(seen).not.toHaveBeenCalled();
    expect(tabListeners.size).toBe(0);
  });

  it('works without terminals (a server that has none)', () => {
    const kernels = fakeManager([] as never[]);
    const sessions = fakeManager([] as never[]);
    const model = new RunningModel(
      { kernels, sessions, terminals: null, tabs: () => [], tabsChanged: () => new DisposableDelegate(() => undefined) },
      (n) => n
    );
    expect(model.state).toEqual({ kernels: [], terminals: [], tabs: [] });
  });
});
