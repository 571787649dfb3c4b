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
 *
 * When the page falls behind a flood (`cat` of a big file, `seq 1 300000`), most of the
 * backlog would scroll past and out of the scrollback before anyone could see it: the
 * batcher then skips it (jump scrolling, as X terminals do), see
 * {@link OutputBatcherOptions.keepLines}. The terminal ends in the same state, sooner.
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
  /**
   * Jump scrolling: the number of trailing lines of a backlog that decide what the
   * terminal shows once it has parsed it (scrollback + 2 × rows, read at each write; 0 or
   * absent: never skip). When the text waiting holds more than that many line feeds past
   * {@link SKIP_MIN_CHARS} characters, the part before them is replaced by one line break,
   * provided it is plain text (printable characters, `\t`, `\r`, `\n`: no escape
   * sequence, no other C0 or C1 control, so it changes no mode, colour or title) and what
   * the terminal parsed last ended in plain text (no escape sequence was cut). Why the
   * result is the same: a line feed at the bottom row scrolls one line into the scrollback,
   * so after `rows` line feeds the cursor is at the bottom and every row on screen was
   * made by the text kept, and `scrollback + rows` more push everything older out of the
   * scrollback. What is skipped is still reported to `parsed` as output.
   */
  keepLines?(): number;
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
 * See {@link OutputBatcherOptions.keepLines}: a backlog is looked at for skipping only once
 * this many UTF-16 units wait (four writes' worth): below it the terminal catches up soon
 * enough on its own.
 */
export const SKIP_MIN_CHARS = 4 * BATCH_MAX_CHARS;
/**
 * See {@link OutputBatcherOptions.keepLines}: this many plain characters at the end of the
 * last writes mean xterm's parser is back in its ground state, unless an OSC or DCS string
 * (a title, a hyperlink) has been left open for longer than that.
 */
export const PLAIN_TAIL_CHARS = 256;

/** C0 controls but `\t`, `\n`, `\r`; DEL; C1 controls (xterm reads U+0080-U+009F as C1). */
const NOT_PLAIN = /[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f]/;

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
  private readonly keepLines: () => number;
  /**
   * What waits, in order. `output` is what a piece stands for when it differs from `data`
   * (a skipped backlog, written as one line break); `plain` caches {@link NOT_PLAIN}'s test.
   */
  private queue: { data: string; note: boolean; output?: string; plain?: boolean }[] = [];
  /** Plain characters at the end of what was handed to the terminal (at most PLAIN_TAIL_CHARS). */
  private plainTail = PLAIN_TAIL_CHARS;
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
    this.keepLines = options.keepLines ?? (() => 0);
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
    if (this.queued >= SKIP_MIN_CHARS) this.skipBacklog();
    let n = 1;
    let size = this.queue[0].data.length;
    while (n < this.queue.length && size + this.queue[n].data.length <= this.maxChars) size += this.queue[n++].data.length;
    const batch = this.queue.splice(0, n);
    const data = n === 1 ? batch[0].data : batch.map((b) => b.data).join('');
    const output = batch.some((b) => b.note || b.output !== undefined)
      ? batch.map((b) => (b.note ? '' : (b.output ?? b.data))).join('')
      : data;
    this.queued -= data.length;
    this.inFlight = true;
    this.lastWriteAt = this.now();
    this.lastWriteChars = data.length;
    this.plainTail = plainTailAfter(this.plainTail, data);
    this.write(data, () => {
      this.inFlight = false;
      if (this.disposed) return;
      if (output) this.parsed(output);
      this.schedule();
    });
  }

  /**
   * Replace the start of the backlog by one line break when the rest decides what the
   * terminal shows (see {@link OutputBatcherOptions.keepLines}).
   */
  private skipBacklog(): void {
    const keep = this.keepLines();
    if (keep <= 0 || this.plainTail < PLAIN_TAIL_CHARS) return;
    // Only output up to the first note can go (a note is the app's own line), and only
    // plain text: the cut is at most the first other character's line start.
    let end = 0;
    let stop = -1; // where the first character that is not plain text is, in piece `end`
    for (; end < this.queue.length && !this.queue[end].note; end++) {
      const p = this.queue[end];
      p.plain ??= !NOT_PLAIN.test(p.data);
      if (!p.plain) {
        stop = p.data.search(NOT_PLAIN);
        break;
      }
    }
    const cut = this.latestCut(keep, end, stop);
    if (!cut) return;
    const { piece, at } = cut;
    let skipped = at;
    for (let i = 0; i < piece; i++) skipped += this.queue[i].data.length;
    if (skipped < SKIP_MIN_CHARS) return;
    const last = this.queue[piece];
    const output =
      this.queue
        .slice(0, piece)
        .map((p) => p.output ?? p.data)
        .join('') + last.data.slice(0, at);
    // The kept text starts with its line feed; the carriage return before it ends whatever
    // line the cursor was on as the skipped text's last line break would have.
    const rest = { data: last.data.slice(at), note: last.note, plain: last.plain === true ? true : undefined };
    this.queue.splice(0, piece + 1, { data: '\r', note: false, output, plain: true }, rest);
    this.queued -= skipped - 1;
  }

  /**
   * The latest line feed in the queue with at least `keep` line feeds from it on (itself
   * included) and no character that is not plain text before it: pieces before `end`, and
   * in piece `end` (if it is output) only before index `stop`. Null when there is none.
   */
  private latestCut(keep: number, end: number, stop: number): { piece: number; at: number } | null {
    let feeds = 0;
    for (let piece = this.queue.length - 1; piece >= 0; piece--) {
      const data = this.queue[piece].data;
      // Within the allowed prefix, the cut may be any line feed once enough follow it.
      const limit = piece < end ? data.length : piece === end && stop >= 0 ? stop : -1;
      let from = data.length;
      for (;;) {
        const lf = from > 0 ? data.lastIndexOf('\n', from - 1) : -1;
        if (lf < 0) break;
        feeds++;
        from = lf;
        if (feeds >= keep && lf < limit) return { piece, at: lf };
      }
    }
    return null;
  }
}

/**
 * The plain characters at the end of `previous` plain characters followed by `data`,
 * counted up to {@link PLAIN_TAIL_CHARS}.
 */
function plainTailAfter(previous: number, data: string): number {
  const from = Math.max(0, data.length - PLAIN_TAIL_CHARS);
  for (let i = data.length - 1; i >= from; i--) {
    if (!isPlain(data.charCodeAt(i))) return data.length - 1 - i;
  }
  return Math.min(PLAIN_TAIL_CHARS, previous + data.length);
}

/** Whether a UTF-16 unit is plain text for {@link NOT_PLAIN}. */
function isPlain(code: number): boolean {
  if (code >= 0x20) return code < 0x7f || code > 0x9f;
  return code === 0x09 || code === 0x0a || code === 0x0d;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
