import { describe, expect, it } from 'vitest';
import { CellModel } from './cell';
import { cellKey, cellKeys, DERIVED_KEY_PREFIX, sourceHash } from './cell-key';

const noId = (source: string) => CellModel.create('code', source, false);

describe('cellKeys', () => {
  it('keys a cell with an id by its id', () => {
    const cell = CellModel.create('code', 'x = 1');
    expect(cellKey([cell], cell)).toBe(cell.id);
  });

  it('keys cells without ids (nbformat < 4.5) by their source and rank, the same in another page', () => {
    const page1 = [noId('import time'), noId('print(1)'), noId('print(1)')];
    const page2 = [noId('import time'), noId('print(1)'), noId('print(1)')];
    const keys1 = page1.map((c) => cellKey(page1, c));
    const keys2 = page2.map((c) => cellKey(page2, c));
    expect(keys1).toEqual(keys2);
    expect(new Set(keys1).size).toBe(3);
    expect(keys1[0]!.startsWith(DERIVED_KEY_PREFIX)).toBe(true);
  });

  it('keeps a cell’s key when cells are inserted above it or ids are mixed in', () => {
    const target = noId('for i in range(30): print(i)');
    const before = cellKey([noId('a'), target], target);
    const moved = [CellModel.create('code', 'new cell'), noId('b'), noId('a'), target];
    expect(cellKeys(moved).get(target)).toBe(before);
  });

  it('hashes exactly as the server does (py_src/jlab_alt/journal/cell_key.py, tests/test_journal.py)', () => {
    expect(sourceHash('print(1)')).toBe('08b9dac4df1a0c');
    expect(sourceHash('')).toBe('0bdcb81aee8d83');
    expect(sourceHash('héllo €𝄞')).toBe('1fedb7e17253fe');
  });

  it('hashes the same text alike and different texts apart', () => {
    expect(sourceHash('print(1)')).toBe(sourceHash('print(1)'));
    expect(sourceHash('print(1)')).not.toBe(sourceHash('print(2)'));
    expect(sourceHash('')).toMatch(/^[0-9a-f]{14}$/);
  });
});
