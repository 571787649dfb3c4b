import { describe, expect, it } from 'vitest';
import { extractMath, placeholder, adaptTex, splitDefinitions } from './math';

describe('extractMath', () => {
  it('takes inline and display math out of the Markdown, in order', () => {
    const { text, math } = extractMath('Energy $E = mc^2$ and $$\\int_0^1 x\\,dx$$ done');
    expect(text).toBe(`Energy ${placeholder(0)} and ${placeholder(1)} done`);
    expect(math).toEqual([
      { tex: 'E = mc^2', display: false },
      { tex: '\\int_0^1 x\\,dx', display: true }
    ]);
  });

  it('keeps underscores and stars inside formulas away from the Markdown parser', () => {
    const { text, math } = extractMath('$a_1 * b_2$ and *emphasis*');
    expect(text).toBe(`${placeholder(0)} and *emphasis*`);
    expect(math[0]!.tex).toBe('a_1 * b_2');
  });

  it('understands \\( \\), \\[ \\] and LaTeX environments, also wrapped in dollars', () => {
    const { math } = extractMath('\\(x\\) \\[y\\] \\begin{equation}z\\end{equation} $\\begin{align}a&=b\\end{align}$');
    expect(math.map((m) => [m.tex, m.display])).toEqual([
      ['x', false],
      ['y', true],
      ['\\begin{equation*}z\\end{equation*}', true],
      ['\\begin{align*}a&=b\\end{align*}', true]
    ]);
  });

  it('leaves code, prices and escaped dollars alone', () => {
    for (const source of ['`$x$` in code', '```\n$$y$$\n```', 'costs $5 and $10', 'a \\$ sign']) {
      expect(extractMath(source).math).toEqual([]);
    }
  });
});

describe('splitDefinitions', () => {
  it('cuts macro definitions out of a formula, whole, and leaves the rest', () => {
    const tex = 'a \\newcommand{\\R}[2][x]{\\mathbb{R}^{#1 \\{#2\\}}} b \\def\\half#1{\\frac{#1}{2}} c \\renewcommand\\v{\\vec{v}}';
    const { definitions, rest } = splitDefinitions(tex);
    expect(definitions).toEqual(['\\newcommand{\\R}[2][x]{\\mathbb{R}^{#1 \\{#2\\}}}', '\\def\\half#1{\\frac{#1}{2}}', '\\renewcommand\\v{\\vec{v}}']);
    expect(rest).toBe('a  b  c ');
  });

  it('turns \\DeclareMathOperator into a command for \\operatorname', () => {
    expect(splitDefinitions('\\DeclareMathOperator*{\\argmax}{arg\\,max}').definitions).toEqual(['\\newcommand{\\argmax}{\\operatorname*{arg\\,max}}']);
  });

  it('leaves a definition whose braces do not close in the formula', () => {
    expect(splitDefinitions('\\newcommand{\\R}{\\mathbb{R}')).toEqual({ definitions: [], rest: '\\newcommand{\\R}{\\mathbb{R}' });
    expect(splitDefinitions('\\default + \\newcommandx').definitions).toEqual([]);
    expect(splitDefinitions('a \\DeclareMathOperator{x}{y} b')).toEqual({ definitions: [], rest: 'a \\DeclareMathOperator{x}{y} b' });
  });
});

describe('adaptTex', () => {
  it('rewrites eqnarray, which Temml lacks, as an array with enough columns', () => {
    expect(adaptTex('\\begin{eqnarray}a &=& b \\\\ c &=& d\\end{eqnarray}')).toBe(
      '\\begin{array}{rcl}a &=& b \\\\ c &=& d\\end{array}'
    );
  });

  it('does not number equations, like Jupyter', () => {
    expect(adaptTex('\\begin{equation}x\\end{equation}')).toBe('\\begin{equation*}x\\end{equation*}');
  });
});
