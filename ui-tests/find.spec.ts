/**
 * Find and replace in a notebook (Ctrl+F): the bar below the toolbar, "N of M",
 * moving between matches, match case / regex options, replace one / all through
 * the cell models (dirty, undoable, saved), Escape back to command mode, and a
 * 2,000-cell notebook whose last cell is not built yet when searched.
 */
import path from 'node:path';
import { expect, test } from './fixtures';
import {
  cellInputs,
  cells,
  expectClean,
  expectCommandMode,
  expectDirty,
  joined,
  notebookJSON,
  notebookNode,
  openNotebook,
  readNotebook,
  saveWithKeys,
  selectCell,
  expectEditMode
} from './notebook-helpers';
import type { Locator, Page } from '@playwright/test';

function bar(panel: Locator): Locator {
  return panel.getByTestId('find-bar');
}

async function openFind(page: Page, panel: Locator): Promise<void> {
  await page.keyboard.press('Control+F');
  await expect(bar(panel)).toBeVisible();
  await expect(bar(panel).getByTestId('find-input')).toBeFocused();
}

test.describe('find and replace in a notebook', () => {
  test.use({
    rootFiles: {
      'find.ipynb': notebookJSON(
        [
          'x = 1',
          'total = 0\nfor value in range(3):\n    total += value',
          { type: 'markdown', source: '# The value of things\n\nSome *Value* here.' },
          'print(total)',
          { type: 'raw', source: 'raw value' }
        ],
        { kernel: null }
      )
    }
  });

  test('Ctrl+F finds matches in every cell, Enter moves between them, Escape returns to command mode', async ({ page }) => {
    const panel = await openNotebook(page, 'find.ipynb', 5);
    await selectCell(panel, 0);
    await openFind(page, panel);
    const count = bar(panel).getByTestId('find-count');
    await page.keyboard.type('total');
    // One in cell 1 (twice) and one in cell 3.
    await expect(count).toHaveText('1 of 3');
    await expect(cells(panel).nth(1)).toHaveClass(/ja-mod-active/);
    await page.keyboard.press('Enter');
    await expect(count).toHaveText('2 of 3');
    await page.keyboard.press('Enter');
    await expect(count).toHaveText('3 of 3');
    await expect(cells(panel).nth(3)).toHaveClass(/ja-mod-active/);
    // The match is selected in that cell's editor.
    await expect(cells(panel).nth(3).locator('.cm-selectionBackground')).toBeVisible();
    // Wraps round; Shift+Enter goes back.
    await page.keyboard.press('Enter');
    await expect(count).toHaveText('1 of 3');
    await page.keyboard.press('Shift+Enter');
    await expect(count).toHaveText('3 of 3');
    await page.keyboard.press('Shift+F3');
    await expect(count).toHaveText('2 of 3');
    await bar(panel).getByTestId('find-next').click();
    await expect(count).toHaveText('3 of 3');

    // Markdown source (even while rendered) and raw cells are searched too.
    const input = bar(panel).getByTestId('find-input');
    await input.fill('value');
    await expect(count).toHaveText(/ of 5$/);
    await bar(panel).getByTestId('find-case').click();
    await expect(count).toHaveText(/ of 4$/);
    await bar(panel).getByTestId('find-regex').click();
    await input.fill('[Vv]alue\\b');
    await expect(count).toHaveText(/ of 5$/);
    await input.fill('(unclosed');
    await expect(count).toHaveText(/Invalid regular expression/);
    await input.fill('nothing-like-this');
    await expect(count).toHaveText('No results');

    // Escape closes the bar; command-mode keys work again.
    await input.focus();
    await page.keyboard.press('Escape');
    await expect(bar(panel)).toBeHidden();
    await expectCommandMode(panel);
    await page.keyboard.press('B');
    await expect(cells(panel)).toHaveCount(6);
  });

  test('Replace and Replace all change the cells, mark the notebook dirty, and Ctrl+S writes them', async ({ page, server }) => {
    const panel = await openNotebook(page, 'find.ipynb', 5);
    await selectCell(panel, 0);
    await expectClean(page, 'find.ipynb');
    await openFind(page, panel);
    await page.keyboard.type('value');
    const count = bar(panel).getByTestId('find-count');
    await expect(count).toHaveText('1 of 5');
    await bar(panel).getByTestId('find-replace-toggle').click();
    const replace = bar(panel).getByTestId('find-replace-input');
    await expect(replace).toBeFocused();
    await replace.fill('item');
    await bar(panel).getByTestId('find-replace').click();
    await expect(count).toHaveText('1 of 4');
    await expect(cellInputs(panel).nth(1)).toHaveText(/for item in range\(3\):\s*total \+= value/);
    await expectDirty(page, 'find.ipynb');

    await bar(panel).getByTestId('find-replace-all').click();
    await expect(count).toHaveText('No results');
    const file = path.join(server.root, 'find.ipynb');
    await saveWithKeys(page, file);
    await expectClean(page, 'find.ipynb');
    expect(readNotebook(file).cells.map((c) => joined(c.source))).toEqual([
      'x = 1',
      'total = 0\nfor item in range(3):\n    total += item',
      '# The item of things\n\nSome *item* here.',
      'print(total)',
      'raw item'
    ]);

    // The replacement is an edit of the cell like any other: the editor's undo takes it back.
    await cells(panel).nth(1).locator('.cm-content').click();
    await expectEditMode(panel, 1);
    await page.keyboard.press('Control+Z');
    await expect(cellInputs(panel).nth(1)).toHaveText(/for item in range\(3\):\s*total \+= value/);
  });

  test('Ctrl+F in edit mode starts from the selected text', async ({ page }) => {
    const panel = await openNotebook(page, 'find.ipynb', 5);
    await cells(panel).nth(3).locator('.ja-Cell-editor').click();
    await expectEditMode(panel, 3);
    await page.keyboard.press('Home');
    await page.keyboard.press('Control+ArrowRight');
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Shift+ArrowLeft');
    // "(total" is selected; in plain text mode the parenthesis is literal.
    await page.keyboard.press('Control+F');
    await expect(bar(panel).getByTestId('find-input')).toHaveValue('(total');
    await expect(bar(panel).getByTestId('find-count')).toHaveText('1 of 1');
    // The browser's and CodeMirror's own search panels stay closed.
    await expect(panel.locator('.cm-search')).toHaveCount(0);
  });
});

// Traces keep screenshots and the action log but no DOM snapshots: copying the page of
// the 2,000-cell test before and after every action took tens of seconds under load and
// timed it out while the app was idle.
test.use({ trace: { mode: 'retain-on-failure', snapshots: false, screenshots: true, sources: true } });

test.describe('find in a large notebook', () => {
  const N = 2000;
  const big = notebookJSON(
    Array.from({ length: N }, (_, i) => (i === N - 1 ? 'needle = "found"' : `x = ${i}\nprint(x)`)),
    { kernel: null }
  );
  test.use({ rootFiles: { 'big.ipynb': big } });

  test('a match in the last of 2,000 cells is found and shown', async ({ page }) => {
    test.setTimeout(90_000);
    const panel = await openNotebook(page, 'big.ipynb', N);
    await selectCell(panel, 0);
    await openFind(page, panel);
    await page.keyboard.type('needle');
    // Going to the last of 2,000 cells builds only that cell (NotebookView.revealCell), so
    // the default wait is enough. Polled as text: a failed `toHaveText` on the count while
    // it is empty (no box, so "not visible") makes Playwright take an ARIA snapshot of the
    // whole page for its report, seconds of the page's main thread with 2,000 cells.
    await expect.poll(() => bar(panel).getByTestId('find-count').textContent()).toBe('1 of 1');
    const last = cells(panel).nth(N - 1);
    await expect(last).toHaveClass(/ja-mod-active/);
    await expect(last).toBeInViewport();
    await expect(last.locator('.cm-content')).toHaveText('needle = "found"');
    await expect(notebookNode(panel)).toBeVisible();
  });
});
