import { describe, expect, it } from 'vitest';
import { formatDateTime, formatRelativeTime, formatSize } from './format';

describe('formatSize', () => {
  it('shows bytes below 1 KiB as whole bytes', () => {
    expect(formatSize(0)).toBe('0 B');
    expect(formatSize(1)).toBe('1 B');
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1023)).toBe('1023 B');
  });

  it('uses binary units with one decimal below 10 and none above', () => {
    expect(formatSize(1024)).toBe('1.0 KiB');
    expect(formatSize(1536)).toBe('1.5 KiB');
    expect(formatSize(10 * 1024)).toBe('10 KiB');
    expect(formatSize(23 * 1024 * 1024)).toBe('23 MiB');
    expect(formatSize(2.5 * 1024 ** 3)).toBe('2.5 GiB');
    expect(formatSize(3 * 1024 ** 4)).toBe('3.0 TiB');
  });

  it('stays in TiB for very large sizes', () => {
    expect(formatSize(2048 * 1024 ** 4)).toBe('2048 TiB');
  });

  it('shows nothing for folders (no size) and for nonsense', () => {
    expect(formatSize(null)).toBe('');
    expect(formatSize(undefined)).toBe('');
    expect(formatSize(-1)).toBe('');
    expect(formatSize(Number.NaN)).toBe('');
    expect(formatSize(Number.POSITIVE_INFINITY)).toBe('');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.parse('2024-06-15T12:00:00Z');
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('says "just now" for the last minute, and for a slightly fast server clock', () => {
    expect(formatRelativeTime(ago(0), now, 'en')).toBe('just now');
    expect(formatRelativeTime(ago(59), now, 'en')).toBe('just now');
    expect(formatRelativeTime(ago(-30), now, 'en')).toBe('just now');
  });

  it('counts minutes and hours', () => {
    expect(formatRelativeTime(ago(60), now, 'en')).toBe('1 min. ago');
    expect(formatRelativeTime(ago(5 * 60 + 20), now, 'en')).toBe('5 min. ago');
    expect(formatRelativeTime(ago(3600), now, 'en')).toBe('1 hr. ago');
    expect(formatRelativeTime(ago(23 * 3600 + 59 * 60), now, 'en')).toBe('23 hr. ago');
  });

  it('says "yesterday", then days, weeks, months and years', () => {
    expect(formatRelativeTime(ago(24 * 3600), now, 'en')).toBe('yesterday');
    expect(formatRelativeTime(ago(3 * 24 * 3600), now, 'en')).toBe('3 days ago');
    expect(formatRelativeTime(ago(7 * 24 * 3600), now, 'en')).toBe('last wk.');
    expect(formatRelativeTime(ago(15 * 24 * 3600), now, 'en')).toBe('2 wk. ago');
    expect(formatRelativeTime(ago(30 * 24 * 3600), now, 'en')).toBe('last mo.');
    expect(formatRelativeTime(ago(100 * 24 * 3600), now, 'en')).toBe('3 mo. ago');
    expect(formatRelativeTime(ago(365 * 24 * 3600), now, 'en')).toBe('last yr.');
    expect(formatRelativeTime(ago(3 * 365 * 24 * 3600), now, 'en')).toBe('3 yr. ago');
  });

  it('describes future times too', () => {
    expect(formatRelativeTime(ago(-10 * 60), now, 'en')).toBe('in 10 min.');
  });

  it('reads the timestamps the contents API sends, with fractional seconds and offsets', () => {
    expect(formatRelativeTime('2024-06-15T11:58:00.123456Z', now, 'en')).toBe('2 min. ago');
    expect(formatRelativeTime('2024-06-15T13:55:00+02:00', now, 'en')).toBe('5 min. ago');
  });

  it('uses the requested language', () => {
    expect(formatRelativeTime(ago(24 * 3600), now, 'de')).toBe('gestern');
  });

  it('gives an empty string for an unparsable timestamp', () => {
    expect(formatRelativeTime('not a date', now, 'en')).toBe('');
    expect(formatRelativeTime('', now, 'en')).toBe('');
  });
});

describe('formatDateTime', () => {
  it('shows the full date and time', () => {
    const text = formatDateTime('2024-06-15T12:00:00Z', 'en-US');
    expect(text).toContain('2024');
    expect(text).toMatch(/Jun/);
    expect(text).toMatch(/\d{1,2}:\d{2}:\d{2}/);
  });

  it('formats in the locale asked for, call after call (formatters are kept per locale)', () => {
    const english = formatDateTime('2024-06-15T12:00:00Z', 'en-US');
    expect(formatDateTime('2024-06-15T12:00:00Z', 'de-DE')).toMatch(/15\.06\.2024|15\. Juni 2024/);
    expect(formatDateTime('2024-06-15T12:00:00Z', 'en-US')).toBe(english);
    expect(formatRelativeTime('2024-06-12T12:00:00Z', Date.parse('2024-06-15T12:00:00Z'), 'de-DE')).toBe('vor 3 Tagen');
    expect(formatRelativeTime('2024-06-12T12:00:00Z', Date.parse('2024-06-15T12:00:00Z'), 'en-US')).toBe('3 days ago');
  });

  it('gives an empty string for an unparsable timestamp', () => {
    expect(formatDateTime('garbage', 'en-US')).toBe('');
  });
});
