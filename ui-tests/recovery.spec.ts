/**
 * Unsaved edits survive a crashed tab (issue 10, part 3): edits are kept in the
 * browser's IndexedDB within a second of typing; a page closed without saving (no
 * beforeunload, as a crash) and a new page opening the document offers them back,
 * listing what differs from the file on disk; a file changed on disk meanwhile is
 * warned about and never overwritten silently; a save drops the kept copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, gotoApp, test } from './fixtures';
import {
  cells,
  expectDirty,
  expectEditMode,
  fileRow,
  notebookJSON,
  notebookNode,
  notebookPanel,
  openNotebook,
  saveWithKeys,
  selectCell,
  tab
} from './notebook-helpers';
import { keptPaths, keptRecords } from './recovery-helpers';

/** The JSON text of every kept copy and kept part (what a crash would offer back), joined. */
async function keptJson(page: Page): Promise<string> {
  const { documents, parts } = await keptRecords(page);
  return [...documents, ...parts].map((r) => r.json).join('\n');
}

/**
 * Wait until crash recovery keeps `path` (alone) with `typed` in its copy. A copy is
 * written 400 ms after the first edit of a burst: when typing takes longer (a loaded
 * machine) the first copy holds only its start, and the rest follows 400 ms later.
 */
async function expectKept(page: Page, path: string, typed: string): Promise<void> {
  await expect.poll(() => keptPaths(page)).toEqual([path]);
  await expect.poll(() => keptJson(page)).toContain(typed);
}

const dialog = (page: Page) => page.getByTestId('dialog');

/** How many separately kept parts (cells, outputs) crash recovery holds. */
async function keptPartCount(page: Page): Promise<number> {
  return (await keptRecords(page)).parts.length;
}

// Big enough that keeping it whole after each edit would show; small enough for a loaded CI machine.
const BIG_CELLS = 500;
const bigNotebook = notebookJSON(
  Array.from({ length: BIG_CELLS }, (_, i) => ({
    source: `v${i} = ${i}`,
    execution_count: i + 1,
    outputs: [{ output_type: 'stream', name: 'stdout', text: [`${i}\n`] }]
  })),
  { kernel: null }
);

/**
 * Open draft.ipynb, type " + 41" at the end of its second cell, wait until the edit is
 * kept locally, then let the tab die (no beforeunload, nothing saved). Returns a second
 * page of the same browser, left blank.
 */
async function editCellTwoAndCrash(page: Page, context: BrowserContext): Promise<Page> {
  const panel = await openNotebook(page, 'draft.ipynb', 3);
  await selectCell(panel, 1);
  await page.keyboard.press('Enter');
  await expectEditMode(panel, 1);
  await page.keyboard.press('End');
  await page.keyboard.type(' + 41');
  await expectDirty(page, 'draft.ipynb');
  await expectKept(page, 'draft.ipynb', 'y = 2 + 41');
  const second = await context.newPage();
  await page.close({ runBeforeUnload: false });
  return second;
}

test.describe('crash recovery', () => {
  test.use({
    rootFiles: {
      'draft.ipynb': notebookJSON(['x = 1', 'y = 2', 'z = 3'], { kernel: null }),
      'notes.md': '# Notes\n\nfirst\n'
    }
  });

  test('a notebook closed without saving offers its edits back, listing the changed cell; Restore then Save keeps them', async ({
    page,
    context,
    server
  }) => {
    // The tab dies: no beforeunload, nothing saved.
    const second = await editCellTwoAndCrash(page, context);
    expect(JSON.parse(fs.readFileSync(path.join(server.root, 'draft.ipynb'), 'utf8')).cells[1].source).toEqual(['y = 2']);

    // Opened by its URL: the saved layout may also bring the tab back by itself.
    await gotoApp(second, server.appUrl('draft.ipynb'));
    const again = notebookPanel(second, 'draft.ipynb');
    await expect(cells(again)).toHaveCount(3);
    await expect(dialog(second)).toContainText('Restore unsaved changes?');
    await expect(dialog(second).getByTestId('recovery-difference')).toHaveText(['Cell 2 (code) changed: y = 2 + 41']);
    await expect(dialog(second).getByTestId('recovery-disk-changed')).toHaveCount(0);
    // Nothing is restored before the answer.
    await expect(cells(again).nth(1)).toContainText('y = 2');
    await expect(cells(again).nth(1)).not.toContainText('+ 41');
    await dialog(second).locator('[data-id="restore"]').click();

    await expect(cells(again).nth(1)).toContainText('y = 2 + 41');
    await expectDirty(second, 'draft.ipynb');
    await selectCell(again, 0);
    await saveWithKeys(second, path.join(server.root, 'draft.ipynb'));
    expect(JSON.parse(fs.readFileSync(path.join(server.root, 'draft.ipynb'), 'utf8')).cells[1].source).toEqual(['y = 2 + 41']);
    await expect.poll(() => keptPaths(second)).toEqual([]);
  });

  test('a cell removed on disk since the edits, that was not edited, is named in the dialog as lost; Restore brings the edit back', async ({
    page,
    context,
    server
  }) => {
    const second = await editCellTwoAndCrash(page, context);
    const file = path.join(server.root, 'draft.ipynb');
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    nb.cells.shift();
    fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');

    await gotoApp(second, server.appUrl('draft.ipynb'));
    const again = notebookPanel(second, 'draft.ipynb');
    await expect(cells(again)).toHaveCount(2);
    await expect(dialog(second)).toContainText('Restore unsaved changes?');
    await expect(dialog(second).getByTestId('recovery-missing')).toContainText('One cell you had not edited is no longer in the file');
    await dialog(second).locator('[data-id="restore"]').click();
    await expect(cells(again).nth(0)).toContainText('y = 2 + 41');
    await expect(cells(again).nth(1)).toContainText('z = 3');
  });

  test('a notebook rewritten on disk since the edits with new cell ids: its cells are matched by place, nothing is lost', async ({
    page,
    context,
    server
  }) => {
    const second = await editCellTwoAndCrash(page, context);

    // Another program rewrites the notebook: same sources, new cell ids.
    const file = path.join(server.root, 'draft.ipynb');
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    nb.cells.forEach((cell: { id: string }, i: number) => (cell.id = `rewritten-${i}`));
    fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');

    await gotoApp(second, server.appUrl('draft.ipynb'));
    const again = notebookPanel(second, 'draft.ipynb');
    await expect(cells(again)).toHaveCount(3);
    await expect(dialog(second)).toContainText('Restore unsaved changes?');
    await expect(dialog(second).getByTestId('recovery-disk-changed')).toBeVisible();
    await expect(dialog(second).getByTestId('recovery-missing')).toHaveCount(0);
    await dialog(second).locator('[data-id="restore"]').click();
    await expect(cells(again)).toHaveCount(3);
    await expect(cells(again).nth(0)).toContainText('x = 1');
    await expect(cells(again).nth(1)).toContainText('y = 2 + 41');
    await expect(cells(again).nth(2)).toContainText('z = 3');
    await expectDirty(second, 'draft.ipynb');
  });

  test('a file changed on disk since the edits is warned about, never overwritten; Discard drops the copy', async ({
    page,
    context,
    server
  }) => {
    const file = path.join(server.root, 'notes.md');
    await fileRow(page, 'notes.md').dblclick();
    const editor = page.locator('[data-testid="document"][data-path="notes.md"]');
    await expect(editor.locator('.cm-line')).toHaveText(['# Notes', '', 'first', '']);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('mine');
    await expect(tab(page, 'notes.md')).toHaveText('● notes.md');
    await expectKept(page, 'notes.md', 'first\\nmine');

    const second = await context.newPage();
    await page.close({ runBeforeUnload: false });
    // Meanwhile another program changes the file.
    fs.writeFileSync(file, '# Notes\n\ntheirs\n');
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);

    await gotoApp(second, server.appUrl('notes.md'));
    const editor2 = second.locator('[data-testid="document"][data-path="notes.md"]');
    await expect(dialog(second)).toContainText('Restore unsaved changes?');
    await expect(dialog(second).getByTestId('recovery-disk-changed')).toContainText('The file on disk changed after these edits were made');
    await expect(dialog(second).getByTestId('recovery-difference')).toHaveText(['Lines 3–4 differ (2 on disk, 2 kept)']);
    await expect(editor2.locator('.cm-line')).toHaveText(['# Notes', '', 'theirs', '']);
    await dialog(second).locator('[data-id="discard"]').click();

    await expect(dialog(second)).toHaveCount(0);
    await expect(editor2.locator('.cm-line')).toHaveText(['# Notes', '', 'theirs', '']);
    await expect(tab(second, 'notes.md')).toHaveText('notes.md');
    await expect.poll(() => keptPaths(second)).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe('# Notes\n\ntheirs\n');
  });

  test.describe('on a 500-cell notebook', () => {
    // Clicks wait for a page of 500 cells to be hit-testable: slow on a loaded machine.
    test.use({ rootFiles: { 'big.ipynb': bigNotebook }, actionTimeout: 60_000 });

    test('only the edited cell is kept, and Restore brings the edit back into the whole notebook', async ({ page, context, server }) => {
      test.setTimeout(240_000);
      const panel = await openNotebook(page, 'big.ipynb', BIG_CELLS);
      // Cells near the screen are built in slices that move the page: click once they are.
      await expect(notebookNode(panel)).toHaveAttribute('data-built', 'near', { timeout: 90_000 });
      await selectCell(panel, 1);
      await page.keyboard.press('Enter');
      await expectEditMode(panel, 1);
      await page.keyboard.press('End');
      await page.keyboard.type(' + 41');
      await expectDirty(page, 'big.ipynb');
      await expectKept(page, 'big.ipynb', 'v1 = 1 + 41');
      // The edited cell alone (its outputs did not change): not 500 cells' worth.
      await expect.poll(() => keptPartCount(page)).toBe(1);

      const second = await context.newPage();
      await page.close({ runBeforeUnload: false });
      await gotoApp(second, server.appUrl('big.ipynb'));
      const again = notebookPanel(second, 'big.ipynb');
      await expect(cells(again)).toHaveCount(BIG_CELLS, { timeout: 60_000 });
      await expect(notebookNode(again)).toHaveAttribute('data-built', 'near', { timeout: 90_000 });
      await expect(dialog(second)).toContainText('Restore unsaved changes?', { timeout: 60_000 });
      await expect(dialog(second).getByTestId('recovery-difference')).toHaveText(['Cell 2 (code) changed: v1 = 1 + 41']);
      await dialog(second).locator('[data-id="restore"]').click();

      // Restoring rebuilds the view from the kept notebook, in slices.
      await expect(notebookNode(again)).toHaveAttribute('data-built', 'near', { timeout: 90_000 });
      await expect(cells(again).nth(1)).toContainText('v1 = 1 + 41');
      await expectDirty(second, 'big.ipynb');
      await selectCell(again, 0);
      await saveWithKeys(second, path.join(server.root, 'big.ipynb'));
      const saved = JSON.parse(fs.readFileSync(path.join(server.root, 'big.ipynb'), 'utf8'));
      expect(saved.cells).toHaveLength(BIG_CELLS);
      expect(saved.cells[1].source).toEqual(['v1 = 1 + 41']);
      // Every other cell is the file's, outputs included.
      const before = JSON.parse(bigNotebook);
      const others = (nb: { cells: unknown[] }) => nb.cells.filter((_, i) => i !== 1);
      expect(others(saved)).toEqual(others(before));
      await expect.poll(() => keptPaths(second)).toEqual([]);
    });
  });
});
