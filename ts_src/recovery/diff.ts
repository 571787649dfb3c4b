/**
 * What differs between a document on disk and the unsaved copy crash recovery kept:
 * for notebooks, which cells (matched by nbformat 4.5 cell `id`, else by position);
 * for text, which lines. DOM-free.
 */

/** One cell that differs; `index` is 1-based in the kept copy (in the disk file for `removed`). */
export interface CellDifference {
  index: number;
  kind: 'changed' | 'added' | 'removed';
  cellType: string;
  /** The cell's first non-empty source line, shortened. */
  preview: string;
}

interface CellJSON {
  id?: unknown;
  cell_type?: unknown;
  source?: unknown;
  outputs?: unknown;
}

function cellsOf(notebook: unknown): CellJSON[] {
  const cells = (notebook as { cells?: unknown } | null)?.cells;
  return Array.isArray(cells) ? (cells as CellJSON[]) : [];
}

function sourceOf(cell: CellJSON): string {
  return Array.isArray(cell.source) ? cell.source.join('') : String(cell.source ?? '');
}

function preview(cell: CellJSON): string {
  const line = sourceOf(cell).split('\n').find((l) => l.trim()) ?? '';
  return line.length > 60 ? line.slice(0, 59) + '…' : line;
}

function same(a: CellJSON, b: CellJSON): boolean {
  return (
    a.cell_type === b.cell_type &&
    sourceOf(a) === sourceOf(b) &&
    JSON.stringify(a.outputs ?? null) === JSON.stringify(b.outputs ?? null)
  );
}

/**
 * The cells of `kept` that differ from `disk` (source, type or outputs), those added
 * in `kept`, and those of `disk` that `kept` no longer has. Empty when they agree.
 */
export function cellDifferences(disk: unknown, kept: unknown): CellDifference[] {
  const before = cellsOf(disk);
  const after = cellsOf(kept);
  const out: CellDifference[] = [];
  const entry = (cell: CellJSON, index: number, kind: CellDifference['kind']): CellDifference => ({
    index,
    kind,
    cellType: String(cell.cell_type ?? 'code'),
    preview: preview(cell)
  });
  const withIds = [...before, ...after].every((c) => typeof c.id === 'string');
  if (withIds) {
    const byId = new Map(before.map((c) => [c.id as string, c]));
    const keptIds = new Set(after.map((c) => c.id as string));
    after.forEach((cell, i) => {
      const old = byId.get(cell.id as string);
      if (!old) out.push(entry(cell, i + 1, 'added'));
      else if (!same(old, cell)) out.push(entry(cell, i + 1, 'changed'));
    });
    before.forEach((cell, i) => {
      if (!keptIds.has(cell.id as string)) out.push(entry(cell, i + 1, 'removed'));
    });
    return out;
  }
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const old = before[i];
    const cell = after[i];
    if (cell && !old) out.push(entry(cell, i + 1, 'added'));
    else if (old && !cell) out.push(entry(old, i + 1, 'removed'));
    else if (old && cell && !same(old, cell)) out.push(entry(cell, i + 1, 'changed'));
  }
  return out;
}

/** The differing stretch of two texts: 1-based first line and the line counts on each side. */
export interface LineDifference {
  firstLine: number;
  diskLines: number;
  keptLines: number;
}

/** Where `kept` differs from `disk` (common start and end removed), or null when equal. */
export function lineDifference(disk: string, kept: string): LineDifference | null {
  if (disk === kept) return null;
  const a = disk.split('\n');
  const b = kept.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { firstLine: start + 1, diskLines: a.length - start - end, keptLines: b.length - start - end };
}
