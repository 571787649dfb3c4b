import type { Application } from '../core/application';

/**
 * Create `Untitled Folder` (or `Untitled Folder 1`, ...) in `dir`.
 * @returns The new folder's path.
 */
export async function createFolder(app: Application, dir: string): Promise<string> {
  const created = await app.services.contents.newUntitled({ path: dir, type: 'directory' });
  return created.path;
}
