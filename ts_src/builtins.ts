import { palettePlugin } from './commands/plugin';
import type { AppPlugin } from './core/application';
import { docManagerPlugin } from './docmanager/plugin';
import { editorPlugin } from './editor/plugin';
import { extensionManagerPlugin } from './extmanager/plugin';
import { fileBrowserPlugin } from './filebrowser/plugin';
import { notebookPlugin } from './notebook/plugin';
import { renderMimePlugin } from './rendermime/plugin';
import { shellPlugin } from './shell/plugin';
import { themePlugin } from './theme/plugin';
import { widgetsPlugin } from './widgets/plugin';
// workspace: new notebook/file commands, launcher, menu bar, shortcut help, status items
import { notebookCreatePlugin } from './notebook/create';
import { editorCreatePlugin } from './editor/create';
import { launcherPlugin } from './launcher/plugin';
import { menusPlugin } from './menus/plugin';
import { shortcutsHelpPlugin } from './shortcuts/plugin';
import { statusItemsPlugin } from './statusitems/plugin';

/** Every built-in feature, as plugins on the same API third-party extensions use. */
export const BUILTIN_PLUGINS: AppPlugin<any>[] = [
  themePlugin,
  shellPlugin,
  palettePlugin,
  docManagerPlugin,
  renderMimePlugin,
  notebookPlugin,
  editorPlugin,
  widgetsPlugin,
  fileBrowserPlugin,
  extensionManagerPlugin,
  // workspace: new notebook/file commands, launcher, menu bar, shortcut help, status items
  notebookCreatePlugin,
  editorCreatePlugin,
  launcherPlugin,
  menusPlugin,
  shortcutsHelpPlugin,
  statusItemsPlugin
];
