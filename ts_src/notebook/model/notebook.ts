import type * as nbformat from '@jupyterlab/nbformat';
import { Emitter } from '../../core/emitter';
import { CellModel, CellType } from './cell';

/** A change to the list of cells: at `index`, `removed` went out and `inserted` came in. */
export interface CellsChange {
  index: number;
  removed: CellModel[];
  inserted: CellModel[];
}

/** Raised when a file's content is not a notebook this app can open. */
export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

interface Splice {
  index: number;
  removed: CellModel[];
  inserted: CellModel[];
}

/**
 * A notebook: its cells, metadata and format version, plus undo/redo of cell
 * operations (insert, delete, move, change type, merge, split). Text edits inside
 * a cell are undone by that cell's editor, as in JupyterLab.
 *
 * Every cell operation is a splice of the cell list, so undo replays the inverse
 * splice with the very same cell objects (outputs and all).
 */
export class NotebookModel {
  private _cells: CellModel[] = [];
  private _metadata: Record<string, unknown>;
  readonly nbformat: number;
  readonly nbformatMinor: number;
  /** Top-level keys other than cells/metadata/nbformat(_minor), kept as loaded. */
  private readonly extra: Record<string, unknown>;
  private undoStack: Splice[][] = [];
  private redoStack: Splice[][] = [];
  private group: Splice[] | null = null;
  private _dirty = false;
  private readonly _cellsChanged = new Emitter<CellsChange>();
  private readonly _changed = new Emitter<void>();
  private readonly _dirtyChanged = new Emitter<boolean>();
  /** Fires for each splice of the cell list. */
  readonly cellsChanged = this._cellsChanged.event;
  /** Fires after any change to the document (cells, their content or metadata). */
  readonly contentChanged = this._changed.event;
  /** Fires when the dirty flag flips. */
  readonly dirtyChanged = this._dirtyChanged.event;
  private readonly _cellEdited = new Emitter<CellModel>();
  /**
   * Fires for each saved change inside a cell (source, metadata, outputs, execution
   * count; not the run state), also of a cell deleted meanwhile (undo may bring it back).
   */
  readonly cellEdited = this._cellEdited.event;
  private readonly _metadataChanged = new Emitter<void>();
  /** Fires after each {@link setMetadata}. */
  readonly metadataChanged = this._metadataChanged.event;

  /**
   * @throws NotebookFormatError when `json` is not an nbformat 4 notebook object.
   */
  constructor(json: unknown) {
    if (!json || typeof json !== 'object' || Array.isArray(json)) {
      throw new NotebookFormatError('The file does not hold a notebook object');
    }
    const nb = json as Partial<nbformat.INotebookContent> & Record<string, unknown>;
    if (nb.nbformat !== 4) {
      throw new NotebookFormatError(`Unsupported notebook format ${String(nb.nbformat)}: only nbformat 4 opens here`);
    }
    if (!Array.isArray(nb.cells)) throw new NotebookFormatError('The notebook has no cells list');
    const { cells, metadata, nbformat: major, nbformat_minor: minor, ...extra } = nb;
    this.nbformat = major;
    this.nbformatMinor = typeof minor === 'number' ? minor : 0;
    this._metadata = { ...((metadata as Record<string, unknown>) ?? {}) };
    this.extra = extra;
    this._cells = cells.map((c, i) => {
      if (!c || typeof c !== 'object' || typeof (c as { cell_type?: unknown }).cell_type !== 'string') {
        throw new NotebookFormatError(`Cell ${i + 1} is not a cell object`);
      }
      return this.adopt(new CellModel(c as nbformat.ICell));
    });
  }

  /** An empty notebook (one empty code cell), for "New Notebook". */
  static empty(kernelspec?: { name: string; display_name: string }): NotebookModel {
    const model = new NotebookModel({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: kernelspec ? { kernelspec } : {},
      cells: []
    });
    model._cells = [model.adopt(CellModel.create('code', '', true))];
    return model;
  }

  get cells(): readonly CellModel[] {
    return this._cells;
  }

  get metadata(): Readonly<Record<string, unknown>> {
    return this._metadata;
  }

  /** Whether new cells get ids (nbformat >= 4.5). */
  get usesCellIds(): boolean {
    return this.nbformat > 4 || this.nbformatMinor >= 5;
  }

  setMetadata(key: string, value: unknown): void {
    if (value === undefined) delete this._metadata[key];
    else this._metadata[key] = value;
    this._metadataChanged.emit();
    this.touch();
  }

  /** Whether the notebook changed since it was loaded or last saved. */
  get dirty(): boolean {
    return this._dirty;
  }
  set dirty(value: boolean) {
    if (value === this._dirty) return;
    this._dirty = value;
    this._dirtyChanged.emit(value);
  }

  /** A new cell suitable for this notebook (with an id when the format has them). */
  createCell(type: CellType, source = ''): CellModel {
    return CellModel.create(type, source, this.usesCellIds);
  }

  // -- cell operations (undoable) --

  /** Insert `cells` at `index` (0..length). */
  insertCells(index: number, cells: CellModel[]): void {
    this.splice(Math.max(0, Math.min(index, this._cells.length)), 0, cells);
  }

  /** Delete the cells at `indices`; a notebook is never left without a cell. */
  deleteCells(indices: number[]): CellModel[] {
    const sorted = [...new Set(indices)].filter((i) => i >= 0 && i < this._cells.length).sort((a, b) => b - a);
    const removed: CellModel[] = [];
    this.transact(() => {
      for (const i of sorted) removed.unshift(...this.splice(i, 1, []));
      if (this._cells.length === 0) this.splice(0, 0, [this.createCell('code')]);
    });
    return removed;
  }

  /** Move `count` cells starting at `from` so the first lands at `to` (index after removal). */
  moveCells(from: number, count: number, to: number): void {
    if (count <= 0 || from === to) return;
    if (from < 0 || from + count > this._cells.length) return;
    const target = Math.max(0, Math.min(to, this._cells.length - count));
    if (target === from) return;
    this.transact(() => {
      const moved = this.splice(from, count, []);
      this.splice(target, 0, moved);
    });
  }

  /** Change the type of the cells at `indices` (no-op for cells already of that type). */
  changeCellType(indices: number[], type: CellType): void {
    this.transact(() => {
      for (const i of indices) {
        const cell = this._cells[i];
        if (cell && cell.type !== type) this.splice(i, 1, [cell.withType(type)]);
      }
    });
  }

  /**
   * Merge the cells at `indices` (at least two, or one and the next) into the first:
   * sources joined with a blank line, outputs dropped (as JupyterLab does).
   */
  mergeCells(indices: number[]): void {
    const sorted = [...new Set(indices)].filter((i) => i >= 0 && i < this._cells.length).sort((a, b) => a - b);
    if (sorted.length === 1 && sorted[0]! + 1 < this._cells.length) sorted.push(sorted[0]! + 1);
    if (sorted.length < 2) return;
    const first = this._cells[sorted[0]!]!;
    const json = first.withType(first.type).toJSON() as unknown as Record<string, unknown>;
    json.source = sorted.map((i) => this._cells[i]!.source).join('\n\n');
    if (first.type !== 'code') {
      // The merged text links to the attachments of every merged cell (as in JupyterLab).
      const attachments = Object.assign({}, ...sorted.map((i) => this._cells[i]!.attachments ?? {}));
      if (Object.keys(attachments).length) json.attachments = attachments;
    }
    const merged = new CellModel(json as unknown as nbformat.ICell);
    this.transact(() => {
      for (const i of [...sorted].reverse()) this.splice(i, 1, []);
      this.splice(sorted[0]!, 0, [merged]);
    });
  }

  /**
   * Split the cell at `index` at the given character offsets of its source; the
   * first part keeps the id, outputs go to the last part. Empty parts are dropped
   * except where the cursor sits at an end (then an empty cell is made).
   */
  splitCell(index: number, offsets: number[]): CellModel[] {
    const cell = this._cells[index];
    if (!cell) return [];
    const cuts = [...new Set(offsets)].filter((o) => o >= 0 && o <= cell.source.length).sort((a, b) => a - b);
    if (cuts.length === 0) return [];
    const bounds = [0, ...cuts, cell.source.length];
    const parts: CellModel[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) {
      const text = cell.source.slice(bounds[i], bounds[i + 1]).replace(/^\n/, '').replace(/\n$/, '');
      const part = i === 0 ? cell.withType(cell.type) : this.createCell(cell.type);
      part.source = text;
      if (i === 0) {
        part.outputs.clear();
        part.executionCount = null;
      }
      parts.push(part);
    }
    // Outputs belong with the code that produced them: the last part keeps them, as
    // they are (adding them one by one would merge consecutive streams).
    if (cell.type === 'code') {
      const last = parts[parts.length - 1]!.toJSON() as nbformat.ICodeCell;
      last.outputs = cell.outputs.toJSON();
      last.execution_count = cell.executionCount;
      parts[parts.length - 1] = new CellModel(last);
    }
    this.splice(index, 1, parts);
    return parts;
  }

  /** Run `fn`'s cell operations as one undo step. */
  transact(fn: () => void): void {
    if (this.group) {
      fn();
      return;
    }
    this.group = [];
    try {
      fn();
    } finally {
      const group = this.group;
      this.group = null;
      if (group.length) {
        this.undoStack.push(group);
        this.redoStack = [];
      }
    }
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }
  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }

  /** Undo the last cell operation. Returns false when there was none. */
  undo(): boolean {
    const group = this.undoStack.pop();
    if (!group) return false;
    for (const s of [...group].reverse()) this.applySplice(s.index, s.inserted.length, s.removed);
    this.redoStack.push(group);
    this.touch();
    return true;
  }

  /** Redo the last undone cell operation. Returns false when there was none. */
  redo(): boolean {
    const group = this.redoStack.pop();
    if (!group) return false;
    for (const s of group) this.applySplice(s.index, s.removed.length, s.inserted);
    this.undoStack.push(group);
    this.touch();
    return true;
  }

  /** The notebook as nbformat JSON, ready for the contents API. */
  toJSON(): nbformat.INotebookContent {
    return {
      ...this.extra,
      cells: this._cells.map((c) => c.toJSON()),
      metadata: { ...this._metadata } as nbformat.INotebookMetadata,
      nbformat: this.nbformat,
      nbformat_minor: this.nbformatMinor
    } as nbformat.INotebookContent;
  }

  /** {@link toJSON} without `cells`, for crash recovery, which keeps the cells one by one. */
  toJSONWithoutCells(): Omit<nbformat.INotebookContent, 'cells'> {
    return {
      ...this.extra,
      metadata: { ...this._metadata } as nbformat.INotebookMetadata,
      nbformat: this.nbformat,
      nbformat_minor: this.nbformatMinor
    } as Omit<nbformat.INotebookContent, 'cells'>;
  }

  private splice(index: number, removeCount: number, inserted: CellModel[]): CellModel[] {
    const removed = this.applySplice(index, removeCount, inserted);
    const record = { index, removed, inserted };
    if (this.group) this.group.push(record);
    else {
      this.undoStack.push([record]);
      this.redoStack = [];
    }
    this.touch();
    return removed;
  }

  private applySplice(index: number, removeCount: number, inserted: CellModel[]): CellModel[] {
    for (const c of inserted) this.adopt(c);
    const removed = this._cells.splice(index, removeCount, ...inserted);
    this._cellsChanged.emit({ index, removed, inserted });
    return removed;
  }

  private readonly adopted = new WeakSet<CellModel>();

  private adopt(cell: CellModel): CellModel {
    if (!this.adopted.has(cell)) {
      this.adopted.add(cell);
      cell.changed((what) => {
        if (what === 'state') return;
        this._cellEdited.emit(cell);
        if (this._cells.includes(cell)) this.touch();
      });
    }
    return cell;
  }

  private touch(): void {
    this.dirty = true;
    this._changed.emit();
  }
}
