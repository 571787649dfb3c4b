import { describe, expect, it } from 'vitest';
import { revealDelta } from './reveal';

const view = { top: 100, bottom: 700 };

describe('revealDelta', () => {
  it('start puts the target at the top, from below or above', () => {
    expect(revealDelta({ top: 5000, bottom: 5040 }, view, 'start')).toBe(4900);
    expect(revealDelta({ top: -300, bottom: -260 }, view, 'start')).toBe(-400);
    expect(revealDelta({ top: 100, bottom: 140 }, view, 'start')).toBe(0);
  });

  it('nearest leaves a target wholly in view where it is', () => {
    expect(revealDelta({ top: 300, bottom: 340 }, view, 'nearest')).toBe(0);
    expect(revealDelta({ top: 100, bottom: 700 }, view, 'nearest')).toBe(0);
  });

  it('nearest brings a target below to the bottom, and one above to the top', () => {
    expect(revealDelta({ top: 5000, bottom: 5040 }, view, 'nearest')).toBe(4340);
    expect(revealDelta({ top: 680, bottom: 720 }, view, 'nearest')).toBe(20);
    expect(revealDelta({ top: 40, bottom: 80 }, view, 'nearest')).toBe(-60);
  });

  it('nearest shows the top of a target taller than the view', () => {
    expect(revealDelta({ top: 5000, bottom: 6000 }, view, 'nearest')).toBe(4900);
  });
});
