import type { Contents } from '@jupyterlab/services';

/**
 * One open document's link to the host's contents service: its path and how to
 * load it. Document widgets read and write through their context, never through
 * the server directly.
 */
export class DocumentContext {
  constructor(
    readonly path: string,
    readonly contents: Contents.IManager
  ) {}

  /** The file name, last segment of the path. */
  get name(): string {
    return this.path.split('/').pop() ?? this.path;
  }

  /**
   * Fetch the document with its content.
   * @param options Contents API options, e.g. `{type: 'file', format: 'text'}`.
   * @throws The services' ResponseError when the server refuses (missing file, ...).
   */
  load(options: Contents.IFetchOptions = {}): Promise<Contents.IModel> {
    return this.contents.get(this.path, { content: true, ...options });
  }
}
