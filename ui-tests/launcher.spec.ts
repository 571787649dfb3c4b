import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fileRow, notebookPanel, tab } from './notebook-helpers';

/** The launcher in the empty main area. */
function watermarkLauncher(page: Page): Locator {
  return page.getByTestId('dock-watermark').getByTestId('launcher');
}

/** The launcher opened as a tab (the visible one). */
function launcherTab(page: Page): Locator {
  return page.locator('.ja-DockPanel [data-testid="launcher"]:visible');
}

function card(launcher: Locator, command: string, extra = ''): Locator {
  return launcher.locator(`[data-testid="launcher-card"][data-command="${command}"]${extra}`);
}

async function enterProject(page: Page): Promise<void> {
  await fileRow(page, 'project').dblclick();
  await expect(page.getByTestId('filebrowser-breadcrumbs')).toContainText('project');
}

/** Wait until `rel` exists under the server root (the host writes it). */
async function expectFile(root: string, rel: string): Promise<void> {
  await expect.poll(() => fs.existsSync(path.join(root, rel))).toBe(true);
}

test.describe('launcher', () => {
  test.use({ rootFiles: { 'project/': '' } });

  test('the empty main area shows the launcher for the current folder; a kernel card creates a notebook there with that kernel', async ({
    page,
    server
  }) => {
    const launcher = watermarkLauncher(page);
    await expect(launcher.getByTestId('launcher-cwd')).toHaveText('Create in /');
    await enterProject(page);
    await expect(launcher.getByTestId('launcher-cwd')).toHaveText('Create in /project');

    const python = card(launcher, 'notebook:create-new', '[data-kernel="python3"]');
    await expect(python).toHaveText(/Python 3/);
    // The kernelspec's logo is an <img> of its URL, and it loads.
    const logo = python.locator('img');
    await expect(logo).toHaveAttribute('src', /kernelspecs\/python3\/logo-64x64\.png$/);
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    // Consoles (one card per kernelspec) and terminals come from their own plugins.
    await expect(card(launcher, 'console:create', '[data-kernel="python3"]')).toHaveCount(1);
    await expect(card(launcher, 'terminal:create-new')).toHaveCount(1);

    await python.click();
    const panel = notebookPanel(page, 'project/Untitled.ipynb');
    await expect(panel.getByTestId('cell')).toHaveCount(1);
    await expect(panel.locator('[data-testid="kernel-status"][data-status="idle"]')).toBeVisible({ timeout: 30_000 });
    const nb = JSON.parse(fs.readFileSync(path.join(server.root, 'project', 'Untitled.ipynb'), 'utf8'));
    expect(nb.metadata.kernelspec.name).toBe('python3');
    expect(nb.cells).toHaveLength(1);
    await expect(fileRow(page, 'Untitled.ipynb')).toBeVisible();
  });

  test('the file browser "+", the tab bar "+" and Ctrl+Shift+L open a launcher whose file cards create text, Markdown and Python files in the current folder', async ({
    page,
    server
  }) => {
    await enterProject(page);

    await page.locator('.ja-FileBrowser-toolbar [data-command="launcher:create"]').click();
    await expect(tab(page, 'Launcher')).toBeVisible();
    await expect(launcherTab(page).getByTestId('launcher-cwd')).toHaveText('Create in /project');
    await card(launcherTab(page), 'fileeditor:create-new', ':has-text("Text File")').click();
    await expect(page.locator('[data-testid="document"][data-path="project/untitled.txt"]')).toBeVisible();
    // The launcher gave its place to what it created.
    await expect(tab(page, 'Launcher')).toHaveCount(0);
    await expectFile(server.root, 'project/untitled.txt');

    await page.getByTestId('dock-new-launcher').first().click();
    await card(launcherTab(page), 'fileeditor:create-new', ':has-text("Markdown File")').click();
    await expect(page.locator('[data-testid="document"][data-path="project/untitled.md"]')).toBeVisible();
    await expectFile(server.root, 'project/untitled.md');

    await page.getByTestId('filebrowser').click();
    await page.keyboard.press('Control+Shift+L');
    await card(launcherTab(page), 'fileeditor:create-new', ':has-text("Python File")').click();
    await expect(page.locator('[data-testid="document"][data-path="project/untitled.py"]')).toBeVisible();
    await expectFile(server.root, 'project/untitled.py');
    await expect(fileRow(page, 'untitled.py')).toBeVisible();
  });

  test('the filter narrows the cards and Enter runs the first; arrow keys move between cards and Enter runs one', async ({
    page,
    server
  }) => {
    await enterProject(page);
    await page.keyboard.press('Control+Shift+L');
    const launcher = launcherTab(page);
    const filter = launcher.getByTestId('launcher-filter');
    await expect(filter).toBeFocused();
    await filter.fill('mark');
    await expect(launcher.getByTestId('launcher-card')).toHaveCount(1);
    await expect(launcher.getByTestId('launcher-card')).toHaveText('New Markdown File');
    await filter.fill('nothing like this');
    await expect(launcher.getByTestId('launcher-card')).toHaveCount(0);
    await expect(launcher).toContainText('Nothing matches the filter');
    await filter.fill('markdown');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid="document"][data-path="project/untitled.md"]')).toBeVisible();
    await expectFile(server.root, 'project/untitled.md');

    await page.keyboard.press('Control+Shift+L');
    const second = launcherTab(page);
    await expect(second.getByTestId('launcher-filter')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(card(second, 'notebook:create-new', '[data-kernel="python3"]')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(card(second, 'console:create', '[data-kernel="python3"]')).toBeFocused();
    // The files' row, narrowed by the filter so the grid does not depend on the kernelspecs installed.
    await second.getByTestId('launcher-filter').fill('file');
    await expect(second.getByTestId('launcher-card')).toHaveCount(3);
    await page.keyboard.press('ArrowDown');
    await expect(card(second, 'fileeditor:create-new', ':has-text("Text File")')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(card(second, 'fileeditor:create-new', ':has-text("Python File")')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(card(second, 'fileeditor:create-new', ':has-text("Markdown File")')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await expect(page.locator('[data-testid="document"][data-path="project/untitled.py"]')).toBeVisible();
    await expectFile(server.root, 'project/untitled.py');
  });
});
