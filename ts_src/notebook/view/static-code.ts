import { defaultHighlightStyle, LanguageSupport } from '@codemirror/language';
import type { Extension } from '@codemirror/state';
import { highlightCode } from '@lezer/highlight';
import { StyleModule } from 'style-mod';

/**
 * The highlighting of code cells: the cell editor's (./editor.ts) and the static text's
 * (below) come from here, so a cell looks the same before and after its editor is made.
 */
export const cellHighlightStyle = defaultHighlightStyle;

/**
 * Longest source (UTF-16 code units) highlighted in static text. Parsing and highlighting
 * take about 0.5 ms per 1,000 characters of Python here (20,000: 10 ms, before the spans are
 * made), and a cell is drawn inside a slice of a few ms; a longer cell shows plain until its
 * editor, which parses in the background, is made.
 */
const MAX_HIGHLIGHTED = 10_000;

let styleMounted = false;

/**
 * Fill `pre` with `text` highlighted as a cell editor with `language` (a CodeMirror
 * `LanguageSupport`, e.g. `python()`) would show it: the same parser and the same classes
 * ({@link cellHighlightStyle}), so swapping the static text for an editor changes nothing
 * on screen. Plain text when `language` holds no parser (Markdown and raw cells, kernels
 * of other languages) or `text` is longer than {@link MAX_HIGHLIGHTED}.
 *
 * Costs one parse of `text` and a span per token; no CodeMirror view, no layout.
 */
export function fillStaticCode(pre: HTMLElement, text: string, language: Extension): void {
  const parser = language instanceof LanguageSupport ? language.language.parser : null;
  if (!parser || !text || text.length > MAX_HIGHLIGHTED) {
    pre.textContent = text;
    return;
  }
  mountStyle();
  const out = document.createDocumentFragment();
  let plain = '';
  highlightCode(
    text,
    parser.parse(text),
    cellHighlightStyle,
    (code, classes) => {
      if (!classes) {
        plain += code;
        return;
      }
      if (plain) out.append(plain);
      plain = '';
      const span = document.createElement('span');
      span.className = classes;
      span.textContent = code;
      out.append(span);
    },
    () => {
      plain += '\n';
    }
  );
  if (plain) out.append(plain);
  pre.replaceChildren(out);
}

/**
 * The highlight style's CSS rules, once per page. A CodeMirror editor mounts them when
 * made; static text can be shown before any editor exists.
 */
function mountStyle(): void {
  if (styleMounted) return;
  styleMounted = true;
  const module = cellHighlightStyle.module;
  if (module) StyleModule.mount(document, module);
}
