import { describe, expect, it } from 'vitest';
import { detectLineBreak, languageForPath } from './editor';

describe('languageForPath', () => {
  it('highlights Python and Markdown by extension, ignoring case; others are plain', () => {
    expect(languageForPath('src/app.py')).toBe('python');
    expect(languageForPath('stubs/mod.PYI')).toBe('python');
    expect(languageForPath('README.md')).toBe('markdown');
    expect(languageForPath('notes.markdown')).toBe('markdown');
    expect(languageForPath('data.csv')).toBe('plain');
    expect(languageForPath('py/Makefile')).toBe('plain');
  });
});

describe('detectLineBreak', () => {
  it('keeps Windows line breaks, defaults to \\n', () => {
    expect(detectLineBreak('a\r\nb\r\n')).toBe('\r\n');
    expect(detectLineBreak('a\nb\n')).toBe('\n');
    expect(detectLineBreak('')).toBe('\n');
  });
});
