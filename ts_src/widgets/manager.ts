import { ManagerBase } from '@jupyter-widgets/base-manager';
import { shims, type IClassicComm, type WidgetModel, type WidgetView } from '@jupyter-widgets/base';
import type { Kernel } from '@jupyterlab/services';
import type { JSONObject } from '@lumino/coreutils';
import { DisposableDelegate } from '../core/disposable';
import type { OutputDocument, RenderMimeRegistry } from '../rendermime/registry';
import { loadWidgetClass } from './classes';
import { latexTypesetter } from './latex';
import type { OutputHost } from './output';
import { stateForModel, upgradeSavedModel, type SavedWidgetState } from './state';

/**
 * What every widget manager of jlab-alt shares: where widget classes come from
 * (the modules we ship) and how Output widgets draw (our renderers).
 */
abstract class WidgetManager extends ManagerBase implements OutputHost {
  abstract readonly kernel: Kernel.IKernelConnection | null;
  abstract readonly trustedOutputs: boolean;
  /** Where the controls look for a LaTeX typesetter (the name JupyterLab's manager uses). */
  readonly _rendermime = { latexTypesetter };

  constructor(
    readonly rendermime: RenderMimeRegistry,
    readonly outputDocument: OutputDocument | undefined
  ) {
    super();
  }

  protected override async loadClass(
    className: string,
    moduleName: string,
    moduleVersion: string
  ): Promise<typeof WidgetModel | typeof WidgetView> {
    return loadWidgetClass(className, moduleName, moduleVersion, { sanitize: !this.trustedOutputs });
  }
}

/**
 * The widgets of one kernel connection: models come from the kernel's comms
 * (`comm_open` on the `jupyter.widget` target) and stay in sync with it. When the
 * kernel restarts, dies or the document switches kernels, {@link disconnect} marks
 * every model dead: their views stay on screen, shown as disconnected.
 */
export class KernelWidgetManager extends WidgetManager {
  readonly trustedOutputs = true;
  private restoring: Promise<void> | null = null;
  private _live = true;

  constructor(
    readonly kernel: Kernel.IKernelConnection,
    rendermime: RenderMimeRegistry
  ) {
    super(rendermime, kernelDocument(kernel));
  }

  /** False once the kernel restarted or went away: models here are dead. */
  get live(): boolean {
    return this._live;
  }

  /**
   * Fetch the widgets the kernel already has (a page opened on a running kernel),
   * once; later calls return the same promise. Never rejects: a kernel without
   * ipywidgets simply has none.
   */
  restore(): Promise<void> {
    this.restoring ??= this._loadFromKernel().catch((err) => {
      console.warn('Could not fetch the kernel\'s widgets:', err);
    });
    return this.restoring;
  }

  /** Mark every model dead (kernel restarted, changed or shut down). */
  override disconnect(): void {
    this._live = false;
    super.disconnect();
  }

  protected override async _create_comm(
    targetName: string,
    modelId?: string,
    data?: JSONObject,
    metadata?: JSONObject,
    buffers?: ArrayBuffer[] | ArrayBufferView[]
  ): Promise<IClassicComm> {
    if (!this._live || this.kernel.isDisposed) throw new Error('The kernel of these widgets is gone');
    const comm = this.kernel.createComm(targetName, modelId);
    if (data || metadata) comm.open(data, metadata, buffers);
    return new shims.services.Comm(comm);
  }

  protected override async _get_comm_info(): Promise<{}> {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}

/** A document for outputs drawn inside widgets of `kernel` (Output widgets). */
function kernelDocument(kernel: Kernel.IKernelConnection): OutputDocument {
  return {
    path: '',
    kernel: () => (kernel.isDisposed ? null : kernel),
    onKernelChanged: () => new DisposableDelegate(() => undefined),
    metadata: () => ({})
  };
}

/**
 * Widgets restored from a notebook's saved state, without a kernel: they show
 * and respond locally (a slider moves, `jslink`ed widgets follow) but nothing
 * reaches a kernel. Models are restored on demand, each with only the models it
 * refers to. HTML widget values are sanitized (the file may come from anyone).
 */
export class StaticWidgetManager extends WidgetManager {
  readonly kernel = null;
  readonly trustedOutputs = false;

  constructor(
    private readonly saved: SavedWidgetState,
    rendermime: RenderMimeRegistry,
    outputDocument: OutputDocument | undefined
  ) {
    super(rendermime, outputDocument);
  }

  /** The state this manager restores from (to tell whether the notebook's changed). */
  get source(): SavedWidgetState {
    return this.saved;
  }

  /**
   * Restore model `modelId` and the models it refers to, unless restored already.
   * Resolves false when the saved state has no such model.
   */
  async ensureModel(modelId: string): Promise<boolean> {
    if (this.has_model(modelId)) return true;
    const part = stateForModel(this.saved, modelId);
    if (!part) return false;
    // set_state writes decoded buffers into what it is given: hand it a copy, and
    // leave out models already restored (they may have changed since, locally).
    const fresh = structuredClone(part);
    for (const id of Object.keys(fresh.state)) {
      if (this.has_model(id)) delete fresh.state[id];
      else fresh.state[id] = upgradeSavedModel(fresh.state[id]);
    }
    await this.set_state(fresh as Parameters<ManagerBase['set_state']>[0]);
    return this.has_model(modelId);
  }

  protected override async _create_comm(): Promise<IClassicComm> {
    throw new Error('No kernel: these widgets were restored from the notebook\'s saved state');
  }

  protected override async _get_comm_info(): Promise<{}> {
    return {};
  }
}
