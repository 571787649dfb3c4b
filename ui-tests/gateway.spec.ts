/**
 * Remote kernels: jlab-alt's server runs with a gateway URL (JUPYTER_GATEWAY_URL,
 * the environment form of `--gateway-url`) pointing at a real jupyter-kernel-gateway
 * on 127.0.0.1 with a token and kernel listing on (see hub-fixtures.ts).
 */
import { expect, test as base } from './fixtures';
import { startGateway, type Gateway } from './hub-fixtures';
import {
  cells,
  expectCommandMode,
  expectKernelIdle,
  KERNEL_TIMEOUT,
  kernelStatus,
  notebookJSON,
  notebookPanel,
  openNotebook,
  outputs,
  prompt,
  selectCell
} from './notebook-helpers';

const test = base.extend<{ gateway: Gateway }>({
  gateway: async ({}, use, testInfo) => {
    const gateway = await startGateway();
    try {
      await use(gateway);
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('gateway.log', { body: gateway.log(), contentType: 'text/plain' });
      }
      await gateway.stop();
    }
  },
  serverEnv: async ({ gateway }, use) => {
    await use({ JUPYTER_GATEWAY_URL: gateway.url, JUPYTER_GATEWAY_AUTH_TOKEN: gateway.token });
  }
});

/** The kernels the gateway itself runs (its REST API, with its token). */
async function gatewayKernels(gateway: Gateway): Promise<{ id: string }[]> {
  const res = await fetch(`${gateway.url}/api/kernels`, { headers: { Authorization: `token ${gateway.token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: string }[];
}

test.use({
  rootFiles: {
    'remote.ipynb': notebookJSON([
      'import os\nprint("kernel pid", os.getpid())',
      'name = input("Name: ")\nprint("hi", name)',
      'import time\nprint("sleeping", flush=True)\ntime.sleep(120)',
      'y = 6 * 7\nprint(y)'
    ])
  }
});

test('cells run on the gateway\'s kernel: output, input(), interrupt of time.sleep, restart', async ({ page, gateway }) => {
  test.setTimeout(120_000);
  const panel = await openNotebook(page, 'remote.ipynb', 4);
  await expectKernelIdle(panel);
  // The kernel is the gateway's.
  await expect.poll(async () => (await gatewayKernels(gateway)).length).toBe(1);
  // Remote kernels have no local IOPub for the journal: the notebook says catching up is not available.
  await expect(page.getByTestId('journal-notice')).toContainText('Catching up is not available with remote (gateway) kernels');

  await selectCell(panel, 0);
  await page.keyboard.press('Control+Enter');
  // The first execution goes server -> gateway -> kernel: slow on a loaded machine.
  await expect(outputs(panel, 0, 'stream')).toContainText('kernel pid', { timeout: KERNEL_TIMEOUT });

  await selectCell(panel, 1);
  await page.keyboard.press('Control+Enter');
  const box = cells(panel).nth(1).getByTestId('stdin');
  await expect(box).toContainText('Name:', { timeout: KERNEL_TIMEOUT });
  await page.keyboard.type('Gail');
  await page.keyboard.press('Enter');
  await expect(outputs(panel, 1, 'stream')).toHaveText('hi Gail');

  await selectCell(panel, 2);
  await page.keyboard.press('Control+Enter');
  await expect(outputs(panel, 2, 'stream')).toHaveText('sleeping');
  await expect(kernelStatus(panel)).toHaveAttribute('data-status', 'busy');
  await expectCommandMode(panel);
  await page.keyboard.press('i');
  await page.keyboard.press('i');
  await expect(outputs(panel, 2, 'error')).toContainText('KeyboardInterrupt', { timeout: KERNEL_TIMEOUT });
  await expectKernelIdle(panel);

  await selectCell(panel, 3);
  await page.keyboard.press('Control+Enter');
  await expect(outputs(panel, 3, 'stream')).toHaveText('42');
  await expect(prompt(panel, 3)).toHaveText('[4]:');
  await expectCommandMode(panel);
  await page.keyboard.press('0');
  await page.keyboard.press('0');
  const dialog = page.getByTestId('dialog');
  await dialog.locator('.ja-Dialog-button[data-id="restart"]').click();
  await expect(dialog).toBeHidden();
  await expectKernelIdle(panel);
  await selectCell(panel, 3);
  await page.keyboard.press('Control+Enter');
  await expect(prompt(panel, 3)).toHaveText('[1]:');
  await expect(outputs(panel, 3, 'stream')).toHaveText('42');
});

test('a killed gateway is reported as a dead kernel within seconds; when it returns, the notebook gets a new kernel', async ({
  page,
  gateway
}) => {
  test.setTimeout(150_000);
  const panel = await openNotebook(page, 'remote.ipynb', 4);
  await expectKernelIdle(panel);
  await selectCell(panel, 3);
  await page.keyboard.press('Control+Enter');
  await expect(outputs(panel, 3, 'stream')).toHaveText('42', { timeout: KERNEL_TIMEOUT });
  await expectKernelIdle(panel);

  await gateway.kill();
  // The page's own liveness check notices (the browser's WebSocket to the server stays open).
  await expect(kernelStatus(panel)).toHaveAttribute('data-status', 'dead', { timeout: 20_000 });
  await expect(panel.locator('.ja-NotebookPanel-banner')).toContainText('The kernel has died');

  await gateway.start();
  const banner = panel.locator('.ja-NotebookPanel-banner');
  await expect(banner).toContainText('a new kernel was started', { timeout: 60_000 });
  await expectKernelIdle(panel);
  await selectCell(panel, 3);
  await page.keyboard.press('Control+Enter');
  await expect(prompt(panel, 3)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
  await expect(outputs(panel, 3, 'stream')).toHaveText('42');
  await expect.poll(async () => (await gatewayKernels(gateway)).length).toBe(1);
  await expect(notebookPanel(page, 'remote.ipynb')).toBeVisible();
});
