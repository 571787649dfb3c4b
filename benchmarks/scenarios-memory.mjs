/**
 * Memory over time (issue 18 part 5): one page that opens, edits, saves and closes 20 notebooks, runs
 * 1,000 cells and streams 100 MB of output, then the JavaScript heap after a full GC is
 * compared with the heap of
 *   - a fresh page with the same tabs open (the two notebooks of the work, as saved), and
 *   - a "primed" page with the same tabs that did the work once (one notebook opened and
 *     closed, one run of each notebook): code compiled and caches filled, as any page
 *     that has been used for a minute has them.
 * A leak of views, editors, renderers or kernel connections grows with the number of
 * cycles, so it shows in both ratios; what a fresh page has not made yet (compiled code,
 * lazily loaded modules, caches) shows only in the first.
 *
 * The server's resident memory (VmRSS of its process, /proc/<pid>/status) is read before
 * the page starts and after its work, with the number of kernels still running.
 *
 * Both apps are driven through their command registries (`docmanager:open`,
 * `notebook:run-all-cells`, `docmanager:save`, and closing the current tab), so the same
 * work is done in each. Closing a notebook tab leaves its kernel running in both apps; the
 * harness then shuts its session down through the REST API (as a person would from the
 * running-kernels panel), so 20 idle kernels do not load the machine. Each run ends when
 * the kernel wrote a file named by the notebook's last cell, and the app shows it idle.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, benchInitScript, findMarker } from './apps.mjs';
import { CONTEXT_OPTIONS, memory, resetWorkspaces, waitFor } from './scenarios.mjs';
import { isDirty, savedAt } from './scenarios-save.mjs';
import { api, shutDownSessions, sleep } from './servers.mjs';

/** Sizes: the (full) and `--smoke` (CI: small, jlab-alt only). */
export const MEMORY_SIZES = {
  full: { notebooks: 20, cellsPerRun: 100, runs: 10, streamMBPerRun: 10 },
  smoke: { notebooks: 3, cellsPerRun: 25, runs: 2, streamMBPerRun: 1 }
};

const TIMEOUT = 600_000;
/** Log which constructors' objects the long-lived page holds more of (heap snapshots; slow). */
const COUNTS = process.env.BENCH_MEMORY_COUNTS === '1';
const WORK = 'mem_work.ipynb';
const STREAM = 'mem_stream.ipynb';
const WORK_MARK = 'MEMBENCH_WORK';
const STREAM_MARK = 'MEMBENCH_STREAM';
const cycleFile = (i) => `mem_nb_${String(i).padStart(2, '0')}.ipynb`;
const cycleMark = (i) => `MEMBENCH_NB_${String(i).padStart(2, '0')}`;

/** Page-side: how each app's command registry is reached and how it closes the current tab. */
const COMMANDS = {
  'jlab-alt': { global: 'jlabAlt', closeTab: 'shell:close-tab' },
  jupyterlab: { global: 'jupyterapp', closeTab: 'application:close' }
};

function notebook(cells) {
  return {
    cells: cells.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** Write the notebooks of the scenario into `root` (and remove any run's leftovers). */
export function writeMemoryFiles(root, sizes) {
  const write = (name, nb) => fs.writeFileSync(path.join(root, name), JSON.stringify(nb, null, 1) + '\n');
  for (let i = 0; i < sizes.notebooks; i++) {
    // A notebook like many: some code and Markdown-free cells with small outputs.
    const nb = notebook(Array.from({ length: 20 }, (_, j) => (j === 0 ? `# ${cycleMark(i)}\nx = ${j}` : `x = ${j}\nprint(x * ${i})`)));
    nb.cells.forEach((c, j) => {
      if (j > 0) Object.assign(c, { execution_count: j, outputs: [{ output_type: 'stream', name: 'stdout', text: [`${j * i}\n`] }] });
    });
    write(cycleFile(i), nb);
  }
  const work = [`# ${WORK_MARK}\nrun_no = globals().get('run_no', 0) + 1`];
  for (let j = 1; j < sizes.cellsPerRun - 1; j++) work.push(`print('cell ${j} of run', run_no)`);
  work.push(`open('mem_done_work', 'w').write(str(run_no))`);
  write(WORK, notebook(work));
  write(
    STREAM,
    notebook([
      `# ${STREAM_MARK}\nchunk = ('z' * 99 + '\\n') * 10_000\nfor _ in range(${sizes.streamMBPerRun}):\n    print(chunk, end='', flush=True)`,
      `open('mem_done_stream', 'w').write('done')`
    ])
  );
}

/** Resident memory (bytes) of process `pid`, from /proc; null where there is no /proc. */
export function residentBytes(pid) {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Objects on the heap by constructor name (closures by function name), from a heap snapshot (CDP
 * `HeapProfiler.takeHeapSnapshot`, which collects garbage first): `Map<name, {count, bytes}>`
 * (bytes: self sizes). Slow on a big heap: only with `BENCH_MEMORY_COUNTS=1`.
 */
export async function heapCounts(cdp) {
  const chunks = [];
  const onChunk = ({ chunk }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(chunks.join(''));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const counts = new Map();
  for (let i = 0; i < snap.nodes.length; i += fields.length) {
    const type = types[snap.nodes[i + typeAt]];
    // Totals by V8's node type ("[code]": compiled code, "[string]", ...): where a heap's bytes are.
    const total = counts.get(`[${type}]`) ?? { count: 0, bytes: 0 };
    total.count++;
    total.bytes += snap.nodes[i + sizeAt];
    counts.set(`[${type}]`, total);
    if (type !== 'object' && type !== 'closure') continue;
    let name = snap.strings[snap.nodes[i + nameAt]];
    // V8's internal contexts are named per object (`system / Context / scope @123`): not comparable.
    if (name.startsWith('system /')) continue;
    if (type === 'closure') name = `closure ${name || '(anonymous)'}`;
    const c = counts.get(name) ?? { count: 0, bytes: 0 };
    c.count++;
    c.bytes += snap.nodes[i + sizeAt];
    counts.set(name, c);
  }
  return counts;
}

/** Bytes by V8 node type in each of `maps` (heapCounts maps, by label), as text lines. */
export function typeBytes(maps) {
  const types = [...new Set(Object.values(maps).flatMap((m) => [...m.keys()].filter((k) => k.startsWith('['))))];
  const mb = (b) => `${((b ?? 0) / 2 ** 20).toFixed(2)} MB`.padStart(10);
  return [`${''.padEnd(22)}${Object.keys(maps).map((l) => l.padStart(10)).join('')}`].concat(
    types.map((t) => `${t.padEnd(22)}${Object.values(maps).map((m) => mb(m.get(t)?.bytes)).join('')}`)
  );
}

/** The constructors whose object count grew most from `base` to `now` (heapCounts maps), as text lines. */
export function countGrowth(base, now, top = 25) {
  return [...now]
    .filter(([name]) => !name.startsWith('['))
    .map(([name, c]) => ({ name, extra: c.count - (base.get(name)?.count ?? 0), bytes: c.bytes - (base.get(name)?.bytes ?? 0) }))
    .filter((g) => g.extra > 0)
    .sort((a, b) => b.extra - a.extra)
    .slice(0, top)
    .map((g) => `${String(g.extra).padStart(8)} ${String(g.bytes).padStart(10)} B  ${g.name}`);
}


function execute(page, appId, id, args = {}) {
  const { global } = COMMANDS[appId];
  return page.evaluate(([g, id, args]) => window[g].commands.execute(id, args).then(() => undefined), [global, id, args]);
}

/** Open `file`, wait until its first cell shows `mark` and its kernel is idle. */
async function open(page, server, file, mark) {
  await execute(page, server.appId, 'docmanager:open', { path: file });
  await page.waitForFunction(findMarker, { text: mark, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
  await waitFor(page, ADAPTERS[server.appId].kernelIdle, undefined, TIMEOUT);
}

/** Save the current notebook when it has unsaved changes; resolves once it is saved. */
async function save(page, appId) {
  if (!(await page.evaluate(isDirty, appId))) return;
  await execute(page, appId, 'docmanager:save');
  await page.waitForFunction(savedAt, appId, { polling: 100, timeout: TIMEOUT });
}

/** Run every cell of the current notebook; resolves once the kernel wrote `doneFile` and the app shows it idle. */
async function runAll(page, server, doneFile) {
  const done = path.join(server.root, doneFile);
  fs.rmSync(done, { force: true });
  await execute(page, server.appId, 'notebook:run-all-cells');
  const deadline = Date.now() + TIMEOUT;
  while (!fs.existsSync(done)) {
    if (Date.now() > deadline) throw new Error(`${server.label}: ${doneFile} not written within ${TIMEOUT / 1000} s`);
    await sleep(100);
  }
  await waitFor(page, ADAPTERS[server.appId].kernelIdle, undefined, TIMEOUT);
}

/** Open, edit, save and close `count` notebooks, one after another, in `page`. */
async function cycleNotebooks(page, server, count) {
  const adapter = ADAPTERS[server.appId];
  for (let i = 0; i < count; i++) {
    await open(page, server, cycleFile(i), cycleMark(i));
    // An edit, as a person makes: it goes through the editor, crash recovery and save by changes.
    await adapter.focusFirstCell(page);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' + 1');
    await page.keyboard.press('Escape');
    await page.waitForFunction(isDirty, server.appId, { polling: 100, timeout: TIMEOUT });
    // A person pauses before Ctrl+S: jlab-alt's crash recovery keeps the edit 0.4 s after it.
    await page.waitForTimeout(1000);
    await save(page, server.appId);
    await execute(page, server.appId, COMMANDS[server.appId].closeTab);
    await page.waitForFunction((mark) => !document.body.innerText.includes(mark), cycleMark(i), { polling: 100, timeout: TIMEOUT });
    await shutDownSessions(server, [cycleFile(i)]);
  }
}

/** The work: cycle `notebooks`, run the work notebook `runs` times, stream `runs` times; both left open, saved. */
async function work(page, server, { notebooks, runs }) {
  await cycleNotebooks(page, server, notebooks);
  await open(page, server, WORK, WORK_MARK);
  for (let r = 0; r < runs; r++) await runAll(page, server, 'mem_done_work');
  await save(page, server.appId);
  await open(page, server, STREAM, STREAM_MARK);
  for (let r = 0; r < runs; r++) await runAll(page, server, 'mem_done_stream');
  await save(page, server.appId);
}

/** A new page of the app, started; `fn(page, cdp)` runs in it, then the page is closed. */
async function inPage(browser, server, fn) {
  resetWorkspaces(server);
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  try {
    const cdp = await context.newCDPSession(page);
    await page.goto(server.url(), { waitUntil: 'commit', timeout: TIMEOUT });
    await waitFor(page, ADAPTERS[server.appId].started, undefined, TIMEOUT);
    // Playwright keeps its injected script (a 330 KB source string) once per JavaScript world it
    // used. The work's locator clicks use a second world that the fresh page's evaluations
    // never did: made in every page, that 0.33 MB is in each heap compared, not only the
    // long-lived one's (heap snapshot strings, 2026-12-06).
    await page.locator('body').isVisible();
    return await fn(page, cdp);
  } finally {
    await context.close().catch(() => undefined);
    await shutDownSessions(server).catch(() => undefined);
  }
}

/**
 * One run in `server`'s app: the long-lived page, then a fresh page and a primed page with
 * the same tabs. Returns heaps (bytes, after GC), their ratios, DOM nodes, and the server's
 * RSS before and after the long-lived page's work.
 */
export async function runMemory({ browser, server, sizes }) {
  writeMemoryFiles(server.root, sizes);
  await shutDownSessions(server);
  const rssBefore = residentBytes(server.pid);
  const t0 = performance.now();
  const long = await inPage(browser, server, async (page, cdp) => {
    await work(page, server, { notebooks: sizes.notebooks, runs: sizes.runs });
    const mem = await memory(page, cdp);
    const kernels = (await api(server, 'GET', '/api/kernels')).length;
    return { ...mem, kernels, counts: COUNTS ? await heapCounts(cdp) : null };
  });
  const workMs = performance.now() - t0;
  const rssAfter = residentBytes(server.pid);
  const sameTabs = async (page) => {
    await open(page, server, WORK, WORK_MARK);
    await open(page, server, STREAM, STREAM_MARK);
  };
  const fresh = await inPage(browser, server, async (page, cdp) => {
    await sameTabs(page);
    return { ...(await memory(page, cdp)), counts: COUNTS ? await heapCounts(cdp) : null };
  });
  const primed = await inPage(browser, server, async (page, cdp) => {
    await work(page, server, { notebooks: 1, runs: 1 });
    return { ...(await memory(page, cdp)), counts: COUNTS ? await heapCounts(cdp) : null };
  });
  if (COUNTS) {
    console.log(`${server.label}: objects more in the long-lived page than in the primed one (count, self bytes, constructor):`);
    console.log(countGrowth(primed.counts, long.counts).join('\n'));
    console.log(`${server.label}: heap bytes by V8 node type:`);
    console.log(typeBytes({ long: long.counts, fresh: fresh.counts, primed: primed.counts }).join('\n'));
  }
  return {
    work_ms: workMs,
    heap_long_bytes: long.heap,
    heap_fresh_bytes: fresh.heap,
    heap_primed_bytes: primed.heap,
    heap_vs_fresh: long.heap / fresh.heap,
    heap_vs_primed: long.heap / primed.heap,
    dom_nodes_long: long.domNodes,
    dom_nodes_fresh: fresh.domNodes,
    kernels_left: long.kernels,
    server_rss_before_bytes: rssBefore,
    server_rss_after_bytes: rssAfter,
    server_rss_growth_bytes: rssBefore !== null && rssAfter !== null ? rssAfter - rssBefore : null
  };
}

/**
 * Run the memory scenario through the runner's `scenario(id, title, fn, params)` (bench.mjs),
 * on servers of its own: `startFor(app, extraArgs)` starts one like the shared ones with
 * `extraArgs` added (it is stopped here). They run with jupyter_server's output rate limit
 * off (`iopub_data_rate_limit`, 1 MB/s by default, drops output above it): with it, each
 * 10 MB print reached the page as about 2.2 MB, in both apps.
 */
export async function memoryScenarios({ scenario, wanted, startFor, apps, smoke, browser }) {
  if (!wanted('memory')) return;
  const sizes = smoke ? MEMORY_SIZES.smoke : MEMORY_SIZES.full;
  const cells = sizes.cellsPerRun * sizes.runs;
  const mb = sizes.streamMBPerRun * sizes.runs;
  const servers = {};
  try {
    for (const app of apps) servers[app] = await startFor(app, ['--ServerApp.iopub_data_rate_limit=0']);
    await scenario(
      'memory',
      `One page: open, edit, save and close ${sizes.notebooks} notebooks, run ${cells.toLocaleString('en-US')} cells, stream ${mb} MB → heap after GC vs a fresh page with the same tabs`,
      (app) => runMemory({ browser, server: servers[app], sizes }),
      { ...sizes, cells, stream_mb: mb, iopub_data_rate_limit: 0 }
    );
  } finally {
    for (const server of Object.values(servers)) await server.stop().catch(() => undefined);
  }
}

/** Rows of the report table for the memory scenario (report.mjs's row format). */
export function memoryRows() {
  const what = 'Memory over time (one page: notebooks opened and closed, cells run, output streamed)';
  return [
    ['memory', 'heap_long_bytes', `${what}: JS heap after GC, long-lived page`, 'bytes'],
    ['memory', 'heap_fresh_bytes', `${what}: JS heap after GC, fresh page, same tabs`, 'bytes'],
    ['memory', 'heap_vs_fresh', `${what}: heap long-lived / fresh page (target ≤ 1.10)`, 'ratio', { median: 1.1 }],
    ['memory', 'heap_vs_primed', `${what}: heap long-lived / page that did the work once`, 'ratio', { median: 1.1 }],
    ['memory', 'server_rss_after_bytes', `${what}: server RSS after the work`, 'bytes'],
    ['memory', 'server_rss_growth_bytes', `${what}: server RSS growth during the work`, 'bytes'],
    ['memory', 'work_ms', `${what}: time to do the work`, 'ms']
  ];
}
