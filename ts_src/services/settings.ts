import { ServerConnection } from '@jupyterlab/services';
import type { PageConfig } from '../core/pageconfig';

/** A plugin's stored user settings: a JSON object. */
export type SettingsValues = Record<string, unknown>;

/** Raised when the settings API answers with an error status. */
export class SettingsRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'SettingsRequestError';
  }
}

/**
 * Reads and writes plugins' user settings through `<apiUrl>/settings/<plugin id>`
 * (served by `jlab_alt/handlers/settings.py`).
 */
export class SettingsClient {
  constructor(
    private readonly config: PageConfig,
    private readonly serverSettings: ServerConnection.ISettings
  ) {}

  private url(pluginId: string): string {
    const path = pluginId.split('/').map(encodeURIComponent).join('/');
    return `${window.location.origin}${this.config.apiUrl}/settings/${path}`;
  }

  /**
   * The settings of `pluginId`: what the user saved, over the `default` values of
   * the plugin's JSON Schema (when a server plugin declared one).
   * @throws SettingsRequestError on an error status; a network error rejects as is.
   */
  async load(pluginId: string): Promise<SettingsValues> {
    const response = await ServerConnection.makeRequest(this.url(pluginId), {}, this.serverSettings);
    if (!response.ok) throw new SettingsRequestError(response.status, await response.text());
    const body = (await response.json()) as {
      settings?: SettingsValues;
      schema?: { properties?: Record<string, { default?: unknown }> } | null;
    };
    const defaults: SettingsValues = {};
    for (const [key, prop] of Object.entries(body.schema?.properties ?? {})) {
      if (prop && 'default' in prop) defaults[key] = prop.default;
    }
    return { ...defaults, ...(body.settings ?? {}) };
  }

  /**
   * Replace the stored settings of `pluginId`.
   * @throws SettingsRequestError on an error status.
   */
  async save(pluginId: string, values: SettingsValues): Promise<void> {
    const response = await ServerConnection.makeRequest(
      this.url(pluginId),
      { method: 'PUT', body: JSON.stringify({ settings: values }) },
      this.serverSettings
    );
    if (!response.ok) throw new SettingsRequestError(response.status, await response.text());
  }
}
