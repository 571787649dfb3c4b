import type { DOMWidgetView, WidgetModel } from '@jupyter-widgets/base';
import type { Kernel } from '@jupyterlab/services';
import { MessageLoop } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { IDisposable } from '../core/disposable';
import { SlicedQueue } from '../core/tasks';
import type { OutputDocument } from '../rendermime/registry';
import type { KernelWidgetManager, StaticWidgetManager } from './manager';
import type { WidgetManagers } from './managers';
import { errorMessage } from '../core/errors';

/** How an output shows its widget now. */
export type WidgetOutputMode = 'loading' | 'live' | 'static' | 'missing' | 'error';

/** Shown for a widget whose model is neither in the kernel nor in the saved state (JupyterLab's words). */
export const MODEL_NOT_FOUND = 'Error displaying widget: model not found';

/**
 * Widget outputs start one after the other in short slices: a notebook opened with
 * dozens of saved widgets near the top made their models and views in one task of
 * 150-200 ms (nbconvert's Widget_List.ipynb, 2026-12-04).
 */
const starts = new SlicedQueue();

/**
 * One widget-view output on screen. It finds the widget's model: live in the
 * document's kernel first, else in the notebook's saved state, else it says the
 * model was not found. A saved-state (or missing) widget becomes live when a
 * kernel that has the model connects (a page reopened on a running kernel).
 * Dispose it when the output goes away: the view is removed from its model, so
 * cleared outputs leave nothing behind.
 */
export class WidgetOutput implements IDisposable {
  private view: DOMWidgetView | null = null;
  private _mode: WidgetOutputMode = 'loading';
  private liveKernel: Kernel.IKernelConnection | null = null;
  private subscription: IDisposable | null = null;
  /** Bumped by every attempt to show something, so a slow older attempt gives way. */
  private generation = 0;
  private _isDisposed = false;

  constructor(
    private readonly host: HTMLElement,
    readonly modelId: string,
    private readonly managers: WidgetManagers,
    private readonly outputDocument: OutputDocument | undefined
  ) {
    host.classList.add('ja-WidgetView');
  }

  get mode(): WidgetOutputMode {
    return this._mode;
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Show the widget; resolves once something final is on screen. Never rejects: errors are shown. */
  async start(): Promise<void> {
    this.setMessage('loading', 'Loading widget…');
    this.subscription = this.outputDocument?.onKernelChanged((kernel) => void this.onKernelChanged(kernel)) ?? null;
    try {
      await starts.run(() => (this._isDisposed ? Promise.resolve() : this.find()));
    } catch (err) {
      if (!this._isDisposed) this.setMessage('error', `Error displaying widget: ${errorMessage(err)}`);
    }
  }

  private async find(): Promise<void> {
    const generation = ++this.generation;
    const kernel = this.outputDocument?.kernel() ?? null;
    const live = kernel ? this.managers.forKernel(kernel) : null;
    // The usual case while code runs: the comm_open came before the display.
    if (live?.has_model(this.modelId)) return this.show(live, generation);
    const saved = this.managers.forDocument(this.outputDocument);
    if (saved && (await saved.ensureModel(this.modelId))) {
      await this.show(saved, generation);
      // The kernel may still have it (page reopened): switch over once it answers.
      if (live) void this.tryLive(live);
      return;
    }
    if (live) {
      await live.restore();
      if (live.has_model(this.modelId)) return this.show(live, generation);
    }
    if (generation === this.generation) this.setMessage('missing', MODEL_NOT_FOUND);
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this.generation++;
    this.subscription?.dispose();
    this.subscription = null;
    this.removeView();
  }

  private async onKernelChanged(kernel: Kernel.IKernelConnection | null): Promise<void> {
    if (this._isDisposed || !kernel || kernel === this.liveKernel) return;
    // Views of the old kernel stay (shown disconnected) unless the new one has the model.
    await this.tryLive(this.managers.forKernel(kernel));
  }

  private async tryLive(manager: KernelWidgetManager): Promise<void> {
    const generation = this.generation;
    await manager.restore();
    if (generation !== this.generation || this._isDisposed || !manager.has_model(this.modelId)) return;
    await this.show(manager, ++this.generation);
  }

  private async show(manager: KernelWidgetManager | StaticWidgetManager, generation: number): Promise<void> {
    let view: DOMWidgetView;
    try {
      const model = (await manager.get_model(this.modelId)) as WidgetModel;
      view = (await manager.create_view(model)) as DOMWidgetView;
    } catch (err) {
      if (generation === this.generation && !this._isDisposed) {
        this.setMessage('error', `Error displaying widget: ${errorMessage(err)}`);
      }
      return;
    }
    if (generation !== this.generation || this._isDisposed) {
      view.remove();
      return;
    }
    this.removeView();
    this.host.replaceChildren();
    this.view = view;
    this.liveKernel = manager.kernel;
    this._mode = manager.kernel ? 'live' : 'static';
    this.host.classList.toggle('ja-mod-static', !manager.kernel);
    this.host.classList.remove('ja-mod-message');
    this.host.title = manager.kernel ? '' : 'Saved widget state: not connected to a kernel';
    attachWidget(view.luminoWidget, this.host);
  }

  private removeView(): void {
    const view = this.view;
    if (!view) return;
    this.view = null;
    detachWidget(view.luminoWidget);
    // remove() disposes the Lumino widget and drops the view from model.views.
    view.remove();
  }

  private setMessage(mode: WidgetOutputMode, text: string): void {
    this.removeView();
    this._mode = mode;
    this.liveKernel = null;
    this.host.classList.remove('ja-mod-static');
    this.host.classList.add('ja-mod-message');
    this.host.title = '';
    const message = document.createElement('div');
    message.className = `ja-WidgetView-message ja-mod-${mode}`;
    message.textContent = text;
    this.host.replaceChildren(message);
  }
}

/**
 * Put a Lumino widget into `host` with the attach messages the widget libraries
 * rely on (their views render on 'after-attach'). Unlike Widget.attach this does
 * not require `host` to be in the document yet: outputs are drawn before their
 * cell is inserted.
 */
export function attachWidget(widget: Widget, host: HTMLElement): void {
  MessageLoop.sendMessage(widget, Widget.Msg.BeforeAttach);
  host.appendChild(widget.node);
  MessageLoop.sendMessage(widget, Widget.Msg.AfterAttach);
}

/** Undo {@link attachWidget}, whether or not the output is still in the document. */
export function detachWidget(widget: Widget): void {
  if (widget.isDisposed || !widget.isAttached || widget.parent) return;
  MessageLoop.sendMessage(widget, Widget.Msg.BeforeDetach);
  widget.node.remove();
  MessageLoop.sendMessage(widget, Widget.Msg.AfterDetach);
}
