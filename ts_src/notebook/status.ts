import { KERNEL_STATUS_LABELS } from '../kernel/session';
import type { NotebookTracker } from './tracker';

/** What the item needs of the shell: the main area's current tab, and its changes. */
export interface CurrentWidgetSource {
  readonly currentWidget: unknown;
  currentChanged(fn: () => void): unknown;
}

/**
 * The status bar item: the current notebook's kernel, its status and the mode. Empty
 * while another kind of tab (an editor, a terminal, the settings) is the current one, as
 * in JupyterLab: the tracker keeps the last notebook, whose status would look like the tab's.
 */
export function notebookStatusItem(tracker: NotebookTracker, shell: CurrentWidgetSource): HTMLElement {
  const node = document.createElement('span');
  node.dataset.testid = 'notebook-status';
  let unsubscribe: (() => void) | null = null;
  const render = () => {
    const panel = tracker.current;
    if (!panel || shell.currentWidget !== panel) {
      node.textContent = '';
      return;
    }
    const mode = panel.view?.mode === 'edit' ? 'Edit' : 'Command';
    node.textContent = `${panel.session.kernelDisplayName} | ${KERNEL_STATUS_LABELS[panel.session.status]} | Mode: ${mode}`;
  };
  tracker.kernelStatusChanged(render);
  shell.currentChanged(render);
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
