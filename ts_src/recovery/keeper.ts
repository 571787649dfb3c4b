import { DisposableDelegate, DisposableSet, IDisposable } from '../core/disposable';
import { SLICE_MS, nextTask } from '../core/tasks';
import type { DocumentContext } from '../docmanager/context';
import type { Output } from '../outputarea/model';
import { NotebookParts, sameOutputs } from '../savedelta/tracker';
import type { BaseRef, CellRef } from './parts';
import { RECOVERY_LIMITS, RecoveryPart, RecoveryRecord, RecoveryStore } from './store';

/** What the store holds of one notebook's parts, as this keeper last wrote them. */
interface Written {
  /** The tracker whose ticks `tick` compares with (a replaced model means a new tracker). */
  tracker: NotebookParts['tracker'];
  key: string;
  /** The tracker's tick when the last write took its parts. */
  tick: number;
  /** Bytes of each part kept. */
  sizes: Map<string, number>;
  /** The output objects each kept outputs part holds (outputs are replaced, never mutated). */
  outputs: Map<string, readonly Output[]>;
}

/** Milliseconds after an edit before the copy is written (so typing is batched, and kept within a second). */
export const RECOVERY_DELAY_MS = 400;

/**
 * Keeps a copy of each open document's unsaved edits in a {@link RecoveryStore}, so
 * they survive a crashed tab or browser: written {@link RECOVERY_DELAY_MS} after an
 * edit (batched while typing), removed once the document is saved (or reverted, or
 * its tab closed in the app, which asks about unsaved edits first).
 */
export class RecoveryKeeper {
  private readonly timers = new Map<DocumentContext, ReturnType<typeof setTimeout>>();
  private readonly writing = new Map<DocumentContext, Promise<void>>();
  private readonly written = new Map<DocumentContext, Written>();
  /** Documents followed now (a write finishing after its tab closed must not keep its state). */
  private readonly tracked = new Set<DocumentContext>();

  /**
   * @param scope Names the server (its URL), so two servers' files of the same path stay apart.
   * @param onError Told when the store fails (full, unavailable); edits are never affected.
   */
  constructor(
    readonly store: RecoveryStore,
    private readonly scope: string,
    private readonly onError: (err: unknown) => void = (err) => console.warn('Crash recovery:', err),
    /** Names this page load in the records it keeps. */
    readonly owner = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`
  ) {}

  /** The store key of a path on this server. */
  keyOf(path: string): string {
    return `${this.scope}\n${path}`;
  }

  /** Follow `context`: keep its edits, drop the copy when saved. Dispose to stop (the copy stays). */
  track(context: DocumentContext): IDisposable {
    const subs = new DisposableSet();
    this.tracked.add(context);
    const content = context.content;
    if (content?.changed) subs.add(content.changed(() => this.schedule(context)));
    subs.add(
      context.saveState(({ state }) => {
        // A save drops the copy at once, not after the usual delay: a page closed or
        // reloaded right after saving must not offer the saved edits back.
        if (state === 'completed') {
          const timer = this.timers.get(context);
          if (timer !== undefined) clearTimeout(timer);
          this.timers.delete(context);
          void this.flush(context);
        } else if (state === 'cancelled') this.schedule(context);
      })
    );
    subs.add(
      context.pathChanged(({ oldPath }) => {
        void this.store.delete(this.keyOf(oldPath)).catch(this.onError);
        this.schedule(context);
      })
    );
    subs.add(
      new DisposableDelegate(() => {
        const timer = this.timers.get(context);
        if (timer !== undefined) clearTimeout(timer);
        this.timers.delete(context);
        this.written.delete(context);
        this.tracked.delete(context);
      })
    );
    return subs;
  }

  /** Write (or drop) the copy of `context` soon. */
  schedule(context: DocumentContext): void {
    if (this.timers.has(context)) return;
    this.timers.set(
      context,
      setTimeout(() => {
        this.timers.delete(context);
        void this.flush(context);
      }, RECOVERY_DELAY_MS)
    );
  }

  /** Write the copy of `context` now: its content when dirty, else remove it. */
  flush(context: DocumentContext): Promise<void> {
    const previous = this.writing.get(context) ?? Promise.resolve();
    const next: Promise<void> = previous
      .then(() => this.write(context))
      .catch(this.onError)
      .finally(() => {
        // The chain only orders writes of one document: once its last write is done the
        // entry goes, or every document ever edited in the page (and its model) stays reachable.
        if (this.writing.get(context) === next) this.writing.delete(context);
        if (!this.tracked.has(context)) this.written.delete(context);
      });
    this.writing.set(context, next);
    return next;
  }

  /**
   * How many documents this keeper holds state of (a pending timer, a write under way, or
   * what it last wrote): those tracked and edited, plus any whose tab closed while a write
   * was still running. Zero once every tracked document is closed and its writes are done.
   */
  get heldDocuments(): number {
    return new Set<DocumentContext>([...this.timers.keys(), ...this.writing.keys(), ...this.written.keys()]).size;
  }

  /** Drop the copy of `path` (restored or discarded by the person). */
  discard(path: string): Promise<void> {
    return this.store.delete(this.keyOf(path));
  }

  private async write(context: DocumentContext): Promise<void> {
    const content = context.content;
    const key = this.keyOf(context.path);
    if (!content || content.loadError || !context.dirty) {
      this.written.delete(context);
      await this.store.delete(key);
      return;
    }
    const parts = content.parts?.();
    if (parts) {
      try {
        await this.writeParts(context, key, content, parts);
      } catch (err) {
        // What the store holds is unknown now: the next write keeps every part again.
        this.written.delete(context);
        throw err;
      }
      return;
    }
    const json = JSON.stringify(content.snapshot().content);
    if (json.length > RECOVERY_LIMITS.recordBytes) {
      throw new Error(`"${context.path}" is too large (${json.length} bytes) to keep a copy of its unsaved edits`);
    }
    const record: RecoveryRecord = {
      key,
      path: context.path,
      type: content.type,
      format: content.format,
      json,
      baseLastModified: context.lastModified,
      time: Date.now(),
      owner: this.owner
    };
    await this.store.put(record);
  }

  /**
   * Keep a notebook cell by cell (see parts.ts): cells unchanged since the version on
   * disk are referenced, and of the others only the parts edited since this keeper's
   * last write are serialized and put. The work is cut into slices of {@link SLICE_MS}
   * so that even keeping every cell (after a restore) never blocks the page for long.
   */
  private async writeParts(
    context: DocumentContext,
    key: string,
    content: NonNullable<DocumentContext['content']>,
    parts: NotebookParts
  ): Promise<void> {
    const baseLastModified = context.lastModified;
    let w = this.written.get(context);
    if (!w || w.tracker !== parts.tracker || w.key !== key) {
      w = { tracker: parts.tracker, key, tick: -1, sizes: new Map(), outputs: new Map() };
      this.written.set(context, w);
    }
    const puts: RecoveryPart[] = [];
    const refs: CellRef[] = [];
    let bytes = 0;
    let sliceStart = performance.now();
    const keep = (name: string, value: unknown): void => {
      const json = JSON.stringify(value);
      puts.push({ name, json });
      w.sizes.set(name, json.length);
    };
    for (const part of parts.cells) {
      const cell = part.cell;
      const base: BaseRef | null = part.baseIndex === null ? null : { base: part.baseIndex, id: cell.id };
      if (base && part.unchanged) {
        refs.push(base);
        continue;
      }
      // Names carry the page's owner id: a page never overwrites another page's parts.
      const name = `${this.owner}:c${cell.key}`;
      if (!w.sizes.has(name) || part.editedAt > w.tick) {
        const json = cell.toJSON() as unknown as Record<string, unknown>;
        if (cell.type === 'code') json.outputs = null;
        keep(name, json);
      }
      bytes += w.sizes.get(name)!;
      const ref: CellRef = { cell: name };
      if (cell.type === 'code') {
        if (base && part.outputsUnchanged) ref.outputs = base;
        else {
          const outputsName = `${this.owner}:o${cell.key}`;
          const outputs = cell.outputs.outputs;
          const kept = w.outputs.get(outputsName);
          if (!kept || !sameOutputs(kept, outputs)) {
            keep(outputsName, outputs);
            w.outputs.set(outputsName, [...outputs]);
          }
          bytes += w.sizes.get(outputsName)!;
          ref.outputs = outputsName;
        }
      }
      refs.push(ref);
      if (performance.now() - sliceStart > SLICE_MS) {
        await nextTask();
        sliceStart = performance.now();
      }
    }
    const json = JSON.stringify({ ...parts.header, cells: refs });
    bytes += json.length;
    if (bytes > RECOVERY_LIMITS.recordBytes) {
      throw new Error(`"${context.path}" is too large (${bytes} bytes) to keep a copy of its unsaved edits`);
    }
    const record: RecoveryRecord = {
      key,
      path: context.path,
      type: content.type,
      format: content.format,
      json,
      parts: 1,
      bytes,
      baseLastModified,
      time: Date.now(),
      owner: this.owner
    };
    await this.store.put(record, puts);
    w.tick = parts.tick;
  }
}
