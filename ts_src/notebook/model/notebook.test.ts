import type * as nbformat from '@jupyterlab/nbformat';
import { describe, expect, it } from 'vitest';
import { CellModel } from './cell';
import { CellsChange, NotebookFormatError, NotebookModel } from './notebook';

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

function code(source: string, id?: string, outputs: nbformat.IOutput[] = []): nbformat.ICodeCell {
  const cell: nbformat.ICodeCell = {
    cell_type: 'code',
    execution_count: outputs.length ? 1 : null,
    metadata: {},
    outputs,
    source
  };
  if (id !== undefined) cell.id = id;
  return cell;
}

function markdown(source: string, id?: string): nbformat.IMarkdownCell {
  const cell: nbformat.IMarkdownCell = { cell_type: 'markdown', metadata: {}, source };
  if (id !== undefined) cell.id = id;
  return cell;
}

function out(text: string): nbformat.IStream {
  return { output_type: 'stream', name: 'stdout', text };
}

/** A 4.5 notebook of `n` code cells "c0".."c{n-1}", each with one output. */
function notebookJSON(n: number, minor = 5): nbformat.INotebookContent {
  const cells = Array.from({ length: n }, (_, i) => code(`c${i}`, minor >= 5 ? `id-${i}` : undefined, [out(`o${i}\n`)]));
  return {
    cells,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    nbformat: 4,
    nbformat_minor: minor
  };
}

function sources(model: NotebookModel): string[] {
  return model.cells.map((c) => c.source);
}

function expectFormatError(json: unknown, message: RegExp): void {
  let error: unknown;
  try {
    new NotebookModel(json);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(NotebookFormatError);
  expect((error as Error).name).toBe('NotebookFormatError');
  expect((error as Error).message).toMatch(message);
}

describe('NotebookModel loading', () => {
  it('rejects what is not a notebook object', () => {
    for (const bad of [null, undefined, 42, 'text', true, [], [notebookJSON(1)]]) {
      expectFormatError(bad, /not hold a notebook object/);
    }
  });

  it('rejects nbformat 3 and other versions, naming the version', () => {
    expectFormatError({ nbformat: 3, nbformat_minor: 0, metadata: {}, worksheets: [] }, /format 3\b.*nbformat 4/);
    expectFormatError({ nbformat: 2, metadata: {}, worksheets: [] }, /format 2\b/);
    expectFormatError({ nbformat: 5, nbformat_minor: 0, metadata: {}, cells: [] }, /format 5\b/);
    expectFormatError({ nbformat: '4', nbformat_minor: 0, metadata: {}, cells: [] }, /format 4\b/);
    expectFormatError({ metadata: {}, cells: [] }, /format undefined/);
  });

  it('rejects a notebook without a cells list', () => {
    expectFormatError({ nbformat: 4, nbformat_minor: 4, metadata: {} }, /no cells list/);
    expectFormatError({ nbformat: 4, nbformat_minor: 4, metadata: {}, cells: {} }, /no cells list/);
  });

  it('rejects a cell that is not a cell object, naming which', () => {
    const json = notebookJSON(2);
    for (const bad of [null, 42, 'x = 1', ['x'], { source: 'no type' }, { cell_type: 7 }]) {
      expectFormatError({ ...json, cells: [...json.cells, bad] }, /Cell 3 is not a cell object/);
    }
  });

  it('reads cells, metadata and version', () => {
    const model = new NotebookModel(notebookJSON(3));
    expect(model.nbformat).toBe(4);
    expect(model.nbformatMinor).toBe(5);
    expect(model.usesCellIds).toBe(true);
    expect(sources(model)).toEqual(['c0', 'c1', 'c2']);
    expect(model.cells.map((c) => c.id)).toEqual(['id-0', 'id-1', 'id-2']);
    expect(model.metadata).toEqual({ kernelspec: { name: 'python3', display_name: 'Python 3' } });
    expect(model.dirty).toBe(false);
    expect(model.canUndo).toBe(false);
    expect(model.canRedo).toBe(false);
  });

  it('gives back exactly what it loaded, unknown keys included', () => {
    const json = { ...notebookJSON(2), future_key: { a: 1 } };
    (json.cells[0] as Record<string, unknown>).extra = 5;
    expect(new NotebookModel(structuredClone(json)).toJSON()).toStrictEqual(json);
  });

  it('accepts an empty cells list', () => {
    const model = new NotebookModel({ nbformat: 4, nbformat_minor: 2, metadata: {}, cells: [] });
    expect(model.cells).toHaveLength(0);
    expect(model.toJSON()).toStrictEqual({ nbformat: 4, nbformat_minor: 2, metadata: {}, cells: [] });
  });

  it('makes an empty notebook with one empty code cell', () => {
    const model = NotebookModel.empty({ name: 'python3', display_name: 'Python 3' });
    expect(model.cells).toHaveLength(1);
    const json = model.toJSON();
    expect(json.nbformat).toBe(4);
    expect(json.nbformat_minor).toBe(5);
    expect(json.metadata).toEqual({ kernelspec: { name: 'python3', display_name: 'Python 3' } });
    expect(json.cells[0]).toEqual({
      cell_type: 'code',
      id: expect.stringMatching(CELL_ID),
      metadata: {},
      source: '',
      outputs: [],
      execution_count: null
    });
    expect(model.dirty).toBe(false);
    expect(model.canUndo).toBe(false);
  });
});

describe('NotebookModel cell ids', () => {
  it('gives new cells a valid id in a 4.5 notebook', () => {
    const model = new NotebookModel(notebookJSON(1, 5));
    const cell = model.createCell('markdown', 'hi');
    expect(cell.id).toMatch(CELL_ID);
    model.insertCells(1, [cell]);
    expect(model.toJSON().cells[1]).toStrictEqual({ cell_type: 'markdown', id: cell.id, metadata: {}, source: 'hi' });
  });

  it('gives new cells no id in a 4.4 notebook', () => {
    const model = new NotebookModel(notebookJSON(1, 4));
    expect(model.usesCellIds).toBe(false);
    model.insertCells(0, [model.createCell('code')]);
    expect('id' in model.toJSON().cells[0]!).toBe(false);
  });

  it('gives the cells made by split ids only where the format has them', () => {
    const with45 = new NotebookModel(notebookJSON(1, 5));
    const parts45 = with45.splitCell(0, [1]);
    expect(parts45.map((c) => c.id)).toEqual(['id-0', expect.stringMatching(CELL_ID)]);
    expect(parts45[1]!.id).not.toBe('id-0');

    const with44 = new NotebookModel(notebookJSON(1, 4));
    const parts44 = with44.splitCell(0, [1]);
    expect(parts44.map((c) => c.id)).toEqual([undefined, undefined]);
    expect(with44.toJSON().cells.some((c) => 'id' in c)).toBe(false);
  });
});

describe('NotebookModel cell operations with undo and redo', () => {
  it('inserts cells and undoes the insert', () => {
    const model = new NotebookModel(notebookJSON(2));
    const before = model.toJSON();
    const changes: CellsChange[] = [];
    model.cellsChanged((c) => changes.push(c));
    const a = model.createCell('code', 'new');
    model.insertCells(1, [a]);
    expect(sources(model)).toEqual(['c0', 'new', 'c1']);
    expect(model.cells[1]).toBe(a);
    expect(changes).toEqual([{ index: 1, removed: [], inserted: [a] }]);

    expect(model.undo()).toBe(true);
    expect(model.toJSON()).toStrictEqual(before);
    expect(model.redo()).toBe(true);
    expect(model.cells[1]).toBe(a);
  });

  it('clamps an insert index to the notebook', () => {
    const model = new NotebookModel(notebookJSON(2));
    model.insertCells(99, [model.createCell('code', 'end')]);
    model.insertCells(-5, [model.createCell('code', 'start')]);
    expect(sources(model)).toEqual(['start', 'c0', 'c1', 'end']);
  });

  it('undoes a delete of three cells, putting the same cells back at their indices with their outputs', () => {
    const model = new NotebookModel(notebookJSON(6));
    const before = model.toJSON();
    const cells = [...model.cells];
    const removed = model.deleteCells([4, 1, 3]);
    expect(removed).toEqual([cells[1], cells[3], cells[4]]);
    expect(sources(model)).toEqual(['c0', 'c2', 'c5']);

    expect(model.undo()).toBe(true);
    expect(model.cells).toEqual(cells);
    model.cells.forEach((c, i) => expect(c).toBe(cells[i]));
    expect(model.cells[3]!.outputs.toJSON()).toEqual([out('o3\n')]);
    expect(model.toJSON()).toStrictEqual(before);
    expect(model.canUndo).toBe(false);

    expect(model.redo()).toBe(true);
    expect(sources(model)).toEqual(['c0', 'c2', 'c5']);
  });

  it('ignores duplicate and out-of-range indices when deleting', () => {
    const model = new NotebookModel(notebookJSON(3));
    expect(model.deleteCells([1, 1, 7, -1])).toHaveLength(1);
    expect(sources(model)).toEqual(['c0', 'c2']);
    model.undo();
    expect(sources(model)).toEqual(['c0', 'c1', 'c2']);
  });

  it('leaves one empty code cell when every cell is deleted, and undo brings all back in one step', () => {
    const model = new NotebookModel(notebookJSON(3));
    const before = model.toJSON();
    model.deleteCells([0, 1, 2]);
    expect(model.cells).toHaveLength(1);
    const json = model.toJSON().cells[0];
    expect(json).toStrictEqual({
      cell_type: 'code',
      id: expect.stringMatching(CELL_ID),
      metadata: {},
      source: '',
      outputs: [],
      execution_count: null
    });
    expect(model.undo()).toBe(true);
    expect(model.toJSON()).toStrictEqual(before);
    expect(model.canUndo).toBe(false);
  });

  it('moves a cell up and down, and undo restores the order', () => {
    const model = new NotebookModel(notebookJSON(4));
    const cells = [...model.cells];
    model.moveCells(2, 1, 1); // move up
    expect(sources(model)).toEqual(['c0', 'c2', 'c1', 'c3']);
    model.moveCells(0, 1, 1); // move down
    expect(sources(model)).toEqual(['c2', 'c0', 'c1', 'c3']);
    expect(model.cells[0]).toBe(cells[2]);
    model.undo();
    expect(sources(model)).toEqual(['c0', 'c2', 'c1', 'c3']);
    model.undo();
    expect(model.cells).toEqual(cells);
    expect(model.canUndo).toBe(false);
  });

  it('moves a block of cells and clamps the target', () => {
    const model = new NotebookModel(notebookJSON(5));
    model.moveCells(0, 2, 3);
    expect(sources(model)).toEqual(['c2', 'c3', 'c4', 'c0', 'c1']);
    model.moveCells(3, 2, 99);
    expect(sources(model)).toEqual(['c2', 'c3', 'c4', 'c0', 'c1']);
    model.moveCells(3, 2, 0);
    expect(sources(model)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('does nothing (and records no undo step) for moves that go nowhere', () => {
    const model = new NotebookModel(notebookJSON(3));
    model.moveCells(0, 1, 0);
    model.moveCells(0, 0, 2);
    model.moveCells(2, 2, 0); // past the end
    model.moveCells(-1, 1, 0);
    model.moveCells(0, 1, -3); // clamped to 0: no move
    expect(sources(model)).toEqual(['c0', 'c1', 'c2']);
    expect(model.canUndo).toBe(false);
    expect(model.dirty).toBe(false);
  });

  it('merges two cells with a blank line between sources, and undo restores both with outputs', () => {
    const model = new NotebookModel(notebookJSON(3));
    const before = model.toJSON();
    const cells = [...model.cells];
    model.mergeCells([0, 1]);
    expect(sources(model)).toEqual(['c0\n\nc1', 'c2']);
    const merged = model.toJSON().cells[0] as nbformat.ICodeCell;
    expect(merged.id).toBe('id-0');
    expect(merged.outputs).toEqual([]);
    expect(merged.execution_count).toBeNull();

    model.undo();
    expect(model.toJSON()).toStrictEqual(before);
    expect(model.cells[0]).toBe(cells[0]);
    expect(model.cells[1]).toBe(cells[1]);
    expect(model.cells[1]!.outputs.toJSON()).toEqual([out('o1\n')]);

    model.redo();
    expect(sources(model)).toEqual(['c0\n\nc1', 'c2']);
  });

  it('merges one cell with the next, and several non-adjacent cells into the first', () => {
    const model = new NotebookModel(notebookJSON(5));
    model.mergeCells([1]);
    expect(sources(model)).toEqual(['c0', 'c1\n\nc2', 'c3', 'c4']);
    model.mergeCells([3, 0]);
    expect(sources(model)).toEqual(['c0\n\nc4', 'c1\n\nc2', 'c3']);
    model.undo();
    model.undo();
    expect(sources(model)).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
  });

  it('keeps the attachments of every merged markdown cell', () => {
    const a: nbformat.IMarkdownCell = {
      ...markdown('![a](attachment:a.png)', 'm0'),
      attachments: { 'a.png': { 'image/png': 'AAAA' } }
    };
    const b: nbformat.IMarkdownCell = {
      ...markdown('![b](attachment:b.png)', 'm1'),
      attachments: { 'b.png': { 'image/png': 'BBBB' } }
    };
    const json = { ...notebookJSON(0), cells: [a, markdown('text', 'm2'), b] };
    const model = new NotebookModel(structuredClone(json));
    model.mergeCells([0, 1, 2]);
    expect(model.toJSON().cells).toStrictEqual([
      {
        cell_type: 'markdown',
        id: 'm0',
        metadata: {},
        source: '![a](attachment:a.png)\n\ntext\n\n![b](attachment:b.png)',
        attachments: { 'a.png': { 'image/png': 'AAAA' }, 'b.png': { 'image/png': 'BBBB' } }
      }
    ]);
    model.undo();
    expect(model.toJSON()).toStrictEqual(json);
  });

  it('merges markdown cells without attachments into a cell without attachments', () => {
    const model = new NotebookModel({ ...notebookJSON(0), cells: [markdown('a', 'm0'), markdown('b', 'm1')] });
    model.mergeCells([0, 1]);
    expect(model.toJSON().cells).toStrictEqual([{ cell_type: 'markdown', id: 'm0', metadata: {}, source: 'a\n\nb' }]);
  });

  it('merges a markdown cell and a code cell into a markdown cell, dropping the outputs', () => {
    const model = new NotebookModel({ ...notebookJSON(2), cells: [markdown('# T', 'm0'), code('x', 'c', [out('1')])] });
    model.mergeCells([0, 1]);
    expect(model.toJSON().cells).toStrictEqual([{ cell_type: 'markdown', id: 'm0', metadata: {}, source: '# T\n\nx' }]);
  });

  it('does nothing when merging only the last cell', () => {
    const model = new NotebookModel(notebookJSON(2));
    model.mergeCells([1]);
    model.mergeCells([]);
    expect(sources(model)).toEqual(['c0', 'c1']);
    expect(model.canUndo).toBe(false);
  });

  it('splits a cell at the cursor, outputs going with the last part, and undo restores it', () => {
    const json = notebookJSON(2);
    json.cells[0] = code('import os\nprint(os.sep)', 'id-0', [out('/\n')]);
    (json.cells[0] as nbformat.ICodeCell).execution_count = 4;
    const model = new NotebookModel(json);
    const original = model.cells[0]!;
    const parts = model.splitCell(0, ['import os'.length]);
    expect(parts).toHaveLength(2);
    expect(sources(model)).toEqual(['import os', 'print(os.sep)', 'c1']);
    const [first, second] = model.toJSON().cells as nbformat.ICodeCell[];
    expect(first).toMatchObject({ id: 'id-0', outputs: [], execution_count: null });
    expect(second).toMatchObject({ outputs: [out('/\n')], execution_count: 4 });

    model.undo();
    expect(model.cells[0]).toBe(original);
    expect(model.toJSON()).toStrictEqual(json);
    model.redo();
    expect(sources(model)).toEqual(['import os', 'print(os.sep)', 'c1']);
  });

  it('splits at several offsets, and at the ends makes an empty cell', () => {
    const model = new NotebookModel({ ...notebookJSON(0), cells: [markdown('aa\nbb\ncc', 'm')] });
    model.splitCell(0, [5, 2]);
    expect(sources(model)).toEqual(['aa', 'bb', 'cc']);
    expect(model.cells.map((c) => c.type)).toEqual(['markdown', 'markdown', 'markdown']);
    model.undo();
    model.splitCell(0, [0]);
    expect(sources(model)).toEqual(['', 'aa\nbb\ncc']);
    model.undo();
    model.splitCell(0, ['aa\nbb\ncc'.length]);
    expect(sources(model)).toEqual(['aa\nbb\ncc', '']);
  });

  it('does nothing when splitting with no valid offset or a missing cell', () => {
    const model = new NotebookModel(notebookJSON(1));
    expect(model.splitCell(0, [])).toEqual([]);
    expect(model.splitCell(0, [-1, 99])).toEqual([]);
    expect(model.splitCell(5, [0])).toEqual([]);
    expect(model.canUndo).toBe(false);
  });

  it('keeps the outputs of a split cell exactly as they were', () => {
    const outputs: nbformat.IOutput[] = [
      { output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] },
      { output_type: 'stream', name: 'stdout', text: ['c\n'] },
      { output_type: 'display_data', data: { 'text/plain': ['x'] }, metadata: {} }
    ];
    const model = new NotebookModel({ ...notebookJSON(0), cells: [code('one\ntwo', 'k', structuredClone(outputs))] });
    model.splitCell(0, [3]);
    expect((model.toJSON().cells[1] as nbformat.ICodeCell).outputs).toStrictEqual(outputs);
  });

  it('changes code to markdown without outputs, and undo brings the code cell back with outputs', () => {
    const model = new NotebookModel(notebookJSON(2));
    const before = model.toJSON();
    const codeCell = model.cells[0]!;
    model.changeCellType([0], 'markdown');
    expect(model.cells[0]!.type).toBe('markdown');
    expect(model.toJSON().cells[0]).toStrictEqual({ cell_type: 'markdown', id: 'id-0', metadata: {}, source: 'c0' });

    model.undo();
    expect(model.cells[0]).toBe(codeCell);
    expect(model.toJSON()).toStrictEqual(before);
    model.redo();
    expect(model.cells[0]!.type).toBe('markdown');
  });

  it('changes several cells in one undo step and skips cells already of that type', () => {
    const json = notebookJSON(3);
    json.cells[1] = markdown('m', 'id-1');
    const model = new NotebookModel(json);
    const mdCell = model.cells[1]!;
    model.changeCellType([0, 1, 2], 'markdown');
    expect(model.cells.map((c) => c.type)).toEqual(['markdown', 'markdown', 'markdown']);
    expect(model.cells[1]).toBe(mdCell);
    model.undo();
    expect(model.toJSON()).toStrictEqual(json);
    expect(model.canUndo).toBe(false);
  });

  it('records no undo step for a change to the same type', () => {
    const model = new NotebookModel(notebookJSON(1));
    model.changeCellType([0], 'code');
    expect(model.canUndo).toBe(false);
    expect(model.dirty).toBe(false);
  });

  it('undoes and redoes a sequence of operations in order', () => {
    const model = new NotebookModel(notebookJSON(3));
    const states: unknown[] = [model.toJSON()];
    model.insertCells(0, [model.createCell('markdown', 'title')]);
    states.push(model.toJSON());
    model.moveCells(3, 1, 1);
    states.push(model.toJSON());
    model.changeCellType([2], 'raw');
    states.push(model.toJSON());
    model.deleteCells([0]);
    states.push(model.toJSON());
    model.mergeCells([0, 1]);
    states.push(model.toJSON());

    for (let i = states.length - 2; i >= 0; i--) {
      expect(model.undo()).toBe(true);
      expect(model.toJSON()).toStrictEqual(states[i]);
    }
    expect(model.undo()).toBe(false);
    for (let i = 1; i < states.length; i++) {
      expect(model.redo()).toBe(true);
      expect(model.toJSON()).toStrictEqual(states[i]);
    }
    expect(model.redo()).toBe(false);
  });

  it('clears the redo stack on a new operation', () => {
    const model = new NotebookModel(notebookJSON(3));
    model.deleteCells([0]);
    model.undo();
    expect(model.canRedo).toBe(true);
    model.moveCells(0, 1, 2);
    expect(model.canRedo).toBe(false);
    expect(model.redo()).toBe(false);
    expect(sources(model)).toEqual(['c1', 'c2', 'c0']);
  });

  it('groups the operations of a transaction into one undo step, also when nested', () => {
    const model = new NotebookModel(notebookJSON(3));
    const before = model.toJSON();
    model.transact(() => {
      model.insertCells(0, [model.createCell('code', 'x')]);
      model.transact(() => {
        model.deleteCells([2]);
        model.moveCells(0, 1, 2);
      });
      model.changeCellType([0], 'markdown');
    });
    expect(sources(model)).toEqual(['c0', 'c2', 'x']);
    model.undo();
    expect(model.toJSON()).toStrictEqual(before);
    expect(model.canUndo).toBe(false);
  });

  it('records no undo step for an empty transaction', () => {
    const model = new NotebookModel(notebookJSON(1));
    model.transact(() => undefined);
    expect(model.canUndo).toBe(false);
  });

  it('fires cellsChanged for undo and redo so views can follow', () => {
    const model = new NotebookModel(notebookJSON(3));
    const cells = [...model.cells];
    model.deleteCells([1]);
    const changes: CellsChange[] = [];
    model.cellsChanged((c) => changes.push(c));
    model.undo();
    model.redo();
    expect(changes).toEqual([
      { index: 1, removed: [], inserted: [cells[1]] },
      { index: 1, removed: [cells[1]], inserted: [] }
    ]);
  });
});

describe('NotebookModel dirty flag and changes', () => {
  it('becomes dirty on a cell operation, an edit or a metadata change, and clean when told', () => {
    const model = new NotebookModel(notebookJSON(2));
    const flips: boolean[] = [];
    let content = 0;
    model.dirtyChanged((d) => flips.push(d));
    model.contentChanged(() => content++);

    model.cells[0]!.source = 'edited';
    expect(model.dirty).toBe(true);
    model.dirty = false;
    model.cells[1]!.outputs.add(out('x'));
    expect(model.dirty).toBe(true);
    model.dirty = false;
    model.setMetadata('title', 'T');
    expect(model.dirty).toBe(true);
    model.dirty = false;
    model.insertCells(0, [model.createCell('code')]);
    expect(model.dirty).toBe(true);
    model.dirty = false;
    model.undo();
    expect(model.dirty).toBe(true);

    expect(flips).toEqual([true, false, true, false, true, false, true, false, true]);
    expect(content).toBeGreaterThanOrEqual(5);
  });

  it('does not become dirty when a cell only changes run state', () => {
    const model = new NotebookModel(notebookJSON(1));
    model.cells[0]!.setRunState(true, true);
    expect(model.dirty).toBe(false);
  });

  it('ignores edits to a cell once it is deleted, and follows it again when undo brings it back', () => {
    const model = new NotebookModel(notebookJSON(2));
    const cell = model.cells[0]!;
    model.deleteCells([0]);
    model.dirty = false;
    cell.source = 'edited while deleted';
    expect(model.dirty).toBe(false);
    model.undo();
    model.dirty = false;
    cell.source = 'edited again';
    expect(model.dirty).toBe(true);
    expect(model.toJSON().cells[0]!.source).toBe('edited again');
  });

  it('follows cells it did not load: inserted and created by operations', () => {
    const model = new NotebookModel(notebookJSON(2));
    const cell = new CellModel({ cell_type: 'code', metadata: {}, source: '', outputs: [], execution_count: null });
    model.insertCells(0, [cell]);
    model.mergeCells([1, 2]);
    model.dirty = false;
    cell.source = 'x';
    expect(model.dirty).toBe(true);
    model.dirty = false;
    model.cells[1]!.source = 'merged edit';
    expect(model.dirty).toBe(true);
  });

  it('saves metadata changes and deletions', () => {
    const model = new NotebookModel(notebookJSON(1));
    model.setMetadata('kernelspec', undefined);
    model.setMetadata('language_info', { name: 'python' });
    expect(model.toJSON().metadata).toStrictEqual({ language_info: { name: 'python' } });
  });
});
