/**
 * The table of contents of a Markdown file open in the text editor: its headings
 * with their lines; a click puts the cursor on the heading's line at the top.
 * Follows edits (debounced) through the editor's DOM, without hooks in the editor.
 */
import { EditorSelection } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { Emitter } from '../core/emitter';
import { markdownHeadingLines, numberHeadings, type NumberingOptions, type TocItem } from '../toc/model';
import type { TocProvider } from '../toc/registry';
import type { FileEditor } from './editor';

export class MarkdownTocProvider implements TocProvider {
  private _items: TocItem[] = [];
  private _active = -1;
  private readonly _changed = new Emitter<void>();
  readonly changed = this._changed.event;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private observer: MutationObserver | null = null;
  private readonly onSelection = () => this.updateActive();
  private lastText: string | null = null;

  constructor(
    private readonly editor: FileEditor,
    private options: NumberingOptions
  ) {
    this.readyListener = editor.ready(() => this.attach());
    this.attach();
  }
  private readonly readyListener;

  get items(): readonly TocItem[] {
    return this._items;
  }
  get activeIndex(): number {
    return this._active;
  }

  private attach(): void {
    const view = this.editor.editorView;
    if (!view) return;
    this.observer?.disconnect();
    this.observer = new MutationObserver(() => this.schedule());
    this.observer.observe(view.contentDOM, { childList: true, subtree: true, characterData: true });
    view.contentDOM.addEventListener('keyup', this.onSelection);
    view.contentDOM.addEventListener('mouseup', this.onSelection);
    this.refresh();
  }

  setNumbering(options: NumberingOptions): void {
    this.options = options;
    this.lastText = null;
    this.refresh();
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, 150);
  }

  private refresh(): void {
    const text = this.editor.text;
    if (text === null) return;
    if (text !== this.lastText) {
      this.lastText = text;
      const items: TocItem[] = markdownHeadingLines(text)
        .filter((h) => !h.skip && h.level <= this.options.maximalDepth)
        .map((h) => ({ ...h, key: `line:${h.line}:${h.text}`, numbering: '', cellIndex: h.line, position: h.line, origin: 'text' }));
      this._items = numberHeadings(items, this.options);
    }
    this.computeActive();
    this._changed.emit();
  }

  private computeActive(): boolean {
    const view = this.editor.editorView;
    let next = -1;
    if (view) {
      const line = view.state.doc.lineAt(view.state.selection.main.head).number - 1;
      for (let i = 0; i < this._items.length && this._items[i]!.cellIndex <= line; i++) next = i;
    }
    const changed = next !== this._active;
    this._active = next;
    return changed;
  }

  private updateActive(): void {
    if (this.computeActive()) this._changed.emit();
  }

  jump(item: TocItem): void {
    const view = this.editor.editorView;
    if (!view) return;
    const line = view.state.doc.line(Math.min(item.cellIndex + 1, view.state.doc.lines));
    view.dispatch({
      selection: EditorSelection.cursor(line.from),
      effects: EditorView.scrollIntoView(line.from, { y: 'start' })
    });
    view.focus();
    this.updateActive();
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.observer?.disconnect();
    const view = this.editor.editorView;
    view?.contentDOM.removeEventListener('keyup', this.onSelection);
    view?.contentDOM.removeEventListener('mouseup', this.onSelection);
    this.readyListener.dispose();
    this._changed.clear();
  }
}
