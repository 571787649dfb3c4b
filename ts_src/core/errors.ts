/**
 * The message of anything thrown or rejected, for the person: an Error's `message`,
 * else the value as text (a rejected promise can carry a string or anything else).
 */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The HTTP status of a failed server request: a `@jupyterlab/services`
 * `ServerConnection.ResponseError` carries its `Response`. Null for anything else
 * (a `NetworkError`, a thrown string, ...).
 */
export function errorStatus(err: unknown): number | null {
  const status = (err as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : null;
}
