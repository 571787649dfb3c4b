import { autocompletion, CompletionSource, completionKeymap, startCompletion } from '@codemirror/autocomplete';
import { indentMore, indentLess } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Extension } from '@codemirror/state';
import { EditorView, KeyBinding, keymap, placeholder } from '@codemirror/view';
import { codeEditing, codeKeymap } from '../../editor/setup';
import { cellHighlightStyle } from './static-code';

/** What a cell editor tells its cell view. */
export interface CellEditorHooks {
  /** The text changed (every keystroke). */
  onChange(text: string): void;
  /** The editor gained focus (the notebook enters edit mode). */
  onFocus(): void;
  /** ArrowUp on the first line / ArrowDown on the last: move to the neighbouring cell. */
  onEdge(direction: 'up' | 'down'): boolean;
  /** Kernel completions, when a kernel is connected. */
  complete?: CompletionSource;
  /** Shift+Tab: show the kernel's help for the name at the cursor. */
  inspect?(code: string, cursor: number): void;
  /** Keys of the editor's owner (a console's Enter, Ctrl+R), before the cell editor's own. */
  keys?: readonly KeyBinding[];
}

/** The language of a cell's editor: the kernel's language for code cells. */
export function languageFor(cellType: string, kernelLanguage: string): Extension {
  if (cellType === 'code' && /python/i.test(kernelLanguage || 'python')) return (pythonSupport ??= python());
  return [];
}

/** One Python language for every cell: asked for each cell drawn, and extensions are values. */
let pythonSupport: Extension | null = null;

/**
 * A CodeMirror 6 editor for one cell. The language sits in a compartment so a
 * kernel change can swap it without rebuilding the editor.
 */
export class CellEditor {
  readonly view: EditorView;
  private readonly language = new Compartment();

  constructor(parent: HTMLElement, text: string, language: Extension, hooks: CellEditorHooks) {
    const edgeKeys = keymap.of([
      {
        key: 'ArrowUp',
        run: (view) => {
          const line = view.state.doc.lineAt(view.state.selection.main.head);
          return view.state.selection.main.empty && line.number === 1 ? hooks.onEdge('up') : false;
        }
      },
      {
        key: 'ArrowDown',
        run: (view) => {
          const line = view.state.doc.lineAt(view.state.selection.main.head);
          return view.state.selection.main.empty && line.number === view.state.doc.lines ? hooks.onEdge('down') : false;
        }
      },
      {
        // Tab completes after a name (as in JupyterLab) and indents elsewhere.
        key: 'Tab',
        run: (view) => {
          const sel = view.state.selection.main;
          const before = view.state.doc.lineAt(sel.head).text.slice(0, sel.head - view.state.doc.lineAt(sel.head).from);
          if (sel.empty && hooks.complete && /\S$/.test(before)) return startCompletion(view);
          return indentMore(view);
        },
        shift: (view) => {
          const sel = view.state.selection.main;
          if (sel.empty && hooks.inspect) {
            hooks.inspect(view.state.doc.toString(), sel.head);
            return true;
          }
          return indentLess(view);
        }
      }
    ]);
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: text,
        extensions: [
          ...codeEditing(),
          autocompletion({ override: hooks.complete ? [hooks.complete] : [], activateOnTyping: false }),
          syntaxHighlighting(cellHighlightStyle, { fallback: true }),
          this.language.of(language),
          placeholder(''),
          keymap.of(hooks.keys ?? []),
          edgeKeys,
          codeKeymap(completionKeymap),
          EditorView.lineWrapping,
          EditorView.updateListener.of((update) => {
            if (update.docChanged) hooks.onChange(update.state.doc.toString());
          }),
          // The DOM event itself, not CodeMirror's `focusChanged`: CodeMirror reports focus
          // from a 10 ms timer, and a focus lost before that timer ran (Enter, then Escape,
          // on a busy page) was never reported, so the cell's editor counted as unused.
          EditorView.domEventHandlers({
            focus: () => {
              hooks.onFocus();
              return false;
            }
          })
        ]
      })
    });
  }

  /** Whether the editor has the keyboard focus. */
  get hasFocus(): boolean {
    return this.view.hasFocus;
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Replace the text (e.g. after undo of a cell operation) without an undo step of its own. */
  setText(text: string): void {
    if (text === this.text) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  setLanguage(language: Extension): void {
    this.view.dispatch({ effects: this.language.reconfigure(language) });
  }

  /** The cursor's character offset (for split and completion). */
  get cursor(): number {
    return this.view.state.selection.main.head;
  }

  /**
   * Focus with the cursor at the character under the viewport point (`x`, `y`) in CSS px
   * (a click on the static text the editor replaced), or at the end when none is there.
   */
  focusAt(x: number, y: number): void {
    const pos = this.view.posAtCoords({ x, y });
    this.view.dispatch({ selection: { anchor: pos ?? this.view.state.doc.length } });
    this.view.focus();
  }

  /** Focus and put the cursor at the start or the end. */
  focus(at: 'start' | 'end' | 'keep' = 'keep'): void {
    if (at !== 'keep') {
      const pos = at === 'start' ? 0 : this.view.state.doc.length;
      this.view.dispatch({ selection: { anchor: pos } });
    }
    this.view.focus();
  }

  destroy(): void {
    this.view.destroy();
  }
}

/**
 * A warm-up for {@link warmUp}: make one cell editor off the page and drop it. The page's
 * first CodeMirror editor compiles CodeMirror's code and adds its style sheets to the
 * document, which restyles every element of the page: in the task drawing the first cells
 * of a 1,500-cell notebook that was 40-100 ms on a slow machine (2026-12-05).
 */
export function warmUpCellEditor(): void {
  const hooks: CellEditorHooks = { onChange: () => undefined, onFocus: () => undefined, onEdge: () => false };
  new CellEditor(document.createElement('div'), 'x = 1', python(), hooks).destroy();
}
