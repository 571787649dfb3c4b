/** One entry of a {@link ContextMenu}. */
export interface MenuItem {
  /** Shown as text, never HTML. */
  label: string;
  /** Run when chosen (after the menu closed). */
  run(): void;
  /** Greyed out and skipped by the arrow keys. */
  disabled?: boolean;
  /** A shortcut to show on the right ("F2", "Ctrl+C"). */
  shortcut?: string;
  /** A stable id for tests and styling (`data-id`). */
  id?: string;
}

/** A list of items; `'separator'` draws a line between groups. */
export type MenuEntries = (MenuItem | 'separator')[];

/**
 * A context menu: a floating list at the pointer (kept inside the window). Arrow
 * keys, Home and End move between enabled items, Enter or Space chooses, Escape or
 * a click outside closes it, and focus goes back where it was. One menu at a time.
 */
export class ContextMenu {
  private static current: ContextMenu | null = null;
  readonly node: HTMLElement;
  private readonly buttons: HTMLButtonElement[] = [];
  private readonly previous: HTMLElement | null;
  private readonly onOutside = (event: Event) => {
    if (!this.node.contains(event.target as Node)) this.close();
  };
  private readonly onBlur = () => this.close();
  private closed = false;

  private constructor(entries: MenuEntries, x: number, y: number) {
    this.previous = document.activeElement as HTMLElement | null;
    this.node = document.createElement('div');
    this.node.className = 'ja-Menu';
    this.node.dataset.testid = 'context-menu';
    this.node.setAttribute('role', 'menu');
    for (const entry of entries) {
      if (entry === 'separator') {
        const sep = document.createElement('div');
        sep.className = 'ja-Menu-separator';
        sep.setAttribute('role', 'separator');
        this.node.appendChild(sep);
        continue;
      }
      const button = document.createElement('button');
      button.className = 'ja-Menu-item';
      button.setAttribute('role', 'menuitem');
      button.tabIndex = -1;
      if (entry.id) button.dataset.id = entry.id;
      const label = document.createElement('span');
      label.className = 'ja-Menu-label';
      label.textContent = entry.label;
      const shortcut = document.createElement('span');
      shortcut.className = 'ja-Menu-shortcut';
      shortcut.textContent = entry.shortcut ?? '';
      button.append(label, shortcut);
      if (entry.disabled) {
        button.disabled = true;
        button.setAttribute('aria-disabled', 'true');
      }
      button.addEventListener('click', () => {
        this.close();
        entry.run();
      });
      button.addEventListener('mouseenter', () => {
        if (!button.disabled) button.focus({ preventScroll: true });
      });
      this.buttons.push(button);
      this.node.appendChild(button);
    }
    this.node.addEventListener('keydown', (e) => this.onKeydown(e));
    this.node.addEventListener('contextmenu', (e) => e.preventDefault());
    document.body.appendChild(this.node);
    // Keep it inside the window.
    const rect = this.node.getBoundingClientRect();
    this.node.style.left = `${Math.max(0, Math.min(x, window.innerWidth - rect.width - 2))}px`;
    this.node.style.top = `${Math.max(0, Math.min(y, window.innerHeight - rect.height - 2))}px`;
    document.addEventListener('mousedown', this.onOutside, true);
    window.addEventListener('blur', this.onBlur);
    this.enabled()[0]?.focus({ preventScroll: true });
  }

  /** Open a menu at (x, y) in viewport pixels, closing any other one. */
  static open(entries: MenuEntries, x: number, y: number): ContextMenu {
    ContextMenu.current?.close();
    const menu = new ContextMenu(entries, x, y);
    ContextMenu.current = menu;
    return menu;
  }

  /** Whether a menu is open now. */
  static get isOpen(): boolean {
    return ContextMenu.current !== null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    document.removeEventListener('mousedown', this.onOutside, true);
    window.removeEventListener('blur', this.onBlur);
    const hadFocus = this.node.contains(document.activeElement);
    this.node.remove();
    if (ContextMenu.current === this) ContextMenu.current = null;
    if (hadFocus) this.previous?.focus?.({ preventScroll: true });
  }

  private enabled(): HTMLButtonElement[] {
    return this.buttons.filter((b) => !b.disabled);
  }

  private onKeydown(event: KeyboardEvent): void {
    const items = this.enabled();
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    let next: HTMLButtonElement | undefined;
    switch (event.key) {
      case 'ArrowDown':
        next = items[(index + 1) % items.length];
        break;
      case 'ArrowUp':
        next = items[(index - 1 + items.length) % items.length];
        break;
      case 'Home':
        next = items[0];
        break;
      case 'End':
        next = items[items.length - 1];
        break;
      case 'Escape':
      case 'Tab':
        this.close();
        break;
      case 'Enter':
      case ' ':
        (document.activeElement as HTMLButtonElement | null)?.click();
        break;
      default:
        return;
    }
    next?.focus({ preventScroll: true });
    event.preventDefault();
    event.stopPropagation();
  }
}
