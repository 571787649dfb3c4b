import type * as nbformat from '@jupyterlab/nbformat';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { CellModel } from '../model/cell';

/** Asks the person for input (`input()` / `getpass()`); resolves with the answer. */
export type StdinHandler = (request: { prompt: string; password: boolean }) => Promise<string>;

/** Hooks of {@link executeCell} into the rest of the notebook. */
export interface ExecuteHooks {
  /** `update_display_data`: update outputs with this display_id in every cell. */
  updateDisplay(displayId: string, data: nbformat.IMimeBundle, metadata: nbformat.OutputMetadata): void;
  /** An `input_request` arrived on stdin. */
  stdin: StdinHandler;
}

/** How an execution ended: the execute_reply's status. */
export type ExecuteStatus = 'ok' | 'error' | 'aborted';

/**
 * Run `cell` on `kernel`, turning iopub messages into the cell's outputs as they
 * arrive (Jupyter messaging protocol 5.x, "Execute" and "IOPub" sections):
 * execute_input sets the execution count; stream, display_data, execute_result
 * and error become outputs; clear_output clears (with wait); update_display_data
 * goes to `hooks.updateDisplay`; input_request goes to `hooks.stdin`.
 *
 * Resolves with the reply status once the kernel replies (`'aborted'` when an
 * earlier cell's error made the kernel skip this one, or the kernel died).
 */
export async function executeCell(cell: CellModel, kernel: Kernel.IKernelConnection, hooks: ExecuteHooks): Promise<ExecuteStatus> {
  cell.outputs.clear();
  cell.executionCount = null;
  cell.setRunState(true, false);
  let future: Kernel.IShellFuture<KernelMessage.IExecuteRequestMsg, KernelMessage.IExecuteReplyMsg>;
  try {
    future = kernel.requestExecute({
      code: cell.source,
      silent: false,
      store_history: true,
      allow_stdin: true,
      stop_on_error: true
      // metadata.cellId (as JupyterLab sends it) lets the server's journal map the run to its cell.
    }, true, cell.id === undefined ? {} : { cellId: cell.id });
  } catch (err) {
    cell.setRunState(false, false);
    throw err;
  }
  future.onIOPub = (msg) => handleIOPub(cell, msg, hooks);
  future.onStdin = (msg) => {
    if (msg.header.msg_type !== 'input_request') return;
    const content = msg.content as KernelMessage.IInputRequestMsg['content'];
    void hooks.stdin({ prompt: content.prompt, password: content.password }).then(
      (value) => future.sendInputReply({ status: 'ok', value }, msg.header as KernelMessage.IHeader<'input_request'>),
      () => future.sendInputReply({ status: 'ok', value: '' }, msg.header as KernelMessage.IHeader<'input_request'>)
    );
  };
  try {
    const reply = await future.done;
    const status = reply.content.status;
    return status === 'ok' ? 'ok' : status === 'error' ? 'error' : 'aborted';
  } catch {
    // The future is disposed when the kernel restarts or dies before replying.
    return 'aborted';
  } finally {
    cell.setRunState(false, false);
  }
}

function handleIOPub(cell: CellModel, msg: KernelMessage.IIOPubMessage, hooks: ExecuteHooks): void {
  const content = msg.content as Record<string, any>;
  switch (msg.header.msg_type) {
    case 'status':
      if (content.execution_state === 'busy') cell.setRunState(true, true);
      break;
    case 'execute_input':
      cell.executionCount = content.execution_count ?? null;
      cell.setRunState(true, true);
      break;
    case 'stream':
      cell.outputs.add({ output_type: 'stream', name: content.name, text: content.text });
      break;
    case 'display_data':
      cell.outputs.add(
        { output_type: 'display_data', data: content.data, metadata: content.metadata ?? {} },
        content.transient?.display_id
      );
      break;
    case 'update_display_data': {
      const id = content.transient?.display_id;
      if (id) hooks.updateDisplay(id, content.data, content.metadata ?? {});
      break;
    }
    case 'execute_result':
      cell.outputs.add(
        {
          output_type: 'execute_result',
          execution_count: content.execution_count ?? null,
          data: content.data,
          metadata: content.metadata ?? {}
        },
        content.transient?.display_id
      );
      break;
    case 'error':
      cell.outputs.add({
        output_type: 'error',
        ename: content.ename,
        evalue: content.evalue,
        traceback: content.traceback
      });
      break;
    case 'clear_output':
      cell.outputs.clear(!!content.wait);
      break;
    default:
      break;
  }
}
