import { DisposableDelegate, IDisposable } from '../core/disposable';
import type { Widget } from '../shell/widget';
import type { DocumentContext } from './context';

/** Creates the widget that shows a document of some file types. */
export interface WidgetFactory {
  /** Unique name ("Notebook", "Text Viewer"); used by "Open With". */
  name: string;
  /**
   * File name patterns it opens: extensions (".ipynb") or "*" for any file.
   * Matching ignores case.
   */
  fileTypes: string[];
  /** Lower ranks are preferred among factories matching a file (default 500). */
  rank?: number;
  /**
   * Plugin id whose settings `autosave` (boolean, default true) and `autosaveInterval`
   * (seconds, default 120) govern the document manager's autosave of the documents
   * this factory opens; without it they are never autosaved.
   */
  autosaveSettings?: string;
  /** False: offered by "Open With" only, never chosen to open a file by default (default true). */
  openByDefault?: boolean;
  /** Build the widget for the document behind `context` (async factories load their code lazily). */
  create(context: DocumentContext): Widget | Promise<Widget>;
}

/** The widget factories, and which one opens a path by default. */
export class DocumentRegistry {
  private factories: WidgetFactory[] = [];

  /**
   * Register a factory; dispose the result to remove it.
   * @throws Error when a factory with the same name exists.
   */
  addWidgetFactory(factory: WidgetFactory): IDisposable {
    if (this.factories.some((f) => f.name === factory.name)) {
      throw new Error(`A widget factory named "${factory.name}" already exists`);
    }
    this.factories.push(factory);
    return new DisposableDelegate(() => {
      this.factories = this.factories.filter((f) => f !== factory);
    });
  }

  /** Every factory that can open `path`, best first. */
  factoriesFor(path: string): WidgetFactory[] {
    const name = path.split('/').pop()!.toLowerCase();
    const score = (f: WidgetFactory) => {
      const specific = f.fileTypes.some((t) => t !== '*' && name.endsWith(t.toLowerCase()));
      return specific ? 0 : f.fileTypes.includes('*') ? 1 : -1;
    };
    return this.factories
      .filter((f) => score(f) >= 0)
      .sort((a, b) => score(a) - score(b) || (a.rank ?? 500) - (b.rank ?? 500));
  }

  /** The factory by name, if registered. */
  get(name: string): WidgetFactory | undefined {
    return this.factories.find((f) => f.name === name);
  }
}
