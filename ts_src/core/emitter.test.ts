import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter';

describe('Emitter', () => {
  it('calls listeners with the emitted value, in subscription order', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    emitter.event((v) => seen.push(`first ${v}`));
    emitter.event((v) => seen.push(`second ${v}`));
    emitter.emit(7);
    expect(seen).toEqual(['first 7', 'second 7']);
  });

  it('stops calling a listener once its subscription is disposed', () => {
    const emitter = new Emitter<string>();
    const listener = vi.fn();
    const sub = emitter.event(listener);
    emitter.emit('a');
    sub.dispose();
    emitter.emit('b');
    expect(listener.mock.calls).toEqual([['a']]);
    expect(sub.isDisposed).toBe(true);
  });

  it('does not let a throwing listener stop the others, and reports the error', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const emitter = new Emitter<void>();
    const before = vi.fn();
    const after = vi.fn();
    const failure = new Error('listener failed');
    emitter.event(before);
    emitter.event(() => {
      throw failure;
    });
    emitter.event(after);
    expect(() => emitter.emit()).not.toThrow();
    expect(before).toHaveBeenCalledTimes(1);
    expect(after).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledWith(expect.any(String), failure);
  });

  it('does not call a listener that an earlier listener unsubscribed during the same emit', () => {
    // E.g. a panel closed by one listener must not then receive the event itself.
    const emitter = new Emitter<number>();
    const second = vi.fn();
    let secondSub: { dispose(): void } | null = null;
    emitter.event(() => secondSub?.dispose());
    secondSub = emitter.event(second);
    emitter.emit(1);
    emitter.emit(2);
    expect(second).not.toHaveBeenCalled();
  });

  it('does not call later listeners of the current emit after clear() from a listener', () => {
    const emitter = new Emitter<number>();
    const later = vi.fn();
    emitter.event(() => emitter.clear());
    emitter.event(later);
    emitter.emit(1);
    expect(later).not.toHaveBeenCalled();
  });

  it('does not call a listener added during an emit until the next emit', () => {
    const emitter = new Emitter<number>();
    const late = vi.fn();
    emitter.event(() => {
      emitter.event(late);
    });
    emitter.emit(1);
    expect(late).not.toHaveBeenCalled();
    emitter.emit(2);
    expect(late).toHaveBeenCalledWith(2);
  });

  it('keeps the other subscription of a listener subscribed twice when one is disposed', () => {
    const emitter = new Emitter<number>();
    const listener = vi.fn();
    const first = emitter.event(listener);
    emitter.event(listener);
    first.dispose();
    emitter.emit(1);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('does not let a subscription disposed after clear() remove a newer subscription', () => {
    const emitter = new Emitter<number>();
    const listener = vi.fn();
    const stale = emitter.event(listener);
    emitter.clear();
    emitter.event(listener);
    stale.dispose();
    emitter.emit(1);
    expect(listener).toHaveBeenCalledWith(1);
  });

  it('drops every listener on clear()', () => {
    const emitter = new Emitter<number>();
    const a = vi.fn();
    const b = vi.fn();
    emitter.event(a);
    emitter.event(b);
    emitter.clear();
    emitter.emit(1);
    expect(a).not.toHaveBeenCalled();
    expect(b).not.toHaveBeenCalled();
  });

  it('can pass its subscribe function around detached from the emitter', () => {
    const emitter = new Emitter<string>();
    const { event } = emitter;
    const listener = vi.fn();
    event(listener);
    emitter.emit('x');
    expect(listener).toHaveBeenCalledWith('x');
  });
});
