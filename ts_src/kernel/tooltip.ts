/**
 * The kernel's help text (an `inspect_reply`'s plain text) shown in a box beside the code
 * that asked for it, as Shift+Tab does in notebooks and consoles. The box closes on the next
 * key press or click anywhere.
 *
 * @param scope  the element that holds at most one such box (an older one in it is removed)
 * @param text   the help text, already plain (ANSI colours stripped)
 * @param place  puts the new box in the DOM (e.g. `(box) => input.after(box)`)
 * @returns the box
 */
export function showInspectTooltip(scope: Element, text: string, place: (box: HTMLElement) => void): HTMLElement {
  scope.querySelector('.ja-Inspect')?.remove();
  const box = document.createElement('pre');
  box.className = 'ja-Inspect';
  box.dataset.testid = 'inspect-tooltip';
  box.textContent = text;
  place(box);
  const close = () => {
    box.remove();
    document.removeEventListener('keydown', close, true);
    document.removeEventListener('mousedown', close, true);
  };
  // Listening from the next task: the key press that opened the box must not close it.
  setTimeout(() => {
    document.addEventListener('keydown', close, true);
    document.addEventListener('mousedown', close, true);
  });
  return box;
}
