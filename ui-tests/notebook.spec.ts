/**
 * The notebook editor without much kernel work: real notebooks from the corpus
 * open and save byte for byte, saving after edits and over changes on disk, a
 * malformed file, cell operations from the keyboard, command/edit mode, and a
 * large notebook. Kernel behaviour is in notebook-kernel.spec.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { corpusNotebook, expect, test } from './fixtures';
import {
  CELL_MARGIN,
  cellInput,
  cellInputs,
  cells,
  corpusManifest,
  expectClean,
  expectCommandMode,
  expectDirty,
  expectEditMode,
  expectKernelIdle,
  fileRow,
  joined,
  nbformatDifference,
  notebookJSON,
  notebookNode,
  notebookPanel,
  openNotebook,
  outputs,
  python,
  readNotebook,
  saveWithKeys,
  selectCell,
  showCell,
  setCellText,
  streamOutput,
  tab,
  toolbarButton
} from './notebook-helpers';

/**
 * Wait until outputs drawn by code loaded on demand are drawn, as a person sees them
 * before saving: Plotly figures (the plotly extension loads plotly.js at the first).
 */
async function expectOutputsDrawn(panel: ReturnType<typeof notebookPanel>): Promise<void> {
  await expect
    .poll(() => panel.locator('.jlab-alt-plotly').evaluateAll((els) => els.filter((e) => !e.querySelector('.main-svg')).length), {
      message: 'every Plotly figure is drawn',
      timeout: 20_000
    })
    .toBe(0);
}

// Traces keep screenshots and the action log but no DOM snapshots: these notebooks are
// big (up to 2,000 cells, 4 MB), and snapshotting the page at every step would take
// most of the run.
test.use({ trace: { mode: 'retain-on-failure', snapshots: false, screenshots: true, sources: true } });

const manifest = corpusManifest();

test.describe('real notebooks round-trip', () => {
  const exact = manifest.filter((e) => e.roundtrip_exact);
  test('the corpus has notebooks that must round-trip byte for byte', () => {
    expect(exact.length).toBeGreaterThanOrEqual(6);
  });

  // One server per few notebooks (a server per notebook would take most of the run):
  // spread by size so the big ones land in different groups. Each notebook is a step.
  const GROUPS = 6;
  const groups: string[][] = Array.from({ length: GROUPS }, () => []);
  [...exact].sort((a, b) => b.size_bytes - a.size_bytes).forEach((e, i) => groups[i % GROUPS]!.push(e.file));

  for (const [g, names] of groups.entries()) {
    if (names.length === 0) continue;
    test.describe(`group ${g + 1}`, () => {
      test.use({ rootFiles: Object.fromEntries(names.map((n) => [n, corpusNotebook(n)])) });

      test(`open and Ctrl+S without edits write the very same bytes: ${names.join(', ')}`, async ({ page, server }) => {
        // A guard, not a wait: on a loaded 2-core machine a big notebook takes a while.
        test.setTimeout(60_000 + 40_000 * names.length);
        for (const name of names) {
          await test.step(name, async () => {
            const original = corpusNotebook(name);
            const file = path.join(server.root, name);
            const expectedCells = (JSON.parse(original.toString('utf8')) as { cells: unknown[] }).cells.length;
            const panel = await openNotebook(page, name, expectedCells);
            await expectOutputsDrawn(panel);
            await selectCell(panel, 0);
            await saveWithKeys(page, file);
            await expectClean(page, name);
            const saved = fs.readFileSync(file);
            expect.soft(saved.length, `${name}: size of the saved file`).toBe(original.length);
            expect.soft(saved.equals(original), `${name}: saved bytes equal the original`).toBe(true);
            // Close it, so the next one opens in an uncluttered page.
            await page.keyboard.press('Alt+W');
            await expect(panel).toHaveCount(0);
          });
        }
      });
    });
  }

  // Files nbformat rewrites (old formats are upgraded, other layouts re-indented):
  // the save must be a valid notebook holding the same data.
  const rewritten = [
    'ipython-0.12__00_notebook_tour.ipynb', // nbformat 2
    'ipython-2.4__Display_System.ipynb', // nbformat 3 with worksheets and heading cells
    'renderers__nteract_geojson_indent2.ipynb', // indent=2, no final newline
    'tf-l10n-zh-cn__quickstart_beginner.ipynb' // indent=2, Colab metadata, CJK
  ];
  test.describe('rewritten', () => {
    test.use({ rootFiles: Object.fromEntries(rewritten.map((n) => [n, corpusNotebook(n)])) });

    test(`old formats and other layouts save as valid notebooks equal to the original as data: ${rewritten.join(', ')}`, async ({
      page,
      server
    }) => {
      test.setTimeout(60_000 + 45_000 * rewritten.length);
      for (const name of rewritten) {
        await test.step(name, async () => {
          expect.soft(manifest.find((e) => e.file === name)?.roundtrip_exact, `${name} is listed as not byte-exact`).toBe(false);
          const file = path.join(server.root, name);
          const original = path.join(server.root, `../${name}.orig`);
          fs.writeFileSync(original, corpusNotebook(name));
          const panel = await openNotebook(page, name);
          await selectCell(panel, 0);
          await saveWithKeys(page, file);
          await expectClean(page, name);
          expect.soft(readNotebook(file).nbformat, `${name}: saved as nbformat 4`).toBe(4);
          expect.soft(nbformatDifference(original, file), `${name}: differences from the original`).toBe('');
          await page.keyboard.press('Alt+W');
          await expect(panel).toHaveCount(0);
        });
      }
    });
  });
});

test.describe('saving', () => {
  test.use({
    rootFiles: {
      'edit.ipynb': notebookJSON(['print("old")', { type: 'markdown', source: '# Notes' }]),
      'bad.ipynb': '{"cells": [ {"cell_type": "code", "source": "1+1",, }',
      'changed.ipynb': notebookJSON(['a = 1', 'b = 2'], { kernel: null })
    }
  });

  test('after editing and running a cell, Ctrl+S writes the new source and outputs', async ({ page, server }) => {
    const panel = await openNotebook(page, 'edit.ipynb', 2);
    await expectKernelIdle(panel);
    await expectClean(page, 'edit.ipynb');
    await setCellText(page, panel, 0, 'for w in ["new", "source"]:\n    print(w)');
    await expectDirty(page, 'edit.ipynb');
    await page.keyboard.press('Control+Enter');
    await expect(outputs(panel, 0, 'stream')).toHaveText('new\nsource');
    await page.keyboard.press('Control+S');
    await expectClean(page, 'edit.ipynb');

    const file = path.join(server.root, 'edit.ipynb');
    const nb = readNotebook(file);
    expect(nb.cells.map((c) => joined(c.source))).toEqual(['for w in ["new", "source"]:\n    print(w)', '# Notes']);
    const cell = nb.cells[0]!;
    expect(cell.execution_count).toBe(1);
    expect(cell.outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['new\n', 'source\n'] }]);
    expect(nb.cells.map((c) => c.id)).toEqual(['cell-0', 'cell-1']);
    expect((nb.metadata.kernelspec as { name: string }).name).toBe('python3');
    expect((nb.metadata.language_info as { name: string }).name).toBe('python');
    // A notebook nbformat accepts, and the way Jupyter writes it (indent 1, final newline).
    python('import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))', file);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\{\n "cells": \[\n  \{\n/);
    expect(fs.readFileSync(file, 'utf8').endsWith('}\n')).toBe(true);
  });

  test('a malformed notebook shows an error and is never written, even by Ctrl+S', async ({ page, server }) => {
    const file = path.join(server.root, 'bad.ipynb');
    const original = fs.readFileSync(file);
    const writes: string[] = [];
    page.on('request', (req) => {
      if (req.method() !== 'GET' && req.url().includes('/api/contents/')) writes.push(`${req.method()} ${req.url()}`);
    });
    await fileRow(page, 'bad.ipynb').dblclick();
    const panel = notebookPanel(page, 'bad.ipynb');
    const error = panel.getByTestId('notebook-error');
    await expect(error).toBeVisible();
    await expect(error).toContainText('bad.ipynb');
    await expect(error).toContainText('could not be opened');
    await expect(cells(panel)).toHaveCount(0);

    // Ctrl+S and the toolbar's save button each report that the file is never saved
    // (and Ctrl+S does not fall through to the browser's "Save page as").
    const refusals = page.locator('[data-testid="notification"][data-type="error"]', { hasText: 'never saved' });
    await page.keyboard.press('Control+S');
    await expect(refusals).toHaveCount(1);
    await toolbarButton(panel, 'notebook:save').click();
    await expect(refusals).toHaveCount(2);
    expect(fs.readFileSync(file).equals(original)).toBe(true);
    expect(writes).toEqual([]);
    await expectClean(page, 'bad.ipynb');
  });

  /** Change a cell's source in the file on disk, as another program would. */
  function editOnDisk(file: string, index: number, source: string): Buffer {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    nb.cells[index].source = source;
    fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
    // Later than anything the server recorded, even on a coarse clock.
    const future = new Date(Date.now() + 2000);
    fs.utimesSync(file, future, future);
    return fs.readFileSync(file);
  }

  test('a file changed on disk: saving asks; Cancel keeps the disk version, Overwrite writes ours, Reload shows the disk one', async ({
    page,
    server
  }) => {
    const file = path.join(server.root, 'changed.ipynb');
    const panel = await openNotebook(page, 'changed.ipynb', 2);
    const dialog = page.getByTestId('dialog');
    const button = (id: string) => dialog.locator(`.ja-Dialog-button[data-id="${id}"]`);

    // Edit first: a clean notebook whose file changes on disk reloads itself (faults.spec.ts).
    await setCellText(page, panel, 0, 'a = "ours"');
    await page.keyboard.press('Escape');
    await expectDirty(page, 'changed.ipynb');
    let onDisk = editOnDisk(file, 1, 'b = "from disk"');
    await page.keyboard.press('Control+S');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText('changed on disk');
    await button('cancel').click();
    await expect(dialog).toBeHidden();
    await expectDirty(page, 'changed.ipynb');
    expect(fs.readFileSync(file).equals(onDisk), 'Cancel leaves the file alone').toBe(true);
    await expect(cellInputs(panel)).toHaveText(['a = "ours"', 'b = 2']);

    await page.keyboard.press('Control+S');
    await expect(dialog).toBeVisible();
    await button('overwrite').click();
    await expect(dialog).toBeHidden();
    await expectClean(page, 'changed.ipynb');
    expect(readNotebook(file).cells.map((c) => joined(c.source)), 'Overwrite writes ours').toEqual(['a = "ours"', 'b = 2']);

    // Changed on disk again; this time reload it.
    await setCellText(page, panel, 0, 'a = "ours, lost"');
    await page.keyboard.press('Escape');
    await expectDirty(page, 'changed.ipynb');
    onDisk = editOnDisk(file, 1, 'b = "from disk again"');
    await page.keyboard.press('Control+S');
    await expect(dialog).toBeVisible();
    await button('reload').click();
    await expect(dialog).toBeHidden();
    await expect(cellInputs(panel)).toHaveText(['a = "ours"', 'b = "from disk again"']);
    await expectClean(page, 'changed.ipynb');
    expect(fs.readFileSync(file).equals(onDisk), 'Reload does not write').toBe(true);
  });

  test('closing a tab with unsaved changes asks: Cancel keeps it, Discard drops them, Save writes before closing', async ({
    page,
    server
  }) => {
    const file = path.join(server.root, 'changed.ipynb');
    const original = fs.readFileSync(file);
    const dialog = page.getByTestId('dialog');
    const button = (id: string) => dialog.locator(`.ja-Dialog-button[data-id="${id}"]`);
    const closeTab = () => tab(page, 'changed.ipynb').getByTestId('tab-close').click();

    let panel = await openNotebook(page, 'changed.ipynb', 2);
    await setCellText(page, panel, 0, 'a = "unsaved"');
    await page.keyboard.press('Escape');
    await expectDirty(page, 'changed.ipynb');
    await closeTab();
    await expect(dialog).toContainText('unsaved changes');
    await button('cancel').click();
    await expect(panel).toBeVisible();
    await expect(cellInputs(panel).nth(0)).toHaveText('a = "unsaved"');

    await closeTab();
    await button('discard').click();
    await expect(panel).toHaveCount(0);
    expect(fs.readFileSync(file).equals(original), 'Discard does not write').toBe(true);

    panel = await openNotebook(page, 'changed.ipynb', 2);
    await expect(cellInputs(panel).nth(0)).toHaveText('a = 1');
    await setCellText(page, panel, 0, 'a = "saved on close"');
    await page.keyboard.press('Escape');
    await closeTab();
    await button('save').click();
    await expect(panel).toHaveCount(0);
    expect(joined(readNotebook(file).cells[0]!.source)).toBe('a = "saved on close"');
  });
});

test.describe('cell operations from the keyboard', () => {
  test.use({
    rootFiles: {
      'ops.ipynb': notebookJSON(['one', 'two', 'three'], { kernel: null }),
      'other.ipynb': notebookJSON(['gamma'], { kernel: null }),
      'many.ipynb': notebookJSON(Array.from({ length: 120 }, (_, i) => `# Part ${i}\n\nText $x_{${i}}$ of part ${i}.`).map((source) => ({ type: 'markdown' as const, source })), { kernel: null }),
      'types.ipynb': notebookJSON(
        [
          '# Heading\nSome *emphasis*',
          'print(1)',
          { source: 'print("hello")', execution_count: 1, outputs: [streamOutput('hello\n')] }
        ],
        { kernel: null }
      ),
      'merge.ipynb': notebookJSON(['a = 1', 'b = 2', 'c = 3', 'first = 1\nsecond = 2'], { kernel: null })
    }
  });

  test('A and B insert, D D deletes, Z and Shift+Z undo and redo; X and V move a cell, C and Shift+V copy one', async ({
    page
  }) => {
    const panel = await openNotebook(page, 'ops.ipynb', 3);
    await selectCell(panel, 1);
    await page.keyboard.press('b');
    await expect(cellInputs(panel)).toHaveText(['one', 'two', '', 'three']);
    await expect(cells(panel).nth(2)).toHaveClass(/ja-mod-active/);
    await page.keyboard.press('a');
    await expect(cellInputs(panel)).toHaveText(['one', 'two', '', '', 'three']);
    await expect(cells(panel).nth(2)).toHaveClass(/ja-mod-active/);
    await expectDirty(page, 'ops.ipynb');

    await page.keyboard.press('k');
    await expect(cells(panel).nth(1)).toHaveClass(/ja-mod-active/);
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect(cellInputs(panel)).toHaveText(['one', '', '', 'three']);
    await page.keyboard.press('z');
    await expect(cellInputs(panel)).toHaveText(['one', 'two', '', '', 'three']);
    await page.keyboard.press('Shift+Z');
    await expect(cellInputs(panel)).toHaveText(['one', '', '', 'three']);
    // Undo back to the start.
    for (let i = 0; i < 3; i++) await page.keyboard.press('z');
    await expect(cellInputs(panel)).toHaveText(['one', 'two', 'three']);

    // X then V: a move.
    await selectCell(panel, 0);
    await page.keyboard.press('x');
    await expect(cellInputs(panel)).toHaveText(['two', 'three']);
    await expect(cells(panel).nth(0)).toHaveClass(/ja-mod-active/);
    await page.keyboard.press('v');
    await expect(cellInputs(panel)).toHaveText(['two', 'one', 'three']);
    await expect(cells(panel).nth(1)).toHaveClass(/ja-mod-active/);
    // C then Shift+V: a copy, above.
    await page.keyboard.press('c');
    await page.keyboard.press('j');
    await page.keyboard.press('Shift+V');
    await expect(cellInputs(panel)).toHaveText(['two', 'one', 'one', 'three']);
    await expect(cells(panel).nth(2)).toHaveClass(/ja-mod-active/);
    // Pasted cells are new cells: no duplicate ids.
    const ids = await cells(panel).evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.cellId));
    expect(new Set(ids).size).toBe(4);
  });

  test('C in one notebook and V in another pastes the cell there', async ({ page }) => {
    const ops = await openNotebook(page, 'ops.ipynb', 3);
    await selectCell(ops, 1);
    await page.keyboard.press('c');
    const other = await openNotebook(page, 'other.ipynb', 1);
    await selectCell(other, 0);
    await page.keyboard.press('v');
    await expect(cellInputs(other)).toHaveText(['gamma', 'two']);
    await expectDirty(page, 'other.ipynb');

    await tab(page, 'ops.ipynb').click();
    await expect(ops).toBeVisible();
    await expect(cellInputs(ops)).toHaveText(['one', 'two', 'three']);
    await expectClean(page, 'ops.ipynb');

    // After a click on its tab, the notebook has the keyboard: V pastes there at once.
    await expectCommandMode(ops);
    await page.keyboard.press('v');
    await expect(cellInputs(ops)).toHaveText(['one', 'two', 'two', 'three']);
  });

  test('a paste of many cells: all there, the ones on screen drawn, the far ones drawn when scrolled to; Z takes it back', async ({
    page
  }) => {
    const panel = await openNotebook(page, 'many.ipynb', 120);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('c');
    await showCell(panel, 119);
    await selectCell(panel, 119);
    await page.keyboard.press('v');
    await expect(cells(panel)).toHaveCount(240);
    // The last pasted cell is active and drawn (Markdown rendered, its math typeset).
    const last = cells(panel).nth(239);
    await expect(last).toHaveClass(/ja-mod-active/);
    await expect(last.locator('.ja-Cell-rendered h1')).toHaveText('Part 119');
    await expect(last.locator('.ja-Math math')).toHaveCount(1);
    // The first pasted cell, far from there, is drawn once scrolled to.
    const first = await showCell(panel, 120);
    await expect(first.locator('.ja-Cell-rendered h1')).toHaveText('Part 0');
    await expectDirty(page, 'many.ipynb');
    await page.keyboard.press('z');
    await expect(cells(panel)).toHaveCount(120);
  });

  test('M, R and Y change the cell type, Shift+Enter renders Markdown; O collapses and expands outputs', async ({ page }) => {
    const panel = await openNotebook(page, 'types.ipynb', 3);
    const first = cells(panel).nth(0);
    await selectCell(panel, 0);
    await page.keyboard.press('m');
    await expect(first).toHaveAttribute('data-type', 'markdown');
    await expect(panel.getByTestId('cell-type')).toHaveValue('markdown');
    await page.keyboard.press('Shift+Enter');
    await expect(first.locator('.ja-Cell-rendered h1')).toHaveText('Heading');
    await expect(first.locator('.ja-Cell-rendered em')).toHaveText('emphasis');
    await expect(first.locator('.ja-Cell-rendered')).toBeVisible();
    await expect(first.locator('.ja-Cell-input')).toBeHidden();
    await expect(cells(panel).nth(1)).toHaveClass(/ja-mod-active/);

    await page.keyboard.press('r');
    await expect(cells(panel).nth(1)).toHaveAttribute('data-type', 'raw');
    await expect(panel.getByTestId('cell-type')).toHaveValue('raw');
    await page.keyboard.press('y');
    await expect(cells(panel).nth(1)).toHaveAttribute('data-type', 'code');
    await expect(panel.getByTestId('cell-type')).toHaveValue('code');
    // The rendered Markdown cell above shows no input: count inputs by cell.
    await expect(cellInput(panel, 1)).toHaveText('print(1)');

    // Back to code: the Markdown source is the code.
    await page.keyboard.press('k');
    await page.keyboard.press('y');
    await expect(first).toHaveAttribute('data-type', 'code');
    await expect(first.locator('.ja-Cell-rendered')).toHaveCount(0);
    await expect(cellInput(panel, 0)).toHaveText('# HeadingSome *emphasis*');

    // O hides the outputs of the selected cell, and shows them again.
    const cell = cells(panel).nth(2);
    const stream = outputs(panel, 2, 'stream');
    await expect(stream).toHaveText('hello');
    const height = async () => (await cell.locator('.ja-Cell-outputs').boundingBox())!.height;
    const fullHeight = await height();
    await selectCell(panel, 2);
    await page.keyboard.press('o');
    await expect(cell).toHaveClass(/ja-mod-outputCollapsed/);
    await expect.poll(height).toBeLessThan(fullHeight);
    await page.keyboard.press('o');
    await expect(cell).not.toHaveClass(/ja-mod-outputCollapsed/);
    await expect(stream).toBeVisible();
    await expect.poll(height).toBe(fullHeight);

    // The collapser bars do the same with the mouse, and are saved as JupyterLab saves them.
    await cell.getByTestId('output-collapser').click();
    await expect(cell).toHaveClass(/ja-mod-outputCollapsed/);
    await expect(stream).toBeHidden();
    await cell.locator('.ja-Cell-outputs').click({ position: { x: 40, y: 4 } }); // the placeholder expands them
    await expect(stream).toBeVisible();
    await cell.getByTestId('input-collapser').click();
    await expect(cell).toHaveClass(/ja-mod-inputCollapsed/);
    const inputHeight = (await cell.locator('.ja-Cell-editor').boundingBox())!.height;
    expect(inputHeight).toBeLessThan(20);
    await cell.getByTestId('input-collapser').click();
    await expect(cell).not.toHaveClass(/ja-mod-inputCollapsed/);
    await expect(cellInputs(panel).nth(2)).toHaveText('print("hello")');
  });

  test('Shift+click and Shift+Down select several cells, Shift+M merges them; Ctrl+Shift+Minus splits at the cursor', async ({
    page
  }) => {
    const panel = await openNotebook(page, 'merge.ipynb', 4);
    const all = cells(panel);
    await selectCell(panel, 0);
    await all.nth(2).click({ position: CELL_MARGIN, modifiers: ['Shift'] });
    for (const i of [0, 1, 2]) await expect(all.nth(i)).toHaveClass(/ja-mod-selected/);
    await expect(all.nth(2)).toHaveClass(/ja-mod-active/);
    await expect(all.nth(3)).not.toHaveClass(/ja-mod-selected/);

    await selectCell(panel, 0);
    await expect(panel.locator('.ja-mod-selected')).toHaveCount(0);
    await page.keyboard.press('Shift+ArrowDown');
    await expect(all.nth(0)).toHaveClass(/ja-mod-selected/);
    await expect(all.nth(1)).toHaveClass(/ja-mod-selected/);
    await expect(all.nth(2)).not.toHaveClass(/ja-mod-selected/);
    await page.keyboard.press('Shift+M');
    await expect(all).toHaveCount(3);
    await expect(panel.locator('.ja-mod-selected')).toHaveCount(0);
    await expect(all.nth(0)).toHaveClass(/ja-mod-active/);
    // The merged source keeps both cells' lines, separated by a blank line.
    await page.keyboard.press('Enter');
    await expectEditMode(panel, 0);
    await expect(all.nth(0).locator('.cm-line')).toHaveText(['a = 1', '', 'b = 2']);
    await page.keyboard.press('Escape');
    await expectCommandMode(panel);
    await page.keyboard.press('z');
    await expect(cellInputs(panel)).toHaveText(['a = 1', 'b = 2', 'c = 3', /^first = 1\s*second = 2$/]);

    // Split the last cell at the start of its second line.
    await selectCell(panel, 3);
    await page.keyboard.press('Enter');
    await expectEditMode(panel, 3);
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Home');
    await page.keyboard.press('Control+Shift+Minus');
    await expect(all).toHaveCount(5);
    await expect(cellInputs(panel)).toHaveText(['a = 1', 'b = 2', 'c = 3', 'first = 1', 'second = 2']);
    // Editing goes on at the start of the second part.
    await expectEditMode(panel, 4);
    await page.keyboard.type('x');
    await expect(cellInputs(panel).nth(4)).toHaveText('xsecond = 2');
  });
});

test.describe('modes', () => {
  test.use({ rootFiles: { 'modes.ipynb': notebookJSON(['x = 1', 'y = 2'], { kernel: null }) } });

  test('Enter and clicks enter edit mode, Escape leaves it; letters typed in edit mode are text, not commands', async ({
    page
  }) => {
    const panel = await openNotebook(page, 'modes.ipynb', 2);
    const status = page.getByTestId('notebook-status');
    await selectCell(panel, 1);
    await expect(status).toContainText('Mode: Command');
    await page.keyboard.press('Enter');
    await expectEditMode(panel, 1);
    await expect(status).toContainText('Mode: Edit');
    await page.keyboard.press('End');
    // a, b, d d, m, x, z, o, y, 0 0 and i i are all commands in command mode.
    await page.keyboard.type(' # abddmxzoy00ii');
    await expect(cellInputs(panel)).toHaveText(['x = 1', 'y = 2 # abddmxzoy00ii']);
    await expect(cells(panel).nth(1)).toHaveAttribute('data-type', 'code');
    await expect(page.getByTestId('dialog')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expectCommandMode(panel);
    await expect(status).toContainText('Mode: Command');
    // In command mode the same letters are commands again.
    await page.keyboard.press('b');
    await expect(cells(panel)).toHaveCount(3);

    // A click into an editor is edit mode; a click beside a cell is command mode.
    await cells(panel).nth(0).locator('.ja-Cell-editor').click();
    await expectEditMode(panel, 0);
    await expect(status).toContainText('Mode: Edit');
    await selectCell(panel, 1);
    await expect(status).toContainText('Mode: Command');
  });
});

test.describe('a large notebook', () => {
  const N = 2000;
  const big = notebookJSON(
    Array.from({ length: N }, (_, i) => ({ source: `x = ${i}\nprint(x)`, execution_count: i + 1, outputs: [streamOutput(`${i}\n`)] })),
    { kernel: null }
  );
  test.use({ rootFiles: { 'big.ipynb': big, 'small.txt': 'small\n' } });

  test('2,000 cells open with few editors and few drawn cells, and moving with ArrowDown stays responsive', async ({ page }) => {
    test.setTimeout(240_000);
    const panel = await openNotebook(page, 'big.ipynb', N);
    const all = cells(panel);
    const drawn = panel.locator('[data-testid="cell"]:not(.ja-mod-unbuilt)');
    await expect(all.nth(0)).toBeInViewport();
    await expect(outputs(panel, 0, 'stream')).toHaveText('0');
    // Only the cells near the viewport get a CodeMirror editor.
    await expect(all.nth(0).locator('.cm-editor')).toBeVisible();
    const editors = await panel.locator('.cm-editor').count();
    expect(editors).toBeGreaterThan(0);
    expect(editors).toBeLessThan(200);
    // Only the cells near the screen are drawn; the others are empty shells, in order.
    await expect(notebookNode(panel)).toHaveAttribute('data-built', 'near', { timeout: 150_000 });
    expect(await drawn.count()).toBeLessThan(150);
    await expect(all.nth(N - 1)).toHaveClass(/ja-mod-unbuilt/);
    await expect(all.nth(N - 1).locator('pre.ja-Cell-static')).toHaveCount(0);

    await selectCell(panel, 0);
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowDown');
    await expect(all.nth(30)).toHaveClass(/ja-mod-active/);
    await expect(panel.locator('[data-testid="cell"].ja-mod-active')).toHaveCount(1);
    await expect(all.nth(30)).toBeInViewport();
    await expect(all.nth(30).locator(':is(.cm-content, pre.ja-Cell-static)')).toHaveText(/^x = 30\s*print\(x\)$/);
    // The page still answers a click elsewhere.
    await fileRow(page, 'small.txt').click();
    await expect(fileRow(page, 'small.txt')).toHaveAttribute('aria-selected', 'true');
    expect(await panel.locator('.cm-editor').count()).toBeLessThan(200);

    // Far from the screen, editors nobody typed in go back to static text; an editor
    // that was used keeps its undo history.
    await selectCell(panel, 2);
    await page.keyboard.press('Enter');
    // Polled as a count: a failed expect on a missing element makes Playwright snapshot the
    // ARIA tree of the whole page (2,000 cells) for its report, seconds of the main thread.
    await expect.poll(() => all.nth(2).locator('.cm-editor.cm-focused').count()).toBe(1);
    await page.keyboard.press('Escape');
    // Cells above may still be building in the background and move the page: scroll
    // again until the last cell settles on screen with its editor.
    await expect(async () => {
      await all.nth(N - 1).scrollIntoViewIfNeeded();
      await expect.poll(() => all.nth(N - 1).locator('.cm-editor').count(), { timeout: 2000 }).toBe(1);
    }).toPass({ timeout: 30_000 });
    await expect(all.nth(N - 1).locator('pre.ja-Cell-static, .cm-content')).toHaveText(/^x = 1999\s*print\(x\)$/);
    await expect(outputs(panel, N - 1, 'stream')).toHaveText('1999');
    // Far from the screen again, the first cells are shells; the used editor's cell is kept.
    await expect(all.nth(1)).toHaveClass(/ja-mod-unbuilt/);
    await expect(all.nth(1).locator('.cm-editor')).toHaveCount(0);
    await expect(all.nth(2).locator('.cm-editor')).toHaveCount(1);
    expect(await panel.locator('.cm-editor').count()).toBeLessThan(200);
    expect(await drawn.count()).toBeLessThan(150);
    // Back at the top, a cell is drawn again from its model.
    await all.nth(1).scrollIntoViewIfNeeded();
    await expect(all.nth(1).locator('pre.ja-Cell-static, .cm-content')).toHaveText(/^x = 1\s*print\(x\)$/);
    await expect(outputs(panel, 1, 'stream')).toHaveText('1');
  });

  test('while scrolling, cells show highlighted static text; a click on it edits at the clicked character', async ({ page }) => {
    const panel = await openNotebook(page, 'big.ipynb', N);
    await expect(notebookNode(panel)).toHaveAttribute('data-built', 'near', { timeout: 150_000 });
    // Scroll deep, then keep the scroller moving by a pixel each frame, as a hand on the
    // wheel does: editors wait for scrolling to rest, so the cells there stay static text.
    await notebookNode(panel).evaluate((nb) => {
      let el = nb.parentElement;
      while (el && !(/(auto|scroll)/.test(getComputedStyle(el).overflowY) && el.scrollHeight > el.clientHeight)) el = el.parentElement;
      const scroller = el!;
      scroller.scrollTop = 20_000;
      let d = 1;
      const w = window as unknown as { jitter: boolean };
      w.jitter = true;
      const tick = (): void => {
        if (!w.jitter) return;
        scroller.scrollTop += d;
        d = -d;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    // A static cell on screen whose number is highlighted as the editor highlights it, once
    // the cells around are drawn and it stays put for a few frames (cells drawn above move it).
    const target = async () =>
      notebookNode(panel).evaluate(async (nb) => {
        const find = () => {
          if (nb.dataset.built !== 'near') return null;
          const cellNodes = Array.from(nb.querySelectorAll('[data-testid="cell"]'));
          for (const span of Array.from(nb.querySelectorAll('pre.ja-Cell-static span'))) {
            const r = span.getBoundingClientRect();
            if (!/^\d+$/.test(span.textContent ?? '') || r.top < 150 || r.bottom > window.innerHeight - 150) continue;
            const cell = span.closest('[data-testid="cell"]')!;
            const color = getComputedStyle(span).color;
            const plain = getComputedStyle(span.parentElement!).color;
            return { index: cellNodes.indexOf(cell), x: Math.round(r.left + 1), y: Math.round(r.top + r.height / 2), number: span.textContent!, color, plain };
          }
          return null;
        };
        const first = find();
        for (let i = 0; i < 3; i++) await new Promise(requestAnimationFrame);
        const again = find();
        return first && again && first.index === again.index && Math.abs(first.y - again.y) <= 1 ? again : null;
      });
    let found: Awaited<ReturnType<typeof target>> = null;
    await expect.poll(async () => (found = await target()), { timeout: 30_000 }).not.toBeNull();
    const hit = found!;
    expect(hit.color).not.toBe(hit.plain);
    await page.mouse.click(hit.x, hit.y);
    await page.evaluate(() => ((window as unknown as { jitter: boolean }).jitter = false));
    await expect.poll(() => cells(panel).nth(hit.index).locator('.cm-editor.cm-focused').count()).toBe(1);
    await page.keyboard.type('Z');
    await expect(cells(panel).nth(hit.index).locator('.cm-content')).toHaveText(`x = Z${hit.number}print(x)`);
  });
});

test.describe('a long Markdown notebook', () => {
  const N = 300;
  const doc = notebookJSON(
    Array.from({ length: N }, (_, i) => ({
      type: 'markdown' as const,
      source:
        i === 0
          ? '# Contents\n\n[Jump to the end](#The-end)'
          : i === N - 1
            ? '## The end\n\nLast words.'
            : `Paragraph ${i}: some text with math $x_{${i}}^2$.\n\n- a list item\n- another`
    })),
    { kernel: null }
  );
  test.use({ rootFiles: { 'long.ipynb': doc } });

  test('only cells near the screen are drawn, and a link to a heading far below reaches it', async ({ page }) => {
    const panel = await openNotebook(page, 'long.ipynb', N);
    await expect(notebookNode(panel)).toHaveAttribute('data-built', 'near');
    expect(await panel.locator('[data-testid="cell"]:not(.ja-mod-unbuilt)').count()).toBeLessThan(60);
    const end = panel.getByRole('heading', { name: 'The end' });
    await expect(end).toHaveCount(0);
    await panel.getByRole('link', { name: 'Jump to the end' }).click();
    await expect(end).toBeInViewport();
    // The first cells, far above now, are shells again.
    await expect(cells(panel).nth(1)).toHaveClass(/ja-mod-unbuilt/);
  });
});
