import type { Application } from '../core/application';
import { requestJSON } from '../api/request';
import type { NotebookPanel } from '../notebook/panel';
import type { NotebookTracker } from '../notebook/tracker';
import type { RenderMimeRegistry } from '../rendermime/registry';
import type { JournalAnswer } from './model';
import { definePlugin, NOTEBOOK, RENDERMIME } from '../tokens';

/**
 * Catching up (issue 16): a notebook opened again — after a reload, a closed tab, in
 * another browser — shows what its kernel printed meanwhile and which cells still run,
 * from the server's execution journal (`/jlab-alt/api/journal`), and follows runs that
 * other pages start. Only this small hook is in the cold load; the rest loads with the
 * first notebook that has a kernel.
 */
export const journalPlugin = definePlugin({
  id: '@jlab-alt/journal:plugin',
  description: 'Catch up with what kernels printed while a notebook was closed, and follow runs started elsewhere.',
  requires: [NOTEBOOK, RENDERMIME],
  activate(app: Application, tracker: NotebookTracker, rendermime: RenderMimeRegistry) {
    const attached = new WeakSet<NotebookPanel>();
    const fetchJournal = (path: string, after: number, wait: number, signal: AbortSignal) =>
      requestJSON<JournalAnswer>(app, `api/journal?path=${encodeURIComponent(path)}&after=${after}&wait=${wait}`, { signal });
    const savedAt = async (path: string) => {
      const model = await app.services.contents.get(path, { content: false });
      return Date.parse(model.last_modified) || 0;
    };
    tracker.kernelStatusChanged((panel) => {
      if (attached.has(panel) || panel.isDisposed || !panel.model || !panel.session.kernel) return;
      attached.add(panel);
      void import(/* webpackChunkName: "journal" */ './catchup').then(({ CatchUp }) => {
        if (panel.isDisposed) return;
        void new CatchUp(panel, fetchJournal, savedAt, rendermime).start();
      });
    });
  }
});
