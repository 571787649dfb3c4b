/**
 * Saves that send what changed (savedelta): Ctrl+S on a notebook with a multi-MB
 * output after editing one cell sends that cell, not the notebook, and writes the
 * file a whole save would write; a file changed on disk while the changes are on their
 * way still asks; a save the server cannot take by its changes is sent whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { cellInputs, expectClean, expectDirty, joined, notebookJSON, openNotebook, readNotebook, setCellText, streamOutput } from './notebook-helpers';

/** JSON as nbformat writes it: keys sorted, indent 1, final newline (so a host save keeps every byte). */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])])
          )
        : v;
  return JSON.stringify(sort(value), null, 1) + '\n';
}

/** About 4 MB of stream output: 40,000 lines of 100 characters. */
const BIG_TEXT = Array.from({ length: 40_000 }, (_, i) => `${String(i).padStart(6, '0')} ${'x'.repeat(92)}\n`).join('');

const big = canonical(
  JSON.parse(
    notebookJSON(
      [
        'edit_me = 1',
        { source: 'print(big)', execution_count: 1, outputs: [streamOutput(BIG_TEXT)] },
        { type: 'markdown', source: '# The end' }
      ],
      { kernel: null }
    )
  )
);

const small = canonical(JSON.parse(notebookJSON(['a = 1', 'b = 2'], { kernel: null })));

// The example strip_outputs extension hooks pre-save; with such a hook only a file saved
// here as sent takes a delta (tests/test_save_delta.py), so it is off for these tests.
test.use({ rootFiles: { 'big.ipynb': big, 'small.ipynb': small }, jupyterConfig: { disabledExtensions: ['strip_outputs'] } });

/** Every write request of the page to `name`: method, API and body size in bytes. */
function recordWrites(page: Page, name: string): string[] {
  const writes: string[] = [];
  page.on('request', (req: Request) => {
    const url = new URL(req.url()).pathname;
    // The read-ahead at the first edit (save-delta-base) asks the server to read, not to write.
    if (req.method() === 'GET' || !url.endsWith(`/${name}`) || url.includes('/jlab-alt/api/save-delta-base/')) return;
    const api = url.includes('/jlab-alt/api/save-delta/') ? 'delta' : url.includes('/api/contents/') ? 'contents' : url;
    writes.push(`${req.method()} ${api} ${req.postDataBuffer()?.length ?? 0}`);
  });
  return writes;
}

const bodySize = (write: string) => Number(write.split(' ')[2]);

/** Where `actual` first differs from `expected` (with a little context), or "same": keeps a 4 MB mismatch readable. */
function firstDifference(actual: string, expected: string): string {
  if (actual === expected) return 'same';
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  return `at ${i} of ${actual.length}/${expected.length}: ${JSON.stringify(actual.slice(Math.max(0, i - 40), i + 60))} vs ${JSON.stringify(expected.slice(Math.max(0, i - 40), i + 60))}`;
}

test('Ctrl+S after editing one cell of a notebook with a 4 MB output sends that cell and changes only its bytes', async ({ page, server }) => {
  const file = path.join(server.root, 'big.ipynb');
  const original = fs.readFileSync(file, 'utf8');
  expect(original.length).toBeGreaterThan(4_000_000);
  const writes = recordWrites(page, 'big.ipynb');
  const panel = await openNotebook(page, 'big.ipynb', 3);
  // The first edit has the server read the file, so that the save does not wait for it.
  const readAhead = page.waitForResponse((res) => new URL(res.url()).pathname.endsWith('/jlab-alt/api/save-delta-base/big.ipynb'));
  await setCellText(page, panel, 0, 'edit_me = 2');
  expect((await readAhead).status()).toBe(204);
  await page.keyboard.press('Escape');
  await expectDirty(page, 'big.ipynb');

  const answered = page.waitForResponse((res) => new URL(res.url()).pathname.endsWith('/jlab-alt/api/save-delta/big.ipynb'));
  await page.keyboard.press('Control+S');
  expect((await answered).status()).toBe(200);
  await expectClean(page, 'big.ipynb');
  expect(firstDifference(fs.readFileSync(file, 'utf8'), original.replace('"edit_me = 1"', '"edit_me = 2"'))).toBe('same');
  expect(writes).toHaveLength(1);
  expect(writes[0]).toMatch(/^POST delta /);
  expect(bodySize(writes[0]!), 'the request carries the edited cell, not the 4 MB output').toBeLessThan(2_000);

  // The next save is against the version just written: again only what changed since.
  await setCellText(page, panel, 2, '# The very end');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+S');
  await expectClean(page, 'big.ipynb');
  await expect.poll(() => readNotebook(file).cells.map((c) => joined(c.source))[2]).toBe('# The very end');
  expect(writes).toHaveLength(2);
  expect(writes[1]).toMatch(/^POST delta /);
  expect(bodySize(writes[1]!)).toBeLessThan(2_000);
  const twice = original.replace('"edit_me = 1"', '"edit_me = 2"').replace('"# The end"', '"# The very end"');
  expect(firstDifference(fs.readFileSync(file, 'utf8'), twice)).toBe('same');
});

test('a file changed on disk while the changes are on their way: the conflict dialog asks, Overwrite writes ours whole', async ({
  page,
  server
}) => {
  const file = path.join(server.root, 'small.ipynb');
  const writes = recordWrites(page, 'small.ipynb');
  const panel = await openNotebook(page, 'small.ipynb', 2);
  await setCellText(page, panel, 0, 'a = "ours"');
  await page.keyboard.press('Escape');
  await expectDirty(page, 'small.ipynb');
  // Another program writes the file after the page's check and before the server merges.
  await page.route('**/jlab-alt/api/save-delta/**', async (route) => {
    const nb = JSON.parse(fs.readFileSync(file, 'utf8'));
    nb.cells[1].source = 'b = "theirs"';
    fs.writeFileSync(file, canonical(nb));
    const future = new Date(Date.now() + 2000);
    fs.utimesSync(file, future, future);
    await route.continue();
  });
  const theirs = () => fs.readFileSync(file, 'utf8');
  const refused = page.waitForResponse((res) => new URL(res.url()).pathname.endsWith('/jlab-alt/api/save-delta/small.ipynb'));
  await page.keyboard.press('Control+S');
  expect((await refused).status()).toBe(409);
  const dialog = page.getByTestId('dialog');
  await expect(dialog).toContainText('changed on disk');
  expect(readNotebook(file).cells.map((c) => joined(c.source)), 'nothing written yet').toEqual(['a = 1', 'b = "theirs"']);
  const onDisk = theirs();
  await dialog.locator('.ja-Dialog-button[data-id="cancel"]').click();
  await expect(dialog).toBeHidden();
  await expectDirty(page, 'small.ipynb');
  expect(theirs()).toBe(onDisk);

  await page.unroute('**/jlab-alt/api/save-delta/**');
  await page.keyboard.press('Control+S');
  await dialog.locator('.ja-Dialog-button[data-id="overwrite"]').click();
  await expectClean(page, 'small.ipynb');
  expect(readNotebook(file).cells.map((c) => joined(c.source))).toEqual(['a = "ours"', 'b = 2']);
  expect(writes).toEqual([expect.stringMatching(/^POST delta /), expect.stringMatching(/^PUT contents /)]);
});

test('a save the server cannot take by its changes is sent whole and nothing is lost', async ({ page, server }) => {
  const file = path.join(server.root, 'small.ipynb');
  const writes = recordWrites(page, 'small.ipynb');
  const panel = await openNotebook(page, 'small.ipynb', 2);
  await setCellText(page, panel, 1, 'b = "kept"');
  await page.keyboard.press('Escape');
  await page.route('**/jlab-alt/api/save-delta/**', (route) => route.abort('connectionreset'));
  await page.keyboard.press('Control+S');
  await expectClean(page, 'small.ipynb');
  expect(readNotebook(file).cells.map((c) => joined(c.source))).toEqual(['a = 1', 'b = "kept"']);
  expect(writes).toEqual([expect.stringMatching(/^POST delta /), expect.stringMatching(/^PUT contents /)]);
  await expect(cellInputs(panel)).toHaveText(['a = 1', 'b = "kept"']);
});
