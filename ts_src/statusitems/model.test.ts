import { describe, expect, it } from 'vitest';
import { cursorPosition, cursorSourceOf, formatCursor, formatRunning } from './model';

const view = (text: string, head: number) => ({
  state: {
    selection: { main: { head } },
    doc: {
      lineAt(pos: number) {
        const lines = text.split('\n');
        let from = 0;
        for (let i = 0; i < lines.length; i++) {
          if (pos <= from + lines[i]!.length) return { number: i + 1, from };
          from += lines[i]!.length + 1;
        }
        throw new Error('out of range');
      }
    }
  }
});

describe('status bar items', () => {
  it('gives 1-based line and column of the cursor', () => {
    expect(cursorPosition(view('abc\ndef', 0))).toEqual({ line: 1, column: 1 });
    expect(cursorPosition(view('abc\ndef', 6))).toEqual({ line: 2, column: 3 });
    expect(formatCursor({ line: 2, column: 3 })).toBe('Ln 2, Col 3');
  });

  it('counts kernels and terminals with plurals, leaving terminals out when unavailable', () => {
    expect(formatRunning(0, 0)).toBe('0 kernels, 0 terminals');
    expect(formatRunning(1, 2)).toBe('1 kernel, 2 terminals');
    expect(formatRunning(3, null)).toBe('3 kernels');
  });

  it('reads the cursor from a text editor, or a notebook only in edit mode', () => {
    const v = view('x', 0);
    expect(cursorSourceOf({ editorView: v })).toBe(v);
    expect(cursorSourceOf({ view: { activeView: { editor: { hasFocus: true, view: v } } } })).toBe(v);
    expect(cursorSourceOf({ view: { activeView: { editor: { hasFocus: false, view: v } } } })).toBeNull();
    expect(cursorSourceOf(null)).toBeNull();
    expect(cursorSourceOf({})).toBeNull();
  });
});
