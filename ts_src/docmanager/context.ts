import type { Contents } from '@jupyterlab/services';
import { Emitter } from '../core/emitter';

let nextWidgetId = 0;

/**
 * One open document's link to the host's contents service: its path and how to
 * load it. Document widgets read and write through their context, never through
 * the server directly.
 *
 * The path changes when the file (or a folder above it) is renamed while open; the
 * document manager sets it and {@link pathChanged} fires, so a widget saves to the
 * new path and can update what it shows.
 */
export class DocumentContext {
  private _path: string;
  private readonly _pathChanged = new Emitter<{ oldPath: string; newPath: string }>();
  /** Fires after the document was renamed or moved (its folder renamed). */
  readonly pathChanged = this._pathChanged.event;
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
    idTaken: (id: string) => boolean = () => false
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

  /**
   * Point the context at the file's new path after a rename; fires {@link pathChanged}.
   * Only the document manager calls this (it follows the contents service's renames).
   */
  setPath(path: string): void {
    if (path === this._path) return;
    const oldPath = this._path;
    this._path = path;
    this._pathChanged.emit({ oldPath, newPath: path });
  }

  /**
   * Fetch the document with its content.
   * @param options Contents API options, e.g. `{type: 'file', format: 'text'}`.
   * @throws The services' ResponseError when the server refuses (missing file, ...).
   */
  load(options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    return this.contents.get(this._path, { content: true, ...options });
  }

  dispose(): void {
    this._pathChanged.clear();
  }
}
