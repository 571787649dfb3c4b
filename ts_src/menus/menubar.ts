import type { KeybindingRegistry } from '../commands/keybindings';
import type { CommandRegistry } from '../commands/registry';
import { Widget } from '../shell/widget';
import { ContextMenu, MenuEntries } from './contextmenu';
import { MenuRegistry, ResolvedEntry, resolveEntries } from './model';
import { shortcutText } from './shortcut';

/**
 * The menu bar (WAI-ARIA `menubar`): one button per menu of the {@link MenuRegistry}.
 * Alt (pressed and released alone) or F10 focuses it; ArrowLeft/Right move between
 * menus, ArrowDown, Enter or Space open one, Escape goes back to where the focus was.
 * A menu's entries are resolved when it opens, so labels, enabled states, check
 * marks and shortcuts are current; choosing one runs its command.
 */
export class MenuBarView extends Widget {
  private buttons: HTMLButtonElement[] = [];
  private openIndex = -1;
  private menu: ContextMenu | null = null;
  private returnFocus: HTMLElement | null = null;

  constructor(
    private readonly menus: MenuRegistry,
    private readonly commands: CommandRegistry,
    private readonly keybindings: KeybindingRegistry,
    private readonly onError: (command: string, err: unknown) => void
  ) {
    super('menubar', 'Menu Bar');
    this.node.className = 'ja-MenuBar';
    this.node.dataset.testid = 'menubar';
    this.node.setAttribute('role', 'menubar');
    this.node.setAttribute('aria-label', 'Main menu');
    this.node.addEventListener('keydown', (e) => this.onKeydown(e));
    this.node.addEventListener('focusin', (e) => {
      if (!this.node.contains(e.relatedTarget as Node) && !(e.relatedTarget as Element | null)?.closest?.('.ja-Menu')) {
        this.returnFocus = e.relatedTarget as HTMLElement | null;
      }
    });
    menus.changed(() => this.render());
    this.render();
    this.listenForAltAndF10();
  }

  /** Focus the first menu (or the one open), as Alt and F10 do. */
  focusBar(): void {
    const target = this.buttons[Math.max(0, this.openIndex)] ?? this.buttons[0];
    this.roving(target);
    target?.focus();
  }

  private render(): void {
    this.closeMenu();
    this.buttons = this.menus.all.map((menu, index) => {
      const button = document.createElement('button');
      button.className = 'ja-MenuBar-item';
      button.dataset.testid = 'menubar-item';
      button.dataset.id = menu.id;
      button.textContent = menu.label;
      button.tabIndex = index === 0 ? 0 : -1;
      button.setAttribute('role', 'menuitem');
      button.setAttribute('aria-haspopup', 'menu');
      button.setAttribute('aria-expanded', 'false');
      button.addEventListener('mousedown', (e) => {
        // Toggle on press, as desktop menus do; keep the focus where it was until a menu opens.
        e.preventDefault();
        if (this.openIndex === index) this.closeMenu();
        else this.openMenu(index, false);
      });
      button.addEventListener('mousemove', (e) => {
        if (e.movementX === 0 && e.movementY === 0) return;
        if (this.openIndex >= 0 && this.openIndex !== index) this.openMenu(index, false);
      });
      return button;
    });
    this.node.replaceChildren(...this.buttons);
  }

  private roving(target: HTMLButtonElement | undefined): void {
    for (const b of this.buttons) b.tabIndex = b === target ? 0 : -1;
  }

  private openMenu(index: number, fromKeyboard: boolean): void {
    const button = this.buttons[index];
    const spec = this.menus.all[index];
    if (!button || !spec) return;
    if (!this.returnFocus && !this.node.contains(document.activeElement)) {
      this.returnFocus = document.activeElement as HTMLElement | null;
    }
    this.closeMenu();
    this.roving(button);
    if (fromKeyboard) button.focus();
    const entries = this.toEntries(resolveEntries(spec.items, this.state()));
    const rect = button.getBoundingClientRect();
    this.openIndex = index;
    button.setAttribute('aria-expanded', 'true');
    const menu = ContextMenu.open(entries, rect.left, rect.bottom, {
      testid: 'menu',
      label: spec.label,
      onNavigate: (direction) => {
        const n = this.buttons.length;
        this.openMenu((index + (direction === 'right' ? 1 : n - 1)) % n, true);
      },
      onClose: (reason) => {
        button.setAttribute('aria-expanded', 'false');
        if (this.menu === menu) {
          this.menu = null;
          this.openIndex = -1;
          if (reason === 'chosen') this.restoreFocus();
        }
      }
    });
    menu.node.dataset.id = spec.id;
    this.menu = menu;
  }

  private closeMenu(): void {
    const menu = this.menu;
    this.menu = null;
    this.openIndex = -1;
    menu?.close('dismissed');
  }

  private restoreFocus(): void {
    const target = this.returnFocus;
    this.returnFocus = null;
    if (target?.isConnected && target !== document.body) target.focus({ preventScroll: true });
    // Nothing had the focus before (a menu opened with the mouse on a fresh page): leave the bar all the same.
    else if (this.node.contains(document.activeElement)) (document.activeElement as HTMLElement).blur();
  }

  private state() {
    const { commands, keybindings } = this;
    return {
      hasCommand: (id: string) => commands.hasCommand(id),
      label: (id: string, args: Readonly<Record<string, unknown>>) => commands.label(id, args),
      isEnabled: (id: string, args: Readonly<Record<string, unknown>>) => commands.isEnabled(id, args),
      isToggled: (id: string, args: Readonly<Record<string, unknown>>) =>
        commands.isToggleable(id) ? commands.isToggled(id, args) : undefined,
      shortcut: (id: string) => shortcutText(keybindings, id)
    };
  }

  private toEntries(resolved: ResolvedEntry[]): MenuEntries {
    return resolved.map((entry) => {
      if (entry.kind === 'separator') return 'separator';
      if (entry.kind === 'submenu') {
        return { id: entry.id, label: entry.label, run: () => undefined, submenu: this.toEntries(entry.items) };
      }
      return {
        id: entry.command,
        label: entry.label,
        shortcut: entry.shortcut,
        disabled: !entry.enabled,
        ...(entry.checked === undefined ? {} : { checked: entry.checked }),
        run: () => {
          this.commands.execute(entry.command, entry.args).catch((err) => this.onError(entry.command, err));
        }
      };
    });
  }

  private onKeydown(event: KeyboardEvent): void {
    const index = this.buttons.indexOf(event.target as HTMLButtonElement);
    if (index < 0) return;
    const n = this.buttons.length;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowLeft': {
        const to = (index + (event.key === 'ArrowRight' ? 1 : n - 1)) % n;
        // The focus stays on the bar's item while its menu is open when the menu has
        // nothing enabled to focus (Edit without a document): the next menu opens too.
        if (this.openIndex >= 0) {
          this.openMenu(to, true);
        } else {
          this.roving(this.buttons[to]);
          this.buttons[to]?.focus();
        }
        break;
      }
      case 'Home':
      case 'End': {
        const next = this.buttons[event.key === 'Home' ? 0 : n - 1];
        this.roving(next);
        next?.focus();
        break;
      }
      case 'ArrowDown':
      case 'ArrowUp':
      case 'Enter':
      case ' ':
        this.openMenu(index, true);
        break;
      case 'Escape':
        // First Escape closes an open menu (the focus stays on its item), the next leaves the bar.
        if (this.openIndex >= 0) this.closeMenu();
        else this.restoreFocus();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  /** Alt pressed and released with no other key, or F10, focuses the bar (and leaves it again). */
  private listenForAltAndF10(): void {
    let altAlone = false;
    document.addEventListener(
      'keydown',
      (e) => {
        altAlone = e.key === 'Alt' && !e.ctrlKey && !e.shiftKey && !e.metaKey;
        if (e.key === 'F10' && !e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey) {
          e.preventDefault();
          this.toggleFocus();
        }
      },
      true
    );
    document.addEventListener(
      'keyup',
      (e) => {
        if (e.key === 'Alt' && altAlone) {
          e.preventDefault();
          this.toggleFocus();
        }
        altAlone = false;
      },
      true
    );
    document.addEventListener('mousedown', () => (altAlone = false), true);
  }

  private toggleFocus(): void {
    if (this.node.contains(document.activeElement)) this.restoreFocus();
    else if (!ContextMenu.isOpen) {
      this.returnFocus = document.activeElement as HTMLElement | null;
      this.focusBar();
    }
  }
}
