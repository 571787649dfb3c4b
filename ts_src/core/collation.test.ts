import { describe, expect, it } from 'vitest';
import { compareNames } from './collation';

describe('compareNames', () => {
  it('orders names as a person does: digit runs as numbers, case ignored', () => {
    const names = ['report10.ipynb', 'Report2.ipynb', 'analysis.ipynb', 'report1.ipynb', 'B.txt'];
    expect([...names].sort(compareNames)).toEqual(['analysis.ipynb', 'B.txt', 'report1.ipynb', 'Report2.ipynb', 'report10.ipynb']);
  });

  it('keeps names differing only in case in their order (a stable sort)', () => {
    expect(compareNames('data', 'DATA')).toBe(0);
    expect(['DATA', 'data'].sort(compareNames)).toEqual(['DATA', 'data']);
  });
});
