import type { AppPlugin } from '../core/application';
import { errorMessage } from '../core/errors';

/** A frontend extension named in the page config (`frontendExtensions`). */
export interface FrontendExtension {
  /** The extension's entry-point name. */
  name: string;
  version: string;
  /** URL of its ES-module entry. */
  url: string;
}

/** What loading the frontend extensions gave. */
export interface LoadResult {
  /** Plugins found, with the extension each came from. */
  plugins: { extension: string; plugin: AppPlugin }[];
  /** Extensions whose module failed to load or exported no valid plugin. */
  failures: { extension: string; error: string }[];
}

function isPlugin(value: unknown): value is AppPlugin {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as AppPlugin).id === 'string' &&
    typeof (value as AppPlugin).activate === 'function'
  );
}

/**
 * Import every extension's entry module, in parallel; collect the plugins each
 * exports as `default` (a plugin or an array) and/or `plugins` (an array).
 * Never rejects: a module that fails to import is listed in `failures`.
 *
 * @param importer Imports a module URL (tests replace it; default: `import()`).
 */
export async function loadFrontendExtensions(
  extensions: FrontendExtension[],
  importer: (url: string) => Promise<Record<string, unknown>> = (url) => import(/* webpackIgnore: true */ url)
): Promise<LoadResult> {
  const result: LoadResult = { plugins: [], failures: [] };
  const settled = await Promise.allSettled(extensions.map((ext) => importer(ext.url)));
  settled.forEach((outcome, i) => {
    const ext = extensions[i]!;
    if (outcome.status === 'rejected') {
      const err = outcome.reason;
      result.failures.push({ extension: ext.name, error: `could not load ${ext.url}: ${errorMessage(err)}` });
      return;
    }
    const mod = outcome.value;
    const found = [mod.default, mod.plugins].flatMap((v) => (Array.isArray(v) ? v : v === undefined ? [] : [v]));
    const plugins = found.filter(isPlugin);
    if (plugins.length === 0) {
      result.failures.push({
        extension: ext.name,
        error: 'its module exports no plugin (export default {id, activate} or an array of them)'
      });
    }
    for (const plugin of plugins) result.plugins.push({ extension: ext.name, plugin });
  });
  return result;
}
