import { describe, expect, it } from 'vitest';
import type { Output } from '../../outputarea/model';
import { estimateCellHeight, pngSize } from './estimate';

// The first bytes of real PNGs (signature + IHDR), base64: 200 x 100 and 96 x 64.
const PNG_200x100 = 'iVBORw0KGgoAAAANSUhEUgAAAMgAAABkCAIAAABM';
const PNG_96x64 = 'iVBORw0KGgoAAAANSUhEUgAAAGAAAABACAIAAABq';

const png = (data: unknown, metadata: Record<string, unknown> = {}): Output =>
  ({ output_type: 'display_data', data: { 'image/png': data, 'text/plain': ['<Figure>'] }, metadata }) as Output;
const code = (source: string, outputs: Output[]) => ({ type: 'code', source, outputs });

describe('pngSize', () => {
  it('reads width and height from the header, as a string or as a list of lines', () => {
    expect(pngSize(PNG_200x100 + 'AAAA')).toEqual({ width: 200, height: 100 });
    expect(pngSize([PNG_96x64.slice(0, 10) + '\n', PNG_96x64.slice(10) + '\n'])).toEqual({ width: 96, height: 64 });
  });

  it('gives null for what is not a PNG or too short', () => {
    expect(pngSize('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgK')).toBeNull();
    expect(pngSize('iVBORw0KGgo=')).toBeNull();
    expect(pngSize(undefined)).toBeNull();
  });
});

describe('estimateCellHeight', () => {
  it('counts a figure at its height, not as two lines of text', () => {
    const withFigure = estimateCellHeight(code('plot()', [png(PNG_200x100)]), 800);
    const withText = estimateCellHeight(code('plot()', []), 800);
    expect(withFigure - withText).toBeGreaterThanOrEqual(100);
    expect(withFigure - withText).toBeLessThan(120);
  });

  it('prefers the size in the output metadata, and scales wide images down', () => {
    const meta = estimateCellHeight(code('x', [png(PNG_200x100, { 'image/png': { width: 400, height: 300 } })]), 2000);
    const wide = estimateCellHeight(code('x', [png(PNG_200x100, { 'image/png': { width: 4160, height: 1000 } })]), 2000);
    const none = estimateCellHeight(code('x', []), 2000);
    expect(meta - none).toBeGreaterThanOrEqual(300);
    expect(meta - none).toBeLessThan(320);
    expect(wide - none).toBeGreaterThanOrEqual(250);
    expect(wide - none).toBeLessThan(270);
  });

  it('bounds the outputs by the scrolling output area (80% of the window)', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `${i}\n`).join('');
    const stream = { output_type: 'stream', name: 'stdout', text } as Output;
    const big = estimateCellHeight(code('print()', [stream]), 1000);
    const empty = estimateCellHeight(code('print()', []), 1000);
    expect(big - empty).toBe(800);
    const figures = estimateCellHeight(code('x', [png(PNG_200x100), png(PNG_200x100), png(PNG_200x100), png(PNG_200x100)]), 500);
    expect(figures - empty).toBe(400);
  });

  it('counts Markdown cells by their source only', () => {
    expect(estimateCellHeight({ type: 'markdown', source: 'a\nb\nc', outputs: [] }, 800)).toBe(22 + 3 * 17);
  });
});
