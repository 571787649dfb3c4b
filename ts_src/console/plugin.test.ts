import { describe, expect, it } from 'vitest';
import { consolePath } from './plugin';

describe('consolePath', () => {
  it('makes a unique synthetic path in the folder, so no notebook session is ever joined', () => {
    expect(consolePath('', 1, 'abc')).toBe('console-1-abc');
    expect(consolePath('work/data/', 2, 'abc')).toBe('work/data/console-2-abc');
    expect(consolePath('/x', 3, 'u')).toBe('x/console-3-u');
  });
});
