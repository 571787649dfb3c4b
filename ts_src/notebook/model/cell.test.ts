import type * as nbformat from '@jupyterlab/nbformat';
import { describe, expect, it } from 'vitest';
import { CellChange, CellModel, newCellId } from './cell';

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

function codeCell(extra: Record<string, unknown> = {}): nbformat.ICodeCell {
  return {
    cell_type: 'code',
    execution_count: 3,
    id: 'cell-a',
    metadata: { tags: ['x'], collapsed: false },
    outputs: [
      { output_type: 'stream', name: 'stdout', text: ['hello\n', 'world\n'] },
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': ['42'] }, metadata: {} }
    ],
    source: ['x = 1\n', 'print(x)'],
    ...extra
  } as nbformat.ICodeCell;
}

function markdownCell(): nbformat.IMarkdownCell {
  return {
    cell_type: 'markdown',
    metadata: {},
    source: ['# Title\n', '![img](attachment:a.png)'],
    attachments: { 'a.png': { 'image/png': 'iVBORw0KGgo=' } }
  };
}

function recordChanges(cell: CellModel): CellChange[] {
  const seen: CellChange[] = [];
  cell.changed((what) => seen.push(what));
  return seen;
}

describe('CellModel loading and saving', () => {
  it('gives back exactly the JSON it was loaded from', () => {
    const json = codeCell();
    expect(new CellModel(structuredClone(json)).toJSON()).toStrictEqual(json);
    const md = markdownCell();
    expect(new CellModel(structuredClone(md)).toJSON()).toStrictEqual(md);
  });

  it('keeps keys it does not know, on the cell and on its outputs', () => {
    const json = codeCell({ future: 'yes', extra: { nested: [1, 2] } });
    (json.outputs[0] as Record<string, unknown>).extra = 'future';
    expect(new CellModel(structuredClone(json)).toJSON()).toStrictEqual(json);
  });

  it('keeps a source stored as one string a string', () => {
    const json = codeCell({ source: 'a = 1\nb = 2' });
    expect(new CellModel(json).toJSON().source).toBe('a = 1\nb = 2');
  });

  it('exposes the source as one string and the typed fields', () => {
    const cell = new CellModel(codeCell());
    expect(cell.type).toBe('code');
    expect(cell.id).toBe('cell-a');
    expect(cell.source).toBe('x = 1\nprint(x)');
    expect(cell.executionCount).toBe(3);
    expect(cell.metadata).toEqual({ tags: ['x'], collapsed: false });
    expect(cell.outputs.length).toBe(2);
  });

  it('writes an edited source as a string, and the loaded list again when edited back', () => {
    const cell = new CellModel(codeCell());
    cell.source = 'y = 2';
    expect(cell.toJSON()).toStrictEqual({ ...codeCell(), source: 'y = 2' });
    cell.source = 'x = 1\nprint(x)';
    expect(cell.toJSON().source).toEqual(['x = 1\n', 'print(x)']);
  });

  it('keeps a cell without an id without one', () => {
    const json = codeCell();
    delete json.id;
    const cell = new CellModel(json);
    expect(cell.id).toBeUndefined();
    expect('id' in cell.toJSON()).toBe(false);
  });

  it('reads the attachments of a markdown cell and saves them unchanged', () => {
    const cell = new CellModel(markdownCell());
    expect(cell.type).toBe('markdown');
    expect(cell.attachments).toEqual({ 'a.png': { 'image/png': 'iVBORw0KGgo=' } });
    expect(cell.toJSON()).toStrictEqual(markdownCell());
    expect(cell.outputs.length).toBe(0);
    expect('outputs' in cell.toJSON()).toBe(false);
  });

  it('shows an unknown (future) cell type as raw but saves it with its own type', () => {
    const json = { cell_type: 'future cell', id: 'future-10', metadata: {}, key: 'value' };
    const cell = new CellModel(json);
    expect(cell.type).toBe('raw');
    expect(cell.toJSON()).toStrictEqual(json);
  });

  it('is not affected by later changes to the JSON it was given or returned', () => {
    const json = codeCell();
    const cell = new CellModel(json);
    (json.metadata as Record<string, unknown>).tags = ['changed'];
    json.source = 'changed';
    const out = cell.toJSON();
    (out.metadata as Record<string, unknown>).collapsed = true;
    expect(cell.toJSON()).toStrictEqual(codeCell());
  });

  it('saves metadata changes and deletions', () => {
    const cell = new CellModel(codeCell());
    const seen = recordChanges(cell);
    cell.setMetadata('scrolled', true);
    cell.setMetadata('tags', undefined);
    cell.setMetadata('absent', undefined);
    expect(cell.toJSON().metadata).toEqual({ collapsed: false, scrolled: true });
    expect(seen).toEqual(['metadata', 'metadata']);
  });
});

describe('CellModel changes', () => {
  it('fires source, executionCount, outputs and state changes, and nothing for no-ops', () => {
    const cell = new CellModel(codeCell());
    const seen = recordChanges(cell);
    cell.source = 'x = 1\nprint(x)'; // unchanged
    cell.source = 'new';
    cell.executionCount = 3; // unchanged
    cell.executionCount = 4;
    cell.outputs.add({ output_type: 'stream', name: 'stderr', text: 'warn' });
    cell.setRunState(true, false);
    cell.setRunState(true, false); // unchanged
    cell.setRunState(false, true);
    expect(seen).toEqual(['source', 'executionCount', 'outputs', 'state', 'state']);
    expect(cell.pending).toBe(false);
    expect(cell.running).toBe(true);
  });

  it('saves new outputs and execution count', () => {
    const cell = new CellModel(codeCell());
    cell.outputs.clear();
    cell.outputs.add({ output_type: 'stream', name: 'stdout', text: 'hi\n' });
    cell.executionCount = 9;
    expect(cell.toJSON()).toStrictEqual({
      ...codeCell(),
      execution_count: 9,
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'hi\n' }]
    });
  });
});

describe('CellModel ids and creation', () => {
  it('makes valid, distinct nbformat 4.5 cell ids', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const id = newCellId();
      expect(id).toMatch(CELL_ID);
      ids.add(id);
    }
    expect(ids.size).toBe(1000);
  });

  it('creates empty cells of each type, with or without an id', () => {
    const code = CellModel.create('code');
    expect(code.id).toMatch(CELL_ID);
    expect(code.toJSON()).toStrictEqual({
      cell_type: 'code',
      id: code.id,
      metadata: {},
      source: '',
      outputs: [],
      execution_count: null
    });
    const md = CellModel.create('markdown', '# hi', false);
    expect(md.toJSON()).toStrictEqual({ cell_type: 'markdown', metadata: {}, source: '# hi' });
    const raw = CellModel.create('raw', 'raw text');
    expect(raw.toJSON()).toStrictEqual({ cell_type: 'raw', id: raw.id, metadata: {}, source: 'raw text' });
  });

  it('gives every cell object its own key', () => {
    const a = new CellModel(codeCell());
    const b = new CellModel(codeCell());
    expect(a.key).not.toBe(b.key);
    expect(a.withType('code').key).not.toBe(a.key);
  });
});

describe('CellModel.withType', () => {
  it('turns a code cell into markdown without outputs and execution count', () => {
    const code = new CellModel(codeCell({ future: 'yes' }));
    const md = code.withType('markdown');
    expect(md).not.toBe(code);
    expect(md.type).toBe('markdown');
    expect(md.toJSON()).toStrictEqual({
      cell_type: 'markdown',
      id: 'cell-a',
      metadata: { tags: ['x'], collapsed: false },
      source: ['x = 1\n', 'print(x)'],
      future: 'yes'
    });
    expect(md.outputs.length).toBe(0);
    // The original is untouched (undo puts it back).
    expect(code.toJSON()).toStrictEqual(codeCell({ future: 'yes' }));
  });

  it('turns markdown into code with empty outputs and no attachments', () => {
    const code = new CellModel(markdownCell()).withType('code');
    expect(code.toJSON()).toStrictEqual({
      cell_type: 'code',
      metadata: {},
      source: ['# Title\n', '![img](attachment:a.png)'],
      outputs: [],
      execution_count: null
    });
  });

  it('keeps attachments from markdown to raw', () => {
    const raw = new CellModel(markdownCell()).withType('raw');
    expect(raw.toJSON()).toStrictEqual({ ...markdownCell(), cell_type: 'raw' });
  });

  it('carries an edited source and metadata over', () => {
    const cell = new CellModel(codeCell());
    cell.source = 'edited';
    cell.setMetadata('k', 1);
    const md = cell.withType('markdown');
    expect(md.source).toBe('edited');
    expect(md.metadata).toEqual({ tags: ['x'], collapsed: false, k: 1 });
  });

  it('to the same type gives a copy without outputs', () => {
    const copy = new CellModel(codeCell()).withType('code');
    expect(copy.id).toBe('cell-a');
    expect(copy.outputs.length).toBe(0);
    expect(copy.executionCount).toBeNull();
  });
});
