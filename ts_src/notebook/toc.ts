/**
 * The table of contents of a notebook: headings of Markdown cells (from their source,
 * cached per source text, never rendered for it) and, as an option, of Markdown and
 * HTML outputs. Kept up to date from the model's change events, debounced.
 */
import type { IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import {
  headingsFromHtml,
  headingsFromMarkdown,
  numberHeadings,
  sectionOf,
  sectionRange,
  type NumberingOptions,
  type RawHeading,
  type TocItem
} from '../toc/model';
import type { TocProvider } from '../toc/registry';
import { cellHeadings, HeadingCollapser, isCollapsed } from './headings';
import type { CellModel } from './model/cell';
import type { NotebookPanel } from './panel';

/** Options of the notebook provider. */
export interface NotebookTocOptions extends NumberingOptions {
  /** Also list headings of Markdown and HTML outputs (JupyterLab's `includeOutput`). */
  includeOutputs: boolean;
}

const outputCache = new WeakMap<CellModel, { outputs: readonly unknown[]; length: number; headings: RawHeading[] }>();

function text(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

/** Headings in a code cell's Markdown and HTML outputs (cached until its outputs change). */
export function outputHeadings(cell: CellModel): RawHeading[] {
  if (cell.type !== 'code' || cell.outputs.length === 0) return [];
  const outputs = cell.outputs.outputs;
  const hit = outputCache.get(cell);
  if (hit && hit.outputs === outputs && hit.length === outputs.length) return hit.headings;
  const headings: RawHeading[] = [];
  for (const output of outputs) {
    const data = (output as { data?: Record<string, unknown> }).data;
    if (!data) continue;
    if ('text/markdown' in data) headings.push(...headingsFromMarkdown(text(data['text/markdown'])));
    else if ('text/html' in data) headings.push(...headingsFromHtml(text(data['text/html'])));
  }
  outputCache.set(cell, { outputs, length: outputs.length, headings });
  return headings;
}

/** Whether a code cell's outputs hold an error. */
function hasError(cell: CellModel): boolean {
  return cell.type === 'code' && cell.outputs.outputs.some((o) => o.output_type === 'error');
}

/**
 * The ToC provider of one notebook panel. `items[i].cellIndex` is the cell of the
 * heading; `position` its index among the headings the cell renders.
 */
export class NotebookTocProvider implements TocProvider {
  private _items: TocItem[] = [];
  private _active = -1;
  private readonly _changed = new Emitter<void>();
  readonly changed = this._changed.event;
  private readonly subs: IDisposable[] = [];
  private cellSubs = new Map<CellModel, IDisposable>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private options: NotebookTocOptions;
  private disposed = false;

  constructor(
    private readonly panel: NotebookPanel,
    options: NotebookTocOptions
  ) {
    this.options = { ...options };
    const attach = () => {
      const model = this.panel.model;
      const view = this.panel.view;
      if (!model || !view) return;
      this.subs.push(model.contentChanged(() => this.schedule()));
      this.subs.push(model.cellsChanged(() => this.watchCells()));
      this.subs.push(view.activeCellChanged(() => this.updateActive()));
      this.subs.push(HeadingCollapser.for(view).changed(() => this.schedule()));
      this.watchCells();
      this.refresh();
    };
    if (panel.model && panel.view) attach();
    else this.subs.push(panel.ready(() => attach()));
  }

  get items(): readonly TocItem[] {
    return this._items;
  }

  get activeIndex(): number {
    return this._active;
  }

  setNumbering(options: NumberingOptions | NotebookTocOptions): void {
    this.options = { ...this.options, ...options };
    this.refresh();
  }

  /** Run state is not part of `contentChanged`: each cell's own event says when it runs. */
  private watchCells(): void {
    const cells = this.panel.model?.cells ?? [];
    const live = new Set(cells);
    for (const [cell, sub] of this.cellSubs) {
      if (!live.has(cell)) {
        sub.dispose();
        this.cellSubs.delete(cell);
      }
    }
    for (const cell of cells) {
      if (cell.type !== 'code' || this.cellSubs.has(cell)) continue;
      this.cellSubs.set(
        cell,
        cell.changed((what) => {
          if (what === 'state' || what === 'outputs') this.schedule();
        })
      );
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer !== null || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh();
    }, 50);
  }

  /** Recompute the items from the cells (cached per cell), and the active section. */
  refresh(): void {
    if (this.disposed) return;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const cells = this.panel.model?.cells ?? [];
    const items: TocItem[] = [];
    const depth = this.options.maximalDepth;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!;
      const fromSource = cellHeadings(cell);
      const all = fromSource.length ? fromSource : this.options.includeOutputs ? outputHeadings(cell) : [];
      const origin = fromSource.length ? 'markdown' : 'output';
      all.forEach((h, position) => {
        if (h.skip || h.level > depth) return;
        items.push({
          ...h,
          key: `${cell.key}:${position}`,
          numbering: '',
          cellIndex: c,
          position,
          origin,
          collapsed: origin === 'markdown' && position === 0 && isCollapsed(cell)
        });
      });
    }
    numberHeadings(items, this.options);
    for (let i = 0; i < items.length; i++) {
      const [start, end] = sectionRange(items, i, cells.length);
      let status: TocItem['status'];
      for (let c = start; c < end; c++) {
        const cell = cells[c]!;
        if (cell.pending || cell.running) {
          status = 'running';
          break;
        }
        if (!status && hasError(cell)) status = 'error';
      }
      if (status) items[i]!.status = status;
    }
    this._items = items;
    this._active = sectionOf(items, this.panel.view?.activeIndex ?? -1);
    this._changed.emit();
  }

  private updateActive(): void {
    const next = sectionOf(this._items, this.panel.view?.activeIndex ?? -1);
    if (next === this._active) return;
    this._active = next;
    this._changed.emit();
  }

  /**
   * Select the heading's cell in command mode and bring the heading to the top of the
   * notebook, wherever the cell is in its lazy building: `revealCell` builds only that
   * cell and keeps the heading at the top while the cells around it take their real
   * heights (collapsed sections hiding it are expanded first).
   */
  jump(item: TocItem): void {
    const view = this.panel.view;
    if (!view) return;
    HeadingCollapser.for(view).reveal(item.cellIndex);
    const cellView = view.cellViews[item.cellIndex];
    if (!cellView) return;
    view.revealCell(item.cellIndex, {
      align: 'start',
      target: () => {
        if (item.origin === 'markdown') {
          const rendered = cellView.node.querySelectorAll<HTMLElement>('.ja-Cell-rendered :is(h1, h2, h3, h4, h5, h6)');
          // The first heading is the cell's top: show the whole cell from its start.
          if (item.position > 0 && rendered[item.position]) return rendered[item.position]!;
        }
        return cellView.node;
      }
    });
    view.enterCommand();
  }

  /** Run the code cells of the heading's section (and render its Markdown). */
  runSection(item: TocItem): void {
    const index = this._items.indexOf(item);
    const cells = this.panel.model?.cells.length ?? 0;
    const [start, end] = sectionRange(this._items, index < 0 ? 0 : index, cells);
    const indices: number[] = [];
    for (let i = start; i < end; i++) indices.push(i);
    void this.panel.run(indices);
  }

  toggleCollapsed(item: TocItem): void {
    const view = this.panel.view;
    if (view && item.origin === 'markdown') HeadingCollapser.for(view).toggle(item.cellIndex);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    for (const s of this.subs) s.dispose();
    for (const s of this.cellSubs.values()) s.dispose();
    this.cellSubs.clear();
    this._changed.clear();
  }
}

