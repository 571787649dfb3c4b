import { errorMessage } from '../core/errors';
/**
 * LaTeX math in Markdown, as Jupyter writes it: `$...$` and `\(...\)` inline,
 * `$$...$$`, `\[...\]` and `\begin{equation}...\end{equation}` (and the other
 * display environments) as display math.
 *
 * Math is cut out of the text before the Markdown parser sees it (so `_` and `*`
 * inside formulas stay intact), replaced by placeholders, and typeset afterwards
 * with Temml, which writes MathML for the browser to draw (MathML Core,
 * https://w3c.github.io/mathml-core/): one element per token, where an HTML
 * typesetter such as KaTeX needs about three times as many to place glyphs by hand.
 * Temml, its stylesheet and the STIX Two Math font (an OpenType font with a MATH
 * table, which Chromium needs to size fractions, radicals and big operators) load
 * only when a page has math.
 */

/** One formula taken out of the source. */
export interface MathSegment {
  tex: string;
  display: boolean;
}

const ENVIRONMENTS = 'equation|equation\\*|align|align\\*|gather|gather\\*|multline|multline\\*|eqnarray|eqnarray\\*|displaymath';

const PATTERN = new RegExp(
  [
    '```[\\s\\S]*?```', // fenced code: leave alone
    '`[^`\\n]*`', // inline code: leave alone
    // An environment wrapped in $ or $$ (common in notebooks) is one display formula.
    `\\$\\$?\\s*\\\\begin\\{(${ENVIRONMENTS})\\}[\\s\\S]+?\\\\end\\{\\1\\}\\s*\\$\\$?`,
    '\\$\\$[\\s\\S]+?\\$\\$',
    `\\\\begin\\{(${ENVIRONMENTS})\\}[\\s\\S]+?\\\\end\\{\\2\\}`,
    '\\\\\\[[\\s\\S]+?\\\\\\]',
    '\\\\\\([\\s\\S]+?\\\\\\)',
    '(?<![\\\\$])\\$(?!\\s)[^$\\n]+?(?<![\\s\\\\])\\$(?!\\d)'
  ].join('|'),
  'g'
);

/** The placeholder for segment `i`: text Markdown leaves alone. */
export function placeholder(i: number): string {
  return `@@JA-MATH-${i}@@`;
}

/**
 * Replace the math of `source` with placeholders.
 * @returns The text for the Markdown parser and the formulas, in order.
 */
export function extractMath(source: string): { text: string; math: MathSegment[] } {
  const math: MathSegment[] = [];
  const text = source.replace(PATTERN, (match) => {
    if (match.startsWith('`')) return match;
    let tex: string;
    let display = true;
    const wrapped = /^\$\$?\s*\\begin/.exec(match);
    if (wrapped) tex = match.replace(/^\$\$?\s*/, '').replace(/\s*\$\$?$/, '');
    else if (match.startsWith('$$')) tex = match.slice(2, -2);
    else if (match.startsWith('\\[') || match.startsWith('\\(')) {
      tex = match.slice(2, -2);
      display = match.startsWith('\\[');
    } else if (match.startsWith('\\begin')) tex = match;
    else {
      tex = match.slice(1, -1);
      display = false;
    }
    math.push({ tex: adaptTex(tex), display });
    return placeholder(math.length - 1);
  });
  return { text, math };
}

/**
 * Temml lacks `eqnarray` (MathJax, which JupyterLab uses, has it): rewrite it as an
 * `array` with as many right/centre/left columns as its widest row needs.
 */
export function adaptTex(tex: string): string {
  // Jupyter's MathJax numbers no equations; Temml would number these environments.
  tex = tex.replace(/\\(begin|end)\{(equation|align|gather|multline)\}/g, '\\$1{$2*}');
  return tex.replace(/\\begin\{eqnarray\*?\}([\s\S]*?)\\end\{eqnarray\*?\}/g, (_, body: string) => {
    const columns = Math.max(1, ...body.split('\\\\').map((row) => row.split('&').length));
    const spec = 'rcl'.repeat(Math.ceil(columns / 3)).slice(0, columns);
    return `\\begin{array}{${spec}}${body}\\end{array}`;
  });
}

type Temml = typeof import('temml').default;
let temml: Promise<Temml> | null = null;
/** Temml once loaded: then formulas are typeset synchronously, inside the caller's task. */
let temmlLoaded: Temml | null = null;

function loadTemml(): Promise<Temml> {
  return (temml ??= Promise.all([
    import(/* webpackChunkName: "math" */ 'temml'),
    // Temml's rules for MathML Core (tables' alignment and lines, \boxed, \cancel, ...);
    // ours choose the font, with selectors that win whatever the order.
    import(/* webpackChunkName: "math" */ 'temml/dist/Temml-Local.css'),
    import(/* webpackChunkName: "math" */ './math.css')
  ]).then(([m]) => (temmlLoaded = m.default)));
}

/**
 * Typeset the placeholders under `root` as MathML. A formula Temml cannot parse is
 * shown as its source in red with the error as a tooltip, as JupyterLab does.
 * Resolves once every formula is in place. Once Temml has loaded, the typesetting
 * happens before this returns, so callers that budget their time (building cells in
 * slices) account for it, rather than it piling up in one later microtask.
 */
export function typesetMath(root: ParentNode, math: MathSegment[]): Promise<void> {
  if (math.length === 0) return Promise.resolve();
  if (temmlLoaded) {
    typesetWith(temmlLoaded, root, math);
    return Promise.resolve();
  }
  // Pages rendered while Temml loads each typeset in a task of their own: forty
  // Markdown cells waiting together would otherwise make one long task.
  return loadTemml().then(
    (tex) => new Promise<void>((resolve) => setTimeout(() => resolve(typesetWith(tex, root, math))))
  );
}

function typesetWith(tex: Temml, root: ParentNode, math: MathSegment[]): void {
  const walker = document.createTreeWalker(root as Node, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if ((n as Text).data.includes('@@JA-MATH-')) nodes.push(n as Text);
  }
  for (const node of nodes) {
    const parts = node.data.split(/@@JA-MATH-(\d+)@@/);
    const fragment = document.createDocumentFragment();
    parts.forEach((part, i) => {
      if (i % 2 === 0) {
        if (part) fragment.appendChild(document.createTextNode(part));
        return;
      }
      const segment = math[Number(part)];
      if (!segment) return;
      const span = document.createElement('span');
      span.className = segment.display ? 'ja-Math ja-mod-display' : 'ja-Math';
      try {
        // trust: false keeps \href, \url, \class and \includegraphics from reaching the page.
        // annotate keeps the source in the MathML (<annotation encoding="application/x-tex">), for
        // copying and for tools that read it, as KaTeX did; browsers do not draw it.
        tex.render(segment.tex, span, { displayMode: segment.display, annotate: true, throwOnError: true, trust: false, strict: false });
      } catch (err) {
        span.classList.add('ja-mod-error');
        span.textContent = segment.display ? `$$${segment.tex}$$` : `$${segment.tex}$`;
        span.title = `LaTeX error: ${errorMessage(err).trim()}`;
      }
      fragment.appendChild(span);
    });
    node.replaceWith(fragment);
  }
}
