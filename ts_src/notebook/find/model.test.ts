import { describe, expect, it } from 'vitest';
import {
  compileQuery,
  findMatches,
  FindQuery,
  FindQueryError,
  matchAtOrAfter,
  nextMatch,
  previousMatch,
  replaceAll,
  replaceAt
} from './model';

const q = (text: string, opts: Partial<FindQuery> = {}): FindQuery => ({ text, caseSensitive: false, regex: false, ...opts });

describe('findMatches', () => {
  it('finds plain text in every cell, in order, ignoring case by default', () => {
    const sources = ['x = 1\nX = 2', 'print(x)', '', '# no'];
    expect(findMatches(sources, q('x'))).toEqual([
      { cell: 0, from: 0, to: 1 },
      { cell: 0, from: 6, to: 7 },
      { cell: 1, from: 6, to: 7 }
    ]);
  });

  it('matches case when asked', () => {
    expect(findMatches(['Foo foo FOO'], q('foo', { caseSensitive: true }))).toEqual([{ cell: 0, from: 4, to: 7 }]);
  });

  it('takes regex characters literally in plain text mode', () => {
    expect(findMatches(['a.b axb (a.b)'], q('(a.b)'))).toEqual([{ cell: 0, from: 8, to: 13 }]);
    expect(findMatches(['a-b a/b'], q('a-b'))).toEqual([{ cell: 0, from: 0, to: 3 }]);
  });

  it('finds regular expressions, skipping empty matches', () => {
    expect(findMatches(['def f(x):\n    return x1'], q('x\\d?', { regex: true }))).toEqual([
      { cell: 0, from: 6, to: 7 },
      { cell: 0, from: 21, to: 23 }
    ]);
    expect(findMatches(['ab', 'b'], q('a*', { regex: true }))).toEqual([{ cell: 0, from: 0, to: 1 }]);
    expect(findMatches(['😀x😀'], q('', { regex: true }))).toEqual([]);
    expect(findMatches(['😀x😀'], q('(?:)', { regex: true }))).toEqual([]);
  });

  it('reports an invalid regular expression as a FindQueryError', () => {
    expect(() => findMatches(['a'], q('(a', { regex: true }))).toThrow(FindQueryError);
    expect(() => compileQuery(q('[', { regex: true }))).toThrow(/^Invalid regular expression: [^:/]+$/);
    // The same text is fine as plain text.
    expect(findMatches(['x(a'], q('(a'))).toEqual([{ cell: 0, from: 1, to: 3 }]);
  });

  it('finds nothing for an empty query', () => {
    expect(findMatches(['abc'], q(''))).toEqual([]);
  });

  it('spans many cells quickly (2,000 cells, one match in the last)', () => {
    const sources = Array.from({ length: 2000 }, (_, i) => `cell_${i} = ${i} * 2\nprint(cell_${i})`);
    sources[1999] += '\nneedle()';
    const start = performance.now();
    const matches = findMatches(sources, q('NEEDLE'));
    expect(performance.now() - start).toBeLessThan(200);
    expect(matches).toEqual([{ cell: 1999, from: sources[1999]!.length - 8, to: sources[1999]!.length - 2 }]);
    expect(findMatches(sources, q('print')).length).toBe(2000);
  });
});

describe('moving between matches', () => {
  const matches = findMatches(['a a', '', 'a'], q('a'));

  it('starts at the first match at or after a position, wrapping round', () => {
    expect(matchAtOrAfter(matches, { cell: 0, offset: 0 })).toBe(0);
    expect(matchAtOrAfter(matches, { cell: 0, offset: 1 })).toBe(1);
    expect(matchAtOrAfter(matches, { cell: 1, offset: 0 })).toBe(2);
    expect(matchAtOrAfter(matches, { cell: 2, offset: 1 })).toBe(0);
    expect(matchAtOrAfter([], { cell: 0, offset: 0 })).toBe(-1);
  });

  it('goes next and previous with wrap-around', () => {
    expect([nextMatch(matches, 0), nextMatch(matches, 2), nextMatch(matches, -1)]).toEqual([1, 0, 0]);
    expect([previousMatch(matches, 2), previousMatch(matches, 0), previousMatch(matches, -1)]).toEqual([1, 2, 2]);
    expect([nextMatch([], 0), previousMatch([], 0)]).toEqual([-1, -1]);
  });
});

describe('replace', () => {
  it('replaces one match, literally in plain text mode', () => {
    expect(replaceAt('foo foo', 4, q('FOO'), '$&bar')).toBe('foo $&bar');
    // No match at that offset: unchanged.
    expect(replaceAt('foo foo', 1, q('foo'), 'x')).toBe('foo foo');
  });

  it('expands groups in regex mode and sees the text before the match', () => {
    expect(replaceAt('x1 y2', 3, q('([a-z])(\\d)', { regex: true }), '$2$1')).toBe('x1 2y');
    expect(replaceAt('ab cb', 1, q('(?<=a)b', { regex: true }), 'B')).toBe('aB cb');
    expect(replaceAt('ab cb', 4, q('(?<=a)b', { regex: true }), 'B')).toBe('ab cb');
  });

  it('replaces all matches across cells, leaving other cells out', () => {
    const sources = ['a = old\nold()', 'nothing', 'OLD'];
    const result = replaceAll(sources, q('old'), 'new');
    expect([...result.entries()].sort()).toEqual([
      [0, 'a = new\nnew()'],
      [2, 'new']
    ]);
    expect(replaceAll(sources, q('old', { caseSensitive: true }), 'x').get(2)).toBeUndefined();
    expect(replaceAll(['aXbXc'], q('x', { regex: true }), '[$&]').get(0)).toBe('a[X]b[X]c');
  });

  it('refuses an invalid regular expression', () => {
    expect(() => replaceAll(['a'], q('a(', { regex: true }), 'b')).toThrow(FindQueryError);
  });
});
