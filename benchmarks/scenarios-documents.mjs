/**
 * Documents (issue 15) benchmark scenarios: a big CSV opened to its first rows, the
 * table of contents of a long notebook, and Download as HTML of a notebook with many
 * figures. Inputs are generated here (same content for every app); each `run*` does
 * one measured run in a fresh browser context and returns times in ms, sizes in bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, benchInitScript, findMarker, longestTask } from './apps.mjs';
import { FIRST_MARKER, smallPng } from './generate.mjs';
import { CONTEXT_OPTIONS, resetWorkspaces, waitForCellCount } from './scenarios.mjs';

/** Sizes of the generated inputs: full runs, and `--smoke` (CI: small, quick). */
export const DOC_SIZES = {
  full: { csvRows: 1_000_000, tocCells: 2000, tocHeadings: 500, figures: 300 },
  smoke: { csvRows: 10_000, tocCells: 200, tocHeadings: 50, figures: 20 }
};

/** Text in the first data row of the CSV (cell 2), to see when rows are on screen. */
export const CSV_FIRST = 'CSVFIRSTROW';
/** Text of the last heading of the ToC notebook. */
export const TOC_LAST = 'TOCLASTHEADING';

const TIMEOUT = 300_000;

// --- inputs ----------------------------------------------------------------------------

/**
 * `bench_big.csv`: a header and `rows` data rows of about 100 bytes (1,000,000 rows:
 * ~100 MB), with quoted fields holding the delimiter. Written in chunks.
 */
export function writeCsv(file, rows) {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, 'id,name,value,ratio,date,comment\n');
    let buf = [];
    for (let i = 1; i <= rows; i++) {
      const name = i === 1 ? CSV_FIRST : `name_${String(i).padStart(7, '0')}`;
      const day = String((i % 28) + 1).padStart(2, '0');
      buf.push(`${i},${name},${(i * 7919) % 100000},${((i % 1000) / 1000).toFixed(3)},2024-03-${day},"comment, with a comma, in row ${i} of the benchmark CSV file"\n`);
      if (buf.length === 20_000) {
        fs.writeSync(fd, buf.join(''));
        buf = [];
      }
    }
    if (buf.length) fs.writeSync(fd, buf.join(''));
  } finally {
    fs.closeSync(fd);
  }
}

function nb(cells) {
  return {
    cells,
    metadata: {
      kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' },
      language_info: { name: 'python', file_extension: '.py', mimetype: 'text/x-python' }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** `cells` cells, every (cells/headings)-th a Markdown `## Section k` heading; the last one says TOC_LAST. */
export function tocNotebook(cells, headings) {
  const every = Math.floor(cells / headings);
  const out = [];
  let h = 0;
  for (let i = 0; i < cells; i++) {
    const id = `c${i}`;
    if (i % every === 0 && h < headings) {
      h++;
      const title = h === headings ? `Section ${h} ${TOC_LAST}` : `Section ${h}`;
      out.push({ cell_type: 'markdown', id, metadata: {}, source: [`## ${title}\n`, '\n', `Text of section ${h}.`] });
    } else {
      const src = i === 1 ? `# ${FIRST_MARKER}\nx = ${i}` : `x = ${i}`;
      out.push({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source: src });
    }
  }
  return nb(out);
}

/** `figures` code cells, each with one generated PNG output (480x320) and its text. */
export function figureNotebook(figures) {
  const cells = [];
  for (let i = 0; i < figures; i++) {
    cells.push({
      cell_type: 'code',
      id: `f${i}`,
      metadata: {},
      execution_count: i + 1,
      source: i === 0 ? `# ${FIRST_MARKER}\nplot(${i})` : `plot(${i})`,
      outputs: [
        {
          output_type: 'display_data',
          metadata: {},
          data: { 'image/png': smallPng(i, 480, 320), 'text/plain': [`<Figure size 480x320 with 1 Axes> #${i}`] }
        }
      ]
    });
  }
  return nb(cells);
}

/** Write the inputs of the document scenarios into `root`. */
export function writeDocumentFiles(root, sizes) {
  fs.mkdirSync(root, { recursive: true });
  writeCsv(path.join(root, 'bench_big.csv'), sizes.csvRows);
  fs.writeFileSync(path.join(root, 'bench_toc.ipynb'), JSON.stringify(tocNotebook(sizes.tocCells, sizes.tocHeadings)));
  fs.writeFileSync(path.join(root, 'bench_figures.ipynb'), JSON.stringify(figureNotebook(sizes.figures)));
}

// --- helpers ---------------------------------------------------------------------------

async function withPage(browser, fn) {
  const context = await browser.newContext({ ...CONTEXT_OPTIONS, acceptDownloads: true });
  await context.addInitScript(benchInitScript);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const cdp = await context.newCDPSession(page);
  try {
    return await fn({ page, cdp });
  } finally {
    await context.close().catch(() => undefined);
  }
}

async function heap(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

const now = (page) => page.evaluate(() => performance.now());

/** In the page: JupyterLab's CSV viewer (a canvas grid): rows in its model, or -1. */
function jlabCsvRows() {
  const w = window.jupyterapp?.shell.currentWidget;
  const model = w?.content?._grid?.dataModel ?? w?.content?.dataModel;
  return model ? model.rowCount('body') : -1;
}

// --- scenarios -------------------------------------------------------------------------

/**
 * Open `bench_big.csv` by URL until its first data row is on screen (jlab-alt: the row's
 * text visible; JupyterLab draws the grid on a canvas: its model has rows, then the next
 * frame), the JS heap then; and until the whole file is read (jlab-alt: the status says
 * done; JupyterLab: the model has every row), with the longest task from navigation to there.
 */
export async function runCsvOpen({ browser, server, rows }) {
  resetWorkspaces(server);
  return withPage(browser, async ({ page, cdp }) => {
    await page.goto(server.url('bench_big.csv'), { waitUntil: 'commit', timeout: TIMEOUT });
    // The viewer's element appears: from here on, tasks are the viewer's, not the app's start.
    const viewerSel = server.appId === 'jlab-alt' ? '[data-testid="csv-grid"]' : '.jp-CSVViewer';
    const viewerAt = await (
      await page.waitForFunction((sel) => (document.querySelector(sel) ? performance.now() : false), viewerSel, { polling: 'raf', timeout: TIMEOUT })
    ).jsonValue();
    let firstRows;
    if (server.appId === 'jlab-alt') {
      firstRows = await (await page.waitForFunction(findMarker, { text: CSV_FIRST, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT })).jsonValue();
    } else {
      await page.waitForFunction(jlabCsvRows, undefined, { polling: 'raf', timeout: TIMEOUT }).then(async () => {
        while ((await page.evaluate(jlabCsvRows)) <= 0) await page.waitForTimeout(10);
      });
      firstRows = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now()))));
    }
    const longestFirst = await page.evaluate(longestTask, [0, firstRows]);
    const heapFirst = await heap(cdp);
    if (server.appId === 'jlab-alt') {
      await page.waitForFunction(() => document.querySelector('[data-testid="csv-status"]')?.dataset.done === 'true', undefined, { polling: 100, timeout: TIMEOUT });
    } else {
      await page.waitForFunction((n) => {
        const w = window.jupyterapp?.shell.currentWidget;
        const model = w?.content?._grid?.dataModel ?? w?.content?.dataModel;
        return model && model.rowCount('body') >= n;
      }, rows, { polling: 100, timeout: TIMEOUT });
    }
    const allRead = await now(page);
    const longestAll = await page.evaluate(longestTask, [0, allRead]);
    const longestViewer = await page.evaluate(longestTask, [viewerAt, allRead]);
    return {
      first_rows_ms: firstRows,
      all_read_ms: allRead,
      longest_task_first_ms: longestFirst,
      longest_task_ms: longestAll,
      longest_task_viewer_ms: longestViewer,
      heap_first_bytes: heapFirst,
      heap_all_bytes: await heap(cdp)
    };
  });
}

/** In the page: the ToC's entries (items, last entry's text). */
function tocState(appId) {
  const items =
    appId === 'jupyterlab' ? document.querySelectorAll('.jp-TableOfContents-tree .jp-tocItem-content') : document.querySelectorAll('[data-testid="toc-item"]');
  const last = items[items.length - 1];
  return { count: items.length, last: last?.textContent ?? '', visible: !!last && last.getClientRects().length > 0 };
}

/**
 * In the page, armed before the click: every animation frame (for at most `timeoutMs`),
 * where the rendered heading holding `text` is, the ToC itself left out. Records in
 * `window.__bench.heading` the `performance.now()` of the first frame it is on screen
 * (`visible`) and of the first frame it is at the top of its scroller, within 60 px (`atTop`);
 * `done` once both are known or time is up. Both are taken by the same frame loop in the
 * page: a wait from Node for the second after the first would add a Playwright round
 * trip (100 ms and more on a loaded machine) to the time measured.
 */
function watchHeading({ text, timeoutMs }) {
  const state = { visible: null, atTop: null, done: false };
  window.__bench.heading = state;
  const end = performance.now() + timeoutMs;
  const where = () => {
    // A selector and a text test rather than an XPath over the whole page: this runs
    // every frame of the measured time, on the page's main thread.
    for (const h of document.querySelectorAll('h1, h2, h3')) {
      if (!h.textContent.includes(text) || h.closest('[data-testid="toc"], .jp-TableOfContents')) continue;
      let scroller = h.parentElement;
      while (scroller && !(scroller.scrollHeight > scroller.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(scroller).overflowY))) scroller = scroller.parentElement;
      if (!scroller || !h.getClientRects().length) continue;
      const box = scroller.getBoundingClientRect();
      const r = h.getBoundingClientRect();
      const top = r.top - box.top;
      return { visible: r.bottom > box.top && r.top < box.bottom, atTop: top >= -2 && top <= 60 };
    }
    return { visible: false, atTop: false };
  };
  const frame = () => {
    const t = performance.now();
    const w = where();
    if (w.visible && state.visible === null) state.visible = t;
    if (w.atTop && state.atTop === null) state.atTop = t;
    if ((state.visible !== null && state.atTop !== null) || t > end) state.done = true;
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * The notebook `bench_toc.ipynb` (2,000 cells, 500 headings): opened by URL, all cells
 * loaded and the kernel idle, then the ToC shown (its command): time until every heading
 * is listed; then a click on the last heading: time until it is at the top of the notebook.
 */
export async function runToc({ browser, server, cells, headings }) {
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  const appId = server.appId;
  return withPage(browser, async ({ page, cdp }) => {
    await page.goto(server.url('bench_toc.ipynb'), { waitUntil: 'commit', timeout: TIMEOUT });
    await page.waitForFunction(findMarker, { text: FIRST_MARKER, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
    await waitForCellCount(page, adapter, cells, TIMEOUT);
    const loaded = await now(page);
    await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 100, timeout: 120_000 });
    const show = await page.evaluate((id) => {
      const t = performance.now();
      const commands = id === 'jupyterlab' ? window.jupyterapp.commands : window.jlabAlt.commands;
      void commands.execute(id === 'jupyterlab' ? 'toc:show-panel' : 'toc:show');
      return t;
    }, appId);
    const filled = await (
      await page.waitForFunction(
        ({ id, n, last }) => {
          const items =
            id === 'jupyterlab' ? document.querySelectorAll('.jp-TableOfContents-tree .jp-tocItem-content') : document.querySelectorAll('[data-testid="toc-item"]');
          const el = items[items.length - 1];
          return items.length >= n && el.textContent.includes(last) && el.getClientRects().length > 0 ? performance.now() : false;
        },
        { id: appId, n: headings, last: TOC_LAST },
        { polling: 'raf', timeout: 60_000 }
      )
    ).jsonValue();
    const state = await page.evaluate(tocState, appId);
    const longestFill = await page.evaluate(longestTask, [show, filled]);
    // Click the last heading (scrolled into view in the panel first, as a user would).
    const item =
      appId === 'jupyterlab'
        ? page.locator('.jp-TableOfContents-tree .jp-tocItem-content', { hasText: TOC_LAST })
        : page.locator('[data-testid="toc-item"]', { hasText: TOC_LAST }).locator('[data-testid="toc-text"]');
    await item.scrollIntoViewIfNeeded();
    await page.evaluate(() => (window.__bench.clicks = []) && window.addEventListener('mousedown', (e) => window.__bench.clicks.push(e.timeStamp), { capture: true, once: true }));
    await page.evaluate(watchHeading, { text: TOC_LAST, timeoutMs: 20_000 });
    await item.click();
    await page.waitForFunction(() => window.__bench.heading.done, undefined, { polling: 100, timeout: 30_000 });
    // null when never there (JupyterLab's scroll-to-heading with windowing: jl#14591).
    const { visible, atTop } = await page.evaluate(() => window.__bench.heading);
    const click = await page.evaluate(() => window.__bench.clicks[0]);
    const result = {
      toc_filled_ms: filled - show,
      toc_items: state.count,
      longest_task_fill_ms: longestFill,
      loaded_ms: loaded,
      heap_bytes: await heap(cdp)
    };
    if (visible !== null) result.click_to_visible_ms = visible - click;
    else result.click_to_visible_failed = 1;
    if (atTop !== null) {
      result.click_to_top_ms = atTop - click;
      result.longest_task_click_ms = await page.evaluate(longestTask, [click, atTop]);
    } else result.click_to_top_failed = 1;
    return result;
  });
}

/**
 * Download as HTML of `bench_figures.ipynb` (300 PNG figures) in jlab-alt: the command
 * until the app hands the file to the browser's download (the file is then checked), next to the host's own
 * `/nbconvert/html/<path>?download=true` fetched by the same page (its whole body).
 * Alternates which goes first. Returns both times and the bytes.
 */
export async function runExportHtml({ browser, server, runIndex }) {
  return withPage(browser, async ({ page }) => {
    await page.goto(server.url('bench_figures.ipynb'), { waitUntil: 'commit', timeout: TIMEOUT });
    await page.waitForFunction(findMarker, { text: FIRST_MARKER, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
    await page.waitForFunction(ADAPTERS['jlab-alt'].kernelIdle, undefined, { polling: 100, timeout: 120_000 });
    const host = async () =>
      page.evaluate(async () => {
        const t = performance.now();
        // The bench servers run at the base URL "/"; the page's cookie authenticates.
        const res = await fetch('/nbconvert/html/bench_figures.ipynb?download=true', { credentials: 'same-origin' });
        const body = await res.arrayBuffer();
        if (!res.ok) throw new Error(`host nbconvert: HTTP ${res.status}`);
        return { ms: performance.now() - t, bytes: body.byteLength };
      });
    // Timed in the page like the host's fetch, from the command to the moment the app
    // hands the file to the browser (the click on its download link): timing from Node
    // added two Playwright round trips to this side only (100s of ms under load).
    const app = async () => {
      const [download, ms] = await Promise.all([
        page.waitForEvent('download', { timeout: TIMEOUT }),
        page.evaluate(async () => {
          const started = performance.now();
          let handed = null;
          const onClick = (e) => {
            if (e.target instanceof HTMLAnchorElement && e.target.download) handed ??= performance.now();
          };
          document.addEventListener('click', onClick, true);
          try {
            await window.jlabAlt.commands.execute('docmanager:export', { format: 'html' });
          } finally {
            document.removeEventListener('click', onClick, true);
          }
          if (handed === null) throw new Error('Download as HTML started no download');
          return handed - started;
        })
      ]);
      const file = await download.path();
      return { ms, bytes: fs.statSync(file).size };
    };
    // Both sides measure a warm nbconvert: one untimed export first (the server imports
    // nbconvert's HTML exporter and compiles its templates on the first request).
    await host();
    let a;
    let h;
    if (runIndex % 2 === 0) {
      a = await app();
      h = await host();
    } else {
      h = await host();
      a = await app();
    }
    return { download_html_ms: a.ms, host_nbconvert_ms: h.ms, percent_of_host: (100 * a.ms) / h.ms, download_bytes: a.bytes, host_bytes: h.bytes };
  });
}

/**
 * Run the document scenarios through the runner's `scenario(id, title, fn, params)`
 * (bench.mjs); inputs are written into each app's root only when one is wanted.
 */
export async function documentScenarios({ scenario, wanted, servers, roots, smoke, browser }) {
  const ids = ['csv_open', 'toc_long', 'export_html'];
  if (!ids.some(wanted)) return;
  const sizes = smoke ? DOC_SIZES.smoke : DOC_SIZES.full;
  for (const root of Object.values(roots)) writeDocumentFiles(root, sizes);
  const mb = (fs.statSync(path.join(Object.values(roots)[0], 'bench_big.csv')).size / 1e6).toFixed(0);
  await scenario(
    'csv_open',
    `Open a ${mb} MB / ${sizes.csvRows.toLocaleString('en-US')}-row CSV → first rows visible; whole file read`,
    (app) => runCsvOpen({ browser, server: servers[app], rows: sizes.csvRows }),
    { rows: sizes.csvRows }
  );
  await scenario(
    'toc_long',
    `ToC of ${sizes.tocCells} cells / ${sizes.tocHeadings} headings: panel filled; click on the last heading → at the top`,
    (app) => runToc({ browser, server: servers[app], cells: sizes.tocCells, headings: sizes.tocHeadings }),
    { cells: sizes.tocCells, headings: sizes.tocHeadings }
  );
  await scenario(
    'export_html',
    `Download as HTML of ${sizes.figures} PNG figures vs the host's /nbconvert/html`,
    (app, i) => runExportHtml({ browser, server: servers[app], runIndex: i }),
    { figures: sizes.figures, apps: ['jlab-alt'] }
  );
}

/** Rows of the report table for the document scenarios (report.mjs's row format). */
export function documentRows() {
  return [
    ['csv_open', 'first_rows_ms', 'Big CSV: open → first rows visible', 'ms', { ratio: 0.2 }],
    ['csv_open', 'heap_first_bytes', 'Big CSV: JS heap at first rows (after GC)', 'bytes', { ratio: 0.2 }],
    ['csv_open', 'longest_task_first_ms', 'Big CSV: longest task until first rows', 'task'],
    ['csv_open', 'all_read_ms', 'Big CSV: open → whole file read', 'ms'],
    ['csv_open', 'heap_all_bytes', 'Big CSV: JS heap once the whole file is read', 'bytes'],
    ['csv_open', 'longest_task_ms', 'Big CSV: longest task, navigation → whole file read (app start included)', 'task'],
    ['csv_open', 'longest_task_viewer_ms', 'Big CSV: longest task, viewer created → whole file read', 'task', { max: 100 }],
    ['toc_long', 'toc_filled_ms', 'Long notebook ToC: show → every heading listed (target ≤ 200 ms)', 'ms'],
    ['toc_long', 'click_to_top_ms', 'Long notebook ToC: click last heading → at the top (target ≤ 300 ms)', 'ms'],
    ['toc_long', 'click_to_visible_ms', 'Long notebook ToC: click last heading → on screen', 'ms'],
    ['toc_long', 'longest_task_fill_ms', 'Long notebook ToC: longest task while filling', 'task'],
    ['export_html', 'download_html_ms', 'Download as HTML (figures): command → file handed to the download (timed in the page)', 'ms'],
    ['export_html', 'host_nbconvert_ms', "Host's /nbconvert/html?download=true: request → whole body", 'ms'],
    ['export_html', 'percent_of_host', 'Download as HTML, % of the host nbconvert time (target ≤ 110)', 'count']
  ];
}
