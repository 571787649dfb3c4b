/**
 * Text as terminals show it: a carriage return moves back to the start of the line
 * (progress bars overwrite themselves) and a backspace erases the character before
 * it. JupyterLab applies the same rules to stream outputs.
 */

/**
 * Apply `\r` and `\b` in `text`, keeping `\r\n` as a newline.
 * Never touches ANSI escape sequences other than moving over them as characters.
 */
export function applyControlChars(text: string): string {
  if (!/[\r\b]/.test(text)) return text;
  // A trailing \r waits for the next chunk of the stream to overwrite the line.
  const pending = text.endsWith('\r') && !text.endsWith('\r\n') ? '\r' : '';
  const body = pending ? text.slice(0, -1) : text;
  const lines = body.replace(/\r\n/g, '\n').split('\n');
  return lines.map(applyToLine).join('\n') + pending;
}

/**
 * Append a chunk to a stream's text, as a terminal would show it. Only the last
 * line can be affected by `\r` or `\b`, so the cost is that of the chunk and the
 * last line, not of the whole text (streams can reach many megabytes).
 */
export function appendStreamText(text: string, chunk: string): string {
  const cut = text.lastIndexOf('\n') + 1;
  return text.slice(0, cut) + applyControlChars(text.slice(cut) + chunk);
}

function applyToLine(line: string): string {
  if (!/[\r\b]/.test(line)) return line;
  const buffer: string[] = [];
  let cursor = 0;
  for (const ch of line) {
    if (ch === '\r') {
      cursor = 0;
    } else if (ch === '\b') {
      // Erase the character before the cursor at the end of the line (as JupyterLab
      // does); inside an overwritten line only move back, so the rest stays put.
      if (cursor > 0) {
        if (cursor === buffer.length) buffer.pop();
        cursor--;
      }
    } else {
      buffer[cursor] = ch;
      cursor++;
    }
  }
  return buffer.join('');
}

/** nbformat multiline strings are a string or a list of lines; join the list. */
export function joinMultiline(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join('') : (value ?? '');
}
