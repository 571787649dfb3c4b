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
// Catching up with the execution journal (issue 16).
import { journalPlugin } from './journal/plugin';

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
  // Catching up with the execution journal (issue 16).
  journalPlugin
];
