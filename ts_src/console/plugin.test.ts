import { describe, expect, it } from 'vitest';
import { consoleNumber, consolePath } from './plugin';

describe('consolePath', () => {
  it('makes a unique synthetic path in the folder, so no notebook session is ever joined', () => {
    expect(consolePath('', 1, 'abc')).toBe('console-1-abc');
    expect(consolePath('work/data/', 2, 'abc')).toBe('work/data/console-2-abc');
    expect(consolePath('/x', 3, 'u')).toBe('x/console-3-u');
  });
});

describe('consoleNumber', () => {
  it('reads the number back from a console session path, in any folder', () => {
    for (const n of [1, 12]) {
      expect(consoleNumber(consolePath('', n, crypto.randomUUID()))).toBe(n);
      expect(consoleNumber(consolePath('a/b', n, crypto.randomUUID()))).toBe(n);
    }
  });

  it('is null for other paths (a notebook, a folder named like a console)', () => {
    expect(consoleNumber('analysis.ipynb')).toBeNull();
    expect(consoleNumber('console-1-x/data.ipynb')).toBeNull();
    expect(consoleNumber('myconsole-1-x')).toBeNull();
  });
});
