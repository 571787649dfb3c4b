import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyKernelResponse, KernelLivenessCheck, type KernelLiveness } from './liveness';

describe('classifyKernelResponse', () => {
  it('maps statuses', () => {
    expect(classifyKernelResponse(200, [{ id: 'a' }, { id: 'k' }], 'k')).toBe('alive');
    expect(classifyKernelResponse(200, [{ id: 'a' }], 'k')).toBe('gone');
    expect(classifyKernelResponse(404)).toBe('gone');
    expect(classifyKernelResponse(503)).toBe('unreachable');
    expect(classifyKernelResponse(500)).toBe('unreachable');
    expect(classifyKernelResponse(null)).toBe('unreachable');
  });
});

describe('KernelLivenessCheck', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checks on a timer and reports the first failure once', async () => {
    const answers: KernelLiveness[] = ['alive', 'alive', 'unreachable', 'gone'];
    const probe = vi.fn(async () => answers.shift() ?? 'alive');
    const lost = vi.fn();
    const check = new KernelLivenessCheck(probe, lost, 1000, () => true);
    await vi.advanceTimersByTimeAsync(2500);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(lost).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1000);
    expect(lost).toHaveBeenCalledWith('unreachable');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(probe).toHaveBeenCalledTimes(3);
    expect(lost).toHaveBeenCalledTimes(1);
    check.dispose();
  });

  it('does not check while the page is hidden, nor after dispose', async () => {
    let visible = false;
    const probe = vi.fn(async (): Promise<KernelLiveness> => 'alive');
    const check = new KernelLivenessCheck(probe, vi.fn(), 1000, () => visible);
    await vi.advanceTimersByTimeAsync(5000);
    expect(probe).not.toHaveBeenCalled();
    visible = true;
    await vi.advanceTimersByTimeAsync(1000);
    expect(probe).toHaveBeenCalledTimes(1);
    check.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(probe).toHaveBeenCalledTimes(1);
  });
});
