import type { Application } from '../core/application';
import { newCellId } from '../notebook/model/cell';

/**
 * Create `Untitled.ipynb` (or `Untitled1.ipynb`, ...) in `dir` with one empty code cell
 * and the server's default kernelspec in its metadata, so it opens ready to run.
 * @returns The new notebook's path.
 * @throws The services' errors when the server refuses (e.g. no write permission).
 */
export async function createNotebook(app: Application, dir: string): Promise<string> {
  const { contents, kernelspecs } = app.services;
  await kernelspecs.ready.catch(() => undefined);
  const name = kernelspecs.specs?.default;
  const spec = name ? kernelspecs.specs?.kernelspecs[name] : undefined;
  const created = await contents.newUntitled({ path: dir, type: 'notebook' });
  await contents.save(created.path, {
    type: 'notebook',
    format: 'json',
    content: {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: spec ? { kernelspec: { name: spec.name, display_name: spec.display_name, language: spec.language } } : {},
      cells: [{ cell_type: 'code', id: newCellId(), metadata: {}, source: '', outputs: [], execution_count: null }]
    }
  });
  return created.path;
}

/**
 * Create `Untitled Folder` (or `Untitled Folder 1`, ...) in `dir`.
 * @returns The new folder's path.
 */
export async function createFolder(app: Application, dir: string): Promise<string> {
  const created = await app.services.contents.newUntitled({ path: dir, type: 'directory' });
  return created.path;
}
