/**
 * Plugins: the unit in which every feature, built-in or third-party, joins the app.
 *
 * A plugin names the plugins it `requires` (activation fails without them) and the
 * ones it uses if present (`optional`). `activate(app, ...deps)` receives, after the
 * app, the values returned by the `activate` of each required plugin, then of each
 * optional one (`null` when missing, disabled or failed). Each activation runs in
 * isolation: one that throws is recorded and reported, and only plugins requiring
 * it fail with it.
 */
import { errorMessage } from './errors';
import { nextTask } from './tasks';

/** Main-thread time plugins activate in before the rest wait for a new task (ms). */
const ACTIVATION_SLICE_MS = 25;

/** A plugin as authors write it. `T` is the value `activate` provides to dependents. */
export interface Plugin<A, T = unknown> {
  /** Unique id, "package:name" by convention ("@jlab-alt/filebrowser:plugin"). */
  id: string;
  description?: string;
  /** Ids of plugins that must activate first; their values follow `app` in `activate`. */
  requires?: string[];
  /** Ids of plugins used when available; their values (or null) follow the required ones. */
  optional?: string[];
  /** Activate at start (default true); otherwise only when another plugin requires it. */
  autoStart?: boolean;
  activate(app: A, ...deps: any[]): T | Promise<T>;
}

/** What became of one plugin. */
export type PluginStatus =
  | { state: 'pending' }
  | { state: 'active' }
  | { state: 'disabled' }
  | { state: 'failed'; error: string };

/** Raised by {@link PluginRegistry.register} for an id already registered. */
export class DuplicatePluginError extends Error {
  constructor(readonly id: string) {
    super(`A plugin with id "${id}" is already registered`);
    this.name = 'DuplicatePluginError';
  }
}

/** One failed activation, for the console, a notification and the extension list. */
export interface PluginFailure {
  id: string;
  error: string;
}

export class PluginRegistry<A> {
  private plugins = new Map<string, Plugin<A>>();
  private values = new Map<string, unknown>();
  private status = new Map<string, PluginStatus>();
  private activating = new Map<string, Promise<unknown>>();

  /**
   * @param disabled Ids of plugins never to activate (the `disabledExtensions` setting);
   *   a plugin requiring one fails with a message naming it.
   */
  constructor(private readonly disabled: ReadonlySet<string> = new Set()) {}

  /** @throws DuplicatePluginError when a plugin with the same id is registered. */
  register(plugin: Plugin<A, any>): void {
    if (this.plugins.has(plugin.id)) throw new DuplicatePluginError(plugin.id);
    this.plugins.set(plugin.id, plugin);
    this.status.set(plugin.id, this.disabled.has(plugin.id) ? { state: 'disabled' } : { state: 'pending' });
  }

  has(id: string): boolean {
    return this.plugins.has(id);
  }

  /** The value an active plugin provided, or undefined. */
  get<T>(id: string): T | undefined {
    return this.values.get(id) as T | undefined;
  }

  /** Every registered plugin's id, description and status, in registration order. */
  list(): { id: string; description: string; status: PluginStatus }[] {
    return [...this.plugins.values()].map((p) => ({
      id: p.id,
      description: p.description ?? '',
      status: this.status.get(p.id)!
    }));
  }

  /**
   * Activate every auto-start plugin (and what they require), each in isolation.
   * Never rejects: resolves with the failures, in the order they happened.
   */
  async activateAll(app: A): Promise<PluginFailure[]> {
    const failures: PluginFailure[] = [];
    // Activations chained by `await` are microtasks of one task: sixty plugins made one
    // task of 100-200 ms on a slow machine (2026-12-05). After a slice of ACTIVATION_SLICE_MS
    // the next plugin activates in a new task, so the page can paint and take input.
    let slice = performance.now();
    for (const plugin of this.plugins.values()) {
      if (plugin.autoStart === false || this.disabled.has(plugin.id)) continue;
      if (performance.now() - slice > ACTIVATION_SLICE_MS) {
        await nextTask();
        slice = performance.now();
      }
      try {
        await this.activate(plugin.id, app, []);
      } catch {
        // Recorded in `status`; collected below so each failure is reported once.
      }
    }
    for (const [id, status] of this.status) {
      if (status.state === 'failed') failures.push({ id, error: status.error });
    }
    return failures;
  }

  /**
   * Activate plugin `id` after its requirements; resolves with its value.
   * @throws Error naming the plugin and the cause when it or a requirement fails.
   */
  activate(id: string, app: A, chain: string[]): Promise<unknown> {
    // Checked first: `id` may be mid-activation but not yet in `activating` (optional
    // plugins that use each other re-enter here synchronously).
    if (chain.includes(id)) {
      return Promise.reject(new Error(`Circular requirement: ${[...chain, id].join(' -> ')}`));
    }
    const running = this.activating.get(id);
    if (running) return running;
    const promise = this.doActivate(id, app, [...chain, id]);
    this.activating.set(id, promise);
    return promise;
  }

  private async doActivate(id: string, app: A, chain: string[]): Promise<unknown> {
    const plugin = this.plugins.get(id)!;
    try {
      const required: unknown[] = [];
      for (const dep of plugin.requires ?? []) {
        required.push(await this.requirement(dep, app, chain));
      }
      const optional: unknown[] = [];
      for (const dep of plugin.optional ?? []) {
        try {
          optional.push(this.plugins.has(dep) && !this.disabled.has(dep) ? await this.activate(dep, app, chain) : null);
        } catch {
          optional.push(null);
        }
      }
      const value = await plugin.activate(app, ...required, ...optional);
      this.values.set(id, value);
      this.status.set(id, { state: 'active' });
      return value;
    } catch (err) {
      const message = errorMessage(err);
      if (this.status.get(id)?.state !== 'failed') this.status.set(id, { state: 'failed', error: message });
      throw new Error(`Plugin "${id}" failed to activate: ${message}`);
    }
  }

  private async requirement(dep: string, app: A, chain: string[]): Promise<unknown> {
    if (!this.plugins.has(dep)) throw new Error(`it requires "${dep}", which no plugin provides`);
    if (this.disabled.has(dep)) throw new Error(`it requires "${dep}", which is disabled`);
    if (chain.includes(dep)) throw new Error(`circular requirement ${[...chain, dep].join(' -> ')}`);
    try {
      return await this.activate(dep, app, chain);
    } catch {
      const status = this.status.get(dep);
      const why = status?.state === 'failed' ? status.error : 'unknown error';
      throw new Error(`it requires "${dep}", which failed to activate (${why})`);
    }
  }
}
