import type * as nbformat from '@jupyterlab/nbformat';
import { Emitter } from '../core/emitter';
import { appendStreamText, applyControlChars, joinMultiline } from './text';

/** An output as stored in a notebook (nbformat 4 `outputs[]` entry). */
export type Output = nbformat.IOutput;

/** What changed in an {@link OutputAreaModel}, so views can update only that. */
export type OutputChange =
  | { type: 'add'; index: number }
  | { type: 'append'; index: number; text: string }
  | { type: 'set'; index: number }
  | { type: 'clear' };

/**
 * The outputs of one code cell, with the Jupyter messaging rules for building them
 * from kernel messages (https://jupyter-client.readthedocs.io/en/latest/messaging.html):
 *
 * - consecutive `stream` messages of the same name merge into one output, with
 *   `\r` and `\b` applied as a terminal would;
 * - `clear_output(wait=True)` clears only when the next output arrives;
 * - `update_display_data` replaces every output carrying the same `display_id`.
 *
 * Outputs loaded from a file are kept exactly as they were (multiline lists stay
 * lists) until the cell runs again.
 */
export class OutputAreaModel {
  private items: Output[];
  private clearPending = false;
  private readonly _changed = new Emitter<OutputChange>();
  /** Fires after each change. */
  readonly changed = this._changed.event;

  constructor(outputs: readonly Output[] = []) {
    this.items = [...outputs];
  }

  get length(): number {
    return this.items.length;
  }

  /** The outputs; treat as read-only. */
  get outputs(): readonly Output[] {
    return this.items;
  }

  get(index: number): Output | undefined {
    return this.items[index];
  }

  /**
   * Add an output produced by the kernel (an iopub `stream`, `display_data`,
   * `execute_result` or `error` message's content with its `output_type`).
   * `transient.display_id` (messaging spec) is kept outside the saved output.
   */
  add(output: Output, displayId?: string): void {
    this.flushClear();
    if (output.output_type === 'stream') {
      const last = this.items[this.items.length - 1];
      const chunk = joinMultiline(output.text as string | string[]);
      if (last && last.output_type === 'stream' && last.name === output.name) {
        // Only the last line can change (see appendStreamText). Work on it alone:
        // searching or comparing the whole text would make a long stream quadratic.
        let split = this.streamTail;
        if (!split || split.output !== last) split = splitLastLine(last, joinMultiline(last.text as string | string[]));
        const lastLine = applyControlChars(split.tail + chunk);
        const cut = lastLine.lastIndexOf('\n') + 1;
        const head = split.head + lastLine.slice(0, cut);
        const tail = lastLine.slice(cut);
        const index = this.items.length - 1;
        const updated = { ...last, text: head + tail };
        this.items[index] = updated;
        this.streamTail = { output: updated, head, tail };
        if (lastLine.startsWith(split.tail)) {
          this._changed.emit({ type: 'append', index, text: lastLine.slice(split.tail.length) });
        } else {
          this._changed.emit({ type: 'set', index });
        }
        return;
      }
      const text = appendStreamText('', chunk);
      const created: Output = { output_type: 'stream', name: output.name, text };
      this.streamTail = splitLastLine(created, text);
      this.push(created);
      return;
    }
    if (displayId) this.displayIds.set(this.items.length, displayId);
    this.push(output);
  }

  /**
   * Replace the data and metadata of every output whose display_id is `displayId`
   * (`update_display_data`). Returns how many outputs changed.
   */
  updateDisplay(displayId: string, data: nbformat.IMimeBundle, metadata: nbformat.OutputMetadata = {}): number {
    let count = 0;
    for (const [index, id] of this.displayIds) {
      const current = this.items[index];
      if (id !== displayId || !current) continue;
      this.items[index] = { ...current, data, metadata } as Output;
      this._changed.emit({ type: 'set', index });
      count++;
    }
    return count;
  }

  /** Whether an output of this area carries `displayId`. */
  hasDisplay(displayId: string): boolean {
    for (const id of this.displayIds.values()) if (id === displayId) return true;
    return false;
  }

  /**
   * Remove every output (`clear_output`); with `wait`, only when the next output
   * arrives, so animations do not flicker.
   */
  clear(wait = false): void {
    if (wait) {
      this.clearPending = true;
      return;
    }
    this.clearPending = false;
    this.displayIds.clear();
    this.streamTail = null;
    if (this.items.length === 0) return;
    this.items = [];
    this._changed.emit({ type: 'clear' });
  }

  /** The outputs as nbformat JSON (the stored objects themselves; do not mutate). */
  toJSON(): Output[] {
    return [...this.items];
  }

  private readonly displayIds = new Map<number, string>();
  /** The last stream output cut after its last newline (`head` + `tail` is its text). */
  private streamTail: StreamSplit | null = null;

  private push(output: Output): void {
    this.items.push(output);
    this._changed.emit({ type: 'add', index: this.items.length - 1 });
  }

  private flushClear(): void {
    if (this.clearPending) this.clear(false);
  }
}

interface StreamSplit {
  output: Output;
  head: string;
  tail: string;
}

function splitLastLine(output: Output, text: string): StreamSplit {
  const cut = text.lastIndexOf('\n') + 1;
  return { output, head: text.slice(0, cut), tail: text.slice(cut) };
}
