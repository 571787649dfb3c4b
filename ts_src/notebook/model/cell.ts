import type * as nbformat from '@jupyterlab/nbformat';
import { Emitter } from '../../core/emitter';
import { OutputAreaModel } from '../../outputarea/model';
import { joinMultiline } from '../../outputarea/text';

export type CellType = 'code' | 'markdown' | 'raw';

/** What changed in a cell. */
export type CellChange = 'source' | 'metadata' | 'executionCount' | 'outputs' | 'state';

let nextKey = 1;

/** A new random cell id as nbformat 4.5 allows: 1-64 chars of [a-zA-Z0-9-_]. */
export function newCellId(): string {
  const bytes = new Uint8Array(8);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One cell of a notebook. Fields nbformat defines are typed; anything else the file
 * holds on the cell (future or vendor keys) is kept as loaded and written back.
 */
export class CellModel {
  /** Unique per page, for views; not saved (the cell `id` may be absent before nbformat 4.5). */
  readonly key = nextKey++;
  readonly type: CellType;
  /** The nbformat cell id, or undefined for notebooks older than 4.5. */
  readonly id: string | undefined;
  readonly outputs: OutputAreaModel;
  private _source: string;
  private _metadata: Record<string, unknown>;
  private _executionCount: number | null;
  /** True while the kernel runs the cell (from execute_request to its reply). */
  private _running = false;
  /** True when the cell is queued to run or running. */
  private _pending = false;
  private readonly raw: Record<string, unknown>;
  private readonly _changed = new Emitter<CellChange>();
  /** Fires after each change, with what changed. */
  readonly changed = this._changed.event;

  /** @param raw The cell as nbformat JSON (kept for the keys this model does not own). */
  constructor(raw: Partial<nbformat.ICell> & { cell_type: string }) {
    this.raw = { ...raw };
    this.type = (['code', 'markdown', 'raw'].includes(raw.cell_type) ? raw.cell_type : 'raw') as CellType;
    this.id = typeof raw.id === 'string' ? raw.id : undefined;
    this._source = joinMultiline(raw.source as string | string[] | undefined);
    this._metadata = { ...((raw.metadata as Record<string, unknown> | undefined) ?? {}) };
    const code = raw as Partial<nbformat.ICodeCell>;
    this._executionCount = typeof code.execution_count === 'number' ? code.execution_count : null;
    this.outputs = new OutputAreaModel(this.type === 'code' ? ((code.outputs as nbformat.IOutput[]) ?? []) : []);
    this.outputs.changed(() => this._changed.emit('outputs'));
  }

  /** A new, empty cell (with an id when `withId`, i.e. for nbformat >= 4.5). */
  static create(type: CellType, source = '', withId = true): CellModel {
    const raw: Record<string, unknown> = { cell_type: type, metadata: {}, source };
    if (withId) raw.id = newCellId();
    if (type === 'code') {
      raw.outputs = [];
      raw.execution_count = null;
    }
    return new CellModel(raw as nbformat.ICell);
  }

  get source(): string {
    return this._source;
  }
  set source(value: string) {
    if (value === this._source) return;
    this._source = value;
    this._changed.emit('source');
  }

  get metadata(): Readonly<Record<string, unknown>> {
    return this._metadata;
  }

  /** Set (or with `undefined`, delete) one metadata key. */
  setMetadata(key: string, value: unknown): void {
    if (value === undefined) {
      if (!(key in this._metadata)) return;
      delete this._metadata[key];
    } else {
      this._metadata[key] = value;
    }
    this._changed.emit('metadata');
  }

  get executionCount(): number | null {
    return this._executionCount;
  }
  set executionCount(value: number | null) {
    if (value === this._executionCount) return;
    this._executionCount = value;
    this._changed.emit('executionCount');
  }

  get running(): boolean {
    return this._running;
  }
  get pending(): boolean {
    return this._pending;
  }

  /** Mark the cell queued (`pending`) and/or running; views show `[*]`. */
  setRunState(pending: boolean, running: boolean): void {
    if (pending === this._pending && running === this._running) return;
    this._pending = pending;
    this._running = running;
    this._changed.emit('state');
  }

  /** Attachments of markdown and raw cells (`attachment:` URLs), as stored. */
  get attachments(): nbformat.IAttachments | undefined {
    return this.raw.attachments as nbformat.IAttachments | undefined;
  }

  /**
   * A copy of this cell as another type: source, metadata and id carry over;
   * outputs and execution count exist only for code cells.
   */
  withType(type: CellType): CellModel {
    const json = this.toJSON() as unknown as Record<string, unknown>;
    json.cell_type = type;
    if (type === 'code') {
      json.outputs = [];
      json.execution_count = null;
    } else {
      delete json.outputs;
      delete json.execution_count;
    }
    if (type === 'code') delete json.attachments;
    return new CellModel(json as unknown as nbformat.ICell);
  }

  /** The cell as nbformat JSON. Unchanged cells give back what was loaded. */
  toJSON(): nbformat.ICell {
    // raw.cell_type, not this.type: an unknown (future) cell type is shown as raw but saved as it was.
    const json: Record<string, unknown> = { ...this.raw, metadata: { ...this._metadata } };
    // Keep the loaded representation (string or list of lines) when the text is unchanged.
    if (joinMultiline(this.raw.source as string | string[] | undefined) !== this._source) json.source = this._source;
    if (this.id !== undefined) json.id = this.id;
    if (this.type === 'code') {
      json.outputs = this.outputs.toJSON();
      json.execution_count = this._executionCount;
    }
    return json as unknown as nbformat.ICell;
  }
}

/**
 * Collapse or expand a cell's input (`metadata.jupyter.source_hidden`) or outputs
 * (`metadata.jupyter.outputs_hidden`; the nbformat 3 era `metadata.collapsed` is
 * dropped, as JupyterLab does). Empty `jupyter` metadata is removed.
 */
export function toggleCellCollapse(cell: CellModel, part: 'source' | 'outputs'): void {
  const key = part === 'source' ? 'source_hidden' : 'outputs_hidden';
  const jupyter = { ...((cell.metadata.jupyter as Record<string, unknown>) ?? {}) };
  const hidden = !!jupyter[key] || (part === 'outputs' && cell.metadata.collapsed === true);
  if (hidden) delete jupyter[key];
  else jupyter[key] = true;
  cell.setMetadata('jupyter', Object.keys(jupyter).length ? jupyter : undefined);
  if (part === 'outputs' && cell.metadata.collapsed !== undefined) cell.setMetadata('collapsed', undefined);
}
