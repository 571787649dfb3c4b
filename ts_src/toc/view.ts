import type { IDisposable } from '../core/disposable';
import { Widget } from '../shell/widget';
import type { NumberingOptions, TocItem } from './model';
import type { TocProvider } from './registry';

/** What a row of the panel shows, to write only what changed. */
interface RowState {
  level: number;
  active: boolean;
  numbering: string;
  text: string;
  canCollapse: boolean;
  collapsed: boolean;
  status: string;
  runnable: boolean;
}

/**
 * The table of contents panel (left sidebar): the headings of the current document,
 * numbered as set, the active cell's section highlighted, a running/error mark per
 * section, "run this section" and collapse toggles for notebooks. Heading text is
 * always set as text. Updates reuse the rows of unchanged headings.
 */
export class TocPanel extends Widget {
  private readonly list: HTMLElement;
  private readonly numberingButton: HTMLButtonElement;
  private readonly empty: HTMLElement;
  private provider: TocProvider | null = null;
  private sub: IDisposable | null = null;
  private rows = new Map<string, HTMLElement>();
  private rowItems = new WeakMap<HTMLElement, TocItem>();
  private rowStates = new WeakMap<HTMLElement, RowState>();
  private visible = false;
  private pendingWidget: Widget | null = null;
  private request = 0;

  constructor(
    private readonly providerFor: (widget: Widget) => TocProvider | null | Promise<TocProvider | null>,
    private numbering: NumberingOptions,
    /** Called when the person turns numbering on or off (the plugin saves the setting). */
    private readonly onNumberingToggled: (numbering: boolean) => void = () => undefined
  ) {
    super('toc', 'Table of Contents');
    this.title.iconClass = 'ja-icon-toc';
    this.node.className = 'ja-Toc';
    this.node.dataset.testid = 'toc';
    this.node.tabIndex = -1;
    const header = document.createElement('div');
    header.className = 'ja-Toc-header';
    const heading = document.createElement('span');
    heading.textContent = 'Table of Contents';
    this.numberingButton = document.createElement('button');
    this.numberingButton.className = 'ja-Toc-numbering';
    this.numberingButton.dataset.testid = 'toc-numbering';
    this.numberingButton.textContent = '1.2';
    this.numberingButton.title = 'Number the headings';
    this.numberingButton.addEventListener('click', () => {
      const on = !this.numbering.numbering;
      this.setNumbering({ ...this.numbering, numbering: on });
      this.onNumberingToggled(on);
    });
    header.append(heading, this.numberingButton);
    this.list = document.createElement('ol');
    this.list.className = 'ja-Toc-list';
    this.list.setAttribute('role', 'tree');
    this.empty = document.createElement('div');
    this.empty.className = 'ja-Toc-empty';
    this.empty.dataset.testid = 'toc-empty';
    this.empty.textContent = 'No headings';
    this.node.append(header, this.list, this.empty);
    this.list.addEventListener('click', (e) => this.onClick(e));
    this.setNumbering(numbering);
  }

  /** Show the headings of `widget` (the current document), or nothing. */
  setWidget(widget: Widget | null): void {
    this.pendingWidget = widget;
    if (this.visible) void this.connect();
  }

  setNumbering(options: NumberingOptions): void {
    this.numbering = options;
    this.numberingButton.setAttribute('aria-pressed', String(options.numbering));
    this.provider?.setNumbering(options);
  }

  override onShow(): void {
    this.visible = true;
    void this.connect();
  }

  override onHide(): void {
    // A hidden panel costs nothing: no provider, no listening.
    this.visible = false;
    this.disconnect();
    this.current = null;
  }

  private current: Widget | null = null;

  private async connect(): Promise<void> {
    const widget = this.pendingWidget;
    if (widget === this.current && this.provider) return;
    const request = ++this.request;
    this.disconnect();
    this.current = widget;
    const provider = widget ? await this.providerFor(widget) : null;
    if (request !== this.request || !this.visible) {
      provider?.dispose();
      return;
    }
    this.provider = provider;
    if (provider) {
      provider.setNumbering(this.numbering);
      this.sub = provider.changed(() => this.render());
    }
    this.render();
  }

  private disconnect(): void {
    this.sub?.dispose();
    this.sub = null;
    this.provider?.dispose();
    this.provider = null;
    this.list.replaceChildren();
    this.rows.clear();
  }

  private render(): void {
    const items = this.provider?.items ?? [];
    const active = this.provider?.activeIndex ?? -1;
    const collapsible = !!this.provider?.toggleCollapsed;
    const runnable = !!this.provider?.runSection;
    const emptyText = this.provider ? 'No headings' : 'No document with headings is open';
    if (this.empty.hidden !== items.length > 0) this.empty.hidden = items.length > 0;
    if (this.empty.textContent !== emptyText) this.empty.textContent = emptyText;
    const next = new Map<string, HTMLElement>();
    if (this.rows.size === 0) {
      // The first fill (hundreds of rows in a long notebook): built off the document and
      // inserted at once, so the page styles and lays them out once.
      const fragment = document.createDocumentFragment();
      items.forEach((item, i) => {
        const row = this.makeRow();
        this.update(row, item, i === active, collapsible, runnable);
        next.set(item.key, row);
        fragment.appendChild(row);
      });
      this.list.appendChild(fragment);
      this.rows = next;
      return;
    }
    let before: ChildNode | null = this.list.firstChild;
    items.forEach((item, i) => {
      let row = this.rows.get(item.key);
      if (!row) row = this.makeRow();
      this.update(row, item, i === active, collapsible, runnable);
      next.set(item.key, row);
      if (row !== before) this.list.insertBefore(row, before);
      else before = before.nextSibling;
      before = row.nextSibling;
    });
    for (const [key, row] of this.rows) if (!next.has(key)) row.remove();
    this.rows = next;
  }

  private makeRow(): HTMLElement {
    const row = document.createElement('li');
    row.className = 'ja-Toc-item';
    row.dataset.testid = 'toc-item';
    row.setAttribute('role', 'treeitem');
    const toggle = document.createElement('button');
    toggle.className = 'ja-Toc-toggle';
    toggle.dataset.testid = 'toc-toggle';
    toggle.tabIndex = -1;
    const label = document.createElement('span');
    label.className = 'ja-Toc-label';
    const number = document.createElement('span');
    number.className = 'ja-Toc-number';
    number.dataset.testid = 'toc-number';
    const text = document.createElement('span');
    text.className = 'ja-Toc-text';
    text.dataset.testid = 'toc-text';
    label.append(number, text);
    const status = document.createElement('span');
    status.className = 'ja-Toc-status';
    status.dataset.testid = 'toc-status';
    status.dataset.state = '';
    const run = document.createElement('button');
    run.className = 'ja-Toc-run';
    run.dataset.testid = 'toc-run';
    run.title = 'Run the cells of this section';
    run.textContent = '▶';
    row.append(toggle, label, status, run);
    return row;
  }

  /**
   * Bring `row` in line with `item`, writing only what differs from what the row shows
   * ({@link RowState}): a write of an attribute that CSS or the browser's own style sheet
   * selects on (`hidden`, `aria-expanded`, `class`) costs a style recalculation of the
   * element even when the value is the same, so rewriting 500 unchanged rows on every
   * change of the active cell restyled thousands of elements.
   */
  private update(row: HTMLElement, item: TocItem, active: boolean, collapsible: boolean, runnable: boolean): void {
    this.rowItems.set(row, item);
    const canCollapse = collapsible && item.origin === 'markdown' && item.position === 0;
    const next: RowState = {
      level: item.level,
      active,
      numbering: item.numbering,
      text: item.text,
      canCollapse,
      collapsed: !!item.collapsed,
      status: item.status ?? '',
      runnable
    };
    const was = this.rowStates.get(row);
    this.rowStates.set(row, next);
    const [toggle, label, status, run] = row.children as unknown as HTMLElement[];
    const [number, text] = label!.children as unknown as HTMLElement[];
    if (was?.level !== next.level) {
      row.dataset.level = String(next.level);
      row.style.paddingLeft = `${(next.level - 1) * 12 + 4}px`;
    }
    if (was?.active !== next.active) {
      row.classList.toggle('ja-mod-active', active);
      row.setAttribute('aria-selected', String(active));
    }
    if (was?.numbering !== next.numbering) number!.textContent = next.numbering;
    if (was?.text !== next.text) {
      text!.textContent = next.text;
      row.title = next.text;
    }
    if (was?.canCollapse !== next.canCollapse) toggle!.hidden = !canCollapse;
    if (was?.collapsed !== next.collapsed) {
      toggle!.setAttribute('aria-expanded', String(!next.collapsed));
      toggle!.title = next.collapsed ? 'Expand this section' : 'Collapse this section';
      row.classList.toggle('ja-mod-collapsed', next.collapsed);
    }
    if (was?.status !== next.status) {
      const state = next.status;
      status!.dataset.state = state;
      status!.textContent = state === 'running' ? '●' : state === 'error' ? '!' : '';
      status!.title = state === 'running' ? 'Running' : state === 'error' ? 'A cell of this section raised an error' : '';
    }
    if (was?.runnable !== next.runnable) run!.hidden = !runnable;
  }

  private onClick(event: MouseEvent): void {
    const target = event.target as HTMLElement;
    const row = target.closest<HTMLElement>('.ja-Toc-item');
    const item = row && this.rowItems.get(row);
    if (!item || !this.provider) return;
    if (target.closest('.ja-Toc-run')) this.provider.runSection?.(item);
    else if (target.closest('.ja-Toc-toggle')) this.provider.toggleCollapsed?.(item);
    else this.provider.jump(item);
  }

  override dispose(): void {
    this.disconnect();
    super.dispose();
  }
}
