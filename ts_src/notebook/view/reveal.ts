/** A vertical extent in viewport pixels (a DOMRect's top and bottom). */
export interface VerticalBox {
  top: number;
  bottom: number;
}

/**
 * How far to scroll (pixels, positive = down) to show `target` in `view`, both in
 * viewport coordinates. `start`: the target's top at the view's top. `nearest` (as
 * `scrollIntoView({ block: 'nearest' })`): 0 when the target is wholly in view; one
 * above comes to the top; one below ends at the bottom, unless it is taller than the
 * view, then its top comes to the top.
 */
export function revealDelta(target: VerticalBox, view: VerticalBox, align: 'start' | 'nearest'): number {
  const toTop = target.top - view.top;
  if (align === 'start' || toTop < 0) return toTop;
  if (target.bottom <= view.bottom) return 0;
  return Math.min(toTop, target.bottom - view.bottom);
}
