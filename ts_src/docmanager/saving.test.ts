import { describe, expect, it } from 'vitest';
import { autosaveConfig, autosaveDue, saveFailureMessage } from './saving';

describe('autosave', () => {
  it('reads autosave/autosaveInterval with defaults of on and 120 s, never under 5 s', () => {
    expect(autosaveConfig({})).toEqual({ enabled: true, seconds: 120 });
    expect(autosaveConfig({ autosave: false, autosaveInterval: 1 })).toEqual({ enabled: false, seconds: 5 });
  });

  it('is due once a document has been unsaved for the interval, never when off or clean', () => {
    const on = { enabled: true, seconds: 5 };
    expect(autosaveDue(1000, 5999, on)).toBe(false);
    expect(autosaveDue(1000, 6000, on)).toBe(true);
    expect(autosaveDue(undefined, 6000, on)).toBe(false);
    expect(autosaveDue(1000, 60000, { enabled: false, seconds: 5 })).toBe(false);
  });
});

describe('saveFailureMessage', () => {
  it('names the file and the server\'s reason and says the edits are kept', () => {
    const text = saveFailureMessage('a.ipynb', new Error('Not enough disk space.'));
    expect(text).toContain('Saving "a.ipynb" failed: Not enough disk space.');
    expect(text).toContain('edits are kept');
  });
});
