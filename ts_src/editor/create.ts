import type { Application } from '../core/application';
import type { FileBrowserModel } from '../filebrowser/model';
import { errorMessage } from '../core/errors';
import { definePlugin, FILEBROWSER } from '../tokens';

/** The kinds of untitled file `fileeditor:create-new` makes, by extension. */
export const NEW_FILE_KINDS: Readonly<Record<string, string>> = {
  '.txt': 'Text File',
  '.md': 'Markdown File',
  '.py': 'Python File'
};

/**
 * The `fileeditor:create-new {cwd?, ext?}` command: creates `untitled<ext>` (next free
 * name; `ext` one of `.txt` (default), `.md`, `.py`) in `cwd` (default: the file
 * browser's current folder) and opens it in the editor.
 */
export const editorCreatePlugin = definePlugin({
  id: '@jlab-alt/editor:create',
  description: 'Create new text, Markdown and Python files in the current folder.',
  optional: [FILEBROWSER],
  activate(app: Application, browser: FileBrowserModel | null) {
    const extOf = (args: Readonly<Record<string, unknown>>) =>
      typeof args.ext === 'string' && args.ext in NEW_FILE_KINDS ? args.ext : '.txt';
    app.commands.addCommand('fileeditor:create-new', {
      label: (args) => `New ${NEW_FILE_KINDS[extOf(args)]}`,
      caption: 'Create an untitled file in the current folder and open it',
      category: 'File',
      execute: async (args) => {
        const cwd = typeof args.cwd === 'string' ? args.cwd : (browser?.path ?? '');
        const ext = extOf(args);
        try {
          const created = await app.services.contents.newUntitled({ path: cwd, type: 'file', ext });
          if (browser && browser.path === cwd) await browser.refresh();
          return await app.docManager.open(created.path);
        } catch (err) {
          app.notifications.notify(`Cannot create a file in "${cwd || '/'}": ${errorMessage(err)}`, {
            type: 'error'
          });
          return undefined;
        }
      }
    });
  }
});
