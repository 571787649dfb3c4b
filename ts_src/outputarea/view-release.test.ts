// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DisposableDelegate } from '../core/disposable';
import { RenderMimeRegistry } from '../rendermime/registry';
import { OutputAreaModel } from './model';
import { OutputAreaView } from './view';

/** Outputs of type text/x-held hold a resource until released (as widget views do). */
function setup() {
  const held = new Set<string>();
  const mime = new RenderMimeRegistry();
  mime.addRenderer({
    name: 'held',
    mimeTypes: ['text/x-held'],
    rank: 0,
    safe: true,
    render({ data, host }) {
      const name = String(data);
      host.textContent = name;
      held.add(name);
      return new DisposableDelegate(() => held.delete(name));
    }
  });
  const model = new OutputAreaModel();
  const view = new OutputAreaView(model, mime, () => true);
  return { held, model, view };
}

const display = (name: string) => ({ output_type: 'display_data' as const, data: { 'text/x-held': name }, metadata: {} });

describe('OutputAreaView releases what renderers hold', () => {
  it('when the outputs are cleared', () => {
    const { held, model } = setup();
    model.add(display('a'));
    model.add(display('b'));
    expect([...held]).toEqual(['a', 'b']);
    model.clear();
    expect([...held]).toEqual([]);
  });

  it('when an output is replaced (update_display_data)', () => {
    const { held, model } = setup();
    model.add(display('a'), 'id');
    model.updateDisplay('id', { 'text/x-held': 'a2' });
    expect([...held]).toEqual(['a2']);
  });

  it('when the cell goes away, and draws nothing afterwards', () => {
    const { held, model, view } = setup();
    model.add(display('a'));
    view.dispose();
    expect([...held]).toEqual([]);
    model.add(display('late'));
    expect([...held]).toEqual([]);
    expect(view.node.textContent).toBe('a');
  });
});
