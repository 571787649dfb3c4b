// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { IMPLEMENTATIONS } from './renderers-impl';

async function renderLatex(source: unknown): Promise<HTMLElement> {
  const host = document.createElement('div');
  const renderer = IMPLEMENTATIONS.find((r) => r.mimeTypes.includes('text/latex'))!;
  await renderer.render({ mimeType: 'text/latex', data: source, metadata: {}, trusted: false, host, sandboxUrl: '' });
  return host;
}

describe('text/latex outputs', () => {
  it('typeset sympy\'s $\\displaystyle ...$ with KaTeX', async () => {
    const host = await renderLatex('$\\displaystyle \\frac{x^{2}}{2} + \\sin{\\left(x \\right)}$');
    expect(host.querySelector('.katex')).not.toBeNull();
    expect(host.querySelector('.katex annotation')?.textContent).toBe('\\displaystyle \\frac{x^{2}}{2} + \\sin{\\left(x \\right)}');
    expect(host.querySelector('.ja-mod-error')).toBeNull();
  });

  it('typeset equation environments and keep the text around them as text', async () => {
    const host = await renderLatex(['Result: <b>not bold</b> ', '\\begin{equation}E = mc^2\\end{equation}']);
    expect(host.querySelector('.ja-Math.ja-mod-display .katex-display')).not.toBeNull();
    expect(host.querySelector('b')).toBeNull();
    expect(host.textContent).toContain('Result: <b>not bold</b>');
  });

  it('show a formula KaTeX cannot parse as its source with the error, not blank', async () => {
    const host = await renderLatex('$\\frac{1}{$ and $x^2$');
    // "$\frac{1}{$" is not closed: KaTeX fails, the second formula still typesets.
    const error = host.querySelector('.ja-Math.ja-mod-error')!;
    expect(error.textContent).toBe('$\\frac{1}{$');
    expect(host.querySelector('.ja-LatexOutput-error')?.textContent).toMatch(/KaTeX parse error/);
    expect(host.querySelectorAll('.katex')).toHaveLength(1);
  });

  it('leave LaTeX outside math delimiters as text, as JupyterLab does', async () => {
    const host = await renderLatex('\\begin{tabular}{r|l}\n a & b\\\\\n\\end{tabular}');
    expect(host.querySelector('.katex')).toBeNull();
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
