import { describe, expect, it } from 'vitest';
import { OutputBatcher, SKIP_MIN_CHARS, type OutputBatcherOptions } from './output';

/**
 * A batcher on a fake clock and fake timers, writing into a fake terminal that parses a
 * write only when the test says so (`parseAll`), as xterm parses in a later task.
 */
function setup(options: Partial<OutputBatcherOptions> = {}) {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const writes: string[] = [];
  const outputs: string[] = [];
  let unparsed: (() => void)[] = [];
  const batcher = new OutputBatcher({
    interval: 16,
    // Every write counts as streaming unless a test says otherwise.
    streamChars: 1,
    maxChars: 10,
    write: (data, parsed) => {
      writes.push(data);
      unparsed.push(parsed);
    },
    parsed: (output) => outputs.push(output),
    now: () => now,
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimer: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    ...options
  });
  /** Let the terminal parse everything handed to it (callbacks may write more). */
  const parseAll = () => {
    while (unparsed.length) unparsed.shift()!();
  };
  /** Advance the clock by `ms`, firing due timers in order. */
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { batcher, writes, outputs, parseAll, advance, timers: () => timers, inFlight: () => unparsed.length };
}

describe('OutputBatcher', () => {
  it('writes the first output after a quiet moment at once (a key echo is not delayed)', () => {
    const t = setup();
    t.batcher.push('a');
    expect(t.writes).toEqual(['a']);
    t.parseAll();
    t.advance(100);
    t.batcher.push('b');
    expect(t.writes).toEqual(['a', 'b']);
  });

  it('joins output that comes while the terminal is busy or within the interval, in order', () => {
    const t = setup();
    t.batcher.push('a');
    t.batcher.push('b');
    t.batcher.push('c');
    expect(t.writes).toEqual(['a']);
    t.parseAll();
    // Parsed before the interval is over: the rest waits for it.
    expect(t.writes).toEqual(['a']);
    t.advance(15);
    expect(t.writes).toEqual(['a']);
    t.advance(1);
    expect(t.writes).toEqual(['a', 'bc']);
    t.parseAll();
    expect(t.outputs.join('')).toBe('abc');
    expect(t.batcher.busy).toBe(false);
  });

  it('after a small write, writes small output at once once parsed (a command after its echo)', () => {
    const t = setup({ streamChars: 8, maxChars: 100 });
    t.batcher.push('\r\n'); // the echo of Enter
    t.parseAll();
    t.advance(1);
    t.batcher.push('c1\r\n'); // the command's output, a ms later
    expect(t.writes).toEqual(['\r\n', 'c1\r\n']);
    t.parseAll();
    t.batcher.push('$ ');
    t.batcher.push('x'); // while the prompt is parsed: joined, written once it is
    expect(t.writes).toEqual(['\r\n', 'c1\r\n', '$ ']);
    t.parseAll();
    expect(t.writes).toEqual(['\r\n', 'c1\r\n', '$ ', 'x']);
    // A large write means output streams: what follows waits for the interval.
    t.parseAll();
    t.advance(100);
    t.batcher.push('0123456789');
    t.parseAll();
    t.batcher.push('a');
    expect(t.writes.slice(4)).toEqual(['0123456789']);
    t.advance(16);
    expect(t.writes.slice(4)).toEqual(['0123456789', 'a']);
  });

  it('never has two writes in flight, and writes the rest once the terminal has parsed', () => {
    const t = setup();
    t.batcher.push('a');
    t.advance(50);
    t.batcher.push('b');
    expect(t.writes).toEqual(['a']);
    expect(t.inFlight()).toBe(1);
    t.parseAll();
    expect(t.writes).toEqual(['a', 'b']);
  });

  it('keeps batches under maxChars by joining pushes, and cuts a larger push into pieces', () => {
    const t = setup();
    t.batcher.push('0');
    for (const s of ['1234', '5678', '9abc', 'x'.repeat(25), 'de']) t.batcher.push(s);
    expect(t.batcher.pending).toBe(4 * 3 + 25 + 2);
    // A full batch waiting is written as soon as the terminal is free, without waiting.
    t.parseAll();
    expect(t.writes).toEqual(['0', '12345678', '9abc', 'x'.repeat(10), 'x'.repeat(10)]);
    t.advance(16);
    t.parseAll();
    expect(t.writes.slice(5)).toEqual(['xxxxxde']);
    expect(t.writes.join('')).toBe('0123456789abc' + 'x'.repeat(25) + 'de');
    expect(t.outputs.join('')).toBe(t.writes.join(''));
    expect(t.batcher.pending).toBe(0);
  });

  it('never cuts a surrogate pair', () => {
    const t = setup({ maxChars: 4 });
    const text = 'abc\u{1F600}de\u{1F600}'; // a, b, c, pair, d, e, pair: 9 units
    t.batcher.push(text);
    t.parseAll();
    t.advance(100);
    t.parseAll();
    expect(t.writes.join('')).toBe(text);
    for (const w of t.writes) expect(w.length).toBeLessThanOrEqual(4);
    // No piece ends with the first half of a pair or starts with the second.
    for (const w of t.writes) expect(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(w)).toBe(false);
  });

  it('reports output, not notes, as parsed, and keeps notes in order with the output', () => {
    const t = setup();
    t.batcher.push('a');
    t.batcher.push('[exited]', 'note');
    t.batcher.push('b');
    t.parseAll();
    t.advance(16);
    t.parseAll();
    expect(t.writes).toEqual(['a', '[exited]b']);
    expect(t.outputs).toEqual(['a', 'b']);
  });

  it('reports a batch as parsed only after the terminal parsed it', () => {
    const t = setup();
    t.batcher.push('a');
    expect(t.outputs).toEqual([]);
    t.parseAll();
    expect(t.outputs).toEqual(['a']);
  });

  it('ignores empty pushes and stops on dispose', () => {
    const t = setup();
    t.batcher.push('');
    expect(t.writes).toEqual([]);
    t.batcher.push('a');
    t.batcher.push('b');
    t.batcher.dispose();
    t.parseAll();
    t.advance(100);
    t.batcher.push('c');
    expect(t.writes).toEqual(['a']);
    expect(t.outputs).toEqual([]);
    expect(t.timers()).toEqual([]);
  });

  it('with real timers, every byte arrives once and in order', async () => {
    const written: string[] = [];
    const batcher = new OutputBatcher({
      interval: 2,
      maxChars: 64,
      // As xterm: parsed in a later task.
      write: (data, parsed) => {
        written.push(data);
        setTimeout(parsed, 0);
      }
    });
    const pushed: string[] = [];
    for (let i = 0; i < 500; i++) {
      const s = `${i}\r\n`;
      pushed.push(s);
      batcher.push(s);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    while (batcher.busy) await new Promise((r) => setTimeout(r, 1));
    expect(written.join('')).toBe(pushed.join(''));
    expect(written.length).toBeLessThan(pushed.length);
    expect(Math.max(...written.map((w) => w.length))).toBeLessThanOrEqual(64);
  });

  describe('jump scrolling (a backlog that would scroll out of the scrollback unseen)', () => {
    /**
     * What a terminal with `keep` lines of scrollback and screen shows after plain text
     * (`\r` back to the line start, `\n` down a line): its last `keep` lines.
     */
    const lastLines = (text: string, keep: number) => {
      const lines = [''];
      for (const part of text.split(/(\r|\n)/)) {
        if (part === '\n') lines.push('');
        else if (part === '\r') lines[lines.length - 1] = lines[lines.length - 1].slice(0, 0);
        else lines[lines.length - 1] += part;
      }
      return lines.slice(-keep);
    };
    const seq = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${from + i}\r\n`).join('');
    const flood = (options: Partial<OutputBatcherOptions> = {}) => drained(setup({ maxChars: 8192, keepLines: () => 100, ...options }));
    /** The set-up, with `parseAll` letting the terminal parse until nothing waits. */
    const drained = (t: ReturnType<typeof setup>) => ({
      ...t,
      parseAll: () => {
        while (t.batcher.busy) {
          t.parseAll();
          t.advance(16);
        }
      }
    });

    it('skips most of a plain backlog: the terminal ends showing the same lines, and the output is all reported', () => {
      const t = flood();
      t.batcher.push('$ seq 1 50000\r\n');
      const backlog = seq(1, 50000);
      t.batcher.push(backlog);
      // The first write went out at once; the rest waits while it is parsed.
      t.parseAll();
      const written = t.writes.join('');
      expect(written.length).toBeLessThan(SKIP_MIN_CHARS + 8192);
      expect(lastLines(written, 90)).toEqual(lastLines('$ seq 1 50000\r\n' + backlog, 90));
      expect(written.endsWith('49999\r\n50000\r\n')).toBe(true);
      expect(t.outputs.join('')).toBe('$ seq 1 50000\r\n' + backlog);
      expect(t.batcher.pending).toBe(0);
    });

    it('skips plain text only: an escape sequence in a backlog is written, and the plain text before its line start may go', () => {
      const t = flood();
      t.batcher.push('$\r\n');
      const backlog = seq(1, 20000) + '\x1b[31mred\x1b[0m\r\n' + seq(20001, 40000);
      t.batcher.push(backlog);
      t.parseAll();
      const written = t.writes.join('');
      expect(written).toContain('\x1b[31mred\x1b[0m\r\n');
      expect(written.length).toBeLessThan(backlog.length / 4);
      expect(lastLines(written, 90)).toEqual(lastLines('$\r\n' + backlog, 90));
      expect(t.outputs.join('')).toBe('$\r\n' + backlog);
    });

    it('skips nothing that would leave an escape sequence cut (the last write ended inside one)', () => {
      const t = flood();
      t.batcher.push('\x1b[3');
      // `1m` ends that sequence: skipping it would leave the parser inside it.
      const backlog = '1m' + seq(1, 40000);
      t.batcher.push(backlog);
      t.parseAll();
      const written = t.writes.join('');
      expect(written.startsWith('\x1b[31m1\r\n2\r\n3\r\n')).toBe(true);
      expect(written.length).toBeLessThan(backlog.length / 4);
      expect(lastLines(written, 90)).toEqual(lastLines(backlog, 90));
    });

    it('never skips the app’s own notes', () => {
      const t = flood();
      t.batcher.push('x\r\n');
      t.batcher.push(seq(1, 20000));
      t.batcher.push('\r\n[process exited]\r\n', 'note');
      t.batcher.push(seq(20001, 40000));
      t.parseAll();
      const written = t.writes.join('');
      expect(written).toContain('\r\n[process exited]\r\n');
      expect(written.length).toBeLessThan(seq(1, 40000).length / 4);
      expect(lastLines(written, 90)).toEqual(lastLines('x\r\n' + seq(1, 20000) + '\r\n[process exited]\r\n' + seq(20001, 40000), 90));
      expect(t.outputs.join('')).toBe('x\r\n' + seq(1, 40000));
    });

    it('skips nothing without keepLines, or when what waits is small', () => {
      const off = drained(setup({ maxChars: 8192 }));
      off.batcher.push('$\r\n');
      off.batcher.push(seq(1, 40000));
      off.parseAll();
      expect(off.writes.join('')).toBe('$\r\n' + seq(1, 40000));

      const small = flood();
      small.batcher.push('$\r\n');
      const backlog = seq(1, 3000); // fewer than SKIP_MIN_CHARS characters
      expect(backlog.length).toBeLessThan(SKIP_MIN_CHARS);
      small.batcher.push(backlog);
      small.parseAll();
      expect(small.writes.join('')).toBe('$\r\n' + backlog);
    });
  });
});
