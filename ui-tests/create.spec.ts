import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures';

test.describe('creating files', () => {
  test.use({ rootFiles: { 'project/': '' } });

  test('New Notebook creates Untitled.ipynb in the current folder, opens it with the default kernel, ready to run', async ({
    page,
    server
  }) => {
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="project"]')).dblclick();
    await expect(page.getByTestId('filebrowser-breadcrumbs')).toContainText('project');
    await page.locator('.ja-FileBrowser-toolbar [data-command="filebrowser:new-notebook"]').click();

    const panel = page.locator('[data-testid="document"][data-path="project/Untitled.ipynb"]');
    await expect(panel.getByTestId('cell')).toHaveCount(1);
    await expect(page.getByTestId('filebrowser-item').and(page.locator('[data-name="Untitled.ipynb"]'))).toBeVisible();
    await expect(panel.locator('[data-testid="kernel-status"][data-status="idle"]')).toBeVisible({ timeout: 30_000 });

    await panel.getByTestId('cell').first().locator('.ja-Cell-editor').click();
    await page.keyboard.type('6 * 7');
    await page.keyboard.press('Shift+Enter');
    await expect(panel.locator('.ja-Output[data-output-type="execute_result"]')).toHaveText(/42/);

    const nb = JSON.parse(fs.readFileSync(path.join(server.root, 'project', 'Untitled.ipynb'), 'utf8'));
    expect(nb.metadata.kernelspec.name).toBe('python3');
    expect(nb.nbformat_minor).toBe(5);
  });

  test('New Folder creates an untitled folder that appears in the list', async ({ page, server }) => {
    await page.locator('.ja-FileBrowser-toolbar [data-command="filebrowser:new-folder"]').click();
    await expect(page.getByTestId('filebrowser-item').and(page.locator('[data-name="Untitled Folder"]'))).toBeVisible();
    expect(fs.statSync(path.join(server.root, 'Untitled Folder')).isDirectory()).toBe(true);
  });
});
