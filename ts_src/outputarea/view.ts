import type * as nbformat from '@jupyterlab/nbformat';
import type { IDisposable } from '../core/disposable';
import { AnsiConverter, ansiToHtml } from '../rendermime/ansi';
import type { OutputDocument, RenderMimeRegistry } from '../rendermime/registry';
import type { OutputAreaModel, OutputChange } from './model';
import { joinMultiline } from './text';

/** Most characters of one stream kept in the page; older text is behind a button. */
export const STREAM_DISPLAY_LIMIT = 200_000;

/** Elements whose state lives only in the DOM: a frame reloads, a canvas is blank, a field forgets. */
const STATEFUL_ELEMENTS = 'iframe, canvas, video, audio, object, embed, input, textarea, select';

/** Most complete lines in one block of a stream's text. */
const LINES_PER_BLOCK = 400;
/**
 * Height of a line of output text, in pixels, for the size of blocks not laid out: the
 * `.ja-Output-body pre` line box of notebook.css (13px × 1.35). A block sized by a wrong
 * estimate changes height when it is first drawn, and an output scrolled to its end before
 * that no longer shows its last line.
 */
const LINE_HEIGHT_ESTIMATE = 13 * 1.35;

/**
 * A stream output on screen: its text as a run of blocks of at most
 * {@link LINES_PER_BLOCK} lines, cut at line ends. Blocks off screen skip layout
 * (`content-visibility: auto`), so showing the end of a 50,000-line stream lays out
 * only what is visible; appends touch the last block only; and a long stream drops
 * its oldest blocks in O(block) instead of redrawing the last
 * {@link STREAM_DISPLAY_LIMIT} characters on every message.
 */
interface StreamState {
  pre: HTMLElement;
  body: HTMLElement;
  converter: AnsiConverter;
  chunks: { node: HTMLElement; chars: number; lines: number }[];
  /** Characters in `chunks`. */
  shown: number;
  /** Characters of the whole stream. */
  total: number;
  /** The "show all" button, while some text is hidden. */
  more: HTMLButtonElement | null;
  /** After "show all", nothing is trimmed any more. */
  unlimited: boolean;
}

/**
 * Draws a cell's outputs and keeps them in step with its {@link OutputAreaModel}:
 * a streamed chunk is appended to the stream's element instead of redrawing it.
 */
export class OutputAreaView {
  readonly node: HTMLElement;
  private streams = new Map<number, StreamState>();
  private readonly subscription: IDisposable;

  constructor(
    private readonly model: OutputAreaModel,
    private readonly rendermime: RenderMimeRegistry,
    private readonly trusted: () => boolean,
    private readonly outputDocument?: OutputDocument
  ) {
    this.node = document.createElement('div');
    this.node.className = 'ja-OutputArea';
    this.node.dataset.testid = 'output-area';
    this.subscription = this.model.changed((change) => this.update(change));
    this.renderAll();
  }

  /** Redraw every output (after the notebook's trust changed). */
  renderAll(): void {
    this.streams.clear();
    this.rendermime.release(this.node);
    this.node.replaceChildren(...this.model.outputs.map((o, i) => this.renderOutput(o, i)));
  }

  /**
   * Whether this view's DOM can be dropped and drawn again from the model later with
   * nothing lost and nothing reloaded: every output's renderer is redrawable and holds
   * nothing (`RenderMimeRegistry.keepsState`), no frame, canvas, media element or form
   * field is drawn (their state lives only in the DOM), and no stream was shown in full
   * with "Show all".
   */
  get redrawable(): boolean {
    // A stream shown in full after "Show all" would be trimmed again when drawn anew.
    for (const state of this.streams.values()) if (state.unlimited) return false;
    return !this.node.querySelector(STATEFUL_ELEMENTS) && !this.rendermime.keepsState(this.node);
  }

  /** Release what the outputs' renderers hold (the cell is going away). */
  dispose(): void {
    // A moved cell gets a new view of the same model: the old one must stop drawing.
    this.subscription.dispose();
    this.rendermime.release(this.node);
  }

  private update(change: OutputChange): void {
    switch (change.type) {
      case 'clear':
        this.streams.clear();
        this.rendermime.release(this.node);
        this.node.replaceChildren();
        break;
      case 'add':
        this.node.appendChild(this.renderOutput(this.model.get(change.index)!, change.index));
        break;
      case 'append': {
        const state = this.streams.get(change.index);
        if (state) this.appendChunk(state, change.text);
        else this.replace(change.index);
        break;
      }
      case 'set':
        this.replace(change.index);
        break;
    }
  }

  private replace(index: number): void {
    const old = this.node.children[index];
    this.streams.delete(index);
    const next = this.renderOutput(this.model.get(index)!, index);
    if (old) this.rendermime.release(old);
    if (old) old.replaceWith(next);
    else this.node.appendChild(next);
  }

  private renderOutput(output: nbformat.IOutput, index: number): HTMLElement {
    const wrapper = document.createElement('div');
    wrapper.className = `ja-Output ja-mod-${output.output_type}`;
    wrapper.dataset.outputType = output.output_type;
    const prompt = document.createElement('div');
    prompt.className = 'ja-Output-prompt';
    if (output.output_type === 'execute_result') {
      const count = (output as nbformat.IExecuteResult).execution_count;
      prompt.textContent = `[${count ?? ' '}]:`;
    }
    const body = document.createElement('div');
    body.className = 'ja-Output-body';
    wrapper.append(prompt, body);
    switch (output.output_type) {
      case 'stream':
        this.renderStream(output as nbformat.IStream, index, body, wrapper);
        break;
      case 'error': {
        const err = output as nbformat.IError;
        const pre = document.createElement('pre');
        const tb = Array.isArray(err.traceback) && err.traceback.length ? err.traceback.join('\n') : `${err.ename}: ${err.evalue}`;
        pre.innerHTML = ansiToHtml(tb);
        body.appendChild(pre);
        break;
      }
      case 'display_data':
      case 'execute_result': {
        const o = output as nbformat.IDisplayData;
        body.appendChild(this.rendermime.render(o.data ?? {}, o.metadata ?? {}, this.trusted(), this.outputDocument));
        break;
      }
      default: {
        // Forward compatibility: an output type from a newer nbformat is kept and named.
        body.classList.add('ja-mod-unknown');
        body.textContent = `Output of unknown type "${String(output.output_type)}" (kept as is)`;
      }
    }
    return wrapper;
  }

  private renderStream(stream: nbformat.IStream, index: number, body: HTMLElement, wrapper: HTMLElement): void {
    wrapper.classList.add(`ja-mod-${stream.name}`);
    const text = joinMultiline(stream.text);
    const pre = document.createElement('pre');
    body.appendChild(pre);
    const state: StreamState = {
      pre,
      body,
      converter: new AnsiConverter(),
      chunks: [],
      shown: 0,
      total: 0,
      more: null,
      unlimited: false
    };
    this.streams.set(index, state);
    // Show the end: with long logs the latest lines matter most.
    const shown = text.length > STREAM_DISPLAY_LIMIT ? text.slice(text.length - STREAM_DISPLAY_LIMIT) : text;
    state.total = text.length - shown.length;
    this.appendChunk(state, shown);
  }

  private appendChunk(state: StreamState, text: string): void {
    if (!text) return;
    state.total += text.length;
    state.shown += text.length;
    let rest = text;
    while (rest) {
      let block = state.chunks[state.chunks.length - 1];
      if (!block || block.lines >= LINES_PER_BLOCK) {
        const node = document.createElement('div');
        node.className = 'ja-StreamBlock';
        state.pre.appendChild(node);
        block = { node, chars: 0, lines: 0 };
        state.chunks.push(block);
      }
      // Take whole lines up to the block's capacity (an unfinished last line too).
      let end = 0;
      let taken = 0;
      while (block.lines + taken < LINES_PER_BLOCK) {
        const nl = rest.indexOf('\n', end);
        if (nl < 0) {
          end = rest.length;
          break;
        }
        end = nl + 1;
        taken++;
      }
      const piece = rest.slice(0, end);
      rest = rest.slice(end);
      block.node.insertAdjacentHTML('beforeend', state.converter.toHtml(piece));
      block.chars += piece.length;
      block.lines += taken;
      block.node.style.containIntrinsicSize = `auto ${Math.max(1, block.lines) * LINE_HEIGHT_ESTIMATE}px`;
    }
    if (state.unlimited) return;
    // Keep at least the newest block, however long.
    while (state.shown > STREAM_DISPLAY_LIMIT && state.chunks.length > 1) {
      const oldest = state.chunks.shift()!;
      oldest.node.remove();
      state.shown -= oldest.chars;
    }
    this.updateMore(state);
  }

  private updateMore(state: StreamState): void {
    if (state.shown >= state.total) {
      state.more?.remove();
      state.more = null;
      return;
    }
    if (!state.more) {
      const more = document.createElement('button');
      more.className = 'ja-Output-more';
      more.addEventListener('click', () => this.showAll(state));
      state.body.prepend(more);
      state.more = more;
    }
    state.more.textContent =
      `Output trimmed: showing the last ${state.shown.toLocaleString()} of ${state.total.toLocaleString()} characters. Show all`;
  }

  private showAll(state: StreamState): void {
    const index = [...this.streams].find(([, s]) => s === state)?.[0];
    const output = index === undefined ? undefined : this.model.get(index);
    if (!output || output.output_type !== 'stream') return;
    const text = joinMultiline((output as nbformat.IStream).text);
    state.unlimited = true;
    state.converter = new AnsiConverter();
    state.chunks = [];
    state.shown = state.total = 0;
    state.pre.replaceChildren();
    state.more?.remove();
    state.more = null;
    this.appendChunk(state, text);
  }
}
