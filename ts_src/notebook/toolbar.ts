import type { Application } from '../core/application';
import { shortcutText } from '../menus/shortcut';
import type { NotebookPanel } from './panel';

/** Toolbar buttons: [command id, icon name (style/icons.css), tooltip]; the shortcut comes from the keybindings. */
const BUTTONS: [string, string, string][] = [
  ['notebook:save', 'save', 'Save'],
  ['notebook:insert-cell-below', 'add', 'Insert a cell below'],
  ['notebook:cut-cell', 'cut', 'Cut the selected cells'],
  ['notebook:copy-cell', 'copy', 'Copy the selected cells'],
  ['notebook:paste-cell-below', 'paste', 'Paste cells from the clipboard'],
  ['notebook:run-cell-and-select-next', 'run', 'Run the selected cells and advance'],
  ['notebook:interrupt-kernel', 'stop', 'Interrupt the kernel'],
  ['notebook:restart-kernel', 'restart', 'Restart the kernel'],
  ['notebook:restart-run-all', 'runall', 'Restart the kernel and run all cells']
];

/**
 * The notebook toolbar. Buttons run commands on the panel they belong to (the panel
 * is made current first), so a toolbar click never acts on another notebook.
 */
export function buildToolbar(panel: NotebookPanel, app: Application): HTMLElement {
  const bar = document.createElement('div');
  bar.className = 'ja-Toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Notebook actions');
  const run = (id: string, args = {}) => {
    app.shell.activateById(panel.id);
    void app.commands.execute(id, args).catch((err) => console.error(err));
  };
  for (const [id, icon, label] of BUTTONS) {
    const shortcut = shortcutText(app.keybindings, id);
    const tip = shortcut ? `${label} (${shortcut})` : label;
    const b = document.createElement('button');
    b.className = `ja-Toolbar-button ja-ToolbarIcon ja-icon-${icon}`;
    b.dataset.command = id;
    b.title = tip;
    b.setAttribute('aria-label', tip);
    b.addEventListener('mousedown', (e) => e.preventDefault());
    b.addEventListener('click', () => run(id));
    bar.appendChild(b);
  }

  const type = document.createElement('select');
  type.className = 'ja-Toolbar-cellType';
  type.dataset.testid = 'cell-type';
  type.setAttribute('aria-label', 'Cell type');
  for (const [value, label] of [
    ['code', 'Code'],
    ['markdown', 'Markdown'],
    ['raw', 'Raw']
  ]) {
    const o = document.createElement('option');
    o.value = value!;
    o.textContent = label!;
    type.appendChild(o);
  }
  type.addEventListener('change', () => run(`notebook:change-cell-to-${type.value}`));
  bar.appendChild(type);

  const spacer = document.createElement('div');
  spacer.className = 'ja-Toolbar-spacer';
  bar.appendChild(spacer);

  const kernel = document.createElement('button');
  kernel.className = 'ja-Toolbar-kernelName';
  kernel.dataset.testid = 'kernel-name';
  kernel.title = 'Select the kernel';
  kernel.addEventListener('click', () => run('notebook:change-kernel'));
  const status = document.createElement('span');
  status.className = 'ja-KernelStatus';
  status.dataset.testid = 'kernel-status';
  bar.append(kernel, status);

  // Runs on every move of the active cell: writes only what changed, since any text
  // or attribute written dirties the page's style or layout, and each key press of a
  // held ArrowDown then paid for a layout pass of the whole notebook.
  const sync = () => {
    const name = panel.session.kernelDisplayName;
    if (kernel.textContent !== name) kernel.textContent = name;
    const state = panel.session.status;
    if (status.dataset.status !== state) {
      status.dataset.status = state;
      status.title = `Kernel status: ${state}`;
      status.setAttribute('aria-label', status.title);
    }
    const cell = panel.view?.activeView?.model;
    if (cell && type.value !== cell.type) type.value = cell.type;
  };
  panel.session.statusChanged(sync);
  panel.session.kernelChanged(sync);
  panel.ready(() => {
    panel.view?.activeCellChanged(sync);
    panel.model?.cellsChanged(sync);
    sync();
  });
  sync();
  return bar;
}
