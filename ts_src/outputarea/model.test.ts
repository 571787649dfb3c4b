import type * as nbformat from '@jupyterlab/nbformat';
import { describe, expect, it } from 'vitest';
import { Output, OutputAreaModel, OutputChange } from './model';

function stream(text: string | string[], name: 'stdout' | 'stderr' = 'stdout'): Output {
  return { output_type: 'stream', name, text } as nbformat.IStream;
}

function display(data: nbformat.IMimeBundle, metadata: nbformat.OutputMetadata = {}): Output {
  return { output_type: 'display_data', data, metadata } as nbformat.IDisplayData;
}

/** An output area and the list of change events it fires. */
function area(outputs: Output[] = []): { model: OutputAreaModel; events: OutputChange[] } {
  const model = new OutputAreaModel(outputs);
  const events: OutputChange[] = [];
  model.changed((e) => events.push(e));
  return { model, events };
}

function textOf(model: OutputAreaModel, index: number): string {
  const out = model.get(index);
  if (!out || out.output_type !== 'stream') throw new Error(`output ${index} is not a stream`);
  return out.text as string;
}

describe('OutputAreaModel streams', () => {
  it('adds a first stream chunk as a new output with control characters applied', () => {
    const { model, events } = area();
    model.add(stream('abc\rX'));
    expect(model.length).toBe(1);
    expect(model.toJSON()).toEqual([{ output_type: 'stream', name: 'stdout', text: 'Xbc' }]);
    expect(events).toEqual([{ type: 'add', index: 0 }]);
  });

  it('merges consecutive chunks of the same stream into one output', () => {
    const { model, events } = area();
    model.add(stream('a\n'));
    model.add(stream('b\n'));
    model.add(stream(['c\n', 'd'])); // a list of lines is joined
    expect(model.length).toBe(1);
    expect(textOf(model, 0)).toBe('a\nb\nc\nd');
    expect(events).toEqual([
      { type: 'add', index: 0 },
      { type: 'append', index: 0, text: 'b\n' },
      { type: 'append', index: 0, text: 'c\nd' }
    ]);
  });

  it('shows only the last state of a progress bar sent one update per message', () => {
    const { model } = area();
    for (const chunk of ['10%\r', '20%\r', '30%']) model.add(stream(chunk));
    expect(textOf(model, 0)).toBe('30%');
  });

  it('shows only the last state of a progress bar sent in one message', () => {
    const { model } = area();
    model.add(stream('10%\r20%\r30%'));
    expect(textOf(model, 0)).toBe('30%');
  });

  it('lets a chunk overwrite a line that ended with \\r in an earlier chunk', () => {
    const { model, events } = area();
    model.add(stream('Epoch 1\n'));
    model.add(stream('  0%\r'));
    model.add(stream(' 50%\r'));
    model.add(stream('100%\n'));
    model.add(stream('Epoch 2\n'));
    expect(textOf(model, 0)).toBe('Epoch 1\n100%\nEpoch 2\n');
    // Overwrites cannot be sent as appends: the view must redraw the output.
    expect(events.map((e) => e.type)).toEqual(['add', 'append', 'set', 'set', 'append']);
  });

  it('overwrites only as many characters as the new text has (terminal semantics)', () => {
    const { model } = area();
    model.add(stream('Downloading...\r'));
    model.add(stream('Done'));
    expect(textOf(model, 0)).toBe('Doneloading...');
  });

  it('treats \\r\\n as a newline, also when split across two messages', () => {
    const { model } = area();
    model.add(stream('a\r\nb\r'));
    model.add(stream('\nc'));
    expect(textOf(model, 0)).toBe('a\nb\nc');
  });

  it('lets a backspace in a later chunk erase the last character', () => {
    const { model } = area();
    model.add(stream('abc'));
    model.add(stream('\b\bZ'));
    expect(textOf(model, 0)).toBe('aZ');
  });

  it('keeps stdout and stderr in separate outputs', () => {
    const { model } = area();
    model.add(stream('out 1\n', 'stdout'));
    model.add(stream('err 1\n', 'stderr'));
    model.add(stream('out 2\n', 'stdout'));
    model.add(stream('out 3\n', 'stdout'));
    expect(model.toJSON()).toEqual([
      { output_type: 'stream', name: 'stdout', text: 'out 1\n' },
      { output_type: 'stream', name: 'stderr', text: 'err 1\n' },
      { output_type: 'stream', name: 'stdout', text: 'out 2\nout 3\n' }
    ]);
  });

  it('does not merge a stream across a display_data', () => {
    const { model, events } = area();
    model.add(stream('before\n'));
    model.add(display({ 'text/plain': 'figure' }));
    model.add(stream('after\n'));
    expect(model.length).toBe(3);
    expect(textOf(model, 0)).toBe('before\n');
    expect(model.get(1)!.output_type).toBe('display_data');
    expect(textOf(model, 2)).toBe('after\n');
    expect(events).toEqual([
      { type: 'add', index: 0 },
      { type: 'add', index: 1 },
      { type: 'add', index: 2 }
    ]);
  });

  it("sends in 'append' events exactly the text a view must add", () => {
    const { model, events } = area();
    const chunks = ['Hello', ', ', 'world\n', '', 'ünïcödé 😀\n', '\x1b[31mred\x1b[0m\n'];
    for (const c of chunks) model.add(stream(c));
    const appended = events.filter((e) => e.type === 'append').map((e) => (e as { text: string }).text);
    expect(appended).toEqual(chunks.slice(1));
    expect(chunks[0] + appended.join('')).toBe(textOf(model, 0));
  });

  it('appends 50,000 lines sent one message at a time and keeps the exact text', () => {
    const { model, events } = area();
    const lines: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const line = `step ${i}: loss=${(1 / (i + 1)).toFixed(6)}\n`;
      lines.push(line);
      model.add(stream(line));
    }
    const expected = lines.join('');
    expect(model.length).toBe(1);
    expect(textOf(model, 0)).toBe(expected);
    expect(events.length).toBe(50_000);
    expect(events[0]).toEqual({ type: 'add', index: 0 });
    expect(events.slice(1).every((e) => e.type === 'append')).toBe(true);
  });

  it('updates a progress bar 20,000 times after a long output and keeps the text right', () => {
    const { model } = area();
    for (let i = 0; i < 20_000; i++) model.add(stream(`line ${i}\n`));
    for (let i = 0; i <= 20_000; i++) model.add(stream(`\r${i}/20000`));
    model.add(stream('\n'));
    let expected = '';
    for (let i = 0; i < 20_000; i++) expected += `line ${i}\n`;
    expect(textOf(model, 0)).toBe(expected + '20000/20000\n');
  });

  it('keeps stream outputs loaded from a file exactly as they were', () => {
    const loaded = [stream(['a\n', 'b\n']), stream(['e\n'], 'stderr')];
    const { model } = area(loaded);
    const json = model.toJSON();
    expect(json).toEqual(loaded);
    expect(json[0]).toBe(loaded[0]);
    expect(json[1]).toBe(loaded[1]);
  });

  it('appends to a loaded stream output of the same name', () => {
    const { model } = area([stream(['a\n', 'b'])]);
    model.add(stream('c\n'));
    expect(model.toJSON()).toEqual([{ output_type: 'stream', name: 'stdout', text: 'a\nbc\n' }]);
  });

  it('keeps other keys of a merged stream output', () => {
    const { model } = area([{ output_type: 'stream', name: 'stdout', text: 'a', extra: 'future' } as Output]);
    model.add(stream('b'));
    expect(model.toJSON()).toEqual([{ output_type: 'stream', name: 'stdout', text: 'ab', extra: 'future' }]);
  });

  it('does not change the output objects it was given', () => {
    const first = stream('a\n');
    const { model } = area();
    model.add(first);
    model.add(stream('b\n'));
    expect(first).toEqual(stream('a\n'));
  });
});

describe('OutputAreaModel.clear', () => {
  it("removes every output and fires 'clear'", () => {
    const { model, events } = area([stream('a'), display({ 'text/plain': 'x' })]);
    model.clear();
    expect(model.length).toBe(0);
    expect(model.toJSON()).toEqual([]);
    expect(events).toEqual([{ type: 'clear' }]);
  });

  it('fires nothing when already empty', () => {
    const { model, events } = area();
    model.clear();
    expect(events).toEqual([]);
  });

  it('with wait, keeps the outputs until the next output arrives, then replaces them', () => {
    const { model, events } = area();
    model.add(stream('frame 1\n'));
    model.add(display({ 'text/plain': 'plot 1' }));
    events.length = 0;

    model.clear(true);
    expect(model.length).toBe(2);
    expect(events).toEqual([]);

    model.add(display({ 'text/plain': 'plot 2' }));
    expect(model.toJSON()).toEqual([display({ 'text/plain': 'plot 2' })]);
    expect(events).toEqual([{ type: 'clear' }, { type: 'add', index: 0 }]);
  });

  it('with wait, starts a new stream output instead of appending to the cleared one', () => {
    const { model } = area();
    model.add(stream('frame 1\n'));
    model.clear(true);
    model.add(stream('frame 2\n'));
    expect(model.toJSON()).toEqual([stream('frame 2\n')]);
    model.add(stream('more\n'));
    expect(model.toJSON()).toEqual([stream('frame 2\nmore\n')]);
  });

  it('with wait twice, clears once on the next output', () => {
    const { model, events } = area([stream('old')]);
    model.clear(true);
    model.clear(true);
    model.add(stream('new'));
    model.add(stream(' text'));
    expect(model.toJSON()).toEqual([stream('new text')]);
    expect(events.filter((e) => e.type === 'clear')).toHaveLength(1);
  });

  it('without wait after a pending wait, clears at once and not again later', () => {
    const { model, events } = area([stream('old')]);
    model.clear(true);
    model.clear();
    expect(model.length).toBe(0);
    model.add(stream('a'));
    model.add(display({ 'text/plain': 'b' }));
    expect(model.length).toBe(2);
    expect(events.filter((e) => e.type === 'clear')).toHaveLength(1);
  });
});

describe('OutputAreaModel display ids', () => {
  it('replaces data and metadata of every output with the display_id and returns the count', () => {
    const { model, events } = area();
    model.add(display({ 'text/plain': 'A v1' }), 'a');
    model.add(display({ 'text/plain': 'B v1' }), 'b');
    model.add(stream('text\n'));
    model.add(display({ 'text/plain': 'A v1 again' }, { isolated: true }), 'a');
    events.length = 0;
    const b = model.get(1);

    const count = model.updateDisplay('a', { 'text/plain': 'A v2', 'text/html': '<b>A v2</b>' }, { width: 10 });

    expect(count).toBe(2);
    expect(model.toJSON()).toEqual([
      display({ 'text/plain': 'A v2', 'text/html': '<b>A v2</b>' }, { width: 10 }),
      display({ 'text/plain': 'B v1' }),
      stream('text\n'),
      display({ 'text/plain': 'A v2', 'text/html': '<b>A v2</b>' }, { width: 10 })
    ]);
    expect(model.get(1)).toBe(b);
    expect(events).toEqual([
      { type: 'set', index: 0 },
      { type: 'set', index: 3 }
    ]);
  });

  it('returns 0 and changes nothing for a display_id it does not hold', () => {
    const { model, events } = area();
    model.add(display({ 'text/plain': 'A' }), 'a');
    model.add(display({ 'text/plain': 'no id' }));
    expect(model.updateDisplay('zzz', { 'text/plain': 'X' })).toBe(0);
    expect(model.toJSON()).toEqual([display({ 'text/plain': 'A' }), display({ 'text/plain': 'no id' })]);
    expect(events.filter((e) => e.type === 'set')).toEqual([]);
  });

  it('keeps the output type and execution count of an updated execute_result', () => {
    const { model } = area();
    const result = { output_type: 'execute_result', execution_count: 7, data: { 'text/plain': '1' }, metadata: {} };
    model.add(result as Output, 'r');
    expect(model.updateDisplay('r', { 'text/plain': '2' })).toBe(1);
    expect(model.get(0)).toEqual({ ...result, data: { 'text/plain': '2' } });
  });

  it('tells whether it holds a display_id, and forgets ids when cleared', () => {
    const { model } = area();
    model.add(display({ 'text/plain': 'A' }), 'a');
    expect(model.hasDisplay('a')).toBe(true);
    expect(model.hasDisplay('b')).toBe(false);
    model.clear();
    expect(model.hasDisplay('a')).toBe(false);
    expect(model.updateDisplay('a', { 'text/plain': 'X' })).toBe(0);
  });

  it('maps display ids to the new outputs after a clear with wait', () => {
    const { model } = area();
    model.add(display({ 'text/plain': 'old' }), 'old');
    model.clear(true);
    model.add(display({ 'text/plain': 'new' }), 'new');
    expect(model.updateDisplay('old', { 'text/plain': 'X' })).toBe(0);
    expect(model.updateDisplay('new', { 'text/plain': 'new 2' })).toBe(1);
    expect(model.toJSON()).toEqual([display({ 'text/plain': 'new 2' })]);
  });

  it('does not save the display id in the output', () => {
    const { model } = area();
    model.add(display({ 'text/plain': 'A' }), 'a');
    expect(model.toJSON()).toEqual([display({ 'text/plain': 'A' })]);
    expect(JSON.stringify(model.toJSON())).not.toContain('transient');
  });
});
