// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { RenderMimeRegistry } from '../rendermime/registry';
import { OutputAreaModel } from './model';
import { OutputAreaView, STREAM_DISPLAY_LIMIT } from './view';

function setup() {
  const model = new OutputAreaModel([]);
  const view = new OutputAreaView(model, new RenderMimeRegistry(), () => false);
  const print = (text: string, name: 'stdout' | 'stderr' = 'stdout') =>
    model.add({ output_type: 'stream', name, text });
  return { model, view, print };
}

const line = (i: number) => `line ${String(i).padStart(6, '0')}\n`; // 12 characters

describe('OutputAreaView streams', () => {
  it('appends printed chunks to one stream output, escaping HTML', () => {
    const { view, print } = setup();
    print('a <b>\n');
    print('c\n');
    const pres = view.node.querySelectorAll('pre');
    expect(pres).toHaveLength(1);
    expect(pres[0]!.textContent).toBe('a <b>\nc\n');
    expect(view.node.querySelector('b')).toBeNull();
  });

  it('keeps only the newest text of a long stream, with a button to show all of it', () => {
    const { view, print } = setup();
    const lines = Math.ceil((STREAM_DISPLAY_LIMIT * 1.5) / 12);
    for (let i = 0; i < lines; i += 100) {
      let chunk = '';
      for (let j = i; j < Math.min(i + 100, lines); j++) chunk += line(j);
      print(chunk);
    }
    const pre = view.node.querySelector('pre')!;
    const shown = pre.textContent!;
    expect(shown.length).toBeLessThanOrEqual(STREAM_DISPLAY_LIMIT);
    expect(shown.length).toBeGreaterThan(STREAM_DISPLAY_LIMIT - 100 * 12);
    expect(shown.endsWith(line(lines - 1))).toBe(true);
    expect(shown).not.toContain(line(0));
    const more = view.node.querySelector<HTMLButtonElement>('.ja-Output-more')!;
    expect(more.textContent).toContain(`of ${(lines * 12).toLocaleString()} characters`);
    expect(view.redrawable).toBe(true);

    more.click();
    // Drawn anew from the model it would be trimmed again: the cell must keep this view.
    expect(view.redrawable).toBe(false);
    expect(pre.textContent!.length).toBe(lines * 12);
    expect(view.node.querySelector('.ja-Output-more')).toBeNull();
    print(line(lines)); // after "show all", nothing is trimmed any more
    expect(pre.textContent!.startsWith(line(0))).toBe(true);
  });

  it('lays a long stream out in blocks of whole lines, whatever the chunks were', () => {
    const { view, print } = setup();
    let expected = '';
    for (let i = 0; i < 1000; i++) {
      const piece = i % 3 === 0 ? `${i} ` : `${i}\n`; // some lines arrive in two chunks
      print(piece);
      expected += piece;
    }
    const blocks = [...view.node.querySelectorAll('pre > .ja-StreamBlock')];
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.map((b) => b.textContent).join('')).toBe(expected);
    for (const block of blocks.slice(0, -1)) {
      expect(block.textContent!.endsWith('\n')).toBe(true);
      expect(block.textContent!.split('\n').length - 1).toBeLessThanOrEqual(400);
    }
  });

  it('opens a saved stream longer than the limit showing its end', () => {
    const text = Array.from({ length: 30_000 }, (_, i) => line(i)).join('');
    const model = new OutputAreaModel([{ output_type: 'stream', name: 'stdout', text }]);
    const view = new OutputAreaView(model, new RenderMimeRegistry(), () => false);
    const shown = view.node.querySelector('pre')!.textContent!;
    expect(shown).toBe(text.slice(text.length - STREAM_DISPLAY_LIMIT));
    expect(view.node.querySelector('.ja-Output-more')).not.toBeNull();
  });

  it('redraws the last line when a carriage return rewrites it (progress bars)', () => {
    const { view, print } = setup();
    print('done\n10%');
    print('\r50%');
    expect(view.node.querySelector('pre')!.textContent).toBe('done\n50%');
  });

  it('keeps stdout and stderr apart and colours ANSI escapes', () => {
    const { view, print } = setup();
    print('out\n');
    print('\x1b[31merr\x1b[0m\n', 'stderr');
    const outputs = view.node.querySelectorAll('.ja-Output');
    expect(outputs).toHaveLength(2);
    expect(outputs[1]!.classList.contains('ja-mod-stderr')).toBe(true);
    expect(outputs[1]!.querySelector('.ansi-red-fg')?.textContent).toBe('err');
  });
});
