/**
 * The worker half of {@link ./offthread-json}: decodes (UTF-8) and parses JSON bodies
 * off the page's main thread, and posts the value back.
 *
 * Protocol: on start it posts `{ ready: true }`; for each `{ id, body }` it receives
 * (`body` an ArrayBuffer, transferred) it posts `{ id, value }`, or `{ id, error }` with
 * the parser's message when the body is not JSON.
 */
interface WorkerScope {
  onmessage: ((event: MessageEvent<{ id: number; body: ArrayBuffer }>) => void) | null;
  postMessage(message: unknown): void;
}

const scope = self as unknown as WorkerScope;
const decoder = new TextDecoder();

scope.onmessage = ({ data: { id, body } }) => {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(body));
  } catch (err) {
    scope.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
    return;
  }
  scope.postMessage({ id, value });
};
scope.postMessage({ ready: true });
