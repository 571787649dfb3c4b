import { expect, test } from './fixtures';
import { fileRow, notebookJSON, openNotebook } from './notebook-helpers';

test.describe('keyboard shortcut help', () => {
  test.use({ rootFiles: { 'nb.ipynb': notebookJSON(['x = 1']) } });

  test('H in command mode lists the notebook shortcuts that apply there and a searchable list of all', async ({ page }) => {
    const panel = await openNotebook(page, 'nb.ipynb', 1);
    const notebook = panel.getByTestId('notebook');
    await notebook.focus();
    await page.keyboard.press('h');
    const help = page.getByTestId('shortcut-help');
    await expect(help).toBeVisible();
    const here = help.getByTestId('shortcut-help-here');
    await expect(here.locator('[data-command="notebook:delete-cell"]')).toContainText('D, D');
    await expect(here.locator('[data-command="notebook:delete-cell"]')).toContainText('Notebook, command mode');
    // Edit-mode and file browser shortcuts do not apply on the notebook in command mode.
    await expect(here.locator('[data-command="notebook:enter-command-mode"]')).toHaveCount(0);
    await expect(here.locator('[data-command="filebrowser:rename"]')).toHaveCount(0);
    const all = help.getByTestId('shortcut-help-all');
    await expect(all.locator('[data-command="palette:open"]', { hasText: 'Ctrl+Shift+C' })).toHaveCount(1);
    await expect(all.locator('[data-command="filebrowser:rename"]')).toContainText('F2');

    await help.getByTestId('shortcut-help-search').fill('split cell');
    await expect(all.getByTestId('shortcut-row')).toHaveCount(1);
    await expect(all.getByTestId('shortcut-row')).toContainText('Ctrl+Shift+-');
    await page.keyboard.press('Escape');
    await expect(help).toHaveCount(0);
    await expect(notebook).toBeFocused();
  });

  test('Ctrl+Shift+H in the file browser shows the file browser shortcuts where the focus is', async ({ page }) => {
    await fileRow(page, 'nb.ipynb').click();
    await page.keyboard.press('Control+Shift+H');
    const here = page.getByTestId('shortcut-help-here');
    await expect(here.locator('[data-command="filebrowser:rename"]')).toContainText('F2');
    await expect(here.locator('[data-command="notebook:delete-cell"]')).toHaveCount(0);
  });
});
