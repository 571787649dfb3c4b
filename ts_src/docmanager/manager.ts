import type { Contents } from '@jupyterlab/services';
import { Emitter } from '../core/emitter';
import { nextTask } from '../core/tasks';
import type { DockPlacement } from '../shell/dock';
import type { Shell } from '../shell/shell';
import type { Widget } from '../shell/widget';
import { DocumentContext } from './context';
import type { DocumentRegistry, WidgetFactory } from './registry';

/** A server path as a URL path: each segment percent-encoded, `/` kept. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** Prefix of the shell ids of document widgets: `document:<path>`. */
export const DOCUMENT_ID_PREFIX = 'document:';

/** Where `path` goes when `from` is renamed to `to`: itself, a path inside it, or null if unaffected. */
export function renamedPath(path: string, from: string, to: string): string | null {
  if (path === from) return to;
  if (path.startsWith(from + '/')) return to + path.slice(from.length);
  return null;
}

/** Whether `path` is `dir` itself or inside it. */
function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}

/**
 * Opens documents: picks the widget factory for a path, creates the widget and
 * puts it in the main area; opening a path already open activates its tab.
 *
 * It follows the contents service: when an open file (or a folder above it) is
 * renamed, the document's context, tab label and tooltip take the new path; when
 * it is deleted, its tab closes. This covers every rename or delete made through
 * the app's contents manager (the file browser's, an extension's).
 */
export class DocumentManager {
  /** Opens in flight, by path, with the factory each uses (see {@link open}). */
  private opening = new Map<string, { factory: string; promise: Promise<Widget> }[]>();
  private readonly docs = new Map<Widget, DocumentContext>();
  private readonly factories = new Map<Widget, WidgetFactory>();
  private readonly _pathChanged = new Emitter<{ widget: Widget; oldPath: string; newPath: string }>();
  /** Fires after an open document's path changed (renamed or moved, or saved as another file). */
  readonly pathChanged = this._pathChanged.event;
  private readonly _opened = new Emitter<{ widget: Widget; context: DocumentContext }>();
  /** Fires when a document was opened, before its widget is added to the shell. */
  readonly opened = this._opened.event;

  constructor(
    private readonly registry: DocumentRegistry,
    private readonly contents: Contents.IManager,
    private readonly shell: Shell
  ) {
    contents.fileChanged.connect((_, change) => this.onFileChanged(change));
  }

  /**
   * Open `path` (relative to the server root) with `factoryName` or the default
   * factory; resolves with the widget once it is in the main area, placed by `placement`
   * (default: a tab beside the active one).
   * @throws Error (as a rejection) when no factory can open the file.
   */
  open(path: string, factoryName?: string, placement: DockPlacement = {}): Promise<Widget> {
    // "Open With" another factory opens a second view of the file beside the first.
    const existing = this.findWidget(path, factoryName);
    if (existing) {
      this.shell.activateById(existing.id);
      return Promise.resolve(existing);
    }
    // Opens in flight join each other: the saved layout's restore names the factory, the
    // address (`/tree/<path>`) does not, and both run at start. Without this, each made
    // its own widget and kernel connection for the same notebook.
    const inFlight = this.opening.get(path) ?? [];
    const joined = inFlight.find((o) => !factoryName || o.factory === factoryName);
    if (joined) return joined.promise;
    const factory = factoryName
      ? this.registry.get(factoryName)
      : this.registry.factoriesFor(path).find((f) => f.openByDefault !== false);
    if (!factory) return Promise.reject(new Error(`No viewer can open "${path}"`));
    const entry = { factory: factory.name, promise: null as unknown as Promise<Widget> };
    const promise = (async () => {
      try {
        const context = new DocumentContext(path, this.contents, (id) => !!this.shell.dock.get(id));
        const widget = await factory.create(context);
        // Made in one task, added in the next: adding makes the dock measure its tabs,
        // which lays out the whole page with the new widget in it (each half 20-60 ms for a
        // notebook on a slow machine, 2026-12-05).
        await nextTask();
        const holder = this.shell.dock.get(widget.id);
        if (holder && holder !== widget) {
          // The factory ignored context.widgetId and its id belongs to a document
          // opened under this path and renamed since: the dock would show that one.
          widget.dispose();
          context.dispose();
          throw new Error(`Close "${holder.title.label}" (formerly "${path}") before opening "${path}"`);
        }
        this.docs.set(widget, context);
        this.factories.set(widget, factory);
        // A rename (followed below) or a Save As: the tab, tooltip and address follow.
        const follow = context.pathChanged(({ oldPath, newPath }) => {
          widget.title.label = context.name;
          widget.title.caption = newPath;
          if (widget.node.dataset.path !== undefined) widget.node.dataset.path = newPath;
          this._pathChanged.emit({ widget, oldPath, newPath });
        });
        widget.disposed(() => {
          follow.dispose();
          this.docs.delete(widget);
          this.factories.delete(widget);
          context.dispose();
        });
        this._opened.emit({ widget, context });
        this.shell.add(widget, 'main', placement);
        return widget;
      } finally {
        const rest = (this.opening.get(path) ?? []).filter((o) => o !== entry);
        if (rest.length) this.opening.set(path, rest);
        else this.opening.delete(path);
      }
    })();
    entry.promise = promise;
    this.opening.set(path, [...inFlight, entry]);
    return promise;
  }

  /** The open widget of the document at `path` (made by `factoryName`, when given), if any. */
  findWidget(path: string, factoryName?: string): Widget | undefined {
    for (const [widget, context] of this.docs) {
      if (context.path === path && (!factoryName || this.factories.get(widget)?.name === factoryName)) return widget;
    }
    return undefined;
  }

  /** Every open document widget. */
  get widgets(): Widget[] {
    return [...this.docs.keys()];
  }

  /** The context of a document widget (null for other widgets). */
  contextOf(widget: Widget | null): DocumentContext | null {
    return (widget && this.docs.get(widget)) ?? null;
  }

  /** The factory that opened a document widget (its autosave settings id...), or null. */
  factoryOf(widget: Widget | null): WidgetFactory | null {
    return (widget && this.factories.get(widget)) ?? null;
  }

  /** Every open document's context. */
  get contexts(): DocumentContext[] {
    return [...this.docs.values()];
  }

  /** The name of the widget factory that created a document widget (the saved layout reopens with it). */
  factoryNameOf(widget: Widget | null): string | null {
    return this.factoryOf(widget)?.name ?? null;
  }

  /** The current path of a document widget, or null for other widgets. */
  pathOf(widget: Widget | null): string | null {
    return this.contextOf(widget)?.path ?? null;
  }

  private onFileChanged(change: Contents.IChangedArgs): void {
    if (change.type === 'rename') {
      const from = change.oldValue?.path;
      const to = change.newValue?.path;
      if (typeof from !== 'string' || typeof to !== 'string') return;
      for (const context of this.docs.values()) {
        const next = renamedPath(context.path, from, to);
        if (next !== null) context.setPath(next);
      }
    } else if (change.type === 'delete') {
      const gone = change.oldValue?.path;
      if (typeof gone !== 'string') return;
      for (const [widget, context] of [...this.docs]) if (isWithin(context.path, gone)) widget.dispose();
    }
  }
}
