import { AnsiUp } from 'ansi_up';

/**
 * Convert text with ANSI SGR escapes (colours, bold) to HTML, escaping everything
 * else. Colours become classes (`ansi-red-fg` ...) so themes can tune them.
 * One converter per stream keeps colour state across chunks.
 */
export class AnsiConverter {
  private readonly up = new AnsiUp();
  constructor() {
    this.up.use_classes = true;
    this.up.escape_html = true;
  }
  toHtml(text: string): string {
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
