import { AnsiUp } from 'ansi_up';
import { describe, expect, it } from 'vitest';
import { AnsiConverter, ansiToHtml, escapeHtml, stripAnsi } from './ansi';

function reference(text: string): string {
  const up = new AnsiUp();
  up.use_classes = true;
  up.escape_html = true;
  return up.ansi_to_html(text);
}

describe('AnsiConverter', () => {
  it.each([
    'plain text\n',
    '<script>alert(1)</script> & "quotes" \'single\'',
    'tabs\tand\r\ncarriage returns',
    ''
  ])('escapes text without escapes exactly as ansi_up does: %j', (text) => {
    expect(ansiToHtml(text)).toBe(reference(text));
  });

  it('colours text after an escape, with classes', () => {
    expect(ansiToHtml('\x1b[31mred\x1b[0m ok')).toBe(reference('\x1b[31mred\x1b[0m ok'));
    expect(ansiToHtml('\x1b[31mred')).toContain('ansi-red-fg');
  });

  it('keeps colour state across chunks of one stream', () => {
    const c = new AnsiConverter();
    expect(c.toHtml('before ')).toBe('before ');
    c.toHtml('\x1b[32m');
    expect(c.toHtml('still green')).toContain('ansi-green-fg');
  });

  it('escapes HTML in coloured text', () => {
    expect(ansiToHtml('\x1b[1m<b>x</b>')).not.toContain('<b>');
  });
});

describe('escapeHtml / stripAnsi', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#x27;&amp;&#x27;&lt;/a&gt;');
  });
  it('removes SGR escapes', () => {
    expect(stripAnsi('\x1b[0;31mValueError\x1b[0m: bad')).toBe('ValueError: bad');
  });
});
