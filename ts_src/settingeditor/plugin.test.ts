// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { KeybindingRegistry } from '../commands/keybindings';
import { CommandRegistry } from '../commands/registry';
import type { Application } from '../core/application';
import { UserShortcuts } from './plugin';

function setup() {
  const commands = new CommandRegistry();
  const ran: string[] = [];
  for (const id of ['toggle', 'other']) commands.addCommand(id, { label: id, execute: () => void ran.push(id) });
  const keybindings = new KeybindingRegistry(commands, false);
  keybindings.addKeyBinding({ keys: ['Ctrl B'], selector: 'body', command: 'toggle' });
  keybindings.addKeyBinding({ keys: ['Ctrl K'], selector: 'body', command: 'other' });
  const user = new UserShortcuts({ commands, keybindings } as unknown as Application);
  const press = (key: string, ctrl = true) =>
    keybindings.processKeydownEvent(new KeyboardEvent('keydown', { key, code: `Key${key.toUpperCase()}`, ctrlKey: ctrl }));
  return { keybindings, user, ran, press };
}

describe('user shortcuts applied to the registry', () => {
  it('rebinds live, switches defaults off, and applies again from scratch on each change', async () => {
    const { keybindings, user, ran, press } = setup();
    const changed = vi.fn();
    user.changed(changed);
    user.apply([
      { command: 'toggle', keys: ['Ctrl B'], disabled: true },
      { command: 'toggle', keys: ['Ctrl J'] }
    ]);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(keybindings.bindingFor('toggle')!.keys).toEqual(['Ctrl J']);
    press('b');
    press('j');
    await Promise.resolve();
    expect(ran).toEqual(['toggle']);
    // A second change replaces the first entirely.
    user.apply([]);
    expect(keybindings.bindingFor('toggle')!.keys).toEqual(['Ctrl B']);
    expect(user.bindings).toEqual([]);
    user.apply([{ command: 'toggle', keys: ['Ctrl J'] }]);
    expect(user.bindings.map((b) => b.keys)).toEqual([['Ctrl J']]);
  });

  it('reports conflicts and unreadable keys', () => {
    const { user } = setup();
    user.apply([
      { command: 'toggle', keys: ['Ctrl K'] },
      { command: 'other', keys: ['Ctrl Alt'] }
    ]);
    expect(user.conflicts).toEqual([{ keys: ['Ctrl K'], commands: ['other', 'toggle'] }]);
    expect(user.errors).toHaveLength(1);
    expect(user.errors[0]).toContain('Ctrl Alt');
  });
});
