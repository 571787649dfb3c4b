import { CellModel, CellType, toggleCellCollapse } from './model/cell';
import type { NotebookPanel } from './panel';
import type { NotebookTracker } from './tracker';

/**
 * What notebook commands do, as functions of a panel: each works on the active
 * cell or the selection, as JupyterLab's notebook actions do.
 */

function parts(panel: NotebookPanel) {
  const model = panel.model;
  const view = panel.view;
  return model && view ? { model, view } : null;
}

/** Run the selection; then `advance` moves below it (adding a cell at the end) or `insert` adds one. */
export async function runSelected(panel: NotebookPanel, after: 'stay' | 'advance' | 'insert'): Promise<void> {
  const p = parts(panel);
  if (!p) return;
  const { model, view } = p;
  const indices = view.selectedIndices;
  const last = indices[indices.length - 1]!;
  const run = panel.run(indices);
  if (after === 'insert' || (after === 'advance' && last === model.cells.length - 1)) {
    model.insertCells(last + 1, [model.createCell('code')]);
    view.setActive(last + 1);
    if (after === 'insert') view.enterEdit();
    else view.enterCommand();
  } else if (after === 'advance') {
    view.setActive(last + 1);
    view.enterCommand();
  } else {
    view.setActive(view.activeIndex);
    view.enterCommand();
  }
  await run;
}

export async function runAll(panel: NotebookPanel): Promise<void> {
  const p = parts(panel);
  if (!p) return;
  await panel.run(p.model.cells.map((_, i) => i));
}

export async function runAbove(panel: NotebookPanel): Promise<void> {
  const p = parts(panel);
  if (!p) return;
  await panel.run([...Array(p.view.activeIndex).keys()]);
}

export async function runBelow(panel: NotebookPanel): Promise<void> {
  const p = parts(panel);
  if (!p) return;
  const from = p.view.activeIndex;
  await panel.run(p.model.cells.map((_, i) => i).filter((i) => i >= from));
}

export async function restartAndRunAll(panel: NotebookPanel): Promise<void> {
  if (await panel.restart(true)) await runAll(panel);
}

export function insert(panel: NotebookPanel, where: 'above' | 'below'): void {
  const p = parts(panel);
  if (!p) return;
  const index = where === 'above' ? p.view.activeIndex : p.view.activeIndex + 1;
  p.model.insertCells(index, [p.model.createCell('code')]);
  p.view.setActive(index);
}

export function deleteSelected(panel: NotebookPanel): void {
  const p = parts(panel);
  if (!p) return;
  const indices = p.view.selectedIndices;
  p.model.deleteCells(indices);
  p.view.setActive(Math.min(indices[0]!, p.model.cells.length - 1));
}

export function copySelected(panel: NotebookPanel, tracker: NotebookTracker): void {
  const p = parts(panel);
  if (!p) return;
  tracker.clipboard = p.view.selectedIndices.map((i) => p.model.cells[i]!.toJSON());
}

export function cutSelected(panel: NotebookPanel, tracker: NotebookTracker): void {
  copySelected(panel, tracker);
  deleteSelected(panel);
}

/** Paste the clipboard's cells (fresh ids) below or above the active cell. */
export function paste(panel: NotebookPanel, tracker: NotebookTracker, where: 'above' | 'below'): void {
  const p = parts(panel);
  if (!p || tracker.clipboard.length === 0) return;
  const cells = tracker.clipboard.map((json) => {
    const fresh = p.model.createCell(json.cell_type as CellType);
    const copy = { ...json } as Record<string, unknown>;
    if (fresh.id) copy.id = fresh.id;
    else delete copy.id;
    return new CellModel(copy as never);
  });
  const index = where === 'above' ? p.view.activeIndex : p.view.activeIndex + 1;
  p.model.insertCells(index, cells);
  p.view.setActive(index + cells.length - 1);
}

export function move(panel: NotebookPanel, direction: 'up' | 'down'): void {
  const p = parts(panel);
  if (!p) return;
  const sel = p.view.selectedIndices;
  const first = sel[0]!;
  const to = direction === 'up' ? first - 1 : first + 1;
  if (to < 0 || first + sel.length + (direction === 'down' ? 1 : 0) > p.model.cells.length) return;
  p.model.moveCells(first, sel.length, to);
  const active = p.view.activeIndex + (direction === 'up' ? -1 : 1);
  p.view.setActive(direction === 'up' ? to : to + sel.length - 1);
  p.view.setActive(active, true);
}

export function changeType(panel: NotebookPanel, type: CellType): void {
  const p = parts(panel);
  if (!p) return;
  const active = p.view.activeIndex;
  p.model.changeCellType(p.view.selectedIndices, type);
  p.view.setActive(active);
}

export function merge(panel: NotebookPanel): void {
  const p = parts(panel);
  if (!p) return;
  const first = p.view.selectedIndices[0]!;
  p.model.mergeCells(p.view.selectedIndices);
  p.view.setActive(first);
}

/** Split the active cell at its cursor (or selection ends), in edit mode. */
export function split(panel: NotebookPanel): void {
  const p = parts(panel);
  const editor = p?.view.activeView?.editor;
  if (!p || !editor) return;
  const sel = editor.view.state.selection.main;
  const offsets = sel.empty ? [sel.head] : [sel.from, sel.to];
  const index = p.view.activeIndex;
  const made = p.model.splitCell(index, offsets);
  p.view.setActive(index + made.length - 1);
  p.view.enterEdit('start');
}

export function undo(panel: NotebookPanel): void {
  panel.model?.undo();
}

export function redo(panel: NotebookPanel): void {
  panel.model?.redo();
}

export function select(panel: NotebookPanel, direction: 'up' | 'down', extend: boolean): void {
  const p = parts(panel);
  if (!p) return;
  p.view.setActive(p.view.activeIndex + (direction === 'up' ? -1 : 1), extend);
}

/** Toggle the input or outputs of the selection (metadata `jupyter.source_hidden` / `outputs_hidden`). */
export function toggleCollapse(panel: NotebookPanel, part: 'source' | 'outputs'): void {
  const p = parts(panel);
  if (!p) return;
  for (const i of p.view.selectedIndices) toggleCellCollapse(p.model.cells[i]!, part);
}

export function clearOutputs(panel: NotebookPanel, all: boolean): void {
  const p = parts(panel);
  if (!p) return;
  const indices = all ? p.model.cells.map((_, i) => i) : p.view.selectedIndices;
  for (const i of indices) {
    const cell = p.model.cells[i]!;
    if (cell.type !== 'code') continue;
    cell.outputs.clear();
    cell.executionCount = null;
  }
}
