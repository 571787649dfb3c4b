/**
 * The kernel connection survives a dropped WebSocket and a server restart, and the
 * notebook's unsaved edits survive both.
 */
import path from 'node:path';
import { expect, test } from './fixtures';
import {
  KERNEL_TIMEOUT,
  cells,
  expectKernelIdle,
  joined,
  kernelStatus,
  notebookJSON,
  openNotebook,
  outputs,
  prompt,
  readNotebook,
  saveWithKeys,
  selectCell,
  setCellText
} from './notebook-helpers';

/** The current notebook's kernel connection (with the services' private socket, to cut it). */
const KERNEL = `(window.jlabAlt.shell.currentWidget.session.kernel)`;

test.use({ rootFiles: { 'conn.ipynb': notebookJSON(['x = 41', 'print(x + 1)']) } });

test('a dropped WebSocket reconnects to the same kernel: variables are still there', async ({ page }) => {
  const panel = await openNotebook(page, 'conn.ipynb', 2);
  await expectKernelIdle(panel);
  await selectCell(panel, 0);
  await page.keyboard.press('Shift+Enter');
  await expect(prompt(panel, 0)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
  await expectKernelIdle(panel);

  const kernelId = await page.evaluate(`${KERNEL}.id`);
  // Close the socket as a network failure would (any code but 1000/1001 means "lost").
  await page.evaluate(`(() => { const ws = ${KERNEL}._ws; ws.dropped = true; ws.close(4000, 'network drop'); })()`);
  await expect
    .poll(() => page.evaluate(`(() => { const ws = ${KERNEL}._ws; return !!ws && !ws.dropped && ws.readyState === 1; })()`), {
      message: 'a new WebSocket is open',
      timeout: KERNEL_TIMEOUT
    })
    .toBe(true);
  await expectKernelIdle(panel);
  await selectCell(panel, 1);
  await page.keyboard.press('Control+Enter');
  await expect(outputs(panel, 1, 'stream')).toHaveText('42', { timeout: KERNEL_TIMEOUT });
  expect(await page.evaluate(`${KERNEL}.id`), 'the same kernel').toBe(kernelId);
});

test('after a server restart the notebook keeps its edits, gets a new kernel, runs and saves', async ({ page, server }) => {
  test.setTimeout(120_000);
  const panel = await openNotebook(page, 'conn.ipynb', 2);
  await expectKernelIdle(panel);
  const before = await page.evaluate(`${KERNEL}.id`);
  await selectCell(panel, 0);
  await page.keyboard.press('Shift+Enter');
  await expect(prompt(panel, 0)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
  await expectKernelIdle(panel);
  await setCellText(page, panel, 1, 'print(6 * 7)');
  await page.keyboard.press('Escape');

  const restarted = server.restart();
  await expect(kernelStatus(panel)).toHaveAttribute('data-status', 'disconnected', { timeout: KERNEL_TIMEOUT });
  await restarted;

  // The server lost the kernel with its restart: a new one starts, and the person is told.
  await expect(panel.locator('.ja-NotebookPanel-banner')).toContainText('a new kernel was started', { timeout: 60_000 });
  await expectKernelIdle(panel);
  expect(await page.evaluate(`${KERNEL}.id`)).not.toBe(before);
  await expect(cells(panel).nth(1).locator('.ja-Cell-input')).toContainText('print(6 * 7)');
  await selectCell(panel, 1);
  await page.keyboard.press('Control+Enter');
  await expect(outputs(panel, 1, 'stream')).toHaveText('42', { timeout: KERNEL_TIMEOUT });

  const file = path.join(server.root, 'conn.ipynb');
  await saveWithKeys(page, file);
  const saved = readNotebook(file);
  expect(joined(saved.cells[1]!.source)).toBe('print(6 * 7)');
  expect(joined(saved.cells[1]!.outputs![0]!.text)).toBe('42\n');
});
