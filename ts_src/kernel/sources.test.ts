import { describe, expect, it } from 'vitest';
import type { Kernel } from '@jupyterlab/services';
import { Emitter } from '../core/emitter';
import { KernelSources } from './sources';

function source(kernel: Kernel.IKernelConnection | null) {
  const changed = new Emitter<Kernel.IKernelConnection | null>();
  const s = {
    kernel,
    kernelChanged: changed.event,
    set(k: Kernel.IKernelConnection | null) {
      s.kernel = k;
      changed.emit(k);
    }
  };
  return s;
}

const k1 = { id: 'k1' } as Kernel.IKernelConnection;
const k2 = { id: 'k2' } as Kernel.IKernelConnection;

describe('KernelSources', () => {
  it('announces a source\'s current kernel and every later one, until disposed', () => {
    const sources = new KernelSources();
    const seen: string[] = [];
    sources.kernelConnected((k) => seen.push(k.id));
    const s = source(k1);
    const reg = sources.add(s);
    s.set(null);
    s.set(k2);
    expect(seen).toEqual(['k1', 'k2']);
    expect(sources.kernels.map((k) => k.id)).toEqual(['k2']);
    reg.dispose();
    s.set(k1);
    expect(seen).toEqual(['k1', 'k2']);
    expect(sources.kernels).toEqual([]);
  });
});
