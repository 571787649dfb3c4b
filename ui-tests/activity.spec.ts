/**
 * Activity for idle culling: the server's `last_activity` (`GET /api/status`, what
 * JupyterHub's single-user server reports to the hub and jupyterhub-idle-culler
 * reads) must not move while an open page only polls (file browser, kernel and
 * session listings, settings), and must move when the person runs a cell.
 */
import type { Request } from '@playwright/test';
import { expect, test, type JlabAltServer } from './fixtures';
import { expectKernelIdle, notebookJSON, openNotebook, outputs, selectCell } from './notebook-helpers';

test.use({ rootFiles: { 'idle.ipynb': notebookJSON(['print("ran", 1 + 1)']) } });

async function lastActivity(server: JlabAltServer): Promise<string> {
  const res = await fetch(`${server.origin}/api/status?token=${server.token}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { last_activity: string }).last_activity;
}

test('background polling leaves last_activity alone; running a cell moves it', async ({ page, server }) => {
  test.setTimeout(120_000);
  const panel = await openNotebook(page, 'idle.ipynb', 1);
  await expectKernelIdle(panel);
  // Let everything the open settle: the kernel's idle status after its start is activity too.
  let before = await lastActivity(server);
  await expect.poll(async () => {
    const now = await lastActivity(server);
    const same = now === before;
    before = now;
    return same;
  }, { intervals: [1500] }).toBe(true);

  // Wait until the page has polled: two file browser listings and the kernel and session listings.
  const polls = { contents: 0, kernels: 0, sessions: 0 };
  const marked: string[] = [];
  const onRequest = (request: Request) => {
    const url = new URL(request.url());
    if (request.method() !== 'GET') return;
    if (url.pathname === '/api/contents' || url.pathname === '/api/contents/') polls.contents++;
    else if (url.pathname === '/api/kernels') polls.kernels++;
    else if (url.pathname === '/api/sessions') polls.sessions++;
    else return;
    if (!url.searchParams.has('no_track_activity')) marked.push(`unmarked: ${url.pathname}`);
  };
  page.on('request', onRequest);
  await expect.poll(() => polls.contents >= 2 && polls.kernels >= 1 && polls.sessions >= 1, { timeout: 60_000 }).toBe(true);
  page.off('request', onRequest);
  expect(marked).toEqual([]);
  expect(await lastActivity(server)).toBe(before);

  // Real use counts.
  await selectCell(panel, 0);
  await page.keyboard.press('Control+Enter');
  await expect(outputs(panel, 0, 'stream')).toHaveText('ran 2');
  await expect.poll(() => lastActivity(server)).not.toBe(before);
  expect(Date.parse(await lastActivity(server))).toBeGreaterThan(Date.parse(before));
});
