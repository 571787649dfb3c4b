import type * as nbformat from '@jupyterlab/nbformat';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import * as outputBase from '@jupyter-widgets/output';
import type { IDisposable } from '../core/disposable';
import { ansiToHtml } from '../rendermime/ansi';
import { capturedOutputs, onCaptures } from './captures';
import type { OutputDocument, RenderMimeRegistry } from '../rendermime/registry';

/** What the Output widget needs from its widget manager. */
export interface OutputHost {
  /** The kernel whose messages the widget captures; null for saved state. */
  readonly kernel: Kernel.IKernelConnection | null;
  readonly rendermime: RenderMimeRegistry;
  /** The document outputs are drawn for (widget views inside an Output widget). */
  readonly outputDocument: OutputDocument | undefined;
  /** Whether captured outputs may run code: live kernel outputs yes, saved state no. */
  readonly trustedOutputs: boolean;
}

type IOPub = KernelMessage.IIOPubMessage;

/**
 * The Output widget's model (ipywidgets `Output`): while the kernel runs code
 * `with out:`, it sets `msg_id` to that execution's id; the model then captures
 * the execution's outputs (a message hook that keeps them from the cell) and
 * keeps them in its `outputs` attribute, synced back to the kernel, as
 * jupyterlab_widgets does.
 */
export class OutputModel extends outputBase.OutputModel {
  private hook: { kernel: Kernel.IKernelConnection; msgId: string } | null = null;
  private capturesSubscription: IDisposable | null = null;
  private clearPending = false;

  override defaults(): ReturnType<outputBase.OutputModel['defaults']> {
    return { ...super.defaults(), msg_id: '', outputs: [] };
  }

  override initialize(...args: Parameters<outputBase.OutputModel['initialize']>): void {
    super.initialize(...args);
    this.on('change:msg_id', () => this.captureFor(String(this.get('msg_id') ?? '')));
    // What the server's journal captured while no page was open (see ./captures.ts).
    const kernel = this.host.kernel;
    if (kernel) {
      const known = capturedOutputs(kernel, this.model_id);
      // After construction: the model is being restored, its state not yet settled.
      if (known) queueMicrotask(() => this.adoptCaptured(known));
      this.capturesSubscription = onCaptures(kernel, (modelId, outputs) => {
        if (modelId === this.model_id) this.adoptCaptured(outputs);
      });
    }
  }

  /**
   * Take the journal's outputs for this widget when they differ, unless this page is
   * capturing for it right now (then its own live capture is the newer truth).
   */
  private adoptCaptured(outputs: nbformat.IOutput[]): void {
    if (this.hook) return;
    if (JSON.stringify(outputs) === JSON.stringify(this.outputs)) return;
    this.setOutputs(outputs);
  }

  /** The captured outputs (nbformat). */
  get outputs(): nbformat.IOutput[] {
    return (this.get('outputs') as nbformat.IOutput[] | undefined) ?? [];
  }

  override close(commClosed = false): Promise<void> {
    this.captureFor('');
    this.capturesSubscription?.dispose();
    this.capturesSubscription = null;
    return super.close(commClosed);
  }

  private get host(): OutputHost {
    return this.widget_manager as unknown as OutputHost;
  }

  private captureFor(msgId: string): void {
    if (this.hook) {
      const { kernel, msgId: old } = this.hook;
      if (!kernel.isDisposed) kernel.removeMessageHook(old, this.onMessage);
      this.hook = null;
    }
    const kernel = this.host.kernel;
    if (!msgId || !kernel || kernel.isDisposed) return;
    kernel.registerMessageHook(msgId, this.onMessage);
    this.hook = { kernel, msgId };
  }

  /** Returns false for messages it took, so the cell does not show them too. */
  private readonly onMessage = (msg: IOPub): boolean => {
    const content = msg.content as Record<string, any>;
    const type = msg.header.msg_type;
    switch (type) {
      case 'stream':
      case 'display_data':
      case 'execute_result':
      case 'error': {
        const output = { ...content, output_type: type } as nbformat.IOutput;
        if (type === 'display_data' || type === 'execute_result') delete (output as Record<string, unknown>).transient;
        this.append(output);
        return false;
      }
      case 'clear_output':
        if (content.wait) this.clearPending = true;
        else this.setOutputs([]);
        return false;
      default:
        return true;
    }
  };

  private append(output: nbformat.IOutput): void {
    const outputs = this.clearPending ? [] : [...this.outputs];
    this.clearPending = false;
    const last = outputs[outputs.length - 1] as nbformat.IStream | undefined;
    const stream = output as nbformat.IStream;
    if (output.output_type === 'stream' && last?.output_type === 'stream' && last.name === stream.name) {
      outputs[outputs.length - 1] = { ...last, text: joinText(last.text) + joinText(stream.text) };
    } else {
      outputs.push(output);
    }
    this.setOutputs(outputs);
  }

  private setOutputs(outputs: nbformat.IOutput[]): void {
    this.set('outputs', outputs);
    this.save_changes();
  }
}

function joinText(text: nbformat.MultilineString): string {
  return Array.isArray(text) ? text.join('') : text;
}

/** Draws an Output widget's outputs through the app's renderers. */
export class OutputView extends outputBase.OutputView {
  override render(): void {
    super.render();
    this.el.classList.add('jupyter-widgets-output-area', 'ja-WidgetOutput');
    this.listenTo(this.model, 'change:outputs', () => this.draw());
    this.draw();
  }

  override remove(): this {
    (this.model.widget_manager as unknown as OutputHost).rendermime.release(this.el);
    return super.remove();
  }

  private draw(): void {
    const host = this.model.widget_manager as unknown as OutputHost;
    host.rendermime.release(this.el);
    const outputs = (this.model as OutputModel).outputs;
    this.el.replaceChildren(...outputs.map((o) => drawOutput(o, host)));
  }
}

function drawOutput(output: nbformat.IOutput, host: OutputHost): HTMLElement {
  const wrapper = document.createElement('div');
  wrapper.className = `ja-Output ja-mod-${output.output_type}`;
  switch (output.output_type) {
    case 'stream': {
      const stream = output as nbformat.IStream;
      wrapper.classList.add(`ja-mod-${stream.name}`);
      const pre = document.createElement('pre');
      pre.innerHTML = ansiToHtml(joinText(stream.text));
      wrapper.appendChild(pre);
      break;
    }
    case 'error': {
      const error = output as nbformat.IError;
      const pre = document.createElement('pre');
      pre.innerHTML = ansiToHtml(error.traceback?.length ? error.traceback.join('\n') : `${error.ename}: ${error.evalue}`);
      wrapper.appendChild(pre);
      break;
    }
    case 'display_data':
    case 'execute_result': {
      const display = output as nbformat.IDisplayData;
      wrapper.appendChild(
        host.rendermime.render(display.data ?? {}, display.metadata ?? {}, host.trustedOutputs, host.outputDocument)
      );
      break;
    }
    default:
      wrapper.textContent = `Output of unknown type "${String(output.output_type)}"`;
  }
  return wrapper;
}
