import { describe, expect, it } from 'vitest';
import { fuzzyMatch } from './fuzzy';

/** The labels matching `query`, best first (ties keep their input order), as a palette lists them. */
function rank(query: string, labels: string[]): string[] {
  return labels
    .map((label, i) => ({ label, i, m: fuzzyMatch(query, label) }))
    .filter((r) => r.m !== null)
    .sort((a, b) => b.m!.score - a.m!.score || a.i - b.i)
    .map((r) => r.label);
}

function highlighted(query: string, text: string): string {
  const m = fuzzyMatch(query, text);
  if (!m) return '<no match>';
  return [...text].map((ch, i) => (m.indices.includes(i) ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

describe('fuzzyMatch', () => {
  it('matches the query as a case-insensitive subsequence', () => {
    expect(fuzzyMatch('svnb', 'Save Notebook')).not.toBeNull();
    expect(fuzzyMatch('SAVE', 'save notebook')).not.toBeNull();
    expect(fuzzyMatch('save', 'Save Notebook')!.indices).toEqual([0, 1, 2, 3]);
  });

  it('does not match when a character is missing or out of order', () => {
    expect(fuzzyMatch('xyz', 'Save Notebook')).toBeNull();
    expect(fuzzyMatch('bs', 'Save Notebook')).toBeNull();
    expect(fuzzyMatch('kz', 'Save Notebook')).toBeNull();
    expect(fuzzyMatch('tons', 'Notebook')).toBeNull();
  });

  it('ignores spaces in the query', () => {
    expect(fuzzyMatch('run all', 'Run All Cells')).toEqual(fuzzyMatch('runall', 'Run All Cells'));
    expect(fuzzyMatch(' re k ', 'Restart Kernel')).not.toBeNull();
  });

  it('matches everything, with no highlights, for an empty or blank query', () => {
    expect(fuzzyMatch('', 'Anything')).toEqual({ score: 0, indices: [] });
    expect(fuzzyMatch('   ', 'Anything')).toEqual({ score: 0, indices: [] });
  });

  it('returns ascending indices of the matched characters, within the text', () => {
    for (const [q, t] of [
      ['cp', 'Command Palette'],
      ['rsk', 'Restart Kernel'],
      ['ot', 'notebook:toggle-output'],
      ['ee', 'Free Memory']
    ] as const) {
      const m = fuzzyMatch(q, t)!;
      expect(m.indices).toHaveLength(q.length);
      expect([...m.indices].sort((a, b) => a - b)).toEqual(m.indices);
      expect(new Set(m.indices).size).toBe(m.indices.length);
      m.indices.forEach((i, k) => expect(t[i]!.toLowerCase()).toBe(q[k]));
    }
  });

  it('highlights the initials of words when the query is an acronym', () => {
    expect(highlighted('cp', 'Command Palette')).toBe('Command Palette'.toLowerCase().replace('c', 'C').replace('p', 'P'));
    expect(highlighted('rk', 'Restart Kernel')).toBe('Restart Kernel');
    expect(highlighted('tlo', 'notebook:toggle-line-output')).toBe('notebook:Toggle-Line-Output');
  });

  it('highlights camelCase word starts', () => {
    expect(highlighted('fb', 'showFileBrowser')).toBe('showFileBrowser'.toLowerCase().replace('f', 'F').replace('b', 'B'));
  });

  it('falls back to a plain match when jumping to word starts would fail', () => {
    // Jumping to the word "A" leaves no "l" after it, but "al" is inside "xal".
    expect(fuzzyMatch('al', 'xal A')!.indices).toEqual([1, 2]);
    expect(highlighted('ab', 'xa Ay b')).toBe('xa Ay B');
    expect(fuzzyMatch('aab', 'Aa b')!.indices).toEqual([0, 1, 3]);
  });

  describe('ranking, as the command palette shows it', () => {
    const palette = [
      'Copy',
      'Copy Cells',
      'Clear Outputs',
      'Command Palette',
      'Show Contextual Help',
      'Cut Cells',
      'Change Kernel'
    ];

    it('puts "Command Palette" above unrelated matches for "cp"', () => {
      const ranked = rank('cp', palette);
      expect(ranked).toContain('Command Palette');
      for (const other of ['Copy', 'Copy Cells', 'Clear Outputs', 'Show Contextual Help']) {
        expect(ranked.indexOf('Command Palette')).toBeLessThan(ranked.indexOf(other));
      }
      expect(ranked).not.toContain('Cut Cells');
    });

    it('still puts "Command Palette" first when labels carry the palette\'s "Category: " prefix', () => {
      const ranked = rank('cp', ['Edit: Copy', 'Edit: Copy Cells', 'View: Command Palette', 'Notebook: Clear Outputs']);
      expect(ranked[0]).toBe('View: Command Palette');
    });

    it('puts an exact prefix first', () => {
      expect(rank('cop', palette)[0]).toBe('Copy');
      expect(rank('run', ['Restart Kernel and Run All Cells', 'Run Selected Cells'])[0]).toBe('Run Selected Cells');
    });

    it('prefers consecutive characters over scattered ones', () => {
      expect(rank('kern', ['Keep Environment', 'Restart Kernel'])[0]).toBe('Restart Kernel');
    });

    it('prefers word starts over letters inside words', () => {
      expect(rank('rk', ['Mark Cell', 'Restart Kernel'])[0]).toBe('Restart Kernel');
      expect(rank('nb', ['Unbind', 'New Bookmark'])[0]).toBe('New Bookmark');
    });

    it('still ranks an acronym match first in a long label', () => {
      const long = 'Change Kernel of the Current Notebook to Python';
      expect(rank('cp', ['Copy', long])[0]).toBe(long);
    });

    it('prefers matches that start near the beginning', () => {
      expect(rank('cell', ['Run All Cells', 'Cell Toolbar'])[0]).toBe('Cell Toolbar');
    });
  });
});
