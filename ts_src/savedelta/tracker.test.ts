import type * as nbformat from '@jupyterlab/nbformat';
import { describe, expect, it } from 'vitest';
import { NotebookModel } from '../notebook/model/notebook';
import { SaveTracker } from './tracker';

/** A notebook of `n` code cells with ids "id-0".."id-{n-1}" (no ids before nbformat 4.5). */
function notebook(n: number, minor = 5): NotebookModel {
  const cells: nbformat.ICodeCell[] = Array.from({ length: n }, (_, i) => ({
    cell_type: 'code',
    execution_count: 1,
    metadata: {},
    outputs: [{ output_type: 'stream', name: 'stdout', text: `o${i}\n` }],
    source: `c${i}`,
    ...(minor >= 5 ? { id: `id-${i}` } : {})
  }));
  return new NotebookModel({ cells, metadata: { kernelspec: { name: 'python3' } }, nbformat: 4, nbformat_minor: minor });
}

const sentIds = (changes: { cells: unknown[] }) => changes.cells.map((c) => (c as { id: string }).id);

describe('SaveTracker', () => {
  it('sends nothing but the cell count when nothing changed', () => {
    const tracker = new SaveTracker(notebook(3), true);
    expect(tracker.changes()?.changes).toEqual({ cell_count: 3, cells: [] });
  });

  it('sends a cell whose source, outputs, metadata or execution count changed, whole, and no order', () => {
    const model = notebook(5);
    const tracker = new SaveTracker(model, true);
    model.cells[1]!.source = 'edited';
    model.cells[2]!.outputs.add({ output_type: 'stream', name: 'stdout', text: 'more\n' });
    model.cells[3]!.setMetadata('tags', ['x']);
    model.cells[4]!.executionCount = 9;
    const delta = tracker.changes()!.changes;
    expect(sentIds(delta)).toEqual(['id-1', 'id-2', 'id-3', 'id-4']);
    expect(delta.cells[0]).toEqual(model.cells[1]!.toJSON());
    expect(delta.order).toBeUndefined();
    expect(delta.metadata).toBeUndefined();
  });

  it('ignores a change of run state only ([*] is not saved)', () => {
    const model = notebook(2);
    const tracker = new SaveTracker(model, true);
    model.cells[0]!.setRunState(true, true);
    expect(tracker.changes()!.changes.cells).toEqual([]);
  });

  it('sends inserted cells whole and the new order of ids after inserts, moves and deletes', () => {
    const model = notebook(4);
    const tracker = new SaveTracker(model, true);
    const fresh = model.createCell('markdown', '# new');
    model.insertCells(1, [fresh]);
    model.moveCells(4, 1, 0);
    model.deleteCells([3]);
    const delta = tracker.changes()!.changes;
    expect(delta.order).toEqual(['id-3', 'id-0', fresh.id, 'id-2']);
    expect(sentIds(delta)).toEqual([fresh.id]);
    expect(delta.cell_count).toBe(4);
  });

  it('sends a cell whose type changed (a new cell object with the same id)', () => {
    const model = notebook(2);
    const tracker = new SaveTracker(model, true);
    model.changeCellType([1], 'markdown');
    const delta = tracker.changes()!.changes;
    expect(delta.cells).toEqual([expect.objectContaining({ id: 'id-1', cell_type: 'markdown' })]);
    expect(delta.order).toBeUndefined();
  });

  it('sends the notebook metadata when it changed', () => {
    const model = notebook(1);
    const tracker = new SaveTracker(model, true);
    model.setMetadata('kernelspec', { name: 'other' });
    expect(tracker.changes()!.changes.metadata).toEqual({ kernelspec: { name: 'other' } });
  });

  it('after a commit, the saved version is the base; edits made while the save was in flight stay changed', () => {
    const model = notebook(3);
    const tracker = new SaveTracker(model, true);
    model.cells[0]!.source = 'first';
    model.setMetadata('k', 1);
    const inFlight = tracker.changes()!;
    model.cells[1]!.source = 'during the save';
    model.insertCells(3, [model.createCell('code', 'late')]);
    tracker.commit(inFlight.mark);
    const next = tracker.changes()!.changes;
    expect(sentIds(next)).toEqual(['id-1', model.cells[3]!.id]);
    expect(next.cell_count).toBe(3);
    expect(next.order).toEqual(['id-0', 'id-1', 'id-2', model.cells[3]!.id]);
    expect(next.metadata).toBeUndefined();
  });

  it('an edit of a deleted cell is sent when undo brings the cell back', () => {
    const model = notebook(2);
    const tracker = new SaveTracker(model, true);
    const cell = model.cells[1]!;
    model.deleteCells([1]);
    cell.outputs.add({ output_type: 'stream', name: 'stdout', text: 'late output\n' });
    model.undo();
    const delta = tracker.changes()!.changes;
    expect(delta.order).toBeUndefined();
    expect(delta.cells).toEqual([cell.toJSON()]);
  });

  it('asks for a whole save without a known base, until a whole save is committed', () => {
    const model = notebook(2);
    const tracker = new SaveTracker(model, false);
    expect(tracker.changes()).toBeNull();
    tracker.commit(tracker.mark());
    expect(tracker.changes()!.changes).toEqual({ cell_count: 2, cells: [] });
  });

  it('asks for a whole save for notebooks without cell ids or with duplicate ids', () => {
    expect(new SaveTracker(notebook(2, 4), true).changes()).toBeNull();
    const model = notebook(2);
    const tracker = new SaveTracker(model, true);
    const twin = model.cells[0]!.withType('code');
    model.insertCells(2, [twin]);
    expect(tracker.changes()).toBeNull();
  });

  it('stops following the model once disposed', () => {
    const model = notebook(1);
    const tracker = new SaveTracker(model, true);
    tracker.dispose();
    model.cells[0]!.source = 'after';
    expect(tracker.changes()!.changes.cells).toEqual([]);
  });
});
