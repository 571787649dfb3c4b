import type { KeybindingRegistry } from '../commands/keybindings';
import type { CommandRegistry } from '../commands/registry';
import { showDialog } from '../dialogs/dialog';
import { ShortcutRow, shortcutRows } from './model';

function matches(el: Element, selector: string): boolean {
  try {
    return el.closest(selector) !== null;
  } catch {
    return false;
  }
}

function table(rows: ShortcutRow[], testid: string): HTMLTableElement {
  const t = document.createElement('table');
  t.dataset.testid = testid;
  const body = document.createElement('tbody');
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'shortcut-row';
    tr.dataset.command = row.command;
    const label = document.createElement('td');
    label.textContent = row.label;
    const where = document.createElement('td');
    where.className = 'ja-ShortcutHelp-where';
    where.textContent = row.where;
    const keys = document.createElement('td');
    keys.className = 'ja-ShortcutHelp-keys';
    const kbd = document.createElement('kbd');
    kbd.textContent = row.keys;
    keys.appendChild(kbd);
    tr.append(label, where, keys);
    body.appendChild(tr);
  }
  t.appendChild(body);
  return t;
}

/**
 * Show the keyboard shortcut help: the bindings that apply at `focus` (the element that
 * had the focus when asked: its selector matches it or an ancestor), then a searchable
 * list of every binding, both generated from the registries.
 */
export async function showShortcutHelp(commands: CommandRegistry, keybindings: KeybindingRegistry, focus: Element | null): Promise<void> {
  const source = {
    bindings: keybindings.keyBindings,
    label: (c: string) => commands.label(c),
    category: (c: string) => commands.category(c)
  };
  const node = document.createElement('div');
  node.className = 'ja-ShortcutHelp';
  node.dataset.testid = 'shortcut-help';
  const search = document.createElement('input');
  search.type = 'search';
  search.className = 'ja-ShortcutHelp-search';
  search.dataset.testid = 'shortcut-help-search';
  search.placeholder = 'Search shortcuts';
  search.setAttribute('aria-label', 'Search shortcuts');
  const scroll = document.createElement('div');
  scroll.className = 'ja-ShortcutHelp-scroll';
  const target = focus ?? document.body;
  const render = () => {
    const all = shortcutRows(source, search.value);
    const here = all.filter((r) => r.selector !== 'body' && matches(target, r.selector));
    const hereTitle = document.createElement('h3');
    hereTitle.textContent = here.length ? 'Where the focus is' : 'Where the focus is: no shortcuts of its own';
    const allTitle = document.createElement('h3');
    allTitle.textContent = 'All shortcuts';
    scroll.replaceChildren(hereTitle, table(here, 'shortcut-help-here'), allTitle, table(all, 'shortcut-help-all'));
  };
  search.addEventListener('input', render);
  render();
  node.append(search, scroll);
  await showDialog({ title: 'Keyboard Shortcuts', body: node, buttons: [{ id: 'close', label: 'Close', kind: 'accept' }] });
}
