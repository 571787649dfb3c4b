/**
 * The typed ids of the built-in plugins that provide a value, and `definePlugin`.
 *
 * Write `requires: [RENDERMIME]` and `activate(app, rendermime)` gets the type
 * `RenderMimeRegistry`; a wrong parameter type, or a non-null one for an `optional`
 * dependency, is a compile error (see `core/token.ts`). Each token is the plugin's id
 * string at run time, unchanged, so extensions and settings that use the strings work
 * as before. The types are imported with `import type` only: this module pulls no
 * feature code into anything that imports it.
 */
import type { Application } from './core/application';
import { pluginDefiner, token } from './core/token';
import type { FileBrowserModel } from './filebrowser/model';
import type { ServerMonitor } from './hub/monitor';
import type { KernelSources } from './kernel/sources';
import type { LauncherModel } from './launcher/model';
import type { MenuRegistry } from './menus/model';
import type { NotebookTracker } from './notebook/tracker';
import type { RenderMimeRegistry } from './rendermime/registry';
import type { UserShortcuts } from './settingeditor/plugin';
import type { LayoutRestorer } from './shell/restorer';
import type { TerminalTracker } from './terminal/plugin';
import type { ThemeManager } from './theme/theme';
import type { TocRegistry } from './toc/registry';

export { token } from './core/token';
export type { Token } from './core/token';

/**
 * Declare a plugin of the app with its dependencies typed (see the module comment);
 * returns the plugin unchanged.
 */
export const definePlugin = pluginDefiner<Application>();

/** The theme manager: `theme`, `preference`, `changed`. */
export const THEME = token<ThemeManager>('@jlab-alt/theme:plugin');
/** The file browser's model (folder, listing, selection, file operations). */
export const FILEBROWSER = token<FileBrowserModel>('@jlab-alt/filebrowser:plugin');
/** The mime renderers of outputs and documents. */
export const RENDERMIME = token<RenderMimeRegistry>('@jlab-alt/rendermime:plugin');
/** The open notebooks: `current`, `all` and their events. */
export const NOTEBOOK = token<NotebookTracker>('@jlab-alt/notebook:plugin');
/** The kernels of every feature (notebooks, consoles), for kernel-wide listeners. */
export const KERNEL = token<KernelSources>('@jlab-alt/kernel:plugin');
/** The saved layout's restorer, where features register how their tabs come back. */
export const LAYOUT = token<LayoutRestorer>('@jlab-alt/shell:layout');
/** The user's keyboard shortcuts in effect, with their conflicts. */
export const SHORTCUTS = token<UserShortcuts>('@jlab-alt/settingeditor:shortcuts');
/** The open terminals. */
export const TERMINAL = token<TerminalTracker>('@jlab-alt/terminal:plugin');
/** The table of contents' providers. */
export const TOC = token<TocRegistry>('@jlab-alt/toc:plugin');
/** The launcher's items. */
export const LAUNCHER = token<LauncherModel>('@jlab-alt/launcher:plugin');
/** The menu bar's menus. */
export const MENUS = token<MenuRegistry>('@jlab-alt/menus:plugin');
/** The JupyterHub server monitor; null outside JupyterHub. */
export const HUB = token<ServerMonitor | null>('@jlab-alt/hub:plugin');
