/**
 * Typing into a big notebook (issue 18 part 3, perf18): the longest main-thread task
 * within 2 s after typing one character into a cell of a 2,000-cell notebook. The 2 s
 * hold what follows a keystroke: the editor's update, and jlab-alt's crash recovery,
 * which keeps the unsaved edit about 0.4 s after it (ts_src/recovery; before perf18 it
 * serialized the whole notebook there). Each run opens the same file by URL in a fresh
 * context, waits for every cell and an idle kernel, saves once when the kernel start
 * changed metadata, enters the first cell's editor, lets the page settle, and types.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, findMarker, longestTask } from './apps.mjs';
import { freshPage, resetWorkspaces, waitForCellCount } from './scenarios.mjs';
import { manyCellsNotebook } from './scenarios-save.mjs';

/** Sizes: full runs, and `--smoke` (CI: small, jlab-alt only). */
export const TYPE_SIZES = { full: { cells: 2000 }, smoke: { cells: 200 } };

const MARK = 'SAVE_BENCH_FIRST';
const FILE = 'bench_type_cells.ipynb';
const TIMEOUT = 300_000;
/** The window after the keystroke in which tasks are measured (ms). */
const WINDOW_MS = 2000;

function isDirty(appId) {
  if (appId === 'jupyterlab') return !!window.jupyterapp?.shell.currentWidget?.context?.model.dirty;
  return [...document.querySelectorAll('.dv-tab')].some((t) => t.textContent.startsWith('● '));
}

function savedAt(appId) {
  if (appId === 'jupyterlab') {
    const w = window.jupyterapp?.shell.currentWidget;
    return w?.context && !w.context.model.dirty ? performance.now() : false;
  }
  const panel = document.querySelector('[data-testid="document"]');
  const tabDirty = [...document.querySelectorAll('.dv-tab')].some((t) => t.textContent.startsWith('● '));
  return panel?.dataset.saveState === 'completed' && !tabDirty ? performance.now() : false;
}

/** One run: returns `{longest_task_ms}` (0 when no task reached 50 ms). */
export async function runTypeOne({ browser, server, root, cells }) {
  fs.writeFileSync(path.join(root, FILE), JSON.stringify(manyCellsNotebook(cells), null, 1) + '\n');
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  const { context, page } = await freshPage(browser, { timeout: TIMEOUT });
  try {
    await page.goto(server.url(FILE), { waitUntil: 'commit', timeout: TIMEOUT });
    await page.waitForFunction(findMarker, { text: MARK, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
    await waitForCellCount(page, adapter, cells, TIMEOUT);
    await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 100, timeout: 120_000 });
    if (await page.evaluate(isDirty, server.appId)) {
      await page.keyboard.press('Control+S');
      await page.waitForFunction(savedAt, server.appId, { polling: 'raf', timeout: TIMEOUT });
    }
    await adapter.focusFirstCell(page);
    await page.keyboard.press('Enter');
    // Let opening finish before the keystroke: jlab-alt builds the cells near the screen
    // in slices (it says when they are built); then a pause for the rest (kernel info, ...).
    if (server.appId === 'jlab-alt') {
      await page.waitForFunction(() => document.querySelector('[data-testid="notebook"]')?.getAttribute('data-built') === 'near', undefined, {
        polling: 100,
        timeout: TIMEOUT
      });
    }
    await page.waitForTimeout(3000);
    await page.keyboard.press('End');
    const before = await page.evaluate(() => window.__bench.keydowns.length);
    await page.keyboard.type('1');
    await page.waitForFunction(isDirty, server.appId, { polling: 100, timeout: 30_000 });
    const keydown = await page.evaluate((n) => window.__bench.keydowns[n], before);
    await page.waitForTimeout(WINDOW_MS + 200);
    const longest = await page.evaluate(longestTask, [keydown, keydown + WINDOW_MS]);
    return { longest_task_ms: longest };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Run `type_many_cells` through the runner's `scenario(id, title, fn, params)` (bench.mjs). */
export async function perf18Scenarios({ scenario, wanted, servers, roots, smoke, browser }) {
  if (!wanted('type_many_cells')) return;
  const { cells } = smoke ? TYPE_SIZES.smoke : TYPE_SIZES.full;
  await scenario(
    'type_many_cells',
    `Type one character into a ${cells.toLocaleString('en-US')}-cell notebook → longest task within 2 s`,
    (app) => runTypeOne({ browser, server: servers[app], root: roots[app], cells }),
    { cells }
  );
}

/** Rows of the report table (report.mjs's row format). */
export function perf18Rows() {
  return [['type_many_cells', 'longest_task_ms', 'Type one character into a 2,000-cell notebook: longest task within 2 s', 'task', { max: 100 }]];
}
