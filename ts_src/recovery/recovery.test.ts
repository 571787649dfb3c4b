import type { Contents } from '@jupyterlab/services';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Emitter } from '../core/emitter';
import { DocumentContext } from '../docmanager/context';
import { cellDifferences, lineDifference } from './diff';
import { RECOVERY_DELAY_MS, RecoveryKeeper } from './keeper';
import { MemoryRecoveryStore, overLimits, RecoveryRecord } from './store';

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
    keeper.track(context);
    const type = async (text: string) => {
      doc.text = text;
      edited.emit();
      await vi.advanceTimersByTimeAsync(RECOVERY_DELAY_MS);
    };
    return { context, store, keeper, type };
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
});
