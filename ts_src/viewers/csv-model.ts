/**
 * CSV/TSV without parsing the whole file: delimiter detection on a sample, an index
 * of row start offsets built chunk by chunk from byte ranges, and parsing of only the
 * rows on screen. DOM-free (tested with vitest).
 */
import { compareNames } from '../core/collation';

/** Delimiters tried by {@link detectDelimiter}, in order of preference on ties. */
export const DELIMITERS = [',', '\t', ';', '|'] as const;

/**
 * The delimiter of a CSV sample: the candidate that appears the same, non-zero number
 * of times (outside quotes) on the most of its first lines; `.tsv` files default to tab.
 */
export function detectDelimiter(sample: string, path = ''): string {
  const lines = sample.split(/\r?\n/).slice(0, 30);
  if (lines.length > 1 && sample.length >= 0 && !/\n/.test(sample.slice(-1))) lines.pop(); // a cut last line
  let best = /\.tsv$/i.test(path) ? '\t' : ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = lines.filter((l) => l.length).map((l) => parseLine(l, d).length - 1);
    if (!counts.length || counts[0] === 0) continue;
    const same = counts.filter((c) => c === counts[0]).length;
    const score = same * 1000 + counts[0]!;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/** Split one CSV record (RFC 4180 quoting: `""` inside quotes is a quote). */
export function parseLine(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field.endsWith('\r') ? field.slice(0, -1) : field);
  return out;
}

/** Parse consecutive records (the text of rows `[a, b)`); newlines inside quotes stay in fields. */
export function parseRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 34) quoted = !quoted;
    else if (ch === 10 && !quoted) {
      rows.push(parseLine(text.slice(start, i), delimiter));
      start = i + 1;
    }
  }
  if (start < text.length) rows.push(parseLine(text.slice(start), delimiter));
  return rows;
}

/**
 * Row start offsets (bytes) of a file fed chunk by chunk: `feed` scans for line feeds
 * outside double quotes (quotes are ASCII in UTF-8, so bytes suffice). Memory is 8
 * bytes per row; nothing of the text is kept.
 */
export class RowIndex {
  private offsets = new Float64Array(1024);
  private _count = 1; // row 0 starts at 0
  private quoted = false;
  private scanned = 0;

  /** Number of rows found so far (the last one may still be growing). */
  get count(): number {
    return this._count;
  }
  /** Bytes scanned so far. */
  get bytes(): number {
    return this.scanned;
  }

  /** Start offset of row `i` (`i == count` gives the end of what was scanned). */
  start(i: number): number {
    return i < this._count ? this.offsets[i]! : this.scanned;
  }

  /** Scan the next chunk of the file (consecutive with the previous ones). */
  feed(chunk: Uint8Array): void {
    let quoted = this.quoted;
    const base = this.scanned;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 34) quoted = !quoted;
      else if (b === 10 && !quoted) this.push(base + i + 1);
    }
    this.quoted = quoted;
    this.scanned += chunk.length;
  }

  /** Call when the whole file was fed: drops an empty last row after a final newline. */
  finish(total: number): void {
    if (this._count > 1 && this.offsets[this._count - 1] === total) this._count--;
  }

  private push(offset: number): void {
    if (this._count === this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this._count++] = offset;
  }
}

/** Compare two cell values: numbers numerically, otherwise as text (locale-aware, numeric). */
export function compareValues(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return compareNames(a, b);
}
