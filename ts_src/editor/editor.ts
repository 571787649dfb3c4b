import { indentWithTab } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { python } from '@codemirror/lang-python';
import { LanguageDescription, syntaxHighlighting } from '@codemirror/language';
import { search } from '@codemirror/search';
import { Compartment, EditorState, Extension, Text } from '@codemirror/state';
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  lineNumbers,
  scrollPastEnd
} from '@codemirror/view';
import { classHighlighter } from '@lezer/highlight';
import { Emitter } from '../core/emitter';
import type { DocumentContext } from '../docmanager/context';
import { DocumentWidget } from '../docmanager/widget';
import { loadFileLanguage } from './languages';
import { codeEditing, codeKeymap } from './setup';
import { describeLoadFailure, LoadFailure, loadFailureLine, loadFailureNode } from '../docmanager/loadfailure';
import type { IDisposable } from '../core/disposable';
import type { ThemeName } from '../theme/theme';
import { mayTakeFocus } from '../shell/focus';

/**
 * The editor's language for a file name: Python for `.py`/`.pyw`/`.pyi`, Markdown for
 * `.md`/`.markdown`; plain text otherwise.
 */
export function languageForPath(path: string): 'python' | 'markdown' | 'plain' {
  const name = path.split('/').pop()!.toLowerCase();
  if (/\.(py|pyw|pyi)$/.test(name)) return 'python';
  if (/\.(md|markdown)$/.test(name)) return 'markdown';
  return 'plain';
}

/** Fenced code blocks marked python (or py, ipython...) in Markdown files are highlighted too. */
const PYTHON_IN_MARKDOWN = LanguageDescription.of({
  name: 'Python',
  alias: ['py', 'python3', 'ipython', 'ipython3'],
  support: python()
});

function languageExtension(path: string): Extension {
  switch (languageForPath(path)) {
    case 'python':
      return python();
    case 'markdown':
      return markdown({ codeLanguages: [PYTHON_IN_MARKDOWN] });
    default:
      return [];
  }
}

/** The line break a text uses: Windows files keep `\r\n` when saved again. */
export function detectLineBreak(text: string): '\n' | '\r\n' {
  const lf = text.indexOf('\n');
  return lf > 0 && text[lf - 1] === '\r' ? '\r\n' : '\n';
}

/** The theme in effect and its changes: the app's `ThemeManager` (theme plugin). */
export interface ThemeSource {
  readonly theme: ThemeName;
  readonly changed: (listener: (theme: ThemeName) => void) => IDisposable;
}

/**
 * A text file in an editable CodeMirror 6 editor: line numbers, Python or Markdown
 * highlighting by file name, search (Ctrl+F), Tab indents. Loads and saves through
 * its document context (the contents API, `format: 'text'`), which owns saving;
 * the tab shows a dot while the text differs from the last loaded or saved version.
 */
export class FileEditor extends DocumentWidget {
  private editor: EditorView | null = null;
  private readonly language = new Compartment();
  private readonly dark = new Compartment();
  private readonly body: HTMLElement;
  private savedDoc: Text | null = null;
  private readonly themeWatch: IDisposable;
  /** Set when loading failed; the editor then never saves. */
  loadError: string | null = null;
  private readonly _edited = new Emitter<void>();
  private readonly _ready = new Emitter<FileEditor>();
  /** Fires each time the file has been (re)loaded into the editor. */
  readonly ready = this._ready.event;

  constructor(
    context: DocumentContext,
    private readonly themes: ThemeSource
  ) {
    super(context);
    const self = this;
    this.title.iconClass = 'ja-icon-file';
    this.node.className = 'ja-FileEditor';
    this.node.tabIndex = -1;
    this.node.dataset.testid = 'document';
    this.node.dataset.path = context.path;
    this.body = document.createElement('div');
    this.body.className = 'ja-FileEditor-body';
    this.body.textContent = 'Loading…';
    this.node.appendChild(this.body);
    context.bind({
      type: 'file',
      format: 'text',
      get dirty() {
        return self.dirty;
      },
      get loadError() {
        return self.loadError ?? (self.editor ? null : 'not loaded yet');
      },
      snapshot: () => {
        const doc = this.editor!.state.doc;
        return {
          content: this.editor!.state.sliceDoc(),
          commit: () => {
            this.savedDoc = doc;
            this.updateDirty();
          }
        };
      },
      reload: () => this.load(),
      changed: (listener) => this._edited.event(listener),
      apply: (content) => {
        if (!this.editor || typeof content !== 'string') return;
        this.editor.dispatch({ changes: { from: 0, to: this.editor.state.doc.length, insert: content } });
      }
    });
    context.pathChanged(({ newPath }) => {
      this.editor?.dispatch({ effects: this.language.reconfigure(languageExtension(newPath)) });
      this.loadOtherLanguage();
    });
    this.themeWatch = themes.changed((theme) => {
      this.editor?.dispatch({ effects: this.dark.reconfigure(EditorView.darkTheme.of(theme === 'dark')) });
    });
    void this.load();
  }

  /** The editor's text (with the file's own line breaks), or null before it loaded. */
  get text(): string | null {
    return this.editor ? this.editor.state.sliceDoc() : null;
  }

  /** Whether the text differs from the version last loaded or saved. */
  get dirty(): boolean {
    return this.title.dirty;
  }

  /** The CodeMirror view, once loaded (for extensions and tests). */
  get editorView(): EditorView | null {
    return this.editor;
  }

  override onActivate(): void {
    if (!this.editor) {
      super.onActivate();
      return;
    }
    if (!this.editor.hasFocus) this.editor.focus();
    // A click on the tab activates it and then focuses the tab itself: take the focus
    // back once that click is done, so typing goes to the text as in JupyterLab.
    setTimeout(() => {
      const active = document.activeElement;
      if (this.editor && (active === document.body || active?.closest('.dv-tab'))) this.editor.focus();
    }, 0);
  }

  /** Load (or reload) the file from disk, dropping unsaved changes. */
  async load(): Promise<void> {
    let model;
    try {
      model = await this.context.fetch();
    } catch (err) {
      this.showError(describeLoadFailure(this.context.path, err, 'text'));
      return;
    }
    const text = typeof model.content === 'string' ? model.content : '';
    this.loadError = null;
    const state = this.createState(text);
    if (this.editor) {
      this.editor.setState(state);
    } else {
      this.editor = new EditorView({ state });
      this.body.replaceChildren(this.editor.dom);
    }
    this.savedDoc = state.doc;
    this.title.dirty = false;
    this.loadOtherLanguage();
    // Opened from the file browser: the tab was activated before the editor existed.
    if (this.node.isConnected && this.node.offsetParent !== null && this.node.closest('.dv-active-group') && mayTakeFocus()) {
      this.editor.focus();
    }
    this._ready.emit(this);
    this.context.reportLoaded();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.themeWatch.dispose();
    this.editor?.destroy();
    this.editor = null;
    super.dispose();
  }

  private createState(text: string): EditorState {
    return EditorState.create({
      doc: text,
      extensions: [
        EditorState.lineSeparator.of(detectLineBreak(text)),
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        // Room below the last line (as the notebook's bottom padding), so the end of a
        // file can be scrolled up to the top of the view instead of staying at the bottom.
        scrollPastEnd(),
        ...codeEditing(),
        search({ top: true }),
        syntaxHighlighting(classHighlighter),
        this.language.of(languageExtension(this.context.path)),
        this.dark.of(EditorView.darkTheme.of(this.themes.theme === 'dark')),
        codeKeymap([indentWithTab]),
        EditorView.contentAttributes.of({ 'aria-label': `Text of ${this.context.name}` }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            this.updateDirty();
            this._edited.emit();
          }
        })
      ]
    });
  }

  /** Files other than Python and Markdown get their highlighting once its mode has loaded. */
  private loadOtherLanguage(): void {
    const path = this.context.path;
    if (languageForPath(path) !== 'plain') return;
    void loadFileLanguage(path)
      .then((language) => {
        if (language && this.editor && this.context.path === path) {
          this.editor.dispatch({ effects: this.language.reconfigure(language) });
        }
      })
      .catch((err) => console.warn(`No highlighting for ${path}:`, err));
  }

  private updateDirty(): void {
    const doc = this.editor?.state.doc;
    this.title.dirty = !!doc && !!this.savedDoc && !doc.eq(this.savedDoc);
  }

  private showError(failure: LoadFailure): void {
    this.loadError = loadFailureLine(failure);
    this.editor?.destroy();
    this.editor = null;
    this.title.dirty = false;
    this.body.replaceChildren(loadFailureNode(failure));
  }
}
