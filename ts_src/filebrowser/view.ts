import type { Contents } from '@jupyterlab/services';
import { Widget } from '../shell/widget';
import { formatDateTime, formatRelativeTime, formatSize } from './format';
import type { FileBrowserModel, SortKey } from './model';

/** What the view asks its owner to do; it never reaches the server itself. */
export interface FileBrowserActions {
  /** Open a file (not a folder) in the main area. */
  open(path: string): void;
  /** Toolbar buttons: a command id, an icon (style/icons.css) and a label. */
  toolbar?: { command: string; icon: string; label: string }[];
  /** Run a toolbar button's command. */
  execute?(command: string): void;
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'last_modified', label: 'Modified' },
  { key: 'size', label: 'Size' }
];

/**
 * The file browser panel: breadcrumbs, a sortable listing (name, modified, size),
 * double click or Enter to open, arrow keys to move, Backspace to go up.
 */
export class FileBrowserView extends Widget {
  private readonly crumbs: HTMLElement;
  private readonly header: HTMLElement;
  private readonly list: HTMLElement;
  private readonly errorBox: HTMLElement;
  private selected: string | null = null;
  private readonly clock: ReturnType<typeof setInterval>;

  constructor(
    private readonly model: FileBrowserModel,
    private readonly actions: FileBrowserActions
  ) {
    super('filebrowser', 'File Browser');
    this.title.caption = 'File Browser (Ctrl+Shift+F)';
    this.title.iconClass = 'ja-icon-folder';
    this.node.className = 'ja-FileBrowser';
    this.node.dataset.testid = 'filebrowser';

    this.crumbs = document.createElement('nav');
    this.crumbs.className = 'ja-FileBrowser-crumbs';
    this.crumbs.dataset.testid = 'filebrowser-breadcrumbs';
    this.crumbs.setAttribute('aria-label', 'Current folder');

    this.header = document.createElement('div');
    this.header.className = 'ja-FileBrowser-header';
    for (const col of COLUMNS) {
      const button = document.createElement('button');
      button.className = `ja-FileBrowser-col ja-mod-${col.key}`;
      button.dataset.sort = col.key;
      button.textContent = col.label;
      button.addEventListener('click', () => model.sortBy(col.key));
      this.header.appendChild(button);
    }

    this.errorBox = document.createElement('div');
    this.errorBox.className = 'ja-FileBrowser-error';
    this.errorBox.setAttribute('role', 'alert');
    this.errorBox.hidden = true;

    this.list = document.createElement('ul');
    this.list.className = 'ja-FileBrowser-list';
    this.list.setAttribute('role', 'listbox');
    this.list.setAttribute('aria-label', 'Files');
    this.list.tabIndex = 0;
    this.list.addEventListener('click', (e) => this.onClick(e));
    this.list.addEventListener('dblclick', (e) => this.onDblClick(e));
    this.list.addEventListener('keydown', (e) => this.onKeydown(e));

    const toolbar = document.createElement('div');
    toolbar.className = 'ja-FileBrowser-toolbar';
    toolbar.setAttribute('role', 'toolbar');
    toolbar.setAttribute('aria-label', 'File actions');
    for (const item of actions.toolbar ?? []) {
      const button = document.createElement('button');
      button.className = `ja-Toolbar-button ja-ToolbarIcon ja-icon-${item.icon}`;
      button.dataset.command = item.command;
      button.title = item.label;
      button.setAttribute('aria-label', item.label);
      button.addEventListener('click', () => actions.execute?.(item.command));
      toolbar.appendChild(button);
    }

    this.node.append(toolbar, this.crumbs, this.header, this.errorBox, this.list);
    model.changed(() => this.render());
    // Relative times ("2 minutes ago") age; refresh their text once a minute.
    this.clock = setInterval(() => this.renderTimes(), 60_000);
    this.render();
  }

  override onActivate(): void {
    this.list.focus({ preventScroll: true });
  }

  override dispose(): void {
    clearInterval(this.clock);
    super.dispose();
  }

  private render(): void {
    this.renderCrumbs();
    const sort = this.model.sort;
    for (const button of this.header.querySelectorAll<HTMLElement>('button')) {
      const active = button.dataset.sort === sort.key;
      button.classList.toggle('ja-mod-sorted', active);
      button.setAttribute('aria-sort', active ? (sort.ascending ? 'ascending' : 'descending') : 'none');
    }
    this.errorBox.hidden = this.model.error === null;
    this.errorBox.textContent = this.model.error ?? '';
    const rows = this.model.items.map((item) => this.row(item));
    if (!this.model.items.some((i) => i.path === this.selected)) this.selected = null;
    this.list.replaceChildren(...rows);
    if (rows.length === 0 && this.model.error === null) {
      const empty = document.createElement('li');
      empty.className = 'ja-FileBrowser-empty';
      empty.textContent = 'This folder is empty';
      this.list.appendChild(empty);
    }
  }

  private renderCrumbs(): void {
    const parts = this.model.path ? this.model.path.split('/') : [];
    const crumbs: HTMLElement[] = [];
    const root = document.createElement('button');
    root.className = 'ja-FileBrowser-crumb ja-mod-root';
    root.title = 'Root folder';
    root.setAttribute('aria-label', 'Root folder');
    root.textContent = '⌂';
    root.addEventListener('click', () => void this.model.cd(''));
    crumbs.push(root);
    parts.forEach((part, i) => {
      const sep = document.createElement('span');
      sep.className = 'ja-FileBrowser-sep';
      sep.textContent = '/';
      const crumb = document.createElement('button');
      crumb.className = 'ja-FileBrowser-crumb';
      crumb.textContent = part;
      const target = parts.slice(0, i + 1).join('/');
      crumb.addEventListener('click', () => void this.model.cd(target));
      crumbs.push(sep, crumb);
    });
    this.crumbs.replaceChildren(...crumbs);
  }

  private row(item: Contents.IModel): HTMLElement {
    const li = document.createElement('li');
    li.className = 'ja-FileBrowser-item';
    li.dataset.testid = 'filebrowser-item';
    li.dataset.name = item.name;
    li.dataset.path = item.path;
    li.dataset.type = item.type;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', String(item.path === this.selected));
    li.title = item.path;

    const name = document.createElement('span');
    name.className = `ja-FileBrowser-name ja-icon-${item.type}`;
    name.textContent = item.name;
    const modified = document.createElement('span');
    modified.className = 'ja-FileBrowser-modified';
    modified.dataset.time = item.last_modified;
    modified.textContent = formatRelativeTime(item.last_modified);
    modified.title = formatDateTime(item.last_modified);
    const size = document.createElement('span');
    size.className = 'ja-FileBrowser-size';
    size.textContent = item.type === 'directory' ? '' : formatSize(item.size);
    li.append(name, modified, size);
    return li;
  }

  private renderTimes(): void {
    for (const el of this.list.querySelectorAll<HTMLElement>('.ja-FileBrowser-modified')) {
      el.textContent = formatRelativeTime(el.dataset.time ?? '');
    }
  }

  private itemOf(event: Event): HTMLElement | null {
    return (event.target as Element | null)?.closest<HTMLElement>('.ja-FileBrowser-item') ?? null;
  }

  private select(path: string | null): void {
    this.selected = path;
    for (const li of this.list.querySelectorAll<HTMLElement>('.ja-FileBrowser-item')) {
      const on = li.dataset.path === path;
      li.setAttribute('aria-selected', String(on));
      if (on) li.scrollIntoView({ block: 'nearest' });
    }
  }

  private onClick(event: MouseEvent): void {
    const li = this.itemOf(event);
    if (li) this.select(li.dataset.path ?? null);
  }

  private onDblClick(event: MouseEvent): void {
    const li = this.itemOf(event);
    if (li) this.openItem(li.dataset.path!, li.dataset.type!);
  }

  private openItem(path: string, type: string): void {
    if (type === 'directory') void this.model.cd(path);
    else this.actions.open(path);
  }

  private onKeydown(event: KeyboardEvent): void {
    const items = this.model.items;
    const index = items.findIndex((i) => i.path === this.selected);
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (items.length === 0) return;
        const next = event.key === 'ArrowDown' ? Math.min(items.length - 1, index + 1) : Math.max(0, index - 1);
        this.select(items[next]!.path);
        break;
      }
      case 'Enter':
        if (index >= 0) this.openItem(items[index]!.path, items[index]!.type);
        break;
      case 'Backspace':
        void this.model.cd('..');
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }
}
