/**
 * Sorting names for people: one collator for the whole page.
 *
 * The page's first `Intl.Collator` (or first `localeCompare`) loads the locale's
 * collation data, and every collator made with other options builds its own tables:
 * 30-80 ms in one task on a cold page (CPU profiles of opening a notebook from its URL,
 * 2026-12-05), landing in whichever task first sorted something (the launcher's
 * kernels, the file listing). Every list that sorts names compares through
 * {@link compareNames}, and {@link warmUpCollation} builds the collator in a task of
 * its own while the app waits on the server.
 */

let collator: Intl.Collator | null = null;

/**
 * Compares two names as a person orders them, in the page's locale: case and accents
 * ignored, digit runs compared as numbers ("a2" < "a10"). Negative, zero or positive,
 * as `Array.prototype.sort` wants; equal names keep their order (sorts are stable).
 */
export function compareNames(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  return collator.compare(a, b);
}

/** A warm-up for `warmUp` (core/tasks.ts): build the collator now, if not yet made. */
export function warmUpCollation(): void {
  compareNames('a', 'b');
}
