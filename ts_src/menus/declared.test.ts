import { describe, expect, it } from 'vitest';
import { declaredMenus } from './declared';
import { MenuRegistry } from './model';

describe('menus declared in schemas', () => {
  it("adds the plugins' menus in plugin order, merging a menu declared twice", () => {
    const declared = {
      'a:plugin': [{ id: 'file', label: 'File', rank: 10, items: [{ command: 'a:open', rank: 10 }, { type: 'separator', rank: 20 }] }],
      'b:plugin': [{ id: 'file', label: 'File', items: [{ command: 'b:new', args: { ext: '.md' }, rank: 15 }] }],
      'off:plugin': [{ id: 'off', label: 'Off', items: [] }]
    };
    const { menus, errors } = declaredMenus(declared, ['b:plugin', 'a:plugin', 'missing:plugin']);
    expect(errors).toEqual([]);
    const registry = new MenuRegistry();
    for (const spec of menus) registry.addMenu(spec);
    expect(registry.all).toEqual([
      {
        id: 'file',
        label: 'File',
        rank: undefined,
        items: [{ command: 'a:open', rank: 10 }, { command: 'b:new', args: { ext: '.md' }, rank: 15 }, { type: 'separator', rank: 20 }]
      }
    ]);
  });

  it('leaves out malformed menus with a message naming the plugin', () => {
    const { menus, errors } = declaredMenus(
      {
        'x:plugin': [{ id: 'edit', label: 'Edit', items: [{ command: 3 }] }, { id: 'ok', label: 'OK', items: [{ type: 'submenu', id: 's', label: 'S', items: [] }] }],
        'y:plugin': { id: 'view' }
      },
      ['x:plugin', 'y:plugin']
    );
    expect(menus.map((m) => m.id)).toEqual(['ok']);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^x:plugin: menu 0 needs/);
    expect(errors[1]).toMatch(/^y:plugin: /);
  });
});
