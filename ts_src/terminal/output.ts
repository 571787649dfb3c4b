/**
 * The pacing of a terminal's output into xterm.js (DOM-free; the view passes xterm's
 * `write`). terminado sends one message per read of the pty, a few KB each: hundreds a
 * second while a command floods. Handing each to xterm as it comes makes xterm parse in
 * small time slices, yield between them (a `setTimeout`, which Chromium clamps to 4 ms
 * once nested) and draw a frame after nearly every slice, so a flood costs the page more
 * in frames and task switches than in parsing, and on a busy machine the page falls
 * behind the server. The batcher joins what arrives while xterm is busy, or while output
 * streams (the last write was large) within a short interval of the last write, and
 * writes it at once; output after a quiet moment (a key's echo) and small output after a
 * small write (a short command's output and prompt, a few ms after the echo of Enter) are
 * written at once, so typing and short commands are not delayed.
 */

/** Options of {@link OutputBatcher}. */
export interface OutputBatcherOptions {
  /**
   * Hand `data` to the terminal (xterm's `write(data, callback)`): `parsed` must be called
   * once the terminal has taken it in (xterm calls it after parsing), and only then is the
   * next batch written. Writes happen in the order data was pushed.
   */
  write(data: string, parsed: () => void): void;
  /**
   * Called once a batch is parsed, with the batch's output (its pushes of kind `output`,
   * joined; notes left out): what the terminal now shows of the host's stream.
   */
  parsed?(output: string): void;
  /**
   * While output streams, the least time between the starts of two writes, in ms: at most
   * about 1000/interval frames a second are drawn during a flood. Default {@link BATCH_INTERVAL_MS}.
   */
  interval?: number;
  /**
   * Output streams when the last write was at least this many UTF-16 units: only then is
   * the next write held for `interval`. Default {@link STREAM_MIN_CHARS}.
   */
  streamChars?: number;
  /**
   * The most UTF-16 units in one write: smaller pushes are joined up to it, larger ones are
   * cut into pieces of it (never inside a surrogate pair), so one write's parsing stays
   * short. Default {@link BATCH_MAX_CHARS}.
   */
  maxChars?: number;
  /** The clock in ms (default `performance.now`); for tests. */
  now?(): number;
  /** Timers (default the global ones); for tests. */
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

/**
 * See {@link OutputBatcherOptions.interval}: 16 ms, about one frame, so a key's echo that
 * comes during a flood waits at most a frame, which it would for its drawing anyway.
 */
export const BATCH_INTERVAL_MS = 16;
/**
 * See {@link OutputBatcherOptions.streamChars}: 1 Ki UTF-16 units. A flood's messages are
 * a pty read (about 4 KB) or several joined by the server; an echo, a prompt or a short
 * command's output is much smaller.
 */
export const STREAM_MIN_CHARS = 1024;
/**
 * See {@link OutputBatcherOptions.maxChars}: 8 Ki UTF-16 units (about 1,000 lines of `seq`,
 * 1-3 ms of parsing on a quiet machine). xterm parses the writes it holds for up to 12 ms
 * per task and then yields (its WriteBuffer), and the next batch is handed over from the
 * last one's parsed callback, inside that loop: a task is about 12 ms plus one batch. With
 * 32 Ki batches (the server sends up to 32 Ki characters per message while a command
 * floods) tasks of 50-90 ms were measured.
 */
export const BATCH_MAX_CHARS = 8192;

/**
 * Joins terminal output into fewer, larger writes, and cuts a too large one. Every pushed
 * character is written exactly once and in order; at most one write is in flight.
 * A push while no write is in flight is written synchronously, unless output streams and
 * the last write was less than `interval` ago.
 */
export class OutputBatcher {
  private readonly write: OutputBatcherOptions['write'];
  private readonly parsed: (output: string) => void;
  private readonly interval: number;
  private readonly streamChars: number;
  private readonly maxChars: number;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private queue: { data: string; note: boolean }[] = [];
  private queued = 0;
  private inFlight = false;
  private timer: unknown = null;
  private lastWriteAt = -Infinity;
  private lastWriteChars = 0;
  private disposed = false;

  constructor(options: OutputBatcherOptions) {
    this.write = options.write;
    this.parsed = options.parsed ?? (() => undefined);
    this.interval = options.interval ?? BATCH_INTERVAL_MS;
    this.streamChars = options.streamChars ?? STREAM_MIN_CHARS;
    this.maxChars = options.maxChars ?? BATCH_MAX_CHARS;
    this.now = options.now ?? (() => performance.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  /** UTF-16 units pushed and not yet handed to the terminal. */
  get pending(): number {
    return this.queued;
  }

  /** Whether a write is handed over and not yet parsed, or data waits. */
  get busy(): boolean {
    return this.inFlight || this.queued > 0;
  }

  /**
   * Queue `data` (empty strings are ignored) and write it now or with the next batch.
   * `kind` `note` marks text of the app's own (a "[process exited]" line), written in
   * order with the output but not reported as output to `parsed`.
   */
  push(data: string, kind: 'output' | 'note' = 'output'): void {
    if (this.disposed || !data) return;
    const note = kind === 'note';
    for (let at = 0; at < data.length; ) {
      let end = Math.min(at + this.maxChars, data.length);
      // A surrogate pair stays in one piece.
      if (end < data.length && end - at > 1 && isHighSurrogate(data.charCodeAt(end - 1))) end--;
      this.queue.push({ data: at === 0 && end === data.length ? data : data.slice(at, end), note });
      at = end;
    }
    this.queued += data.length;
    this.schedule();
  }

  /** Drop what waits and stop; a write in flight still completes in the terminal. */
  dispose(): void {
    this.disposed = true;
    this.queue = [];
    this.queued = 0;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.inFlight || this.timer !== null || !this.queued) return;
    // A backlog of a full batch is written at once: the terminal is the bottleneck then,
    // and each batch's parsing is long enough that frames come between batches anyway.
    // After a small write nothing streams: what follows (a command's output after the echo
    // of Enter) is written at once rather than a frame later.
    const streaming = this.lastWriteChars >= this.streamChars;
    const wait = !streaming || this.queued >= this.maxChars ? 0 : this.lastWriteAt + this.interval - this.now();
    if (wait <= 0) this.writeNext();
    else
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.writeNext();
      }, wait);
  }

  private writeNext(): void {
    if (this.disposed || !this.queued) return;
    let n = 1;
    let size = this.queue[0].data.length;
    while (n < this.queue.length && size + this.queue[n].data.length <= this.maxChars) size += this.queue[n++].data.length;
    const batch = this.queue.splice(0, n);
    const data = n === 1 ? batch[0].data : batch.map((b) => b.data).join('');
    const output = batch.some((b) => b.note) ? batch.filter((b) => !b.note).map((b) => b.data).join('') : data;
    this.queued -= data.length;
    this.inFlight = true;
    this.lastWriteAt = this.now();
    this.lastWriteChars = data.length;
    this.write(data, () => {
      this.inFlight = false;
      if (this.disposed) return;
      if (output) this.parsed(output);
      this.schedule();
    });
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
