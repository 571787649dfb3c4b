/**
 * Faults while saving, and files changed behind the app's back (issue 10, parts 2 and 4):
 * a full disk (a real file size limit on the server process) and a read-only file
 * fail with a message naming the cause, keep the edits and damage nothing, and Save
 * As works; a file deleted or renamed outside is said on its tab and Save writes it
 * back; a file changed outside while the tab has no edits reloads itself.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import {
  cells,
  expectClean,
  expectDirty,
  expectEditMode,
  fileRow,
  notebookJSON,
  notebookPanel,
  openNotebook,
  pasteText,
  selectCell,
  streamOutput,
  tab
} from './notebook-helpers';

const doc = (page: Page, p: string) => page.locator(`[data-testid="document"][data-path="${p}"]`);
const errors = (page: Page) => page.locator('[data-testid="notification"][data-type="error"]');
const banner = (page: Page, p: string) => doc(page, p).getByTestId('document-disk-banner');

/** Write a file as another program would, with a modification time clearly after the app's last look. */
function writeLater(file: string, content: string): void {
  fs.writeFileSync(file, content);
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(file, later, later);
}

/** Save As through its dialog (Ctrl+Shift+S), answering `name`. */
async function saveAs(page: Page, name: string): Promise<void> {
  await page.keyboard.press('Control+Shift+S');
  const input = page.getByTestId('save-as-path');
  await expect(input).toBeVisible();
  await input.fill(name);
  await input.press('Enter');
  await expect(page.getByTestId('dialog')).toHaveCount(0);
}

// The server runs under prlimit with a file size limit: writes past it fail with EFBIG
// ("File too large"), as a full disk fails with ENOSPC. Only the soft limit: the test
// lifts it later ("frees space") without privileges.
const FSIZE_LIMIT = 262_144;

/** Pids of the server serving `root` (its command line names the root). */
function serverPids(root: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
        return cmd.includes(`--ServerApp.root_dir=${root}`) && cmd.includes('jlab_alt');
      } catch {
        return false;
      }
    })
    .map(Number);
}

test.describe('a full disk', () => {
  test.use({
    serverCommandPrefix: ['prlimit', `--fsize=${FSIZE_LIMIT}:unlimited`, '--'],
    rootFiles: { 'big.ipynb': notebookJSON([{ source: 'x = 1', outputs: [streamOutput('o'.repeat(240_000))] }], { kernel: null }) }
  });

  test('the save fails naming the cause, keeps the edits and the file; after freeing space Save As works', async ({ page, server }) => {
    const file = path.join(server.root, 'big.ipynb');
    const before = fs.readFileSync(file);
    const panel = await openNotebook(page, 'big.ipynb', 1);
    await selectCell(panel, 0);
    await page.keyboard.press('Enter');
    await expectEditMode(panel, 0);
    await page.keyboard.press('Control+End');
    const added = '\n# ' + 'padding '.repeat(4000);
    await pasteText(page, added);
    await expectDirty(page, 'big.ipynb');

    await page.keyboard.press('Control+S');
    await expect(errors(page)).toContainText('Saving "big.ipynb" failed: Not enough disk space to save big.ipynb (File too large)');
    await expect(errors(page)).toContainText('Your edits are kept here');
    await expectDirty(page, 'big.ipynb');
    await expect(cells(panel).first().locator('.cm-content')).toContainText('padding padding');
    expect(fs.readFileSync(file).equals(before), 'the file on disk is untouched').toBe(true);
    expect(fs.readdirSync(server.root)).toEqual(['big.ipynb']);

    // Space is freed (the limit lifted); Save As writes a copy and the tab follows it.
    const pids = serverPids(server.root);
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) execFileSync('prlimit', ['--pid', String(pid), '--fsize=unlimited']);
    await saveAs(page, 'big-copy.ipynb');
    await expectClean(page, 'big-copy.ipynb');
    await expect(notebookPanel(page, 'big-copy.ipynb')).toBeVisible();
    const copy = JSON.parse(fs.readFileSync(path.join(server.root, 'big-copy.ipynb'), 'utf8'));
    expect(copy.cells[0].source.join('')).toContain('padding padding');
    expect(fs.readFileSync(file).equals(before), 'the original is still the old version').toBe(true);
  });
});

test.describe('a read-only file', () => {
  test.use({ rootFiles: { 'notes.txt': 'keep me\n' } });

  test('the save fails naming the cause, keeps the edits and the file; Save As writes a copy', async ({ page, server }) => {
    const file = path.join(server.root, 'notes.txt');
    fs.chmodSync(file, 0o444);
    await fileRow(page, 'notes.txt').dblclick();
    await expect(doc(page, 'notes.txt').locator('.cm-line')).toHaveText(['keep me', '']);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('my edit');
    await expect(tab(page, 'notes.txt')).toHaveText('● notes.txt');

    await page.keyboard.press('Control+S');
    await expect(errors(page)).toContainText('Saving "notes.txt" failed: Permission denied: notes.txt is read-only');
    await expect(tab(page, 'notes.txt')).toHaveText('● notes.txt');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o444);

    await saveAs(page, 'notes-copy.txt');
    await expect(tab(page, 'notes-copy.txt')).toHaveText('notes-copy.txt');
    expect(fs.readFileSync(path.join(server.root, 'notes-copy.txt'), 'utf8')).toBe('keep me\nmy edit');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me\n');
  });
});

test.describe('files changed by other programs', () => {
  test.use({
    rootFiles: {
      'gone.ipynb': notebookJSON(['a = 1', 'b = 2'], { kernel: null }),
      'moved.txt': 'first\n',
      'live.txt': 'version 1\n',
      'live.ipynb': notebookJSON(['v = 1'], { kernel: null })
    }
  });

  test('a notebook deleted outside says so on its tab, and Save writes it back', async ({ page, server }) => {
    const file = path.join(server.root, 'gone.ipynb');
    const panel = await openNotebook(page, 'gone.ipynb', 2);
    fs.unlinkSync(file);
    await expect(banner(page, 'gone.ipynb')).toContainText('"gone.ipynb" was deleted or renamed outside jlab-alt');
    await expect(cells(panel)).toHaveCount(2);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+S');
    await expect.poll(() => fs.existsSync(file)).toBe(true);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).cells.map((c: { source: string[] }) => c.source.join(''))).toEqual([
      'a = 1',
      'b = 2'
    ]);
    await expect(banner(page, 'gone.ipynb')).toHaveCount(0);
  });

  test('a text file renamed outside with unsaved edits: the tab says so, Save writes it back with the edits', async ({
    page,
    server
  }) => {
    const file = path.join(server.root, 'moved.txt');
    await fileRow(page, 'moved.txt').dblclick();
    await expect(doc(page, 'moved.txt').locator('.cm-line')).toHaveText(['first', '']);
    await page.keyboard.press('Control+End');
    await page.keyboard.type('second');
    fs.renameSync(file, path.join(server.root, 'elsewhere.txt'));
    await expect(banner(page, 'moved.txt')).toContainText('was deleted or renamed outside jlab-alt');
    await expect(doc(page, 'moved.txt').locator('.cm-line')).toHaveText(['first', 'second']);
    await page.keyboard.press('Control+S');
    await expect.poll(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8')).toBe('first\nsecond');
    expect(fs.readFileSync(path.join(server.root, 'elsewhere.txt'), 'utf8')).toBe('first\n');
    await expect(banner(page, 'moved.txt')).toHaveCount(0);
    await expect(tab(page, 'moved.txt')).toHaveText('moved.txt');
  });

  test('a file changed outside while its tab has no edits reloads itself', async ({ page, server }) => {
    await fileRow(page, 'live.txt').dblclick();
    await expect(doc(page, 'live.txt').locator('.cm-line')).toHaveText(['version 1', '']);
    writeLater(path.join(server.root, 'live.txt'), 'version 2\n');
    await expect(doc(page, 'live.txt').locator('.cm-line')).toHaveText(['version 2', '']);
    await expect(tab(page, 'live.txt')).toHaveText('live.txt');

    const panel = await openNotebook(page, 'live.ipynb', 1);
    writeLater(path.join(server.root, 'live.ipynb'), notebookJSON(['v = 2', 'w = 3'], { kernel: null }));
    await expect(cells(panel)).toHaveCount(2);
    await expect(cells(panel).first()).toContainText('v = 2');
    await expectClean(page, 'live.ipynb');
    await expect(page.getByTestId('dialog')).toHaveCount(0);
  });
});
