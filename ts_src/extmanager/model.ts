import { requestJSON } from '../api/request';
import type { Application } from '../core/application';
import type { PluginStatus } from '../core/plugins';
import { Emitter } from '../core/emitter';
import { errorMessage } from '../core/errors';

/** An installed extension as `GET /jlab-alt/api/extensions` lists it. */
export interface ServerExtension {
  name: string;
  version: string;
  /** The name pip knows it by (what to `pip uninstall`); "" when unknown. */
  distribution?: string;
  module: string;
  enabled: boolean;
  server: boolean;
  frontend: { entry: string } | null;
  errors: string[];
}

/** One row of the extension list: server facts plus what happened in this page. */
export interface ExtensionRow extends ServerExtension {
  /** Frontend load error in this page, if any. */
  loadError: string | null;
  /** The extension's frontend plugins and their status in this page. */
  plugins: { id: string; status: PluginStatus }[];
}

/**
 * The extension list: the server's listing (`/jlab-alt/api/extensions`) joined with
 * this page's frontend loading and plugin activation results.
 */
export class ExtensionListModel {
  rows: ExtensionRow[] = [];
  builtins: { id: string; description: string; status: PluginStatus }[] = [];
  error: string | null = null;
  private readonly _changed = new Emitter<void>();
  readonly changed = this._changed.event;

  constructor(private readonly app: Application) {}

  /** Fetch the server listing again and recompute the rows. */
  async refresh(): Promise<void> {
    let server: ServerExtension[] = [];
    try {
      server = (await requestJSON<{ extensions: ServerExtension[] }>(this.app, 'api/extensions')).extensions;
      this.error = null;
    } catch (err) {
      this.error = `Could not list extensions: ${errorMessage(err)}`;
    }
    const plugins = this.app.plugins.list();
    this.rows = server.map((ext) => ({
      ...ext,
      loadError: this.app.extensionFailures.filter((f) => f.extension === ext.name).map((f) => f.error).join('; ') || null,
      plugins: plugins
        .filter((p) => this.app.pluginSource.get(p.id) === ext.name)
        .map((p) => ({ id: p.id, status: p.status }))
    }));
    this.builtins = plugins.filter((p) => !this.app.pluginSource.has(p.id));
    this._changed.emit();
  }
}
