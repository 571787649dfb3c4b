import type { Contents } from '@jupyterlab/services';
import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import { URLExt } from '@jupyterlab/coreutils';

/**
 * What changed in a notebook since the version the page last loaded or saved, as the
 * save-delta API (`POST <base>jlab-alt/api/save-delta/<path>`, jlab_alt.savedelta)
 * takes it, without its base's `last_modified` (the document context adds it).
 */
export interface NotebookChanges {
  /** How many cells the base version had (the server checks it). */
  cell_count: number;
  /** Changed and added cells, whole, as nbformat JSON with their `id`. */
  cells: unknown[];
  /** The cell ids in their new order; absent when the order is the base's. */
  order?: string[];
  /** The notebook's new metadata; absent when unchanged. */
  metadata?: Record<string, unknown>;
}

/**
 * Save a notebook by sending only its changes; the server merges them into the file
 * (read through the host's contents manager) and saves through it.
 *
 * @param settings the app's server settings (the contents manager's `serverSettings`).
 * @param path the notebook's API path.
 * @param lastModified the host's `last_modified` of the version `changes` were made against.
 * @returns the host's contents model of the saved file (no content), as a PUT answers.
 * @throws ServerConnection.ResponseError: 409 when the file changed on disk since
 *   `lastModified`; 422 when the changes do not fit the file (send it whole then);
 *   the host's errors of the save (403, 404, 507, ...). ServerConnection.NetworkError
 *   when the server cannot be reached.
 */
export async function saveNotebookChanges(
  settings: ServerConnection.ISettings,
  path: string,
  lastModified: string,
  changes: NotebookChanges
): Promise<Contents.IModel> {
  const url = URLExt.join(settings.baseUrl, 'jlab-alt/api/save-delta', URLExt.encodeParts(path));
  const delta = { format: 1, base: { last_modified: lastModified, cell_count: changes.cell_count }, ...changes };
  delete (delta as { cell_count?: number }).cell_count;
  const init: RequestInit = { method: 'POST', body: JSON.stringify({ delta }) };
  const response = await ServerConnection.makeRequest(url, init, settings);
  if (!response.ok) throw await ServerConnection.ResponseError.create(response);
  return (await response.json()) as Contents.IModel;
}

/**
 * Ask the server to read a notebook now, so that its next save by changes needs no read
 * of the file (`POST <base>jlab-alt/api/save-delta-base/<path>`, jlab_alt.savedelta): sent
 * at the first edit after loading, the read happens while the person types.
 *
 * @param settings the app's server settings.
 * @param path the notebook's API path.
 * @throws ServerConnection.ResponseError when the server refuses (404: no such file);
 *   ServerConnection.NetworkError when it cannot be reached. Callers ignore both: a save
 *   then reads the file itself.
 */
export async function prepareNotebookChanges(settings: ServerConnection.ISettings, path: string): Promise<void> {
  const url = URLExt.join(settings.baseUrl, 'jlab-alt/api/save-delta-base', URLExt.encodeParts(path));
  const response = await ServerConnection.makeRequest(url, { method: 'POST' }, settings);
  if (!response.ok) throw await ServerConnection.ResponseError.create(response);
}

/**
 * Tell the contents manager's listeners (the file browser, the document manager) that
 * `saved` was written, as its own `save()` does with a `{type: 'save'}` change: a save
 * by changes goes around the manager, and without this the file browser showed the old
 * modified time until its next poll.
 *
 * @param contents the app's contents manager; its `fileChanged` is a Lumino `Signal`
 *   in `@jupyterlab/services` (typed read-only there). A manager whose signal cannot be
 *   emitted (a test double) is left alone.
 */
export function announceSave(contents: Contents.IManager, saved: Contents.IModel): void {
  const signal = contents.fileChanged as unknown as { emit?: (args: Contents.IChangedArgs) => void };
  if (typeof signal.emit === 'function') signal.emit.call(signal, { type: 'save', oldValue: null, newValue: saved });
}

