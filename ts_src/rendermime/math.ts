import { errorMessage } from '../core/errors';
/**
 * LaTeX math in Markdown, as Jupyter writes it: `$...$` and `\(...\)` inline,
 * `$$...$$`, `\[...\]` and `\begin{equation}...\end{equation}` (and the other
 * display environments) as display math.
 *
 * Math is cut out of the text before the Markdown parser sees it (so `_` and `*`
 * inside formulas stay intact), replaced by placeholders, and typeset with KaTeX
 * afterwards. KaTeX loads only when a page has math.
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
    math.push({ tex: toKatex(tex), display });
    return placeholder(math.length - 1);
  });
  return { text, math };
}

/**
 * KaTeX lacks `eqnarray` (MathJax, which JupyterLab uses, has it): rewrite it as an
 * `array` with as many right/centre/left columns as its widest row needs.
 */
export function toKatex(tex: string): string {
  // Jupyter's MathJax numbers no equations; KaTeX would number these environments.
  tex = tex.replace(/\\(begin|end)\{(equation|align|gather|multline)\}/g, '\\$1{$2*}');
  return tex.replace(/\\begin\{eqnarray\*?\}([\s\S]*?)\\end\{eqnarray\*?\}/g, (_, body: string) => {
    const columns = Math.max(1, ...body.split('\\\\').map((row) => row.split('&').length));
    const spec = 'rcl'.repeat(Math.ceil(columns / 3)).slice(0, columns);
    return `\\begin{array}{${spec}}${body}\\end{array}`;
  });
}

type Katex = typeof import('katex').default;
let katex: Promise<Katex> | null = null;
/** KaTeX once loaded: then formulas are typeset synchronously, inside the caller's task. */
let katexLoaded: Katex | null = null;

function loadKatex(): Promise<Katex> {
  return (katex ??= Promise.all([
    import(/* webpackChunkName: "katex" */ 'katex'),
    import(/* webpackChunkName: "katex" */ 'katex/dist/katex.min.css')
  ]).then(([m]) => (katexLoaded = m.default)));
}

/**
 * Typeset the placeholders under `root` with KaTeX. A formula KaTeX cannot parse is
 * shown as its source in red with the error as a tooltip, as JupyterLab does.
 * Resolves once every formula is in place. Once KaTeX has loaded, the typesetting
 * happens before this returns, so callers that budget their time (building cells in
 * slices) account for it, rather than it piling up in one later microtask.
 */
export function typesetMath(root: ParentNode, math: MathSegment[]): Promise<void> {
  if (math.length === 0) return Promise.resolve();
  if (katexLoaded) {
    typesetWith(katexLoaded, root, math);
    return Promise.resolve();
  }
  // Pages rendered while KaTeX loads each typeset in a task of their own: forty
  // Markdown cells waiting together would otherwise make one long task.
  return loadKatex().then(
    (tex) => new Promise<void>((resolve) => setTimeout(() => resolve(typesetWith(tex, root, math))))
  );
}

function typesetWith(tex: Katex, root: ParentNode, math: MathSegment[]): void {
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
        // trust: false keeps \href, \url and \htmlClass from reaching the page.
        tex.render(segment.tex, span, { displayMode: segment.display, throwOnError: true, trust: false, strict: 'ignore' });
      } catch (err) {
        span.classList.add('ja-mod-error');
        span.textContent = segment.display ? `$$${segment.tex}$$` : `$${segment.tex}$`;
        span.title = errorMessage(err);
      }
      fragment.appendChild(span);
    });
    node.replaceWith(fragment);
  }
}
