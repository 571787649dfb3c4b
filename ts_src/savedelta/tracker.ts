import type { IDisposable } from '../core/disposable';
import type { CellModel } from '../notebook/model/cell';
import type { NotebookModel } from '../notebook/model/notebook';
import type { Output } from '../outputarea/model';
import type { NotebookChanges } from './service';

/**
 * One cell as crash recovery keeps it (see {@link SaveTracker.parts}): a cell unchanged
 * since the base need not be kept (the file on disk has it), and only outputs that
 * changed need be.
 */
export interface CellPart {
  readonly cell: CellModel;
  /** Its position in the base (the file as last loaded or saved), or null when the base did not hold it. */
  readonly baseIndex: number | null;
  /** Whether it is a base cell not edited since (source, metadata, outputs, count). */
  readonly unchanged: boolean;
  /** Whether it is a base cell whose outputs are the very ones the base had. */
  readonly outputsUnchanged: boolean;
  /** The tracker's tick of its last edit (0: none since the tracker began). */
  readonly editedAt: number;
}

/** A notebook in parts: {@link CellPart}s in order, and the tick they were taken at. */
export interface NotebookParts {
  /** Ticks compare only within one tracker (a model replaced means a new tracker). */
  readonly tracker: SaveTracker;
  /** The change counter now: a later edit of a cell gives it an `editedAt` above this. */
  readonly tick: number;
  /** The notebook's JSON without `cells` (metadata, nbformat, ...): small, taken whole. */
  readonly header: Record<string, unknown>;
  readonly cells: readonly CellPart[];
}

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
  private base: BaseState | null;
  private tick = 0;
  private readonly edits = new Map<CellModel, number>();
  /** The tick of each cell's last edit; unlike `edits`, kept across saves (crash recovery compares it with its writes). */
  private readonly editedAt = new WeakMap<CellModel, number>();
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
      model.cellEdited((cell) => {
        this.edits.set(cell, ++this.tick);
        this.editedAt.set(cell, this.tick);
      }),
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
    if (!base || !this.model.usesCellIds || base.ids.some((id) => id === undefined)) return null;
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

  /**
   * The notebook's cells with what changed since the base and when each was last
   * edited, for crash recovery to keep only what its last write lacks. Without a base
   * (content applied from recovery) every cell counts as changed. One pass over the
   * cell list, no serialization.
   */
  parts(): NotebookParts {
    const base = this.base;
    const cells = this.model.cells.map((cell): CellPart => {
      const baseCell = base?.cells.get(cell);
      const baseOutputs = baseCell?.outputs;
      const outputs = cell.outputs.outputs;
      return {
        cell,
        baseIndex: baseCell ? baseCell.index : null,
        unchanged: !!baseCell && !this.edits.has(cell),
        outputsUnchanged: !!baseOutputs && sameOutputs(baseOutputs, outputs),
        editedAt: this.editedAt.get(cell) ?? 0
      };
    });
    return { tracker: this, tick: this.tick, header: this.model.toJSONWithoutCells() as Record<string, unknown>, cells };
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    for (const sub of this.subs) sub.dispose();
  }

  private stateOf(cells: readonly CellModel[]): BaseState {
    const ids: (string | undefined)[] = [];
    const state = new Map<CellModel, { index: number; outputs: readonly Output[] }>();
    cells.forEach((cell, index) => {
      ids.push(cell.id);
      // Outputs are replaced, never mutated (OutputAreaModel): identity tells a change.
      state.set(cell, { index, outputs: [...cell.outputs.outputs] });
    });
    return { cells: state, ids };
  }
}

/** The base: each of its cells with its position and outputs, and the cell ids in order. */
interface BaseState {
  cells: Map<CellModel, { index: number; outputs: readonly Output[] }>;
  ids: (string | undefined)[];
}

/** Whether two output lists hold the very same output objects. */
export function sameOutputs(a: readonly Output[], b: readonly Output[]): boolean {
  return a.length === b.length && a.every((o, i) => o === b[i]);
}
