import { describe, expect, it } from 'vitest';
import { capturedOutputs, onCaptures, publishCaptures } from './captures';

const out = (text: string) => ({ output_type: 'stream', name: 'stdout', text });

describe('journal captures for Output widgets', () => {
  it('keeps the latest captures per kernel and widget, and tells listeners of that kernel only', () => {
    const kernel = {};
    const other = {};
    const seen: string[] = [];
    const sub = onCaptures(kernel, (id, outputs) => seen.push(`${id}:${outputs.length}`));
    publishCaptures(kernel, { w1: [out('a')] });
    publishCaptures(other, { w1: [out('x'), out('y')] });
    publishCaptures(kernel, { w1: [out('a'), out('b')], w2: [] });
    expect(capturedOutputs(kernel, 'w1')).toEqual([out('a'), out('b')]);
    expect(capturedOutputs(other, 'w1')).toEqual([out('x'), out('y')]);
    expect(capturedOutputs(kernel, 'nope')).toBeUndefined();
    expect(seen).toEqual(['w1:1', 'w1:2', 'w2:0']);
    sub.dispose();
    publishCaptures(kernel, { w1: [] });
    expect(seen).toHaveLength(3);
  });
});
