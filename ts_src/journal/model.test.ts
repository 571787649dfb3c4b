import { describe, expect, it } from 'vitest';
import { cellKey } from '../notebook/model/cell-key';
import { CellModel } from '../notebook/model/cell';
import { applyOutputs, CatchUpModel, type JournalAnswer, type JournalExecution } from './model';
import { OutputAreaModel } from '../outputarea/model';

function execution(over: Partial<JournalExecution>): JournalExecution {
  return {
    msg_id: 'm1',
    cell_id: 'c1',
    session: 'other',
    state: 'done',
    status: 'ok',
    execution_count: 3,
    outputs: [],
    display_ids: [],
    input_request: null,
    requested: 100,
    started: 100,
    finished: 200,
    seq: 1,
    ...over
  };
}

function answer(executions: JournalExecution[], over: Partial<JournalAnswer> = {}): JournalAnswer {
  return { available: true, journal_id: 'j1', kernel_id: 'k1', seq: 5, restarts: 0, executions, ...over };
}

function setup(since = 0) {
  const cells = [
    CellModel.create('code', 'print(1)'),
    CellModel.create('code', 'print(2)')
  ];
  const own = { id: 'me' as string | null };
  const model = new CatchUpModel({ ownSession: () => own.id, since: () => since, cells: () => cells });
  return { cells, model, own };
}

const stream = (text: string, name = 'stdout') => ({ output_type: 'stream', name, text });

describe('CatchUpModel', () => {
  it('applies another page’s execution to the cell with that id, with its count and state', () => {
    const { cells, model } = setup();
    const id = cells[1]!.id!;
    model.apply(answer([execution({ cell_id: id, outputs: [stream('hi\n')], state: 'running', finished: null })]));
    expect(cells[1]!.outputs.toJSON()).toEqual([stream('hi\n')]);
    expect(cells[1]!.executionCount).toBe(3);
    expect(cells[1]!.running).toBe(true);
    expect(model.active).toBe(true);
    expect(model.seq).toBe(5);
    model.apply(answer([execution({ cell_id: id, outputs: [stream('hi\nthere\n')], state: 'done' })], { seq: 9 }));
    expect(cells[1]!.outputs.toJSON()).toEqual([stream('hi\nthere\n')]);
    expect(cells[1]!.running).toBe(false);
    expect(model.active).toBe(false);
  });

  it('skips this page’s own executions, which it draws from its own kernel messages', () => {
    const { cells, model } = setup();
    model.apply(answer([execution({ cell_id: cells[0]!.id!, session: 'me', outputs: [stream('x')] })]));
    expect(cells[0]!.outputs.length).toBe(0);
  });

  it('on the first answer skips runs that finished before the file was saved, later applies everything', () => {
    const { cells, model } = setup(300_000);
    const id = cells[0]!.id!;
    model.apply(answer([execution({ cell_id: id, outputs: [stream('old')], finished: 250 })]));
    expect(cells[0]!.outputs.length).toBe(0);
    model.apply(answer([execution({ msg_id: 'm2', cell_id: id, outputs: [stream('new')], requested: 400, finished: 260 })]));
    expect(cells[0]!.outputs.toJSON()).toEqual([stream('new')]);
  });

  it('does not let an older run changed later cover this page’s newer own run', () => {
    const { cells, model } = setup();
    const id = cells[0]!.id!;
    model.apply(
      answer([
        execution({ msg_id: 'old', cell_id: id, requested: 100, outputs: [stream('old, updated')] }),
        execution({ msg_id: 'mine', cell_id: id, session: 'me', requested: 200, outputs: [stream('mine')] })
      ])
    );
    expect(cells[0]!.outputs.length).toBe(0);
  });

  it('keeps only the latest execution of a cell', () => {
    const { cells, model } = setup();
    const id = cells[0]!.id!;
    model.apply(
      answer([
        execution({ msg_id: 'new', cell_id: id, requested: 200, outputs: [stream('new')] }),
        execution({ msg_id: 'old', cell_id: id, requested: 100, outputs: [stream('old')] })
      ])
    );
    expect(cells[0]!.outputs.toJSON()).toEqual([stream('new')]);
  });

  it('reports deleted cells, aborted runs and input requests for the view', () => {
    const { cells, model } = setup();
    const request = { prompt: 'Name?', password: false, header: { msg_id: 'r' } };
    const result = model.apply(
      answer([
        execution({ msg_id: 'a', cell_id: 'gone', outputs: [stream('lost')] }),
        execution({ msg_id: 'b', cell_id: cells[0]!.id!, state: 'aborted', status: 'aborted' }),
        execution({ msg_id: 'c', cell_id: cells[1]!.id!, state: 'running', input_request: request })
      ])
    );
    expect(result.orphans.map((e) => e.cell_id)).toEqual(['gone']);
    expect(result.aborted).toEqual([cells[0]]);
    expect(result.applied.map((i) => i.execution.input_request?.prompt ?? null)).toEqual([null, 'Name?']);
  });

  it('reports a run whose end the server lost as finished with an unknown result, not as aborted', () => {
    const { cells, model } = setup();
    const id = cells[0]!.id!;
    model.apply(answer([execution({ cell_id: id, state: 'running', status: null, finished: null })]));
    expect(cells[0]!.running).toBe(true);
    const result = model.apply(answer([execution({ cell_id: id, state: 'done', status: 'unknown', incomplete: true })], { seq: 9 }));
    expect(cells[0]!.running).toBe(false);
    expect(result.unknown).toEqual([cells[0]]);
    expect(result.aborted).toEqual([]);
    expect(model.active).toBe(false);
  });

  it('clears [*] when the server restarted (a new journal) or the kernel is gone', () => {
    const { cells, model } = setup();
    model.apply(answer([execution({ cell_id: cells[0]!.id!, state: 'running', finished: null })]));
    expect(cells[0]!.pending).toBe(true);
    const result = model.apply(answer([], { journal_id: 'j2', seq: 0 }));
    expect(result.lost).toBe(true);
    expect(cells[0]!.pending).toBe(false);
    expect(model.seq).toBe(0);
  });

  it('says when the journal is unavailable (gateway kernels)', () => {
    const { model } = setup();
    expect(model.apply({ available: false, reason: 'gateway', journal_id: 'j' }).unavailable).toBe('gateway');
  });
});

describe('applyOutputs', () => {
  it('appends only the new text of a grown stream, and new outputs after it', () => {
    const area = new OutputAreaModel([stream('a\n')] as never);
    const changes: string[] = [];
    area.changed((c) => changes.push(c.type));
    applyOutputs(area, [stream('a\nb\n'), { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} }] as never);
    expect(area.toJSON()).toEqual([stream('a\nb\n'), { output_type: 'display_data', data: { 'text/plain': 'x' }, metadata: {} }]);
    expect(changes).toEqual(['append', 'add']);
  });

  it('replaces outputs that changed otherwise, and does nothing when equal', () => {
    const area = new OutputAreaModel([stream('10%\r')] as never);
    applyOutputs(area, [stream('20%\r')] as never);
    expect(area.toJSON()).toEqual([stream('20%\r')]);
    const changes: string[] = [];
    area.changed((c) => changes.push(c.type));
    applyOutputs(area, [stream('20%\r')] as never);
    expect(changes).toEqual([]);
  });

  it('applies executions to cells without ids (nbformat < 4.5) by the key the running page sent', () => {
    const cells = [CellModel.create('code', 'print(1)', false), CellModel.create('code', 'print(1)', false)];
    const model = new CatchUpModel({ ownSession: () => 'me', since: () => 0, cells: () => cells });
    // What the page that ran the second cell sent as metadata.cellId.
    const key = cellKey(cells, cells[1]!);
    model.apply(answer([execution({ cell_id: key, outputs: [stream('caught up\n')], state: 'running', finished: null })]));
    expect(cells[1]!.outputs.outputs).toEqual([stream('caught up\n')]);
    expect(cells[1]!.running).toBe(true);
    expect(cells[0]!.outputs.outputs).toEqual([]);
  });
});
