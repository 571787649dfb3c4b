import type { Kernel } from '@jupyterlab/services';
import type { KernelSources } from '../kernel/sources';
import type { NotebookTracker } from '../notebook/tracker';
import type { RenderMimeRegistry, RenderOptions } from '../rendermime/registry';
import { definePlugin, KERNEL, NOTEBOOK, RENDERMIME } from '../tokens';

// Not imported from ./state: a module shared with the lazy chunk would be put
// whole into the cold load.
/** The mime type of widget outputs (as in ./state). */
const WIDGET_VIEW_MIMETYPE = 'application/vnd.jupyter.widget-view+json';

/** The target kernels open widget comms on (ipywidgets' `Widget.comm_target`). */
const WIDGET_COMM_TARGET = 'jupyter.widget';

type Impl = typeof import('./impl');
let impl: Promise<Impl> | null = null;

/** The widget libraries (Lumino, Backbone, the controls and their CSS), loaded once, on first need. */
function load(): Promise<Impl> {
  return (impl ??= import(/* webpackChunkName: "widgets" */ './impl'));
}

/**
 * Listen for widget comms on `kernel`. Only this small hook is in the app's cold
 * load: the widget libraries load with the first comm or widget output. The
 * kernel holds further messages while the comm handler's promise is pending, so
 * loading then loses nothing. A kernel that has widgets already (the page was
 * reloaded) gets them fetched, so new widgets may refer to them.
 */
function watchKernel(kernel: Kernel.IKernelConnection, rendermime: RenderMimeRegistry, watched: WeakSet<object>): void {
  if (watched.has(kernel) || kernel.isDisposed) return;
  watched.add(kernel);
  kernel.registerCommTarget(WIDGET_COMM_TARGET, async (comm, msg) => {
    const widgets = await load();
    await widgets.openWidgetComm(kernel, comm, msg, rendermime);
  });
  kernel
    .requestCommInfo({ target_name: WIDGET_COMM_TARGET })
    .then(async (reply) => {
      if (reply.content.status !== 'ok' || Object.keys(reply.content.comms).length === 0) return;
      await (await load()).restoreKernelWidgets(kernel, rendermime);
    })
    .catch(() => {
      // No answer (kernel gone): widget outputs fetch their models when drawn.
    });
}

/**
 * Jupyter widgets (ipywidgets 7 and 8): draws `application/vnd.jupyter.widget-view+json`
 * outputs live through the kernel's comms, or from the notebook's saved widget
 * state when the kernel does not have the model (or there is no kernel).
 */
export const widgetsPlugin = definePlugin({
  id: '@jlab-alt/widgets:plugin',
  description: 'Jupyter widgets (ipywidgets): live through the kernel, or from the state saved in the notebook.',
  requires: [RENDERMIME],
  optional: [NOTEBOOK, KERNEL],
  activate(_app, rendermime: RenderMimeRegistry, tracker: NotebookTracker | null, kernels: KernelSources | null) {
    const watched = new WeakSet<object>();
    // Register the comm target as soon as a notebook has a kernel: the first
    // comm_open comes before the first widget output.
    tracker?.kernelStatusChanged((panel) => {
      const kernel = panel.session.kernel;
      if (kernel) watchKernel(kernel, rendermime, watched);
    });
    // Every other feature's kernels (consoles, …), announced through the kernel sources.
    kernels?.kernelConnected((kernel) => watchKernel(kernel, rendermime, watched));
    rendermime.addRenderer({
      name: 'Jupyter widget',
      mimeTypes: [WIDGET_VIEW_MIMETYPE],
      // Before every other type (JupyterLab ranks it first too); the bundle's
      // text/plain is the repr for frontends without widgets.
      rank: 0,
      // Models come from the kernel or the saved state, never as HTML of the
      // output; HTML widget values from saved state are sanitized.
      safe: true,
      async render(options: RenderOptions) {
        const kernel = options.document?.kernel();
        if (kernel) watchKernel(kernel, rendermime, watched);
        return (await load()).renderWidgetView(options, rendermime);
      }
    });
  }
});
