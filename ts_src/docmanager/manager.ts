import type { Contents } from '@jupyterlab/services';
import type { Shell } from '../shell/shell';
import type { Widget } from '../shell/widget';
import { DocumentContext } from './context';
import type { DocumentRegistry } from './registry';

/** A server path as a URL path: each segment percent-encoded, `/` kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Prefix of the shell ids of document widgets: `document:<path>`. */
export const DOCUMENT_ID_PREFIX = 'document:';

/**
 * Opens documents: picks the widget factory for a path, creates the widget and
 * puts it in the main area; opening a path already open activates its tab.
 */
export class DocumentManager {
  constructor(
    private readonly registry: DocumentRegistry,
    private readonly contents: Contents.IManager,
    private readonly shell: Shell
  ) {}

  private opening = new Map<string, Promise<Widget>>();

  /**
   * Open `path` (relative to the server root) with `factoryName` or the default
   * factory; resolves with the widget once it is in the main area.
   * @throws Error (as a rejection) when no factory can open the file.
   */
  open(path: string, factoryName?: string): Promise<Widget> {
    const id = DOCUMENT_ID_PREFIX + path;
    const existing = this.shell.dock.get(id);
    if (existing) {
      this.shell.activateById(id);
      return Promise.resolve(existing);
    }
    const pending = this.opening.get(id);
    if (pending) return pending;
    const factory = factoryName ? this.registry.get(factoryName) : this.registry.factoriesFor(path)[0];
    if (!factory) return Promise.reject(new Error(`No viewer can open "${path}"`));
    const promise = (async () => {
      try {
        const widget = await factory.create(new DocumentContext(path, this.contents));
        this.shell.add(widget, 'main');
        return widget;
      } finally {
        this.opening.delete(id);
      }
    })();
    this.opening.set(id, promise);
    return promise;
  }

  /** The path of a document widget, or null for other widgets. */
  static pathOf(widget: Widget | null): string | null {
    return widget && widget.id.startsWith(DOCUMENT_ID_PREFIX) ? widget.id.slice(DOCUMENT_ID_PREFIX.length) : null;
  }
}
