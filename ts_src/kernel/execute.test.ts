import { describe, expect, it } from 'vitest';
import { OutputAreaModel } from '../outputarea/model';
import { applyIOPub, execute, ExecuteHooks } from './execute';
import { FakeKernel, message } from './fake-kernel';
import type { KernelMessage } from '@jupyterlab/services';

function hooks(log: string[]): ExecuteHooks {
  return {
    updateDisplay: (id) => log.push(`update ${id}`),
    stdin: async ({ prompt }) => `answer to ${prompt}`,
    onBusy: () => log.push('busy'),
    onExecutionCount: (n) => log.push(`count ${n}`),
    onSent: (id) => log.push(`sent ${id}`)
  };
}

describe('execute into an output area', () => {
  it('fills the output area and resolves with the status and execution count of the reply', async () => {
    const kernel = new FakeKernel();
    const outputs = new OutputAreaModel();
    const log: string[] = [];
    const done = execute(kernel.connection, '1+1', outputs, hooks(log));
    const f = kernel.last;
    f.iopub('status', { execution_state: 'busy' });
    f.iopub('execute_input', { code: '1+1', execution_count: 3 });
    f.iopub('execute_result', { execution_count: 3, data: { 'text/plain': '2' }, metadata: {} });
    f.reply('ok', 3);
    await expect(done).resolves.toEqual({ status: 'ok', executionCount: 3 });
    expect(log).toEqual(['sent request-1', 'busy', 'count 3', 'busy']);
    expect(outputs.toJSON()).toEqual([
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '2' }, metadata: {} }
    ]);
  });

  it('leaves earlier outputs alone (the caller decides what to clear) and honours store_history', () => {
    const kernel = new FakeKernel();
    const outputs = new OutputAreaModel([{ output_type: 'stream', name: 'stdout', text: 'kept\n' }]);
    void execute(kernel.connection, 'x', outputs, hooks([]), { storeHistory: false, stopOnError: false });
    expect(outputs.length).toBe(1);
    expect(kernel.last.content).toMatchObject({ code: 'x', store_history: false, stop_on_error: false, allow_stdin: true });
  });

  it('answers input_request through the stdin hook', async () => {
    const kernel = new FakeKernel();
    void execute(kernel.connection, 'input("n")', new OutputAreaModel(), hooks([]));
    await expect(kernel.last.inputRequest('n')).resolves.toBe('answer to n');
  });

  it('resolves aborted without a count when the future is disposed', async () => {
    const kernel = new FakeKernel();
    const done = execute(kernel.connection, 'x', new OutputAreaModel(), hooks([]));
    kernel.last.dispose();
    await expect(done).resolves.toEqual({ status: 'aborted', executionCount: null });
  });
});

describe('applyIOPub', () => {
  it('turns another client\'s execution messages into outputs', () => {
    const outputs = new OutputAreaModel();
    const log: string[] = [];
    const msg = (type: string, content: Record<string, unknown>) =>
      message(type, content, 'm', 'other') as unknown as KernelMessage.IIOPubMessage;
    applyIOPub(msg('execute_input', { code: 'print(1)', execution_count: 9 }), outputs, hooks(log));
    applyIOPub(msg('stream', { name: 'stdout', text: '1\n' }), outputs, hooks(log));
    applyIOPub(msg('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }), outputs, hooks(log));
    applyIOPub(msg('update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd' } }), outputs, hooks(log));
    applyIOPub(msg('comm_msg', {}), outputs, hooks(log));
    expect(log).toEqual(['count 9', 'busy', 'update d']);
    expect(outputs.length).toBe(2);
  });
});
