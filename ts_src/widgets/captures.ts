import type * as nbformat from '@jupyterlab/nbformat';
import { DisposableDelegate, type IDisposable } from '../core/disposable';

/**
 * Output-widget captures the server's execution journal recorded, handed from catching
 * up (`journal/catchup.ts`) to the Output widgets of the same kernel (`./output.ts`).
 *
 * A page's Output widget keeps what it captured in its `outputs` state and syncs it to
 * the kernel; while no page is open nobody does, so after a reload the kernel's widget
 * state lacks what was captured meanwhile. The journal captured it too (routed by the
 * widget's `msg_id`, as nbclient does): its outputs are handed here by widget model id
 * and adopted by the widget when it exists or once it is restored, whichever is later.
 * This module is tiny and in the cold load; the widget code stays in its lazy chunk.
 */

type Captures = Map<string, nbformat.IOutput[]>;
type Listener = (modelId: string, outputs: nbformat.IOutput[]) => void;

const byKernel = new WeakMap<object, Captures>();
const listeners = new WeakMap<object, Set<Listener>>();

/** Record the journal's captures (`{model id: outputs}`) for `kernel` and tell its Output widgets. */
export function publishCaptures(kernel: object, captures: Record<string, nbformat.IOutput[]>): void {
  let known = byKernel.get(kernel);
  if (!known) byKernel.set(kernel, (known = new Map()));
  for (const [modelId, outputs] of Object.entries(captures)) {
    known.set(modelId, outputs);
    for (const listener of listeners.get(kernel) ?? []) listener(modelId, outputs);
  }
}

/** The journal's latest captures of widget `modelId` on `kernel`, if it sent any. */
export function capturedOutputs(kernel: object, modelId: string): nbformat.IOutput[] | undefined {
  return byKernel.get(kernel)?.get(modelId);
}

/** Be told of captures for `kernel` as they arrive; dispose to stop. */
export function onCaptures(kernel: object, listener: Listener): IDisposable {
  let set = listeners.get(kernel);
  if (!set) listeners.set(kernel, (set = new Set()));
  set.add(listener);
  return new DisposableDelegate(() => set!.delete(listener));
}
