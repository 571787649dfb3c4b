/**
 * The running panel against a real server: it lists a notebook's kernel and a
 * terminal, closes a terminal's tab without ending the shell, and shuts down a
 * terminal and a kernel.
 */
import { expect, runFromPalette, test } from './fixtures';
import { expectKernelIdle, notebookJSON, openNotebook } from './notebook-helpers';
import { newTerminal, serverTerminals, terminalNode } from './terminal-helpers';

async function serverKernels(page: import('@playwright/test').Page): Promise<string[]> {
  return page.evaluate(async () => {
    const res = await fetch('/api/kernels');
    if (!res.ok) throw new Error(`GET /api/kernels: ${res.status}`);
    return ((await res.json()) as { id: string }[]).map((k) => k.id);
  });
}

test.describe('running panel', () => {
  test.use({ rootFiles: { 'nb.ipynb': notebookJSON(['1 + 1']) } });

  test('shows kernels with their notebooks and terminals; shuts down a terminal and a kernel', async ({ page }) => {
    // A kernel and a shell start, and both are shut down: slow on a loaded machine.
    test.setTimeout(120_000);
    const panel = await openNotebook(page, 'nb.ipynb');
    await expectKernelIdle(panel);
    const name = await newTerminal(page);

    await page.locator('.ja-SideBar-tab[data-id="running-panel"]').click();
    const running = page.getByTestId('running-panel');
    await expect(running).toBeVisible();
    const kernel = running.getByTestId('running-kernel');
    await expect(kernel).toHaveCount(1);
    await expect(running.getByTestId('running-session')).toHaveAttribute('data-path', 'nb.ipynb');
    const terminal = running.locator(`[data-testid="running-terminal"][data-name="${name}"]`);
    await expect(terminal).toContainText('open in a tab');

    // Close the tab: the shell keeps running.
    await terminal.getByTestId('running-close-tab').click();
    await expect(terminalNode(page, name)).toHaveCount(0);
    await expect(terminal).toContainText('no tab');
    expect(await serverTerminals(page)).toEqual([name]);

    // Open it again from the panel, then shut it down: the tab goes too.
    await terminal.click();
    await expect(terminalNode(page, name)).toHaveAttribute('data-state', 'connected');
    await terminal.getByTestId('running-shutdown').click();
    await expect(terminal).toHaveCount(0);
    await expect(terminalNode(page, name)).toHaveCount(0);
    await expect.poll(() => serverTerminals(page)).toEqual([]);

    // Shut the notebook's kernel down. (The notebook may then start itself a new
    // kernel, as it does after a server restart: only this one must be gone.)
    const [kernelId] = await serverKernels(page);
    await expect(kernel).toHaveAttribute('data-id', kernelId!);
    await kernel.getByTestId('running-shutdown').click();
    await expect(running.locator(`[data-testid="running-kernel"][data-id="${kernelId}"]`)).toHaveCount(0);
    await expect.poll(async () => (await serverKernels(page)).includes(kernelId!)).toBe(false);
  });

  test('lists a console for a notebook under the notebook\'s kernel, and shows it on a click', async ({ page }) => {
    test.setTimeout(120_000);
    const panel = await openNotebook(page, 'nb.ipynb');
    await expectKernelIdle(panel);
    await runFromPalette(page, 'New Console for Notebook', 'console:create-for-notebook');
    const console_ = page.getByTestId('console');
    await expect(console_).toBeVisible();

    await page.locator('.ja-SideBar-tab[data-id="running-panel"]').click();
    const running = page.getByTestId('running-panel');
    // One kernel, with the notebook's session and the console sharing it.
    await expect(running.getByTestId('running-kernel')).toHaveCount(1);
    await expect(running.getByTestId('running-session')).toHaveAttribute('data-path', 'nb.ipynb');
    const shared = running.getByTestId('running-shared-tab');
    await expect(shared).toHaveCount(1);
    await expect(shared).toContainText('console');

    // The notebook in front, then a click on the row makes the console the current tab.
    const consoleId = await shared.getAttribute('data-id');
    const current = () =>
      page.evaluate(() => (window as unknown as { jlabAlt: { shell: { currentWidget: { id: string } | null } } }).jlabAlt.shell.currentWidget?.id);
    await page.locator('.dv-tab').filter({ hasText: /^nb\.ipynb$/ }).click();
    await expect.poll(current).not.toBe(consoleId);
    await shared.click();
    await expect.poll(current).toBe(consoleId);
  });
});
