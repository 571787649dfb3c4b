import type { Contents } from '@jupyterlab/services';
import { Emitter } from '../core/emitter';
import { uploadFile, UploadSource } from './upload';
import { errorMessage, errorStatus } from '../core/errors';
import { compareNames } from '../core/collation';

/** What the file browser model needs of the host's contents service. */
export type ContentsLike = Pick<
  Contents.IManager,
  'get' | 'fileChanged' | 'rename' | 'delete' | 'copy' | 'save' | 'newUntitled' | 'getDownloadUrl'
>;

/** How a click changes the selection: only this item, add/remove it, or the range from the anchor. */
export type SelectMode = 'replace' | 'toggle' | 'range';

/** Files copied or cut in the file browser, waiting for a paste. */
export interface FileClipboard {
  mode: 'copy' | 'cut';
  paths: string[];
}

/** An upload in progress (or just failed), as the file browser shows it. */
export interface UploadState {
  /** The target path. */
  path: string;
  /** Bytes sent so far, and the file's size. */
  loaded: number;
  total: number;
  /** Why it failed, once it has. */
  error?: string;
}

/**
 * A file operation that failed for some items: the message names each failure, as
 * the server explained it ("Permission denied", "already exists", ...).
 */
export class FileOperationError extends Error {
  constructor(
    message: string,
    /** The paths that were handled before or despite the failures. */
    readonly done: string[] = []
  ) {
    super(message);
    this.name = 'FileOperationError';
  }
}

/** A column the listing can be sorted by. */
export type SortKey = 'name' | 'last_modified' | 'size';

/** Options of {@link FileBrowserModel}. */
export interface FileBrowserModelOptions {
  contents: ContentsLike;
  /** What the timer's re-listing reads through (marked as not user activity); default `contents`. */
  pollContents?: Pick<ContentsLike, 'get'>;
  /** How often to re-list the folder to notice outside changes, in ms (default 5000; 0: never). */
  pollInterval?: number;
  /** Whether the page is visible; polling pauses when not (default: `document.visibilityState`). */
  isVisible?: () => boolean;
}

/**
 * The state of the file browser: the current folder, its listing (folders first,
 * then by the sort key), the selection, the file clipboard, uploads and the last
 * error. Reads and changes files through the contents service (rename, delete,
 * copy, move, upload, new file); every change lists the folder again afterwards,
 * whether it succeeded or not, so the listing always shows what the server has.
 * Views render it and call its methods.
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
  private readonly pollContents: Pick<ContentsLike, 'get'>;
  private readonly isVisible: () => boolean;
  private readonly _changed = new Emitter<void>();
  /** Fires when the path, listing, sort or error change. */
  readonly changed = this._changed.event;
  private readonly fileChangedSlot = () => void this.refresh();
  private _selected = new Set<string>();
  private anchor: string | null = null;
  private _clipboard: FileClipboard | null = null;
  private _uploads: UploadState[] = [];
  private readonly _selectionChanged = new Emitter<void>();
  /** Fires when the selection or the clipboard changes (the listing stays as it is). */
  readonly selectionChanged = this._selectionChanged.event;
  private readonly _uploadsChanged = new Emitter<void>();
  /** Fires when an upload starts, progresses, ends or fails. */
  readonly uploadsChanged = this._uploadsChanged.event;

  constructor(options: FileBrowserModelOptions) {
    this.contents = options.contents;
    this.pollContents = options.pollContents ?? options.contents;
    this.isVisible = options.isVisible ?? (() => document.visibilityState !== 'hidden');
    this.contents.fileChanged.connect(this.fileChangedSlot);
    const interval = options.pollInterval ?? 5000;
    if (interval > 0) {
      this.timer = setInterval(() => {
        if (this.isVisible()) void this.refresh(true);
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
   * `background`: the timer's re-listing, read through `pollContents`.
   */
  refresh(background = false): Promise<void> {
    if (this.inflight) {
      this.queued ??= this.inflight.then(() => {
        this.queued = null;
        return this.refresh(background);
      });
      return this.queued;
    }
    const path = this._path;
    this.inflight = (async () => {
      try {
        const source = background ? this.pollContents : this.contents;
        const model = await source.get(path, { content: true, type: 'directory' });
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
    const present = new Set(items.map((i) => i.path));
    this._selected = new Set([...this._selected].filter((p) => present.has(p)));
    if (this.anchor !== null && !present.has(this.anchor)) this.anchor = null;
    this._changed.emit();
  }

  /** The selected paths (a subset of the listing's). */
  get selected(): ReadonlySet<string> {
    return this._selected;
  }

  /** The selected entries, in listing order. */
  get selectedItems(): Contents.IModel[] {
    return this._items.filter((i) => this._selected.has(i.path));
  }

  /**
   * Change the selection as a click does: `'replace'` selects only `path` (null:
   * nothing), `'toggle'` adds or removes it (Ctrl+click), `'range'` selects from the
   * last clicked item to it, in listing order (Shift+click).
   */
  select(path: string | null, mode: SelectMode = 'replace'): void {
    if (path === null) {
      this._selected = new Set();
      this.anchor = null;
    } else if (mode === 'toggle') {
      const next = new Set(this._selected);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      this._selected = next;
      this.anchor = path;
    } else if (mode === 'range' && this.anchor !== null) {
      const paths = this._items.map((i) => i.path);
      const a = paths.indexOf(this.anchor);
      const b = paths.indexOf(path);
      if (a < 0 || b < 0) return this.select(path, 'replace');
      this._selected = new Set(paths.slice(Math.min(a, b), Math.max(a, b) + 1));
    } else {
      this._selected = new Set([path]);
      this.anchor = path;
    }
    this._selectionChanged.emit();
  }

  /** Select every entry of the folder. */
  selectAll(): void {
    this._selected = new Set(this._items.map((i) => i.path));
    this._selectionChanged.emit();
  }

  /** What was copied or cut, if anything. */
  get clipboard(): FileClipboard | null {
    return this._clipboard;
  }

  /** Uploads in progress, and failed ones until the next upload starts. */
  get uploads(): readonly UploadState[] {
    return this._uploads;
  }

  /**
   * Rename `path` to `newName` in the same folder; the selection follows.
   * @returns The new path (the old one when the name did not change).
   * @throws FileOperationError for an invalid name, a name that is taken, or a refusal
   *   by the server; the listing is refreshed either way.
   */
  async rename(path: string, newName: string): Promise<string> {
    const name = newName.trim();
    const oldName = path.split('/').pop() ?? path;
    if (name === oldName) return path;
    const invalid = checkName(name);
    if (invalid) throw new FileOperationError(invalid);
    const dir = parentPath(path);
    const target = joinPath(dir, name);
    // The rename's change notice may re-list the folder (dropping the old path from
    // the selection) before the request resolves: note the selection first.
    const wasSelected = this._selected.has(path);
    const wasAnchor = this.anchor === path;
    try {
      await this.contents.rename(path, target);
      if (wasSelected) this._selected = new Set([...this._selected].filter((p) => p !== path)).add(target);
      if (wasAnchor) this.anchor = target;
      return target;
    } catch (err) {
      throw new FileOperationError(
        isConflict(err)
          ? `Cannot rename "${oldName}": ${describeTaken(name, dir)}`
          : `Cannot rename "${oldName}" to "${name}": ${errorMessage(err)}`
      );
    } finally {
      await this.refresh();
    }
  }

  /**
   * Delete `paths` (folders with their contents), one by one.
   * @throws FileOperationError naming each path the server refused; the others are
   *   deleted and the listing refreshed.
   */
  async delete(paths: readonly string[]): Promise<void> {
    await this.each(paths, 'delete', (path) => this.contents.delete(path));
  }

  /**
   * Copy each of `paths` next to itself ("a-Copy1.txt", as the host names copies).
   * @returns The new paths.
   * @throws FileOperationError naming each failure.
   */
  async duplicate(paths: readonly string[]): Promise<string[]> {
    return this.each(paths, 'duplicate', async (path) => (await this.contents.copy(path, parentPath(path))).path);
  }

  /** Remember `paths` to paste copies of them elsewhere. */
  copy(paths: readonly string[]): void {
    this._clipboard = paths.length > 0 ? { mode: 'copy', paths: [...paths] } : null;
    this._selectionChanged.emit();
  }

  /** Remember `paths` to move them elsewhere at the next paste. */
  cut(paths: readonly string[]): void {
    this._clipboard = paths.length > 0 ? { mode: 'cut', paths: [...paths] } : null;
    this._selectionChanged.emit();
  }

  /**
   * Paste what was copied or cut into the folder `dir` (default: the current folder).
   * Copies keep their names when free (else the host adds "-Copy1"); cut items move
   * there under their name, and the clipboard empties once they moved. Moving an
   * item into its own folder does nothing; into itself is refused.
   * @returns The paths created or moved to.
   * @throws FileOperationError naming each failure (a name already taken, ...).
   */
  async paste(dir: string = this._path): Promise<string[]> {
    const clip = this._clipboard;
    if (!clip) return [];
    const target = normalizePath(dir);
    const done = await this.each(clip.paths, clip.mode === 'copy' ? 'copy' : 'move', async (path) => {
      if (target === path || target.startsWith(path + '/')) {
        throw new Error(`cannot put a folder inside itself`);
      }
      if (clip.mode === 'copy') return (await this.contents.copy(path, target)).path;
      const name = path.split('/').pop() ?? path;
      const to = joinPath(target, name);
      if (to === path) return path;
      try {
        await this.contents.rename(path, to);
      } catch (err) {
        if (isConflict(err)) throw new Error(describeTaken(name, target));
        throw err;
      }
      return to;
    });
    if (clip.mode === 'cut' && this._clipboard === clip) {
      this._clipboard = null;
      this._selectionChanged.emit();
    }
    return done;
  }

  /**
   * Create an empty text file, "untitled.txt" (or "untitled1.txt", ...) in the current folder.
   * @returns Its path.
   * @throws FileOperationError when the server refuses.
   */
  async newFile(): Promise<string> {
    try {
      const model = await this.contents.newUntitled({ path: this._path, type: 'file', ext: '.txt' });
      this.select(model.path);
      return model.path;
    } catch (err) {
      throw new FileOperationError(`Cannot create a file in "${this._path || '/'}": ${errorMessage(err)}`);
    } finally {
      await this.refresh();
    }
  }

  /**
   * The URL that downloads `path` (the host's raw file URL, asking for an
   * attachment so the browser saves rather than shows it).
   */
  async downloadUrl(path: string): Promise<string> {
    const url = await this.contents.getDownloadUrl(path);
    return url + (url.includes('?') ? '&' : '?') + 'download=1';
  }

  /**
   * Whether something named `name` exists in folder `dir` (default: the current one),
   * on the server (not the listing, which may be seconds old).
   */
  async exists(name: string, dir: string = this._path): Promise<boolean> {
    try {
      await this.contents.get(joinPath(dir, name), { content: false });
      return true;
    } catch (err) {
      if (errorStatus(err) === 404) return false;
      throw err;
    }
  }

  /**
   * Upload `file` under its own name into `options.dir` (default: the current folder),
   * overwriting a file of that name, in chunks when large ({@link uploadFile});
   * {@link uploads} shows the progress. Ask the person before overwriting ({@link exists}).
   * @returns The uploaded file's path.
   * @throws FileOperationError when the name is invalid or the server refuses.
   */
  async upload(file: UploadSource, options: { chunkSize?: number; dir?: string } = {}): Promise<string> {
    const invalid = checkName(file.name);
    if (invalid) throw new FileOperationError(`Cannot upload "${file.name}": ${invalid}`);
    const path = joinPath(options.dir ?? this._path, file.name);
    // Failed uploads stay listed until the next one starts.
    this._uploads = this._uploads.filter((u) => !u.error);
    const state: UploadState = { path, loaded: 0, total: file.size };
    this._uploads = [...this._uploads, state];
    this._uploadsChanged.emit();
    try {
      await uploadFile(this.contents, path, file, {
        chunkSize: options.chunkSize,
        onProgress: (loaded) => {
          state.loaded = loaded;
          this._uploadsChanged.emit();
        }
      });
      this._uploads = this._uploads.filter((u) => u !== state);
      this._uploadsChanged.emit();
      return path;
    } catch (err) {
      state.error = errorMessage(err);
      this._uploadsChanged.emit();
      throw new FileOperationError(`Cannot upload "${file.name}": ${state.error}`);
    } finally {
      await this.refresh();
    }
  }

  /**
   * Run `op` on each path in turn; refresh once at the end. Failures do not stop
   * the others; they are reported together.
   */
  private async each<T>(paths: readonly string[], verb: string, op: (path: string) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    const failures: string[] = [];
    try {
      for (const path of paths) {
        try {
          results.push(await op(path));
        } catch (err) {
          failures.push(`"${path}": ${errorMessage(err)}`);
        }
      }
    } finally {
      await this.refresh();
    }
    if (failures.length > 0) {
      const what = failures.length === 1 ? failures[0]! : `\n${failures.join('\n')}`;
      throw new FileOperationError(`Cannot ${verb} ${what}`, results.map(String));
    }
    return results;
  }

  dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.contents.fileChanged.disconnect(this.fileChangedSlot);
    this._changed.clear();
    this._selectionChanged.clear();
    this._uploadsChanged.clear();
  }
}

/** Folders first; then by `key` (ties and names compared naturally: "a2" < "a10"). */
export function sortItems(items: readonly Contents.IModel[], key: SortKey, ascending: boolean): Contents.IModel[] {
  const dir = ascending ? 1 : -1;
  return [...items].sort((a, b) => {
    const folders = Number(b.type === 'directory') - Number(a.type === 'directory');
    if (folders !== 0) return folders;
    let cmp = 0;
    if (key === 'last_modified') cmp = Date.parse(a.last_modified) - Date.parse(b.last_modified);
    else if (key === 'size') cmp = (a.size ?? 0) - (b.size ?? 0);
    if (cmp === 0) cmp = compareNames(a.name, b.name);
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

/** `name` inside folder `dir` ("" is the root). */
export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/** Why `name` cannot name a file, or null when it can. */
export function checkName(name: string): string | null {
  if (name.trim() === '') return 'a name cannot be empty';
  if (name.includes('/') || name.includes('\\')) return `"${name}" contains a slash; a name cannot`;
  if (name === '.' || name === '..') return `"${name}" is not a valid name`;
  return null;
}

/** Whether the server refused because the target name is taken (409, or its message says so). */
function isConflict(err: unknown): boolean {
  return errorStatus(err) === 409 || /already exists/i.test(errorMessage(err));
}

function describeTaken(name: string, dir: string): string {
  return `"${name}" already exists in ${dir ? `"${dir}"` : 'the root folder'}. Choose another name.`;
}

