import type { Kernel } from '@jupyterlab/services';
import { DisposableDelegate, IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';

/** Something that holds a kernel connection that may change (a notebook's or a console's session). */
export interface KernelSource {
  /** The connection now, or null without a kernel. */
  readonly kernel: Kernel.IKernelConnection | null;
  /** Subscribe to kernel changes (started, changed, shut down); dispose to stop. */
  kernelChanged(listener: (kernel: Kernel.IKernelConnection | null) => void): IDisposable;
}

/**
 * Every kernel connection features of the app opened, whoever opened it: features
 * that must see each kernel (Jupyter widgets register their comm target on it)
 * listen to {@link kernelConnected} instead of knowing about notebooks, consoles
 * and whatever comes next. Cold-load code: types only from the services.
 */
export class KernelSources {
  private readonly sources = new Set<KernelSource>();
  private readonly _kernelConnected = new Emitter<Kernel.IKernelConnection>();
  /** Fires with each kernel connection a source has now or gets later. */
  readonly kernelConnected = this._kernelConnected.event;

  /** Track `source` until the result is disposed; its current kernel is announced at once. */
  add(source: KernelSource): IDisposable {
    this.sources.add(source);
    const sub = source.kernelChanged((kernel) => {
      if (kernel) this._kernelConnected.emit(kernel);
    });
    if (source.kernel) this._kernelConnected.emit(source.kernel);
    return new DisposableDelegate(() => {
      sub.dispose();
      this.sources.delete(source);
    });
  }

  /** The kernel connections of the tracked sources now. */
  get kernels(): Kernel.IKernelConnection[] {
    return [...this.sources].map((s) => s.kernel).filter((k): k is Kernel.IKernelConnection => !!k);
  }
}
