/**
 * A notebook kept cell by cell (record format `parts: 1`, see store.ts). DOM-free.
 *
 * Why: keeping the whole notebook as one JSON text after each pause in typing made a
 * main-thread task as long as the notebook (2,000 cells, a 20 MB output). Kept in
 * parts, a write costs what the edit changed: cells unchanged since the version on disk
 * (the save-delta tracker's base) are not kept at all but referenced by their position
 * in that version (and their nbformat id); a changed cell is kept without its outputs,
 * and its outputs separately, only when they changed.
 *
 * The record's `json` is the notebook without its cells plus `cells`: one
 * {@link CellRef} per cell, in order.
 */

/** A cell of the version on disk: its position there, and its id (used when the file changed since). */
export interface BaseRef {
  base: number;
  id?: string;
}

/**
 * One cell of a kept notebook: unchanged on disk ({@link BaseRef}), or kept as the part
 * `cell` (its JSON with `outputs: null`), with its outputs as the part `outputs`, or the
 * disk cell's ({@link BaseRef}), or none (not a code cell).
 */
export type CellRef = BaseRef | { cell: string; outputs?: string | BaseRef };

/** What {@link assemble} made: the notebook, and how many cells it could not find on disk. */
export interface Assembled {
  notebook: Record<string, unknown>;
  /** Cells referenced on disk that the file no longer has (it changed since): left out. */
  missing: number;
}

function isBaseRef(ref: unknown): ref is BaseRef {
  return !!ref && typeof ref === 'object' && typeof (ref as BaseRef).base === 'number';
}

/**
 * The kept notebook from its record's `json` (parsed), its parts and the notebook now
 * on disk. When the file on disk is the version the edits were made on (`sameBase`),
 * its cells are taken by position, which restores the kept copy exactly; otherwise by
 * id (by position for cells without one, and for all when no id is found but the number
 * of cells is the same: a file whose ids were rewritten), and cells the file lost are
 * left out and counted in `missing`.
 *
 * @throws Error when a part the record names is not there (the store lost it).
 */
export function assemble(skeleton: Record<string, unknown>, parts: ReadonlyMap<string, string>, disk: unknown, sameBase: boolean): Assembled {
  const diskCells = (disk as { cells?: unknown } | null)?.cells;
  const onDisk: Record<string, unknown>[] = Array.isArray(diskCells) ? diskCells : [];
  const refs = Array.isArray(skeleton.cells) ? (skeleton.cells as CellRef[]) : [];
  const byId = new Map(onDisk.map((c) => [c.id, c]));
  // A file whose cells all got new ids (a tool that rewrites them) but kept their number:
  // its cells are matched by position rather than all left out.
  const baseIds = refs.flatMap((r) => (isBaseRef(r) && r.id !== undefined ? [r.id] : []));
  const reIded = !sameBase && baseIds.length > 0 && onDisk.length === refs.length && !baseIds.some((id) => byId.has(id));
  const fromDisk = (ref: BaseRef): Record<string, unknown> | undefined => {
    if (sameBase || reIded || ref.id === undefined) return onDisk[ref.base];
    return byId.get(ref.id);
  };
  const part = (name: string): unknown => {
    const json = parts.get(name);
    if (json === undefined) throw new Error(`The kept copy lacks its part "${name}"`);
    return JSON.parse(json);
  };
  let missing = 0;
  const cells: unknown[] = [];
  for (const ref of refs) {
    if (isBaseRef(ref)) {
      const cell = fromDisk(ref);
      if (cell) cells.push(cell);
      else missing++;
      continue;
    }
    const cell = part(ref.cell) as Record<string, unknown>;
    if (typeof ref.outputs === 'string') cell.outputs = part(ref.outputs);
    else if (isBaseRef(ref.outputs)) cell.outputs = fromDisk(ref.outputs)?.outputs ?? [];
    cells.push(cell);
  }
  return { notebook: { ...skeleton, cells }, missing };
}
