/**
 * Collapsible headings in notebooks, as JupyterLab has them: a Markdown cell whose
 * heading is collapsed hides every following cell up to the next heading of the same
 * or a higher level. The state is the cell metadata `jp-MarkdownHeadingCollapsed: true`
 * (JupyterLab's key), so it is saved with the notebook and read by JupyterLab too.
 *
 * Kept out of the notebook view: the controller only sets classes on the cell nodes
 * and adds a toggle and an "N cells hidden" button to heading cells. Toggles go on
 * drawn cells only (the view draws those near the screen), each as it is built.
 */
import { Emitter } from '../core/emitter';
import { nextTask, SLICE_MS } from '../core/tasks';
import { headingsFromMarkdown, type RawHeading } from '../toc/model';
import type { CellModel } from './model/cell';
import type { NotebookModel } from './model/notebook';
import type { NotebookView } from './view/notebook';

/** The cell metadata key JupyterLab saves a collapsed heading under. */
export const COLLAPSED_KEY = 'jp-MarkdownHeadingCollapsed';

const cache = new WeakMap<CellModel, { source: string; headings: RawHeading[] }>();

/** Headings of a Markdown cell's source (cached per source text); none for other cells. */
export function cellHeadings(cell: CellModel): RawHeading[] {
  if (cell.type !== 'markdown') return [];
  const hit = cache.get(cell);
  if (hit && hit.source === cell.source) return hit.headings;
  const headings = headingsFromMarkdown(cell.source);
  cache.set(cell, { source: cell.source, headings });
  return headings;
}

/**
 * The heading level a cell opens a section at (its first heading, as JupyterLab
 * uses), or 7 for a cell without headings.
 */
export function cellHeadingLevel(cell: CellModel): number {
  const h = cellHeadings(cell);
  return h.length ? h[0]!.level : 7;
}

export function isCollapsed(cell: CellModel): boolean {
  return cell.metadata[COLLAPSED_KEY] === true;
}

/**
 * Which cells collapsed headings hide: `hidden[i]` for each cell, and for each
 * collapsed heading cell the number of cells it hides.
 */
export function hiddenCells(cells: readonly CellModel[]): { hidden: boolean[]; counts: Map<number, number> } {
  const hidden = new Array<boolean>(cells.length).fill(false);
  const counts = new Map<number, number>();
  let hideLevel = 8;
  let owner = -1;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    const level = cellHeadingLevel(cell);
    if (owner >= 0 && level <= hideLevel) owner = -1;
    if (owner >= 0) {
      hidden[i] = true;
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
      continue;
    }
    if (level < 7 && isCollapsed(cell)) {
      owner = i;
      hideLevel = level;
      counts.set(i, 0);
    }
  }
  return { hidden, counts };
}

const controllers = new WeakMap<NotebookView, HeadingCollapser>();

/**
 * Collapse state of one notebook view: applies it to the cells and changes it.
 * One per view ({@link HeadingCollapser.for}); it follows the model by itself.
 */
export class HeadingCollapser {
  private readonly _changed = new Emitter<void>();
  /** Fires after the hidden cells changed (a heading collapsed or expanded, cells edited). */
  readonly changed = this._changed.event;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private hidden: boolean[] = [];
  private counts = new Map<number, number>();
  private decorated = new Set<HTMLElement>();

  /** The controller of `view`, made on first use. */
  static for(view: NotebookView): HeadingCollapser {
    let c = controllers.get(view);
    if (!c) {
      c = new HeadingCollapser(view);
      controllers.set(view, c);
    }
    return c;
  }

  private constructor(private readonly view: NotebookView) {
    const model: NotebookModel = view.model;
    // After the view has made its cell views for a splice (it subscribed first).
    model.cellsChanged(() => this.schedule());
    model.contentChanged(() => this.schedule());
    view.activeCellChanged((index) => {
      if (this.hidden[index]) this.reveal(index);
    });
    view.cellBuilt((cellView) => {
      if (cellHeadingLevel(cellView.model) > 6) return;
      const i = view.cellViews.indexOf(cellView);
      if (i < 0) return;
      this.decorated.add(cellView.node);
      this.decorate(cellView.node, this.counts.get(i));
    });
    // A saved collapsed heading must hide its cells from the first frame. Otherwise
    // nothing is hidden and only the toggles wait: finding the headings of every
    // Markdown cell in the task that opens the notebook made that task a long one.
    if (model.cells.some(isCollapsed)) this.apply();
    else void this.findHeadingsThenApply();
  }

  /** Find (and cache) every cell's headings in slices of {@link SLICE_MS}, then apply. */
  private async findHeadingsThenApply(): Promise<void> {
    let end = performance.now() + SLICE_MS;
    for (const cell of [...this.view.model.cells]) {
      if (performance.now() > end) {
        await nextTask();
        end = performance.now() + SLICE_MS;
      }
      cellHeadings(cell);
    }
    this.apply();
  }

  /** Number of cells hidden by the collapsed heading at cell `index` (0 if not collapsed). */
  hiddenCount(index: number): number {
    return this.counts.get(index) ?? 0;
  }

  isHidden(index: number): boolean {
    return !!this.hidden[index];
  }

  /** Collapse (true) or expand (false) the heading cell at `index`. */
  setCollapsed(index: number, collapsed: boolean): void {
    const cell = this.view.model.cells[index];
    if (!cell || cellHeadingLevel(cell) > 6 || isCollapsed(cell) === collapsed) return;
    cell.setMetadata(COLLAPSED_KEY, collapsed ? true : undefined);
    this.apply();
  }

  toggle(index: number): void {
    const cell = this.view.model.cells[index];
    if (cell) this.setCollapsed(index, !isCollapsed(cell));
  }

  /** Collapse every heading (JupyterLab: Ctrl+Shift+Left). */
  collapseAll(): void {
    for (const cell of this.view.model.cells) {
      if (cellHeadingLevel(cell) < 7 && !isCollapsed(cell)) cell.setMetadata(COLLAPSED_KEY, true);
    }
    this.apply();
  }

  /** Expand every heading (JupyterLab: Ctrl+Shift+Right). */
  expandAll(): void {
    for (const cell of this.view.model.cells) if (isCollapsed(cell)) cell.setMetadata(COLLAPSED_KEY, undefined);
    this.apply();
  }

  /** Expand the collapsed headings that hide cell `index`, so it shows. */
  reveal(index: number): void {
    const cells = this.view.model.cells;
    let guard = 0;
    while (this.hidden[index] && guard++ < 7) {
      // The nearest collapsed heading above that hides it.
      for (let i = index - 1; i >= 0; i--) {
        if (this.counts.has(i) && !this.hidden[i]) {
          cells[i]!.setMetadata(COLLAPSED_KEY, undefined);
          break;
        }
      }
      this.apply();
    }
  }

  private schedule(): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.apply();
    }, 30);
  }

  /** Draw the state on the cells: hidden classes, toggles and "N cells hidden". */
  apply(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const cells = this.view.model.cells;
    const views = this.view.cellViews;
    const { hidden, counts } = hiddenCells(cells);
    const decorated = new Set<HTMLElement>();
    for (let i = 0; i < views.length; i++) {
      const view = views[i]!;
      const node = view.node;
      if (node.classList.contains('ja-mod-headingHidden') !== hidden[i]) node.classList.toggle('ja-mod-headingHidden', hidden[i]);
      const level = cellHeadingLevel(view.model);
      if (level > 6) continue;
      // A shell far from the screen gets its toggle when it is drawn (cellBuilt).
      if (!view.built && !counts.has(i) && !this.decorated.has(node)) continue;
      decorated.add(node);
      // Built first, so the "hidden" button lands after the cell's content.
      if (counts.has(i)) view.build();
      this.decorate(node, counts.get(i));
    }
    for (const node of this.decorated) {
      if (decorated.has(node)) continue;
      node.querySelector(':scope > .ja-HeadingToggle')?.remove();
      node.querySelector(':scope > .ja-HeadingHiddenCount')?.remove();
      node.classList.remove('ja-mod-headingCollapsed');
    }
    this.decorated = decorated;
    const changed =
      hidden.length !== this.hidden.length ||
      hidden.some((h, i) => h !== this.hidden[i]) ||
      counts.size !== this.counts.size ||
      [...counts].some(([k, v]) => this.counts.get(k) !== v);
    this.hidden = hidden;
    this.counts = counts;
    if (changed) this._changed.emit();
  }

  private decorate(node: HTMLElement, count: number | undefined): void {
    const collapsed = count !== undefined;
    let toggle = node.querySelector<HTMLButtonElement>(':scope > .ja-HeadingToggle');
    if (!toggle) {
      toggle = document.createElement('button');
      toggle.className = 'ja-HeadingToggle';
      toggle.dataset.testid = 'heading-toggle';
      toggle.tabIndex = -1;
      // Handled on mousedown so the notebook's own mousedown (select the cell) does not
      // also start a drag or an edit; the index is looked up at click time.
      toggle.addEventListener('mousedown', (e) => {
        e.preventDefault();
        e.stopPropagation();
        const i = this.view.cellViews.findIndex((v) => v.node === node);
        if (i >= 0) this.toggle(i);
      });
      node.prepend(toggle);
    }
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.title = collapsed ? 'Expand this section' : 'Collapse this section';
    node.classList.toggle('ja-mod-headingCollapsed', collapsed);
    let badge = node.querySelector<HTMLButtonElement>(':scope > .ja-HeadingHiddenCount');
    // A collapsed heading with nothing under it (the last one) hides nothing to show again: no
    // button, as in JupyterLab.
    if (collapsed && count > 0) {
      if (!badge) {
        badge = document.createElement('button');
        badge.className = 'ja-HeadingHiddenCount';
        badge.dataset.testid = 'heading-hidden-count';
        badge.addEventListener('mousedown', (e) => {
          e.preventDefault();
          e.stopPropagation();
          const i = this.view.cellViews.findIndex((v) => v.node === node);
          if (i >= 0) this.setCollapsed(i, false);
        });
        node.append(badge);
      }
      badge.textContent = `${count} cell${count === 1 ? '' : 's'} hidden`;
    } else badge?.remove();
  }
}
