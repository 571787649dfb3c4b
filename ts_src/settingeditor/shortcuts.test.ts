import { describe, expect, it } from 'vitest';
import type { KeyBinding } from '../commands/keybindings';
import { conflictsWith, findConflicts, parseShortcuts, rebind } from './shortcuts';

const b = (command: string, keys: string[], selector = 'body'): KeyBinding => ({ command, keys, selector });

describe('user shortcuts', () => {
  it('keeps only well-formed entries of the setting', () => {
    expect(
      parseShortcuts([
        { command: 'a', keys: ['Ctrl K'] },
        { command: 'b', keys: [] },
        { keys: ['Ctrl J'] },
        'x',
        { command: 'c', keys: ['Ctrl L'], disabled: true, selector: '.x' }
      ])
    ).toEqual([
      { command: 'a', keys: ['Ctrl K'] },
      { command: 'c', keys: ['Ctrl L'], disabled: true, selector: '.x' }
    ]);
    expect(parseShortcuts(undefined)).toEqual([]);
  });

  it('finds bindings the same keys (or a chord prefix) would also trigger', () => {
    const all = [b('save', ['Ctrl S']), b('cell', ['D', 'D'], '.nb'), b('other', ['Ctrl S'], '.nb'), b('x', ['Ctrl K'], '.y')];
    expect(conflictsWith(b('mine', ['Ctrl S']), all).map((c) => c.command)).toEqual(['save', 'other']);
    expect(conflictsWith(b('mine', ['D'], '.nb'), all).map((c) => c.command)).toEqual(['cell']);
    expect(conflictsWith(b('mine', ['Ctrl K'], '.z'), all)).toEqual([]);
    expect(conflictsWith(b('save', ['Ctrl S']), all).map((c) => c.command)).toEqual(['other']);
  });

  it('reports each conflict of user bindings once', () => {
    const mine = b('mine', ['Ctrl S']);
    const conflicts = findConflicts([mine], [b('save', ['Ctrl S']), mine]);
    expect(conflicts).toEqual([{ keys: ['Ctrl S'], commands: ['mine', 'save'] }]);
  });

  it('rebinding switches the default off, and going back switches it on again', () => {
    const step = rebind([], 'save', ['Ctrl Shift S'], 'body', { keys: ['Ctrl S'], selector: 'body' });
    expect(step).toEqual([
      { command: 'save', keys: ['Ctrl S'], selector: 'body', disabled: true },
      { command: 'save', keys: ['Ctrl Shift S'], selector: 'body' }
    ]);
    expect(rebind(step, 'save', ['Ctrl S'], 'body', null)).toEqual([]);
    const replaced = rebind([], 'mine', ['Ctrl S'], 'body', null, [b('save', ['Ctrl S'])]);
    expect(replaced).toEqual([
      { command: 'mine', keys: ['Ctrl S'], selector: 'body' },
      { command: 'save', keys: ['Ctrl S'], selector: 'body', disabled: true }
    ]);
  });
});
