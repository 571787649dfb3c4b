/**
 * No long tasks (issue 18 part 3): the longest main-thread task (PerformanceObserver
 * 'longtask', so tasks of 50 ms and more) while opening a notebook, then while
 * scrolling it to the end, in both apps.
 *
 *   longtask_figures     300 cells with one 640x480 PNG figure each (generate.mjs figuresNotebook)
 *   longtask_stream20mb  one 20 MB stream output, then one more cell (bigStreamNotebook)
 *   longtask_cells1500   1,500 small cells with one small output each (smallCellsNotebook)
 *   longtask_md500       the suite's 500 Markdown cells with math (bench_md_500.ipynb)
 *   longtask_code2000    the suite's 2,000 code cells (bench_code_2000.ipynb)
 *   longtask_paste       the 500 Markdown cells with math copied (select all, C) and pasted (V)
 *                        into the same notebook: longest task from V until the pasted cells
 *                        are in the app, plus SETTLE_MS
 *   longtask_corpus      every notebook of the corpus (BENCH_CORPUS, default
 *                        /work/shared/corpus/notebooks), one after the other; only when
 *                        asked for by name (`--only longtask_corpus`): it takes long.
 *
 * Opening: navigation to the notebook's URL until its cells are all in the app and one
 * is visible, then until the page is quiet (no request in flight and no long task for
 * SETTLE_MS, at most QUIET_CAP_MS): the work apps do after that counts (jlab-alt builds
 * far cells in background slices, both start a kernel, a renderer's script arrives and
 * runs). Scrolling: steps of 90% of the notebook scroller's height
 * (set on the scroller itself, as dragging its scrollbar does: a wheel over a tall output
 * would scroll that output's own box), one per two animation frames, until the scroller
 * stays at its end (heights estimated for cells not laid out yet change as they come
 * near); after MAX_SCROLL_STEPS it jumps to its end. The window is the scroll
 * until the page is quiet again. Each run shuts the notebook's kernel down after.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, describeLongFrames, findMarker, longFrames, longFramesInitScript, longestTask } from './apps.mjs';
import { freshPage, resetWorkspaces, waitFor, waitForCellCount } from './scenarios.mjs';
import { FIRST_MARKER, bigStreamNotebook, figuresNotebook, smallCellsNotebook } from './generate.mjs';
import { shutDownSessions } from './servers.mjs';

/** Sizes of the generated notebooks: full runs, and `--smoke`. */
export const LONGTASK_SIZES = {
  full: { figures: 300, streamBytes: 20_000_000, cells: 1500 },
  smoke: { figures: 20, streamBytes: 1_000_000, cells: 100 }
};

export const DEFAULT_CORPUS = '/work/shared/corpus/notebooks';
const TIMEOUT = 300_000;
/** Quiet time after the notebook is loaded / scrolled that still counts as opening / scrolling (ms). */
const SETTLE_MS = 1000;
/** The longest a window waits for the page to be quiet before it ends anyway (ms). */
const QUIET_CAP_MS = 30_000;
/** Scroll steps before the scroller jumps to its end. */
const MAX_SCROLL_STEPS = 400;
/** Consecutive checks the scroller must stay at its end. */
const AT_END_CHECKS = 3;

/** Cell selectors: the notebook's cells in either app (first one used to find the scroller). */
const CELL_SELECTOR = {
  'jlab-alt': '[data-testid="notebook"] [data-testid="cell"]',
  jupyterlab: '.jp-Notebook .jp-Cell'
};

/** The number of cells nbformat 4 gives `nb` (v3/v2 notebooks keep theirs in worksheets). */
export function cellCountOf(nb) {
  if (Array.isArray(nb.cells)) return nb.cells.length;
  return (nb.worksheets ?? []).reduce((n, w) => n + (w.cells?.length ?? 0), 0);
}

/** In the page: the scrollable ancestor of the first cell, marked with `data-bench-scroller`. */
function markScroller(cellSelector) {
  const cell = document.querySelector(cellSelector);
  let el = cell?.parentElement ?? null;
  while (el && el !== document.body) {
    const oy = getComputedStyle(el).overflowY;
    if ((oy === 'auto' || oy === 'scroll') && el.clientHeight > 0) {
      el.setAttribute('data-bench-scroller', '');
      return { height: el.clientHeight };
    }
    el = el.parentElement;
  }
  return null;
}

/** In the page: the scroller's position, `{top, max}` (px). */
function scrollerState() {
  const el = document.querySelector('[data-bench-scroller]');
  return el ? { top: el.scrollTop, max: el.scrollHeight - el.clientHeight } : null;
}

/** In the page: scroll by `dy` px (or to the end when null), then wait two frames. */
function scrollStep(dy) {
  const el = document.querySelector('[data-bench-scroller]');
  if (el) el.scrollTop = dy === null ? el.scrollHeight : el.scrollTop + dy;
  return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))));
}

/** HTTP requests of `page` not yet answered (WebSockets are not requests), and when that last changed. */
function trackRequests(page) {
  const state = { inflight: 0, changed: Date.now() };
  page.on('request', () => { state.inflight++; state.changed = Date.now(); });
  const done = () => { state.inflight = Math.max(0, state.inflight - 1); state.changed = Date.now(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return state;
}

/** In the page: `[now, when its last long task ended]` (performance.now() ms; 0 if none). */
function lastLongTaskEnd() {
  return [performance.now(), window.__bench.longTasks.reduce((end, [start, duration]) => Math.max(end, start + duration), 0)];
}

/**
 * Wait until the page is quiet: no request in flight and no long task for SETTLE_MS
 * (work that lands late, such as a 4.8 MB renderer script arriving, parsed and run
 * after the cells are in, belongs to the window it was started in; a fixed wait ended
 * some windows before it ran). Gives up at QUIET_CAP_MS.
 * @returns {Promise<{at: number, quiet: boolean}>} the window's end (page time, ms).
 */
async function settle(page, network) {
  const started = Date.now();
  for (;;) {
    await page.waitForTimeout(100);
    const [now, lastTask] = await page.evaluate(lastLongTaskEnd);
    const netQuiet = network.inflight === 0 && Date.now() - network.changed >= SETTLE_MS;
    if (netQuiet && now - lastTask >= SETTLE_MS && Date.now() - started >= SETTLE_MS) return { at: now, quiet: true };
    if (Date.now() - started >= QUIET_CAP_MS) return { at: now, quiet: false };
  }
}

/**
 * One run: open `file` (a path under the server's root) of `cells` cells, then scroll it
 * to the end. `marker`: a text in the first cell to wait for (generated notebooks), or
 * null (any cell visible). Returns `{longest_task_open_ms, longest_task_scroll_ms,
 * longest_task_ms (the larger), loaded_ms, scroll_ms, scroll_steps, jumped}`.
 */
export async function runLongTaskOne({ browser, server, file, cells, marker }) {
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  const { context, page } = await freshPage(browser, { timeout: TIMEOUT });
  await context.addInitScript(longFramesInitScript);
  // BENCH_PROFILE_DIR: keep a V8 CPU profile of opening and scrolling (where a long task goes).
  // BENCH_TRACE_DIR: keep a Chromium trace (devtools.timeline: what each long task did).
  const traceDir = process.env.BENCH_TRACE_DIR;
  const traceFile = traceDir ? path.join(traceDir, `${server.appId}-${path.basename(file, '.ipynb')}-${Date.now()}.json`) : null;
  if (traceFile) {
    fs.mkdirSync(traceDir, { recursive: true });
    await browser.startTracing(page, { path: traceFile, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
  }
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const cdp = profileDir ? await context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
    await cdp.send('Profiler.start');
  }
  const network = trackRequests(page);
  try {
    await page.goto(server.url(file), { waitUntil: 'commit', timeout: TIMEOUT });
    if (marker) await page.waitForFunction(findMarker, { text: marker, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
    await waitForCellCount(page, adapter, cells, TIMEOUT).catch((err) => {
      throw new Error(`${file}: ${err.message}`);
    });
    await page.waitForFunction((sel) => !!document.querySelector(sel)?.getClientRects().length, CELL_SELECTOR[server.appId], {
      polling: 'raf',
      timeout: TIMEOUT
    });
    const loaded = await page.evaluate(() => performance.now());
    const openQuiet = await settle(page, network);
    const longestOpen = await page.evaluate(longestTask, [0, openQuiet.at]);

    const box = await page.evaluate(markScroller, CELL_SELECTOR[server.appId]);
    if (!box) throw new Error(`${server.label}: no scroller around the cells of ${file}`);
    const scrollStart = await page.evaluate(() => performance.now());
    let steps = 0;
    let jumped = false;
    let atEnd = 0;
    while (atEnd < AT_END_CHECKS) {
      const s = await page.evaluate(scrollerState);
      if (s.top >= s.max - 2) {
        atEnd++;
        await page.evaluate(scrollStep, 0);
        continue;
      }
      atEnd = 0;
      jumped ||= steps >= MAX_SCROLL_STEPS;
      await page.evaluate(scrollStep, jumped ? null : Math.round(box.height * 0.9));
      steps++;
    }
    const scrolled = await page.evaluate(() => performance.now());
    const scrollQuiet = await settle(page, network);
    const longestScroll = await page.evaluate(longestTask, [scrollStart, scrollQuiet.at]);
    // Any task over the target (with BENCH_LONG_FRAMES=1: every long task): say where its time
    // went (long animation frames' scripts).
    for (const [what, from, to, ms] of [['opening', 0, openQuiet.at, longestOpen], ['scrolling', scrollStart, scrollQuiet.at, longestScroll]]) {
      if (ms <= (process.env.BENCH_LONG_FRAMES === '1' ? 0 : 100)) continue;
      const frames = await page.evaluate(longFrames, [from, to]);
      console.log(`  ${server.label} ${file}: a task of ${Math.round(ms)} ms while ${what}`);
      for (const line of describeLongFrames(frames)) console.log(line);
    }
    if (traceFile) await browser.stopTracing();
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.mkdirSync(profileDir, { recursive: true });
      const name = `${server.appId}-${path.basename(file, '.ipynb')}-${Date.now()}.cpuprofile`;
      fs.writeFileSync(path.join(profileDir, name), JSON.stringify(profile));
    }
    return {
      longest_task_open_ms: longestOpen,
      longest_task_scroll_ms: longestScroll,
      longest_task_ms: Math.max(longestOpen, longestScroll),
      loaded_ms: loaded,
      scroll_ms: scrolled - scrollStart,
      scroll_steps: steps,
      jumped,
      // Whether each window ended quiet, or at QUIET_CAP_MS with work still going on.
      quiet: openQuiet.quiet && scrollQuiet.quiet
    };
  } finally {
    await context.close().catch(() => undefined);
    await shutDownSessions(server).catch(() => undefined);
  }
}

/**
 * One paste run: open `file` of `cells` cells, select every cell and copy them from the
 * keyboard in command mode (Ctrl+A, C; the same keys in both apps), then press V (paste
 * below the active cell). Returns `{longest_task_ms (from V to the pasted cells in the
 * app plus SETTLE_MS), paste_ms (V until the app has them all)}`.
 */
export async function runPasteOne({ browser, server, file, cells }) {
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  const { context, page } = await freshPage(browser, { timeout: TIMEOUT });
  const network = trackRequests(page);
  try {
    await page.goto(server.url(file), { waitUntil: 'commit', timeout: TIMEOUT });
    await waitForCellCount(page, adapter, cells, TIMEOUT);
    await page.waitForTimeout(SETTLE_MS);
    await adapter.focusFirstCell(page);
    await waitFor(page, adapter.inCommandMode, undefined, 10_000);
    await page.keyboard.press('Control+a');
    await page.keyboard.press('c');
    await page.waitForTimeout(300);
    const start = await page.evaluate(() => performance.now());
    await page.keyboard.press('v');
    await waitForCellCount(page, adapter, 2 * cells, TIMEOUT);
    const pasted = await page.evaluate(() => performance.now());
    await page.waitForTimeout(SETTLE_MS);
    return { longest_task_ms: await page.evaluate(longestTask, [start, pasted + SETTLE_MS]), paste_ms: pasted - start };
  } finally {
    await context.close().catch(() => undefined);
    await shutDownSessions(server).catch(() => undefined);
  }
}

/** The corpus notebooks (`*.ipynb` in `dir`, sorted), each with its cell count. */
export function corpusNotebooks(dir) {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => ({ name: f, cells: cellCountOf(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) }));
}

/** Run the longtask_* scenarios through the runner's `scenario(id, title, fn, params)` (bench.mjs). */
export async function longTaskScenarios({ scenario, wanted, servers, roots, smoke, browser, opts = {} }) {
  const sizes = smoke ? LONGTASK_SIZES.smoke : LONGTASK_SIZES.full;
  const suite = smoke ? { md: 50, code: 200 } : { md: 500, code: 2000 };
  const generated = [
    ['longtask_figures', `bench_figures_${sizes.figures}.ipynb`, () => figuresNotebook(sizes.figures), sizes.figures, `${sizes.figures} PNG figures`],
    ['longtask_stream20mb', 'bench_stream_big.ipynb', () => bigStreamNotebook(sizes.streamBytes), 2, `a ${(sizes.streamBytes / 1e6).toFixed(0)} MB stream output`],
    ['longtask_cells1500', `bench_cells_${sizes.cells}.ipynb`, () => smallCellsNotebook(sizes.cells), sizes.cells, `${sizes.cells.toLocaleString('en-US')} small cells with outputs`],
    ['longtask_md500', `bench_md_${suite.md}.ipynb`, null, suite.md, `${suite.md} Markdown cells with math`],
    ['longtask_code2000', `bench_code_${suite.code}.ipynb`, null, suite.code, `${suite.code.toLocaleString('en-US')} code cells`]
  ];
  for (const [id, file, make, cells, what] of generated) {
    if (!wanted(id)) continue;
    if (make) {
      const text = JSON.stringify(make(), null, 1) + '\n';
      for (const app of Object.keys(servers)) fs.writeFileSync(path.join(roots[app], file), text);
    }
    await scenario(
      id,
      `${what}: longest task while opening, then while scrolling to the end`,
      (app) => runLongTaskOne({ browser, server: servers[app], file, cells, marker: FIRST_MARKER }),
      { cells, file }
    );
  }

  if (wanted('longtask_paste')) {
    const file = `bench_md_${suite.md}.ipynb`;
    await scenario(
      'longtask_paste',
      `Paste ${suite.md} Markdown cells with math (select all, C, V): longest task`,
      (app) => runPasteOne({ browser, server: servers[app], file, cells: suite.md }),
      { cells: suite.md, file }
    );
  }

  // The corpus: only by name (a prefix such as `longtask` does not include it).
  if (!(opts.only ?? []).includes('longtask_corpus')) return;
  const dir = process.env.BENCH_CORPUS || DEFAULT_CORPUS;
  const books = corpusNotebooks(dir);
  for (const app of Object.keys(servers)) {
    fs.mkdirSync(path.join(roots[app], 'corpus'), { recursive: true });
    for (const b of books) fs.copyFileSync(path.join(dir, b.name), path.join(roots[app], 'corpus', b.name));
  }
  await scenario(
    'longtask_corpus',
    `Each of the ${books.length} corpus notebooks: longest task while opening and scrolling to the end`,
    async (app) => {
      const per = {};
      for (const b of books) {
        try {
          per[b.name] = await runLongTaskOne({ browser, server: servers[app], file: `corpus/${b.name}`, cells: b.cells, marker: null });
        } catch (err) {
          per[b.name] = { error: String(err?.message ?? err).split('\n')[0] };
        }
      }
      const ok = Object.values(per).filter((m) => m.error === undefined);
      const open = ok.map((m) => m.longest_task_open_ms);
      const scroll = ok.map((m) => m.longest_task_scroll_ms);
      return {
        notebooks: per,
        measured: ok.length,
        failed: books.length - ok.length,
        worst_open_ms: Math.max(0, ...open),
        worst_scroll_ms: Math.max(0, ...scroll),
        within_100ms: ok.filter((m) => m.longest_task_ms <= 100).length
      };
    },
    { notebooks: books.length, dir }
  );
}

/** Rows of the report table (report.mjs's row format). */
export function longTaskRows() {
  const rows = [];
  for (const [id, what] of [
    ['longtask_figures', '300 PNG figures'],
    ['longtask_stream20mb', 'a 20 MB stream output'],
    ['longtask_cells1500', '1,500 small cells with outputs'],
    ['longtask_md500', '500 Markdown cells with math'],
    ['longtask_code2000', '2,000 code cells']
  ]) {
    rows.push([id, 'longest_task_open_ms', `${what}: longest task while opening`, 'task', { max: 100 }]);
    rows.push([id, 'longest_task_scroll_ms', `${what}: longest task while scrolling to the end`, 'task', { max: 100 }]);
  }
  rows.push(['longtask_paste', 'longest_task_ms', 'Paste 500 Markdown cells: longest task from V until they are in', 'task', { max: 100 }]);
  rows.push(['longtask_paste', 'paste_ms', 'Paste 500 Markdown cells: V → all pasted cells in the app', 'ms']);
  rows.push(['longtask_corpus', 'worst_open_ms', 'Corpus: worst longest task while opening', 'task', { max: 100 }]);
  rows.push(['longtask_corpus', 'worst_scroll_ms', 'Corpus: worst longest task while scrolling to the end', 'task', { max: 100 }]);
  rows.push(['longtask_corpus', 'within_100ms', 'Corpus: notebooks with no task over 100 ms', 'count']);
  return rows;
}
