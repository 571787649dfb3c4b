import { DisposableDelegate, IDisposable } from './disposable';

/** A listener of an {@link Emitter}. */
export type Listener<T> = (value: T) => void;

/**
 * A typed event source. `event(listener)` subscribes and returns a disposable that
 * unsubscribes; `emit(value)` calls listeners in subscription order. A listener that
 * throws is reported on the console and does not stop the others.
 */
export class Emitter<T> {
  private listeners: { listener: Listener<T>; live: boolean }[] = [];

  /** Subscribe `listener`; dispose the result to unsubscribe. */
  readonly event = (listener: Listener<T>): IDisposable => {
    const entry = { listener, live: true };
    this.listeners.push(entry);
    return new DisposableDelegate(() => {
      entry.live = false;
      this.listeners = this.listeners.filter((e) => e !== entry);
    });
  };

  emit(value: T): void {
    for (const entry of [...this.listeners]) {
      if (!entry.live) continue; // unsubscribed by an earlier listener of this emit
      try {
        entry.listener(value);
      } catch (err) {
        console.error('An event listener threw:', err);
      }
    }
  }

  /** Remove every listener. */
  clear(): void {
    for (const entry of this.listeners) entry.live = false;
    this.listeners = [];
  }
}
