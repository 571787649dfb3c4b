/**
 * The key an execution names its cell by (the `execute_request`'s `metadata.cellId`,
 * which the server's execution journal records), for every cell, with or without an id.
 *
 * nbformat 4.5 gave cells an `id`; older notebooks (4.0-4.4, still common: every
 * notebook written before 2021) have none, and nbformat's own upgrade invents random
 * ids, which a page opened again could not find. A cell without an id is therefore
 * keyed by what a reload sees again: its source, and its rank among the id-less cells
 * with that same source (so two identical cells stay apart), never its position (a
 * cell inserted above would shift every later one). Nothing is written to the file:
 * saving an untouched old notebook keeps its bytes.
 *
 * A cell whose source was edited and run without saving gets a key the reloaded page
 * (showing the saved source) does not have: its outputs then show with those of
 * deleted cells, where the user can still find them.
 */

/** What a key is made from (a `CellModel`). */
export interface KeyedCell {
  readonly id: string | undefined;
  readonly source: string;
}

/** Prefix of derived keys; nbformat ids are [a-zA-Z0-9-_]{1,64}, so this never clashes with a real one. */
export const DERIVED_KEY_PREFIX = 'noid:';

/** 53-bit string hash (cyrb53, public domain), as 14 hex digits: stable across pages and browsers. */
export function sourceHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/**
 * Every cell's key: its `id`, or `noid:<source hash>:<rank>` where rank counts the
 * earlier id-less cells with the same source (0 for the first).
 */
export function cellKeys<C extends KeyedCell>(cells: readonly C[]): Map<C, string> {
  const keys = new Map<C, string>();
  const seen = new Map<string, number>();
  for (const cell of cells) {
    if (cell.id !== undefined) {
      keys.set(cell, cell.id);
      continue;
    }
    const hash = sourceHash(cell.source);
    const rank = seen.get(hash) ?? 0;
    seen.set(hash, rank + 1);
    keys.set(cell, `${DERIVED_KEY_PREFIX}${hash}:${rank}`);
  }
  return keys;
}

/** The key of `cell` among `cells` (see {@link cellKeys}); its id when it has one. */
export function cellKey<C extends KeyedCell>(cells: readonly C[], cell: C): string {
  if (cell.id !== undefined) return cell.id;
  return cellKeys(cells).get(cell) ?? `${DERIVED_KEY_PREFIX}${sourceHash(cell.source)}:0`;
}
