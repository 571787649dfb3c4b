/**
 * Statistics shared by the benchmark scripts (one home, so every table computes a
 * median the same way).
 */

/**
 * The median of `values` (numbers, any order; the array is not changed): the middle
 * value, or the mean of the two middle ones for an even count. NaN when empty.
 */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (!n) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
