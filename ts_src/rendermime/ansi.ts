import { AnsiUp } from 'ansi_up';

const ESC = '\x1b';
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

/** Escape text for use as HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Convert text with ANSI SGR escapes (colours, bold) to HTML, escaping everything
 * else. Colours become classes (`ansi-red-fg` ...) so themes can tune them.
 * One converter per stream keeps colour state across chunks.
 *
 * Most streams never contain an escape, and an `AnsiUp` builds a 256-colour
 * palette of objects when made (about 30 KB of heap): a notebook of 2,000 printed
 * outputs paid ~60 MB for palettes it never used. So the parser is made only when
 * the first escape character arrives; until then text is just escaped.
 */
export class AnsiConverter {
  private up: AnsiUp | null = null;

  /** HTML for the next chunk of the stream (state carries over from earlier chunks). */
  toHtml(text: string): string {
    if (!this.up) {
      if (!text.includes(ESC)) return escapeHtml(text);
      this.up = new AnsiUp();
      this.up.use_classes = true;
      this.up.escape_html = true;
    }
    return this.up.ansi_to_html(text);
  }
}

/** One-shot conversion of a whole text. */
export function ansiToHtml(text: string): string {
  return new AnsiConverter().toHtml(text);
}

/** Remove ANSI escapes, e.g. for copying a traceback as plain text. */
export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}
