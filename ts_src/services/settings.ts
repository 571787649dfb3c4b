import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import type { IDisposable } from '../core/disposable';
import { DisposableDelegate } from '../core/disposable';
import { Emitter } from '../core/emitter';
import type { PageConfig } from '../core/pageconfig';

/** A plugin's settings: a JSON object. */
export type SettingsValues = Record<string, unknown>;

/** A JSON Schema (draft 2020-12) object, as the server serves it; only the parts the app reads are typed. */
export interface SettingsSchema {
  title?: string;
  description?: string;
  type?: string | string[];
  properties?: Record<string, SettingsSchema>;
  items?: SettingsSchema;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  required?: string[];
  additionalProperties?: boolean | SettingsSchema;
  [key: string]: unknown;
}

/**
 * One plugin's settings as `GET <apiUrl>/settings/<id>` answers them
 * (`jlab_alt/handlers/settings.py`).
 */
export interface PluginSettings {
  id: string;
  /** What the user saved (`{}` when never saved). */
  settings: SettingsValues;
  /** `settings` over the defaults (schema defaults, replaced by the site's `overrides.json`): what the plugin uses. */
  composite: SettingsValues;
  /** The plugin's JSON Schema, with the site's defaults; null when the plugin declared none. */
  schema: SettingsSchema | null;
}

/** Raised when the settings API answers with an error status. */
export class SettingsRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'SettingsRequestError';
  }
}

/** What {@link SettingsClient} sends requests through: `fetch`'s shape (tests pass a fake). */
export type SettingsFetch = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Reads and writes plugins' settings through `<apiUrl>/settings/<plugin id>`
 * (served by `jlab_alt/handlers/settings.py`). The server merges the defaults (one
 * place: schema defaults, then the site's `overrides.json`, then the user's values).
 *
 * Changes reach plugins live: {@link changed} fires per plugin id after every save made
 * through this client (the settings editor, a theme command...), and {@link watch} gives
 * a plugin its settings now and again on each change, so nothing needs a reload.
 */
export class SettingsClient {
  private readonly emitters = new Map<string, Emitter<PluginSettings>>();
  private readonly _anyChanged = new Emitter<PluginSettings>();
  /** Fires after any plugin's settings changed (the settings editor redraws from it). */
  readonly anyChanged = this._anyChanged.event;
  private readonly request: SettingsFetch;

  constructor(
    private readonly config: Pick<PageConfig, 'apiUrl'>,
    serverSettings: ServerConnection.ISettings | null,
    request?: SettingsFetch
  ) {
    this.request =
      request ??
      ((url, init) => ServerConnection.makeRequest(url, init, serverSettings as ServerConnection.ISettings));
  }

  private url(pluginId?: string): string {
    const base = `${window.location.origin}${this.config.apiUrl}/settings`;
    return pluginId === undefined ? base : `${base}/${pluginId.split('/').map(encodeURIComponent).join('/')}`;
  }

  private async json<T>(url: string, init: RequestInit = {}): Promise<T> {
    const response = await this.request(url, init);
    if (!response.ok) throw new SettingsRequestError(response.status, await errorText(response));
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /**
   * Everything about `pluginId`: user values, composite, schema.
   * @throws SettingsRequestError on an error status; a network error rejects as is.
   */
  fetch(pluginId: string): Promise<PluginSettings> {
    return this.json<PluginSettings>(this.url(pluginId));
  }

  /** Every plugin that has a schema, sorted by id (what the settings editor shows). */
  async fetchAll(): Promise<PluginSettings[]> {
    return (await this.json<{ settings: PluginSettings[] }>(this.url())).settings;
  }

  /**
   * The settings `pluginId` uses: the user's values over the defaults (the `composite`).
   * @throws SettingsRequestError on an error status; a network error rejects as is.
   */
  async load(pluginId: string): Promise<SettingsValues> {
    const body = await this.fetch(pluginId);
    return body.composite ?? body.settings ?? {};
  }

  /**
   * Replace the user's stored settings of `pluginId` (keys left out fall back to their
   * defaults), then fire {@link changed} for it with what the server now answers.
   * @throws SettingsRequestError on an error status (400 carries the schema's message);
   *   nothing is stored then and no event fires.
   */
  async save(pluginId: string, values: SettingsValues): Promise<PluginSettings> {
    await this.json<void>(this.url(pluginId), { method: 'PUT', body: JSON.stringify({ settings: values }) });
    const now = await this.fetch(pluginId);
    this.emitters.get(pluginId)?.emit(now);
    this._anyChanged.emit(now);
    return now;
  }

  /** Subscribe to the changes of `pluginId`'s settings; dispose the result to stop. */
  changed(pluginId: string, listener: (settings: PluginSettings) => void): IDisposable {
    let emitter = this.emitters.get(pluginId);
    if (!emitter) this.emitters.set(pluginId, (emitter = new Emitter<PluginSettings>()));
    return emitter.event(listener);
  }

  /**
   * Call `apply` with `pluginId`'s composite settings once loaded, and again after every
   * change. When loading fails, `apply` gets `{}` (the plugin's own defaults) and the
   * error goes to the console. Dispose the result to stop.
   */
  watch(pluginId: string, apply: (composite: SettingsValues) => void): IDisposable {
    let live = true;
    let latest = 0;
    let counter = 0;
    const run = (values: SettingsValues, ticket: number) => {
      // A change may land before the first load answers; never apply the older one after it.
      if (!live || ticket < latest) return;
      latest = ticket;
      apply(values);
    };
    const subscription = this.changed(pluginId, (s) => run(s.composite, ++counter));
    const first = ++counter;
    this.load(pluginId).then(
      (values) => run(values, first),
      (err) => {
        console.warn(`Could not load the settings of ${pluginId}; using its defaults.`, err);
        run({}, first);
      }
    );
    return new DisposableDelegate(() => {
      live = false;
      subscription.dispose();
    });
  }
}

/** The server's message for an error response: tornado's JSON `message`, or the text. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: unknown; reason?: unknown };
    if (typeof body.message === 'string' && body.message) return body.message;
    if (typeof body.reason === 'string' && body.reason) return body.reason;
  } catch {
    // not JSON: the text as is
  }
  return text || `HTTP ${response.status}`;
}
