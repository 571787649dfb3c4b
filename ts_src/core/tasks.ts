/**
 * Cutting main-thread work into tasks short enough that the page keeps painting and
 * answering input (a task over 50 ms is a "long task"; issue 18 wants none over 100 ms).
 *
 * Work chained with `await` runs as microtasks, and microtasks never end a task: fifty
 * widgets each started with `void view.start()` in one task run, promise after promise,
 * as one task however long it gets. These helpers end the task on purpose.
 */

/**
 * Resolves in a new task, after the browser has had the chance to paint and handle input.
 * A `MessageChannel` message rather than `setTimeout(0)`, which nested timers clamp to 4 ms.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** See {@link SlicedQueue}: a slice's length, in ms. */
export const SLICE_MS = 8;

/**
 * Runs jobs one after the other in slices of about `sliceMs` of main-thread time: after a
 * slice the queue waits for a new task. A job's synchronous part is never cut (one job
 * can overrun the slice). A job still waiting after its own slice's microtasks (on the
 * network, a kernel, a timer) does not hold the queue: the next job starts in the next
 * task, and the waiting one finishes whenever its wait ends.
 */
export class SlicedQueue {
  private readonly jobs: (() => Promise<unknown>)[] = [];
  private draining = false;

  constructor(private readonly sliceMs: number = SLICE_MS) {}

  /** Jobs queued and not started yet. */
  get waiting(): number {
    return this.jobs.length;
  }

  /**
   * Queue `job`; resolves or rejects as its promise does, once it has run. Jobs start in
   * the order they were queued.
   */
  run<T>(job: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push(() => {
        let result: Promise<T>;
        try {
          result = job();
        } catch (err) {
          result = Promise.reject(err);
        }
        result.then(resolve, reject);
        return result;
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      let sliceStart = performance.now();
      while (this.jobs.length) {
        const job = this.jobs.shift()!;
        const finished = job().then(
          () => true,
          () => true
        );
        // A job done within its microtasks wins the race; one waiting on anything else
        // loses to the next task, and the queue goes on in that new task.
        if (!(await Promise.race([finished, nextTask().then(() => false)]))) sliceStart = performance.now();
        else if (this.jobs.length && performance.now() - sliceStart > this.sliceMs) {
          await nextTask();
          sliceStart = performance.now();
        }
      }
    } finally {
      this.draining = false;
    }
  }
}

/**
 * One piece of one-time work a page pays on its first use of something (compiling a
 * library's code, loading locale data, adding a library's style sheets), done ahead of
 * time instead. Its result is thrown away; only the side effect on the page counts.
 */
export type WarmUp = () => unknown;

const warmed = new Set<WarmUp>();

/**
 * Run `steps` ahead of their first real use, one per task, in order, each at most once per
 * page (a step already run or queued is skipped, so two callers can ask for the same one).
 * Call it when the page waits on the network: the work then costs nothing the user sees,
 * where on first use it lands in the task drawing something big (issue 18: 20-130 ms
 * each on a slow machine, 2026-12-05). A step that throws or rejects is ignored, since
 * the first real use reports its own errors. Resolves when every step has run; never rejects.
 */
export async function warmUp(...steps: WarmUp[]): Promise<void> {
  const todo = steps.filter((step) => !warmed.has(step));
  for (const step of todo) warmed.add(step);
  for (const step of todo) {
    await nextTask();
    try {
      await step();
    } catch {
      // Only a warm-up.
    }
  }
}
