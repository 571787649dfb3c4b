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
  /**
   * Show the context menu at (x, y) (viewport pixels): `onItem` when the person
   * right-clicked an entry (now selected), else the folder's empty space.
   */
  contextMenu?(x: number, y: number, onItem: boolean): void;
  /**
   * Upload files the person picked or dropped onto the listing, into `dir` (a folder
   * row they were dropped on) or else the current folder.
   */
  upload?(files: File[], dir?: string): void;
  /** Folders were dropped (by name): they are not uploaded; tell the person. */
  foldersDropped?(names: string[]): void;
}

const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'Name' },
  { key: 'last_modified', label: 'Modified' },
  { key: 'size', label: 'Size' }
];

/**
 * The file browser panel: breadcrumbs, a sortable listing (name, modified, size),
 * double click or Enter to open, arrow keys to move (Shift extends), Backspace to go
 * up; Ctrl/Shift+click select several; right click opens the context menu; files
 * dropped from the desktop are uploaded; an inline editor renames.
 */
export class FileBrowserView extends Widget {
  private readonly crumbs: HTMLElement;
  private readonly header: HTMLElement;
  private readonly list: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly uploadsBox: HTMLElement;
  private readonly fileInput: HTMLInputElement;
  private renaming: { path: string; finish: (name: string | null) => void } | null = null;
  private dragDepth = 0;
  /** Set while rows are rebuilt: the rename field's blur then is no commit. */
  private rendering = false;
  private readonly clock: ReturnType<typeof setInterval>;

  constructor(
    private readonly model: FileBrowserModel,
    private readonly actions: FileBrowserActions
  ) {
    super('filebrowser', 'File Browser');
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
    this.list.addEventListener('contextmenu', (e) => this.onContextMenu(e));

    this.uploadsBox = document.createElement('div');
    this.uploadsBox.className = 'ja-FileBrowser-uploads';
    this.uploadsBox.setAttribute('aria-live', 'polite');
    this.uploadsBox.hidden = true;

    this.fileInput = document.createElement('input');
    this.fileInput.type = 'file';
    this.fileInput.multiple = true;
    this.fileInput.hidden = true;
    this.fileInput.dataset.testid = 'filebrowser-upload-input';
    this.fileInput.addEventListener('change', () => {
      const files = [...(this.fileInput.files ?? [])];
      this.fileInput.value = '';
      if (files.length > 0) actions.upload?.(files);
    });

    this.node.addEventListener('dragenter', (e) => this.onDrag(e));
    this.node.addEventListener('dragover', (e) => this.onDrag(e));
    this.node.addEventListener('dragleave', (e) => this.onDrag(e));
    this.node.addEventListener('drop', (e) => this.onDrop(e));

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

    this.node.append(toolbar, this.fileInput, this.crumbs, this.header, this.errorBox, this.uploadsBox, this.list);
    model.changed(() => this.render());
    model.selectionChanged(() => this.renderSelection());
    model.uploadsChanged(() => this.renderUploads());
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
    // A re-listing while a name is being edited keeps the editor (and its focus) in its row.
    const editor = this.renaming ? this.list.querySelector<HTMLInputElement>('.ja-FileBrowser-rename') : null;
    const editorFocused = !!editor && editor === document.activeElement;
    const rows = this.model.items.map((item) => this.row(item));
    this.rendering = true;
    try {
      if (editor && this.renaming) {
        const row = rows.find((r) => r.dataset.path === this.renaming!.path);
        if (row) row.querySelector('.ja-FileBrowser-name')!.replaceChildren(editor);
        else this.renaming.finish(null); // the file went away
      }
      this.list.replaceChildren(...rows);
      if (editorFocused && editor.isConnected) editor.focus({ preventScroll: true });
    } finally {
      this.rendering = false;
    }
    if (rows.length === 0 && this.model.error === null) {
      const empty = document.createElement('li');
      empty.className = 'ja-FileBrowser-empty';
      empty.textContent = 'This folder is empty';
      this.list.appendChild(empty);
    }
  }

  /** Mark selected and cut rows in place: rebuilding rows would break a double click. */
  private renderSelection(): void {
    const cut = this.model.clipboard?.mode === 'cut' ? this.model.clipboard.paths : [];
    for (const li of this.list.querySelectorAll<HTMLElement>('.ja-FileBrowser-item')) {
      li.setAttribute('aria-selected', String(this.model.selected.has(li.dataset.path!)));
      li.classList.toggle('ja-mod-cut', cut.includes(li.dataset.path!));
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
    li.setAttribute('aria-selected', String(this.model.selected.has(item.path)));
    if (this.model.clipboard?.mode === 'cut' && this.model.clipboard.paths.includes(item.path)) {
      li.classList.add('ja-mod-cut');
    }
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

  /** Select as a click does, and keep the clicked row in view. */
  private select(path: string | null, mode: 'replace' | 'toggle' | 'range' = 'replace'): void {
    this.model.select(path, mode);
    if (path !== null) this.rowOf(path)?.scrollIntoView({ block: 'nearest' });
  }

  private rowOf(path: string): HTMLElement | undefined {
    return [...this.list.querySelectorAll<HTMLElement>('.ja-FileBrowser-item')].find((li) => li.dataset.path === path);
  }

  private onClick(event: MouseEvent): void {
    if ((event.target as Element).closest('.ja-FileBrowser-rename')) return;
    const li = this.itemOf(event);
    if (!li) {
      if (!event.ctrlKey && !event.metaKey && !event.shiftKey) this.select(null);
      return;
    }
    const mode = event.shiftKey ? 'range' : event.ctrlKey || event.metaKey ? 'toggle' : 'replace';
    this.select(li.dataset.path ?? null, mode);
  }

  private onContextMenu(event: MouseEvent): void {
    if (!this.actions.contextMenu || (event.target as Element).closest('.ja-FileBrowser-rename')) return;
    event.preventDefault();
    const li = this.itemOf(event);
    if (li && !this.model.selected.has(li.dataset.path!)) this.select(li.dataset.path!);
    if (!li) this.select(null);
    this.list.focus({ preventScroll: true });
    // The context menu key opens it at the selected row rather than the pointer.
    let { clientX: x, clientY: y } = event;
    if (x === 0 && y === 0) {
      const rect = (li ?? this.list).getBoundingClientRect();
      x = rect.left + 24;
      y = rect.top + rect.height / 2;
    }
    this.actions.contextMenu(x, y, !!li);
  }

  /** Open the browser's file picker for an upload (the toolbar's Upload button). */
  chooseFiles(): void {
    this.fileInput.click();
  }

  /**
   * Edit the name of `path` in place: Enter commits, Escape cancels, so does
   * leaving the field with the name unchanged; leaving it after a change commits
   * (as in JupyterLab). The base name is pre-selected, without the extension.
   * @returns The new name, or null when cancelled.
   */
  editName(path: string): Promise<string | null> {
    this.renaming?.finish(null);
    const li = this.rowOf(path);
    const nameEl = li?.querySelector<HTMLElement>('.ja-FileBrowser-name');
    if (!li || !nameEl) return Promise.resolve(null);
    li.scrollIntoView({ block: 'nearest' });
    const original = li.dataset.name ?? '';
    const input = document.createElement('input');
    input.className = 'ja-FileBrowser-rename';
    input.dataset.testid = 'filebrowser-rename';
    input.value = original;
    input.spellcheck = false;
    input.setAttribute('aria-label', `New name for ${original}`);
    return new Promise((resolve) => {
      const finish = (name: string | null) => {
        if (this.renaming?.finish !== finish) return;
        this.renaming = null;
        const focused = input === document.activeElement;
        input.remove();
        // Until the listing shows the result, the row shows its old name.
        const row = this.rowOf(path)?.querySelector<HTMLElement>('.ja-FileBrowser-name');
        if (row) row.textContent = original;
        if (focused) this.list.focus({ preventScroll: true });
        resolve(name !== null && name !== original ? name : null);
      };
      this.renaming = { path, finish };
      input.addEventListener('keydown', (e) => {
        // The listing's own keys (Backspace, arrows, Delete) stay in the field.
        e.stopPropagation();
        if (e.key === 'Enter') {
          e.preventDefault();
          finish(input.value);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          finish(null);
        }
      });
      input.addEventListener('blur', () => {
        if (!this.rendering) finish(input.value);
      });
      for (const type of ['click', 'dblclick', 'mousedown'] as const) input.addEventListener(type, (e) => e.stopPropagation());
      nameEl.replaceChildren(input);
      input.focus();
      const dot = original.lastIndexOf('.');
      input.setSelectionRange(0, dot > 0 && li.dataset.type !== 'directory' ? dot : original.length);
    });
  }

  private renderUploads(): void {
    const uploads = this.model.uploads;
    this.uploadsBox.hidden = uploads.length === 0;
    this.uploadsBox.replaceChildren(
      ...uploads.map((u) => {
        const row = document.createElement('div');
        row.className = 'ja-FileBrowser-upload';
        row.dataset.testid = 'upload';
        row.dataset.path = u.path;
        const name = document.createElement('span');
        name.className = 'ja-FileBrowser-uploadName';
        name.textContent = u.path.split('/').pop() ?? u.path;
        row.appendChild(name);
        if (u.error) {
          row.classList.add('ja-mod-error');
          const error = document.createElement('span');
          error.className = 'ja-FileBrowser-uploadError';
          error.textContent = `failed: ${u.error}`;
          row.appendChild(error);
        } else {
          const bar = document.createElement('progress');
          bar.max = Math.max(1, u.total);
          bar.value = u.loaded;
          const percent = u.total > 0 ? Math.floor((100 * u.loaded) / u.total) : 100;
          bar.setAttribute('aria-label', `Uploading ${name.textContent}: ${percent}%`);
          const label = document.createElement('span');
          label.className = 'ja-FileBrowser-uploadPercent';
          label.textContent = `${percent}%`;
          row.append(bar, label);
        }
        return row;
      })
    );
  }

  private onDrag(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    if (event.type === 'dragenter') this.dragDepth++;
    else if (event.type === 'dragleave') this.dragDepth = Math.max(0, this.dragDepth - 1);
    if (event.type === 'dragover') event.dataTransfer.dropEffect = 'copy';
    this.node.classList.toggle('ja-mod-dropTarget', event.type === 'dragover' || this.dragDepth > 0);
    const folder = event.type === 'dragleave' ? null : this.folderRowOf(event);
    for (const li of this.list.querySelectorAll('.ja-mod-dropTarget')) if (li !== folder) li.classList.remove('ja-mod-dropTarget');
    folder?.classList.add('ja-mod-dropTarget');
  }

  /** The folder row under a drag, if any: files dropped there go into that folder. */
  private folderRowOf(event: Event): HTMLElement | null {
    const li = this.itemOf(event);
    return li?.dataset.type === 'directory' ? li : null;
  }

  private onDrop(event: DragEvent): void {
    this.dragDepth = 0;
    for (const el of this.node.querySelectorAll('.ja-mod-dropTarget')) el.classList.remove('ja-mod-dropTarget');
    this.node.classList.remove('ja-mod-dropTarget');
    const transfer = event.dataTransfer;
    if (!transfer || transfer.files.length === 0) return;
    event.preventDefault();
    // A dropped folder arrives as a File that cannot be read: keep it out, and say so.
    const folders = new Set<string>();
    for (const item of transfer.items ?? []) {
      const entry = item.kind === 'file' ? item.webkitGetAsEntry?.() : null;
      if (entry?.isDirectory) folders.add(entry.name);
    }
    const files = [...transfer.files].filter((f) => !folders.has(f.name));
    if (folders.size > 0) this.actions.foldersDropped?.([...folders]);
    if (files.length > 0) this.actions.upload?.(files, this.folderRowOf(event)?.dataset.path);
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
    if (event.target !== this.list) return; // e.g. the rename field
    const items = this.model.items;
    const focused = this.model.selectedItems;
    const last = focused[focused.length - 1]?.path ?? null;
    const index = items.findIndex((i) => i.path === last);
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (items.length === 0) return;
        const next = event.key === 'ArrowDown' ? Math.min(items.length - 1, index + 1) : Math.max(0, index - 1);
        this.select(items[next]!.path, event.shiftKey ? 'range' : 'replace');
        break;
      }
      case 'Enter':
        if (index >= 0 && focused.length === 1) this.openItem(items[index]!.path, items[index]!.type);
        else for (const item of focused) if (item.type !== 'directory') this.actions.open(item.path);
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
