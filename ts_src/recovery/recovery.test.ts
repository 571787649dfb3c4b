import type { Contents } from '@jupyterlab/services';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../core/emitter';
import { DocumentContext } from '../docmanager/context';
import { cellDifferences, lineDifference } from './diff';
import { RECOVERY_DELAY_MS, RecoveryKeeper } from './keeper';
import { MemoryRecoveryStore, overLimits, RecoveryRecord } from './store';
import { assemble } from './parts';
import { CellModel } from '../notebook/model/cell';
import { NotebookModel } from '../notebook/model/notebook';
import { SaveTracker } from '../savedelta/tracker';

const cell = (id: string, source: string, type = 'code') => ({ id, cell_type: type, source, metadata: {}, outputs: [] });

describe('cellDifferences', () => {
  it('lists changed, added and removed cells by id', () => {
    const disk = { cells: [cell('a', 'x = 1'), cell('b', 'y = 2'), cell('c', '# gone', 'markdown')] };
    const kept = { cells: [cell('a', 'x = 1'), cell('b', 'y = 3'), cell('d', 'new()')] };
    expect(cellDifferences(disk, kept)).toEqual([
      { index: 2, kind: 'changed', cellType: 'code', preview: 'y = 3' },
      { index: 3, kind: 'added', cellType: 'code', preview: 'new()' },
      { index: 3, kind: 'removed', cellType: 'markdown', preview: '# gone' }
    ]);
  });

  it('matches by position without ids, and finds nothing when equal', () => {
    const a = { cells: [{ cell_type: 'code', source: ['a\n', 'b'] }] };
    expect(cellDifferences(a, { cells: [{ cell_type: 'code', source: 'a\nb' }] })).toEqual([]);
    expect(cellDifferences(a, { cells: [{ cell_type: 'code', source: 'c' }, { cell_type: 'raw', source: 'r' }] })).toEqual([
      { index: 1, kind: 'changed', cellType: 'code', preview: 'c' },
      { index: 2, kind: 'added', cellType: 'raw', preview: 'r' }
    ]);
  });
});

describe('lineDifference', () => {
  it('gives the differing stretch of lines', () => {
    expect(lineDifference('a\nb\nc\n', 'a\nB\nB2\nc\n')).toEqual({ firstLine: 2, diskLines: 1, keptLines: 2 });
    expect(lineDifference('same', 'same')).toBeNull();
  });
});

describe('store limits', () => {
  it('drops the oldest records beyond the count and size limits, never the one just kept', () => {
    const r = (key: string, time: number, size: number): RecoveryRecord => ({
      key, path: key, type: 'file', format: 'text', json: 'x'.repeat(size), baseLastModified: null, time
    });
    const records = [r('old', 1, 10), r('mid', 2, 10), r('new', 3, 10), r('kept', 0, 10)];
    expect(overLimits(records, 'kept', { records: 3, totalBytes: 1000, recordBytes: 1000 })).toEqual(['old']);
    expect(overLimits(records, 'kept', { records: 10, totalBytes: 25, recordBytes: 1000 })).toEqual(['mid', 'old']);
  });
});

describe('RecoveryKeeper', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const contents = {
      get: async (path: string) => ({ path, last_modified: '2026-01-01T00:00:00Z', content: 'disk' }),
      save: async (path: string) => ({ path, last_modified: '2026-01-01T00:00:05Z' })
    } as unknown as Contents.IManager;
    const context = new DocumentContext('a.txt', contents, () => false, async () => 'save');
    const edited = new Emitter<void>();
    const doc = { text: 'disk', saved: 'disk' };
    context.bind({
      type: 'file',
      format: 'text',
      get dirty() {
        return doc.text !== doc.saved;
      },
      loadError: null,
      snapshot: () => {
        const text = doc.text;
        return { content: text, commit: () => (doc.saved = text) };
      },
      reload: async () => undefined,
      changed: (l) => edited.event(l)
    });
    const store = new MemoryRecoveryStore();
    const keeper = new RecoveryKeeper(store, 'http://x/');
    const tracking = keeper.track(context);
    const type = async (text: string) => {
      doc.text = text;
      edited.emit();
      await vi.advanceTimersByTimeAsync(RECOVERY_DELAY_MS);
    };
    return { context, store, keeper, type, tracking };
  }

  it('keeps edits within a second of typing and drops them once saved', async () => {
    const { context, store, keeper, type } = setup();
    await context.fetch();
    await type('edited');
    const record = await store.get(keeper.keyOf('a.txt'));
    expect(JSON.parse(record!.json)).toBe('edited');
    expect(record!.baseLastModified).toBe('2026-01-01T00:00:00Z');
    await context.save();
    await vi.advanceTimersByTimeAsync(RECOVERY_DELAY_MS);
    expect(await store.get(keeper.keyOf('a.txt'))).toBeUndefined();
  });

  it('batches a burst of edits into one write', async () => {
    const { store, type } = setup();
    const put = vi.spyOn(store, 'put');
    const pending = Promise.all([type('e1'), type('e12'), type('e123')]);
    await pending;
    expect(put).toHaveBeenCalledTimes(1);
    expect(JSON.parse(put.mock.calls[0]![0].json)).toBe('e123');
  });

  it('lets go of a document once its tab is closed, even one closed while a write was running', async () => {
    // Opening and closing many notebooks in one page must not keep each one's model alive.
    const { context, keeper, type, tracking } = setup();
    await context.fetch();
    await type('edited');
    await context.save();
    await vi.advanceTimersByTimeAsync(RECOVERY_DELAY_MS);
    const writing = keeper.flush(context);
    tracking.dispose();
    await writing;
    expect(keeper.heldDocuments).toBe(0);
  });
});

describe('RecoveryKeeper with a notebook kept cell by cell', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function notebookJSON(n: number) {
    return {
      cells: Array.from({ length: n }, (_, i) => ({
        cell_type: 'code',
        id: `id-${i}`,
        execution_count: 1,
        metadata: {},
        outputs: [{ output_type: 'stream', name: 'stdout', text: `o${i}\n` }],
        source: `c${i}`
      })),
      metadata: { kernelspec: { name: 'python3' } },
      nbformat: 4,
      nbformat_minor: 5
    };
  }

  function setup(n = 20) {
    const disk = notebookJSON(n);
    const contents = {
      get: async (path: string) => ({ path, last_modified: '2026-01-01T00:00:00Z', content: disk }),
      save: async (path: string) => ({ path, last_modified: '2026-01-01T00:00:05Z' })
    } as unknown as Contents.IManager;
    const context = new DocumentContext('a.ipynb', contents, () => false, async () => 'save');
    const model = new NotebookModel(structuredClone(disk));
    const tracker = new SaveTracker(model, true);
    const edited = new Emitter<void>();
    model.contentChanged(() => edited.emit());
    context.bind({
      type: 'notebook',
      format: 'json',
      get dirty() {
        return model.dirty;
      },
      loadError: null,
      snapshot: () => {
        const mark = tracker.mark();
        return { content: model.toJSON(), commit: () => ((model.dirty = false), tracker.commit(mark)) };
      },
      parts: () => tracker.parts(),
      reload: async () => undefined,
      changed: (l) => edited.event(l)
    });
    const store = new MemoryRecoveryStore();
    const keeper = new RecoveryKeeper(store, 'http://x/');
    keeper.track(context);
    const put = vi.spyOn(store, 'put');
    /** The names of the parts the last write put. */
    const lastPut = () => (put.mock.calls.at(-1)![1] ?? []).map((p) => p.name.split(':')[1]);
    const kept = async (diskNow: unknown = disk, sameBase = true) => {
      const record = (await store.get(keeper.keyOf('a.ipynb')))!;
      expect(record.parts).toBe(1);
      return assemble(JSON.parse(record.json), await store.parts(record.key), diskNow, sameBase);
    };
    const settle = () => vi.advanceTimersByTimeAsync(RECOVERY_DELAY_MS);
    return { context, model, store, keeper, put, lastPut, kept, settle, disk };
  }

  it('keeps only the edited cell, without its unchanged outputs, and restores the notebook exactly', async () => {
    const { context, model, lastPut, kept, settle } = setup();
    await context.fetch();
    model.cells[3]!.source = 'edited';
    await settle();
    expect(lastPut()).toEqual([`c${model.cells[3]!.key}`]);
    expect((await kept()).notebook).toEqual(model.toJSON());
  });

  it('writes only what changed since its last write: another cell, then outputs once, never the outputs again for a source edit', async () => {
    const { context, model, lastPut, kept, settle } = setup();
    await context.fetch();
    const [, a, b] = model.cells;
    a!.source = 'one';
    await settle();
    b!.source = 'two';
    await settle();
    expect(lastPut()).toEqual([`c${b!.key}`]);
    b!.outputs.add({ output_type: 'stream', name: 'stdout', text: 'more\n' });
    await settle();
    expect(lastPut()).toEqual([`c${b!.key}`, `o${b!.key}`]);
    b!.source = 'two!';
    await settle();
    expect(lastPut()).toEqual([`c${b!.key}`]);
    model.insertCells(0, [CellModel.create('markdown', '# new')]);
    await settle();
    expect(lastPut()).toEqual([`c${model.cells[0]!.key}`]);
    expect((await kept()).notebook).toEqual(model.toJSON());
  });

  it('takes unchanged cells from a file changed since by id, leaving out cells it lost', async () => {
    const { context, model, kept, settle, disk } = setup(4);
    await context.fetch();
    model.cells[0]!.source = 'mine';
    await settle();
    const theirs = structuredClone(disk);
    theirs.cells[2]!.source = 'theirs';
    theirs.cells.splice(3, 1);
    const { notebook, missing } = await kept(theirs, false);
    expect((notebook.cells as { source: string }[]).map((c) => c.source)).toEqual(['mine', 'c1', 'theirs']);
    expect(missing).toBe(1);
  });

  it('drops the copy and its parts once saved', async () => {
    const { context, model, store, keeper, settle } = setup();
    await context.fetch();
    model.cells[1]!.source = 'edited';
    await settle();
    await context.save();
    await settle();
    expect(await store.get(keeper.keyOf('a.ipynb'))).toBeUndefined();
    expect((await store.parts(keeper.keyOf('a.ipynb'))).size).toBe(0);
  });
});

describe('assemble: the kept notebook onto a file changed since', () => {
  const code = (id: string, source: string) => ({ cell_type: 'code', id, source, metadata: {}, outputs: [], execution_count: null });
  const skeleton = { metadata: {}, cells: [{ base: 0, id: 'a' }, { cell: 'p1' }, { base: 2, id: 'c' }] };
  const parts = new Map([['p1', JSON.stringify({ ...code('b', 'mine'), outputs: null })]]);
  const sources = (nb: Record<string, unknown>) => (nb.cells as { source: string }[]).map((c) => c.source);

  it('takes unedited cells by id, and counts those the file no longer has', () => {
    const disk = { cells: [code('b', 'theirs'), code('c', 'z')] };
    const { notebook, missing } = assemble(skeleton, parts, disk, false);
    expect(sources(notebook)).toEqual(['mine', 'z']);
    expect(missing).toBe(1);
  });

  it('matches by place when every id was rewritten and the number of cells is the same', () => {
    const disk = { cells: [code('x', 'x'), code('y', 'theirs'), code('z', 'z')] };
    const { notebook, missing } = assemble(skeleton, parts, disk, false);
    expect(sources(notebook)).toEqual(['x', 'mine', 'z']);
    expect(missing).toBe(0);
  });

  it('does not guess by place when the number of cells changed', () => {
    const disk = { cells: [code('y', 'theirs'), code('z', 'z')] };
    const { notebook, missing } = assemble(skeleton, parts, disk, false);
    expect(sources(notebook)).toEqual(['mine']);
    expect(missing).toBe(2);
  });
});
