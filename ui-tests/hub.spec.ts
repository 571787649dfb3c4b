/**
 * jlab-alt as a JupyterHub single-user server: a real JupyterHub with
 * configurable-http-proxy, the dummy authenticator and the local process spawner,
 * `c.Spawner.default_url = "/jlab-alt"` (see hub-fixtures.ts). Users log in through
 * the hub's form with names that need escaping in URLs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runFromPalette } from './fixtures';
import { hubTest as test, loginThroughHub } from './hub-fixtures';
import { expect } from '@playwright/test';
import { cells, expectKernelIdle, notebookJSON, openNotebook, outputs, selectCell, streamOutput } from './notebook-helpers';

test.describe.configure({ mode: 'serial' });

test('log in as "ana+b", land in jlab-alt, run a notebook, open the Control Panel, log out', async ({
  page,
  hub,
  pageErrors
}) => {
  test.setTimeout(240_000);
  const user = 'ana+b';
  fs.writeFileSync(path.join(hub.home(user), 'hello.ipynb'), notebookJSON(['import os\nprint("user", os.environ["JUPYTERHUB_USER"])']));
  fs.writeFileSync(
    path.join(hub.home(user), 'big.ipynb'),
    notebookJSON([{ source: 'print(rows)', outputs: [streamOutput('row\n'.repeat(400_000))] }, { type: 'markdown', source: '# After the big output' }], { kernel: null })
  );
  const pages: { url: string; csp: string; body: string }[] = [];
  page.on('response', async (response) => {
    if (response.status() === 200 && new URL(response.url()).pathname === `${hub.userPrefix(user)}jlab-alt`) {
      pages.push({ url: response.url(), csp: response.headers()['content-security-policy'] ?? '', body: await response.text() });
    }
  });
  await loginThroughHub(page, hub, user);
  expect(new URL(page.url()).pathname).toBe('/user/ana%2Bb/jlab-alt');

  // The page keeps jlab-alt's own policy, merged with the hub's frame-ancestors 'none'.
  const served = pages.at(-1)!;
  expect(served.csp).toContain("frame-ancestors 'none'");
  expect(served.csp).toMatch(/script-src 'self' 'sha256-[^']+'/);
  expect(served.csp).toContain("object-src 'none'");
  // The hub's page_config_hook offers an API token: it never reaches the page.
  const config = await page.evaluate(() => JSON.parse(document.getElementById('jupyter-config-data')!.textContent!));
  expect(config).toMatchObject({ hubUser: user, hubPrefix: '/hub/', hubServerName: '', baseUrl: '/user/ana%2Bb/' });
  expect(config).not.toHaveProperty('token');
  expect(served.body).not.toMatch(/"token"/);

  const panel = await openNotebook(page, 'hello.ipynb', 1);
  await expectKernelIdle(panel);
  await selectCell(panel, 0);
  await page.keyboard.press('Control+Enter');
  await expect(outputs(panel, 0, 'stream')).toHaveText('user ana+b');
  await expect(cells(panel)).toHaveCount(1);

  // A notebook of over 1 MB is parsed in a worker, whose script loads from under the user's
  // prefix within the page's policy: the notebook opens whole.
  const worker = page.waitForResponse((r) => /\/jlab-alt\/static\/jlab-alt-json\.[0-9a-f]+\.js$/.test(new URL(r.url()).pathname));
  const big = await openNotebook(page, 'big.ipynb', 2);
  expect((await worker).status()).toBe(200);
  await expect(big.getByRole('heading', { name: 'After the big output' })).toBeVisible();
  await expect(outputs(big, 0, 'stream')).toContainText('row');

  // Control Panel opens the hub's home page in a new tab.
  const [popup] = await Promise.all([page.waitForEvent('popup'), runFromPalette(page, 'Hub Control Panel', 'hub:control-panel')]);
  await popup.waitForLoadState();
  expect(new URL(popup.url()).pathname).toBe('/hub/home');
  await expect(popup.locator('#stop, a#start, [href*="/user/ana%2Bb"]').first()).toBeVisible();
  await popup.close();

  // Log Out goes through the server's /logout to the hub, which logs out and shows its login form.
  await runFromPalette(page, 'Log Out', 'hub:logout');
  await page.waitForURL((url) => url.pathname.startsWith('/hub/login') || url.pathname.startsWith('/hub/logout'));
  await expect(page.locator('input[name="username"]')).toBeVisible();
  // Logged out: the app's URL asks for a login again.
  await page.goto(`${hub.origin}${hub.userPrefix(user)}jlab-alt`);
  await page.waitForURL((url) => url.pathname.startsWith('/hub/login'));
  expect(pageErrors).toEqual([]);
  await hub.api('DELETE', `users/${encodeURIComponent(user)}/server`);
  await hub.waitForStopped(user);
});

test('a named server of user "zoë@b.c": stopping it from the hub API while the page is open offers a restart, which brings the app back', async ({
  page,
  hub
}) => {
  test.setTimeout(420_000);
  const user = 'zoë@b.c';
  const server = 'dev';
  await loginThroughHub(page, hub, user);
  // Start a named server through the hub API, then open the app in it.
  const started = await hub.api('POST', `users/${encodeURIComponent(user)}/servers/${server}`);
  expect([201, 202]).toContain(started.status);
  const prefix = hub.userPrefix(user, server);
  expect(prefix).toBe('/user/zo%C3%AB@b.c/dev/');
  await hub.waitForReady(user, server);
  await page.goto(`${hub.origin}${prefix}jlab-alt`);
  await page.waitForFunction(() => document.body.dataset.jaState === 'ready', undefined, { timeout: 60_000 });
  const config = await page.evaluate(() => JSON.parse(document.getElementById('jupyter-config-data')!.textContent!));
  expect(config).toMatchObject({ hubUser: user, hubServerName: server, baseUrl: prefix });
  await expect(page.getByTestId('filebrowser-item').first().or(page.getByTestId('filebrowser'))).toBeVisible();

  // The hub stops the server while the page is open: one clear dialog, not a reconnect loop.
  const stopped = await hub.api('DELETE', `users/${encodeURIComponent(user)}/servers/${server}`);
  expect([202, 204]).toContain(stopped.status);
  const dialog = page.getByTestId('dialog');
  await expect(dialog.getByTestId('hub-server-stopped')).toContainText(`${prefix} is not running`, { timeout: 60_000 });
  await expect(dialog).toHaveCount(1);

  // Restart opens the hub's spawn page for this named server, which starts it and lands in the app again.
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    dialog.locator('.ja-Dialog-button[data-id="restart"]').click()
  ]);
  // The hub's spawn-pending page redirects once the server is up (slow on a loaded machine).
  await popup.waitForURL((url) => url.pathname === `${prefix}jlab-alt`, { timeout: 180_000 });
  await popup.waitForFunction(() => document.body.dataset.jaState === 'ready', undefined, { timeout: 60_000 });
  await expect(dialog).toBeHidden();
  // The first page notices the server is back.
  await expect(page.getByTestId('notification').filter({ hasText: 'running again' })).toBeVisible({ timeout: 90_000 });
  await popup.close();
  await hub.api('DELETE', `users/${encodeURIComponent(user)}/servers/${server}`);
  await hub.waitForStopped(user, server);
});
