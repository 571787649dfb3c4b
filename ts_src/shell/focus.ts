/**
 * Whether a widget whose content has just arrived may move the keyboard into itself.
 *
 * A document opened from the file browser or the launcher is activated before its
 * content is fetched, so it takes the focus once that content exists. By then the person
 * may have moved on: opened the command palette, a dialog or a menu. Those own the
 * keyboard until they close (WAI-ARIA's modal dialog and menu patterns), and taking it
 * away sends the next keys into the document instead (an Enter meant for the palette
 * became a new line in the file).
 *
 * @param active The element that has the focus now (default: `document.activeElement`).
 * @returns false while the focus is inside an open dialog or menu; true otherwise.
 */
export function mayTakeFocus(active: Element | null = document.activeElement): boolean {
  return !active?.closest('[role="dialog"], [role="alertdialog"], [role="menu"], dialog');
}
