import type { Kernel } from '@jupyterlab/services';
import { execute, ExecuteHooks, ExecuteStatus } from '../kernel/execute';
import type { CellModel } from './model/cell';

export type { ExecuteStatus, StdinHandler } from '../kernel/execute';

/** Hooks of {@link executeCell} into the rest of the notebook. */
export type CellExecuteHooks = Pick<ExecuteHooks, 'updateDisplay' | 'stdin'>;

/**
 * Run a code cell on `kernel` (see {@link execute}): the request is sent first, then
 * (in the same task, before any iopub message is applied) its outputs and execution
 * count are cleared and the cell shows queued (`[*]`) until the reply; the outputs
 * fill in as iopub messages arrive. Sending before the view work keeps the DOM
 * updates of clearing out of the key-to-output latency (issue 18).
 *
 * Resolves with the reply status (`'aborted'` when an earlier cell's error made
 * the kernel skip this one, or the kernel died).
 * @throws The services' error when the request cannot be sent; the cell then keeps
 *   its outputs and is not running.
 */
export async function executeCell(
  cell: CellModel,
  kernel: Kernel.IKernelConnection,
  hooks: CellExecuteHooks,
  /** Sent as `metadata.cellId`: the cell's id, or for a cell without one its derived key (`model/cell-key.ts`). */
  cellId: string | undefined = cell.id
): Promise<ExecuteStatus> {
  try {
    const result = await execute(kernel, cell.source, cell.outputs, {
      ...hooks,
      afterSend: () => {
        cell.outputs.clear();
        cell.executionCount = null;
        cell.setRunState(true, false);
      },
      onBusy: () => cell.setRunState(true, true),
      onExecutionCount: (count) => {
        cell.executionCount = count;
      }
    }, { cellId });
    return result.status;
  } finally {
    cell.setRunState(false, false);
  }
}
