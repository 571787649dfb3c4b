import type { DocumentContext } from '../docmanager/context';
import type { FileRange } from '../services/files';
import { FileViewer } from './common';
import { compareValues, detectDelimiter, parseRows, RowIndex } from './csv-model';

/** Bytes read per range request while indexing rows. */
const CHUNK = 1 << 20;
const ROW_HEIGHT = 24;
/** Rows read per page when drawing. */
const PAGE = 200;
/** Files with more rows than this are not sorted (sorting reads every row into memory). */
const SORT_LIMIT = 200_000;
/** How often, at most, the row count and scroll height follow the indexing (ms). */
const STATUS_MS = 250;

/**
 * CSV/TSV as a virtualized grid that never holds or parses the whole file: it reads
 * the file in byte ranges (`Range` requests on the server's file) to index row
 * offsets in the background, a chunk per task, and parses only the pages of rows on
 * screen. Delimiter detection, sortable columns (click a header), a header-row
 * toggle, and copying the selected cell or row (Ctrl+C).
 */
export class CsvViewer extends FileViewer {
  private index = new RowIndex();
  private total = 0;
  private delimiter = ',';
  private header = true;
  private headerRow: string[] = [];
  private pages = new Map<number, Promise<string[][]>>();
  private order: Uint32Array | null = null;
  private sort: { column: number; descending: boolean } | null = null;
  private selected: { row: number; column: number } | null = null;
  private scroller!: HTMLElement;
  private spacer!: HTMLElement;
  private rowsHost!: HTMLElement;
  private headHost!: HTMLElement;
  private status!: HTMLElement;
  private drawn = -1;
  /** The last draw had rows on screen beyond those indexed then (drawn empty or short). */
  private drawnShort = true;
  private columns = 0;

  constructor(
    context: DocumentContext,
    fileUrl: (path: string) => string,
    /** Reads a byte range of a file's URL: `readFileRange` (services/files.ts) with the app's server settings; first called after the constructor (the first load awaits the file's model). */
    private readonly readRange: (url: string, from: number, to: number) => Promise<FileRange>
  ) {
    super(context, fileUrl);
  }

  protected async render(): Promise<void> {
    const generation = this.generation;
    this.index = new RowIndex();
    this.pages.clear();
    this.order = null;
    this.sort = null;
    this.drawn = -1;
    this.buildDom();
    const first = await this.range(0, CHUNK - 1);
    if (generation !== this.generation) return;
    const sample = new TextDecoder().decode(first.bytes.subarray(0, 64 * 1024));
    this.delimiter = detectDelimiter(sample, this.context.path);
    this.node.dataset.delimiter = this.delimiter === '\t' ? 'tab' : this.delimiter;
    this.total = first.total;
    this.index.feed(first.bytes);
    if (first.bytes.length >= this.total) this.index.finish(this.total);
    this.headerRow = parseRows(sample.split('\n')[0] ?? '', this.delimiter)[0] ?? [];
    this.columns = this.headerRow.length;
    this.layout();
    void this.indexRest(generation, first.bytes.length);
  }

  private buildDom(): void {
    const bar = document.createElement('div');
    bar.className = 'ja-CsvViewer-toolbar';
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = this.header;
    box.dataset.testid = 'csv-header-toggle';
    box.addEventListener('change', () => {
      this.header = box.checked;
      this.order = null;
      this.sort = null;
      this.layout();
    });
    label.append(box, ' First row is the header');
    this.status = document.createElement('span');
    this.status.className = 'ja-CsvViewer-status';
    this.status.dataset.testid = 'csv-status';
    bar.append(label, this.status);
    this.headHost = document.createElement('div');
    this.headHost.className = 'ja-CsvViewer-head';
    this.scroller = document.createElement('div');
    this.scroller.className = 'ja-CsvViewer-body';
    this.scroller.tabIndex = 0;
    this.scroller.dataset.testid = 'csv-grid';
    this.spacer = document.createElement('div');
    this.spacer.className = 'ja-CsvViewer-spacer';
    this.rowsHost = document.createElement('div');
    this.rowsHost.className = 'ja-CsvViewer-rows';
    this.spacer.appendChild(this.rowsHost);
    this.scroller.appendChild(this.spacer);
    this.node.replaceChildren(bar, this.headHost, this.scroller);
    this.node.classList.add('ja-CsvViewer');
    this.scroller.addEventListener('scroll', () => {
      this.headHost.scrollLeft = this.scroller.scrollLeft;
      void this.draw();
    });
    this.scroller.addEventListener('click', (e) => this.onClick(e));
    this.scroller.addEventListener('keydown', (e) => this.onKey(e));
    this.headHost.addEventListener('click', (e) => {
      const th = (e.target as HTMLElement).closest<HTMLElement>('[data-column]');
      if (th) void this.sortBy(Number(th.dataset.column));
    });
  }

  /** Rows shown (data rows: the header row left out when it is the header). */
  private get rowCount(): number {
    return Math.max(0, this.index.count - (this.header ? 1 : 0));
  }

  private layout(): void {
    this.headHost.replaceChildren();
    const head = document.createElement('div');
    head.className = 'ja-CsvViewer-row ja-mod-head';
    const corner = document.createElement('span');
    corner.className = 'ja-CsvViewer-cell ja-mod-rownum';
    head.appendChild(corner);
    for (let c = 0; c < this.columns; c++) {
      const th = document.createElement('span');
      th.className = 'ja-CsvViewer-cell';
      th.dataset.column = String(c);
      th.dataset.testid = 'csv-column';
      const mark = this.sort?.column === c ? (this.sort.descending ? ' ▼' : ' ▲') : '';
      th.textContent = (this.header ? (this.headerRow[c] ?? '') : `Column ${c + 1}`) + mark;
      head.appendChild(th);
    }
    this.headHost.appendChild(head);
    this.drawn = -1;
    void this.draw();
  }

  private updateStatus(done: boolean): void {
    const rows = this.rowCount.toLocaleString('en-US');
    this.status.textContent = done ? `${rows} rows` : `${rows} rows so far (reading ${Math.round((this.index.bytes / Math.max(1, this.total)) * 100)}%)`;
    this.status.dataset.done = String(done);
    this.spacer.style.height = `${this.rowCount * ROW_HEIGHT}px`;
  }

  /**
   * Index the rest of the file, one range per task, so the page keeps answering. The
   * status and the scroll height follow at most every {@link STATUS_MS} (each update
   * lays the grid out again), and rows are drawn again only while the screen still
   * shows rows beyond those indexed: a 100 MB file is ~100 ranges.
   */
  private async indexRest(generation: number, from: number): Promise<void> {
    this.updateStatus(from >= this.total);
    let shown = performance.now();
    let offset = from;
    while (offset < this.total) {
      const { bytes } = await this.range(offset, Math.min(this.total, offset + CHUNK) - 1);
      if (generation !== this.generation) return;
      this.index.feed(bytes);
      offset += bytes.length;
      if (bytes.length === 0) break;
      if (offset >= this.total) this.index.finish(this.total);
      if (performance.now() - shown >= STATUS_MS) {
        this.updateStatus(offset >= this.total);
        shown = performance.now();
      }
      if (this.drawnShort) void this.draw();
    }
    this.index.finish(this.total);
    this.updateStatus(true);
    void this.draw();
  }

  /** Bytes `from..to` of the file, through the services layer (`readFileRange`). */
  private range(from: number, to: number): Promise<FileRange> {
    return this.readRange(this.url, from, to);
  }

  /** Rows `[p*PAGE, (p+1)*PAGE)` of the file (file rows, header included). */
  private page(p: number): Promise<string[][]> {
    let pending = this.pages.get(p);
    if (!pending) {
      const a = p * PAGE;
      const b = Math.min(this.index.count, a + PAGE);
      pending = this.range(this.index.start(a), this.index.start(b) - 1).then(({ bytes }) =>
        parseRows(new TextDecoder().decode(bytes), this.delimiter)
      );
      // A page reaching past the rows indexed so far is not kept: it would stay short.
      if (b < this.index.count || this.index.bytes >= this.total) this.pages.set(p, pending);
      if (this.pages.size > 50) this.pages.delete(this.pages.keys().next().value!);
    }
    return pending;
  }

  private async fileRow(fileRow: number): Promise<string[]> {
    const rows = await this.page(Math.floor(fileRow / PAGE));
    return rows[fileRow % PAGE] ?? [];
  }

  private async draw(): Promise<void> {
    const first = Math.floor(this.scroller.scrollTop / ROW_HEIGHT);
    const visible = Math.ceil((this.scroller.clientHeight || 600) / ROW_HEIGHT) + 1;
    const last = Math.min(this.rowCount, first + visible);
    const key = first * 1e7 + last;
    if (key === this.drawn) return;
    this.drawn = key;
    const offset = this.header ? 1 : 0;
    const fileRows: number[] = [];
    for (let r = first; r < last; r++) fileRows.push((this.order ? this.order[r]! : r) + offset);
    // A page may still be growing while indexing: only ask for rows indexed so far.
    const indexed = this.index.count;
    // The last indexed row may still be growing: the screen is complete once rows past it exist.
    this.drawnShort = last >= this.rowCount || fileRows.some((f) => f >= indexed - 1);
    const values = await Promise.all(fileRows.map((f) => (f < indexed ? this.fileRow(f) : Promise.resolve([]))));
    if (key !== this.drawn) return;
    const fragment = document.createDocumentFragment();
    values.forEach((cells, i) => {
      const r = first + i;
      const row = document.createElement('div');
      row.className = 'ja-CsvViewer-row';
      row.dataset.testid = 'csv-row';
      row.dataset.row = String(r);
      row.style.top = `${r * ROW_HEIGHT}px`;
      const num = document.createElement('span');
      num.className = 'ja-CsvViewer-cell ja-mod-rownum';
      num.textContent = String(r + 1);
      row.appendChild(num);
      for (let c = 0; c < Math.max(this.columns, cells.length); c++) {
        const cell = document.createElement('span');
        cell.className = 'ja-CsvViewer-cell';
        cell.dataset.column = String(c);
        cell.textContent = cells[c] ?? '';
        if (this.selected?.row === r && this.selected.column === c) cell.classList.add('ja-mod-selected');
        row.appendChild(cell);
      }
      fragment.appendChild(row);
    });
    this.rowsHost.replaceChildren(fragment);
  }

  private async sortBy(column: number): Promise<void> {
    if (this.index.bytes < this.total) {
      this.status.textContent = 'Sorting is possible once the whole file has been read';
      return;
    }
    if (this.rowCount > SORT_LIMIT) {
      this.status.textContent = `Sorting is available for files up to ${SORT_LIMIT.toLocaleString('en-US')} rows`;
      return;
    }
    const descending = this.sort?.column === column ? !this.sort.descending : false;
    const offset = this.header ? 1 : 0;
    const values: string[] = new Array(this.rowCount);
    for (let p = 0; p * PAGE < this.index.count; p++) {
      const rows = await this.page(p);
      rows.forEach((cells, i) => {
        const r = p * PAGE + i - offset;
        if (r >= 0 && r < values.length) values[r] = cells[column] ?? '';
      });
    }
    const order = Uint32Array.from({ length: values.length }, (_, i) => i);
    order.sort((a, b) => (descending ? -1 : 1) * compareValues(values[a]!, values[b]!) || a - b);
    this.order = order;
    this.sort = { column, descending };
    this.layout();
  }

  private onClick(event: MouseEvent): void {
    const cell = (event.target as HTMLElement).closest<HTMLElement>('.ja-CsvViewer-cell');
    const row = cell?.closest<HTMLElement>('.ja-CsvViewer-row');
    if (!cell || !row) return;
    this.selected = { row: Number(row.dataset.row), column: cell.classList.contains('ja-mod-rownum') ? -1 : Number(cell.dataset.column) };
    for (const s of this.rowsHost.querySelectorAll('.ja-mod-selected')) s.classList.remove('ja-mod-selected');
    if (this.selected.column < 0) row.classList.add('ja-mod-selected');
    else cell.classList.add('ja-mod-selected');
    this.scroller.focus({ preventScroll: true });
  }

  private onKey(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'c' || !this.selected) return;
    event.preventDefault();
    event.stopPropagation();
    const row = this.rowsHost.querySelector<HTMLElement>(`[data-row="${this.selected.row}"]`);
    if (!row) return;
    const cells = [...row.querySelectorAll<HTMLElement>('.ja-CsvViewer-cell:not(.ja-mod-rownum)')].map((c) => c.textContent ?? '');
    const text = this.selected.column < 0 ? cells.join('\t') : (cells[this.selected.column] ?? '');
    void navigator.clipboard?.writeText(text);
    this.node.dataset.copied = text;
  }
}
