/** A CodeMirror view as far as the status bar reads it (duck-typed, so CodeMirror stays out of the first bundle). */
export interface CursorSource {
  state: { selection: { main: { head: number } }; doc: { lineAt(pos: number): { number: number; from: number } } };
}

/** The cursor's line and column, both 1-based as editors show them (column in UTF-16 units from the line start). */
export function cursorPosition(view: CursorSource): { line: number; column: number } {
  const head = view.state.selection.main.head;
  const line = view.state.doc.lineAt(head);
  return { line: line.number, column: head - line.from + 1 };
}

/** "Ln 3, Col 7". */
export function formatCursor(position: { line: number; column: number }): string {
  return `Ln ${position.line}, Col ${position.column}`;
}

/** "2 kernels, 1 terminal"; the terminals part is left out when the server has no terminals (null). */
export function formatRunning(kernels: number, terminals: number | null): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return terminals === null ? plural(kernels, 'kernel') : `${plural(kernels, 'kernel')}, ${plural(terminals, 'terminal')}`;
}

/**
 * The editor whose cursor the status bar shows for `widget`: a text editor's view
 * (`editorView`), or the active cell's editor of a notebook in edit mode; else null.
 */
export function cursorSourceOf(widget: unknown): CursorSource | null {
  const w = widget as {
    editorView?: CursorSource | null;
    view?: { activeView?: { editor?: { hasFocus: boolean; view: CursorSource } | null } | null } | null;
  } | null;
  if (!w) return null;
  if (w.editorView) return w.editorView;
  const cell = w.view?.activeView?.editor;
  return cell?.hasFocus ? cell.view : null;
}
