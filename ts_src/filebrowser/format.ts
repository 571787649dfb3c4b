/**
 * Human-readable file sizes in binary units, as file managers show them:
 * "0 B", "512 B", "1.5 KiB", "23 MiB". Null (directories) gives "".
 */
export function formatSize(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60]
];

/**
 * A modified time relative to `now`: "just now", "5 minutes ago", "yesterday".
 * @param iso An ISO 8601 timestamp as the contents API gives (`last_modified`).
 * @param now Milliseconds since the epoch (defaults to the current time).
 * Returns "" for an unparsable timestamp.
 */
export function formatRelativeTime(iso: string, now: number = Date.now(), locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const seconds = Math.round((time - now) / 1000);
  if (Math.abs(seconds) < 60) return 'just now';
  const fmt = cached(relativeFormats, locale, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' }));
  for (const [unit, size] of STEPS) {
    if (Math.abs(seconds) >= size) return fmt.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

/** The full local date and time, for tooltips. "" for an unparsable timestamp. */
export function formatDateTime(iso: string, locale?: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  return cached(dateTimeFormats, locale, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' })).format(time);
}

/**
 * A warm-up for `warmUp` (core/tasks.ts): make the formatters {@link formatRelativeTime}
 * and {@link formatDateTime} use for the page's locale, if not made yet. The first of a page
 * loads the locale's data (20-30 ms on a cold page, 2026-12-05), better paid in a task of
 * its own than in the one drawing the first listing.
 */
export function warmUpDateFormats(): void {
  const now = new Date().toISOString();
  formatRelativeTime(now, Date.parse(now) - 3600_000);
  formatDateTime(now);
}

// Making an Intl formatter looks up locale data, and `toLocaleString` with options makes one
// per call: listing a folder of 47 notebooks spent 26-34 ms there while the app opened
// (2026-12-04), growing with the folder. One formatter per locale, made once.
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(formats: Map<string, T>, locale: string | undefined, make: () => T): T {
  const key = locale ?? '';
  let fmt = formats.get(key);
  if (fmt === undefined) formats.set(key, (fmt = make()));
  return fmt;
}
