import { describe, expect, it } from 'vitest';
import { CellModel } from './model/cell';
import { executeCell, CellExecuteHooks } from './execute-cell';
import { FakeKernel } from '../kernel/fake-kernel';

function setup(source = '1+1') {
  const kernel = new FakeKernel();
  const cell = CellModel.create('code', source);
  const updates: { id: string; data: unknown }[] = [];
  const prompts: { prompt: string; password: boolean }[] = [];
  let answer = 'typed';
  const hooks: CellExecuteHooks = {
    updateDisplay: (id, data) => updates.push({ id, data }),
    stdin: async (request) => {
      prompts.push(request);
      return answer;
    }
  };
  return { kernel, cell, updates, prompts, hooks, setAnswer: (a: string) => (answer = a) };
}

describe('executeCell with a fake kernel', () => {
  it('sends the cell source as an execute_request that stores history and allows stdin', () => {
    const { kernel, cell, hooks } = setup('print(1)');
    void executeCell(cell, kernel.connection, hooks);
    expect(kernel.last.content).toMatchObject({
      code: 'print(1)',
      silent: false,
      store_history: true,
      allow_stdin: true,
      stop_on_error: true
    });
  });

  it('clears old outputs and shows the cell as queued, then running once the kernel is busy', async () => {
    const { kernel, cell, hooks } = setup();
    cell.outputs.add({ output_type: 'stream', name: 'stdout', text: 'old\n' });
    cell.executionCount = 4;
    const done = executeCell(cell, kernel.connection, hooks);
    expect(cell.outputs.length).toBe(0);
    expect(cell.executionCount).toBeNull();
    expect([cell.pending, cell.running]).toEqual([true, false]);
    kernel.last.iopub('status', { execution_state: 'busy' });
    expect([cell.pending, cell.running]).toEqual([true, true]);
    kernel.last.reply('ok', 1);
    await expect(done).resolves.toBe('ok');
    expect([cell.pending, cell.running]).toEqual([false, false]);
  });

  it('sends the request before clearing the old outputs, so the DOM work of clearing does not delay it', () => {
    const { kernel, cell, hooks } = setup();
    cell.outputs.add({ output_type: 'stream', name: 'stdout', text: 'old\n' });
    const send = kernel.requestExecute.bind(kernel);
    let outputsAtSend = -1;
    kernel.requestExecute = (content) => {
      outputsAtSend = cell.outputs.length;
      return send(content);
    };
    void executeCell(cell, kernel.connection, hooks);
    expect(outputsAtSend).toBe(1);
    expect(cell.outputs.length).toBe(0);
  });

  it('takes the execution count from execute_input and the result from execute_result', async () => {
    const { kernel, cell, hooks } = setup();
    const done = executeCell(cell, kernel.connection, hooks);
    const f = kernel.last;
    f.iopub('execute_input', { code: '1+1', execution_count: 7 });
    f.iopub('execute_result', { execution_count: 7, data: { 'text/plain': '2' }, metadata: {} });
    f.reply('ok', 7);
    await done;
    expect(cell.executionCount).toBe(7);
    expect(cell.outputs.toJSON()).toEqual([
      { output_type: 'execute_result', execution_count: 7, data: { 'text/plain': '2' }, metadata: {} }
    ]);
  });

  it('merges streams, keeps display data and errors, and reports an error reply', async () => {
    const { kernel, cell, hooks } = setup();
    const done = executeCell(cell, kernel.connection, hooks);
    const f = kernel.last;
    f.iopub('stream', { name: 'stdout', text: 'a\n' });
    f.iopub('stream', { name: 'stdout', text: 'b\n' });
    f.iopub('display_data', { data: { 'text/html': '<b>x</b>' }, metadata: {} });
    f.iopub('error', { ename: 'ValueError', evalue: 'bad', traceback: ['tb'] });
    f.reply('error');
    await expect(done).resolves.toBe('error');
    expect(cell.outputs.toJSON()).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
      { output_type: 'display_data', data: { 'text/html': '<b>x</b>' }, metadata: {} },
      { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['tb'] }
    ]);
  });

  it('clears outputs on clear_output, with wait only when the next output arrives', async () => {
    const { kernel, cell, hooks } = setup();
    void executeCell(cell, kernel.connection, hooks);
    const f = kernel.last;
    f.iopub('stream', { name: 'stdout', text: '1\n' });
    f.iopub('clear_output', { wait: true });
    expect(cell.outputs.length).toBe(1);
    f.iopub('stream', { name: 'stdout', text: '2\n' });
    expect(cell.outputs.toJSON()).toEqual([{ output_type: 'stream', name: 'stdout', text: '2\n' }]);
    f.iopub('clear_output', { wait: false });
    expect(cell.outputs.length).toBe(0);
  });

  it('hands update_display_data to the hook with its display_id', async () => {
    const { kernel, cell, hooks, updates } = setup();
    void executeCell(cell, kernel.connection, hooks);
    const f = kernel.last;
    f.iopub('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd1' } });
    f.iopub('update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd1' } });
    f.iopub('update_display_data', { data: { 'text/plain': 'nobody' }, metadata: {} });
    expect(updates).toEqual([{ id: 'd1', data: { 'text/plain': 'v2' } }]);
    expect(cell.outputs.hasDisplay('d1')).toBe(true);
  });

  it('asks the stdin hook on input_request and sends the answer as input_reply', async () => {
    const { kernel, cell, hooks, prompts, setAnswer } = setup('input("Name? ")');
    void executeCell(cell, kernel.connection, hooks);
    setAnswer('Ada');
    await expect(kernel.last.inputRequest('Name? ')).resolves.toBe('Ada');
    expect(prompts).toEqual([{ prompt: 'Name? ', password: false }]);
  });

  it('answers an empty string when the stdin prompt is abandoned, so the kernel is not left waiting', async () => {
    const { kernel, cell } = setup('input()');
    void executeCell(cell, kernel.connection, { updateDisplay: () => undefined, stdin: () => Promise.reject(new Error('closed')) });
    await expect(kernel.last.inputRequest('', true)).resolves.toBe('');
  });

  it('reports aborted when the kernel skipped the cell or the future was disposed', async () => {
    const a = setup();
    const skipped = executeCell(a.cell, a.kernel.connection, a.hooks);
    a.kernel.last.reply('aborted');
    await expect(skipped).resolves.toBe('aborted');
    const b = setup();
    const lost = executeCell(b.cell, b.kernel.connection, b.hooks);
    b.kernel.last.dispose();
    await expect(lost).resolves.toBe('aborted');
    expect([b.cell.pending, b.cell.running]).toEqual([false, false]);
  });

  it('rethrows when the request cannot be sent, leaving the cell not running', async () => {
    const { kernel, cell, hooks } = setup();
    kernel.failWith = new Error('Kernel is dead');
    cell.outputs.add({ output_type: 'stream', name: 'stdout', text: 'kept\n' });
    await expect(executeCell(cell, kernel.connection, hooks)).rejects.toThrow('Kernel is dead');
    expect([cell.pending, cell.running]).toEqual([false, false]);
    expect(cell.outputs.length).toBe(1);
  });
});
