import type { Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { expect, gotoApp, runFromPalette, test, type JlabAltServer } from './fixtures';
import { expectKernelIdle, fileRow, KERNEL_TIMEOUT, notebookJSON, notebookPanel, openNotebook, selectCell, tab } from './notebook-helpers';

/** The layout the server has saved (null: none yet). */
async function savedLayout(page: Page, server: JlabAltServer): Promise<any> {
  const res = await page.request.get(`${server.origin}/jlab-alt/api/workspaces/default?token=${server.token}`);
  expect(res.status()).toBe(200);
  return (await res.json()).layout;
}

/** The labels of every tab in a saved layout node, group by group. */
function groups(node: any): string[][] {
  if (!node) return [];
  return node.type === 'tabs' ? [node.tabs.map((t: any) => t.label)] : node.children.flatMap(groups);
}

/** The sessions (running kernels of notebooks) on the server. */
async function sessionPaths(page: Page, server: JlabAltServer): Promise<string[]> {
  const res = await page.request.get(`${server.origin}/api/sessions?token=${server.token}`);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { path: string }[]).map((s) => s.path).sort();
}

async function setRestore(page: Page, server: JlabAltServer, restore: string): Promise<void> {
  const id = encodeURIComponent('@jlab-alt/shell:layout');
  const res = await page.request.put(`${server.origin}/jlab-alt/api/settings/${id}?token=${server.token}`, {
    data: { settings: { restore } }
  });
  expect(res.status()).toBe(204);
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
}

test.describe('saved layout', () => {
  test.use({
    rootFiles: {
      'a.ipynb': notebookJSON(['1 + 1'], { kernel: null }),
      'notes.txt': 'some notes\n',
      'sub/': '',
      'sub/inner.txt': 'inner\n'
    }
  });

  test('a split layout with a notebook and a text file comes back after a reload, same active tab and folder', async ({ page, server }) => {
    await openNotebook(page, 'a.ipynb');
    await fileRow(page, 'notes.txt').dblclick();
    await expect(page.locator('[data-testid="document"][data-path="notes.txt"]')).toBeVisible();
    await runFromPalette(page, 'split right', 'shell:split-right');
    await expect(page.locator('.dv-groupview')).toHaveCount(2);
    await fileRow(page, 'sub').dblclick();
    await expect(fileRow(page, 'inner.txt')).toBeVisible();
    // The notebook's group becomes the active one.
    await tab(page, 'a.ipynb').click();
    await expect(page).toHaveURL(/\/jlab-alt\/tree\/a\.ipynb/);
    await expect
      .poll(async () => {
        const layout = await savedLayout(page, server);
        return layout && { groups: groups(layout.main), folder: layout.fileBrowserPath, current: layout.main?.children?.[0]?.current };
      })
      .toEqual({ groups: [['a.ipynb'], ['notes.txt']], folder: 'sub', current: true });

    await reload(page);
    await expect(page.locator('.dv-groupview')).toHaveCount(2);
    await expect(tab(page, 'a.ipynb')).toBeVisible();
    await expect(tab(page, 'notes.txt')).toBeVisible();
    // Both tabs are shown (one per group), so both load; the notebook is the active tab.
    await expect(notebookPanel(page, 'a.ipynb').getByTestId('cell')).toHaveCount(1);
    await expect(page.locator('[data-testid="document"][data-path="notes.txt"]')).toContainText('some notes');
    await expect(page).toHaveURL(/\/jlab-alt\/tree\/a\.ipynb/);
    await expect(fileRow(page, 'inner.txt')).toBeVisible();
    // The group on the left is still the notebook's.
    const firstGroup = page.locator('.dv-groupview').first();
    await expect(firstGroup.locator('.dv-tab')).toHaveText(['a.ipynb']);
  });

  test('with restore off, or ?reset, nothing comes back', async ({ page, server }) => {
    await fileRow(page, 'notes.txt').dblclick();
    await expect(tab(page, 'notes.txt')).toBeVisible();
    await expect.poll(async () => groups((await savedLayout(page, server))?.main)).toEqual([['notes.txt']]);

    await gotoApp(page, `${server.origin}/jlab-alt?reset`);
    await expect(page.getByTestId('dock-watermark')).toBeVisible();
    await expect(page.locator('.dv-tab')).toHaveCount(0);

    // Without ?reset the saved layout is still there (the reset page changed nothing)...
    await fileRow(page, 'a.ipynb').dblclick();
    await expect(tab(page, 'a.ipynb')).toBeVisible();
    await expect.poll(async () => groups((await savedLayout(page, server))?.main)).toEqual([['a.ipynb']]);
    // ...and with the setting "none" nothing comes back (at the app's URL: a /tree/<path>
    // URL, which a reload keeps, opens its document on top of any layout).
    await setRestore(page, server, 'none');
    await gotoApp(page, server.appUrl());
    await expect(page.getByTestId('dock-watermark')).toBeVisible();
    await expect(page.locator('.dv-tab')).toHaveCount(0);
  });

  test('saved tabs of files deleted since say that the file does not exist, and write nothing', async ({ page, server }) => {
    await openNotebook(page, 'a.ipynb');
    await fileRow(page, 'notes.txt').dblclick();
    await expect(page.locator('[data-testid="document"][data-path="notes.txt"]')).toContainText('some notes');
    await expect.poll(async () => groups((await savedLayout(page, server))?.main)).toEqual([['a.ipynb', 'notes.txt']]);
    for (const name of ['a.ipynb', 'notes.txt']) fs.unlinkSync(path.join(server.root, name));

    await gotoApp(page, server.appUrl());
    await tab(page, 'notes.txt').click();
    const textAlert = page.locator('[data-testid="document"][data-path="notes.txt"]').getByRole('alert');
    await expect(textAlert).toContainText('"notes.txt" does not exist.');
    await expect(textAlert).toContainText('moved, renamed or deleted');
    await tab(page, 'a.ipynb').click();
    const notebookAlert = notebookPanel(page, 'a.ipynb').getByTestId('notebook-error');
    await expect(notebookAlert).toContainText('"a.ipynb" does not exist.');
    // Not "fix it in a text editor": there is no file to fix.
    await expect(notebookAlert).not.toContainText('text editor');
    await tab(page, 'a.ipynb').getByTestId('tab-close').click();
    await expect(tab(page, 'a.ipynb')).toHaveCount(0);
    expect(fs.existsSync(path.join(server.root, 'a.ipynb'))).toBe(false);
    expect(fs.existsSync(path.join(server.root, 'notes.txt'))).toBe(false);
  });

  test('a closed tab reopens with Ctrl+Shift+T', async ({ page }) => {
    await fileRow(page, 'notes.txt').dblclick();
    await expect(tab(page, 'notes.txt')).toBeVisible();
    await tab(page, 'notes.txt').getByTestId('tab-close').click();
    await expect(tab(page, 'notes.txt')).toHaveCount(0);
    await page.keyboard.press('Control+Shift+T');
    await expect(page.locator('[data-testid="document"][data-path="notes.txt"]')).toContainText('some notes');
  });
});

test.describe('lazy restore', () => {
  test.use({
    rootFiles: {
      'one.ipynb': notebookJSON(['print("one")']),
      'two.ipynb': notebookJSON(['print("two")'])
    }
  });

  test('a notebook at the address and in the saved layout opens once, with one kernel connection', async ({ page, server }) => {
    const panel = await openNotebook(page, 'one.ipynb');
    await expectKernelIdle(panel);
    await expect.poll(async () => groups((await savedLayout(page, server))?.main)).toEqual([['one.ipynb']]);

    // The reload opens one.ipynb twice at once: from its address and from the saved layout.
    const sockets: string[] = [];
    page.on('websocket', (ws) => {
      if (ws.url().includes('/channels')) sockets.push(ws.url());
    });
    await gotoApp(page, server.appUrl('one.ipynb'));
    const reopened = notebookPanel(page, 'one.ipynb');
    await expectKernelIdle(reopened);
    // Running a cell gives any second connection time to open; a second one would double the traffic.
    await selectCell(reopened, 0);
    await page.keyboard.press('Shift+Enter');
    await expect(reopened.locator('.ja-Output-body', { hasText: 'one' })).toBeVisible({ timeout: KERNEL_TIMEOUT });
    await expect(page.locator('.dv-tab')).toHaveCount(1);
    await expect(page.locator('[data-testid="notebook"]')).toHaveCount(1);
    expect(sockets).toHaveLength(1);
  });

  test('restored notebooks start no kernel until shown, also at the next start', async ({ page, server }) => {
    // Three kernel starts and a server restart: more than the default budget on a loaded machine.
    test.slow();
    await openNotebook(page, 'one.ipynb');
    await openNotebook(page, 'two.ipynb');
    await expect.poll(() => sessionPaths(page, server), { timeout: 30_000 }).toEqual(['one.ipynb', 'two.ipynb']);
    await expect.poll(async () => groups((await savedLayout(page, server))?.main)).toEqual([['one.ipynb', 'two.ipynb']]);

    // A server restart stops the kernels; the layout stays.
    await server.restart();
    await gotoApp(page, server.appUrl());
    await expect(tab(page, 'one.ipynb')).toBeVisible();
    await expect(tab(page, 'two.ipynb')).toBeVisible();
    // The active tab (two) is shown and loads; one stays a placeholder without a kernel.
    await expect(notebookPanel(page, 'two.ipynb').getByTestId('cell')).toHaveCount(1);
    await expect.poll(() => sessionPaths(page, server), { timeout: 30_000 }).toEqual(['two.ipynb']);
    await expect(notebookPanel(page, 'one.ipynb')).toHaveCount(0);

    await tab(page, 'one.ipynb').click();
    await expect(notebookPanel(page, 'one.ipynb').getByTestId('cell')).toHaveCount(1);
    await expect.poll(() => sessionPaths(page, server), { timeout: 30_000 }).toEqual(['one.ipynb', 'two.ipynb']);
    // It took the placeholder's place: still two tabs, in the same order.
    await expect(page.locator('.dv-tab')).toHaveText(['one.ipynb', 'two.ipynb']);
  });
});
