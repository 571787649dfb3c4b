import type { Extension } from '@codemirror/state';
import { renderMarkdown } from '../../rendermime/markdown';
import type { OutputDocument, RenderMimeRegistry } from '../../rendermime/registry';
import type { IDisposable } from '../../core/disposable';
import { CellModel, toggleCellCollapse } from '../model/cell';
import { CellEditor, CellEditorHooks } from './editor';
import { OutputAreaView } from '../../outputarea/view';
import { estimateCellHeight } from './estimate';
import { fillStaticCode } from './static-code';
import { showInspectTooltip } from '../../kernel/tooltip';

/** What a cell view needs from the notebook view around it. */
export interface CellViewContext {
  rendermime: RenderMimeRegistry;
  /** The notebook, as output renderers see it (kernel, metadata). */
  document?: OutputDocument;
  /** Resolves relative URLs in Markdown against the notebook's folder. */
  resolveUrl?: (url: string, kind: 'image' | 'link') => string | null;
  language(cellType: string): Extension;
  editorHooks(view: CellView): CellEditorHooks;
  /** Called once the inside of `view` exists (each time, after {@link CellView.unbuild}). */
  built?(view: CellView): void;
}

/** The inside of a cell view, built on demand (see {@link CellView.build}). */
interface CellParts {
  /**
   * The cell node's children that build() made, in order. A rendered Markdown cell's
   * input area is not among them until the source is shown (see {@link CellView.build}).
   */
  nodes: HTMLElement[];
  inputArea: HTMLElement;
  outputWrap: HTMLElement | null;
  prompt: HTMLElement;
  editorHost: HTMLElement;
  rendered: HTMLElement | null;
  outputArea: OutputAreaView | null;
}

/**
 * One cell on screen: prompt, input (static text until an editor is needed, so
 * large notebooks open fast), rendered Markdown, and outputs.
 *
 * A new view is an empty shell of about the right height; {@link build} fills it and
 * {@link unbuild} empties it again. The notebook view builds only the cells near the
 * screen and unbuilds those far from it, so opening or walking through a 2,000-cell
 * notebook never blocks the page for long and the page holds about a screenful of
 * drawn cells. Every public method builds the cell first, so callers need not care.
 */
export class CellView {
  readonly node: HTMLElement;
  private parts: CellParts | null = null;
  private staticCode: HTMLElement | null = null;
  private _editor: CellEditor | null = null;
  /** Markdown cells: true while the source is shown instead of the rendering. */
  private _editing = false;
  private readonly modelSubscription: IDisposable;
  /** Whether the editor was ever focused: then it holds undo history worth keeping. */
  private editorUsed = false;
  /** The frame that sizes an unbuilt shell again after its outputs changed. */
  private estimateFrame: number | null = null;

  constructor(
    readonly model: CellModel,
    private readonly ctx: CellViewContext
  ) {
    this.node = document.createElement('div');
    this.node.className = `ja-Cell ja-mod-${model.type} ja-mod-unbuilt`;
    this.node.dataset.testid = 'cell';
    this.node.dataset.type = model.type;
    if (model.id) this.node.dataset.cellId = model.id;
    const estimate = estimateHeight(model);
    this.node.style.height = `${estimate}px`;
    // Built but never on screen, a cell keeps this height too (content-visibility skips
    // it): building cells above the one shown must not move it (revealCell).
    this.node.style.containIntrinsicSize = `auto ${estimate}px`;

    this.modelSubscription = model.changed((what) => {
      // On the node itself, drawn or not: whoever waits for a run watches this class.
      if (what === 'state') this.node.classList.toggle('ja-mod-running', model.pending || model.running);
      if (!this.parts) {
        // build() reads the current state; only the shell's size must follow (outputs
        // arriving or cleared far away), or the scroll bar and the cells on screen move
        // by the difference when the cell is next drawn.
        if (what === 'outputs') this.scheduleEstimate();
        return;
      }
      if (what === 'executionCount' || what === 'state') this.updatePrompt();
      if (what === 'metadata') this.updateCollapsed();
      if (what === 'source') {
        if (this._editor) this._editor.setText(model.source);
        else if (this.staticCode) fillStaticCode(this.staticCode, model.source, this.ctx.language(model.type));
        if (this.parts.rendered && !this._editing) this.renderMarkdown();
      }
    });
  }

  /** Whether the inside of the cell exists yet. */
  get built(): boolean {
    return this.parts !== null;
  }

  /** Create the inside of the cell (prompt, input, rendering, outputs); idempotent. */
  build(): void {
    if (this.parts) return;
    const model = this.model;
    const inputArea = document.createElement('div');
    inputArea.className = 'ja-Cell-input';
    const prompt = document.createElement('div');
    prompt.className = 'ja-Cell-prompt';
    const editorHost = document.createElement('div');
    editorHost.className = 'ja-Cell-editor';
    inputArea.append(collapser(model, 'source'), prompt, editorHost);
    // A rendered Markdown cell hides its input: it joins the cell, with its static text,
    // only when the source is shown (showInput). Most Markdown cells are never edited,
    // and the hidden area was five elements and a highlighting pass per cell drawn.
    const inputShown = model.type !== 'markdown' || this._editing;
    const children: HTMLElement[] = inputShown ? [inputArea] : [];

    let rendered: HTMLElement | null = null;
    if (model.type === 'markdown') {
      rendered = document.createElement('div');
      rendered.className = 'ja-Cell-rendered ja-Markdown';
      children.push(rendered);
    }
    let outputArea: OutputAreaView | null = null;
    let outputWrap: HTMLElement | null = null;
    if (model.type === 'code') {
      // Trust as in Jupyter: the host marks each code cell `metadata.trusted` from the
      // notebook's signature; running a cell or "Trust Notebook" sets it.
      outputArea = new OutputAreaView(
        model.outputs,
        this.ctx.rendermime,
        () => model.metadata.trusted === true,
        this.ctx.document
      );
      outputWrap = document.createElement('div');
      outputWrap.className = 'ja-Cell-outputs';
      outputWrap.append(collapser(model, 'outputs'), outputArea.node);
      // A click on collapsed outputs (the thin placeholder) expands them again.
      outputWrap.addEventListener('click', (e) => {
        const onBar = (e.target as Element).closest('.ja-Collapser');
        if (!onBar && this.node.classList.contains('ja-mod-outputCollapsed')) toggleCellCollapse(model, 'outputs');
      });
      children.push(outputWrap);
    }
    this.parts = { nodes: children, inputArea, outputWrap, prompt, editorHost, rendered, outputArea };
    this.node.append(...children);
    this.node.classList.remove('ja-mod-unbuilt');
    this.node.style.height = '';
    if (inputShown) this.showStatic();
    this.updatePrompt();
    this.updateCollapsed();
    if (rendered) this.renderMarkdown();
    this.ctx.built?.(this);
  }

  /**
   * Drop the inside of a cell far from the screen and keep its place: the node stays,
   * `height` px high (its height now, so nothing around it moves; the estimate when not
   * above 0), and {@link build} draws it again from the model when it comes near.
   *
   * Only what the model gives back is dropped. A cell is left as it is when it holds
   * more: an editor that was used (undo history) or has focus, a Markdown source being
   * edited, a run in progress, outputs with a live view or DOM-only state (see
   * `OutputAreaView.redrawable`), or anything another part put inside or after the
   * cell's content (a journal note, an input prompt, a tooltip). Decorations put
   * before the content (a heading's toggle) stay on the node. Returns whether the cell
   * was unbuilt.
   */
  unbuild(height: number): boolean {
    const parts = this.parts;
    if (!parts || !this.onlyOwnContent(parts)) return false;
    if (this._editing || this.model.running || this.model.pending) return false;
    if (this.node.contains(document.activeElement)) return false;
    if (parts.outputArea && !parts.outputArea.redrawable) return false;
    if (this._editor && !this.releaseEditor()) return false;
    parts.outputArea?.dispose();
    for (const el of parts.nodes) el.remove();
    this.parts = null;
    this.staticCode = null;
    const h = height > 0 ? Math.round(height) : estimateHeight(this.model);
    this.node.classList.add('ja-mod-unbuilt');
    this.node.classList.remove('ja-mod-rendered');
    this.node.style.height = `${h}px`;
    this.node.style.containIntrinsicSize = `auto ${h}px`;
    return true;
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
    this.showInput();
    if (!this._editor) {
      this.staticCode?.remove();
      this.staticCode = null;
      const hooks = this.ctx.editorHooks(this);
      this._editor = new CellEditor(this.parts!.editorHost, this.model.source, this.ctx.language(this.model.type), {
        ...hooks,
        onFocus: () => {
          this.editorUsed = true;
          hooks.onFocus();
        }
      });
    }
    return this._editor;
  }

  /**
   * Go back to static text if the editor was only made because the cell came near
   * the viewport (never focused, so no undo history is lost). Every live editor
   * listens to scrolling and costs memory: walking through 2,000 cells must not
   * leave 2,000 of them behind. Returns whether the editor was released.
   */
  releaseEditor(): boolean {
    if (!this._editor || this.editorUsed || this._editor.hasFocus) return false;
    this._editor.destroy();
    this._editor = null;
    this.showStatic();
    return true;
  }

  /** Markdown: show the source for editing (true) or the rendering (false). */
  setEditing(editing: boolean): void {
    if (this.model.type !== 'markdown' || editing === this._editing) return;
    if (editing) this.showInput();
    this._editing = editing;
    this.node.classList.toggle('ja-mod-rendered', !editing);
    if (!editing) this.renderMarkdown();
  }

  setLanguage(language: Extension): void {
    this._editor?.setLanguage(language);
    if (this.staticCode) fillStaticCode(this.staticCode, this.model.source, language);
  }

  /**
   * Show the kernel's help text under the input (Shift+Tab); it closes on the next
   * key press or click. Plain text only (ANSI colours stripped).
   */
  showTooltip(text: string): void {
    const parts = this.showInput();
    showInspectTooltip(this.node, text, (box) => parts.inputArea.after(box));
  }

  /** Redraw outputs (trust changed). */
  rerenderOutputs(): void {
    this.parts?.outputArea?.renderAll();
  }

  destroy(): void {
    if (this.estimateFrame !== null) cancelAnimationFrame(this.estimateFrame);
    this.estimateFrame = null;
    this.modelSubscription.dispose();
    this.parts?.outputArea?.dispose();
    this._editor?.destroy();
    this._editor = null;
    this.node.remove();
  }

  /**
   * Build the cell and put its input area in it with the static text, if a rendered
   * Markdown cell was built without them; before the rendering, after any decoration.
   */
  private showInput(): CellParts {
    this.build();
    const parts = this.parts!;
    if (parts.nodes[0] !== parts.inputArea) {
      parts.nodes[0]!.before(parts.inputArea);
      parts.nodes.unshift(parts.inputArea);
      this.showStatic();
    }
    return parts;
  }

  /**
   * Size the unbuilt shell from its model again, in the next frame: once however many
   * output messages arrive before it (a stream sends hundreds a second).
   */
  private scheduleEstimate(): void {
    if (this.estimateFrame !== null) return;
    this.estimateFrame = requestAnimationFrame(() => {
      this.estimateFrame = null;
      if (this.parts) return;
      const h = estimateHeight(this.model);
      this.node.style.height = `${h}px`;
      this.node.style.containIntrinsicSize = `auto ${h}px`;
    });
  }

  /**
   * Whether the node holds only what build() made, with other parts' decorations only
   * before it: anything inside or after would be lost or moved by unbuild and build.
   */
  private onlyOwnContent(parts: CellParts): boolean {
    const kids = this.node.children;
    const first = parts.nodes[0]!;
    let i = 0;
    while (i < kids.length && kids[i] !== first) i++;
    if (kids.length - i !== parts.nodes.length) return false;
    for (let k = 0; k < parts.nodes.length; k++) if (kids[i + k] !== parts.nodes[k]) return false;
    if (parts.inputArea.children.length !== 3) return false;
    // The static text or the editor, when the input area is shown at all.
    if (parts.nodes[0] === parts.inputArea && parts.editorHost.children.length !== 1) return false;
    return !parts.outputWrap || parts.outputWrap.children.length === 2;
  }

  private showStatic(): void {
    const pre = document.createElement('pre');
    pre.className = 'ja-Cell-static';
    fillStaticCode(pre, this.model.source, this.ctx.language(this.model.type));
    this.staticCode = pre;
    this.parts!.editorHost.appendChild(pre);
  }

  private updatePrompt(): void {
    const prompt = this.parts!.prompt;
    if (this.model.type !== 'code') {
      prompt.textContent = '';
      return;
    }
    const count = this.model.pending || this.model.running ? '*' : (this.model.executionCount ?? ' ');
    prompt.textContent = `[${count}]:`;
    this.node.classList.toggle('ja-mod-running', this.model.pending || this.model.running);
  }

  private updateCollapsed(): void {
    const jupyter = (this.model.metadata.jupyter ?? {}) as { source_hidden?: boolean; outputs_hidden?: boolean };
    this.node.classList.toggle('ja-mod-inputCollapsed', !!jupyter.source_hidden);
    this.node.classList.toggle('ja-mod-outputCollapsed', !!jupyter.outputs_hidden || this.model.metadata.collapsed === true);
  }

  private renderMarkdown(): void {
    const rendered = this.parts?.rendered;
    if (!rendered) return;
    this.node.classList.add('ja-mod-rendered');
    const source = this.model.source.trim() ? this.model.source : '*Double-click to edit this Markdown cell.*';
    const attachments = this.model.attachments;
    void renderMarkdown(source, rendered, {
      resolve: this.ctx.resolveUrl,
      attachment: (name) => {
        const bundle = attachments?.[name];
        if (!bundle) return undefined;
        return attachmentUrl(bundle as Record<string, unknown>);
      }
    });
  }
}

/**
 * The bar left of a cell's input or outputs: a click collapses or expands that part,
 * as JupyterLab's collapsers do.
 */
function collapser(model: CellModel, part: 'source' | 'outputs'): HTMLElement {
  const bar = document.createElement('div');
  bar.className = `ja-Collapser ja-mod-${part}`;
  bar.dataset.testid = part === 'source' ? 'input-collapser' : 'output-collapser';
  bar.title = part === 'source' ? 'Collapse or expand the input' : 'Collapse or expand the outputs';
  bar.addEventListener('click', () => toggleCellCollapse(model, part));
  return bar;
}

/**
 * A rough height for a cell not built yet, in pixels: enough for the scroll bar
 * and for the cells on screen to be about where they will end up (./estimate.ts:
 * figures at the size they are drawn, outputs bounded as the output area scrolls).
 */
function estimateHeight(model: CellModel): number {
  const outputs = model.type === 'code' ? model.outputs.outputs : [];
  return Math.round(estimateCellHeight({ type: model.type, source: model.source, outputs }, window.innerHeight || 800));
}

/** Image types a Markdown attachment may show as (never HTML: `data:text/html` could be navigated to). */
const ATTACHMENT_IMAGE = /^image\/(png|jpeg|gif|webp|bmp|svg\+xml)$/i;

/**
 * A `data:` URL for a cell attachment's image (nbformat: `attachments.<name>` is a
 * mime bundle, base64 for binary types, text for SVG), or undefined when it holds
 * no image.
 */
export function attachmentUrl(bundle: Record<string, unknown>): string | undefined {
  const entry = Object.entries(bundle).find(([mime]) => ATTACHMENT_IMAGE.test(mime));
  if (!entry) return undefined;
  const [mime, value] = entry;
  const data = Array.isArray(value) ? value.join('') : String(value);
  if (mime.toLowerCase() === 'image/svg+xml' && data.trimStart().startsWith('<')) {
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(data)}`;
  }
  return `data:${mime};base64,${data.replace(/\s/g, '')}`;
}
