import { palettePlugin } from './commands/plugin';
import { consolePlugin } from './console/plugin';
import type { AppPlugin } from './core/application';
import { docManagerPlugin } from './docmanager/plugin';
import { editorCreatePlugin } from './editor/create';
import { editorPlugin } from './editor/plugin';
import { exportPlugin } from './export/plugin';
import { extensionManagerPlugin } from './extmanager/plugin';
import { fileBrowserPlugin } from './filebrowser/plugin';
import { gatewayPlugin } from './gateway/plugin';
import { hubPlugin } from './hub/plugin';
import { journalPlugin } from './journal/plugin';
import { kernelPlugin } from './kernel/plugin';
import { launcherPlugin } from './launcher/plugin';
import { menusPlugin } from './menus/plugin';
import { notebookCreatePlugin } from './notebook/create';
import { notebookPlugin } from './notebook/plugin';
import { recoveryPlugin } from './recovery/plugin';
import { renderMimePlugin } from './rendermime/plugin';
import { runningPlugin } from './running/plugin';
import { settingEditorPlugin, shortcutsPlugin } from './settingeditor/plugin';
import { layoutPlugin } from './shell/layout-plugin';
import { shellPlugin } from './shell/plugin';
import { shortcutsHelpPlugin } from './shortcuts/plugin';
import { statusItemsPlugin } from './statusitems/plugin';
import { terminalPlugin } from './terminal/plugin';
import { themePlugin } from './theme/plugin';
import { tocPlugin } from './toc/plugin';
import { viewersPlugin } from './viewers/plugin';
import { widgetsPlugin } from './widgets/plugin';

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
  // faults: crash recovery of unsaved edits
  recoveryPlugin,
  // settings: saved layout, settings editor, user shortcuts
  layoutPlugin,
  shortcutsPlugin,
  settingEditorPlugin,
  // Terminals and the running panel (issue 13)
  terminalPlugin,
  runningPlugin,
  // Kernels shared by features, and code consoles (console helper)
  kernelPlugin,
  consolePlugin,
  // workspace: new notebook/file commands, launcher, menu bar, shortcut help, status items
  notebookCreatePlugin,
  editorCreatePlugin,
  launcherPlugin,
  menusPlugin,
  shortcutsHelpPlugin,
  statusItemsPlugin,
  // documents: table of contents, export, viewers
  tocPlugin,
  exportPlugin,
  viewersPlugin,
  // JupyterHub integration (commands, stopped-server dialog)
  hubPlugin,
  // Remote kernels through a gateway (liveness check)
  gatewayPlugin,
  // Catching up with the execution journal (issue 16).
  journalPlugin
];
