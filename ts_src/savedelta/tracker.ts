import type { IDisposable } from '../core/disposable';
import type { CellModel } from '../notebook/model/cell';
import type { NotebookModel } from '../notebook/model/notebook';
import type { NotebookChanges } from './service';

/** The notebook's state when a save took its snapshot; {@link SaveTracker.commit} makes it the base. */
export interface SaveMark {
  /** The tracker's change counter at the snapshot. */
  readonly tick: number;
  readonly cells: readonly CellModel[];
}

/**
 * Which parts of a notebook changed since the version on disk the page last loaded or
 * saved (its "base"), so a save can send only those (see jlab_alt.savedelta).
 *
 * It follows the model's change events and never compares content: a cell is changed
 * when it was edited (source, metadata, outputs, execution count) or is a cell object
 * the base did not hold (inserted, pasted, split, merged, type changed); the order is
 * compared by ids, which costs one pass over the cell list at save time. Each change
 * gets a tick, so a save commits only what its snapshot held: an edit made while the
 * request was in flight stays changed.
 *
 * {@link changes} answers null (save the whole notebook) when the base is unknown
 * (content applied from crash recovery, until one whole save) or when cells lack
 * distinct ids (nbformat < 4.5).
 */
export class SaveTracker implements IDisposable {
  private base: { cells: Set<CellModel>; ids: string[] } | null;
  private tick = 0;
  private readonly edits = new Map<CellModel, number>();
  private metadataTick = 0;
  private baseTick = 0;
  private readonly subs: IDisposable[];
  private _isDisposed = false;

  /**
   * @param model the notebook to follow.
   * @param baseIsCurrent whether the model now holds exactly the file on disk (just
   *   loaded); false for content that did not come from the file.
   */
  constructor(
    private readonly model: NotebookModel,
    baseIsCurrent: boolean
  ) {
    this.base = baseIsCurrent ? this.stateOf(model.cells) : null;
    this.subs = [
      model.cellEdited((cell) => this.edits.set(cell, ++this.tick)),
      model.metadataChanged(() => (this.metadataTick = ++this.tick)),
      model.cellsChanged(() => ++this.tick)
    ];
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Remember the notebook as a save's snapshot holds it (call when taking the snapshot). */
  mark(): SaveMark {
    return { tick: this.tick, cells: [...this.model.cells] };
  }

  /** The snapshot `mark` is on disk now: it becomes the base. */
  commit(mark: SaveMark): void {
    this.base = this.stateOf(mark.cells);
    for (const [cell, tick] of this.edits) if (tick <= mark.tick) this.edits.delete(cell);
    this.baseTick = mark.tick;
  }

  /**
   * The changes since the base, and the mark to {@link commit} once they are saved;
   * null when only a whole save will do (no known base, cells without distinct ids).
   */
  changes(): { changes: NotebookChanges; mark: SaveMark } | null {
    const base = this.base;
    if (!base || !this.model.usesCellIds) return null;
    const mark = this.mark();
    const ids: string[] = [];
    const seen = new Set<string>();
    const cells: unknown[] = [];
    for (const cell of mark.cells) {
      if (cell.id === undefined || seen.has(cell.id)) return null;
      seen.add(cell.id);
      ids.push(cell.id);
      if (!base.cells.has(cell) || this.edits.has(cell)) cells.push(cell.toJSON());
    }
    const changes: NotebookChanges = { cell_count: base.ids.length, cells };
    if (ids.length !== base.ids.length || ids.some((id, i) => id !== base.ids[i])) changes.order = ids;
    if (this.metadataTick > this.baseTick) changes.metadata = { ...this.model.metadata };
    return { changes, mark };
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    for (const sub of this.subs) sub.dispose();
  }

  private stateOf(cells: readonly CellModel[]): { cells: Set<CellModel>; ids: string[] } | null {
    const ids: string[] = [];
    for (const cell of cells) {
      if (cell.id === undefined) return null;
      ids.push(cell.id);
    }
    return { cells: new Set(cells), ids };
  }
}
