// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DisposableDelegate } from '../../core/disposable';
import { RenderMimeRegistry } from '../../rendermime/registry';
import { CellModel } from '../model/cell';
import { CellView, type CellViewContext } from './cell';

/** A registry with a redrawable text renderer and a kept one (as an extension's figure). */
function registry(): { mime: RenderMimeRegistry; live: Set<string> } {
  const mime = new RenderMimeRegistry();
  const live = new Set<string>();
  mime.addRenderer({
    name: 'text',
    mimeTypes: ['text/plain'],
    rank: 100,
    safe: true,
    redrawable: true,
    render({ data, host }) {
      host.textContent = String(data);
    }
  });
  mime.addRenderer({
    name: 'figure',
    mimeTypes: ['application/x-figure'],
    rank: 10,
    safe: true,
    render({ data, host }) {
      host.textContent = `figure ${String(data)}`;
    }
  });
  mime.addRenderer({
    name: 'live',
    mimeTypes: ['application/x-live'],
    rank: 10,
    safe: true,
    redrawable: true,
    render({ data, host }) {
      host.textContent = String(data);
      live.add(String(data));
      return new DisposableDelegate(() => live.delete(String(data)));
    }
  });
  return { mime, live };
}

function context(mime: RenderMimeRegistry, built: CellView[] = []): CellViewContext {
  return {
    rendermime: mime,
    language: () => [],
    editorHooks: () => ({ onChange: () => undefined, onFocus: () => undefined, onEdge: () => false, complete: () => null, inspect: () => undefined }),
    built: (view) => built.push(view)
  };
}

function codeCell(data: Record<string, string>): CellModel {
  return new CellModel({
    cell_type: 'code',
    source: 'print(1)',
    metadata: {},
    execution_count: 1,
    outputs: [{ output_type: 'display_data', data, metadata: {} }]
  } as never);
}

describe('CellView.unbuild: far cells become shells of their height, drawn again from the model', () => {
  it('drops a cell of plain outputs, keeps its height and draws it again, telling whoever decorates it', () => {
    const { mime } = registry();
    const built: CellView[] = [];
    const view = new CellView(codeCell({ 'text/plain': 'two' }), context(mime, built));
    view.build();
    expect(view.node.textContent).toContain('two');
    expect(view.unbuild(123)).toBe(true);
    expect(view.built).toBe(false);
    expect(view.node.children).toHaveLength(0);
    expect(view.node.style.height).toBe('123px');
    expect(view.node.classList.contains('ja-mod-unbuilt')).toBe(true);
    // Changed while a shell: drawn as the model is now.
    view.model.source = 'print(2)';
    view.build();
    expect(view.node.querySelector('pre.ja-Cell-static')?.textContent).toBe('print(2)');
    expect(view.node.textContent).toContain('two');
    expect(view.node.style.height).toBe('');
    expect(built).toEqual([view, view]);
  });

  it('keeps a decoration put before the content, and the content after it when drawn again', () => {
    const { mime } = registry();
    const view = new CellView(codeCell({ 'text/plain': 'x' }), context(mime));
    view.build();
    const toggle = document.createElement('button');
    view.node.prepend(toggle);
    expect(view.unbuild(50)).toBe(true);
    expect([...view.node.children]).toEqual([toggle]);
    view.build();
    expect(view.node.firstElementChild).toBe(toggle);
    expect(view.node.querySelector('.ja-Cell-input')).not.toBeNull();
  });

  it('keeps what the model cannot give back: notes added after or inside, outputs of kept renderers, live views, a run', () => {
    const { mime, live } = registry();
    const noted = new CellView(codeCell({ 'text/plain': 'x' }), context(mime));
    noted.build();
    noted.node.append(document.createElement('div'));
    expect(noted.unbuild(50)).toBe(false);

    const inside = new CellView(codeCell({ 'text/plain': 'x' }), context(mime));
    inside.build();
    inside.node.querySelector('.ja-Cell-outputs')!.append(document.createElement('div'));
    expect(inside.unbuild(50)).toBe(false);

    const figure = new CellView(codeCell({ 'application/x-figure': '1' }), context(mime));
    figure.build();
    expect(figure.unbuild(50)).toBe(false);
    expect(figure.node.textContent).toContain('figure 1');

    const framed = new CellView(codeCell({ 'text/plain': 'x' }), context(mime));
    framed.build();
    framed.node.querySelector('.ja-MimeOutput')!.append(document.createElement('iframe'));
    expect(framed.unbuild(50)).toBe(false);

    const running = new CellView(codeCell({ 'text/plain': 'x' }), context(mime));
    running.build();
    running.model.setRunState(false, true);
    expect(running.unbuild(50)).toBe(false);

    const widget = new CellView(codeCell({ 'application/x-live': 'w' }), context(mime));
    widget.build();
    expect(live.has('w')).toBe(true);
    expect(widget.unbuild(50)).toBe(false);
    expect(live.has('w')).toBe(true);
  });

  it('keeps a Markdown cell whose source is being edited', () => {
    const { mime } = registry();
    const view = new CellView(new CellModel({ cell_type: 'markdown', source: '# Hi', metadata: {} } as never), context(mime));
    view.build();
    view.setEditing(true);
    expect(view.unbuild(40)).toBe(false);
    view.setEditing(false);
    expect(view.unbuild(40)).toBe(true);
  });

  it('draws a rendered Markdown cell without its hidden input; editing shows it, before the rendering', () => {
    const { mime } = registry();
    const view = new CellView(new CellModel({ cell_type: 'markdown', source: '# Hi', metadata: {} } as never), context(mime));
    const toggle = document.createElement('button');
    view.build();
    view.node.prepend(toggle);
    expect(view.node.querySelector('.ja-Cell-input')).toBeNull();
    expect(view.node.querySelector('.ja-Cell-rendered')).not.toBeNull();
    view.setEditing(true);
    const kids = [...view.node.children].map((el) => el.className.split(' ')[0] || el.tagName);
    expect(kids).toEqual(['BUTTON', 'ja-Cell-input', 'ja-Cell-rendered']);
    expect(view.node.querySelector('pre.ja-Cell-static')?.textContent).toBe('# Hi');
    // Rendered again, the input stays (hidden by CSS) and the cell can still be unbuilt and redrawn.
    view.setEditing(false);
    expect(view.unbuild(40)).toBe(true);
    expect([...view.node.children]).toEqual([toggle]);
    view.build();
    expect(view.node.querySelector('.ja-Cell-input')).toBeNull();
    expect(view.ensureEditor()).toBe(view.editor);
    expect(view.node.querySelector('.ja-Cell-input .ja-Cell-editor .cm-editor')).not.toBeNull();
    view.destroy();
  });

  it('sizes a shell again when its outputs change while it is not drawn', async () => {
    const { mime } = registry();
    const view = new CellView(codeCell({ 'text/plain': 'x' }), context(mime));
    view.build();
    expect(view.unbuild(400)).toBe(true);
    view.model.outputs.clear();
    for (let i = 0; i < 3; i++) view.model.outputs.add({ output_type: 'stream', name: 'stdout', text: 'a line\n' });
    expect(view.node.style.height).toBe('400px'); // once, in the next frame
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const small = parseFloat(view.node.style.height);
    expect(small).toBeGreaterThan(0);
    expect(small).toBeLessThan(200);
    for (let i = 0; i < 60; i++) view.model.outputs.add({ output_type: 'stream', name: 'stdout', text: 'more\n'.repeat(5) });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    expect(parseFloat(view.node.style.height)).toBeGreaterThan(small + 100);
    expect(view.node.style.containIntrinsicSize).toBe(`auto ${view.node.style.height}`);
  });
});
