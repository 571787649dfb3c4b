import { describe, expect, it } from 'vitest';
import { compareValues, detectDelimiter, parseLine, parseRows, RowIndex } from './csv-model';

describe('detectDelimiter', () => {
  it('finds comma, tab, semicolon and pipe', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n4,5,6\n')).toBe(',');
    expect(detectDelimiter('a\tb\n1\t2\n')).toBe('\t');
    expect(detectDelimiter('a;b;c\n1,5;2;3\n4;5,1;6\n')).toBe(';');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
  });
  it('ignores delimiters inside quotes', () => {
    expect(detectDelimiter('"x;y",b\n"1;2",3\n')).toBe(',');
  });
  it('defaults by extension when nothing fits', () => {
    expect(detectDelimiter('single\nvalues\n', 'a.tsv')).toBe('\t');
    expect(detectDelimiter('single\nvalues\n', 'a.csv')).toBe(',');
  });
});

describe('parsing', () => {
  it('handles quotes, doubled quotes and CRLF', () => {
    expect(parseLine('a,"b,c","say ""hi""",d\r', ',')).toEqual(['a', 'b,c', 'say "hi"', 'd']);
    expect(parseRows('a,b\n"multi\nline",2\nx,y', ',')).toEqual([
      ['a', 'b'],
      ['multi\nline', '2'],
      ['x', 'y']
    ]);
  });
});

describe('RowIndex', () => {
  it('indexes rows across chunk boundaries and quoted newlines', () => {
    const text = 'h1,h2\n1,"a\nb"\n2,c\n';
    const bytes = new TextEncoder().encode(text);
    const index = new RowIndex();
    index.feed(bytes.slice(0, 8));
    index.feed(bytes.slice(8));
    index.finish(bytes.length);
    expect(index.count).toBe(3);
    const rows = [0, 1, 2].map((i) => new TextDecoder().decode(bytes.slice(index.start(i), index.start(i + 1))));
    expect(rows).toEqual(['h1,h2\n', '1,"a\nb"\n', '2,c\n']);
  });
});

describe('compareValues', () => {
  it('sorts numbers as numbers and text naturally', () => {
    expect(['10', '9', '100'].sort(compareValues)).toEqual(['9', '10', '100']);
    expect(['b', 'a10', 'a9'].sort(compareValues)).toEqual(['a9', 'a10', 'b']);
  });
});
