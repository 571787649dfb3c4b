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
// Kernels shared by features, and code consoles (console helper)
import { kernelPlugin } from './kernel/plugin';
import { consolePlugin } from './console/plugin';

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
  // Kernels shared by features, and code consoles (console helper)
  kernelPlugin,
  consolePlugin
];
