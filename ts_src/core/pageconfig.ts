/**
 * The page config the server embeds in `<script id="jupyter-config-data">`
 * (written by `jlab_alt/page_config.py`). It never holds the server token.
 */
export interface PageConfig {
  appName: string;
  appVersion: string;
  /** The server's base URL path, with leading and trailing `/`. */
  baseUrl: string;
  /** The app page's URL path (`<baseUrl>jlab-alt`). */
  appUrl: string;
  /** The app's JSON API root (`<baseUrl>jlab-alt/api`). */
  apiUrl: string;
  /** URL path of the hashed assets, ending in `/`. */
  staticUrl: string;
  /** The document to open at start, relative to the server root (`""` for none). */
  treePath: string;
  /** Enabled pip-installed extensions with a frontend part. */
  frontendExtensions?: { name: string; version: string; url: string }[];
  /** Extension names and plugin ids not to load or activate. */
  disabledExtensions?: string[];
  /** Server-side errors of extensions, by name. */
  extensionErrors?: Record<string, string[]>;
  /** Whether the host serves terminals (`@jupyterlab/services` reads this key too). */
  terminalsAvailable?: boolean;
  /** The server's root folder as an absolute path on the server (new terminals start under it). */
  serverRoot?: string;
  /**
   * Keyboard shortcuts the plugins' schemas declare (`jlab-alt.shortcuts`), by plugin id
   * (see `commands/declared.ts`).
   */
  shortcuts?: Record<string, unknown>;
  /** Menus the plugins' schemas declare (`jlab-alt.menus`), by plugin id (see `menus/declared.ts`). */
  menus?: Record<string, unknown>;
  /** Kernels are remote (the server runs with `--gateway-url`): the page checks they are alive. */
  remoteKernels?: boolean;
  /**
   * Set by JupyterHub's single-user server (its `page_config_hook`): the hub's URL
   * prefix (`/hub/`), its origin when the hub is on another host (`""` otherwise),
   * the logged-in user's name, the server owner's name (JupyterHub >= 5) and the
   * named server's name (`""` for the default server).
   */
  hubPrefix?: string;
  hubHost?: string;
  hubUser?: string;
  hubServerUser?: string;
  hubServerName?: string;
}

/** The element id jupyter_server apps (and `@jupyterlab/services`) use for page config. */
export const PAGE_CONFIG_ID = 'jupyter-config-data';

/**
 * Read the page config from `doc`.
 * @throws Error when the element is missing or its JSON lacks `baseUrl`.
 */
export function readPageConfig(doc: Document = document): PageConfig {
  const el = doc.getElementById(PAGE_CONFIG_ID);
  if (!el?.textContent) throw new Error(`The page has no #${PAGE_CONFIG_ID} element`);
  const config = JSON.parse(el.textContent) as PageConfig;
  if (typeof config.baseUrl !== 'string') throw new Error('The page config has no baseUrl');
  return config;
}
