import type { Contents } from '@jupyterlab/services';
import type { IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { errorStatus } from '../core/errors';
import { checkDiskBeforeSave, ConflictChoice, SaveCancelledError } from './save';
import { announceSave, NotebookChanges, prepareNotebookChanges, saveNotebookChanges } from '../savedelta/service';
import type { NotebookParts } from '../savedelta/tracker';

let nextWidgetId = 0;

/**
 * What a document widget gives its context so the context can save it: the contents
 * API type and format of the file, its unsaved state and a way to read it from disk
 * again. The widget keeps its own model (a `NotebookModel`, CodeMirror state).
 */
export interface DocumentContent {
  /** The contents API `type` and `format` the file is written with (`notebook`/`json`, `file`/`text`). */
  readonly type: 'notebook' | 'file';
  readonly format: 'json' | 'text' | 'base64';
  /** Whether there are edits not yet written to disk. */
  readonly dirty: boolean;
  /** Why the document failed to load (it is then never saved), or null. */
  readonly loadError: string | null;
  /**
   * The content to write now, and `commit()` to call once exactly that version is on
   * disk: it clears the dirty state only for edits made before the snapshot.
   */
  snapshot(): { content: unknown; commit(): void };
  /**
   * Only what changed since the version last loaded or saved (notebooks: the save-delta
   * API of jlab_alt.savedelta), and `commit()` as for {@link snapshot}; null (or no
   * method) when only a whole save will do. Saves use it when present and fall back
   * to {@link snapshot} when the server cannot apply it.
   */
  changes?(): { changes: NotebookChanges; commit(): void } | null;
  /** Read the file from disk again (through {@link DocumentContext.fetch}), dropping edits. */
  reload(): Promise<void>;
  /**
   * Notebooks: the cells with what changed since the version on disk and when each was
   * last edited, so crash recovery writes only what changed since its last write rather
   * than a {@link snapshot} of everything; null (or no method) to keep whole snapshots.
   */
  parts?(): NotebookParts | null;
  /** Subscribe to edits (each change of the content); crash recovery keeps a copy after each. */
  changed?(listener: () => void): IDisposable;
  /**
   * Replace the content with `content` (what {@link snapshot} gave, e.g. kept by crash
   * recovery) as unsaved edits: the document is dirty afterwards.
   */
  apply?(content: unknown): void;
}

/** How the file on disk compares with the version the document last loaded or saved. */
export type DiskStatus = 'same' | 'changed' | 'deleted';

/** Phases of a save, as JupyterLab's `Context.saveState` names them. */
export type SaveState = 'started' | 'completed' | 'failed' | 'cancelled';

/** A save-state change: the path saved to and, for `failed`, the error the server gave. */
export interface SaveStateEvent {
  state: SaveState;
  path: string;
  /** Set for `failed`: the services' `ResponseError` (or network error). */
  error?: unknown;
  /** Whether the save was an autosave (never asks, reports quietly). */
  auto: boolean;
}

/** Options of {@link DocumentContext.save}. */
export interface SaveOptions {
  /**
   * Ask when the file changed on disk since it was loaded (default true). An autosave
   * passes false: it then skips the save (`cancelled`) and leaves the question to the
   * person's own save.
   */
  ask?: boolean;
}

/**
 * One open document's link to the host's contents service, after JupyterLab's
 * `docregistry` `Context`: its path, loading, and the whole of saving — save,
 * save-as, revert, the on-disk (`last_modified`) check, one save in flight at a time
 * and the {@link saveState} event. Document widgets read and write through their
 * context, never through the server directly; they {@link bind} a
 * {@link DocumentContent} so the context can save them.
 *
 * The path changes when the file (or a folder above it) is renamed while open, or
 * after Save As; {@link pathChanged} fires, so a widget can update what it shows.
 */
export class DocumentContext {
  private _path: string;
  private readonly _pathChanged = new Emitter<{ oldPath: string; newPath: string }>();
  /** Fires after the document was renamed or moved (its folder renamed), or saved as another file. */
  readonly pathChanged = this._pathChanged.event;
  private readonly _saveState = new Emitter<SaveStateEvent>();
  /** Fires at each phase of each save (started, then completed, failed or cancelled). */
  readonly saveState = this._saveState.event;
  private readonly _fileChanged = new Emitter<Contents.IModel>();
  /** Fires after each load or save with the server's model of the file (no content). */
  readonly fileChanged = this._fileChanged.event;
  private readonly _loaded = new Emitter<void>();
  /** Fires each time the widget has shown the file read from disk (opened, reverted). */
  readonly loaded = this._loaded.event;
  private _content: DocumentContent | null = null;
  private _lastModified: string | null = null;
  private saving: Promise<void> | null = null;
  private _lastSaveError: unknown = null;
  /** Bumped by each load and save, so a disk check that raced one is ignored. */
  private generation = 0;
  private _diskState: DiskStatus = 'same';
  /** Whether the next edit asks the server to read the file ahead of a save by changes. */
  private readAhead = false;
  private contentEdits: IDisposable | null = null;
  /**
   * A shell id for the document's widget that stays unique when the document is
   * renamed: `document:<path at open>`, with a `#n` suffix only when that id is
   * taken (by a document opened under that path and renamed since).
   */
  readonly widgetId: string;

  constructor(
    path: string,
    readonly contents: Contents.IManager,
    /** Whether a shell id is taken already (the manager passes the dock's lookup). */
    idTaken: (id: string) => boolean = () => false,
    /** Asks about a file changed on disk (tests pass a fake; the default shows a dialog). */
    private readonly checkDisk: typeof checkDiskBeforeSave = checkDiskBeforeSave,
    /** Sends a notebook's changes (tests pass a fake; the default posts to the save-delta API). */
    private readonly sendChanges: (path: string, lastModified: string, changes: NotebookChanges) => Promise<Contents.IModel> = (
      path,
      lastModified,
      changes
    ) => saveNotebookChanges(contents.serverSettings, path, lastModified, changes),
    /** Asks the server to read a notebook ahead of its first save by changes (tests pass a fake). */
    private readonly prepareChanges: (path: string) => Promise<void> = (path) => prepareNotebookChanges(contents.serverSettings, path)
  ) {
    this._path = path;
    let id = `document:${path}`;
    while (idTaken(id)) id = `document:${path}#${++nextWidgetId}`;
    this.widgetId = id;
  }

  /** The document's path relative to the server root. */
  get path(): string {
    return this._path;
  }

  /** The file name, last segment of the path. */
  get name(): string {
    return this._path.split('/').pop() ?? this._path;
  }

  /** The server's `last_modified` (ISO 8601) of the version last loaded or saved, or null. */
  get lastModified(): string | null {
    return this._lastModified;
  }

  /** The bound content, if the widget can be saved. */
  get content(): DocumentContent | null {
    return this._content;
  }

  /** Whether the document has unsaved edits. */
  get dirty(): boolean {
    return !!this._content?.dirty;
  }

  /** Whether a save is running now. */
  get isSaving(): boolean {
    return this.saving !== null;
  }

  /** The error of the last save when it failed (cleared by the next success), else null. */
  get lastSaveError(): unknown {
    return this._lastSaveError;
  }

  /** Let the context save the widget's content (one content per context; a later call replaces it). */
  bind(content: DocumentContent): void {
    this._content = content;
    this.contentEdits?.dispose();
    // A notebook saved by changes: the server reads the file at the first edit after each
    // load, so that the first save does not wait for that read.
    this.contentEdits =
      content.changes && content.changed
        ? content.changed(() => {
            if (!this.readAhead) return;
            this.readAhead = false;
            void this.prepareChanges(this._path).catch(() => undefined);
          })
        : null;
  }

  /** Called by the widget once it shows what {@link fetch} read; fires {@link loaded}. */
  reportLoaded(): void {
    this._loaded.emit();
  }

  /**
   * Point the context at the file's new path after a rename; fires {@link pathChanged}.
   * Only the document manager (following the contents service's renames) and
   * {@link saveAs} call this.
   */
  setPath(path: string): void {
    if (path === this._path) return;
    const oldPath = this._path;
    this._path = path;
    this._pathChanged.emit({ oldPath, newPath: path });
  }

  /**
   * Fetch the document with its content, without recording it as the version the
   * document holds (viewers; see {@link fetch} for editable documents).
   * @param options Contents API options, e.g. `{type: 'file', format: 'text'}`.
   * @throws The services' ResponseError when the server refuses (missing file, ...).
   */
  load(options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    return this.contents.get(this._path, { content: true, ...options });
  }

  /**
   * Fetch the document with its content in the bound content's type and format, and
   * record its `last_modified` as the version on which the next save is checked.
   * @throws The services' ResponseError when the server refuses (missing file, ...).
   */
  async fetch(options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    const typed = this._content ? { type: this._content.type, format: this._content.format } : {};
    const model = await this.contents.get(this._path, { content: true, ...typed, ...options });
    this._lastModified = model.last_modified;
    this.generation++;
    this.readAhead = true;
    this._diskState = 'same';
    this._fileChanged.emit({ ...model, content: null });
    return model;
  }

  /**
   * Save to disk. When the file changed on disk since it was loaded or saved, ask
   * first: overwrite, reload (dropping the edits here) or cancel. Only one save runs
   * at a time: a call while one runs returns that save's promise.
   * @throws SaveCancelledError when the person (or an autosave) cancels; an Error when
   *   the document failed to load or nothing is bound; the services' errors when the
   *   server refuses the save (disk full, read-only file): the edits then stay dirty.
   */
  save(options: SaveOptions = {}): Promise<void> {
    if (this.saving) return this.saving;
    const ask = options.ask ?? true;
    this.saving = this.runSave(this._path, ask, !ask).finally(() => {
      this.saving = null;
    });
    return this.saving;
  }

  /**
   * Write the document to `newPath` and make that its path (the old file stays as it
   * was on disk). Waits for a running save first.
   * @throws as {@link save}; nothing is asked about `newPath` (callers confirm overwrites).
   */
  async saveAs(newPath: string): Promise<void> {
    if (this.saving) await this.saving.catch(() => undefined);
    const run = this.runSave(newPath, false, false, true);
    this.saving = run.finally(() => {
      this.saving = null;
    });
    await this.saving;
  }

  /**
   * Compare the file on disk with the version last loaded or saved (its metadata
   * only): `deleted` when the server answers 404 (deleted, or renamed by another
   * program), `changed` when it is newer, else `same` (also when the check failed or
   * raced a load or save of this document).
   */
  async diskStatus(): Promise<DiskStatus> {
    this._diskState = await this.readDiskStatus();
    return this._diskState;
  }

  /** What the last {@link diskStatus} found (`same` before any check, and after a load or save). */
  get diskState(): DiskStatus {
    return this._diskState;
  }

  private async readDiskStatus(): Promise<DiskStatus> {
    const generation = this.generation;
    const path = this._path;
    let model: Contents.IModel;
    try {
      model = await this.contents.get(path, { content: false });
    } catch (err) {
      return errorStatus(err) === 404 && generation === this.generation && path === this._path && !this.saving ? 'deleted' : 'same';
    }
    if (generation !== this.generation || path !== this._path || this.saving || !this._lastModified) return 'same';
    return Date.parse(model.last_modified) > Date.parse(this._lastModified) ? 'changed' : 'same';
  }

  /** Read the file from disk again, dropping unsaved edits (the widget reloads itself). */
  async revert(): Promise<void> {
    if (!this._content) throw new Error(`"${this._path}" cannot be reverted`);
    await this._content.reload();
  }

  private async runSave(path: string, ask: boolean, auto: boolean, saveAs = false): Promise<void> {
    const content = this._content;
    if (!content) throw new Error(`"${this._path}" cannot be saved`);
    if (content.loadError) throw new Error(`"${this._path}" could not be loaded, so it is never saved`);
    this._saveState.emit({ state: 'started', path, auto });
    try {
      let choice: ConflictChoice = 'overwrite';
      if (!saveAs) {
        try {
          choice = await this.checkDisk(this.contents, path, this._lastModified, ask);
        } catch {
          choice = 'save';
        }
        if (choice === 'save') {
          const sent = await this.saveChanges(content, path);
          // The file changed on disk after the check: ask as the check would have.
          if (sent === 'conflict') choice = await this.checkDisk(this.contents, path, this._lastModified, ask);
          else if (sent) return this.saved(sent.saved, sent.commit, path, auto, false);
        }
        if (choice === 'reload') {
          await content.reload();
          this._saveState.emit({ state: 'cancelled', path, auto });
          return;
        }
        if (choice === 'cancel') throw new SaveCancelledError();
      }
      const snapshot = content.snapshot();
      const saved = await this.contents.save(path, {
        type: content.type,
        format: content.format,
        content: snapshot.content
      });
      this.saved(saved, snapshot.commit, path, auto, saveAs);
    } catch (err) {
      if (err instanceof SaveCancelledError) {
        this._saveState.emit({ state: 'cancelled', path, auto });
      } else {
        this._lastSaveError = err;
        this._saveState.emit({ state: 'failed', path, error: err, auto });
      }
      throw err;
    }
  }

  /**
   * Send only the content's changes when it offers them. Resolves to the save, to
   * `'conflict'` when the server says the file changed on disk (409), or to null when
   * the whole content must be sent instead (no changes offered, or the server could not
   * apply them: a delta that does not fit, an older server without the API, any
   * error). A save is never lost here, at worst sent whole.
   */
  private async saveChanges(
    content: DocumentContent,
    path: string
  ): Promise<{ saved: Contents.IModel; commit: () => void } | 'conflict' | null> {
    if (!this._lastModified || !content.changes) return null;
    let delta: ReturnType<NonNullable<DocumentContent['changes']>>;
    try {
      delta = content.changes();
    } catch (err) {
      console.warn(`Sending only the changes of "${path}" failed; saving it whole:`, err);
      return null;
    }
    if (!delta) return null;
    try {
      const saved = await this.sendChanges(path, this._lastModified, delta.changes);
      announceSave(this.contents, saved);
      return { saved, commit: delta.commit };
    } catch (err) {
      if (errorStatus(err) === 409) return 'conflict';
      if (errorStatus(err) !== 404 && errorStatus(err) !== 422) console.warn(`Saving "${path}" by its changes failed; saving it whole:`, err);
      return null;
    }
  }

  private saved(saved: Contents.IModel, commit: () => void, path: string, auto: boolean, saveAs: boolean): void {
    this._lastModified = saved.last_modified;
    this.generation++;
    this._diskState = 'same';
    this._lastSaveError = null;
    if (saveAs) this.setPath(saved.path ?? path);
    commit();
    this._fileChanged.emit({ ...saved, content: null });
    this._saveState.emit({ state: 'completed', path: this._path, auto });
  }

  dispose(): void {
    this._pathChanged.clear();
    this._saveState.clear();
    this._fileChanged.clear();
    this._loaded.clear();
    this.contentEdits?.dispose();
    this.contentEdits = null;
    this._content = null;
  }
}
