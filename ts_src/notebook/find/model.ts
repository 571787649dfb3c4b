import { errorMessage } from '../../core/errors';
/**
 * Find and replace over a notebook's cell sources: pure functions on plain strings,
 * so they work for every cell whether or not it has an editor (or is built at all).
 * Offsets are UTF-16 code unit offsets into a cell's source, as CodeMirror uses.
 */

/** What to look for. */
export interface FindQuery {
  /** The text typed in the find box; nothing is found when empty. */
  text: string;
  /** Whether case must match (otherwise letters match case-insensitively). */
  caseSensitive: boolean;
  /** Whether `text` is a JavaScript regular expression (flags `u`, plus `i` when not case sensitive). */
  regex: boolean;
}

/** One match: `source.slice(from, to)` of cell `cell`, never empty. */
export interface FindMatch {
  cell: number;
  from: number;
  to: number;
}

/** Thrown by {@link compileQuery} when a regular expression does not parse; `message` says why. */
export class FindQueryError extends Error {
  override name = 'FindQueryError';
}

/**
 * The regular expression (global, Unicode) for `query`, or null when the query is
 * empty. Plain text is escaped, so it matches literally.
 * @throws FindQueryError when `query.regex` and the text is no valid regular expression.
 */
export function compileQuery(query: FindQuery): RegExp | null {
  if (!query.text) return null;
  const source = query.regex ? query.text : query.text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  try {
    return new RegExp(source, query.caseSensitive ? 'gu' : 'giu');
  } catch (err) {
    // Engines say "Invalid regular expression: /(/giu: Unterminated group"; keep the reason.
    const reason = errorMessage(err).replace(/^.*:\s*(?=[^:]*$)/, '');
    throw new FindQueryError(`Invalid regular expression: ${reason}`);
  }
}

/**
 * Every non-empty match of `query` in `sources`, in document order (cell, then
 * offset), in one pass. Empty matches (`^`, `a*` between letters) are skipped:
 * there is nothing to show or replace.
 * @throws FindQueryError as {@link compileQuery}.
 */
export function findMatches(sources: readonly string[], query: FindQuery): FindMatch[] {
  const re = compileQuery(query);
  const out: FindMatch[] = [];
  if (!re) return out;
  sources.forEach((source, cell) => {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(source)) !== null) {
      if (m[0].length === 0) {
        // Step past the empty match (a whole code point, so the `u` flag stays happy).
        re.lastIndex = m.index + ((source.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
        if (re.lastIndex > source.length) break;
        continue;
      }
      out.push({ cell, from: m.index, to: m.index + m[0].length });
    }
  });
  return out;
}

/** A place in the notebook: cell index and offset in its source. */
export interface FindPosition {
  cell: number;
  offset: number;
}

/**
 * Index of the first match starting at or after `pos` (wrapping round to the first
 * match), or -1 when there are none.
 */
export function matchAtOrAfter(matches: readonly FindMatch[], pos: FindPosition): number {
  if (matches.length === 0) return -1;
  const i = matches.findIndex((m) => m.cell > pos.cell || (m.cell === pos.cell && m.from >= pos.offset));
  return i < 0 ? 0 : i;
}

/** Index of the match after `current`, wrapping round; -1 when there are none. */
export function nextMatch(matches: readonly FindMatch[], current: number): number {
  if (matches.length === 0) return -1;
  return current < 0 ? 0 : (current + 1) % matches.length;
}

/** Index of the match before `current`, wrapping round; -1 when there are none. */
export function previousMatch(matches: readonly FindMatch[], current: number): number {
  if (matches.length === 0) return -1;
  return current <= 0 ? matches.length - 1 : current - 1;
}

/**
 * `source` with the match at `from` replaced. With `query.regex`, `replacement`
 * may use `$1`, `$<name>`, `$&` as in `String.prototype.replace`; plain text is
 * inserted as is. The match is found again at `from` (lookbehinds see the text
 * before it), so the result is `source` unchanged when no match starts there.
 * @throws FindQueryError as {@link compileQuery}.
 */
export function replaceAt(source: string, from: number, query: FindQuery, replacement: string): string {
  const re = compileQuery(query);
  if (!re) return source;
  const sticky = new RegExp(re.source, re.flags.replace('g', '') + 'y');
  sticky.lastIndex = from;
  const m = sticky.exec(source);
  if (!m || m[0].length === 0) return source;
  sticky.lastIndex = from;
  return query.regex ? source.replace(sticky, replacement) : source.slice(0, from) + replacement + source.slice(from + m[0].length);
}

/**
 * The new source of every cell that has matches, with all of them replaced
 * (as {@link replaceAt}, last first so earlier offsets stay valid). Cells without
 * matches are absent from the result.
 * @throws FindQueryError as {@link compileQuery}.
 */
export function replaceAll(sources: readonly string[], query: FindQuery, replacement: string): Map<number, string> {
  const matches = findMatches(sources, query);
  const out = new Map<number, string>();
  for (let i = matches.length - 1; i >= 0; i--) {
    const m = matches[i]!;
    out.set(m.cell, replaceAt(out.get(m.cell) ?? sources[m.cell]!, m.from, query, replacement));
  }
  return out;
}
