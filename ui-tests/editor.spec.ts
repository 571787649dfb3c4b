import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, runFromPalette, test } from './fixtures';

const row = (page: Page, name: string) => page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`));
const doc = (page: Page, p: string) => page.locator(`[data-testid="document"][data-path="${p}"]`);
const tab = (page: Page, label: string) => page.locator('.dv-tab', { hasText: label });

/** Set a file's modification time a few seconds ahead, as an outside edit does. */
function touchLater(file: string, content: string): void {
  fs.writeFileSync(file, content);
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(file, later, later);
}

test.describe('text editor', () => {
  test.use({
    rootFiles: {
      'script.py': 'def greet(name):\n    return "hi " + name\n',
      'README.md': '# Title\n\nSome *text*.\n\n```python\nimport os\n```\n',
      'data.txt': 'a,b\n1,2\n',
      'windows.txt': 'one\r\ntwo\r\n',
      'analysis.R': 'square <- function(x) x^2  # comment\n',
      'blob.bin': Buffer.from([0xff, 0xfe, 0x00, 0x81, 0x92])
    }
  });

  test('files in other languages (here R) are highlighted too', async ({ page }) => {
    await row(page, 'analysis.R').dblclick();
    const editor = doc(page, 'analysis.R');
    await expect(editor.locator('.cm-line').first()).toHaveText('square <- function(x) x^2  # comment');
    await expect(editor.locator('.tok-keyword')).toHaveText('function');
    await expect(editor.locator('.tok-comment')).toHaveText('# comment');
  });

  test('a .py file opens editable with line numbers and Python highlighting; Ctrl+S saves it', async ({ page, server }) => {
    await row(page, 'script.py').dblclick();
    const editor = doc(page, 'script.py');
    await expect(editor.locator('.cm-line')).toHaveText(['def greet(name):', '    return "hi " + name', '']);
    await expect(editor.locator('.cm-lineNumbers .cm-gutterElement', { hasText: /^2$/ })).toBeVisible();
    // classHighlighter marks Python keywords and strings.
    await expect(editor.locator('.cm-line').first().locator('.tok-keyword')).toHaveText('def');
    await expect(editor.locator('.tok-string')).toHaveText('"hi "');
    await expect(editor.locator('.cm-content')).toBeFocused();

    await page.keyboard.press('Control+End');
    await page.keyboard.type('print(greet("you"))\n');
    // The tab shows the unsaved change.
    await expect(tab(page, '● script.py')).toBeVisible();
    await page.keyboard.press('Control+S');
    await expect(tab(page, '● script.py')).toHaveCount(0);
    await expect(tab(page, 'script.py')).toBeVisible();
    expect(fs.readFileSync(path.join(server.root, 'script.py'), 'utf8')).toBe(
      'def greet(name):\n    return "hi " + name\nprint(greet("you"))\n'
    );

    // Ctrl+S saves the current editor wherever the focus is, e.g. in the file browser.
    await page.keyboard.type('# end\n');
    await row(page, 'data.txt').click();
    await expect(page.locator('.ja-FileBrowser-list')).toBeFocused();
    await page.keyboard.press('Control+S');
    await expect.poll(() => fs.readFileSync(path.join(server.root, 'script.py'), 'utf8')).toMatch(/# end\n$/);
    await expect(tab(page, '● script.py')).toHaveCount(0);
  });

  test('undoing back to the saved text clears the dirty mark', async ({ page }) => {
    await row(page, 'data.txt').dblclick();
    const editor = doc(page, 'data.txt');
    await expect(editor.locator('.cm-line')).toHaveText(['a,b', '1,2', '']);
    await page.keyboard.type('x');
    await expect(tab(page, '● data.txt')).toBeVisible();
    await page.keyboard.press('Control+Z');
    await expect(tab(page, '● data.txt')).toHaveCount(0);
  });

  test('clicking the tab of an editor puts the keyboard back in its text', async ({ page }) => {
    await row(page, 'script.py').dblclick();
    await expect(doc(page, 'script.py').locator('.cm-content')).toBeFocused();
    await row(page, 'data.txt').dblclick();
    await expect(doc(page, 'data.txt').locator('.cm-content')).toBeFocused();
    await tab(page, 'script.py').click();
    await expect(doc(page, 'script.py').locator('.cm-content')).toBeFocused();
    await page.keyboard.type('# ');
    await expect(doc(page, 'script.py').locator('.cm-line').first()).toHaveText('# def greet(name):');
  });

  test('Markdown is highlighted; Ctrl+F opens search', async ({ page }) => {
    await row(page, 'README.md').dblclick();
    const editor = doc(page, 'README.md');
    await expect(editor.locator('.tok-heading', { hasText: 'Title' })).toBeVisible();
    await expect(editor.locator('.tok-emphasis', { hasText: 'text' })).toBeVisible();
    // Python code blocks are highlighted as Python.
    await expect(editor.locator('.tok-keyword', { hasText: 'import' })).toBeVisible();
    await page.keyboard.press('Control+F');
    const field = editor.locator('.cm-search input[name="search"]');
    await expect(field).toBeFocused();
    await page.keyboard.type('text');
    await page.keyboard.press('Enter');
    await expect(editor.locator('.cm-searchMatch')).toHaveCount(1);
  });

  test('a file changed on disk is detected before saving: cancel, then overwrite', async ({ page, server }) => {
    await row(page, 'data.txt').dblclick();
    await expect(doc(page, 'data.txt').locator('.cm-line')).toHaveText(['a,b', '1,2', '']);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('3,4\n');
    touchLater(path.join(server.root, 'data.txt'), 'changed outside\n');

    await page.keyboard.press('Control+S');
    const dialog = page.getByTestId('dialog');
    await expect(dialog).toContainText('"data.txt" was changed on disk');
    await dialog.locator('[data-id="cancel"]').click();
    await expect(dialog).toHaveCount(0);
    expect(fs.readFileSync(path.join(server.root, 'data.txt'), 'utf8')).toBe('changed outside\n');
    await expect(tab(page, '● data.txt')).toBeVisible();

    await doc(page, 'data.txt').locator('.cm-content').click();
    await page.keyboard.press('Control+S');
    await page.getByTestId('dialog').locator('[data-id="overwrite"]').click();
    await expect.poll(() => fs.readFileSync(path.join(server.root, 'data.txt'), 'utf8')).toBe('a,b\n1,2\n3,4\n');
    await expect(tab(page, '● data.txt')).toHaveCount(0);
  });

  test('reload from disk in the conflict dialog shows the disk version', async ({ page, server }) => {
    await row(page, 'data.txt').dblclick();
    await expect(doc(page, 'data.txt').locator('.cm-line')).toHaveText(['a,b', '1,2', '']);
    await page.keyboard.type('mine ');
    touchLater(path.join(server.root, 'data.txt'), 'theirs\n');
    await page.keyboard.press('Control+S');
    await page.getByTestId('dialog').locator('[data-id="reload"]').click();
    await expect(doc(page, 'data.txt').locator('.cm-line')).toHaveText(['theirs', '']);
    await expect(tab(page, '● data.txt')).toHaveCount(0);
    expect(fs.readFileSync(path.join(server.root, 'data.txt'), 'utf8')).toBe('theirs\n');

    // The palette's Reload command reloads too (no question when nothing is unsaved).
    touchLater(path.join(server.root, 'data.txt'), 'newest\n');
    await runFromPalette(page, 'reload file from disk', 'editor:reload');
    await expect(doc(page, 'data.txt').locator('.cm-line')).toHaveText(['newest', '']);
  });

  test('Windows line breaks are kept when saving', async ({ page, server }) => {
    await row(page, 'windows.txt').dblclick();
    await expect(doc(page, 'windows.txt').locator('.cm-line')).toHaveText(['one', 'two', '']);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('three');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    await expect.poll(() => fs.readFileSync(path.join(server.root, 'windows.txt'), 'utf8')).toBe('one\r\ntwo\r\nthree\r\n');
  });

  test('leaving the page with unsaved changes asks first', async ({ page }) => {
    await row(page, 'data.txt').dblclick();
    await expect(doc(page, 'data.txt').locator('.cm-line')).toHaveText(['a,b', '1,2', '']);
    await page.keyboard.type('x');
    await expect(tab(page, '● data.txt')).toBeVisible();
    const dialog = new Promise<string>((resolve) => {
      page.once('dialog', (d) => {
        resolve(d.type());
        void d.dismiss();
      });
    });
    // Closing with runBeforeUnload raises the page's beforeunload prompt; dismissing it keeps the page.
    await page.close({ runBeforeUnload: true });
    expect(await dialog).toBe('beforeunload');
    expect(page.isClosed()).toBe(false);
    await expect(tab(page, '● data.txt')).toBeVisible();
  });

  test('a binary file shows a clear message instead of an editor', async ({ page }) => {
    await row(page, 'blob.bin').dblclick();
    const message = doc(page, 'blob.bin').getByRole('alert');
    await expect(message).toHaveText('"blob.bin" is not a text file (it is not UTF-8 encoded), so it cannot be opened in the editor.');
    await expect(doc(page, 'blob.bin').locator('.cm-editor')).toHaveCount(0);
  });

  test('the editor follows the dark theme', async ({ page }) => {
    await row(page, 'script.py').dblclick();
    const editor = doc(page, 'script.py').locator('.cm-editor');
    await expect(editor).toBeVisible();
    const background = () => editor.evaluate((el) => getComputedStyle(el).backgroundColor);
    await page.evaluate(() => (document.documentElement.dataset.theme = 'light'));
    await expect.poll(background).toBe('rgb(255, 255, 255)');
    await page.evaluate(() => (document.documentElement.dataset.theme = 'dark'));
    await expect.poll(background).toBe('rgb(30, 31, 34)');
  });
});

test.describe('text editor autosave', () => {
  test.use({
    rootFiles: { 'log.txt': 'first\n' },
    configFiles: { 'jlab_alt/user-settings/@jlab-alt/editor:plugin.json': JSON.stringify({ autosaveInterval: 5 }) }
  });

  test('unsaved changes are saved every autosaveInterval seconds', async ({ page, server }) => {
    await row(page, 'log.txt').dblclick();
    await expect(doc(page, 'log.txt').locator('.cm-line')).toHaveText(['first', '']);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('second\n');
    await expect(tab(page, '● log.txt')).toBeVisible();
    await expect.poll(() => fs.readFileSync(path.join(server.root, 'log.txt'), 'utf8'), { timeout: 15_000 }).toBe(
      'first\nsecond\n'
    );
    await expect(tab(page, '● log.txt')).toHaveCount(0);
  });
});
