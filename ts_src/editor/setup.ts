/**
 * The editing behaviour every code editor of the app shares: notebook cells, consoles
 * (which use the cell editor) and files. Each editor adds its own look (gutters,
 * highlighting) and keys on top; what typing, indenting, brackets, undo and search do
 * is the same everywhere, so it is set up here once.
 */
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, indentOnInput, indentUnit } from '@codemirror/language';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import type { Extension } from '@codemirror/state';
import { drawSelection, KeyBinding, keymap } from '@codemirror/view';

/** Four spaces, as Python's PEP 8 and JupyterLab's default. */
export const INDENT = '    ';

/** Undo history, selection drawing, auto-indent, bracket matching and closing, and selection-match highlights. */
export function codeEditing(): Extension[] {
  return [
    history(),
    drawSelection(),
    indentOnInput(),
    indentUnit.of(INDENT),
    bracketMatching(),
    closeBrackets(),
    highlightSelectionMatches()
  ];
}

/**
 * The shared keymap: bracket closing, then `own` (an editor's keys that must win over
 * search, history and the defaults, e.g. completion or Tab indenting), then search,
 * undo/redo and CodeMirror's default keys.
 */
export function codeKeymap(own: readonly KeyBinding[] = []): Extension {
  return keymap.of([...closeBracketsKeymap, ...own, ...searchKeymap, ...historyKeymap, ...defaultKeymap]);
}
