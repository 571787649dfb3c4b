// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../core/emitter';
import type { ExtensionListModel } from './model';
import { ExtensionListView } from './view';

/** The model's surface the view reads, with a refresh that counts calls. */
function fakeModel() {
  const changed = new Emitter<void>();
  const model = {
    rows: [],
    builtins: [{ id: '@jlab-alt/notebook:plugin', description: 'Notebooks', status: { state: 'active' } }],
    error: null as string | null,
    changed: changed.event,
    refresh: vi.fn(async () => undefined)
  };
  return { model, emit: () => changed.emit() };
}

const rows = (view: ExtensionListView) => view.node.querySelectorAll('[data-testid="builtin-plugin"]').length;

describe('ExtensionListView', () => {
  it('draws its rows only while shown, and anew when shown after a change', () => {
    const { model, emit } = fakeModel();
    const view = new ExtensionListView(model as unknown as ExtensionListModel);
    emit();
    expect(view.node.childElementCount).toBe(0);

    view.onShow();
    expect(rows(view)).toBe(1);
    expect(model.refresh).toHaveBeenCalledTimes(1);
    model.builtins.push({ id: '@jlab-alt/terminal:plugin', description: 'Terminals', status: { state: 'active' } });
    emit();
    expect(rows(view)).toBe(2);

    view.onHide();
    model.error = 'The extension list could not be read';
    emit();
    expect(view.node.textContent).not.toContain('could not be read');
    view.onShow();
    expect(view.node.textContent).toContain('could not be read');
  });
});
