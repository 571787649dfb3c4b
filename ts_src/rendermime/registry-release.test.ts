// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { DisposableDelegate } from '../core/disposable';
import { RenderMimeRegistry } from './registry';

/** A registry whose one renderer (for text/x-held) returns a disposable, synchronously or not. */
function registry(async: boolean) {
  const disposed: string[] = [];
  const mime = new RenderMimeRegistry();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  mime.addRenderer({
    name: 'held',
    mimeTypes: ['text/x-held'],
    rank: 0,
    safe: true,
    render({ data, host }) {
      host.textContent = String(data);
      const held = new DisposableDelegate(() => disposed.push(String(data)));
      return async ? gate.then(() => held) : held;
    }
  });
  return { mime, disposed, finish: () => release() };
}

describe('RenderMimeRegistry.release', () => {
  it('disposes what the renderers of an element, and of outputs inside it, hold; once', () => {
    const { mime, disposed } = registry(false);
    const area = document.createElement('div');
    area.append(mime.render({ 'text/x-held': 'a' }, {}, false), mime.render({ 'text/x-held': 'b' }, {}, false));
    const other = mime.render({ 'text/x-held': 'c' }, {}, false);
    mime.release(area);
    expect(disposed).toEqual(['a', 'b']);
    mime.release(area);
    expect(disposed).toEqual(['a', 'b']);
    mime.release(other);
    expect(disposed).toEqual(['a', 'b', 'c']);
  });

  it('disposes the result of a render that finishes after its output was released', async () => {
    const { mime, disposed, finish } = registry(true);
    const host = mime.render({ 'text/x-held': 'late' }, {}, false);
    mime.release(host);
    expect(disposed).toEqual([]);
    finish();
    await new Promise((resolve) => setTimeout(resolve));
    expect(disposed).toEqual(['late']);
  });
});
