import { describe, expect, it } from 'vitest';
import { CommandState, MenuRegistry, resolveEntries } from './model';
import { declaredMenus } from './declared';
import schemas from './schema.json';

const state = (registered: Record<string, { label?: string; enabled?: boolean; toggled?: boolean; shortcut?: string }>): CommandState => ({
  hasCommand: (id) => id in registered,
  label: (id, args) => (registered[id]?.label ?? id) + (args.ext ? ` ${String(args.ext)}` : ''),
  isEnabled: (id) => registered[id]?.enabled ?? true,
  isToggled: (id) => registered[id]?.toggled,
  shortcut: (id) => registered[id]?.shortcut ?? ''
});

describe('MenuRegistry', () => {
  it('keeps menus in rank order and entries by rank, stable for equal ranks', () => {
    const menus = new MenuRegistry();
    menus.addMenu({ id: 'help', label: 'Help', rank: 80, items: [{ command: 'b', rank: 20 }, { command: 'a', rank: 10 }] });
    menus.addMenu({ id: 'file', label: 'File', rank: 10, items: [{ command: 'x' }, { command: 'y' }] });
    expect(menus.all.map((m) => m.id)).toEqual(['file', 'help']);
    expect(menus.get('help')!.items).toEqual([{ command: 'a', rank: 10 }, { command: 'b', rank: 20 }]);
    expect(menus.get('file')!.items.map((e) => ('command' in e ? e.command : ''))).toEqual(['x', 'y']);
  });

  it('lets plugins add entries to menus and submenus and take them away again', () => {
    const menus = new MenuRegistry();
    menus.addMenu({
      id: 'file',
      label: 'File',
      items: [{ type: 'submenu', id: 'file-new', label: 'New', rank: 10, items: [{ command: 'notebook', rank: 10 }] }]
    });
    let changes = 0;
    menus.changed(() => changes++);
    const added = menus.addItem('file-new', { command: 'terminal', rank: 5 });
    const top = menus.addItem('file', { command: 'open', rank: 20 });
    const file = () => menus.get('file')!.items;
    expect(file()).toMatchObject([{ type: 'submenu', items: [{ command: 'terminal' }, { command: 'notebook' }] }, { command: 'open' }]);
    added.dispose();
    top.dispose();
    expect(file()).toMatchObject([{ type: 'submenu', items: [{ command: 'notebook' }] }]);
    expect(changes).toBe(4);
    expect(() => menus.addItem('nope', { command: 'x' })).toThrow(/No menu with id "nope"/);
  });

  it('merges a submenu declared twice, and adds a declared menu whose id is a submenu to that submenu', () => {
    const menus = new MenuRegistry();
    const config = { id: 'file', label: 'File', items: [{ type: 'submenu' as const, id: 'file-new', label: 'New', items: [{ command: 'notebook' }] }] };
    menus.addMenu(config);
    const again = menus.addMenu({ id: 'file', label: 'File', items: [{ type: 'submenu', id: 'file-new', label: 'New', items: [{ command: 'console' }] }] });
    const bySubmenuId = menus.addMenu({ id: 'file-new', label: 'New', items: [{ command: 'terminal' }] });
    const file = () => menus.get('file')!.items;
    expect(file()).toMatchObject([{ type: 'submenu', id: 'file-new', items: [{ command: 'notebook' }, { command: 'console' }, { command: 'terminal' }] }]);
    expect(menus.all.map((m) => m.id)).toEqual(['file']);
    again.dispose();
    bySubmenuId.dispose();
    expect(file()).toMatchObject([{ type: 'submenu', items: [{ command: 'notebook' }] }]);
    // The declaring object is left as it was.
    expect(config.items[0]!.items).toEqual([{ command: 'notebook' }]);
  });

  it('asks dynamic entries each time the menu is read', () => {
    const menus = new MenuRegistry();
    menus.addMenu({ id: 'tabs', label: 'Tabs', items: [{ command: 'next', rank: 1 }] });
    let open = ['a'];
    const d = menus.addDynamicItems('tabs', () => open.map((id, i) => ({ command: 'activate', args: { id }, rank: 100 + i })));
    expect(menus.get('tabs')!.items).toHaveLength(2);
    open = ['a', 'b'];
    expect(menus.get('tabs')!.items).toHaveLength(3);
    d.dispose();
    expect(menus.get('tabs')!.items).toHaveLength(1);
  });
});

describe('resolveEntries', () => {
  it('drops unregistered commands and empty submenus, and keeps separators only between shown entries', () => {
    const resolved = resolveEntries(
      [
        { type: 'separator' },
        { command: 'save', args: {} },
        { command: 'missing' },
        { type: 'separator' },
        { type: 'separator' },
        { type: 'submenu', id: 'new', label: 'New', items: [{ command: 'missing' }] },
        { command: 'close' },
        { type: 'separator' }
      ],
      state({ save: { label: 'Save', shortcut: 'Ctrl+S', enabled: false }, close: { label: 'Close' } })
    );
    expect(resolved).toEqual([
      { kind: 'command', command: 'save', args: {}, label: 'Save', enabled: false, shortcut: 'Ctrl+S' },
      { kind: 'separator' },
      { kind: 'command', command: 'close', args: {}, label: 'Close', enabled: true, shortcut: '' }
    ]);
  });

  it('passes args to labels, marks toggles and resolves submenus', () => {
    const resolved = resolveEntries(
      [{ type: 'submenu', id: 'new', label: 'New', items: [{ command: 'file', args: { ext: '.md' } }] }, { command: 'bar' }],
      state({ file: { label: 'New File' }, bar: { label: 'Status Bar', toggled: true } })
    );
    expect(resolved).toEqual([
      { kind: 'submenu', id: 'new', label: 'New', items: [{ kind: 'command', command: 'file', args: { ext: '.md' }, label: 'New File .md', enabled: true, shortcut: '' }] },
      { kind: 'command', command: 'bar', args: {}, label: 'Status Bar', enabled: true, checked: true, shortcut: '' }
    ]);
  });

  it('the default menus (menus/schema.json) are File, Edit, View, Run, Kernel, Tabs, Settings, Help', () => {
    const menus = new MenuRegistry();
    const id = '@jlab-alt/menus:plugin';
    const { menus: declared, errors } = declaredMenus({ [id]: schemas[id]['jlab-alt.menus'] }, [id]);
    expect(errors).toEqual([]);
    for (const spec of declared) menus.addMenu(spec);
    expect(menus.all.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Run', 'Kernel', 'Tabs', 'Settings', 'Help']);
  });
});
