import type * as nbformat from '@jupyterlab/nbformat';
import { cellKeys } from '../notebook/model/cell-key';

/**
 * One execution as the server's journal reports it (`GET /jlab-alt/api/journal`,
 * see `py_src/jlab_alt/journal/handlers.py`). Times are seconds since the epoch.
 */
export interface JournalExecution {
  msg_id: string;
  cell_id: string | null;
  /** The client session (kernel connection `clientId`) that sent the request. */
  session: string;
  state: 'queued' | 'running' | 'done' | 'aborted';
  /**
   * The run's result once it ended; `unknown` when the server lost its last messages
   * (their end, under an output flood): it is over, whether it succeeded is not known.
   */
  status: 'ok' | 'error' | 'aborted' | 'unknown' | null;
  /** Some of its messages were lost on the server: the outputs are partial (a marker line says where). */
  incomplete?: boolean;
  execution_count: number | null;
  /** The outputs reduced by the page's own rules (streams merged, clears applied). */
  outputs: nbformat.IOutput[];
  /** `transient.display_id` of each output, or null. */
  display_ids: (string | null)[];
  input_request: { prompt: string; password: boolean; header: Record<string, unknown> } | null;
  requested: number;
  started: number | null;
  finished: number | null;
  seq: number;
}

/** The journal's answer for one notebook. */
export interface JournalAnswer {
  available: boolean;
  /** Why not: `disabled` (server setting), `gateway` (remote kernels), `no-kernel`. */
  reason?: 'disabled' | 'gateway' | 'no-kernel';
  /** New on every server start. */
  journal_id: string | null;
  kernel_id?: string | null;
  seq?: number;
  restarts?: number;
  executions?: JournalExecution[];
  /** What Output widgets captured, by widget model id (the journal's own reduction). */
  widgets?: Record<string, { outputs: nbformat.IOutput[] }>;
}

/** The part of a cell's outputs catching up writes to (an `OutputAreaModel`). */
export interface CatchUpOutputs {
  readonly outputs: readonly nbformat.IOutput[];
  add(output: nbformat.IOutput, displayId?: string): void;
  clear(wait?: boolean): void;
}

/** The part of a cell catching up writes to (a `CellModel`). */
export interface CatchUpCell {
  readonly id: string | undefined;
  /** Keys cells without an id (nbformat < 4.5), as the page that ran them did (`notebook/model/cell-key.ts`). */
  readonly source: string;
  readonly outputs: CatchUpOutputs;
  executionCount: number | null;
  readonly running: boolean;
  readonly pending: boolean;
  setRunState(pending: boolean, running: boolean): void;
}

/** What the view should show after an answer was applied. */
export interface CatchUpResult<C extends CatchUpCell = CatchUpCell> {
  /** Latest executions of cells this notebook no longer has (deleted meanwhile), by cell id. */
  orphans: JournalExecution[];
  /** Cells whose latest execution was aborted by a kernel restart or death. */
  aborted: C[];
  /** Every execution applied to a cell, with the cell (the view shows `input_request`s from it). */
  applied: { cell: C; execution: JournalExecution }[];
  /** Cells whose latest execution ran to its end. */
  finished: C[];
  /** Of `finished`, the cells whose run ended among lost messages: how it ended is unknown. */
  unknown: C[];
  /** The server restarted since the last answer: what the journal held is gone. */
  lost: boolean;
  /** Set when the journal cannot be used for this notebook. */
  unavailable: JournalAnswer['reason'] | null;
}

/**
 * Catching up with the server's execution journal, without DOM: applies the journal's
 * executions to the notebook's cells by cell id, through the same output model the
 * page's own runs write to, so both render alike.
 *
 * Rules:
 * - only each cell's latest execution counts; this page's own executions (its kernel
 *   connection's `clientId`) are skipped, since the page draws them from its own
 *   kernel messages: nothing renders twice;
 * - on the first answer, executions that finished before the file was last saved
 *   (`since`) are already in the file and are not applied again (so outputs someone
 *   cleared and saved stay cleared);
 * - outputs are applied as a difference: a grown stream gets only its new text,
 *   further outputs are appended, anything else replaces the cell's outputs;
 * - `queued`/`running` show as pending/running (`[*]`), `done`/`aborted` as finished;
 *   a `done` run with status `unknown` (its end was lost on the server) is reported in
 *   `unknown`, so the view says so instead of showing it as a success or a failure.
 */
export class CatchUpModel<C extends CatchUpCell = CatchUpCell> {
  private journalId: string | null = null;
  private kernelId: string | null = null;
  /** The last `seq` applied: the next request asks for what changed after it. */
  seq = 0;
  private first = true;
  private readonly latest = new Map<string, { msgId: string; requested: number }>();
  /** Cells whose run state the journal set (so a lost journal can clear them). */
  private readonly driven = new Set<C>();

  /**
   * @param options.ownSession The page's kernel connection `clientId` (null: none).
   * @param options.since When the file was last saved, in ms since the epoch.
   * @param options.cells The notebook's cells now.
   */
  constructor(
    private readonly options: {
      ownSession: () => string | null;
      since: () => number;
      cells: () => readonly C[];
    }
  ) {}

  /** Whether a cell the journal drives is queued, running or waiting: worth asking again soon. */
  get active(): boolean {
    for (const cell of this.driven) if (cell.pending || cell.running) return true;
    return false;
  }

  /** Apply one answer of the journal. */
  apply(answer: JournalAnswer): CatchUpResult<C> {
    const result: CatchUpResult<C> = { orphans: [], aborted: [], applied: [], finished: [], unknown: [], lost: false, unavailable: null };
    if (answer.journal_id && this.journalId && answer.journal_id !== this.journalId) {
      result.lost = true;
      this.reset();
    }
    if (answer.journal_id) this.journalId = answer.journal_id;
    if (!answer.available) {
      result.unavailable = answer.reason ?? 'disabled';
      if (answer.reason === 'no-kernel') this.clearDriven();
      return result;
    }
    if ((answer.kernel_id ?? null) !== this.kernelId) {
      if (this.kernelId !== null) this.reset();
      this.kernelId = answer.kernel_id ?? null;
    }
    const executions = [...(answer.executions ?? [])].sort((a, b) => a.requested - b.requested);
    const byId = new Map<string, C>();
    for (const [cell, key] of cellKeys(this.options.cells())) byId.set(key, cell);
    const own = this.options.ownSession();
    // First the latest run of each cell (this page's own included), then apply only those:
    // an older run changed later (a display update) must not cover a newer one.
    for (const execution of executions) {
      const cellId = execution.cell_id;
      if (!cellId) continue;
      const known = this.latest.get(cellId);
      if (!known || known.msgId === execution.msg_id || known.requested <= execution.requested) {
        this.latest.set(cellId, { msgId: execution.msg_id, requested: execution.requested });
      }
    }
    for (const execution of executions) {
      const cellId = execution.cell_id;
      if (!cellId || this.latest.get(cellId)?.msgId !== execution.msg_id) continue;
      if (own !== null && execution.session === own) continue;
      const cell = byId.get(cellId);
      if (!cell) {
        // Deleted (here, in another page, or on disk) while the journal kept its run.
        result.orphans.push(execution);
        continue;
      }
      const finished = execution.state === 'done' || execution.state === 'aborted';
      if (this.first && finished && execution.finished !== null && execution.finished * 1000 <= this.options.since()) continue;
      this.applyExecution(cell, execution, result);
    }
    this.first = false;
    this.seq = answer.seq ?? this.seq;
    return result;
  }

  /** Forget every cell's running state the journal set (the journal is gone). */
  clearDriven(): void {
    for (const cell of this.driven) cell.setRunState(false, false);
    this.driven.clear();
  }

  private reset(): void {
    this.clearDriven();
    this.latest.clear();
    this.seq = 0;
  }

  private applyExecution(cell: C, execution: JournalExecution, result: CatchUpResult<C>): void {
    applyOutputs(cell.outputs, execution.outputs, execution.display_ids);
    result.applied.push({ cell, execution });
    if (execution.execution_count !== null) cell.executionCount = execution.execution_count;
    switch (execution.state) {
      case 'queued':
        cell.setRunState(true, false);
        this.driven.add(cell);
        break;
      case 'running':
        cell.setRunState(true, true);
        this.driven.add(cell);
        break;
      case 'aborted':
        cell.setRunState(false, false);
        this.driven.delete(cell);
        result.aborted.push(cell);
        break;
      default:
        cell.setRunState(false, false);
        this.driven.delete(cell);
        result.finished.push(cell);
        if (execution.status === 'unknown') result.unknown.push(cell);
    }
  }
}

function text(output: nbformat.IOutput | undefined): string | null {
  if (!output || output.output_type !== 'stream') return null;
  const value = output.text as string | string[];
  return Array.isArray(value) ? value.join('') : value;
}

function same(a: nbformat.IOutput, b: nbformat.IOutput): boolean {
  const ta = text(a);
  const tb = text(b);
  if (ta !== null || tb !== null) return ta === tb && a.name === b.name;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Make `target` hold `outputs`, touching as little as possible: unchanged outputs stay,
 * a stream that grew gets only its new text (so the view appends), new outputs are added.
 */
export function applyOutputs(target: CatchUpOutputs, outputs: readonly nbformat.IOutput[], displayIds: readonly (string | null)[] = []): void {
  const current = target.outputs;
  let common = 0;
  while (common < current.length && common < outputs.length && same(current[common]!, outputs[common]!)) common++;
  if (common === current.length && common === outputs.length) return;
  let from = common;
  if (common < current.length) {
    // Only the last current output may differ, and only as a stream that grew.
    const before = text(current[common]);
    const after = text(outputs[common]);
    const grew =
      common === current.length - 1 &&
      before !== null &&
      after !== null &&
      current[common]!.name === outputs[common]!.name &&
      after.startsWith(before) &&
      !/[\r\b]/.test(after.slice(before.length, -1)) &&
      !before.endsWith('\r');
    if (!grew) {
      target.clear();
      from = 0;
    } else {
      target.add({ output_type: 'stream', name: outputs[common]!.name, text: after.slice(before.length) } as nbformat.IOutput);
      from = common + 1;
    }
  }
  for (let i = from; i < outputs.length; i++) target.add(outputs[i]!, displayIds[i] ?? undefined);
}
