/** One entry of a {@link ContextMenu}. */
export interface MenuItem {
  /** Shown as text, never HTML. */
  label: string;
  /** Run when chosen (after the menu closed). Not called for an item with a submenu. */
  run(): void;
  /** Greyed out and skipped by the arrow keys. */
  disabled?: boolean;
  /** A shortcut to show on the right ("F2", "Ctrl+C"). */
  shortcut?: string;
  /** A stable id for tests and styling (`data-id`). */
  id?: string;
  /** For a toggle: whether it is on (a check mark; `menuitemcheckbox` with `aria-checked`). */
  checked?: boolean;
  /** Entries of a submenu, opened by ArrowRight, Enter, a click or hovering. */
  submenu?: MenuEntries;
}

/** A list of items; `'separator'` draws a line between groups. */
export type MenuEntries = (MenuItem | 'separator')[];

/** Options of {@link ContextMenu.open}. */
export interface ContextMenuOptions {
  /** Called once when the menu closes (by a choice, Escape, Tab or a click outside). */
  onClose?(reason: 'chosen' | 'dismissed'): void;
  /**
   * ArrowLeft/ArrowRight where no submenu takes them (a menu bar moves to the
   * neighbouring menu, per the WAI-ARIA menubar pattern).
   */
  onNavigate?(direction: 'left' | 'right'): void;
  /** `data-testid` of the menu element (default "context-menu"). */
  testid?: string;
  /** Accessible name of the menu. */
  label?: string;
}

/**
 * A context menu: a floating list at the pointer (kept inside the window). Arrow
 * keys, Home and End move between enabled items, Enter or Space chooses, Escape or
 * a click outside closes it, and focus goes back where it was. Items may open
 * submenus (ArrowRight/ArrowLeft). One menu (with its submenus) at a time.
 */
export class ContextMenu {
  private static current: ContextMenu | null = null;
  readonly node: HTMLElement;
  private readonly buttons: HTMLButtonElement[] = [];
  private readonly previous: HTMLElement | null;
  private child: ContextMenu | null = null;
  private childOwner: HTMLButtonElement | null = null;
  private readonly onOutside = (event: Event) => {
    if (!this.contains(event.target as Node)) this.close('dismissed');
  };
  private readonly onBlur = () => this.close('dismissed');
  private closed = false;

  private constructor(
    entries: MenuEntries,
    x: number,
    y: number,
    private readonly options: ContextMenuOptions = {},
    private readonly parent: ContextMenu | null = null
  ) {
    this.previous = document.activeElement as HTMLElement | null;
    this.node = document.createElement('div');
    this.node.className = 'ja-Menu';
    this.node.dataset.testid = options.testid ?? 'context-menu';
    this.node.setAttribute('role', 'menu');
    if (options.label) this.node.setAttribute('aria-label', options.label);
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
      button.setAttribute('role', entry.checked === undefined ? 'menuitem' : 'menuitemcheckbox');
      if (entry.checked !== undefined) button.setAttribute('aria-checked', String(entry.checked));
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
      if (entry.submenu) {
        button.setAttribute('aria-haspopup', 'menu');
        button.setAttribute('aria-expanded', 'false');
      }
      button.addEventListener('click', () => {
        if (entry.submenu) {
          this.openChild(button, entry.submenu);
          return;
        }
        this.root().close('chosen');
        entry.run();
      });
      // A real pointer move, not the hover a menu gets by opening under a still pointer
      // (Chromium sends mouseenter then), which would take the keyboard's place.
      button.addEventListener('mousemove', (e) => {
        if (button.disabled || document.activeElement === button || (e.movementX === 0 && e.movementY === 0)) return;
        button.focus({ preventScroll: true });
        if (entry.submenu) {
          if (this.childOwner !== button) this.openChild(button, entry.submenu, false);
        } else this.closeChild();
      });
      this.buttons.push(button);
      this.node.appendChild(button);
    }
    this.node.addEventListener('keydown', (e) => this.onKeydown(e, entries));
    this.node.addEventListener('contextmenu', (e) => e.preventDefault());
    document.body.appendChild(this.node);
    // Keep it inside the window.
    const rect = this.node.getBoundingClientRect();
    this.node.style.left = `${Math.max(0, Math.min(x, window.innerWidth - rect.width - 2))}px`;
    this.node.style.top = `${Math.max(0, Math.min(y, window.innerHeight - rect.height - 2))}px`;
    if (!parent) {
      document.addEventListener('mousedown', this.onOutside, true);
      window.addEventListener('blur', this.onBlur);
    }
    this.enabled()[0]?.focus({ preventScroll: true });
  }

  /** Open a menu at (x, y) in viewport pixels, closing any other one. */
  static open(entries: MenuEntries, x: number, y: number, options: ContextMenuOptions = {}): ContextMenu {
    ContextMenu.current?.close('dismissed');
    const menu = new ContextMenu(entries, x, y, options);
    ContextMenu.current = menu;
    return menu;
  }

  /** Whether a menu is open now. */
  static get isOpen(): boolean {
    return ContextMenu.current !== null;
  }

  /** Close the menu (and its submenus); focus returns where it was when it had it. */
  close(reason: 'chosen' | 'dismissed' = 'dismissed'): void {
    if (this.closed) return;
    this.closed = true;
    this.closeChild();
    if (!this.parent) {
      document.removeEventListener('mousedown', this.onOutside, true);
      window.removeEventListener('blur', this.onBlur);
    }
    const hadFocus = this.node.contains(document.activeElement);
    this.node.remove();
    if (ContextMenu.current === this) ContextMenu.current = null;
    if (hadFocus && !this.parent) this.previous?.focus?.({ preventScroll: true });
    this.options.onClose?.(reason);
  }

  private root(): ContextMenu {
    return this.parent ? this.parent.root() : this;
  }

  private contains(node: Node): boolean {
    return this.node.contains(node) || (this.child?.contains(node) ?? false);
  }

  private openChild(button: HTMLButtonElement, entries: MenuEntries, focus = true): void {
    this.closeChild();
    const rect = button.getBoundingClientRect();
    this.child = new ContextMenu(entries, rect.right - 2, rect.top - 4, { testid: 'submenu' }, this);
    this.childOwner = button;
    button.setAttribute('aria-expanded', 'true');
    if (!focus) button.focus({ preventScroll: true });
  }

  private closeChild(): void {
    if (!this.child) return;
    this.child.close('dismissed');
    this.child = null;
    this.childOwner?.setAttribute('aria-expanded', 'false');
    this.childOwner = null;
  }

  private enabled(): HTMLButtonElement[] {
    return this.buttons.filter((b) => !b.disabled);
  }

  private onKeydown(event: KeyboardEvent, entries: MenuEntries): void {
    // Keys pressed in a submenu bubble to its own node only (it is not inside ours).
    const items = this.enabled();
    const focused = document.activeElement as HTMLButtonElement | null;
    const index = items.indexOf(focused as HTMLButtonElement);
    const entry = entries.filter((e): e is MenuItem => e !== 'separator')[this.buttons.indexOf(focused as HTMLButtonElement)];
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
      case 'ArrowRight':
        if (entry?.submenu && focused) this.openChild(focused, entry.submenu);
        else this.root().options.onNavigate?.('right');
        break;
      case 'ArrowLeft':
        if (this.parent) {
          const owner = this.parent.childOwner;
          this.parent.closeChild();
          owner?.focus({ preventScroll: true });
        } else this.options.onNavigate?.('left');
        break;
      case 'Escape':
        if (this.parent) {
          const owner = this.parent.childOwner;
          this.parent.closeChild();
          owner?.focus({ preventScroll: true });
        } else this.close('dismissed');
        break;
      case 'Tab':
        this.root().close('dismissed');
        break;
      case 'Enter':
      case ' ':
        focused?.click();
        break;
      default:
        return;
    }
    next?.focus({ preventScroll: true });
    event.preventDefault();
    event.stopPropagation();
  }
}
