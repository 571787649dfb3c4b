/**
 * "Go to a far cell" benchmark (issue 18, no long tasks; issue 15, table of contents):
 * Find (Ctrl+F) revealing a match in the last cell of a long notebook opened a moment
 * before (most cells not built yet). jlab-alt only: the time from the Enter key in the
 * find field to the match's cell on screen with its editor, and the longest main-thread
 * task from that key until the cell has stayed in place for half a second. The ToC side
 * of the same path (a click on the last heading) is `toc_long` in scenarios-documents.mjs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, benchInitScript, findMarker, longestTask } from './apps.mjs';
import { FIRST_MARKER } from './generate.mjs';
import { CONTEXT_OPTIONS, waitForCellCount } from './scenarios.mjs';

/** Cells of the generated notebook: full runs, and `--smoke` (CI: small, quick). */
export const REVEAL_SIZES = { full: 2000, smoke: 200 };
/** The text searched for: only in the last cell. */
const NEEDLE = 'REVEALNEEDLE';
const TIMEOUT = 300_000;

/** `cells` code cells of two lines; the first holds FIRST_MARKER, the last NEEDLE. */
export function revealNotebook(cells) {
  const out = [];
  for (let i = 0; i < cells; i++) {
    let source = `x = ${i}\nprint(x)`;
    if (i === 0) source = `# ${FIRST_MARKER}\n${source}`;
    if (i === cells - 1) source = `${NEEDLE} = "found"`;
    out.push({ cell_type: 'code', id: `r${i}`, metadata: {}, execution_count: null, outputs: [], source });
  }
  return {
    cells: out,
    metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' } },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/**
 * In the page: `{ t, top }` once the last cell is active, shows NEEDLE in its editor and
 * is on screen (inside its scroller and every clipping ancestor), else false.
 */
function lastCellShown(needle) {
  const count = document.querySelector('[data-testid="find-count"]');
  const all = document.querySelectorAll('[data-testid="notebook"] [data-testid="cell"]');
  const last = all[all.length - 1];
  if (!last || count?.textContent !== '1 of 1' || !last.classList.contains('ja-mod-active')) return false;
  if (!last.querySelector('.cm-content')?.textContent.includes(needle)) return false;
  const r = last.getBoundingClientRect();
  let top = 0;
  let bottom = window.innerHeight;
  for (let a = last.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowY === 'visible') continue;
    const b = a.getBoundingClientRect();
    top = Math.max(top, b.top);
    bottom = Math.min(bottom, b.bottom);
  }
  return r.top < bottom && r.bottom > top ? { t: performance.now(), top: r.top } : false;
}

/**
 * One run: open `bench_reveal.ipynb` by URL; as soon as its cells are listed (background
 * building still going), open Find, fill the query and press Enter.
 */
export async function runFindReveal({ browser, server, cells }) {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    const adapter = ADAPTERS[server.appId];
    await page.goto(server.url('bench_reveal.ipynb'), { waitUntil: 'commit', timeout: TIMEOUT });
    await page.waitForFunction(findMarker, { text: FIRST_MARKER, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
    await waitForCellCount(page, adapter, cells, TIMEOUT);
    const builtAtStart = await page.evaluate(() => document.querySelector('[data-testid="notebook"]')?.dataset.built ?? '');
    await page.evaluate(() => window.jlabAlt.commands.execute('notebook:find'));
    const input = page.locator('[data-testid="find-input"]');
    await input.waitFor({ state: 'visible' });
    await input.fill(NEEDLE);
    await input.press('Enter');
    const key = await page.evaluate(() => window.__bench.keydowns[window.__bench.keydowns.length - 1]);
    const shown = await (await page.waitForFunction(lastCellShown, NEEDLE, { polling: 'raf', timeout: 60_000 })).jsonValue();
    // Still on screen half a second later (the cells around it took their real heights).
    await page.waitForTimeout(500);
    const after = await page.evaluate(lastCellShown, NEEDLE);
    const end = await page.evaluate(() => performance.now());
    return {
      reveal_ms: shown.t - key,
      longest_task_ms: await page.evaluate(longestTask, [key, end]),
      stays_shown: after ? 1 : 0,
      built_partial_at_start: builtAtStart === 'partial' ? 1 : 0
    };
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Run the reveal scenario through the runner's `scenario(id, title, fn, params)` (bench.mjs). */
export async function revealScenarios({ scenario, wanted, servers, roots, smoke, browser }) {
  if (!wanted('find_reveal')) return;
  const cells = smoke ? REVEAL_SIZES.smoke : REVEAL_SIZES.full;
  for (const root of Object.values(roots)) fs.writeFileSync(path.join(root, 'bench_reveal.ipynb'), JSON.stringify(revealNotebook(cells)));
  await scenario(
    'find_reveal',
    `Find in a ${cells}-cell notebook just opened: Enter → match in the last cell on screen`,
    (app) => runFindReveal({ browser, server: servers[app], cells }),
    { cells, apps: ['jlab-alt'] }
  );
}

/** Rows of the report table (report.mjs's row format). */
export function revealRows() {
  return [
    ['find_reveal', 'reveal_ms', 'Find in a long notebook: Enter → match in the last cell on screen', 'ms'],
    ['find_reveal', 'longest_task_ms', 'Find in a long notebook: longest task until settled', 'task', { max: 100 }],
    ['find_reveal', 'stays_shown', 'Find in a long notebook: still on screen 0.5 s later (1 = yes)', 'count']
  ];
}
