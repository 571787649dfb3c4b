/**
 * The message of anything thrown or rejected, for the person: an Error's `message`,
 * else the value as text (a rejected promise can carry a string or anything else).
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
