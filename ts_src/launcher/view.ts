import type { CommandRegistry } from '../commands/registry';
import type { IDisposable } from '../core/disposable';
import { Widget } from '../shell/widget';
import { arrangeItems, LauncherItem, LauncherModel, RecentKernels } from './model';

/** What a {@link LauncherView} shows and whom it asks to act. */
export interface LauncherViewOptions {
  model: LauncherModel;
  commands: CommandRegistry;
  recent: RecentKernels;
  /** The folder new documents are created in ("" is the root). */
  cwd(): string;
  /** Subscribe to changes of {@link cwd}. */
  cwdChanged?(listener: () => void): IDisposable;
  /** Run a card: its command with its args and `cwd`. */
  launch(item: LauncherItem, cwd: string): void;
}

/**
 * The launcher: the folder it creates in, a filter box and cards by section. Arrow
 * keys move between cards (Up/Down by rows, Down from the filter to the first card),
 * Enter or a click runs one; Enter in the filter runs the first card shown.
 */
export class LauncherView extends Widget {
  private readonly filter: HTMLInputElement;
  private readonly folder: HTMLElement;
  private readonly body: HTMLElement;
  private readonly subscriptions: IDisposable[] = [];
  private readonly itemOf = new WeakMap<HTMLElement, LauncherItem>();

  constructor(
    id: string,
    private readonly options: LauncherViewOptions
  ) {
    super(id, 'Launcher');
    this.title.iconClass = 'ja-icon-add';
    this.node.className = 'ja-Launcher';
    this.node.dataset.testid = 'launcher';
    this.node.tabIndex = -1;

    const header = document.createElement('div');
    header.className = 'ja-Launcher-header';
    this.folder = document.createElement('div');
    this.folder.className = 'ja-Launcher-cwd';
    this.folder.dataset.testid = 'launcher-cwd';
    this.filter = document.createElement('input');
    this.filter.type = 'search';
    this.filter.className = 'ja-Launcher-filter';
    this.filter.dataset.testid = 'launcher-filter';
    this.filter.placeholder = 'Filter';
    this.filter.setAttribute('aria-label', 'Filter launcher items');
    header.append(this.folder, this.filter);
    this.body = document.createElement('div');
    this.body.className = 'ja-Launcher-body';
    this.node.append(header, this.body);

    this.filter.addEventListener('input', () => this.render());
    this.filter.addEventListener('keydown', (e) => this.onFilterKeydown(e));
    this.body.addEventListener('keydown', (e) => this.onCardKeydown(e));
    this.body.addEventListener('click', (e) => {
      const card = (e.target as Element).closest<HTMLElement>('.ja-Launcher-card');
      if (card) this.run(card);
    });
    this.subscriptions.push(options.model.changed(() => this.render()));
    this.subscriptions.push(options.commands.commandChanged(() => this.render()));
    if (options.cwdChanged) this.subscriptions.push(options.cwdChanged(() => this.renderFolder()));
    this.render();
  }

  override onActivate(): void {
    this.filter.focus({ preventScroll: true });
  }

  override dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    super.dispose();
  }

  private cards(): HTMLElement[] {
    return [...this.body.querySelectorAll<HTMLElement>('.ja-Launcher-card')];
  }

  /** Build the sections again (cards of unregistered commands are left out). */
  render(): void {
    this.renderFolder();
    const { commands, model, recent } = this.options;
    const sections = arrangeItems(model.items, {
      query: this.filter.value,
      recentKernels: recent.list,
      label: (item) => commands.label(item.command, item.args ?? {}),
      available: (item) => commands.hasCommand(item.command)
    });
    const nodes = sections.map((section) => {
      const node = document.createElement('section');
      node.className = 'ja-Launcher-section';
      node.dataset.category = section.category;
      const title = document.createElement('h2');
      title.className = 'ja-Launcher-sectionTitle';
      title.textContent = section.category;
      const grid = document.createElement('div');
      grid.className = 'ja-Launcher-cards';
      grid.setAttribute('role', 'group');
      grid.setAttribute('aria-label', section.category);
      for (const { item, label } of section.cards) {
        const card = document.createElement('button');
        card.className = 'ja-Launcher-card';
        card.dataset.testid = 'launcher-card';
        card.dataset.command = item.command;
        card.dataset.category = item.category;
        if (item.kernelName) card.dataset.kernel = item.kernelName;
        card.title = label;
        card.tabIndex = -1;
        const icon = document.createElement('div');
        icon.className = 'ja-Launcher-icon';
        if (item.iconUrl) {
          // A URL in an <img>: the logo cannot run script or style the page.
          const img = document.createElement('img');
          img.src = item.iconUrl;
          img.alt = '';
          img.decoding = 'async';
          img.loading = 'lazy';
          img.addEventListener('error', () => img.remove());
          icon.appendChild(img);
        } else if (item.iconText) {
          // Drawn by CSS from the attribute: the initials are a picture of the kernel,
          // not part of the card's text (its label, what a screen reader and a search read).
          icon.classList.add('ja-Launcher-initials');
          icon.dataset.testid = 'launcher-initials';
          icon.dataset.initials = item.iconText;
          icon.setAttribute('aria-hidden', 'true');
        } else {
          icon.classList.add('ja-ToolbarIcon', item.iconClass ?? 'ja-icon-newfile');
        }
        const text = document.createElement('span');
        text.className = 'ja-Launcher-label';
        text.textContent = label;
        card.append(icon, text);
        this.itemOf.set(card, item);
        grid.appendChild(card);
      }
      node.append(title, grid);
      return node;
    });
    if (nodes.length === 0) {
      const empty = document.createElement('p');
      empty.className = 'ja-Launcher-empty';
      empty.textContent = this.filter.value ? 'Nothing matches the filter' : 'Nothing to launch';
      nodes.push(empty);
    }
    this.body.replaceChildren(...nodes);
    const first = this.cards()[0];
    if (first) first.tabIndex = 0;
  }

  private renderFolder(): void {
    const cwd = this.options.cwd();
    this.folder.textContent = `Create in /${cwd}`;
    this.folder.dataset.path = cwd;
  }

  private run(card: HTMLElement): void {
    const item = this.itemOf.get(card);
    if (item) this.options.launch(item, this.options.cwd());
  }

  private focusCard(card: HTMLElement | undefined): void {
    if (!card) return;
    for (const c of this.cards()) c.tabIndex = c === card ? 0 : -1;
    card.focus();
  }

  private onFilterKeydown(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown') {
      this.focusCard(this.cards()[0]);
    } else if (event.key === 'Enter') {
      const first = this.cards()[0];
      if (first) this.run(first);
    } else if (event.key === 'Escape' && this.filter.value) {
      this.filter.value = '';
      this.render();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  private onCardKeydown(event: KeyboardEvent): void {
    const cards = this.cards();
    const current = event.target as HTMLElement;
    const index = cards.indexOf(current);
    if (index < 0) return;
    let next: HTMLElement | undefined;
    switch (event.key) {
      case 'ArrowRight':
        next = cards[index + 1];
        break;
      case 'ArrowLeft':
        next = cards[index - 1];
        break;
      case 'ArrowDown':
      case 'ArrowUp': {
        // The nearest card in the next (or previous) row, wherever the grid wraps.
        const box = current.getBoundingClientRect();
        const down = event.key === 'ArrowDown';
        const candidates = cards.filter((c) => {
          const r = c.getBoundingClientRect();
          return down ? r.top >= box.bottom - 1 : r.bottom <= box.top + 1;
        });
        const row = down
          ? Math.min(...candidates.map((c) => c.getBoundingClientRect().top))
          : Math.max(...candidates.map((c) => c.getBoundingClientRect().top));
        next = candidates
          .filter((c) => c.getBoundingClientRect().top === row)
          .sort((a, b) => Math.abs(a.getBoundingClientRect().left - box.left) - Math.abs(b.getBoundingClientRect().left - box.left))[0];
        if (!next && !down) this.filter.focus();
        break;
      }
      case 'Home':
        next = cards[0];
        break;
      case 'End':
        next = cards[cards.length - 1];
        break;
      case 'Enter':
      case ' ':
        this.run(current);
        break;
      default:
        return;
    }
    this.focusCard(next);
    event.preventDefault();
    event.stopPropagation();
  }
}
