/**
 * Work that outlives the tab (issue 16): exact saves, and catching up with the server's
 * execution journal after the page was closed, reloaded, or opened in another browser.
 * Tests wait on the journal's API or the file on disk, never on sleeps.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, gotoApp, test, type JlabAltServer } from './fixtures';
import {
  KERNEL_TIMEOUT,
  cells,
  expectDirty,
  expectKernelIdle,
  notebookJSON,
  notebookPanel,
  openNotebook,
  outputs,
  prompt,
  python,
  saveWithKeys,
  selectCell,
  setCellText
} from './notebook-helpers';
import { keptPaths } from './recovery-helpers';

/** A long enough budget for a cell that runs ~15 s on a loaded machine. */
const RUN_TIMEOUT = 90_000;

interface JournalExecution {
  cell_id: string;
  state: string;
  status: string | null;
  execution_count: number | null;
  outputs: { output_type: string; text?: string; data?: Record<string, unknown> }[];
  input_request: unknown;
}

/** The journal's answer for `notebook` (as the server's API gives it). */
async function journal(request: APIRequestContext, server: JlabAltServer, notebook: string): Promise<{ executions?: JournalExecution[] }> {
  const response = await request.get(`${server.origin}/jlab-alt/api/journal?path=${encodeURIComponent(notebook)}`, {
    headers: { Authorization: `token ${server.token}` }
  });
  expect(response.ok()).toBe(true);
  return (await response.json()) as { executions?: JournalExecution[] };
}

/** The latest execution of cell `cellId` in the journal. */
async function execution(request: APIRequestContext, server: JlabAltServer, notebook: string, cellId: string): Promise<JournalExecution | null> {
  const found = (await journal(request, server, notebook)).executions?.filter((e) => e.cell_id === cellId) ?? [];
  return found[found.length - 1] ?? null;
}

function streamText(e: JournalExecution | null): string {
  return (e?.outputs ?? []).map((o) => o.text ?? '').join('');
}

/** Open the app at `notebook` in `page` and return its panel once the cells show. */
async function reopen(page: Page, server: JlabAltServer, notebook: string) {
  await gotoApp(page, server.appUrl(notebook));
  const panel = notebookPanel(page, notebook);
  await expect(cells(panel).first()).toBeVisible({ timeout: 30_000 });
  return panel;
}

async function newPageIn(browser: Browser) {
  const context = await browser.newContext();
  return { context, page: await context.newPage() };
}

/** Run cell `index` with Ctrl+Enter and wait until it shows as running (or, for a quick cell, ran). */
async function runCell(panel: ReturnType<typeof notebookPanel>, index: number, quick = false) {
  await selectCell(panel, index);
  await panel.page().keyboard.press('Control+Enter');
  await expect(prompt(panel, index)).toHaveText(quick ? /^\[[*0-9]+\]:$/ : '[*]:', { timeout: KERNEL_TIMEOUT });
}

// ---------------------------------------------------------------------------
// Exact saves

/** A notebook written by nbformat whose outputs and metadata hold numbers JavaScript re-spells. */
const FLOATS = python(`
import nbformat
nb = nbformat.v4.new_notebook()
values = {"one": 1.0, "ten": 10.0, "huge": 1e300, "negzero": -0.0, "seventeen": 0.30000000000000004, "e16": 1e16, "bigint": 2**64 + 1, "list": [0.0, 2.5, 100.0]}
nb.metadata["custom"] = values
nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"m": {"model_name": "FloatSliderModel", "state": {"value": 10.0, "step": 0.1}}}, "version_major": 2, "version_minor": 0}}
for i in range(3):
    cell = nbformat.v4.new_code_cell(f"x = {i}", execution_count=i + 1)
    cell.id = f"cell-{i}"
    cell.metadata["timing"] = {"elapsed": 1.0 * i}
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"application/json": values, "text/plain": "values"}, execution_count=i + 1)]
    nb.cells.append(cell)
print(nbformat.writes(nb, version=4))
`);

test.describe('exact saves', () => {
  test.use({ rootFiles: { 'floats.ipynb': FLOATS } });

  test('opening and saving writes the very bytes read; one edit changes only that cell', async ({ page, server }) => {
    const file = path.join(server.root, 'floats.ipynb');
    const original = fs.readFileSync(file, 'utf8');
    expect(original).toContain('10.0');
    expect(original).toContain('-0.0');
    const panel = await openNotebook(page, 'floats.ipynb', 3);
    await saveWithKeys(page, file);
    expect(fs.readFileSync(file, 'utf8'), 'an unedited save writes what was read').toBe(original);

    await setCellText(page, panel, 1, 'x = "edited"');
    await page.keyboard.press('Escape');
    await expectDirty(page, 'floats.ipynb');
    await saveWithKeys(page, file);
    const expected = original.replace('"x = 1"', '"x = \\"edited\\""');
    expect(expected).not.toBe(original);
    expect(fs.readFileSync(file, 'utf8'), 'only the edited cell’s source changed').toBe(expected);
  });
});

// ---------------------------------------------------------------------------
// Catching up

const LONG = 'long.ipynb';
/** Prints a line every half second until the test creates the file `stop` (at most 200 s). */
const LINES = "import os, time\ni = 0\nwhile not os.path.exists('stop') and i < 400:\n    print(f'line {i}', flush=True)\n    i += 1\n    time.sleep(0.5)\nprint('finished')";

/** How many lines the cell printed, by the journal. */
async function linesPrinted(request: APIRequestContext, server: JlabAltServer): Promise<number> {
  return (streamText(await execution(request, server, LONG, 'cell-0')).match(/^line /gm) ?? []).length;
}

/** Let the cell finish, then check the page shows every line once, then "finished", with count [1]. */
async function finishLongRun(panel: ReturnType<typeof notebookPanel>, server: JlabAltServer, request: APIRequestContext) {
  server.write('stop', '');
  await expect(prompt(panel, 0)).toHaveText('[1]:', { timeout: RUN_TIMEOUT });
  await expect.poll(async () => (await execution(request, server, LONG, 'cell-0'))?.state, { timeout: KERNEL_TIMEOUT }).toBe('done');
  const all = streamText(await execution(request, server, LONG, 'cell-0'));
  expect(all).toMatch(/^line 0\nline 1\n[\s\S]*finished\n$/);
  await expect(outputs(panel, 0)).toHaveCount(1);
  await expect(outputs(panel, 0, 'stream')).toHaveText(all.trimEnd());
}

test.describe('catching up', () => {
  test.use({ rootFiles: { [LONG]: notebookJSON([LINES, 'x = 1']) } });

  test('a closed page reopened shows what was printed meanwhile, running, then finished', async ({ page, server, request, context }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, LONG, 2);
    await expectKernelIdle(panel);
    await runCell(panel, 0);
    await expect(outputs(panel, 0, 'stream')).toContainText('line 1', { timeout: KERNEL_TIMEOUT });
    await page.close();
    await expect.poll(() => linesPrinted(request, server), { timeout: RUN_TIMEOUT }).toBeGreaterThan(6);

    const again = await context.newPage();
    panel = await reopen(again, server, LONG);
    // Lines printed while no page was open, and the cell still running.
    await expect(outputs(panel, 0, 'stream')).toContainText('line 6', { timeout: KERNEL_TIMEOUT });
    await expect(prompt(panel, 0)).toHaveText('[*]:');
    // It goes on live.
    const now = await linesPrinted(request, server);
    await expect(outputs(panel, 0, 'stream')).toContainText(`line ${now + 2}`, { timeout: KERNEL_TIMEOUT });
    await finishLongRun(panel, server, request);
    await expectDirty(again, LONG);
  });

  test('a reload shows every line once and the run live', async ({ page, server, request }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, LONG, 2);
    await expectKernelIdle(panel);
    await runCell(panel, 0);
    await expect(outputs(panel, 0, 'stream')).toContainText('line 1', { timeout: KERNEL_TIMEOUT });
    await page.reload();
    panel = notebookPanel(page, LONG);
    await expect(prompt(panel, 0)).toHaveText('[*]:', { timeout: KERNEL_TIMEOUT });
    const now = await linesPrinted(request, server);
    await expect(outputs(panel, 0, 'stream')).toContainText(`line ${now + 2}`, { timeout: KERNEL_TIMEOUT });
    await finishLongRun(panel, server, request);
  });

  test('a second browser sees the first one’s run live', async ({ page, server, browser, request }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    const panel = await openNotebook(page, LONG, 2);
    await expectKernelIdle(panel);
    const other = await newPageIn(browser);
    const otherPanel = await reopen(other.page, server, LONG);
    await expectKernelIdle(otherPanel);
    await runCell(panel, 0);
    await expect(prompt(otherPanel, 0)).toHaveText('[*]:', { timeout: KERNEL_TIMEOUT });
    await expect(outputs(otherPanel, 0, 'stream')).toContainText('line 2', { timeout: KERNEL_TIMEOUT });
    await finishLongRun(otherPanel, server, request);
    await expect(prompt(panel, 0)).toHaveText('[1]:');
    await other.context.close();
  });
});

test.describe('catching up when the server restarts', () => {
  test.use({ rootFiles: { [LONG]: notebookJSON([LINES, 'x = 1']) } });

  test('a server restart loses the journal: no stale [*], and the notebook says so', async ({ page, server, request, context }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, LONG, 2);
    await expectKernelIdle(panel);
    await runCell(panel, 0);
    await page.close();
    await expect.poll(() => linesPrinted(request, server), { timeout: RUN_TIMEOUT }).toBeGreaterThan(2);
    const again = await context.newPage();
    panel = await reopen(again, server, LONG);
    await expect(prompt(panel, 0)).toHaveText('[*]:', { timeout: KERNEL_TIMEOUT });
    await server.restart();
    await expect(panel.getByTestId('journal-notice')).toContainText('The server restarted', { timeout: RUN_TIMEOUT });
    await expect(prompt(panel, 0)).not.toHaveText('[*]:');
    await expect(outputs(panel, 0, 'stream')).toContainText('line 2');
  });
});

test.describe('catching up with displays, progress bars and input', () => {
  test.use({
    rootFiles: {
      'shows.ipynb': notebookJSON([
        "from IPython.display import display\nh = display('before', display_id=True)",
        "import time\ntime.sleep(3)\nh.update('after')",
        "from IPython.display import clear_output\nimport time\nfor i in range(1, 21):\n    clear_output(wait=True)\n    print(f'progress {i * 5}%', flush=True)\n    time.sleep(0.2)",
        "import time\ntime.sleep(2)\nname = input('Your name? ')\nprint('hello', name)"
      ])
    }
  });

  test('update_display_data to another cell while closed, and a clear_output(wait=True) progress bar', async ({ page, server, request, context }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, 'shows.ipynb', 4);
    await expectKernelIdle(panel);
    await runCell(panel, 0, true);
    await expect(outputs(panel, 0)).toHaveText("'before'", { timeout: KERNEL_TIMEOUT });
    await runCell(panel, 1);
    await runCell(panel, 2);
    await page.close();
    await expect.poll(async () => (await execution(request, server, 'shows.ipynb', 'cell-2'))?.state, { timeout: RUN_TIMEOUT }).toBe('done');

    const again = await context.newPage();
    panel = await reopen(again, server, 'shows.ipynb');
    await expect(outputs(panel, 0)).toHaveText("'after'", { timeout: KERNEL_TIMEOUT });
    await expect(outputs(panel, 2)).toHaveCount(1);
    await expect(outputs(panel, 2, 'stream')).toHaveText('progress 100%');
    await expect(prompt(panel, 2)).toHaveText('[3]:');
  });

  test('input() requested while closed is answered after reopening', async ({ page, server, request, context }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, 'shows.ipynb', 4);
    await expectKernelIdle(panel);
    await runCell(panel, 3);
    await page.close();
    await expect.poll(async () => !!(await execution(request, server, 'shows.ipynb', 'cell-3'))?.input_request, { timeout: RUN_TIMEOUT }).toBe(true);

    const again = await context.newPage();
    panel = await reopen(again, server, 'shows.ipynb');
    const box = cells(panel).nth(3).getByTestId('stdin');
    await expect(box).toContainText('Your name?', { timeout: KERNEL_TIMEOUT });
    await expect(prompt(panel, 3)).toHaveText('[*]:');
    await box.locator('input').fill('Ada');
    await box.locator('input').press('Enter');
    await expect(outputs(panel, 3, 'stream')).toContainText('hello Ada', { timeout: KERNEL_TIMEOUT });
    await expect(prompt(panel, 3)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
    await expect(box).toHaveCount(0);
  });
});

test.describe('catching up after a kernel restart or with deleted cells', () => {
  test.use({
    rootFiles: {
      'sleepy.ipynb': notebookJSON(["import time\nprint('sleeping', flush=True)\ntime.sleep(120)", 'x = 1']),
      'lines.ipynb': notebookJSON(['x = 1', "import time\nfor i in range(3):\n    print(f'kept {i}', flush=True)\n    time.sleep(0.5)"])
    }
  });

  test('a kernel restart while closed shows the cell aborted', async ({ page, server, request, context }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, 'sleepy.ipynb', 2);
    await expectKernelIdle(panel);
    await runCell(panel, 0);
    await expect(outputs(panel, 0, 'stream')).toHaveText('sleeping', { timeout: KERNEL_TIMEOUT });
    await page.close();
    const sessions = (await (await request.get(`${server.origin}/api/sessions`, { headers: { Authorization: `token ${server.token}` } })).json()) as {
      path: string;
      kernel: { id: string };
    }[];
    const kernel = sessions.find((s) => s.path === 'sleepy.ipynb')!.kernel.id;
    const restarted = await request.post(`${server.origin}/api/kernels/${kernel}/restart`, { headers: { Authorization: `token ${server.token}` } });
    expect(restarted.ok()).toBe(true);
    await expect.poll(async () => (await execution(request, server, 'sleepy.ipynb', 'cell-0'))?.state, { timeout: KERNEL_TIMEOUT }).toBe('aborted');

    const again = await context.newPage();
    panel = await reopen(again, server, 'sleepy.ipynb');
    await expect(cells(panel).nth(0).getByTestId('journal-aborted')).toBeVisible({ timeout: KERNEL_TIMEOUT });
    await expect(prompt(panel, 0)).toHaveText('[1]:');
    await expect(outputs(panel, 0, 'stream')).toHaveText('sleeping');
  });

  test('outputs of a cell deleted while it ran are kept above the cells', async ({ page, server, request, context }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, 'lines.ipynb', 2);
    await expectKernelIdle(panel);
    await runCell(panel, 1, true);
    // The run left the notebook unsaved: crash recovery keeps a copy within a second. Wait for
    // it, so that the reopened page always offers it back (closing first would race the copy).
    await expect.poll(() => keptPaths(page), { timeout: KERNEL_TIMEOUT }).toEqual(['lines.ipynb']);
    await page.close();
    await expect.poll(async () => (await execution(request, server, 'lines.ipynb', 'cell-1'))?.state, { timeout: RUN_TIMEOUT }).toBe('done');
    // Someone else saved the notebook without that cell meanwhile.
    server.write('lines.ipynb', notebookJSON(['x = 1']));

    const again = await context.newPage();
    panel = await reopen(again, server, 'lines.ipynb');
    // The kept copy is offered back, with a warning that the file changed: this person drops it.
    const offer = again.getByTestId('dialog');
    await expect(offer).toContainText('The file on disk changed after these edits were made');
    await offer.getByRole('button', { name: 'Discard Them' }).click();
    await expect(offer).toHaveCount(0);
    await expect(cells(panel)).toHaveCount(1);
    const orphans = panel.getByTestId('journal-orphans');
    await expect(orphans).toContainText('1 deleted cell', { timeout: KERNEL_TIMEOUT });
    await orphans.locator('summary').click();
    await expect(orphans.getByTestId('journal-orphan')).toContainText('kept 2');
  });
});
