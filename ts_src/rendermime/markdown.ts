import { classHighlighter, highlightCode } from '@lezer/highlight';
import { parser as pythonParser } from '@lezer/python';
import { Marked } from 'marked';
import { extractMath, typesetMath } from './math';
import { hardenLinks, sanitizeHtml } from './sanitize';

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

/**
 * Syntax-highlight a Python code block with the same Lezer parser as the editor;
 * the text is only wrapped in `<span class="tok-...">`, never parsed as HTML.
 */
function highlightPython(code: HTMLElement): void {
  const text = code.textContent ?? '';
  const out = document.createDocumentFragment();
  highlightCode(
    text,
    pythonParser.parse(text),
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

/** Whether `url` is relative to the document (no scheme, not absolute, not an anchor). */
export function isRelativeUrl(url: string): boolean {
  return !!url && !/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(url);
}

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
    if (!h.id) h.id = (h.textContent ?? '').trim().replace(/\s+/g, '-');
  }
  for (const code of fragment.querySelectorAll('pre > code.language-python, pre > code.language-py')) {
    highlightPython(code as HTMLElement);
  }
  hardenLinks(fragment);
  host.replaceChildren(fragment);
  return typesetMath(host, math);
}
