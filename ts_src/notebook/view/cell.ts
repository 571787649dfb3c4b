import type { Extension } from '@codemirror/state';
import { renderMarkdown } from '../../rendermime/markdown';
import type { OutputDocument, RenderMimeRegistry } from '../../rendermime/registry';
import type { CellModel } from '../model/cell';
import { CellEditor, CellEditorHooks } from './editor';
import { OutputAreaView } from './output-area';

/** What a cell view needs from the notebook view around it. */
export interface CellViewContext {
  rendermime: RenderMimeRegistry;
  /** The notebook, as output renderers see it (kernel, metadata). */
  document?: OutputDocument;
  /** Resolves relative URLs in Markdown against the notebook's folder. */
  resolveUrl?: (url: string, kind: 'image' | 'link') => string | null;
  language(cellType: string): Extension;
  editorHooks(view: CellView): CellEditorHooks;
}

/**
 * One cell on screen: prompt, input (static text until an editor is needed, so
 * large notebooks open fast), rendered Markdown, and outputs.
 */
export class CellView {
  readonly node: HTMLElement;
  private readonly inputArea: HTMLElement;
  private readonly prompt: HTMLElement;
  private readonly editorHost: HTMLElement;
  private readonly rendered: HTMLElement | null = null;
  private readonly outputArea: OutputAreaView | null = null;
  private staticCode: HTMLElement | null = null;
  private _editor: CellEditor | null = null;
  /** Markdown cells: true while the source is shown instead of the rendering. */
  private _editing = false;

  constructor(
    readonly model: CellModel,
    private readonly ctx: CellViewContext
  ) {
    this.node = document.createElement('div');
    this.node.className = `ja-Cell ja-mod-${model.type}`;
    this.node.dataset.testid = 'cell';
    this.node.dataset.type = model.type;
    if (model.id) this.node.dataset.cellId = model.id;

    this.inputArea = document.createElement('div');
    this.inputArea.className = 'ja-Cell-input';
    this.prompt = document.createElement('div');
    this.prompt.className = 'ja-Cell-prompt';
    this.editorHost = document.createElement('div');
    this.editorHost.className = 'ja-Cell-editor';
    this.inputArea.append(this.prompt, this.editorHost);
    this.node.appendChild(this.inputArea);

    if (model.type === 'markdown') {
      this.rendered = document.createElement('div');
      this.rendered.className = 'ja-Cell-rendered ja-Markdown';
      this.node.appendChild(this.rendered);
    }
    if (model.type === 'code') {
      // Trust as in Jupyter: the host marks each code cell `metadata.trusted` from the
      // notebook's signature; running a cell or "Trust Notebook" sets it.
      this.outputArea = new OutputAreaView(
        model.outputs,
        ctx.rendermime,
        () => model.metadata.trusted === true,
        ctx.document
      );
      const outputWrap = document.createElement('div');
      outputWrap.className = 'ja-Cell-outputs';
      outputWrap.appendChild(this.outputArea.node);
      this.node.appendChild(outputWrap);
    }
    this.showStatic();
    this.updatePrompt();
    this.updateCollapsed();
    if (this.rendered) this.renderMarkdown();

    model.changed((what) => {
      if (what === 'executionCount' || what === 'state') this.updatePrompt();
      if (what === 'metadata') this.updateCollapsed();
      if (what === 'source') {
        if (this._editor) this._editor.setText(model.source);
        else if (this.staticCode) this.staticCode.textContent = model.source;
        if (this.rendered && !this._editing) this.renderMarkdown();
      }
    });
  }

  get editor(): CellEditor | null {
    return this._editor;
  }

  /** Whether a Markdown cell shows its source (always true for other cells). */
  get editing(): boolean {
    return this.model.type !== 'markdown' || this._editing;
  }

  /** Create the CodeMirror editor if it does not exist yet. */
  ensureEditor(): CellEditor {
    if (!this._editor) {
      this.staticCode?.remove();
      this.staticCode = null;
      this._editor = new CellEditor(
        this.editorHost,
        this.model.source,
        this.ctx.language(this.model.type),
        this.ctx.editorHooks(this)
      );
    }
    return this._editor;
  }

  /** Markdown: show the source for editing (true) or the rendering (false). */
  setEditing(editing: boolean): void {
    if (this.model.type !== 'markdown' || editing === this._editing) return;
    this._editing = editing;
    this.node.classList.toggle('ja-mod-rendered', !editing);
    if (!editing) this.renderMarkdown();
  }

  setLanguage(language: Extension): void {
    this._editor?.setLanguage(language);
  }

  /**
   * Show the kernel's help text under the input (Shift+Tab); it closes on the next
   * key press or click. Plain text only (ANSI colours stripped).
   */
  showTooltip(text: string): void {
    this.node.querySelector('.ja-Inspect')?.remove();
    const box = document.createElement('pre');
    box.className = 'ja-Inspect';
    box.dataset.testid = 'inspect-tooltip';
    box.textContent = text;
    this.inputArea.after(box);
    const close = () => {
      box.remove();
      document.removeEventListener('keydown', close, true);
      document.removeEventListener('mousedown', close, true);
    };
    setTimeout(() => {
      document.addEventListener('keydown', close, true);
      document.addEventListener('mousedown', close, true);
    });
  }

  /** Redraw outputs (trust changed). */
  rerenderOutputs(): void {
    this.outputArea?.renderAll();
  }

  destroy(): void {
    this.outputArea?.dispose();
    this._editor?.destroy();
    this._editor = null;
    this.node.remove();
  }

  private showStatic(): void {
    const pre = document.createElement('pre');
    pre.className = 'ja-Cell-static';
    pre.textContent = this.model.source;
    this.staticCode = pre;
    this.editorHost.appendChild(pre);
  }

  private updatePrompt(): void {
    if (this.model.type !== 'code') {
      this.prompt.textContent = '';
      return;
    }
    const count = this.model.pending || this.model.running ? '*' : (this.model.executionCount ?? ' ');
    this.prompt.textContent = `[${count}]:`;
    this.node.classList.toggle('ja-mod-running', this.model.pending || this.model.running);
  }

  private updateCollapsed(): void {
    const jupyter = (this.model.metadata.jupyter ?? {}) as { source_hidden?: boolean; outputs_hidden?: boolean };
    this.node.classList.toggle('ja-mod-inputCollapsed', !!jupyter.source_hidden);
    this.node.classList.toggle('ja-mod-outputCollapsed', !!jupyter.outputs_hidden || this.model.metadata.collapsed === true);
  }

  private renderMarkdown(): void {
    if (!this.rendered) return;
    this.node.classList.add('ja-mod-rendered');
    const source = this.model.source.trim() ? this.model.source : '*Double-click to edit this Markdown cell.*';
    const attachments = this.model.attachments;
    void renderMarkdown(source, this.rendered, {
      resolve: this.ctx.resolveUrl,
      attachment: (name) => {
        const bundle = attachments?.[name];
        if (!bundle) return undefined;
        const [mime, data] = Object.entries(bundle)[0] ?? [];
        return mime ? `data:${mime};base64,${String(Array.isArray(data) ? data.join('') : data).replace(/\s/g, '')}` : undefined;
      }
    });
  }
}
