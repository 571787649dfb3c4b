import type { Kernel, KernelMessage } from '@jupyterlab/services';

/**
 * Test doubles of a kernel connection and its shell futures (as JupyterLab's
 * `services/src/testutils.ts` does): a test drives the messages a real kernel would
 * send (Jupyter messaging protocol 5.x) and reads what the code under test sent back.
 * Only what execution uses is implemented; everything else throws.
 */
export class FakeFuture {
  onIOPub: (msg: KernelMessage.IIOPubMessage) => void = () => undefined;
  onStdin: (msg: KernelMessage.IStdinMessage) => void = () => undefined;
  onReply: (msg: KernelMessage.IShellMessage) => void = () => undefined;
  /** Input replies sent for `input_request`s, in order. */
  readonly inputReplies: { value: string; parent: string }[] = [];
  readonly done: Promise<KernelMessage.IExecuteReplyMsg>;
  /** The request's header: iopub messages of this execution name it as their parent. */
  readonly msg: { header: { msg_id: string } };
  private resolve!: (msg: KernelMessage.IExecuteReplyMsg) => void;
  private reject!: (err: Error) => void;
  private seq = 0;

  constructor(readonly content: KernelMessage.IExecuteRequestMsg['content'], msgId = 'request') {
    this.msg = { header: { msg_id: msgId } };
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** Deliver an iopub message of `type` with `content`. */
  iopub(type: string, content: Record<string, unknown>): void {
    this.onIOPub(message(type, content, `io-${++this.seq}`, this.msg.header.msg_id) as unknown as KernelMessage.IIOPubMessage);
  }

  /** Deliver an `input_request`; resolves with the value the client replied. */
  async inputRequest(prompt: string, password = false): Promise<string> {
    const id = `stdin-${++this.seq}`;
    const before = this.inputReplies.length;
    this.onStdin(message('input_request', { prompt, password }, id) as unknown as KernelMessage.IStdinMessage);
    for (let i = 0; i < 100 && this.inputReplies.length === before; i++) await Promise.resolve();
    const reply = this.inputReplies[before];
    if (!reply) throw new Error('no input_reply was sent');
    return reply.value;
  }

  sendInputReply(content: { status: string; value?: string }, parent: KernelMessage.IHeader): void {
    this.inputReplies.push({ value: content.value ?? '', parent: parent.msg_id });
  }

  /** Finish with an execute_reply of `status` (and `execution_count`). */
  reply(status: 'ok' | 'error' | 'aborted', executionCount: number | null = null): void {
    this.resolve(message('execute_reply', { status, execution_count: executionCount }, 'reply') as unknown as KernelMessage.IExecuteReplyMsg);
  }

  /** The future is disposed before a reply (the kernel restarted or died). */
  dispose(): void {
    this.reject(new Error('Canceled future for execute_request message before replies were done'));
  }
}

/** A kernel connection whose `requestExecute` records the requests and returns {@link FakeFuture}s. */
export class FakeKernel {
  readonly futures: FakeFuture[] = [];
  /** When set, `requestExecute` throws it (e.g. the kernel is disposed). */
  failWith: Error | null = null;

  requestExecute(content: KernelMessage.IExecuteRequestMsg['content']): FakeFuture {
    if (this.failWith) throw this.failWith;
    const future = new FakeFuture(content, `request-${this.futures.length + 1}`);
    this.futures.push(future);
    return future;
  }

  /** The last future made. */
  get last(): FakeFuture {
    const f = this.futures[this.futures.length - 1];
    if (!f) throw new Error('nothing was executed');
    return f;
  }

  /** This fake typed as the services' connection, for the code under test. */
  get connection(): Kernel.IKernelConnection {
    return this as unknown as Kernel.IKernelConnection;
  }
}

/** A message as the services deliver it; `parent` is the msg_id of the request it answers. */
export function message(type: string, content: Record<string, unknown>, id: string, parent?: string) {
  return {
    header: { msg_id: id, msg_type: type, session: 'fake', username: '', date: '', version: '5.3' },
    parent_header: parent ? { msg_id: parent } : {},
    metadata: {},
    content,
    channel: type === 'input_request' ? 'stdin' : 'iopub'
  };
}
