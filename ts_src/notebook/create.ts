import type { Application } from '../core/application';
import type { FileBrowserModel } from '../filebrowser/model';
import { errorMessage } from '../core/errors';
import { definePlugin, FILEBROWSER } from '../tokens';

/** Raised by `notebook:create-new` for a kernel name the server has no kernelspec for. */
export class UnknownKernelSpecError extends Error {
  constructor(readonly kernelName: string) {
    super(`No kernel named "${kernelName}" is installed on the server`);
    this.name = 'UnknownKernelSpecError';
  }
}

/**
 * Create `Untitled.ipynb` (or `Untitled1.ipynb`, ...) in `dir`: nbformat 4.5 with one
 * empty code cell (`NotebookModel.empty`) and the kernelspec `kernelName` (default:
 * the server's default kernelspec) in its metadata, so it opens ready to run.
 * @returns The new notebook's path.
 * @throws UnknownKernelSpecError for a `kernelName` with no kernelspec; the services'
 *   errors when the server refuses (e.g. no write permission).
 */
export async function createNotebook(app: Application, dir: string, kernelName?: string): Promise<string> {
  const { contents, kernelspecs } = app.services;
  await kernelspecs.ready.catch(() => undefined);
  const name = kernelName ?? kernelspecs.specs?.default;
  const spec = name ? kernelspecs.specs?.kernelspecs[name] : undefined;
  if (kernelName && !spec) throw new UnknownKernelSpecError(kernelName);
  // The model is small, but keeps out of the first bundle all the same.
  const { NotebookModel } = await import(/* webpackChunkName: "notebook-model" */ './model/notebook');
  const kernelspec = spec ? { name: spec.name, display_name: spec.display_name, language: spec.language } : undefined;
  const content = NotebookModel.empty(kernelspec).toJSON();
  const created = await contents.newUntitled({ path: dir, type: 'notebook' });
  await contents.save(created.path, { type: 'notebook', format: 'json', content });
  return created.path;
}

/**
 * The `notebook:create-new {cwd?, kernelName?}` command: creates an untitled notebook
 * in `cwd` (default: the file browser's current folder) with that kernelspec and
 * opens it. The launcher, the file browser's "+" and the File menu all use it.
 */
export const notebookCreatePlugin = definePlugin({
  id: '@jlab-alt/notebook:create',
  description: 'Create new notebooks, with a chosen kernel, in the current folder.',
  optional: [FILEBROWSER],
  activate(app: Application, browser: FileBrowserModel | null) {
    app.commands.addCommand('notebook:create-new', {
      label: (args) => {
        const name = typeof args.kernelName === 'string' ? args.kernelName : '';
        const spec = name ? app.services.kernelspecs.specs?.kernelspecs[name] : undefined;
        // A launcher card is already titled "Notebook": it shows the kernel's name alone.
        if (spec && args.isLauncher) return spec.display_name;
        return spec ? `New Notebook (${spec.display_name})` : 'New Notebook';
      },
      caption: 'Create an untitled notebook in the current folder',
      category: 'File',
      execute: async (args) => {
        const cwd = typeof args.cwd === 'string' ? args.cwd : (browser?.path ?? '');
        const kernelName = typeof args.kernelName === 'string' && args.kernelName ? args.kernelName : undefined;
        try {
          const path = await createNotebook(app, cwd, kernelName);
          if (browser && browser.path === cwd) await browser.refresh();
          return await app.docManager.open(path);
        } catch (err) {
          app.notifications.notify(`Cannot create a notebook in "${cwd || '/'}": ${errorMessage(err)}`, {
            type: 'error'
          });
          return undefined;
        }
      }
    });
  }
});
