import type { Kernel } from '@jupyterlab/services';
import type { OutputDocument, RenderMimeRegistry } from '../rendermime/registry';
import { KernelWidgetManager, StaticWidgetManager } from './manager';
import { savedWidgetState } from './state';

/**
 * Which widget manager serves what: one live manager per kernel connection (a
 * new one after each restart, the old one left disconnected for the views that
 * still show its widgets), and one static manager per document's saved state.
 */
export class WidgetManagers {
  private readonly byKernel = new WeakMap<Kernel.IKernelConnection, KernelWidgetManager>();
  private readonly byDocument = new WeakMap<OutputDocument, StaticWidgetManager>();

  constructor(readonly rendermime: RenderMimeRegistry) {}

  /** The live manager of `kernel`, created on first use. */
  forKernel(kernel: Kernel.IKernelConnection): KernelWidgetManager {
    let manager = this.byKernel.get(kernel);
    if (manager?.live) return manager;
    manager = new KernelWidgetManager(kernel, this.rendermime);
    this.byKernel.set(kernel, manager);
    const created = manager;
    const retire = () => {
      created.disconnect();
      if (this.byKernel.get(kernel) === created) this.byKernel.delete(kernel);
      kernel.statusChanged.disconnect(onStatus);
      kernel.disposed.disconnect(retire);
    };
    // A restart drops every comm: the models of this manager are dead from then on.
    const onStatus = (_: unknown, status: Kernel.Status) => {
      if (status === 'restarting' || status === 'autorestarting' || status === 'dead') retire();
    };
    kernel.statusChanged.connect(onStatus);
    kernel.disposed.connect(retire);
    return manager;
  }

  /** The live manager of `kernel` if one exists (no restore, no creation). */
  existingForKernel(kernel: Kernel.IKernelConnection): KernelWidgetManager | null {
    const manager = this.byKernel.get(kernel);
    return manager?.live ? manager : null;
  }

  /**
   * The static manager of `doc`'s saved widget state, or null when the notebook
   * has none. A new manager is made when the saved state object changes.
   */
  forDocument(doc: OutputDocument | undefined): StaticWidgetManager | null {
    if (!doc) return null;
    const saved = savedWidgetState(doc.metadata());
    if (!saved) return null;
    let manager = this.byDocument.get(doc);
    if (!manager || manager.source !== saved) {
      manager = new StaticWidgetManager(saved, this.rendermime, doc);
      this.byDocument.set(doc, manager);
    }
    return manager;
  }
}
