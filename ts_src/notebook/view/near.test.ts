import { describe, expect, it } from 'vitest';
import { grow, nearRange, type Extent } from './near';

/** Items of the given heights stacked from `top`, scrolled by `scroll` px. */
function stack(heights: number[], scroll = 0, top = 0): Extent[] {
  const out: Extent[] = [];
  let y = top - scroll;
  for (const h of heights) {
    out.push({ top: y, bottom: y + h });
    y += h;
  }
  return out;
}

function counted(boxes: Extent[]): { box: (i: number) => Extent; reads: () => number } {
  let n = 0;
  return {
    box: (i) => {
      n++;
      return boxes[i]!;
    },
    reads: () => n
  };
}

describe('nearRange', () => {
  it('gives the items meeting the zone, touching included', () => {
    const boxes = stack([100, 100, 100, 100, 100]);
    expect(nearRange(5, (i) => boxes[i]!, { top: 150, bottom: 250 })).toEqual({ first: 1, last: 2 });
    expect(nearRange(5, (i) => boxes[i]!, { top: 100, bottom: 200 })).toEqual({ first: 0, last: 2 });
    expect(nearRange(5, (i) => boxes[i]!, { top: -50, bottom: 10 })).toEqual({ first: 0, last: 0 });
  });

  it('is null when the zone is past either end, or empty, or there are no items', () => {
    const boxes = stack([100, 100]);
    expect(nearRange(2, (i) => boxes[i]!, { top: 201, bottom: 900 })).toBeNull();
    expect(nearRange(2, (i) => boxes[i]!, { top: -900, bottom: -1 })).toBeNull();
    expect(nearRange(2, (i) => boxes[i]!, { top: 50, bottom: 50 })).toBeNull();
    expect(nearRange(0, () => ({ top: 0, bottom: 0 }), { top: 0, bottom: 10 })).toBeNull();
  });

  it('answers from the boxes alone after a jump from the top to the end of 2,000 cells', () => {
    // The case an IntersectionObserver never reports: an item that goes from below the
    // zone to above it between two checks.
    const heights = Array.from({ length: 2000 }, (_, i) => 40 + (i % 7) * 10);
    const total = heights.reduce((a, b) => a + b, 0);
    const viewport = { top: 0, bottom: 800 };
    const atTop = stack(heights, 0);
    expect(nearRange(2000, (i) => atTop[i]!, grow(viewport, 600))).toEqual({ first: 0, last: expect.any(Number) });
    const atEnd = stack(heights, total - 800);
    const range = nearRange(2000, (i) => atEnd[i]!, grow(viewport, 600))!;
    expect(range.last).toBe(1999);
    expect(atEnd[range.first]!.bottom).toBeGreaterThanOrEqual(-600);
    expect(atEnd[range.first - 1]!.bottom).toBeLessThan(-600);
  });

  it('reads O(log n) boxes', () => {
    const boxes = stack(Array.from({ length: 2000 }, () => 50), 50_000);
    const probe = counted(boxes);
    const range = nearRange(2000, probe.box, { top: -600, bottom: 1400 })!;
    expect(range).toEqual({ first: 987, last: 1028 });
    expect(probe.reads()).toBeLessThanOrEqual(2 * 12 + 1);
  });

  it('counts a cell clipped just above the scroller as near while within the margin', () => {
    // The scroller starts 100 px down the page: a cell ending 400 px above its top is
    // within a 600 px margin, one ending 800 px above is not (the first block observer
    // measured the margin from the window's top and got this wrong).
    const boxes = stack([400, 400, 400, 400], 1200, 100);
    const zone = grow({ top: 100, bottom: 500 }, 600);
    expect(nearRange(4, (i) => boxes[i]!, zone)).toEqual({ first: 1, last: 3 });
  });
});
