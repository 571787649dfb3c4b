import { describe, expect, it } from 'vitest';
import { appendStreamText, applyControlChars, joinMultiline } from './text';

describe('applyControlChars', () => {
  it('returns text without \\r or \\b unchanged', () => {
    expect(applyControlChars('plain\ntext\n')).toBe('plain\ntext\n');
    expect(applyControlChars('')).toBe('');
  });

  it('moves back to the start of the line on \\r and overwrites from there', () => {
    expect(applyControlChars('abc\rX')).toBe('Xbc');
    expect(applyControlChars('abc\rXYZW')).toBe('XYZW');
  });

  it('shows only the last state of a progress bar', () => {
    expect(applyControlChars('10%\r20%\r30%')).toBe('30%');
    expect(applyControlChars('  0%\r 50%\r100%\n')).toBe('100%\n');
  });

  it('applies \\r line by line', () => {
    expect(applyControlChars('a1\ra2\nb1\rb2\n')).toBe('a2\nb2\n');
  });

  it('treats \\r\\n as a newline', () => {
    expect(applyControlChars('abc\r\ndef\r\n')).toBe('abc\ndef\n');
    expect(applyControlChars('a\r\r\nb')).toBe('a\nb');
  });

  it('keeps a trailing \\r so the next chunk can overwrite the line', () => {
    expect(applyControlChars('10%\r')).toBe('10%\r');
    expect(applyControlChars('5%\r10%\r')).toBe('10%\r');
  });

  it('erases the character before a backspace', () => {
    expect(applyControlChars('abc\b')).toBe('ab');
    expect(applyControlChars('abc\b\bX')).toBe('aX');
  });

  it('does not erase past the start of the line or across a newline', () => {
    expect(applyControlChars('ab\b\b\bc')).toBe('c');
    expect(applyControlChars('a\n\bb')).toBe('a\nb');
  });

  it('moves back without shifting the rest of a line that \\r is overwriting', () => {
    // A terminal (and JupyterLab) show "xZcdef": the "c" after the cursor stays.
    expect(applyControlChars('abcdef\rxy\bZ')).toBe('xZcdef');
  });

  it('leaves ANSI escape sequences alone', () => {
    expect(applyControlChars('\x1b[31mred\x1b[0m\n')).toBe('\x1b[31mred\x1b[0m\n');
    expect(applyControlChars('\x1b[31m10%\r\x1b[31m20%')).toBe('\x1b[31m20%');
  });

  it('handles non-BMP characters as single characters', () => {
    expect(applyControlChars('😀😀\rx')).toBe('x😀');
    expect(applyControlChars('a😀\b')).toBe('a');
  });
});

describe('appendStreamText', () => {
  it('appends plain text', () => {
    expect(appendStreamText('', 'x')).toBe('x');
    expect(appendStreamText('a\n', 'b\n')).toBe('a\nb\n');
  });

  it('lets a chunk overwrite a line left with a trailing \\r', () => {
    expect(appendStreamText('10%\r', '20%')).toBe('20%');
    expect(appendStreamText('done\n10%\r', '20%\r')).toBe('done\n20%\r');
  });

  it('joins a \\r and a \\n split across two chunks into a newline', () => {
    expect(appendStreamText('abc\r', '\ndef')).toBe('abc\ndef');
  });

  it('lets \\r and \\b in a chunk act on the last line of the text', () => {
    expect(appendStreamText('line1\nabc', '\rX')).toBe('line1\nXbc');
    expect(appendStreamText('ab', '\b')).toBe('a');
    expect(appendStreamText('abc', '\b\bZ')).toBe('aZ');
  });

  it('never changes lines before the last one', () => {
    expect(appendStreamText('first\nsecond', '\b'.repeat(8) + 'X')).toBe('first\nX');
    // Earlier lines are kept exactly, even unprocessed ones from a file.
    expect(appendStreamText('a\rb\n', 'c')).toBe('a\rb\nc');
  });
});

describe('joinMultiline', () => {
  it('joins a list of lines', () => {
    expect(joinMultiline(['a\n', 'b\n', 'c'])).toBe('a\nb\nc');
    expect(joinMultiline([])).toBe('');
  });

  it('returns a string as it is and undefined as empty', () => {
    expect(joinMultiline('a\nb')).toBe('a\nb');
    expect(joinMultiline(undefined)).toBe('');
  });
});
