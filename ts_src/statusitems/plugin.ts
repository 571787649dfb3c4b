import type { Application } from '../core/application';
import { cursorPosition, cursorSourceOf, formatCursor, formatRunning } from './model';
import { definePlugin } from '../tokens';

/**
 * Status bar items: the cursor's line and column in text editors and notebook cells
 * being edited, and how many kernels and terminals run on the server (from the host's
 * kernel and terminal managers, which poll it; started once the app is idle).
 */
export const statusItemsPlugin = definePlugin({
  id: '@jlab-alt/statusitems:plugin',
  description: 'Status bar items: line and column in editors, running kernels and terminals.',
  activate(app: Application) {
    const cursor = document.createElement('span');
    cursor.dataset.testid = 'status-cursor';
    const renderCursor = () => {
      const source = cursorSourceOf(app.shell.currentWidget);
      const text = source ? formatCursor(cursorPosition(source)) : '';
      if (cursor.textContent !== text) cursor.textContent = text;
      if (cursor.hidden !== !source) cursor.hidden = !source;
    };
    // The cursor moves by keys, clicks and focus; reading it then is cheap (no layout).
    let pending = false;
    const schedule = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        renderCursor();
      });
    };
    for (const type of ['keyup', 'mouseup', 'focusin', 'focusout']) document.addEventListener(type, schedule, true);
    app.shell.currentChanged(schedule);
    renderCursor();
    app.shell.addStatusItem({ id: 'cursor-position', node: cursor, align: 'right', rank: 100 });

    const running = document.createElement('span');
    running.dataset.testid = 'status-running';
    running.title = 'Kernels and terminals running on the server';
    app.shell.addStatusItem({ id: 'running-sessions', node: running, align: 'left', rank: 50 });
    void app.started.then(() =>
      (window.requestIdleCallback ?? setTimeout)(() => {
        const { kernels, terminals } = app.services;
        const hasTerminals = terminals.isAvailable();
        const render = () => {
          const k = [...kernels.running()].length;
          const t = hasTerminals ? [...terminals.running()].length : null;
          running.textContent = formatRunning(k, t);
          running.dataset.kernels = String(k);
          running.dataset.terminals = t === null ? '' : String(t);
        };
        kernels.runningChanged.connect(render);
        if (hasTerminals) terminals.runningChanged.connect(render);
        render();
        void kernels.refreshRunning().catch(() => undefined);
        if (hasTerminals) void terminals.refreshRunning().catch(() => undefined);
      })
    );
  }
});
