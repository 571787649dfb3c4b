/**
 * The table of contents as data, DOM-free: heading extraction from Markdown and
 * HTML, numbering, and sections. Views and providers build on these functions.
 */
import { Lexer, type Token } from 'marked';

/** One heading found in a piece of Markdown or HTML. */
export interface RawHeading {
  /** Plain text of the heading: inline Markdown flattened, HTML tags dropped (never HTML). */
  text: string;
  /** 1 to 6. */
  level: number;
  /** Skipped by the table of contents (`tocSkip` or `jp-toc-ignore` class on it, as in JupyterLab). */
  skip: boolean;
}

/** A heading of a document as the table of contents lists it. */
export interface TocItem extends RawHeading {
  /** Stable key for views: `<cell key>:<n>` for notebooks, `line:<n>` for text files. */
  key: string;
  /** Numbering prefix ("1.2.") or "" when not numbered. */
  numbering: string;
  /** The cell holding the heading (notebooks) or -1. */
  cellIndex: number;
  /** Index of the heading among the rendered headings of its cell (or 0-based line in text files). */
  position: number;
  /** Where it came from: a Markdown cell's source, a cell's output, or a text file. */
  origin: 'markdown' | 'output' | 'text';
  /** Running/queued code in the section, or an error output in it. */
  status?: 'running' | 'error';
  /** Collapsed heading cell (`jp-MarkdownHeadingCollapsed`), notebooks only. */
  collapsed?: boolean;
}

/** Numbering settings, as JupyterLab's ToC has them. */
// In their own module so the plugin's registration does not pull marked into the first load.
export { DEFAULT_NUMBERING, type NumberingOptions } from './numbering';
import type { NumberingOptions } from './numbering';

/** JupyterLab's rule: an element with class `tocSkip` or `jp-toc-ignore` is left out of the ToC. */
const SKIP_CLASS = /<\w+\s(?:[^>]*\s)?class\s*=\s*["'](?:[^"']*\s)?(?:jp-toc-ignore|tocSkip)(?:\s[^"']*)?["']/i;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Inline tokens as plain text: HTML dropped, images by their alt text. */
function inlineText(tokens: Token[] | undefined): string {
  let out = '';
  for (const t of tokens ?? []) {
    if (t.type === 'html') continue;
    if (t.type === 'br') out += ' ';
    else if ('tokens' in t && Array.isArray(t.tokens) && t.tokens.length) out += inlineText(t.tokens);
    else if ('text' in t && typeof t.text === 'string') out += t.text;
  }
  return out;
}

/** Strip tags from an HTML fragment and decode entities: the text a browser would show. */
export function htmlText(html: string): string {
  return decodeEntities(html.replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
}

const HTML_HEADING = /<h([1-6])(\s[^>]*)?>([\s\S]*?)<\/h\1\s*>/gi;

/**
 * Headings of HTML (`<h1>`…`<h6>`), in order. A heading with class `tocSkip` or
 * `jp-toc-ignore`, or containing an element with it, is marked `skip`.
 */
export function headingsFromHtml(html: string): RawHeading[] {
  const out: RawHeading[] = [];
  for (const m of html.matchAll(HTML_HEADING)) {
    const text = htmlText(m[3]!);
    if (!text) continue;
    out.push({ level: Number(m[1]), text, skip: SKIP_CLASS.test(m[0]) });
  }
  return out;
}

/**
 * The top-level block tokens of `source`, with the inline tokens of its headings only.
 * `Lexer.lex` also lexes every paragraph's, list item's and table cell's inline text,
 * which is most of its time and which no heading needs: a notebook of 500 Markdown
 * cells spent 40-49 ms lexing them all when it opened. Uses marked's documented
 * `blockTokens` / `inlineTokens` (the ones its extensions call), as `Lexer.lex` does.
 */
function topLevelTokens(source: string): Token[] {
  const lexer = new Lexer({ gfm: true });
  const tokens = lexer.blockTokens(source.replace(/\r\n|\r/g, '\n'));
  for (const t of tokens) if (t.type === 'heading') lexer.inlineTokens(t.text, t.tokens);
  return tokens;
}

/**
 * Headings of a Markdown text (ATX `#` and Setext), in document order, from marked's
 * lexer: no rendering. HTML headings written inside the Markdown count too, as they
 * render as headings. Headings in code blocks, quotes or lists do not count
 * (JupyterLab lists only top-level ones).
 */
export function headingsFromMarkdown(source: string): RawHeading[] {
  if (!source.includes('#') && !/<h[1-6]/i.test(source) && !/\n\s*(=+|-+)\s*(\n|$)/.test(source)) return [];
  let tokens: Token[];
  try {
    tokens = topLevelTokens(source);
  } catch {
    return [];
  }
  const out: RawHeading[] = [];
  for (const t of tokens) {
    if (t.type === 'heading') {
      const text = decodeEntities(inlineText(t.tokens)).replace(/\s+/g, ' ').trim();
      if (text) out.push({ level: t.depth, text, skip: SKIP_CLASS.test(t.raw) });
    } else if (t.type === 'html' && /<h[1-6]/i.test(t.raw)) {
      out.push(...headingsFromHtml(t.raw));
    } else if (t.type === 'paragraph' && /<h[1-6]/i.test(t.raw)) {
      out.push(...headingsFromHtml(t.raw));
    }
  }
  return out;
}

/**
 * Number `items` in place (JupyterLab's scheme: "1.", "1.1.", a skipped level counts
 * as 0): headings deeper than `maximalDepth` get no number; with `numberingH1` false,
 * H1 headings get none and H2 is the top level. Skipped headings are expected to be
 * filtered out before. Returns `items`.
 */
export function numberHeadings<T extends { level: number; numbering: string }>(items: T[], options: NumberingOptions): T[] {
  const counters = [0, 0, 0, 0, 0, 0, 0];
  const base = options.numberingH1 ? 1 : 2;
  for (const item of items) {
    item.numbering = '';
    if (item.level < base) {
      counters.fill(0);
      continue;
    }
    const depth = item.level - base; // 0-based
    counters[depth]!++;
    for (let i = depth + 1; i < counters.length; i++) counters[i] = 0;
    if (options.numbering && item.level <= options.maximalDepth) {
      item.numbering = counters.slice(0, depth + 1).join('.') + '.';
    }
  }
  return items;
}

/**
 * The index (in `items`) of the heading whose section holds cell `cellIndex`: the
 * last heading at or before that cell, or -1 when the cell is above every heading.
 * `items` are in document order.
 */
export function sectionOf(items: readonly { cellIndex: number }[], cellIndex: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.cellIndex <= cellIndex) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The cells of heading `index`'s section: from its cell up to (not including) the
 * cell of the next heading of the same or a higher level, or `cellCount`. Returns
 * `[start, end)`.
 */
export function sectionRange(
  items: readonly { cellIndex: number; level: number }[],
  index: number,
  cellCount: number
): [number, number] {
  const item = items[index];
  if (!item) return [0, 0];
  for (let i = index + 1; i < items.length; i++) {
    const next = items[i]!;
    if (next.level <= item.level && next.cellIndex > item.cellIndex) return [item.cellIndex, next.cellIndex];
  }
  return [item.cellIndex, cellCount];
}

/**
 * Headings of a Markdown text with the 0-based line each starts on (for text files):
 * the lexer's tokens are consecutive slices of the text, so their raw lengths give
 * the offsets.
 */
export function markdownHeadingLines(source: string): (RawHeading & { line: number })[] {
  let tokens: Token[];
  try {
    tokens = Lexer.lex(source.replace(/\r\n?/g, '\n'), { gfm: true });
  } catch {
    return [];
  }
  const out: (RawHeading & { line: number })[] = [];
  let line = 0;
  for (const t of tokens) {
    if (t.type === 'heading') {
      const text = decodeEntities(inlineText(t.tokens)).replace(/\s+/g, ' ').trim();
      // Leading blank lines belong to the token's raw text in some cases.
      const lead = /^\n*/.exec(t.raw)![0].length;
      if (text) out.push({ level: t.depth, text, skip: SKIP_CLASS.test(t.raw), line: line + lead });
    }
    for (let i = t.raw.indexOf('\n'); i >= 0; i = t.raw.indexOf('\n', i + 1)) line++;
  }
  return out;
}
