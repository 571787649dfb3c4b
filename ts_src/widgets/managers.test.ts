// @vitest-environment jsdom
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { describe, expect, it, vi } from 'vitest';
import { RenderMimeRegistry } from '../rendermime/registry';
import { WidgetManagers } from './managers';

// Lumino's drag-and-drop module subclasses DragEvent, which jsdom lacks.
vi.hoisted(() => {
  if (!('DragEvent' in globalThis)) (globalThis as Record<string, unknown>).DragEvent = class extends MouseEvent {};
});

/** The parts of a kernel connection the managers listen to. */
function fakeKernel() {
  const kernel = {
    isDisposed: false,
    statusChanged: null as unknown as Signal<unknown, Kernel.Status>,
    disposed: null as unknown as Signal<unknown, void>
  };
  kernel.statusChanged = new Signal(kernel);
  kernel.disposed = new Signal(kernel);
  return kernel;
}

describe('WidgetManagers.forKernel', () => {
  it('gives one live manager per kernel connection', () => {
    const managers = new WidgetManagers(new RenderMimeRegistry());
    const a = fakeKernel();
    const b = fakeKernel();
    const first = managers.forKernel(a as unknown as Kernel.IKernelConnection);
    expect(managers.forKernel(a as unknown as Kernel.IKernelConnection)).toBe(first);
    expect(managers.forKernel(b as unknown as Kernel.IKernelConnection)).not.toBe(first);
    expect(first.live).toBe(true);
  });

  it('retires the manager when the kernel restarts (its models are dead) and makes a new one after', () => {
    const managers = new WidgetManagers(new RenderMimeRegistry());
    const kernel = fakeKernel();
    const before = managers.forKernel(kernel as unknown as Kernel.IKernelConnection);
    kernel.statusChanged.emit('busy');
    expect(before.live).toBe(true);
    kernel.statusChanged.emit('restarting');
    expect(before.live).toBe(false);
    expect(managers.existingForKernel(kernel as unknown as Kernel.IKernelConnection)).toBeNull();
    const after = managers.forKernel(kernel as unknown as Kernel.IKernelConnection);
    expect(after).not.toBe(before);
    expect(after.live).toBe(true);
  });

  it('retires the manager when the kernel connection is disposed (kernel changed or shut down)', () => {
    const managers = new WidgetManagers(new RenderMimeRegistry());
    const kernel = fakeKernel();
    const manager = managers.forKernel(kernel as unknown as Kernel.IKernelConnection);
    kernel.disposed.emit();
    expect(manager.live).toBe(false);
  });
});
