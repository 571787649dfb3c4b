/**
 * Saving big notebooks (issue 18 part 4, issue 16 part 3): Ctrl+S after editing one cell
 * of (a) a notebook with one 20 MB stream output and (b) a 2,000-cell notebook, in each
 * app: time from the Ctrl+S keydown until the app says the notebook is saved (jlab-alt:
 * the document's `data-save-state="completed"`; JupyterLab: its context's model is no
 * longer dirty), and the request bytes the page sent meanwhile (bodies of every
 * non-GET request: jlab-alt's save-delta POST or a contents PUT, JupyterLab's PUT and its
 * checkpoint POST). Each run starts from the same file, opened by URL in a fresh context,
 * with the kernel idle; the edit is typed into the first cell, as a person would.
 * The file on disk is checked to hold the edit after each run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, findMarker } from './apps.mjs';
import { freshPage, resetWorkspaces, waitForCellCount } from './scenarios.mjs';

/** Sizes: full runs, and `--smoke` (CI: small, jlab-alt only). */
export const SAVE_SIZES = {
  full: { outputMB: 20, cells: 2000 },
  smoke: { outputMB: 1, cells: 200 }
};

const MARK = 'SAVE_BENCH_FIRST';
const EDIT = 'SAVEDEDIT';
const TIMEOUT = 300_000;
const FILES = { big: 'bench_save_output.ipynb', many: 'bench_save_cells.ipynb' };

function notebook(cells) {
  return {
    cells,
    metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** One code cell whose stream output is `mb` MB of 100-character lines, between two small cells. */
export function bigOutputNotebook(mb) {
  const lineCount = Math.round((mb * 1e6) / 100);
  const text = Array.from({ length: lineCount }, (_, i) => `${String(i).padStart(8, '0')} ${'y'.repeat(90)}\n`);
  return notebook([
    { cell_type: 'code', id: 'first', metadata: {}, execution_count: 1, outputs: [], source: [`# ${MARK}\n`, 'a = 1'] },
    { cell_type: 'code', id: 'big', metadata: {}, execution_count: 2, outputs: [{ output_type: 'stream', name: 'stdout', text }], source: 'print(big)' },
    { cell_type: 'markdown', id: 'end', metadata: {}, source: '# The end' }
  ]);
}

/** `n` small code cells, each with a one-line output. */
export function manyCellsNotebook(n) {
  const cells = [];
  for (let i = 0; i < n; i++) {
    const source = i === 0 ? [`# ${MARK}\n`, `x = ${i}\n`, 'print(x)'] : [`x = ${i}\n`, 'print(x)'];
    cells.push({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: i + 1, outputs: [{ output_type: 'stream', name: 'stdout', text: [`${i}\n`] }], source });
  }
  return notebook(cells);
}

function contentsOf(which, sizes) {
  return JSON.stringify(which === 'big' ? bigOutputNotebook(sizes.outputMB) : manyCellsNotebook(sizes.cells), null, 1) + '\n';
}

/** In the page: `performance.now()` once the open notebook is saved and clean, else false. */
export function savedAt(appId) {
  if (appId === 'jupyterlab') {
    const w = window.jupyterapp?.shell.currentWidget;
    return w?.context && !w.context.model.dirty ? performance.now() : false;
  }
  const panel = document.querySelector('[data-testid="document"]');
  const tabDirty = [...document.querySelectorAll('.dv-tab')].some((t) => t.textContent.startsWith('● '));
  return panel?.dataset.saveState === 'completed' && !tabDirty ? performance.now() : false;
}

/** In the page: whether the open notebook has unsaved edits. */
export function isDirty(appId) {
  if (appId === 'jupyterlab') return !!window.jupyterapp?.shell.currentWidget?.context?.model.dirty;
  return [...document.querySelectorAll('.dv-tab')].some((t) => t.textContent.startsWith('● '));
}

/**
 * One run: open `which` ('big' or 'many') freshly written, wait for it and an idle
 * kernel, type an edit into the first cell, press Ctrl+S; returns `{save_ms,
 * sent_bytes, requests}`.
 */
export async function runSave({ browser, server, root, which, sizes, cells }) {
  const file = path.join(root, FILES[which]);
  fs.writeFileSync(file, contentsOf(which, sizes));
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  const { context, page } = await freshPage(browser, { timeout: TIMEOUT });
  try {
    await page.goto(server.url(FILES[which]), { waitUntil: 'commit', timeout: TIMEOUT });
    await page.waitForFunction(findMarker, { text: MARK, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
    await waitForCellCount(page, adapter, cells, TIMEOUT);
    await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 100, timeout: 120_000 });
    // A kernel start may update metadata (language_info): save once so only the edit is measured.
    if (await page.evaluate(isDirty, server.appId)) {
      await page.keyboard.press('Control+S');
      await page.waitForFunction(savedAt, server.appId, { polling: 'raf', timeout: TIMEOUT });
    }
    await adapter.focusFirstCell(page);
    await page.keyboard.press('Enter');
    await page.keyboard.type(EDIT);
    await page.keyboard.press('Escape');
    await page.waitForFunction(isDirty, server.appId, { polling: 100, timeout: 30_000 });
    // A person pauses before Ctrl+S; jlab-alt's crash recovery copies the edits 1 s after
    // them (a background task that would otherwise land inside the measured save).
    await page.waitForTimeout(2000);
    // Request bodies through CDP: Chromium leaves large bodies out of its request events.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // (The Content-Length the browser sent, from the headers on the wire.)
    const writes = [];
    const lengths = new Map();
    cdp.on('Network.requestWillBeSent', ({ requestId, request }) => {
      if (request.method !== 'GET' && /\/api\/contents\/|\/jlab-alt\/api\/save-delta\//.test(request.url)) writes.push({ requestId, request });
    });
    cdp.on('Network.requestWillBeSentExtraInfo', ({ requestId, headers }) => {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-length');
      if (key) lengths.set(requestId, Number(headers[key]));
    });
    await page.keyboard.press('Control+S');
    const saved = await (await page.waitForFunction(savedAt, server.appId, { polling: 'raf', timeout: TIMEOUT })).jsonValue();
    const keydown = await page.evaluate(() => window.__bench.keydowns.at(-1));
    let sent = 0;
    for (const { requestId, request } of writes) {
      if (lengths.has(requestId)) sent += lengths.get(requestId);
      else if (request.postData) sent += Buffer.byteLength(request.postData, 'utf8');
      else if (request.hasPostData) throw new Error(`no Content-Length seen for ${request.method} ${request.url}`);
    }
    const requests = writes.length;
    if (!fs.readFileSync(file, 'utf8').includes(EDIT)) throw new Error(`${FILES[which]} on disk does not hold the edit after the save`);
    return { save_ms: saved - keydown, sent_bytes: sent, requests };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/**
 * Run the save scenarios through the runner's `scenario(id, title, fn, params)` (bench.mjs):
 * `save_big_output` and `save_many_cells`. `--smoke`: small sizes (the runner's apps).
 */
export async function saveScenarios({ scenario, wanted, servers, roots, smoke, browser }) {
  if (!['save_big_output', 'save_many_cells'].some(wanted)) return;
  const sizes = smoke ? SAVE_SIZES.smoke : SAVE_SIZES.full;
  await scenario(
    'save_big_output',
    `Ctrl+S after editing one cell of a notebook with a ${sizes.outputMB} MB output → saved`,
    (app) => runSave({ browser, server: servers[app], root: roots[app], which: 'big', sizes, cells: 3 }),
    { output_mb: sizes.outputMB }
  );
  await scenario(
    'save_many_cells',
    `Ctrl+S after editing one cell of a ${sizes.cells.toLocaleString('en-US')}-cell notebook → saved`,
    (app) => runSave({ browser, server: servers[app], root: roots[app], which: 'many', sizes, cells: sizes.cells }),
    { cells: sizes.cells }
  );
}

/** Rows of the report table for the save scenarios (report.mjs's row format). */
export function saveRows() {
  return [
    ['save_big_output', 'save_ms', 'Save after a one-cell edit, big-output notebook (20 MB): Ctrl+S → saved', 'ms'],
    ['save_big_output', 'sent_bytes', 'Save after a one-cell edit, big-output notebook (20 MB): request bytes sent', 'bytes'],
    ['save_many_cells', 'save_ms', 'Save after a one-cell edit, many-cell notebook (2,000): Ctrl+S → saved', 'ms'],
    ['save_many_cells', 'sent_bytes', 'Save after a one-cell edit, many-cell notebook (2,000): request bytes sent', 'bytes']
  ];
}
