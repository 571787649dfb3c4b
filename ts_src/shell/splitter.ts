/**
 * Make `handle` resize `panel` horizontally by dragging (pointer events), within
 * [min, max] pixels. `sign` is +1 when the panel is left of the handle.
 * The width is kept in the panel's inline style so it survives collapse and show.
 */
export function makeResizable(
  handle: HTMLElement,
  panel: HTMLElement,
  sign: 1 | -1,
  limits: { min: number; max: number } = { min: 160, max: 800 }
): void {
  handle.setAttribute('role', 'separator');
  handle.setAttribute('aria-orientation', 'vertical');
  handle.addEventListener('pointerdown', (down) => {
    down.preventDefault();
    const startX = down.clientX;
    const startWidth = panel.getBoundingClientRect().width;
    handle.setPointerCapture(down.pointerId);
    handle.classList.add('ja-mod-dragging');
    const move = (ev: PointerEvent) => {
      const width = Math.min(limits.max, Math.max(limits.min, startWidth + sign * (ev.clientX - startX)));
      panel.style.width = `${width}px`;
    };
    const up = () => {
      handle.classList.remove('ja-mod-dragging');
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });
}
