import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, runFromPalette, test } from './fixtures';

const row = (page: Page, name: string) => page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`));
const names = (page: Page) => page.getByTestId('filebrowser-item').locator('.ja-FileBrowser-name');
const menuItem = (page: Page, id: string) => page.getByTestId('context-menu').locator(`[data-id="${id}"]`);

test.describe('file operations', () => {
  test.use({
    rootFiles: {
      'a.txt': 'alpha\n',
      'b.txt': 'beta\n',
      'c.py': 'print("c")\n',
      'dest/': '',
      'dest/existing.txt': 'already here\n'
    }
  });

  test('F2 renames inline: Enter commits, the open tab follows, Escape cancels', async ({ page, server }) => {
    // Open the file first: its tab must follow the rename.
    await row(page, 'a.txt').dblclick();
    await expect(page.locator('[data-testid="document"][data-path="a.txt"] .cm-content')).toBeVisible();
    await row(page, 'a.txt').click();
    await page.keyboard.press('F2');
    const input = page.getByTestId('filebrowser-rename');
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('a.txt');
    // The base name is pre-selected: typing replaces it and keeps ".txt".
    await page.keyboard.type('renamed');
    await page.keyboard.press('Enter');
    await expect(row(page, 'renamed.txt')).toBeVisible();
    await expect(row(page, 'a.txt')).toHaveCount(0);
    expect(fs.readFileSync(path.join(server.root, 'renamed.txt'), 'utf8')).toBe('alpha\n');
    expect(fs.existsSync(path.join(server.root, 'a.txt'))).toBe(false);
    await expect(page.locator('.dv-tab', { hasText: 'renamed.txt' })).toBeVisible();
    await expect(page.locator('.dv-tab', { hasText: 'a.txt' })).toHaveCount(0);
    await expect(page.locator('[data-testid="document"][data-path="renamed.txt"]')).toBeVisible();
    await expect(page).toHaveURL(`${server.origin}/jlab-alt/tree/renamed.txt`);

    // The renamed document saves to its new path.
    const editor = page.locator('[data-testid="document"][data-path="renamed.txt"] .cm-content');
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('more\n');
    await page.keyboard.press('Control+S');
    await expect.poll(() => fs.readFileSync(path.join(server.root, 'renamed.txt'), 'utf8')).toBe('alpha\nmore\n');
    expect(fs.existsSync(path.join(server.root, 'a.txt'))).toBe(false);

    // Escape cancels.
    await row(page, 'b.txt').click();
    await page.keyboard.press('F2');
    await page.keyboard.type('nope');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('filebrowser-rename')).toHaveCount(0);
    await expect(row(page, 'b.txt')).toBeVisible();
    expect(fs.existsSync(path.join(server.root, 'b.txt'))).toBe(true);
  });

  test('renaming onto an existing name shows a clear error and changes nothing', async ({ page, server }) => {
    await row(page, 'a.txt').click({ button: 'right' });
    await menuItem(page, 'filebrowser:rename').click();
    const input = page.getByTestId('filebrowser-rename');
    await input.fill('b.txt');
    await input.press('Enter');
    await expect(page.locator('[data-testid="notification"][data-type="error"]')).toContainText(
      '"b.txt" already exists in the root folder'
    );
    await expect(names(page)).toHaveText(['dest', 'a.txt', 'b.txt', 'c.py']);
    expect(fs.readFileSync(path.join(server.root, 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(fs.readFileSync(path.join(server.root, 'b.txt'), 'utf8')).toBe('beta\n');
  });

  test('Delete asks, naming the selected items (Ctrl+click selects several), then deletes them', async ({ page, server }) => {
    await row(page, 'a.txt').click();
    await row(page, 'c.py').click({ modifiers: ['Control'] });
    await expect(page.locator('.ja-FileBrowser-item[aria-selected="true"]')).toHaveCount(2);
    await page.keyboard.press('Delete');
    const dialog = page.getByTestId('dialog');
    await expect(dialog).toContainText('delete these 2 items');
    await expect(dialog.locator('li')).toHaveText(['a.txt', 'c.py']);
    // Cancel keeps them.
    await dialog.locator('[data-id="cancel"]').click();
    await expect(dialog).toHaveCount(0);
    expect(fs.existsSync(path.join(server.root, 'a.txt'))).toBe(true);

    await page.keyboard.press('Delete');
    await page.getByTestId('dialog').locator('[data-id="delete"]').click();
    await expect(names(page)).toHaveText(['dest', 'b.txt']);
    expect(fs.existsSync(path.join(server.root, 'a.txt'))).toBe(false);
    expect(fs.existsSync(path.join(server.root, 'c.py'))).toBe(false);
  });

  test('Shift+click selects a range; deleting an open file closes its tab', async ({ page, server }) => {
    await row(page, 'b.txt').dblclick();
    await expect(page.locator('.dv-tab', { hasText: 'b.txt' })).toBeVisible();
    await row(page, 'a.txt').click();
    await row(page, 'c.py').click({ modifiers: ['Shift'] });
    await expect(page.locator('.ja-FileBrowser-item[aria-selected="true"]')).toHaveCount(3);
    await row(page, 'b.txt').click({ button: 'right' });
    await menuItem(page, 'filebrowser:delete').click();
    await expect(page.getByTestId('dialog').locator('li')).toHaveText(['a.txt', 'b.txt', 'c.py']);
    await page.getByTestId('dialog').locator('[data-id="delete"]').click();
    await expect(names(page)).toHaveText(['dest']);
    await expect(page.locator('.dv-tab')).toHaveCount(0);
    expect(fs.readdirSync(server.root).filter((n) => !n.startsWith('.'))).toEqual(['dest']);
  });

  test('the context menu duplicates, and is keyboard navigable', async ({ page, server }) => {
    await row(page, 'c.py').click({ button: 'right' });
    const menu = page.getByTestId('context-menu');
    await expect(menu).toBeVisible();
    await expect(menu.locator('[data-id="filebrowser:open"]')).toBeFocused();
    // Escape closes it.
    await page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);

    await row(page, 'c.py').click({ button: 'right' });
    // Open, Open With, Rename, Delete, Duplicate: four steps down from the first item.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    await expect(menu.locator('[data-id="filebrowser:duplicate"]')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(row(page, 'c-Copy1.py')).toBeVisible();
    expect(fs.readFileSync(path.join(server.root, 'c-Copy1.py'), 'utf8')).toBe('print("c")\n');

    // A click outside closes it too.
    await row(page, 'a.txt').click({ button: 'right' });
    await expect(menu).toBeVisible();
    await page.getByTestId('filebrowser-breadcrumbs').click();
    await expect(menu).toHaveCount(0);
  });

  test('copy and paste into a folder; cut and paste moves', async ({ page, server }) => {
    await row(page, 'a.txt').click();
    await page.keyboard.press('Control+C');
    await row(page, 'dest').dblclick();
    await expect(page.getByTestId('filebrowser-breadcrumbs').getByRole('button')).toHaveText(['⌂', 'dest']);
    await page.getByTestId('filebrowser').locator('.ja-FileBrowser-list').click({ button: 'right', position: { x: 40, y: 200 } });
    await menuItem(page, 'filebrowser:paste').click();
    await expect(names(page)).toHaveText(['a.txt', 'existing.txt']);
    expect(fs.readFileSync(path.join(server.root, 'dest', 'a.txt'), 'utf8')).toBe('alpha\n');
    expect(fs.existsSync(path.join(server.root, 'a.txt'))).toBe(true);

    // Cut b.txt at the root, paste it into dest: it moves.
    await page.getByTestId('filebrowser-breadcrumbs').getByRole('button', { name: 'Root folder' }).click();
    await row(page, 'b.txt').click();
    await page.keyboard.press('Control+X');
    await expect(row(page, 'b.txt')).toHaveClass(/ja-mod-cut/);
    await row(page, 'dest').dblclick();
    await expect(row(page, 'existing.txt')).toBeVisible();
    await page.locator('.ja-FileBrowser-list').focus();
    await page.keyboard.press('Control+V');
    await expect(names(page)).toHaveText(['a.txt', 'b.txt', 'existing.txt']);
    expect(fs.existsSync(path.join(server.root, 'b.txt'))).toBe(false);
    expect(fs.readFileSync(path.join(server.root, 'dest', 'b.txt'), 'utf8')).toBe('beta\n');
  });

  test('New Text File creates untitled.txt and opens it in the editor', async ({ page, server }) => {
    await page.locator('.ja-FileBrowser-toolbar [data-command="filebrowser:new-file"]').click();
    await expect(row(page, 'untitled.txt')).toBeVisible();
    const doc = page.locator('[data-testid="document"][data-path="untitled.txt"]');
    await expect(doc.locator('.cm-content')).toBeVisible();
    expect(fs.readFileSync(path.join(server.root, 'untitled.txt'), 'utf8')).toBe('');
    // A second one does not clash.
    await runFromPalette(page, 'new text file', 'filebrowser:new-file');
    await expect(row(page, 'untitled1.txt')).toBeVisible();
  });

  test('Download is a link to the raw file that the browser saves', async ({ page }) => {
    await row(page, 'b.txt').click({ button: 'right' });
    const [download] = await Promise.all([page.waitForEvent('download'), menuItem(page, 'filebrowser:download').click()]);
    expect(download.suggestedFilename()).toBe('b.txt');
    const saved = await download.path();
    expect(fs.readFileSync(saved, 'utf8')).toBe('beta\n');
  });

  test('Copy Path puts the path on the clipboard', async ({ page, context, server }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await row(page, 'dest').dblclick();
    await row(page, 'existing.txt').click({ button: 'right' });
    await menuItem(page, 'filebrowser:copy-path').click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('dest/existing.txt');
  });

  test('file names are shown as text, never HTML', async ({ page, server }) => {
    const name = '<b>bold<b> <img src=x onerror=window.__pwned=1>.txt';
    server.write(name, 'x');
    await page.locator('.ja-FileBrowser-toolbar [data-command="filebrowser:refresh"]').click();
    await expect(names(page).getByText(name, { exact: true })).toBeVisible();
    await expect(page.locator('.ja-FileBrowser-list img, .ja-FileBrowser-list b')).toHaveCount(0);
    // Renaming it keeps it text, in the field and in the listing.
    await names(page).getByText(name, { exact: true }).click();
    await page.keyboard.press('F2');
    await expect(page.getByTestId('filebrowser-rename')).toHaveValue(name);
    await page.keyboard.press('End');
    await page.keyboard.type('<i>');
    await page.keyboard.press('Enter');
    await expect(names(page).getByText(name + '<i>', { exact: true })).toBeVisible();
    await expect(page.locator('.ja-FileBrowser-list img, .ja-FileBrowser-list b, .ja-FileBrowser-list i')).toHaveCount(0);
    expect(fs.existsSync(path.join(server.root, name + '<i>'))).toBe(true);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });
});

test.describe('renaming an open notebook', () => {
  const notebook = JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: 'markdown', id: 'intro', metadata: {}, source: 'Hello' }]
  });
  test.use({ rootFiles: { 'old.ipynb': notebook } });

  test('its tab follows, and the next save writes the new file', async ({ page, server }) => {
    await row(page, 'old.ipynb').dblclick();
    await expect(page.locator('[data-testid="document"][data-path="old.ipynb"]').getByTestId('cell')).toHaveCount(1);
    await row(page, 'old.ipynb').click();
    await page.keyboard.press('F2');
    await page.keyboard.type('new');
    await page.keyboard.press('Enter');
    await expect(row(page, 'new.ipynb')).toBeVisible();
    await expect(page.locator('.dv-tab', { hasText: 'new.ipynb' })).toBeVisible();
    const panel = page.locator('[data-testid="document"][data-path="new.ipynb"]');
    await expect(panel).toBeVisible();
    // A change, saved: it lands in the renamed file, and the old name stays gone.
    await panel.getByTestId('cell').first().click();
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await expect(panel.getByTestId('cell')).toHaveCount(2);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    const cells = () => JSON.parse(fs.readFileSync(path.join(server.root, 'new.ipynb'), 'utf8')).cells.length;
    await expect.poll(cells).toBe(2);
    expect(fs.existsSync(path.join(server.root, 'old.ipynb'))).toBe(false);
  });
});

test.describe('uploads', () => {
  test.use({ rootFiles: { 'sub/': '', 'keep.txt': 'original\n' } });

  test('the Upload button uploads picked files into the current folder', async ({ page, server }) => {
    await row(page, 'sub').dblclick();
    await expect(page.getByTestId('filebrowser-breadcrumbs').getByRole('button')).toHaveText(['⌂', 'sub']);
    const big = Buffer.alloc(2.5 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) % 256;
    const chooser = page.waitForEvent('filechooser');
    await page.locator('.ja-FileBrowser-toolbar [data-command="filebrowser:upload"]').click();
    await (await chooser).setFiles([
      { name: 'notes.md', mimeType: 'text/markdown', buffer: Buffer.from('# Notes\n') },
      // Larger than a chunk (1 MiB): sent in three pieces.
      { name: 'big.bin', mimeType: 'application/octet-stream', buffer: big }
    ]);
    await expect(row(page, 'notes.md')).toBeVisible();
    await expect(row(page, 'big.bin')).toBeVisible();
    await expect(page.getByTestId('upload')).toHaveCount(0);
    expect(fs.readFileSync(path.join(server.root, 'sub', 'notes.md'), 'utf8')).toBe('# Notes\n');
    expect(fs.readFileSync(path.join(server.root, 'sub', 'big.bin')).equals(big)).toBe(true);
  });

  test('upload shows progress while a large file is sent', async ({ page, server }) => {
    // Hold the second chunk so the progress can be seen mid-way.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let chunks = 0;
    await page.route('**/api/contents/**', async (route) => {
      if (route.request().method() === 'PUT' && ++chunks === 2) await held;
      await route.continue();
    });
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    await page.getByTestId('filebrowser-upload-input').setInputFiles({ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: big });
    const progress = page.getByTestId('upload').and(page.locator('[data-path="slow.bin"]'));
    await expect(progress).toContainText('33%');
    await expect(progress.locator('progress')).toHaveAttribute('aria-label', 'Uploading slow.bin: 33%');
    release();
    await expect(progress).toHaveCount(0);
    await expect(row(page, 'slow.bin')).toBeVisible();
    expect(fs.statSync(path.join(server.root, 'slow.bin')).size).toBe(big.length);
  });

  test('files dropped from the desktop onto the listing are uploaded', async ({ page, server }) => {
    const list = page.getByTestId('filebrowser').locator('.ja-FileBrowser-list');
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped text\n'], 'dropped.txt', { type: 'text/plain' }));
      dt.items.add(new File([new Uint8Array([0, 1, 2, 255])], 'raw.dat'));
      return dt;
    });
    await list.dispatchEvent('dragenter', { dataTransfer: transfer });
    await list.dispatchEvent('dragover', { dataTransfer: transfer });
    await expect(page.getByTestId('filebrowser')).toHaveClass(/ja-mod-dropTarget/);
    await list.dispatchEvent('drop', { dataTransfer: transfer });
    await expect(page.getByTestId('filebrowser')).not.toHaveClass(/ja-mod-dropTarget/);
    await expect(row(page, 'dropped.txt')).toBeVisible();
    await expect(row(page, 'raw.dat')).toBeVisible();
    expect(fs.readFileSync(path.join(server.root, 'dropped.txt'), 'utf8')).toBe('dropped text\n');
    expect([...fs.readFileSync(path.join(server.root, 'raw.dat'))]).toEqual([0, 1, 2, 255]);
  });

  test('files dropped on a folder row go into that folder', async ({ page, server }) => {
    const folder = row(page, 'sub');
    const transfer = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['into sub\n'], 'inside.txt', { type: 'text/plain' }));
      return dt;
    });
    await folder.dispatchEvent('dragenter', { dataTransfer: transfer });
    await folder.dispatchEvent('dragover', { dataTransfer: transfer });
    await expect(folder).toHaveClass(/ja-mod-dropTarget/);
    await folder.dispatchEvent('drop', { dataTransfer: transfer });
    await expect(folder).not.toHaveClass(/ja-mod-dropTarget/);
    // The host writes the file in place (its backup-and-restore "atomic" writing): wait for the content.
    const inside = path.join(server.root, 'sub', 'inside.txt');
    await expect.poll(() => (fs.existsSync(inside) ? fs.readFileSync(inside, 'utf8') : null)).toBe('into sub\n');
    // The listing stays in the root, which did not get the file.
    await expect(names(page)).toHaveText(['sub', 'keep.txt']);
  });

  test('uploading over an existing file asks first', async ({ page, server }) => {
    const input = page.getByTestId('filebrowser-upload-input');
    await input.setInputFiles({ name: 'keep.txt', mimeType: 'text/plain', buffer: Buffer.from('replaced\n') });
    const dialog = page.getByTestId('dialog');
    await expect(dialog).toContainText('"keep.txt" already exists');
    await dialog.locator('[data-id="cancel"]').click();
    await expect(dialog).toHaveCount(0);
    expect(fs.readFileSync(path.join(server.root, 'keep.txt'), 'utf8')).toBe('original\n');

    await input.setInputFiles({ name: 'keep.txt', mimeType: 'text/plain', buffer: Buffer.from('replaced\n') });
    await page.getByTestId('dialog').locator('[data-id="overwrite"]').click();
    await expect.poll(() => fs.readFileSync(path.join(server.root, 'keep.txt'), 'utf8')).toBe('replaced\n');
  });

  test('a refused upload (403) is reported and the listing stays right', async ({ page, server }) => {
    await page.route('**/api/contents/**', async (route) => {
      if (route.request().method() === 'PUT') {
        await route.fulfill({
          status: 403,
          contentType: 'application/json',
          body: JSON.stringify({ message: 'Permission denied: nope.txt', reason: null })
        });
      } else await route.continue();
    });
    await page.getByTestId('filebrowser-upload-input').setInputFiles({ name: 'nope.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
    await expect(page.locator('[data-testid="notification"][data-type="error"]')).toContainText(
      'Cannot upload "nope.txt": Permission denied: nope.txt'
    );
    await expect(page.getByTestId('upload').and(page.locator('[data-path="nope.txt"]'))).toContainText('failed');
    await expect(names(page)).toHaveText(['sub', 'keep.txt']);
    expect(fs.existsSync(path.join(server.root, 'nope.txt'))).toBe(false);
  });
});
