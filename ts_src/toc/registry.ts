import { DisposableDelegate, type IDisposable } from '../core/disposable';
import type { Listener } from '../core/emitter';
import type { Widget } from '../shell/widget';
import type { NumberingOptions, TocItem } from './model';

/**
 * The table of contents of one open document. Made by a {@link TocFactory} for a
 * widget and disposed when the panel shows another widget.
 */
export interface TocProvider {
  /** The headings, in document order, numbered, skipped ones left out. */
  readonly items: readonly TocItem[];
  /** Index in {@link items} of the heading whose section holds the cursor or active cell, or -1. */
  readonly activeIndex: number;
  /** Fires when `items` or `activeIndex` changed. */
  readonly changed: (listener: Listener<void>) => IDisposable;
  /** Scroll the heading to the top of the document's view and put the cursor / active cell on it. */
  jump(item: TocItem): void;
  /** Run the code cells of the heading's section (notebooks). */
  runSection?(item: TocItem): void;
  /** Collapse or expand the heading's section (notebooks). */
  toggleCollapsed?(item: TocItem): void;
  /** Apply new numbering options. */
  setNumbering(options: NumberingOptions): void;
  dispose(): void;
}

/** Makes table-of-contents providers for the widgets it knows (keyed by widget type). */
export interface TocFactory {
  /** Name shown in errors and for debugging ("Notebook", "Markdown"). */
  name: string;
  /** The provider for `widget`, or null when this factory does not handle it. */
  create(widget: Widget, options: NumberingOptions): TocProvider | Promise<TocProvider | null> | null;
}

/**
 * The table-of-contents providers: built-ins (notebooks, Markdown files) and
 * extensions add theirs the same way. The first factory that returns a provider
 * for a widget wins, latest added first.
 */
export class TocRegistry {
  private factories: TocFactory[] = [];

  /** Add a factory; dispose the result to remove it. */
  add(factory: TocFactory): IDisposable {
    this.factories.unshift(factory);
    return new DisposableDelegate(() => {
      this.factories = this.factories.filter((f) => f !== factory);
    });
  }

  /** A provider for `widget`, or null when none handles it. */
  providerFor(widget: Widget | null, options: NumberingOptions): TocProvider | Promise<TocProvider | null> | null {
    if (!widget) return null;
    for (const f of this.factories) {
      const provider = f.create(widget, options);
      if (provider) return provider;
    }
    return null;
  }
}
