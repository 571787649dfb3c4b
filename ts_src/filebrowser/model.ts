import type { Contents } from '@jupyterlab/services';
import { Emitter } from '../core/emitter';

/** What the file browser model needs of the host's contents service. */
export type ContentsLike = Pick<Contents.IManager, 'get' | 'fileChanged'>;

/** A column the listing can be sorted by. */
export type SortKey = 'name' | 'last_modified' | 'size';

/** Options of {@link FileBrowserModel}. */
export interface FileBrowserModelOptions {
  contents: ContentsLike;
  /** How often to re-list the folder to notice outside changes, in ms (default 5000; 0: never). */
  pollInterval?: number;
  /** Whether the page is visible; polling pauses when not (default: `document.visibilityState`). */
  isVisible?: () => boolean;
}

/**
 * The state of the file browser: the current folder, its listing (folders first,
 * then by the sort key), the selection and the last error. Reads through the
 * contents service; views render it and call its methods.
 */
export class FileBrowserModel {
  private _path = '';
  private _items: Contents.IModel[] = [];
  private _error: string | null = null;
  private _sort: { key: SortKey; ascending: boolean } = { key: 'name', ascending: true };
  private signature = '';
  private timer: ReturnType<typeof setInterval> | null = null;
  private inflight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;
  private cdRequest = 0;
  private readonly contents: ContentsLike;
  private readonly isVisible: () => boolean;
  private readonly _changed = new Emitter<void>();
  /** Fires when the path, listing, sort or error change. */
  readonly changed = this._changed.event;
  private readonly fileChangedSlot = () => void this.refresh();

  constructor(options: FileBrowserModelOptions) {
    this.contents = options.contents;
    this.isVisible = options.isVisible ?? (() => document.visibilityState !== 'hidden');
    this.contents.fileChanged.connect(this.fileChangedSlot);
    const interval = options.pollInterval ?? 5000;
    if (interval > 0) {
      this.timer = setInterval(() => {
        if (this.isVisible()) void this.refresh();
      }, interval);
    }
  }

  /** The current folder, relative to the server root ("" is the root). */
  get path(): string {
    return this._path;
  }

  /** The current folder's entries, sorted. */
  get items(): readonly Contents.IModel[] {
    return this._items;
  }

  /** Why the last listing failed, or null. */
  get error(): string | null {
    return this._error;
  }

  get sort(): { key: SortKey; ascending: boolean } {
    return this._sort;
  }

  /** Sort by `key`; sorting by the current key again reverses the order. */
  sortBy(key: SortKey): void {
    this._sort = key === this._sort.key ? { key, ascending: !this._sort.ascending } : { key, ascending: true };
    this._items = sortItems(this._items, this._sort.key, this._sort.ascending);
    this._changed.emit();
  }

  /**
   * Go to folder `path` (relative to the root; ".." goes up) and list it.
   * Resolves false and keeps the current folder when the folder cannot be listed.
   */
  async cd(path: string): Promise<boolean> {
    const target = path === '..' ? parentPath(this._path) : normalizePath(path);
    const request = ++this.cdRequest;
    try {
      const model = await this.contents.get(target, { content: true, type: 'directory' });
      if (request !== this.cdRequest) return false; // a later cd() superseded this one
      this._path = target;
      this.setListing(model);
      return true;
    } catch (err) {
      if (request !== this.cdRequest) return false;
      this._error = `Cannot open folder "${target || '/'}": ${errorMessage(err)}`;
      this._changed.emit();
      return false;
    }
  }

  /**
   * List the current folder again. A call while a listing is on its way lists once
   * more after it (the change that prompted the call may postdate that request, or
   * the folder may have changed); such calls share that one follow-up request.
   */
  refresh(): Promise<void> {
    if (this.inflight) {
      this.queued ??= this.inflight.then(() => {
        this.queued = null;
        return this.refresh();
      });
      return this.queued;
    }
    const path = this._path;
    this.inflight = (async () => {
      try {
        const model = await this.contents.get(path, { content: true, type: 'directory' });
        if (path === this._path) this.setListing(model);
      } catch (err) {
        if (path === this._path) {
          this._error = `Cannot list "${path || '/'}": ${errorMessage(err)}`;
          this.signature = '';
          this._changed.emit();
        }
      } finally {
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  private setListing(model: Contents.IModel): void {
    const items = Array.isArray(model.content) ? (model.content as Contents.IModel[]) : [];
    const signature = `${this._path}\n${items.map((i) => `${i.name}|${i.type}|${i.last_modified}|${i.size}`).sort().join('\n')}`;
    const hadError = this._error !== null;
    this._error = null;
    if (signature === this.signature && !hadError) return;
    this.signature = signature;
    this._items = sortItems(items, this._sort.key, this._sort.ascending);
    this._changed.emit();
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.contents.fileChanged.disconnect(this.fileChangedSlot);
    this._changed.clear();
  }
}

/** Folders first; then by `key` (ties and names compared naturally: "a2" < "a10"). */
export function sortItems(items: readonly Contents.IModel[], key: SortKey, ascending: boolean): Contents.IModel[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const dir = ascending ? 1 : -1;
  return [...items].sort((a, b) => {
    const folders = Number(b.type === 'directory') - Number(a.type === 'directory');
    if (folders !== 0) return folders;
    let cmp = 0;
    if (key === 'last_modified') cmp = Date.parse(a.last_modified) - Date.parse(b.last_modified);
    else if (key === 'size') cmp = (a.size ?? 0) - (b.size ?? 0);
    if (cmp === 0) cmp = collator.compare(a.name, b.name);
    return cmp * dir;
  });
}

/** Strip leading/trailing slashes and resolve "." and ".." segments. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out.join('/');
}

/** The folder holding `path` ("" for top-level entries and the root). */
export function parentPath(path: string): string {
  const parts = normalizePath(path).split('/');
  parts.pop();
  return parts.join('/');
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
