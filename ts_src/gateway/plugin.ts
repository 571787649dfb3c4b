import type { NotebookPanel } from '../notebook/panel';
import type { NotebookTracker } from '../notebook/tracker';
import { KernelLivenessCheck, LIVENESS_INTERVAL_MS, restKernelProbe } from './liveness';
import { definePlugin, NOTEBOOK } from '../tokens';

/**
 * Remote kernels (the server runs with `--gateway-url`, page config `remoteKernels`):
 * each notebook's connected kernel is checked every few seconds (see
 * `./liveness.ts`); a kernel whose gateway stops answering, or that the gateway no
 * longer has, is shown as dead at once; the page keeps asking, and once the gateway
 * answers the notebook rejoins its kernel (still there) or starts a new one (gone).
 * Does nothing for local kernels.
 */
export const gatewayPlugin = definePlugin({
  id: '@jlab-alt/gateway:plugin',
  description: 'Remote kernels through a gateway: notices a gateway or kernel that is gone.',
  requires: [NOTEBOOK],
  activate(app, tracker: NotebookTracker) {
    if (!app.config.remoteKernels) return;
    const baseUrl = app.services.serverSettings.baseUrl;
    const checks = new Map<NotebookPanel, { kernelId: string; check: KernelLivenessCheck }>();
    const recoveries = new Map<NotebookPanel, ReturnType<typeof setTimeout>>();
    /** Ask until the gateway answers (the kernel is there or gone), then let the session rejoin or replace it. */
    const recover = (panel: NotebookPanel, probe: ReturnType<typeof restKernelProbe>) => {
      const tick = async () => {
        recoveries.delete(panel);
        if ((await probe()) === 'unreachable') {
          if (!seen.has(panel)) return;
          recoveries.set(panel, setTimeout(tick, LIVENESS_INTERVAL_MS));
          return;
        }
        panel.session.recheck();
      };
      recoveries.set(panel, setTimeout(tick, LIVENESS_INTERVAL_MS));
    };
    const seen = new WeakSet<NotebookPanel>();
    const update = (panel: NotebookPanel) => {
      if (!seen.has(panel)) {
        seen.add(panel);
        panel.disposed(() => {
          seen.delete(panel);
          checks.get(panel)?.check.dispose();
          checks.delete(panel);
          clearTimeout(recoveries.get(panel));
          recoveries.delete(panel);
        });
      }
      const kernel = panel.session.kernel;
      const live = kernel && !kernel.isDisposed && ['idle', 'busy', 'starting', 'unknown'].includes(panel.session.status);
      const current = checks.get(panel);
      if (current && (!live || current.kernelId !== kernel.id)) {
        current.check.dispose();
        checks.delete(panel);
      }
      if (live && !checks.has(panel)) {
        const probe = restKernelProbe(baseUrl, kernel.id);
        const check = new KernelLivenessCheck(probe, (why) => {
          checks.delete(panel);
          panel.session.markLost();
          if (why === 'gone') panel.session.recheck();
          else recover(panel, probe);
        });
        checks.set(panel, { kernelId: kernel.id, check });
      }
    };
    tracker.kernelStatusChanged(update);
    // Panels opened before this plugin activated.
    for (const panel of tracker.all) update(panel);
  }
});
