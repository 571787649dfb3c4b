import type { Contents } from '@jupyterlab/services';

/**
 * Files above this size are sent in chunks of this size (bytes). The contents API
 * takes a file in pieces through the `chunk` field of a save (jupyter_server's
 * LargeFileManager: 1, 2, ... appends, -1 marks the last piece), which keeps each
 * request small; JupyterLab's uploader does the same.
 */
export const CHUNK_SIZE = 1024 * 1024;

/** A file to upload: a browser `File`, or any Blob with a name. */
export interface UploadSource {
  readonly name: string;
  readonly size: number;
  slice(start?: number, end?: number): Blob;
}

/** Options of {@link uploadFile}. */
export interface UploadOptions {
  /** Bytes per request for large files (default {@link CHUNK_SIZE}). */
  chunkSize?: number;
  /** Called after each request with the bytes sent so far and the total. */
  onProgress?(loaded: number, total: number): void;
}

/**
 * Write `file` to `path` on the server through the contents API, as base64, in
 * chunks when it is larger than the chunk size. When a chunked upload fails after
 * its first piece, the incomplete file is deleted (best effort) so no truncated
 * file is left behind.
 * @returns The server's model of the written file.
 * @throws The services' errors (e.g. a ResponseError with status 403).
 */
export async function uploadFile(
  contents: Pick<Contents.IManager, 'save' | 'delete'>,
  path: string,
  file: UploadSource,
  options: UploadOptions = {}
): Promise<Contents.IModel> {
  const chunkSize = Math.max(1, options.chunkSize ?? CHUNK_SIZE);
  const name = path.split('/').pop() ?? path;
  const total = file.size;
  if (total <= chunkSize) {
    const content = await toBase64(file.slice(0, total));
    const model = await contents.save(path, { type: 'file', format: 'base64', name, path, content });
    options.onProgress?.(total, total);
    return model;
  }
  let model: Contents.IModel | null = null;
  for (let start = 0, index = 1; start < total; start += chunkSize, index++) {
    const end = Math.min(total, start + chunkSize);
    const content = await toBase64(file.slice(start, end));
    try {
      model = await contents.save(path, {
        type: 'file',
        format: 'base64',
        name,
        path,
        content,
        chunk: end >= total ? -1 : index
      });
    } catch (err) {
      if (index > 1) await contents.delete(path).catch(() => undefined);
      throw err;
    }
    options.onProgress?.(end, total);
  }
  return model!;
}

/** The bytes of `blob` as base64 (no data: prefix). */
export async function toBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  // String.fromCharCode takes its arguments on the stack: convert in slices.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
