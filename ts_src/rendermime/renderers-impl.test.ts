// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS } from './renderers-impl';

// Browsers give MathML elements a `style` (MathMLElement); jsdom does not, and Temml
// sets `display: block math` on display formulas through it.
if (!('style' in document.createElementNS('http://www.w3.org/1998/Math/MathML', 'math'))) {
  Object.defineProperty(Element.prototype, 'style', {
    get(this: Element & { jaStyle?: CSSStyleDeclaration }) {
      return (this.jaStyle ??= document.createElement('span').style);
    }
  });
}

async function renderLatex(source: unknown): Promise<HTMLElement> {
  const host = document.createElement('div');
  const renderer = IMPLEMENTATIONS.find((r) => r.mimeTypes.includes('text/latex'))!;
  await renderer.render({ mimeType: 'text/latex', data: source, metadata: {}, trusted: false, host, sandboxUrl: '' });
  return host;
}

describe('text/latex outputs', () => {
  it('typeset sympy\'s $\\displaystyle ...$ as MathML', async () => {
    const host = await renderLatex('$\\displaystyle \\frac{x^{2}}{2} + \\sin{\\left(x \\right)}$');
    const math = host.querySelector('.ja-Math math')!;
    expect(math.querySelector('mfrac')?.textContent).toBe('x22');
    expect(math.querySelector('mi')?.textContent).toBe('x');
    expect(math.textContent).toContain('sin');
    expect(math.querySelector('annotation')?.textContent).toBe('\\displaystyle \\frac{x^{2}}{2} + \\sin{\\left(x \\right)}');
    expect(host.querySelector('.ja-mod-error')).toBeNull();
  });

  it('typeset equation environments and keep the text around them as text', async () => {
    const host = await renderLatex(['Result: <b>not bold</b> ', '\\begin{equation}E = mc^2\\end{equation}']);
    const math = host.querySelector('.ja-Math.ja-mod-display math[display="block"]')!;
    expect(math.querySelector('msup')?.textContent).toBe('c2');
    // The source stays in the MathML, not drawn (copying, tools that read it).
    expect(math.querySelector('annotation[encoding="application/x-tex"]')?.textContent).toBe('\\begin{equation*}E = mc^2\\end{equation*}');
    expect(host.querySelector('b')).toBeNull();
    expect(host.textContent).toContain('Result: <b>not bold</b>');
  });

  it('show a formula that cannot be parsed as its source with the error, not blank', async () => {
    const host = await renderLatex('$\\frac{1}{$ and $x^2$');
    // "$\frac{1}{$" is not closed: typesetting fails, the second formula still typesets.
    const error = host.querySelector('.ja-Math.ja-mod-error')!;
    expect(error.textContent).toBe('$\\frac{1}{$');
    expect(host.querySelector('.ja-LatexOutput-error')?.textContent).toMatch(/^LaTeX error: Unexpected end of input .*expected '}'/);
    expect(host.querySelectorAll('math')).toHaveLength(1);
  });

  it('know macros defined in an earlier formula, as MathJax (JupyterLab) does', async () => {
    // A notebook's first cell often only defines macros: it shows nothing.
    const defs = await renderLatex(
      '$\\newcommand{\\RR}{\\mathbb{R}} \\newcommand{\\norm}[1]{\\left\\lVert #1 \\right\\rVert} \\DeclareMathOperator{\\tr}{tr} \\def\\half{\\frac12}$'
    );
    expect(defs.querySelector('.ja-mod-error')).toBeNull();
    expect(defs.textContent).toBe('');
    // A later output uses them.
    const host = await renderLatex('$x \\in \\RR^n, \\norm{x} = \\tr(A) + \\half$');
    expect(host.querySelector('.ja-mod-error')).toBeNull();
    const math = host.querySelector('.ja-Math math')!;
    expect(math.textContent).toContain('ℝ');
    expect(math.textContent).toContain('tr');
    expect(math.querySelector('mfrac')?.textContent).toBe('12');
    expect(math.textContent).toContain('‖');
    // Defined again (a re-run cell, or a builtin): the last definition wins, no error.
    const again = await renderLatex('$\\newcommand{\\RR}{\\mathbf{R}}\\newcommand{\\vec}[1]{\\mathbf{#1}} \\vec{v} \\in \\RR$');
    expect(again.querySelector('.ja-mod-error')).toBeNull();
    expect(again.querySelector('math')!.textContent).not.toContain('ℝ');
  });

  it('leave LaTeX outside math delimiters as text, as JupyterLab does', async () => {
    const host = await renderLatex('\\begin{tabular}{r|l}\n a & b\\\\\n\\end{tabular}');
    expect(host.querySelector('math')).toBeNull();
    expect(host.textContent).toContain('\\begin{tabular}{r|l}');
  });
});

describe('withSvgNamespace', () => {
  it('adds the SVG namespace when the root lacks it, and only then', async () => {
    const { withSvgNamespace } = await import('./renderers-impl');
    expect(withSvgNamespace('<svg width="10"><rect/></svg>')).toBe('<svg xmlns="http://www.w3.org/2000/svg" width="10"><rect/></svg>');
    const ok = '<svg xmlns="http://www.w3.org/2000/svg" width="10"/>';
    expect(withSvgNamespace(ok)).toBe(ok);
    expect(withSvgNamespace('<?xml version="1.0"?>\n<svg\nviewBox="0 0 1 1"></svg>')).toContain('<svg xmlns="http://www.w3.org/2000/svg"\nviewBox');
  });
});
