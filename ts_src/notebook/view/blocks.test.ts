// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RenderMimeRegistry } from '../../rendermime/registry';
import { NotebookModel } from '../model/notebook';
import { NotebookView } from './notebook';

class NoObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

function notebook(n: number): NotebookModel {
  return new NotebookModel({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: Array.from({ length: n }, (_, i) => ({ cell_type: 'code', id: `c${i}`, source: `x = ${i}`, metadata: {}, outputs: [], execution_count: null }))
  });
}

/** The cells' sources in document order, and the number of cells in each block. */
function layout(view: NotebookView): { order: string[]; blocks: number[] } {
  const order = [...view.node.querySelectorAll<HTMLElement>('[data-testid=cell]')].map((n) => view.cellViews.find((v) => v.node === n)!.model.source);
  const blocks = [...view.node.querySelectorAll('.ja-Notebook-chunk')].map((b) => b.querySelectorAll('[data-testid=cell]').length);
  return { order, blocks };
}

describe('NotebookView: cells in blocks of 50', () => {
  let view: NotebookView | null = null;
  beforeEach(() => {
    vi.stubGlobal('ResizeObserver', NoObserver);
    vi.stubGlobal('IntersectionObserver', NoObserver);
  });
  afterEach(() => {
    view?.dispose();
    view = null;
  });

  const open = (n: number) => {
    const model = notebook(n);
    view = new NotebookView(model, new RenderMimeRegistry());
    document.body.appendChild(view.node);
    return { model, v: view };
  };
  const sources = (model: NotebookModel) => model.cells.map((c) => c.source);

  it('puts every cell in a block, in order, and the document order follows the model through moves across blocks', () => {
    const { model, v } = open(120);
    expect(layout(v)).toEqual({ order: sources(model), blocks: [50, 50, 20] });
    // The last cell of the first block down into the second, and back; the first of the third up into the first.
    model.moveCells(49, 1, 50);
    expect(layout(v).order).toEqual(sources(model));
    expect(model.cells[50]!.source).toBe('x = 49');
    model.moveCells(50, 1, 49);
    model.moveCells(100, 3, 10);
    expect(layout(v).order).toEqual(sources(model));
    expect(sources(model).slice(10, 13)).toEqual(['x = 100', 'x = 101', 'x = 102']);
    // To the very end, and to the very start.
    model.moveCells(0, 2, 118);
    model.moveCells(119, 1, 0);
    expect(layout(v).order).toEqual(sources(model));
    expect(layout(v).blocks.reduce((a, b) => a + b)).toBe(120);
  });

  it('inserts cells into the block of the cell they precede, or the last block, and drops emptied blocks', () => {
    const { model, v } = open(120);
    model.insertCells(50, [model.createCell('markdown', 'before 50')]);
    model.insertCells(model.cells.length, [model.createCell('code', 'at the end')]);
    expect(layout(v)).toEqual({ order: sources(model), blocks: [50, 51, 21] });
    // Deleting the whole second block removes its element; undo brings the cells back in place.
    const second = Array.from({ length: 51 }, (_, i) => 50 + i);
    model.deleteCells(second);
    expect(layout(v)).toEqual({ order: sources(model), blocks: [50, 21] });
    model.undo();
    expect(layout(v).order).toEqual(sources(model));
    expect(model.cells).toHaveLength(122);
    // Every cell deleted: the notebook keeps one new cell, in a block, and no empty block.
    model.deleteCells(model.cells.map((_, i) => i));
    expect(layout(v)).toEqual({ order: sources(model), blocks: [1] });
    model.insertCells(1, [model.createCell('code', 'typed next')]);
    expect(layout(v)).toEqual({ order: sources(model), blocks: [2] });
  });

  it('draws a few inserted cells at once and leaves a big paste as shells, of a height, for the near check to draw', () => {
    const { model, v } = open(10);
    model.insertCells(2, [model.createCell('code', 'typed')]);
    expect(v.cellViews[2]!.built).toBe(true);
    model.insertCells(5, Array.from({ length: 60 }, (_, i) => model.createCell('markdown', `# p${i}\n\n$x_${i}$`)));
    const pasted = v.cellViews.slice(5, 65);
    expect(pasted.map((c) => c.model.source)).toEqual(model.cells.slice(5, 65).map((c) => c.source));
    expect(pasted.filter((c) => c.built)).toHaveLength(0);
    // Shells hold their estimated height: the notebook is as long as it will be, before they are drawn.
    for (const c of pasted) expect(parseFloat(c.node.style.height)).toBeGreaterThan(0);
  });

  it('gives many cells inserted at once blocks of their own, where they go, moving no cell already there', () => {
    const { model, v } = open(60);
    const thirty = v.cellViews[30]!.node;
    const pasted = Array.from({ length: 120 }, (_, i) => model.createCell('code', `p${i}`));
    model.insertCells(25, pasted);
    expect(layout(v).order).toEqual(sources(model));
    expect(v.cellViews[150]!.node).toBe(thirty);
    expect(thirty.parentElement!.parentElement).toBe(v.node);
    // Three blocks of 50, 50 and 20 inside the first block, before cell 25.
    const inner = v.node.querySelectorAll(':scope > .ja-Notebook-chunk > .ja-Notebook-chunk');
    expect([...inner].map((b) => b.childElementCount)).toEqual([50, 50, 20]);
    for (const b of inner) expect((b as HTMLElement).style.containIntrinsicSize).toMatch(/^auto \d+px$/);
    // Pasted at the end: blocks after the last one.
    model.insertCells(model.cells.length, Array.from({ length: 50 }, (_, i) => model.createCell('code', `e${i}`)));
    expect(layout(v).order).toEqual(sources(model));
    expect(v.node.lastElementChild!.childElementCount).toBe(50);
    // Deleting the pasted cells drops their blocks, nested ones too.
    model.deleteCells(Array.from({ length: 120 }, (_, i) => 25 + i));
    expect(v.node.querySelectorAll('.ja-Notebook-chunk .ja-Notebook-chunk')).toHaveLength(0);
    expect(layout(v).order).toEqual(sources(model));
  });
});
