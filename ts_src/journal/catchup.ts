import './journal.css';
import type * as nbformat from '@jupyterlab/nbformat';
import type { KernelMessage } from '@jupyterlab/services';
import type { IDisposable } from '../core/disposable';
import { stdinBox } from '../kernel/providers';
import { OutputAreaModel } from '../outputarea/model';
import type { CellModel } from '../notebook/model/cell';
import type { NotebookPanel } from '../notebook/panel';
import { OutputAreaView } from '../outputarea/view';
import { publishCaptures } from '../widgets/captures';
import type { RenderMimeRegistry } from '../rendermime/registry';
import { CatchUpModel, type CatchUpResult, type JournalAnswer, type JournalExecution } from './model';

/** Asks the server's journal; `wait` > 0 is a long poll of that many seconds. */
export type FetchJournal = (path: string, after: number, wait: number, signal: AbortSignal) => Promise<JournalAnswer>;

/** When the file at `path` was last saved, in ms since the epoch (0 when unknown). */
export type SavedAt = (path: string) => Promise<number>;

/** Seconds the server may hold a request open waiting for the next change after a kernel message. */
const LONG_POLL_SECONDS = 1;
/** How often to ask while a cell the journal drives is running, in ms (a remote `input()` sends us nothing). */
const ACTIVE_POLL_MS = 2000;
/** Shortest time between two requests, in ms. */
const MIN_INTERVAL_MS = 150;
/** Longest wait between attempts while the server does not answer, in ms. */
const MAX_BACKOFF_MS = 8000;

/**
 * Catching up one open notebook with the server's execution journal, and following
 * executions other pages start (or started before this page opened) live.
 *
 * Asks once when the notebook has a kernel, then whenever a kernel message arrives
 * that this page did not cause (another page's or a closed page's execution), and
 * every {@link ACTIVE_POLL_MS} while such a cell runs; so an idle notebook holds no
 * request open. What the journal returns is applied through {@link CatchUpModel};
 * this class draws what the model cannot: input boxes, aborted notes, outputs of
 * deleted cells, and why catching up is unavailable.
 */
export class CatchUp implements IDisposable {
  private readonly model: CatchUpModel<CellModel>;
  private readonly subscriptions: IDisposable[] = [];
  private readonly abort = new AbortController();
  private inFlight = false;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private backoff = 500;
  private lastAsk = 0;
  private since = 0;
  private started = false;
  private _disposed = false;
  private notice: HTMLElement | null = null;
  private orphans: HTMLDetailsElement | null = null;
  private readonly orphanViews = new Map<string, OutputAreaView>();
  private readonly inputs = new Map<string, HTMLElement>();

  constructor(
    private readonly panel: NotebookPanel,
    private readonly fetchJournal: FetchJournal,
    private readonly savedAt: SavedAt,
    private readonly rendermime: RenderMimeRegistry
  ) {
    this.model = new CatchUpModel<CellModel>({
      ownSession: () => panel.session.kernel?.clientId ?? null,
      since: () => this.since,
      cells: () => panel.model?.cells ?? []
    });
    const session = panel.session;
    this.subscriptions.push(
      session.iopubMessage((msg) => this.onIOPub(msg)),
      session.kernelChanged(() => this.schedule(0)),
      session.reconnected(() => this.schedule(0)),
      panel.disposed(() => this.dispose())
    );
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Ask the journal for the first time (after the notebook and its kernel are there). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.since = await this.savedAt(this.panel.context.path).catch(() => 0);
    this.schedule(0);
  }

  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this.abort.abort();
    if (this.timer !== null) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.notice?.remove();
    for (const view of this.orphanViews.values()) view.dispose();
    this.orphans?.remove();
    for (const box of this.inputs.values()) box.remove();
  }

  private onIOPub(msg: KernelMessage.IIOPubMessage): void {
    const parent = msg.parent_header as Partial<KernelMessage.IHeader> | undefined;
    const own = this.panel.session.kernel?.clientId;
    // Messages of this page's own requests are drawn by the page itself.
    if (parent?.session && parent.session === own) return;
    if (!parent?.msg_id && msg.header.msg_type === 'status') return;
    this.schedule(LONG_POLL_SECONDS);
  }

  private schedule(wait: number): void {
    if (this._disposed || !this.started) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    // A chatty cell sends many messages a second: ask at most every MIN_INTERVAL_MS.
    const delay = this.lastAsk + MIN_INTERVAL_MS - Date.now();
    if (delay > 0) {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule(wait);
      }, delay);
      return;
    }
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.lastAsk = Date.now();
    void this.ask(wait);
  }

  private async ask(wait: number): Promise<void> {
    this.inFlight = true;
    let answer: JournalAnswer | null = null;
    try {
      answer = await this.fetchJournal(this.panel.context.path, this.model.seq, wait, this.abort.signal);
      this.backoff = 500;
    } catch {
      if (this._disposed) return;
      // The server does not answer (restarting, network): try again later.
      this.inFlight = false;
      this.timer = setTimeout(() => this.schedule(0), this.backoff);
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      return;
    }
    this.inFlight = false;
    if (this._disposed || !this.panel.model) return;
    this.show(this.model.apply(answer));
    this.publishWidgetCaptures(answer);
    if (this.again) {
      this.again = false;
      this.schedule(0);
    } else if (this.model.active) {
      this.timer = setTimeout(() => this.schedule(0), ACTIVE_POLL_MS);
    }
  }

  /** Output-widget captures go to the kernel's Output widgets (they redraw themselves). */
  private publishWidgetCaptures(answer: JournalAnswer): void {
    const kernel = this.panel.session.kernel;
    if (!answer.available || !answer.widgets || !kernel || answer.kernel_id !== kernel.id) return;
    const captures: Record<string, nbformat.IOutput[]> = {};
    for (const [modelId, widget] of Object.entries(answer.widgets)) captures[modelId] = widget.outputs;
    publishCaptures(kernel, captures);
  }

  // -- drawing what the cells' models do not hold ---------------------------------------

  private show(result: CatchUpResult<CellModel>): void {
    if (result.unavailable === 'gateway') {
      this.setNotice(
        'Catching up is not available with remote (gateway) kernels: outputs produced while this notebook was closed, or run from another browser, are not shown here.'
      );
    } else if (result.lost) {
      this.setNotice(
        'The server restarted: what its kernels printed while this notebook was closed is lost, and no cell is still running.'
      );
    }
    for (const cell of result.aborted) this.markAborted(cell);
    for (const cell of result.finished) this.clearMarks(cell);
    for (const cell of result.unknown) this.markUnknown(cell);
    for (const { cell, execution } of result.applied) {
      if (execution.input_request && execution.state === 'running') this.askInput(cell, execution);
      else this.removeInputsOf(cell);
    }
    if (result.orphans.length) this.showOrphans(result.orphans);
  }

  private setNotice(text: string): void {
    if (!this.notice) {
      this.notice = document.createElement('div');
      this.notice.className = 'ja-JournalNotice';
      this.notice.dataset.testid = 'journal-notice';
      this.notice.setAttribute('role', 'status');
      this.insertAboveCells(this.notice);
    }
    this.notice.textContent = text;
  }

  private insertAboveCells(node: HTMLElement): void {
    const body = this.panel.node.querySelector(':scope > .ja-NotebookPanel-body');
    if (body) this.panel.node.insertBefore(node, body);
    else this.panel.node.append(node);
  }

  /** Where notes of `cell` go; `build` false for a lookup only (a shell holds no notes). */
  private cellNode(cell: CellModel, build = true): HTMLElement | null {
    const view = this.panel.view?.cellViews.find((v) => v.model === cell);
    if (!view) return null;
    // A cell far from the screen is a shell: notes go into its drawn outputs (and keep it drawn).
    if (build) view.build();
    return view.node.querySelector<HTMLElement>('.ja-Cell-outputs') ?? view.node;
  }

  private markAborted(cell: CellModel): void {
    this.addNote(cell, 'journal-aborted', 'Aborted: the kernel restarted or stopped before this cell finished.');
  }

  /** A run whose end the server lost (its last messages, under an output flood): neither a success nor a failure. */
  private markUnknown(cell: CellModel): void {
    this.addNote(
      cell,
      'journal-unknown',
      'Finished, but how is unknown: the server was too busy to record the end of this run (its last outputs and its result).'
    );
  }

  /** A note under the cell's outputs, gone once the cell runs again. */
  private addNote(cell: CellModel, testid: string, text: string): void {
    const host = this.cellNode(cell);
    if (!host || host.querySelector(`[data-testid="${testid}"]`)) return;
    const note = document.createElement('div');
    note.className = 'ja-JournalNote';
    note.dataset.testid = testid;
    note.textContent = text;
    host.append(note);
    const sub = cell.changed((what) => {
      if (what === 'state' && (cell.running || cell.pending)) {
        note.remove();
        sub.dispose();
      }
    });
  }

  private clearMarks(cell: CellModel): void {
    for (const note of this.cellNode(cell, false)?.querySelectorAll('[data-testid="journal-aborted"], [data-testid="journal-unknown"]') ?? []) note.remove();
  }

  private removeInputsOf(cell: CellModel): void {
    for (const [id, box] of this.inputs) {
      if ((box as HTMLElement & { cell?: CellModel }).cell === cell) {
        box.remove();
        this.inputs.delete(id);
      }
    }
  }

  /** An `input()` another page (or a closed one) is waiting on: answer it from here. */
  private askInput(cell: CellModel, execution: JournalExecution): void {
    const request = execution.input_request;
    const host = this.cellNode(cell);
    if (!request || !host) return;
    const id = String(request.header.msg_id);
    if (this.inputs.has(id)) return;
    const { row } = stdinBox(request, (value) => {
      const kernel = this.panel.session.kernel;
      if (!kernel) return false;
      kernel.sendInputReply(
        { status: 'ok', value },
        request.header as unknown as KernelMessage.IInputReplyMsg['parent_header']
      );
      this.schedule(LONG_POLL_SECONDS);
      return true;
    });
    (row as HTMLElement & { cell?: CellModel }).cell = cell;
    this.inputs.set(id, row);
    host.appendChild(row);
  }

  /** Outputs of cells deleted while their run went on: kept in a box above the cells. */
  private showOrphans(executions: JournalExecution[]): void {
    if (!this.orphans) {
      this.orphans = document.createElement('details');
      this.orphans.className = 'ja-JournalOrphans';
      this.orphans.dataset.testid = 'journal-orphans';
      const summary = document.createElement('summary');
      this.orphans.append(summary);
      this.insertAboveCells(this.orphans);
    }
    for (const execution of executions) {
      const key = `${execution.cell_id}`;
      let entry = this.orphans.querySelector<HTMLElement>(`[data-orphan="${CSS.escape(key)}"]`);
      if (!entry) {
        entry = document.createElement('div');
        entry.className = 'ja-JournalOrphan';
        entry.dataset.orphan = key;
        entry.dataset.testid = 'journal-orphan';
        this.orphans.append(entry);
      }
      this.orphanViews.get(key)?.dispose();
      const title = document.createElement('div');
      title.className = 'ja-JournalOrphan-title';
      title.textContent = `[${execution.execution_count ?? ' '}] ${execution.state === 'running' ? '(running) ' : ''}cell ${execution.cell_id}`;
      const outputs = new OutputAreaModel(execution.outputs);
      const view = new OutputAreaView(outputs, this.rendermime, () => false);
      this.orphanViews.set(key, view);
      entry.replaceChildren(title, view.node);
    }
    const n = this.orphanViews.size;
    this.orphans.querySelector('summary')!.textContent = `Outputs of ${n} deleted cell${n === 1 ? '' : 's'} (they ran while the cells were deleted)`;
  }
}
