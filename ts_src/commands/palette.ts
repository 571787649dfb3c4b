import { fuzzyMatch } from './fuzzy';
import { formatKeystroke } from './keystroke';
import type { KeybindingRegistry } from './keybindings';
import type { CommandRegistry } from './registry';
import { compareNames } from '../core/collation';

/** One row of the palette. */
interface Entry {
  id: string;
  label: string;
  category: string;
  caption: string;
  shortcut: string;
  score: number;
  indices: number[];
}

/**
 * The command palette: a modal list of every visible command, filtered by a fuzzy
 * query over "category: label", with each command's shortcut. Enter or click runs
 * the selection; Escape or a click outside closes it and gives focus back.
 */
export class CommandPalette {
  readonly node: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private entries: Entry[] = [];
  private active = 0;
  private restoreFocus: HTMLElement | null = null;

  constructor(
    private readonly commands: CommandRegistry,
    private readonly keybindings: KeybindingRegistry
  ) {
    this.node = document.createElement('div');
    this.node.className = 'ja-Palette-backdrop';
    this.node.hidden = true;
    const dialog = document.createElement('div');
    dialog.className = 'ja-Palette';
    dialog.dataset.testid = 'command-palette';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-label', 'Command palette');
    this.input = document.createElement('input');
    this.input.className = 'ja-Palette-input';
    this.input.dataset.testid = 'command-palette-input';
    this.input.type = 'search';
    this.input.placeholder = 'Search commands';
    this.input.setAttribute('aria-label', 'Search commands');
    this.input.setAttribute('role', 'combobox');
    this.input.setAttribute('aria-controls', 'ja-palette-list');
    this.list = document.createElement('ul');
    this.list.id = 'ja-palette-list';
    this.list.className = 'ja-Palette-list';
    this.list.setAttribute('role', 'listbox');
    dialog.append(this.input, this.list);
    this.node.appendChild(dialog);

    this.input.addEventListener('input', () => this.update());
    this.input.addEventListener('keydown', (e) => this.onKeydown(e));
    this.node.addEventListener('mousedown', (e) => {
      if (e.target === this.node) this.close();
    });
    this.list.addEventListener('click', (e) => {
      const li = (e.target as Element).closest<HTMLElement>('[data-command]');
      if (li) void this.run(Number(li.dataset.index));
    });
  }

  get isOpen(): boolean {
    return !this.node.hidden;
  }

  open(query = ''): void {
    if (!this.isOpen) this.restoreFocus = document.activeElement as HTMLElement | null;
    this.node.hidden = false;
    this.input.value = query;
    this.update();
    this.input.focus();
    this.input.select();
  }

  close(): void {
    if (!this.isOpen) return;
    this.node.hidden = true;
    this.restoreFocus?.focus?.({ preventScroll: true });
    this.restoreFocus = null;
  }

  private collect(query: string): Entry[] {
    const entries: Entry[] = [];
    for (const id of this.commands.listCommands()) {
      const label = this.commands.label(id);
      if (!label || !this.commands.isVisible(id)) continue;
      const category = this.commands.category(id);
      const text = category ? `${category}: ${label}` : label;
      const match = fuzzyMatch(query, text);
      if (!match) continue;
      const binding = this.keybindings.bindingFor(id);
      entries.push({
        id,
        label,
        category,
        caption: this.commands.caption(id),
        shortcut: binding ? binding.keys.map((k) => formatKeystroke(k)).join(', ') : '',
        score: match.score,
        indices: match.indices.map((i) => i - (category ? category.length + 2 : 0))
      });
    }
    const byText = (a: Entry, b: Entry) => compareNames(`${a.category}${a.label}`, `${b.category}${b.label}`);
    // Equal scores: the shorter label is the closer match ("Use Dark Theme" before
    // "Toggle Light/Dark Theme" for "dark theme").
    return entries.sort(query ? (a, b) => b.score - a.score || a.label.length - b.label.length || byText(a, b) : byText);
  }

  private update(): void {
    this.entries = this.collect(this.input.value);
    this.active = 0;
    const rows = this.entries.map((entry, index) => {
      const li = document.createElement('li');
      li.className = 'ja-Palette-item';
      li.dataset.testid = 'command-palette-item';
      li.dataset.command = entry.id;
      li.dataset.index = String(index);
      li.setAttribute('role', 'option');
      li.setAttribute('aria-disabled', String(!this.commands.isEnabled(entry.id)));
      const label = document.createElement('span');
      label.className = 'ja-Palette-label';
      label.append(...highlight(entry.label, entry.indices));
      const category = document.createElement('span');
      category.className = 'ja-Palette-category';
      category.textContent = entry.category;
      const shortcut = document.createElement('kbd');
      shortcut.className = 'ja-Palette-shortcut';
      shortcut.textContent = entry.shortcut;
      li.append(label, category, shortcut);
      if (entry.caption) li.title = entry.caption;
      return li;
    });
    if (rows.length === 0) {
      const none = document.createElement('li');
      none.className = 'ja-Palette-empty';
      none.textContent = 'No matching commands';
      rows.push(none);
    }
    this.list.replaceChildren(...rows);
    this.markActive();
  }

  private markActive(): void {
    this.list.querySelectorAll<HTMLElement>('[data-command]').forEach((li, i) => {
      const on = i === this.active;
      li.setAttribute('aria-selected', String(on));
      if (on) {
        li.scrollIntoView({ block: 'nearest' });
        this.input.setAttribute('aria-activedescendant', (li.id = `ja-palette-item-${i}`));
      }
    });
  }

  private onKeydown(event: KeyboardEvent): void {
    switch (event.key) {
      case 'ArrowDown':
        this.active = Math.min(this.entries.length - 1, this.active + 1);
        this.markActive();
        break;
      case 'ArrowUp':
        this.active = Math.max(0, this.active - 1);
        this.markActive();
        break;
      case 'Enter':
        void this.run(this.active);
        break;
      case 'Escape':
        this.close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  private async run(index: number): Promise<void> {
    const entry = this.entries[index];
    if (!entry || !this.commands.isEnabled(entry.id)) return;
    this.close();
    try {
      await this.commands.execute(entry.id);
    } catch (err) {
      console.error(`Command "${entry.id}" failed:`, err);
    }
  }
}

/** The label as text nodes, with matched characters wrapped in <mark>. */
function highlight(text: string, indices: number[]): Node[] {
  const marks = new Set(indices.filter((i) => i >= 0));
  const nodes: Node[] = [];
  let run = '';
  for (let i = 0; i < text.length; i++) {
    if (marks.has(i)) {
      if (run) nodes.push(document.createTextNode(run));
      run = '';
      const mark = document.createElement('mark');
      mark.textContent = text[i]!;
      nodes.push(mark);
    } else {
      run += text[i];
    }
  }
  if (run) nodes.push(document.createTextNode(run));
  return nodes;
}
