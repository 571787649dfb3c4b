import { DisposableDelegate, DisposableSet, IDisposable } from '../core/disposable';
import type { DocumentContext } from '../docmanager/context';
import { RECOVERY_LIMITS, RecoveryRecord, RecoveryStore } from './store';

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
    const next = previous.then(() => this.write(context)).catch(this.onError);
    this.writing.set(context, next);
    return next;
  }

  /** Drop the copy of `path` (restored or discarded by the person). */
  discard(path: string): Promise<void> {
    return this.store.delete(this.keyOf(path));
  }

  private async write(context: DocumentContext): Promise<void> {
    const content = context.content;
    const key = this.keyOf(context.path);
    if (!content || content.loadError || !context.dirty) {
      await this.store.delete(key);
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
}
