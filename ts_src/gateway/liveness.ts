/**
 * A page-side liveness check of a remote kernel (the server runs with
 * `--gateway-url`).
 *
 * jupyter_server's gateway mode relays a kernel's WebSocket to the gateway; when the
 * gateway's side fails, the browser's WebSocket to jupyter_server stays open and
 * executions are silently dropped (jupyter_server: gateway/connections.py). So
 * while a remote kernel is connected, the page asks the server for the kernel
 * listing (`GET <baseUrl>api/kernels`, which the server asks the gateway for and
 * which drops kernels the gateway no longer has; `GET api/kernels/<id>` answers from
 * the server's cache in gateway mode) on a timer, marked `no_track_activity` so an
 * idle notebook does not keep a server from being culled.
 */

/** What one check found: the kernel answers, the gateway says it has no such kernel, or nobody answers. */
export type KernelLiveness = 'alive' | 'gone' | 'unreachable';

/**
 * Classify the answer to `GET api/kernels` for kernel `kernelId`.
 * @param status HTTP status, null for a network error.
 * @param kernels The listing (ids), when the status is 2xx.
 */
export function classifyKernelResponse(status: number | null, kernels: { id: string }[] = [], kernelId = ''): KernelLiveness {
  if (status === null) return 'unreachable';
  if (status >= 200 && status < 300) return kernels.some((k) => k.id === kernelId) ? 'alive' : 'gone';
  if (status === 404) return 'gone';
  // 5xx: the server could not reach the gateway (jupyter_server answers 503 or 500).
  return 'unreachable';
}

/** How often a connected remote kernel is checked, in ms. */
export const LIVENESS_INTERVAL_MS = 3000;

/**
 * Checks one kernel every `interval` ms (the next check starts when the previous
 * ended) and calls `onLost` once with the first result that is not `'alive'`;
 * then it stops. Checks pause while `isVisible()` is false.
 */
export class KernelLivenessCheck {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  /**
   * @param probe One check; resolves with the result, never rejects.
   * @param onLost Called once when the kernel is found gone or unreachable.
   */
  constructor(
    private readonly probe: () => Promise<KernelLiveness>,
    private readonly onLost: (why: Exclude<KernelLiveness, 'alive'>) => void,
    private readonly interval = LIVENESS_INTERVAL_MS,
    private readonly isVisible: () => boolean = () => typeof document === 'undefined' || document.visibilityState !== 'hidden'
  ) {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      this.timer = null;
      if (!this.isVisible()) return this.schedule();
      const result = await this.probe();
      if (this.stopped) return;
      if (result === 'alive') return this.schedule();
      this.stopped = true;
      this.onLost(result);
    }, this.interval);
  }

  /** Stop checking (the kernel was disconnected, changed or shut down). */
  dispose(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

/**
 * A probe for {@link KernelLivenessCheck} through the host's REST API, with the
 * login cookie and `X-XSRFToken` (as every request of the app).
 *
 * @param baseUrl Absolute URL of the server's base (`http://host/user/ana/`).
 */
export function restKernelProbe(
  baseUrl: string,
  kernelId: string,
  doFetch: typeof fetch = (i, o) => fetch(i, o)
): () => Promise<KernelLiveness> {
  return async () => {
    const xsrf = typeof document === 'undefined' ? undefined : /(?:^|;\s*)_xsrf=([^;]*)/.exec(document.cookie)?.[1];
    const headers: Record<string, string> = {};
    if (xsrf) headers['X-XSRFToken'] = decodeURIComponent(xsrf);
    try {
      const url = `${baseUrl}api/kernels?no_track_activity=1`;
      const response = await doFetch(url, { headers, credentials: 'same-origin', cache: 'no-store' });
      const kernels = response.ok ? ((await response.json()) as { id: string }[]) : [];
      return classifyKernelResponse(response.status, Array.isArray(kernels) ? kernels : [], kernelId);
    } catch {
      return classifyKernelResponse(null);
    }
  };
}
