import { describe, expect, it } from 'vitest';
import {
  DEFAULT_NUMBERING,
  headingsFromHtml,
  headingsFromMarkdown,
  markdownHeadingLines,
  numberHeadings,
  sectionOf,
  sectionRange
} from './model';

describe('headingsFromMarkdown', () => {
  it('finds ATX and Setext headings in order, not those in code blocks', () => {
    const md = '# One\ntext\n\n## Two *em* `code`\n\n```\n# not a heading\n```\n\nThree\n-----\n';
    expect(headingsFromMarkdown(md).map((h) => [h.level, h.text])).toEqual([
      [1, 'One'],
      [2, 'Two em code'],
      [2, 'Three']
    ]);
  });

  it('gives heading text as plain text: HTML tags dropped, entities decoded', () => {
    const [h] = headingsFromMarkdown('## Results <b>bold</b> <img src=x onerror=alert(1)> &amp; more');
    expect(h!.text).toBe('Results bold & more');
  });

  it('marks tocSkip and jp-toc-ignore headings as skipped', () => {
    const hs = headingsFromMarkdown('# Kept\n\n## Gone <a class="tocSkip"></a>\n\n<h3 class="jp-toc-ignore">Also gone</h3>\n');
    expect(hs.map((h) => [h.text, h.skip])).toEqual([
      ['Kept', false],
      ['Gone', true],
      ['Also gone', true]
    ]);
  });

  it('reads a heading\'s links defined further down, and ignores headings inside lists and quotes', () => {
    const md = '# See [the docs][d] and <https://x.org>\r\n\r\n- # in a list\n\n> ## quoted\n\n[d]: https://example.org\n';
    expect(headingsFromMarkdown(md).map((h) => [h.level, h.text])).toEqual([[1, 'See the docs and https://x.org']]);
  });

  it('returns nothing for text without headings', () => {
    expect(headingsFromMarkdown('just text\nmore text')).toEqual([]);
  });
});

describe('headingsFromHtml', () => {
  it('reads h1-h6 as text', () => {
    expect(headingsFromHtml('<div><h2 id="a">A <i>b</i></h2><p>x</p><h4>C</h4></div>')).toEqual([
      { level: 2, text: 'A b', skip: false },
      { level: 4, text: 'C', skip: false }
    ]);
  });
});

describe('numberHeadings', () => {
  const items = (levels: number[]) => levels.map((level) => ({ level, numbering: '' }));
  it('numbers levels as 1., 1.1., 2.', () => {
    const out = numberHeadings(items([1, 2, 2, 3, 1, 2]), { ...DEFAULT_NUMBERING, numbering: true });
    expect(out.map((i) => i.numbering)).toEqual(['1.', '1.1.', '1.2.', '1.2.1.', '2.', '2.1.']);
  });
  it('without H1 numbering starts at H2', () => {
    const out = numberHeadings(items([1, 2, 3, 2, 1, 2]), { numbering: true, numberingH1: false, maximalDepth: 6 });
    expect(out.map((i) => i.numbering)).toEqual(['', '1.', '1.1.', '2.', '', '1.']);
  });
  it('skipped levels count as 0, deeper than maximalDepth get no number', () => {
    const out = numberHeadings(items([1, 3, 5]), { numbering: true, numberingH1: true, maximalDepth: 4 });
    expect(out.map((i) => i.numbering)).toEqual(['1.', '1.0.1.', '']);
  });
  it('gives no numbers when numbering is off', () => {
    expect(numberHeadings(items([1, 2]), DEFAULT_NUMBERING).map((i) => i.numbering)).toEqual(['', '']);
  });
});

describe('sections', () => {
  const items = [
    { cellIndex: 0, level: 1 },
    { cellIndex: 3, level: 2 },
    { cellIndex: 6, level: 2 },
    { cellIndex: 9, level: 1 }
  ];
  it('finds the section of a cell', () => {
    expect(sectionOf(items, 0)).toBe(0);
    expect(sectionOf(items, 4)).toBe(1);
    expect(sectionOf(items, 8)).toBe(2);
    expect(sectionOf(items, 20)).toBe(3);
    expect(sectionOf([{ cellIndex: 2 }], 1)).toBe(-1);
  });
  it('a section runs to the next heading of the same or a higher level', () => {
    expect(sectionRange(items, 0, 12)).toEqual([0, 9]);
    expect(sectionRange(items, 1, 12)).toEqual([3, 6]);
    expect(sectionRange(items, 2, 12)).toEqual([6, 9]);
    expect(sectionRange(items, 3, 12)).toEqual([9, 12]);
  });
});

describe('markdownHeadingLines', () => {
  it('gives each heading its line', () => {
    const md = 'intro\n\n# A\n\npara\nmore\n\n## B\n```\n# no\n```\n### C\n';
    expect(markdownHeadingLines(md).map((h) => [h.text, h.line])).toEqual([
      ['A', 2],
      ['B', 7],
      ['C', 11]
    ]);
  });
});
