import { expect, test } from './fixtures';
import { cells, expectKernelIdle, fileRow, notebookJSON, openNotebook } from './notebook-helpers';

test.describe('status bar', () => {
  test.use({ rootFiles: { 'nb.ipynb': notebookJSON(['']), 'notes.txt': 'first line\nsecond\n' } });

  test('shows the kernel and its state, the mode, the cursor line and column, and the running kernels', async ({ page }) => {
    const panel = await openNotebook(page, 'nb.ipynb', 1);
    await expectKernelIdle(panel);
    const status = page.getByTestId('notebook-status');
    await expect(status).toHaveText(/Python 3.*\| Idle \| Mode: Command/);
    await expect(page.getByTestId('status-running')).toHaveText(/^1 kernel\b/, { timeout: 30_000 });
    const cursor = page.getByTestId('status-cursor');
    await expect(cursor).toBeHidden();

    await cells(panel).first().locator('.ja-Cell-editor').click();
    await expect(status).toHaveText(/Mode: Edit/);
    await page.keyboard.type('abc');
    await expect(cursor).toHaveText('Ln 1, Col 4');
    await page.keyboard.press('Enter');
    await page.keyboard.type('x');
    await expect(cursor).toHaveText('Ln 2, Col 2');
    await page.keyboard.press('Escape');
    await expect(status).toHaveText(/Mode: Command/);
    await expect(cursor).toBeHidden();

    // A text editor shows its cursor too.
    await fileRow(page, 'notes.txt').dblclick();
    const editor = page.locator('[data-testid="document"][data-path="notes.txt"] .cm-content');
    await editor.click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await expect(cursor).toHaveText('Ln 2, Col 7');
    // The notebook's kernel and mode are not shown while another tab is the current one.
    await expect(status).toHaveText('');
    await page.locator('.dv-tab', { hasText: 'nb.ipynb' }).click();
    await expect(status).toHaveText(/Python 3.*\| Idle \| Mode: Command/);
  });
});
