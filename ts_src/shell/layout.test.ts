import { describe, expect, it } from 'vitest';
import { DockviewJSON, LayoutNode, allTabs, currentTab, flatten, fromDockview, parseLayout, toDockview, TabState } from './layout';

const tab = (path: string): TabState => ({ namespace: 'document', args: { path }, label: path });

/** A dockview layout: [a.ipynb, b.txt*] | [c.py] stacked over [d.md], the right column focused. */
const dockview: DockviewJSON = {
  grid: {
    orientation: 'HORIZONTAL',
    width: 1000,
    height: 600,
    root: {
      type: 'branch',
      size: 600,
      data: [
        { type: 'leaf', size: 600, data: { id: '1', views: ['p-a', 'p-b'], activeView: 'p-b' } },
        {
          type: 'branch',
          size: 400,
          data: [
            { type: 'leaf', size: 150, data: { id: '2', views: ['p-c'], activeView: 'p-c' } },
            { type: 'leaf', size: 450, data: { id: '3', views: ['p-d', 'p-x'], activeView: 'p-d' } }
          ]
        }
      ]
    }
  },
  panels: {},
  activeGroup: '3'
};
const describePanel = (id: string) => (id === 'p-x' ? null : tab(id.slice(2)));

describe('layout serialization', () => {
  it('converts dockview groups, splits, sizes and the active tab into our schema', () => {
    const main = fromDockview(dockview, describePanel)!;
    expect(main).toEqual({
      type: 'split',
      orientation: 'horizontal',
      sizes: [0.6, 0.4],
      children: [
        { type: 'tabs', tabs: [tab('a'), tab('b')], active: 1 },
        {
          type: 'split',
          orientation: 'vertical',
          sizes: [0.25, 0.75],
          children: [
            { type: 'tabs', tabs: [tab('c')], active: 0 },
            { type: 'tabs', tabs: [tab('d')], active: 0, current: true }
          ]
        }
      ]
    });
    expect(currentTab(main)).toEqual(tab('d'));
  });

  it('round-trips through dockview JSON with the same structure, shares and focus', () => {
    const main = fromDockview(dockview, describePanel)!;
    const ids: string[] = [];
    const json = toDockview(main, 1000, 600, (t, n) => {
      ids.push(`${n}:${String(t.args.path)}`);
      return `r${n}`;
    });
    expect(ids).toEqual(['0:a', '1:b', '2:c', '3:d']);
    expect(json.grid.orientation).toBe('HORIZONTAL');
    expect(json.activeGroup).toBe('3');
    expect(Object.keys(json.panels)).toEqual(['r0', 'r1', 'r2', 'r3']);
    expect(json.panels['r1']!.title).toBe('b');
    const back = fromDockview(json, (id) => tab(['a', 'b', 'c', 'd'][Number(id.slice(1))]!));
    expect(back).toEqual(main);
  });

  it('drops unrestorable tabs and collapses what they leave', () => {
    const only: DockviewJSON = {
      ...dockview,
      grid: {
        ...dockview.grid,
        root: { type: 'branch', data: [{ type: 'leaf', size: 10, data: { id: '1', views: ['p-x'] } }, { type: 'leaf', size: 10, data: { id: '2', views: ['p-a'] } }] }
      }
    };
    expect(fromDockview(only, describePanel)).toEqual({ type: 'tabs', tabs: [tab('a')], active: 0 });
    expect(fromDockview({ ...only, grid: { ...only.grid, root: { type: 'branch', data: [] } } }, describePanel)).toBeNull();
  });

  it('merges a split nested in one of the same orientation when writing dockview JSON', () => {
    const node: LayoutNode = {
      type: 'split',
      orientation: 'horizontal',
      sizes: [0.5, 0.5],
      children: [
        { type: 'tabs', tabs: [tab('a')], active: 0 },
        { type: 'split', orientation: 'horizontal', sizes: [0.5, 0.5], children: [{ type: 'tabs', tabs: [tab('b')], active: 0 }, { type: 'tabs', tabs: [tab('c')], active: 0 }] }
      ]
    };
    const json = toDockview(node, 800, 400, (_, n) => `r${n}`);
    const root = json.grid.root as { data: { size: number }[] };
    expect(root.data.map((c) => c.size)).toEqual([400, 200, 200]);
  });

  it('puts a single group in a root branch, as dockview expects', () => {
    const json = toDockview({ type: 'tabs', tabs: [tab('a'), tab('b')], active: 1 }, 800, 400, (_, n) => `r${n}`);
    expect(json.grid.root).toEqual({ type: 'branch', size: 400, data: [{ type: 'leaf', size: 800, data: { id: '1', views: ['r0', 'r1'], activeView: 'r1' } }] });
    expect(json.activeGroup).toBe('1');
  });

  it('"tabs only" puts every tab in one group, keeping the current one active', () => {
    const main = fromDockview(dockview, describePanel)!;
    expect(flatten(main)).toEqual({ type: 'tabs', tabs: [tab('a'), tab('b'), tab('c'), tab('d')], active: 3, current: true });
    expect(allTabs(null)).toEqual([]);
  });

  it('reads only its own version and survives corrupt data', () => {
    for (const bad of [null, 3, [], { version: 2, main: null }, { main: null }]) expect(parseLayout(bad)).toBeNull();
    expect(parseLayout({ version: 1, main: 'x' })).toEqual({ version: 1, main: null });
    const parsed = parseLayout({
      version: 1,
      main: {
        type: 'split',
        orientation: 'vertical',
        sizes: [3, 'x'],
        children: [
          { type: 'tabs', tabs: [tab('a'), { namespace: 1 }, null], active: 7 },
          { type: 'tabs', tabs: [] },
          { type: 'tabs', tabs: [tab('b')], active: 0, current: true }
        ]
      },
      left: { current: 'filebrowser', width: 300 },
      right: { current: 5 },
      fileBrowserPath: 'sub'
    });
    const sizes = (parsed!.main as { sizes: number[] }).sizes;
    expect(sizes[0]).toBeCloseTo(0.9);
    expect(sizes[1]).toBeCloseTo(0.1);
    expect(parsed).toEqual({
      version: 1,
      main: {
        type: 'split',
        orientation: 'vertical',
        sizes,
        children: [
          { type: 'tabs', tabs: [tab('a')], active: 0 },
          { type: 'tabs', tabs: [tab('b')], active: 0, current: true }
        ]
      },
      left: { current: 'filebrowser', width: 300 },
      right: { current: null },
      fileBrowserPath: 'sub'
    });
  });
});
