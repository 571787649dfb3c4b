/** The result of matching a query against a text with {@link fuzzyMatch}. */
export interface FuzzyMatch {
  /** Higher is better. Only comparable between matches of the same query. */
  score: number;
  /** Indices into the text of the matched characters, ascending. */
  indices: number[];
}

/**
 * Match `query` as a case-insensitive subsequence of `text` (spaces in the query are
 * ignored). Consecutive characters and characters at word starts score higher, so
 * "cp" ranks "Command Palette" above "Copy". Returns null when it does not match.
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  if (!q) return { score: 0, indices: [] };
  const t = text.toLowerCase();
  const indices = pick(q, t, text, true) ?? pick(q, t, text, false);
  if (!indices) return null;
  let score = 0;
  let prev = -1;
  for (const i of indices) {
    if (i === prev + 1) score += 5;
    if (isWordStart(text, i)) score += 3;
    score -= Math.min(i - prev - 1, 2); // characters skipped cost a little (at most 2 per gap)
    prev = i;
  }
  return { score, indices };
}

/**
 * Greedy left-to-right match; with `preferWords`, each character jumps to the next
 * word start holding it unless it continues the previous match. May fail where the
 * plain greedy match succeeds, hence the caller's fallback.
 */
function pick(q: string, t: string, text: string, preferWords: boolean): number[] | null {
  const indices: number[] = [];
  let from = 0;
  for (const ch of q) {
    let found = t.indexOf(ch, from);
    if (found < 0) return null;
    if (preferWords && found !== from) {
      for (let i = found; i < t.length; i++) {
        if (t[i] === ch && isWordStart(text, i)) {
          found = i;
          break;
        }
      }
    }
    indices.push(found);
    from = found + 1;
  }
  return indices;
}

function isWordStart(text: string, i: number): boolean {
  if (i === 0) return true;
  const prev = text[i - 1]!;
  const ch = text[i]!;
  return /[\s:_\-./]/.test(prev) || (prev === prev.toLowerCase() && ch !== ch.toLowerCase());
}
