import type * as nbformat from '@jupyterlab/nbformat';
import type { IDisposable } from '../../core/disposable';
import { AnsiConverter, ansiToHtml } from '../../rendermime/ansi';
import type { OutputDocument, RenderMimeRegistry } from '../../rendermime/registry';
import type { OutputAreaModel, OutputChange } from '../model/outputs';
import { joinMultiline } from '../model/text';

/** Most characters of one stream shown at once; the rest is behind a button. */
export const STREAM_DISPLAY_LIMIT = 200_000;

/**
 * Draws a cell's outputs and keeps them in step with its {@link OutputAreaModel}:
 * a streamed chunk is appended to the stream's element instead of redrawing it.
 */
export class OutputAreaView {
  readonly node: HTMLElement;
  private converters = new Map<number, AnsiConverter>();
  private shownChars = new Map<number, number>();
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
    this.converters.clear();
    this.shownChars.clear();
    this.rendermime.release(this.node);
    this.node.replaceChildren(...this.model.outputs.map((o, i) => this.renderOutput(o, i)));
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
        this.converters.clear();
        this.shownChars.clear();
        this.rendermime.release(this.node);
        this.node.replaceChildren();
        break;
      case 'add':
        this.node.appendChild(this.renderOutput(this.model.get(change.index)!, change.index));
        break;
      case 'append': {
        const el = this.node.children[change.index] as HTMLElement | undefined;
        const pre = el?.querySelector('pre');
        const shown = (this.shownChars.get(change.index) ?? 0) + change.text.length;
        if (!pre || shown > STREAM_DISPLAY_LIMIT) {
          this.replace(change.index);
          break;
        }
        this.shownChars.set(change.index, shown);
        pre.insertAdjacentHTML('beforeend', this.converter(change.index).toHtml(change.text));
        break;
      }
      case 'set':
        this.replace(change.index);
        break;
    }
  }

  private replace(index: number): void {
    const old = this.node.children[index];
    this.converters.delete(index);
    const next = this.renderOutput(this.model.get(index)!, index);
    if (old) this.rendermime.release(old);
    if (old) old.replaceWith(next);
    else this.node.appendChild(next);
  }

  private converter(index: number): AnsiConverter {
    let c = this.converters.get(index);
    if (!c) this.converters.set(index, (c = new AnsiConverter()));
    return c;
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
    let shown = text;
    if (text.length > STREAM_DISPLAY_LIMIT) {
      // Show the end: with long logs the latest lines matter most.
      shown = text.slice(text.length - STREAM_DISPLAY_LIMIT);
      const more = document.createElement('button');
      more.className = 'ja-Output-more';
      more.textContent = `Output trimmed: showing the last ${STREAM_DISPLAY_LIMIT.toLocaleString()} of ${text.length.toLocaleString()} characters. Show all`;
      more.addEventListener('click', () => {
        pre.innerHTML = ansiToHtml(joinMultiline((this.model.get(index) as nbformat.IStream).text));
        more.remove();
      });
      body.prepend(more);
    }
    this.shownChars.set(index, shown.length);
    pre.innerHTML = this.converter(index).toHtml(shown);
  }
}
