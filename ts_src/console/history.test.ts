import { describe, expect, it } from 'vitest';
import { ConsoleHistory, ReverseSearch, searchPattern } from './history';

function history(...inputs: string[]) {
  const h = new ConsoleHistory();
  h.load(inputs);
  return h;
}

describe('ConsoleHistory', () => {
  it('walks back from the newest entry and forward to the draft', () => {
    const h = history('a = 1', 'b = 2', 'c = 3');
    expect(h.back('')).toBe('c = 3');
    expect(h.back('c = 3')).toBe('b = 2');
    expect(h.back('b = 2')).toBe('a = 1');
    expect(h.back('a = 1')).toBeNull();
    expect(h.forward('a = 1')).toBe('b = 2');
    expect(h.forward('b = 2')).toBe('c = 3');
    expect(h.forward('c = 3')).toBe('');
    expect(h.navigating).toBe(false);
    expect(h.forward('')).toBeNull();
  });

  it('keeps only entries starting with the typed prefix, and gives the draft back', () => {
    const h = history('import os', 'x = 1', 'import sys', 'print(x)');
    expect(h.back('imp')).toBe('import sys');
    expect(h.back('import sys')).toBe('import os');
    expect(h.back('import os')).toBeNull();
    expect(h.forward('import os')).toBe('import sys');
    expect(h.forward('import sys')).toBe('imp');
  });

  it('skips repeats of the text shown', () => {
    const h = history('x', 'y', 'x');
    expect(h.back('')).toBe('x');
    expect(h.back('x')).toBe('y');
    expect(h.back('y')).toBe('x');
  });

  it('starts again with a new prefix after the person edits an entry', () => {
    const h = history('print(1)', 'len(a)', 'print(2)');
    expect(h.back('')).toBe('print(2)');
    // Edited to "pr": the next Up searches for "pr" from the newest entry.
    expect(h.back('pr')).toBe('print(2)');
    expect(h.back('print(2)')).toBe('print(1)');
    expect(h.forward('print(1)')).toBe('print(2)');
    expect(h.forward('print(2)')).toBe('pr');
  });

  it('records inputs that run after the kernel history, without blanks or consecutive repeats', () => {
    const h = new ConsoleHistory();
    h.push('a');
    h.load(['old', 'a']);
    h.push('a');
    h.push('  ');
    h.push('b');
    expect(h.all).toEqual(['old', 'a', 'b']);
  });

  it('keeps at most its limit of entries, dropping the oldest', () => {
    const h = new ConsoleHistory(3);
    h.load(['1', '2', '3', '4']);
    h.push('5');
    expect(h.all).toEqual(['3', '4', '5']);
  });
});

describe('searchPattern', () => {
  it('matches the query anywhere, with glob characters taken literally', () => {
    expect(searchPattern('import')).toBe('*import*');
    expect(searchPattern('a*b?[c')).toBe('*a[*]b[?][[]c*');
  });
});

describe('ReverseSearch', () => {
  it('shows the newest match first and goes older with each Ctrl+R, stopping at the oldest', () => {
    const s = new ReverseSearch('sum');
    s.setMatches(['sum(a)', 'x = 1', 'total = sum(b)', 'sum(a)']);
    expect(s.count).toBe(2);
    expect(s.current).toBe('sum(a)');
    expect(s.older()).toBe('total = sum(b)');
    expect(s.older()).toBe('total = sum(b)');
  });

  it('keeps the match shown when the matches of a longer query arrive, if it still matches', () => {
    const s = new ReverseSearch('bet');
    s.setMatches(['alpha = 1', 'beta = 2', 'gamma = alpha + beta']);
    expect(s.current).toBe('gamma = alpha + beta');
    expect(s.older()).toBe('beta = 2');
    // The answer for "beta" comes after that Ctrl+R: it must not jump back to the newest.
    s.query = 'beta';
    s.setMatches(['alpha = 1', 'beta = 2', 'gamma = alpha + beta']);
    expect(s.current).toBe('beta = 2');
    // A query the match no longer contains starts again from the newest match.
    s.query = 'gamma';
    s.setMatches(['alpha = 1', 'beta = 2', 'gamma = alpha + beta']);
    expect(s.current).toBe('gamma = alpha + beta');
  });

  it('has no match when nothing contains the query', () => {
    const s = new ReverseSearch('zzz');
    s.setMatches(['a', 'b']);
    expect(s.current).toBeNull();
    expect(s.older()).toBeNull();
  });
});
