import { describe, expect, it } from 'vitest';
import { enterAction } from './keys';

describe('enterAction', () => {
  it('always adds a line when running on Enter is off', () => {
    expect(enterAction('complete', false)).toBe('newline');
  });

  it('runs complete and invalid code, and adds a line otherwise', () => {
    expect(enterAction('complete', true)).toBe('run');
    expect(enterAction('invalid', true)).toBe('run');
    expect(enterAction('incomplete', true)).toBe('newline');
    expect(enterAction('unknown', true)).toBe('newline');
  });
});
