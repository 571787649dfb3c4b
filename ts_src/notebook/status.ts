import { KERNEL_STATUS_LABELS } from '../kernel/session';
import type { NotebookTracker } from './tracker';


/** The status bar item: the current notebook's kernel, its status and the mode. */
export function notebookStatusItem(tracker: NotebookTracker): HTMLElement {
  const node = document.createElement('span');
  node.dataset.testid = 'notebook-status';
  let unsubscribe: (() => void) | null = null;
  const render = () => {
    const panel = tracker.current;
    if (!panel) {
      node.textContent = '';
      return;
    }
    const mode = panel.view?.mode === 'edit' ? 'Edit' : 'Command';
    node.textContent = `${panel.session.kernelDisplayName} | ${KERNEL_STATUS_LABELS[panel.session.status]} | Mode: ${mode}`;
  };
  tracker.kernelStatusChanged(render);
  tracker.currentChanged((panel) => {
    unsubscribe?.();
    unsubscribe = null;
    if (panel) {
      const subs = [panel.ready(() => {
        const s = panel.view?.modeChanged(render);
        if (s) subs.push(s);
        render();
      })];
      const s = panel.view?.modeChanged(render);
      if (s) subs.push(s);
      unsubscribe = () => subs.forEach((x) => x.dispose());
    }
    render();
  });
  return node;
}
