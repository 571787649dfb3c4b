import { describe, expect, it, vi } from 'vitest';
import { DisposableDelegate, DisposableSet } from './disposable';

describe('DisposableDelegate', () => {
  it('runs its callback on the first dispose only', () => {
    const fn = vi.fn();
    const d = new DisposableDelegate(fn);
    expect(d.isDisposed).toBe(false);
    d.dispose();
    d.dispose();
    expect(fn).toHaveBeenCalledTimes(1);
    expect(d.isDisposed).toBe(true);
  });

  it('is marked disposed even when its callback throws, and does not run it again', () => {
    const fn = vi.fn(() => {
      throw new Error('boom');
    });
    const d = new DisposableDelegate(fn);
    expect(() => d.dispose()).toThrow('boom');
    expect(d.isDisposed).toBe(true);
    d.dispose();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});

describe('DisposableSet', () => {
  it('disposes its members in reverse order of addition', () => {
    const order: string[] = [];
    const set = new DisposableSet();
    set.add(new DisposableDelegate(() => order.push('a')));
    set.add(new DisposableDelegate(() => order.push('b')));
    set.add(new DisposableDelegate(() => order.push('c')));
    set.dispose();
    expect(order).toEqual(['c', 'b', 'a']);
    expect(set.isDisposed).toBe(true);
  });

  it('disposes its members only once when disposed twice', () => {
    const fn = vi.fn();
    const set = new DisposableSet();
    set.add(new DisposableDelegate(fn));
    set.dispose();
    set.dispose();
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('disposes an item added after the set itself was disposed, at once', () => {
    const set = new DisposableSet();
    set.dispose();
    const late = new DisposableDelegate(vi.fn());
    expect(set.add(late)).toBe(late);
    expect(late.isDisposed).toBe(true);
  });

  it('returns the item it adds, so it can be kept and disposed on its own', () => {
    const fn = vi.fn();
    const set = new DisposableSet();
    const item = set.add(new DisposableDelegate(fn));
    item.dispose();
    set.dispose();
    expect(fn).toHaveBeenCalledTimes(1);
  });
});
