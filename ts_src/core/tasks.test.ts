import { describe, expect, it } from 'vitest';
import { SlicedQueue, nextTask, warmUp } from './tasks';

/** Keep the thread busy for `ms` (what a widget's or a chart's synchronous set-up does). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

/** Let every microtask queued so far (and those they queue) run, without ending the task. */
async function drainMicrotasks(): Promise<void> {
  for (let i = 0; i < 100; i++) await Promise.resolve();
}

describe('nextTask', () => {
  it('resolves after the current task, not among its microtasks', async () => {
    let resumed = false;
    void nextTask().then(() => (resumed = true));
    await drainMicrotasks();
    expect(resumed).toBe(false);
    await nextTask();
    expect(resumed).toBe(true);
  });
});

describe('SlicedQueue', () => {
  it('runs jobs in order and hands each its own result or error', async () => {
    const queue = new SlicedQueue();
    const order: number[] = [];
    const a = queue.run(async () => (order.push(1), 'a'));
    const b = queue.run(async () => {
      order.push(2);
      throw new Error('b failed');
    });
    const c = queue.run(() => {
      order.push(3);
      throw new Error('c threw before returning a promise');
    });
    const d = queue.run(async () => (order.push(4), 'd'));
    await expect(a).resolves.toBe('a');
    await expect(b).rejects.toThrow('b failed');
    await expect(c).rejects.toThrow('c threw');
    await expect(d).resolves.toBe('d');
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('ends the task once a slice is used up, so many jobs queued at once are not one long task', async () => {
    const queue = new SlicedQueue(8);
    let ran = 0;
    const all = Promise.all(Array.from({ length: 10 }, () => queue.run(async () => (busy(3), ran++))));
    await drainMicrotasks();
    // 8 ms slices of jobs of at least 3 ms: at most three jobs, then the queue waits for a
    // new task (fewer when the machine is slow).
    expect(ran).toBeGreaterThanOrEqual(1);
    expect(ran).toBeLessThanOrEqual(3);
    expect(queue.waiting).toBe(10 - ran);
    await all;
    expect(ran).toBe(10);
  });

  it('does not hold the queue for a job that waits on a timer', async () => {
    const queue = new SlicedQueue();
    const order: string[] = [];
    const slow = queue.run(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push('slow');
    });
    const quick = queue.run(async () => void order.push('quick'));
    await Promise.all([slow, quick]);
    expect(order).toEqual(['quick', 'slow']);
  });
});

describe('warmUp', () => {
  it('runs each step in a task of its own, once per page, and swallows failures', async () => {
    const ran: string[] = [];
    const a = (): void => void ran.push('a');
    const broken = (): void => {
      ran.push('broken');
      throw new Error('warm-up failed');
    };
    const rejected = async (): Promise<void> => {
      ran.push('rejected');
      throw new Error('async warm-up failed');
    };
    const b = (): void => void ran.push('b');
    const first = warmUp(a, broken, rejected, b);
    await drainMicrotasks();
    expect(ran).toEqual([]);
    await nextTask();
    await drainMicrotasks();
    expect(ran).toEqual(['a']);
    // A second caller asking for steps already queued gets nothing run twice.
    await Promise.all([first, warmUp(b, a)]);
    expect(ran).toEqual(['a', 'broken', 'rejected', 'b']);
  });
});
