import type { Contents } from '@jupyterlab/services';
import type { Shell } from '../shell/shell';
import type { Widget } from '../shell/widget';
import { DocumentContext } from './context';
import type { DocumentRegistry } from './registry';

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

  /**
   * Open `path` (relative to the server root) with `factoryName` or the default factory.
   * @throws Error when no factory can open the file.
   */
  open(path: string, factoryName?: string): Widget {
    const id = DOCUMENT_ID_PREFIX + path;
    const existing = this.shell.dock.get(id);
    if (existing) {
      this.shell.activateById(id);
      return existing;
    }
    const factory = factoryName ? this.registry.get(factoryName) : this.registry.factoriesFor(path)[0];
    if (!factory) throw new Error(`No viewer can open "${path}"`);
    const widget = factory.create(new DocumentContext(path, this.contents));
    this.shell.add(widget, 'main');
    return widget;
  }

  /** The path of a document widget, or null for other widgets. */
  static pathOf(widget: Widget | null): string | null {
    return widget && widget.id.startsWith(DOCUMENT_ID_PREFIX) ? widget.id.slice(DOCUMENT_ID_PREFIX.length) : null;
  }
}
