import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyStatus, ServerMonitor, type ServerState } from './monitor';

describe('classifyStatus', () => {
  it('reads the hub answers for a stopped server', () => {
    expect(classifyStatus({ ok: true, status: 200 })).toBe('running');
    expect(classifyStatus({ ok: false, status: 424 })).toBe('stopped');
    expect(classifyStatus({ ok: false, status: 503 })).toBe('stopped');
    expect(classifyStatus({ ok: false, status: 0, type: 'opaqueredirect' })).toBe('stopped');
    expect(classifyStatus({ ok: false, status: 500 })).toBe('unreachable');
    expect(classifyStatus(null)).toBe('unreachable');
  });
});

describe('ServerMonitor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checks only when suspecting, then keeps checking while down, and reports each change', async () => {
    const answers: ServerState[] = ['stopped', 'stopped', 'running'];
    const probe = vi.fn(async () => answers.shift() ?? 'running');
    const monitor = new ServerMonitor(probe, { first: 1000, max: 4000 });
    const seen: ServerState[] = [];
    monitor.changed((s) => seen.push(s));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probe).not.toHaveBeenCalled();
    monitor.suspect();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual(['stopped']);
    await vi.advanceTimersByTimeAsync(1000);
    expect(probe).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(2000);
    expect(seen).toEqual(['stopped', 'running']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe).toHaveBeenCalledTimes(3);
    monitor.dispose();
  });
});
