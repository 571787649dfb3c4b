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

/**
 * A formula's macro definitions (`\newcommand`, `\renewcommand`, `\providecommand`,
 * `\def` and its kin, `\DeclareMathOperator`) cut out of it, each a TeX string of its
 * own, and what is left to typeset. A definition whose braces do not close stays in
 * `rest` (the typesetter then reports it).
 */
export function splitDefinitions(tex: string): { definitions: string[]; rest: string } {
  const definitions: string[] = [];
  let rest = '';
  let from = 0;
  const start = /\\(renewcommand|newcommand|providecommand|DeclareMathOperator|[gex]?def)(?![A-Za-z])(\*?)/g;
  for (let m = start.exec(tex); m; m = start.exec(tex)) {
    const end = definitionEnd(tex, start.lastIndex, m[1]);
    if (end < 0) continue;
    let definition = tex.slice(m.index, end);
    if (m[1] === 'DeclareMathOperator') {
      // Temml lacks it; MathJax (JupyterLab) has it: the same as a command for \operatorname.
      const [, name, body] = /^\\DeclareMathOperator\*?\s*(\{?\s*\\(?:[A-Za-z]+|.)\s*\}?)\s*(\{[\s\S]*\})$/.exec(definition) ?? [];
      if (!name || !body) continue;
      definition = `\\newcommand${name}{\\operatorname${m[2]}${body}}`;
    } else if (m[2]) {
      // \newcommand* (arguments without paragraphs): Temml has no paragraphs, nor the star.
      definition = `\\${m[1]}${definition.slice(m[1].length + 2)}`;
    }
    definitions.push(definition);
    rest += tex.slice(from, m.index);
    from = end;
    start.lastIndex = end;
  }
  return { definitions, rest: rest + tex.slice(from) };
}

/** Where the definition whose command ends at `i` ends, or -1 if it is not well formed. */
function definitionEnd(tex: string, i: number, command: string): number {
  const skip = () => {
    while (/\s/.test(tex[i] ?? '')) i++;
  };
  skip();
  // The name: \name, or {\name}.
  const name = /^(\{\s*\\(?:[A-Za-z]+|.)\s*\}|\\(?:[A-Za-z]+|.))/.exec(tex.slice(i));
  if (!name) return -1;
  i += name[0].length;
  if (command.endsWith('def')) {
    // The parameter text (#1#2...) runs to the body's brace.
    while (i < tex.length && tex[i] !== '{') i++;
  } else {
    skip();
    // [number of arguments] and [default of the first].
    for (let n = 0; n < 2 && command.endsWith('command'); n++) {
      const opt = /^\[[^\]]*\]\s*/.exec(tex.slice(i));
      if (opt) i += opt[0].length;
    }
  }
  if (tex[i] !== '{') return -1;
  let depth = 0;
  for (; i < tex.length; i++) {
    const c = tex[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The macros formulas defined so far, for the whole page: as with MathJax (JupyterLab),
 * a `\newcommand` in one formula, often a notebook's first Markdown cell, is known in
 * every formula typeset after it. (Temml alone forgets a formula's definitions at its end.)
 */
const pageMacros: Record<string, unknown> = Object.create(null);

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
        const { definitions, rest } = splitDefinitions(segment.tex);
        for (const definition of definitions) define(tex, definition);
        // trust: false keeps \href, \url, \class and \includegraphics from reaching the page.
        // annotate keeps the source in the MathML (<annotation encoding="application/x-tex">), for
        // copying and for tools that read it, as KaTeX did; browsers do not draw it.
        // A formula of definitions only shows nothing, as with MathJax.
        if (rest.trim() || definitions.length === 0) {
          tex.render(rest, span, { displayMode: segment.display, annotate: true, throwOnError: true, trust: false, strict: false, macros: pageMacros });
        }
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

/**
 * Add `definition` (one of {@link splitDefinitions}) to the page's macros. A later
 * definition of the same name wins, as in MathJax, and a `\newcommand` of a name Temml
 * has built in redefines it (Temml alone refuses).
 * @throws Temml's ParseError when the definition does not parse.
 */
function define(tex: Temml, definition: string): void {
  const options = { trust: false, strict: false };
  let macros: Record<string, unknown>;
  try {
    macros = tex.definePreamble(definition, options) as Record<string, unknown>;
  } catch (err) {
    if (!/^\\newcommand/.test(definition)) throw err;
    macros = tex.definePreamble(definition.replace(/^\\newcommand/, '\\renewcommand'), options) as Record<string, unknown>;
  }
  Object.assign(pageMacros, macros);
}
