import { StreamLanguage, type StreamParser } from '@codemirror/language';
import type { Parser } from '@lezer/common';
import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser as pythonParser } from '@lezer/python';
import { Marked } from 'marked';
import type { WarmUp } from '../core/tasks';
import { extractMath, typesetMath } from './math';
import { NAMED_PROPS_PREFIX, hardenLinks, sanitizeHtml } from './sanitize';

const marked = new Marked({ gfm: true, breaks: false });

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** Resolve `attachment:<name>` image URLs (cell attachments) to data URLs. */
  attachment?: (name: string) => string | undefined;
  /**
   * Resolve a relative URL (`figures/plot.png`, `other.ipynb#part`): `kind` says
   * whether it is an image source or a link. Return null to leave it as it is.
   */
  resolve?: (url: string, kind: 'image' | 'link') => string | null;
}

const javascript = () => import(/* webpackChunkName: "lezer-web" */ '@lezer/javascript').then((m) => m.parser);

const legacyParsers = new Map<string, Promise<Parser>>();
/**
 * A parser from one of CodeMirror's legacy (stream) modes, made once per language:
 * R, Julia, shell, SQL... the languages of other kernels' notebooks.
 */
function legacy(key: string, load: () => Promise<StreamParser<unknown>>): () => Promise<Parser> {
  return () => {
    let parser = legacyParsers.get(key);
    if (!parser) legacyParsers.set(key, (parser = load().then((mode) => StreamLanguage.define(mode).parser)));
    return parser;
  };
}
const modes = {
  r: legacy('r', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/r').then((m) => m.r)),
  julia: legacy('julia', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/julia').then((m) => m.julia)),
  shell: legacy('shell', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/shell').then((m) => m.shell)),
  sql: legacy('sql', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/sql').then((m) => m.standardSQL)),
  yaml: legacy('yaml', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/yaml').then((m) => m.yaml)),
  c: legacy('c', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/clike').then((m) => m.c)),
  cpp: legacy('cpp', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/clike').then((m) => m.cpp)),
  java: legacy('java', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/clike').then((m) => m.java)),
  rust: legacy('rust', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/rust').then((m) => m.rust)),
  go: legacy('go', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/go').then((m) => m.go)),
  toml: legacy('toml', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/toml').then((m) => m.toml)),
  diff: legacy('diff', () => import(/* webpackChunkName: "legacy-modes" */ '@codemirror/legacy-modes/mode/diff').then((m) => m.diff))
};

/**
 * Lezer parsers for fenced code blocks, by the fence's language name. Python (the
 * editor's own parser) is at hand; the others load with the first block using them.
 */
const PARSERS: Record<string, () => Parser | Promise<Parser>> = {
  python: () => pythonParser,
  py: () => pythonParser,
  ipython: () => pythonParser,
  python3: () => pythonParser,
  javascript,
  js: javascript,
  json: javascript,
  jsx: () => javascript().then((p) => p.configure({ dialect: 'jsx' })),
  typescript: () => javascript().then((p) => p.configure({ dialect: 'ts' })),
  ts: () => javascript().then((p) => p.configure({ dialect: 'ts' })),
  tsx: () => javascript().then((p) => p.configure({ dialect: 'ts jsx' })),
  html: () => import(/* webpackChunkName: "lezer-web" */ '@lezer/html').then((m) => m.parser),
  css: () => import(/* webpackChunkName: "lezer-web" */ '@lezer/css').then((m) => m.parser),
  r: modes.r,
  julia: modes.julia,
  jl: modes.julia,
  bash: modes.shell,
  sh: modes.shell,
  shell: modes.shell,
  console: modes.shell,
  sql: modes.sql,
  yaml: modes.yaml,
  yml: modes.yaml,
  c: modes.c,
  'c++': modes.cpp,
  cpp: modes.cpp,
  java: modes.java,
  rust: modes.rust,
  rs: modes.rust,
  go: modes.go,
  toml: modes.toml,
  diff: modes.diff
};

/** The language of a fenced code block (`<code class="language-js">`), lower-cased. */
function blockLanguage(code: Element): string | null {
  for (const name of code.classList) if (name.startsWith('language-')) return name.slice('language-'.length).toLowerCase();
  return null;
}

/**
 * Syntax-highlight a code block with a Lezer parser (the editor's, for Python); the
 * text is only wrapped in `<span class="tok-...">`, never parsed as HTML.
 */
function highlight(code: HTMLElement, parser: Parser): void {
  const text = code.textContent ?? '';
  const out = document.createDocumentFragment();
  highlightCode(
    text,
    parser.parse(text),
    classHighlighter,
    (piece, classes) => {
      if (!classes) {
        out.appendChild(document.createTextNode(piece));
        return;
      }
      const span = document.createElement('span');
      span.className = classes;
      span.textContent = piece;
      out.appendChild(span);
    },
    () => out.appendChild(document.createTextNode('\n'))
  );
  code.replaceChildren(out);
}

/**
 * The id a rendered heading of plain text `text` gets: its words joined by `-`, with the
 * prefix every id in untrusted content carries (sanitize.ts), so that a `#Heading`
 * link, which the sanitizer prefixes the same way, reaches it. In-notebook links to
 * headings not drawn yet (notebook/anchors.ts) compute the same id from the model.
 */
export function headingId(text: string): string {
  return NAMED_PROPS_PREFIX + text.trim().replace(/\s+/g, '-');
}

/** Whether `url` is relative to the document (no scheme, not absolute, not an anchor). */
export function isRelativeUrl(url: string): boolean {
  return !!url && !/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(url);
}

const WARM_UP_SAMPLE = '## A *heading*\n\nText with `code`, **bold** and a [link](#a).\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n';

/**
 * The Markdown path's warm-ups, for {@link warmUp}: the first {@link renderMarkdown} of a
 * page makes the sanitizer's detached frame and compiles marked's and DOMPurify's code,
 * 60-130 ms on a slow machine (2026-12-05) that would otherwise land in the task opening
 * the first notebook; three steps, as one they were a long task. Math is left out: Temml
 * loads only for content that has math.
 */
export const MARKDOWN_WARM_UPS: readonly WarmUp[] = [
  () => sanitizeHtml('<p><b>ready</b></p>'),
  () => marked.lexer(WARM_UP_SAMPLE),
  () => renderMarkdown(WARM_UP_SAMPLE, document.createElement('div'))
];

/**
 * Render Markdown (CommonMark + GFM tables, strikethrough, task lists) and its
 * LaTeX math into `host`, sanitized. Headings get ids from their text, for anchor
 * links. Resolves once the math is typeset (the text shows at once).
 */
export function renderMarkdown(source: string, host: HTMLElement, options: MarkdownOptions = {}): Promise<void> {
  const { text, math } = extractMath(source);
  const html = marked.parse(text, { async: false }) as string;
  const fragment = sanitizeHtml(html);
  if (options.attachment) {
    for (const img of fragment.querySelectorAll('img[src^="attachment:"]')) {
      const url = options.attachment(img.getAttribute('src')!.slice('attachment:'.length));
      if (url) img.setAttribute('src', url);
    }
  }
  if (options.resolve) {
    // Images and media load from the server's files; links open documents in the app.
    for (const img of fragment.querySelectorAll('img[src], video[src], audio[src], source[src]')) {
      const src = img.getAttribute('src')!;
      const url = isRelativeUrl(src) ? options.resolve(src, 'image') : null;
      if (url) img.setAttribute('src', url);
    }
    for (const a of fragment.querySelectorAll('a[href]')) {
      const href = a.getAttribute('href')!;
      const url = isRelativeUrl(href) ? options.resolve(href, 'link') : null;
      if (url) a.setAttribute('href', url);
    }
  }
  for (const h of fragment.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    // Prefixed like every id in untrusted content (sanitize.ts), and like the `#Heading`
    // links pointing here, which the sanitizer rewrote the same way.
    if (!h.id) h.id = headingId(h.textContent ?? '');
  }
  const pending: Promise<void>[] = [];
  for (const code of fragment.querySelectorAll<HTMLElement>('pre > code[class*="language-"]')) {
    const load = PARSERS[blockLanguage(code) ?? ''];
    if (!load) continue;
    const parser = load();
    if (parser instanceof Promise) pending.push(parser.then((p) => highlight(code, p)).catch(() => undefined));
    else highlight(code, parser);
  }
  hardenLinks(fragment);
  host.replaceChildren(fragment);
  return Promise.all([typesetMath(host, math), ...pending]).then(() => undefined);
}
