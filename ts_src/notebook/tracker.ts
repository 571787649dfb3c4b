import type * as nbformat from '@jupyterlab/nbformat';
import { Emitter } from '../core/emitter';
import type { Shell } from '../shell/shell';
import type { ExecuteStatus } from './execute-cell';
import type { CellModel } from './model/cell';
import type { NotebookPanel } from './panel';

/**
 * The open notebooks and which one is current (the last notebook tab activated),
 * with events extensions listen to. Also holds the cell clipboard, shared by all
 * notebooks so cells can be pasted across them.
 */
export class NotebookTracker {
  private panels = new Set<NotebookPanel>();
  private _current: NotebookPanel | null = null;
  /** Cells copied or cut, as nbformat JSON. */
  clipboard: nbformat.ICell[] = [];
  private readonly _currentChanged = new Emitter<NotebookPanel | null>();
  private readonly _activeCellChanged = new Emitter<{ panel: NotebookPanel; index: number }>();
  private readonly _cellExecuted = new Emitter<{ panel: NotebookPanel; cell: CellModel; status: ExecuteStatus }>();
  private readonly _kernelStatusChanged = new Emitter<NotebookPanel>();
  /** Fires when another notebook becomes current (null: none open). */
  readonly currentChanged = this._currentChanged.event;
  /** Fires when the active cell of any notebook changes. */
  readonly activeCellChanged = this._activeCellChanged.event;
  /** Fires after a cell of any notebook finished executing. */
  readonly cellExecuted = this._cellExecuted.event;
  /** Fires when the kernel or its status changes in any notebook. */
  readonly kernelStatusChanged = this._kernelStatusChanged.event;

  constructor(shell: Shell) {
    shell.currentChanged((widget) => {
      const panel = [...this.panels].find((p) => p === widget);
      if (panel) this.setCurrent(panel);
    });
  }

  get current(): NotebookPanel | null {
    return this._current;
  }

  /** Every open notebook. */
  get all(): NotebookPanel[] {
    return [...this.panels];
  }

  add(panel: NotebookPanel): void {
    this.panels.add(panel);
    panel.ready(() => {
      panel.view?.activeCellChanged((index) => this._activeCellChanged.emit({ panel, index }));
    });
    panel.cellExecuted(({ cell, status }) => this._cellExecuted.emit({ panel, cell, status }));
    panel.session.statusChanged(() => this._kernelStatusChanged.emit(panel));
    panel.session.kernelChanged(() => this._kernelStatusChanged.emit(panel));
    panel.disposed(() => {
      this.panels.delete(panel);
      if (this._current === panel) this.setCurrent(this.all[this.all.length - 1] ?? null);
    });
    this.setCurrent(panel);
  }

  private setCurrent(panel: NotebookPanel | null): void {
    if (panel === this._current) return;
    this._current = panel;
    this._currentChanged.emit(panel);
  }
}
