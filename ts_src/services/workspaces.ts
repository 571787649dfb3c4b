import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import type { PageConfig } from '../core/pageconfig';

/** Raised when the workspaces API answers with an error status. */
export class WorkspaceRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'WorkspaceRequestError';
  }
}

/**
 * Reads and writes saved layouts through `<apiUrl>/workspaces/<name>`
 * (`jlab_alt/handlers/workspaces.py`). The layout is opaque here (see `shell/layout.ts`).
 */
export class WorkspacesClient {
  constructor(
    private readonly config: Pick<PageConfig, 'apiUrl'>,
    private readonly serverSettings: ServerConnection.ISettings
  ) {}

  private url(name: string): string {
    return `${window.location.origin}${this.config.apiUrl}/workspaces/${encodeURIComponent(name)}`;
  }

  /**
   * The saved layout of workspace `name`, or null when none was saved.
   * @throws WorkspaceRequestError on an error status; a network error rejects as is.
   */
  async load(name: string): Promise<unknown> {
    const response = await ServerConnection.makeRequest(this.url(name), {}, this.serverSettings);
    if (!response.ok) throw new WorkspaceRequestError(response.status, await response.text());
    return ((await response.json()) as { layout?: unknown }).layout ?? null;
  }

  /**
   * Replace workspace `name`. `keepalive` lets the request finish while the page unloads.
   * @throws WorkspaceRequestError on an error status.
   */
  async save(name: string, layout: unknown, keepalive = false): Promise<void> {
    const response = await ServerConnection.makeRequest(
      this.url(name),
      { method: 'PUT', body: JSON.stringify({ layout }), keepalive },
      this.serverSettings
    );
    if (!response.ok) throw new WorkspaceRequestError(response.status, await response.text());
  }
}
