import { describe, expect, it } from 'vitest';
import { describeSelector, shortcutRows } from './model';

const source = {
  bindings: [
    { keys: ['Ctrl Shift C'], selector: 'body', command: 'palette:open' },
    { keys: ['D', 'D'], selector: '.ja-Notebook.ja-mod-commandMode:focus', command: 'notebook:delete-cell' },
    { keys: ['Shift Enter'], selector: '.ja-Notebook.ja-mod-editMode .cm-content', command: 'notebook:run' },
    { keys: ['Shift Enter'], selector: '.ja-Notebook.ja-mod-editMode .cm-content', command: 'notebook:run' },
    { keys: ['F9'], selector: 'body', command: 'hidden' }
  ],
  label: (c: string) => ({ 'palette:open': 'Open Command Palette', 'notebook:delete-cell': 'Delete Cells', 'notebook:run': 'Run Selected Cells' })[c] ?? '',
  category: (c: string) => (c.startsWith('notebook') ? 'Notebook' : 'View')
};

describe('shortcut help rows', () => {
  it('lists labelled bindings once, everywhere first, with keys formatted and places in words', () => {
    const rows = shortcutRows(source, '', false);
    expect(rows.map((r) => [r.label, r.keys, r.where])).toEqual([
      ['Open Command Palette', 'Ctrl+Shift+C', 'Everywhere'],
      ['Delete Cells', 'D, D', 'Notebook, command mode'],
      ['Run Selected Cells', 'Shift+Enter', 'Notebook, edit mode']
    ]);
  });

  it('filters by every word, over label, keys, place and command id', () => {
    expect(shortcutRows(source, 'edit shift', false).map((r) => r.command)).toEqual(['notebook:run']);
    expect(shortcutRows(source, 'D, D', false).map((r) => r.command)).toEqual(['notebook:delete-cell']);
    expect(shortcutRows(source, 'palette:open', false)).toHaveLength(1);
    expect(shortcutRows(source, 'nothing', false)).toEqual([]);
  });

  it('formats keys for macOS with symbols', () => {
    expect(shortcutRows(source, 'palette', true)[0]!.keys).toBe('⌃⇧C');
  });

  it('describes unknown selectors as they are', () => {
    expect(describeSelector('.my-widget')).toBe('.my-widget');
  });
});
