/**
 * Which cells are near the viewport, from their boxes alone.
 *
 * An IntersectionObserver reports a target only when its intersecting state changes,
 * and one observer entry per cell made Chromium's intersection work the longest part
 * of scrolling a 2,000-cell notebook (benchmarks/RESULTS.md, issue 18 part 3). The
 * notebook view therefore asks this module after every scroll, resize or layout
 * change instead: the cells are stacked blocks in document order, so their boxes are
 * sorted and a binary search reads about 2 x log2(n) boxes, whatever happened between
 * two checks (a jump from below the zone to above it included).
 */

/** A vertical extent in viewport pixels (a DOMRect's top and bottom). */
export interface Extent {
  top: number;
  bottom: number;
}

/** An inclusive range of item indices. */
export interface IndexRange {
  first: number;
  last: number;
}

/**
 * The items whose box meets `zone` (touching counts, as for an IntersectionObserver):
 * `[first, last]`, or null when none does or the zone is empty.
 *
 * `box(i)` gives item `i`'s extent; items must be stacked in index order (each one's
 * top and bottom at or below the previous one's), as block siblings are. Calls `box`
 * O(log count) times.
 */
export function nearRange(count: number, box: (i: number) => Extent, zone: Extent): IndexRange | null {
  if (count <= 0 || !(zone.bottom > zone.top)) return null;
  // The first item not wholly above the zone.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (box(mid).bottom >= zone.top) hi = mid;
    else lo = mid + 1;
  }
  const first = lo;
  if (first >= count || box(first).top > zone.bottom) return null;
  // The first item wholly below the zone, after `first`.
  lo = first + 1;
  hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (box(mid).top > zone.bottom) hi = mid;
    else lo = mid + 1;
  }
  return { first, last: lo - 1 };
}

/** `box` grown by `margin` px above and below. */
export function grow(box: Extent, margin: number): Extent {
  return { top: box.top - margin, bottom: box.bottom + margin };
}
