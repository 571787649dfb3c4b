// The widget libraries and their styles: this module is the lazily loaded chunk.
import '@jupyter-widgets/controls/css/widgets-base.css';
import '@jupyter-widgets/base/css/index.css';
import '@fortawesome/fontawesome-free/css/fontawesome.min.css';
import './widgets.css';
import { shims } from '@jupyter-widgets/base';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { DisposableDelegate, type IDisposable } from '../core/disposable';
import type { RenderMimeRegistry, RenderOptions } from '../rendermime/registry';
import { WidgetManagers } from './managers';
import { parseWidgetView } from './state';
import { WidgetOutput } from './view';

const pools = new WeakMap<RenderMimeRegistry, WidgetManagers>();

function managers(rendermime: RenderMimeRegistry): WidgetManagers {
  let pool = pools.get(rendermime);
  if (!pool) pools.set(rendermime, (pool = new WidgetManagers(rendermime)));
  return pool;
}

/**
 * Draw a widget-view output (see {@link WidgetOutput}). Returns at once with what
 * to dispose when the output goes away; the widget appears when its model is found.
 * @throws Error when the output is not a widget view of protocol version 2.
 */
export function renderWidgetView(options: RenderOptions, rendermime: RenderMimeRegistry): IDisposable {
  const { model_id } = parseWidgetView(options.data);
  // ipywidgets writes an empty id for a widget shown nowhere; JupyterLab hides it.
  if (model_id === '') {
    options.host.hidden = true;
    return new DisposableDelegate(() => undefined);
  }
  const output = new WidgetOutput(options.host, model_id, managers(rendermime), options.document);
  void output.start();
  return output;
}

/** A `comm_open` of the `jupyter.widget` target: a new model in `kernel`. */
export async function openWidgetComm(
  kernel: Kernel.IKernelConnection,
  comm: Kernel.IComm,
  msg: KernelMessage.ICommOpenMsg,
  rendermime: RenderMimeRegistry
): Promise<void> {
  await managers(rendermime).forKernel(kernel).handle_comm_open(new shims.services.Comm(comm), msg);
}

/** Fetch the widgets `kernel` already has (it had some when we connected). */
export async function restoreKernelWidgets(kernel: Kernel.IKernelConnection, rendermime: RenderMimeRegistry): Promise<void> {
  await managers(rendermime).forKernel(kernel).restore();
}
