import type * as nbformat from '@jupyterlab/nbformat';
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { OutputAreaModel } from '../outputarea/model';

/** Asks the person for input (`input()` / `getpass()`); resolves with the answer. */
export type StdinHandler = (request: { prompt: string; password: boolean }) => Promise<string>;

/** Hooks of {@link execute} into the document that runs the code (a notebook, a console). */
export interface ExecuteHooks {
  /** `update_display_data`: update outputs with this display_id wherever they are shown. */
  updateDisplay(displayId: string, data: nbformat.IMimeBundle, metadata: nbformat.OutputMetadata): void;
  /** An `input_request` arrived on stdin. */
  stdin: StdinHandler;
  /** The kernel started running the code (iopub `status: busy` or `execute_input`). */
  onBusy?(): void;
  /** `execute_input` gave the execution count (the `In [n]` of the code). */
  onExecutionCount?(count: number | null): void;
  /** The execute_request was sent; `msgId` is its header's `msg_id` (iopub messages name it as parent). */
  onSent?(msgId: string): void;
  /**
   * Called synchronously right after the request is handed to the WebSocket, before
   * any iopub message can be applied: the place for view updates (clearing old
   * outputs, showing the cell queued) that would otherwise delay the request by the
   * DOM work they cause (issue 18, key-to-output latency).
   */
  afterSend?(): void;
}

/** How an execution ended: the execute_reply's status. */
export type ExecuteStatus = 'ok' | 'error' | 'aborted';

/** What {@link execute} resolves with. */
export interface ExecuteResult {
  status: ExecuteStatus;
  /** The reply's `execution_count` (null when the kernel did not say, e.g. aborted). */
  executionCount: number | null;
}

/** Options of {@link execute}. */
export interface ExecuteOptions {
  /** Record the code in the kernel's history and count it (`store_history`); default true. */
  storeHistory?: boolean;
  /** Stop the queue of executions after an error (`stop_on_error`); default true. */
  stopOnError?: boolean;
  /**
   * The notebook cell's id, sent as the request's `metadata.cellId` (as JupyterLab
   * sends it): the server's execution journal maps the run to its cell with it.
   */
  cellId?: string;
}

/**
 * Run `code` on `kernel`, turning iopub messages into `outputs` as they arrive
 * (Jupyter messaging protocol 5.x, "Execute" and "IOPub" sections): see
 * {@link applyIOPub}. `input_request` on stdin goes to `hooks.stdin` (an abandoned
 * prompt answers '' so the kernel is never left waiting). `outputs` is not cleared
 * here: the caller decides.
 *
 * Resolves once the kernel replies; status `'aborted'` when an earlier error made
 * the kernel skip this code, or the kernel restarted or died before replying.
 * @throws The services' error when the request cannot be sent (kernel disposed).
 */
export async function execute(
  kernel: Kernel.IKernelConnection,
  code: string,
  outputs: OutputAreaModel,
  hooks: ExecuteHooks,
  options: ExecuteOptions = {}
): Promise<ExecuteResult> {
  const future = kernel.requestExecute({
    code,
    silent: false,
    store_history: options.storeHistory ?? true,
    allow_stdin: true,
    stop_on_error: options.stopOnError ?? true
  }, true, options.cellId === undefined ? {} : { cellId: options.cellId });
  const msgId = (future as { msg?: { header?: { msg_id?: string } } }).msg?.header?.msg_id;
  if (msgId) hooks.onSent?.(msgId);
  hooks.afterSend?.();
  future.onIOPub = (msg) => applyIOPub(msg, outputs, hooks);
  future.onStdin = (msg) => {
    if (msg.header.msg_type !== 'input_request') return;
    const content = msg.content as KernelMessage.IInputRequestMsg['content'];
    const header = msg.header as KernelMessage.IHeader<'input_request'>;
    void hooks.stdin({ prompt: content.prompt, password: content.password }).then(
      (value) => future.sendInputReply({ status: 'ok', value }, header),
      () => future.sendInputReply({ status: 'ok', value: '' }, header)
    );
  };
  try {
    const reply = await future.done;
    const status = reply.content.status;
    const count = (reply.content as { execution_count?: number | null }).execution_count;
    return {
      status: status === 'ok' ? 'ok' : status === 'error' ? 'error' : 'aborted',
      executionCount: typeof count === 'number' ? count : null
    };
  } catch {
    // The future is disposed when the kernel restarts or dies before replying.
    return { status: 'aborted', executionCount: null };
  }
}

/**
 * Apply one iopub message of an execution to `outputs`: `stream`, `display_data`,
 * `execute_result` and `error` become outputs; `clear_output` clears (with
 * `wait`); `update_display_data` goes to `hooks.updateDisplay`; `status: busy` and
 * `execute_input` go to `hooks.onBusy` / `hooks.onExecutionCount`. Other messages
 * are ignored. Used for the executions one sends and for other clients' ones.
 */
export function applyIOPub(
  msg: KernelMessage.IIOPubMessage,
  outputs: OutputAreaModel,
  hooks: Pick<ExecuteHooks, 'updateDisplay' | 'onBusy' | 'onExecutionCount'>
): void {
  const content = msg.content as Record<string, any>;
  switch (msg.header.msg_type) {
    case 'status':
      if (content.execution_state === 'busy') hooks.onBusy?.();
      break;
    case 'execute_input':
      hooks.onExecutionCount?.(content.execution_count ?? null);
      hooks.onBusy?.();
      break;
    case 'stream':
      outputs.add({ output_type: 'stream', name: content.name, text: content.text });
      break;
    case 'display_data':
      outputs.add(
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
      outputs.add(
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
      outputs.add({
        output_type: 'error',
        ename: content.ename,
        evalue: content.evalue,
        traceback: content.traceback
      });
      break;
    case 'clear_output':
      outputs.clear(!!content.wait);
      break;
    default:
      break;
  }
}
