/**
 * Load benchmark (issue 10, part 5): many clients on one kernel, many kernels in one page.
 *
 *   node benchmarks/load.mjs [--smoke] [--runs N] [--python PATH] [--chromium PATH]
 *                            [--clients C] [--pages P] [--lines N] [--notebooks K]
 *
 * 1. `fanout`: one notebook's kernel streams N lines (one IOPub message each) while
 *    C clients are connected to it: P browser pages with the notebook open (each its
 *    own context, so its own session id) and C - P raw WebSocket clients, one of which
 *    sends the `execute_request` (with the cell's id, as a page would). Every client
 *    must receive every stream message of the run, in order (its concatenated text is
 *    exactly the N lines), the run's `busy` before and `idle` after them, and no
 *    WebSocket may close. Measured: time from the request to the last client's
 *    `idle`, server RSS before and after.
 * 2. `many_notebooks`: one page opens K notebooks, each starting its own kernel; then
 *    the last one runs a cell, and the first one is brought back to the front.
 *    Must: every kernel idle, the cell's output shown. Measured: page JS heap after GC,
 *    DOM nodes, server RSS, kernels' RSS, time to run the cell and to switch tabs.
 *
 * Full: C = 20 (4 pages + 16 raw), N = 2,000, K = 50, 3 runs each. --smoke (CI): C = 5
 * (1 page + 4 raw), N = 300, K = 3, 1 run; it checks the musts and never a time.
 * Prints a table of medians; exit status 1 when a must failed (or the run broke).
 * Temporary folders go under $BENCH_TMP when set (benchmarks/run.sh cleans it).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ADAPTERS } from './apps.mjs';
import { api, launchChromium, processesMentioning, startServer } from './servers.mjs';
import { median } from './stats.mjs';

const SIZES = {
  full: { clients: 20, pages: 4, lines: 2000, notebooks: 50, runs: 3 },
  smoke: { clients: 5, pages: 1, lines: 300, notebooks: 3, runs: 1 }
};
const TIMEOUT_MS = 600_000;
function parseArgs(argv) {
  const opts = { smoke: false, runs: null, python: process.env.BENCH_PYTHON ?? 'python3', chromium: process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--smoke') opts.smoke = true;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (['--clients', '--pages', '--lines', '--notebooks'].includes(a)) opts[a.slice(2)] = Number(argv[++i]);
    else if (a === '--python') opts.python = argv[++i];
    else if (a === '--chromium') opts.chromium = argv[++i];
    else throw new Error(`load.mjs: unknown option ${a}`);
  }
  return opts;
}

const log = (msg) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Resident memory of a process in bytes (0 once it is gone). */
function rssOf(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function notebook(cells) {
  return JSON.stringify({
    cells: cells.map(([id, source]) => ({ cell_type: 'code', id, metadata: {}, execution_count: null, outputs: [], source })),
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  });
}

/** The code of the streaming cell: `lines` lines, one IOPub stream message each. */
function streamCode(lines) {
  return `import sys\nfor i in range(${lines}):\n    print(f"line {i:06d}", flush=True)\n`;
}
function expectedText(lines) {
  let s = '';
  for (let i = 0; i < lines; i++) s += `line ${String(i).padStart(6, '0')}\n`;
  return s;
}

/**
 * A kernel message from a WebSocket frame: JSON text (no subprotocol) or the
 * `v1.kernel.websocket.jupyter.org` binary layout (jupyter_server's
 * `serialize_msg_to_ws_v1`: uint64 LE count of offsets, the offsets, then channel,
 * header, parent header, metadata, content, buffers).
 */
export function decodeFrame(payload) {
  if (typeof payload === 'string') return JSON.parse(payload);
  const buf = Buffer.from(payload);
  const n = Number(buf.readBigUInt64LE(0));
  const offsets = [];
  for (let i = 0; i < n; i++) offsets.push(Number(buf.readBigUInt64LE(8 * (i + 1))));
  const part = (i) => buf.subarray(offsets[i], i + 1 < n ? offsets[i + 1] : buf.length).toString('utf8');
  return { channel: part(0), header: JSON.parse(part(1)), parent_header: JSON.parse(part(2)), content: JSON.parse(part(4)) };
}

/** Collects what one client received for each parent msg_id (iopub only). */
class Recorder {
  constructor(name) {
    this.name = name;
    this.byParent = new Map();
    this.closed = null;
  }
  add(msg) {
    if (msg.channel !== 'iopub') return;
    const parent = msg.parent_header?.msg_id;
    if (!parent) return;
    if (!this.byParent.has(parent)) this.byParent.set(parent, []);
    this.byParent.get(parent).push(msg);
  }
  idleSeen(parent) {
    return (this.byParent.get(parent) ?? []).some((m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle');
  }
  /** Problems with what arrived for `parent` (empty when complete and in order). */
  check(parent, expected) {
    const msgs = this.byParent.get(parent) ?? [];
    const problems = [];
    if (this.closed) problems.push(`its WebSocket closed (${this.closed})`);
    const types = msgs.map((m) => (m.header.msg_type === 'status' ? `status:${m.content.execution_state}` : m.header.msg_type));
    const busy = types.indexOf('status:busy');
    const idle = types.lastIndexOf('status:idle');
    const streams = msgs.filter((m) => m.header.msg_type === 'stream');
    const firstStream = types.indexOf('stream');
    const lastStream = types.lastIndexOf('stream');
    if (busy < 0 || idle < 0) problems.push(`no busy/idle (${busy}, ${idle})`);
    else if (firstStream >= 0 && !(busy < firstStream && lastStream < idle)) problems.push('stream messages outside busy…idle');
    const text = streams.map((m) => m.content.text).join('');
    if (text !== expected) {
      const got = text.split('\n');
      const want = expected.split('\n');
      const at = want.findIndex((line, i) => got[i] !== line);
      problems.push(`stream text differs at line ${at}: got ${JSON.stringify(got[at])}, want ${JSON.stringify(want[at])} (${streams.length} messages, ${text.length}/${expected.length} chars)`);
    }
    return problems;
  }
}

/** Poll `fn` until it is true; `what` (a string, or a function read at the timeout) names it. */
async function waitUntil(fn, what, timeout = TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}


function rawClient(server, kernelId, name) {
  const url = `${server.origin.replace(/^http/, 'ws')}/api/kernels/${kernelId}/channels?session_id=${randomUUID()}&token=${server.token}`;
  const ws = new WebSocket(url);
  const rec = new Recorder(name);
  ws.on('message', (data, isBinary) => rec.add(decodeFrame(isBinary ? data : data.toString('utf8'))));
  ws.on('close', (code) => (rec.closed = `code ${code}`));
  ws.on('error', (err) => (rec.closed = String(err)));
  const open = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, rec, open };
}

/** Send a kernel_info_request on `ws` and resolve when its shell reply arrives. */
function kernelInfo(ws) {
  const msgId = randomUUID();
  const reply = new Promise((resolve) => {
    const onMessage = (data, isBinary) => {
      const msg = decodeFrame(isBinary ? data : data.toString('utf8'));
      if (msg.channel === 'shell' && msg.parent_header?.msg_id === msgId) {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
  });
  ws.send(
    JSON.stringify({
      channel: 'shell',
      header: { msg_id: msgId, msg_type: 'kernel_info_request', username: 'load', session: randomUUID(), date: new Date().toISOString(), version: '5.3' },
      parent_header: {},
      metadata: {},
      content: {},
      buffers: []
    })
  );
  return reply;
}

/**
 * A page on `treePath`; with `kernelId`, it records the WebSockets to that kernel only
 * (the page also restores the saved layout, whose other notebooks have kernels of their own).
 */
async function openPage(browser, server, treePath, name, kernelId = null) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT_MS);
  // One recorder per kernel WebSocket the page opens: each must get everything.
  const sockets = [];
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/channels')) return;
    if (kernelId && !socket.url().includes(`/api/kernels/${kernelId}/`)) return;
    const rec = new Recorder(`${name} socket ${sockets.length + 1}`);
    sockets.push(rec);
    socket.on('framereceived', ({ payload }) => {
      try {
        rec.add(decodeFrame(payload));
      } catch {
        /* not a kernel message */
      }
    });
    socket.on('close', () => (rec.closed = 'closed by the server or the page'));
  });
  await page.goto(server.url(treePath));
  await page.waitForFunction(ADAPTERS['jlab-alt'].started, null, { polling: 100 });
  return { context, page, sockets };
}

/** Scenario 1: C clients on one kernel while it streams. */
async function runFanout({ browser, server, size }) {
  const session = await api(server, 'POST', '/api/sessions', { path: 'stream.ipynb', type: 'notebook', name: 'stream.ipynb', kernel: { name: 'python3' } });
  const kernelId = session.kernel.id;
  const pages = [];
  for (let i = 0; i < size.pages; i++) pages.push(await openPage(browser, server, 'stream.ipynb', `page ${i + 1}`, kernelId));
  for (const { page } of pages) await page.waitForFunction(ADAPTERS['jlab-alt'].kernelIdle, null, { polling: 100 });
  const raws = [];
  for (let i = 0; i < size.clients - size.pages; i++) raws.push(rawClient(server, kernelId, `raw ${i + 1}`));
  await Promise.all(raws.map((r) => r.open));
  const recorders = [...pages.flatMap((p) => p.sockets), ...raws.map((r) => r.rec)];

  // Every raw client asks for kernel_info and waits for the reply before the run starts: the
  // host handles a connection's messages only once its IOPub subscription is confirmed (its
  // "nudge"), so the reply proves this client will see the run's first message (`busy`). The
  // WebSocket's `open` event comes before that, and a client still being nudged when the run
  // starts misses `busy` (seen as a flaky "no busy/idle" here). It also waits for a fresh kernel.
  await Promise.all(raws.map((r) => kernelInfo(r.ws)));
  const sender = raws[0].ws;
  const rssBefore = rssOf(server.pid);
  const msgId = randomUUID();
  const t0 = performance.now();
  sender.send(
    JSON.stringify({
      channel: 'shell',
      header: { msg_id: msgId, msg_type: 'execute_request', username: 'load', session: randomUUID(), date: new Date().toISOString(), version: '5.3' },
      parent_header: {},
      metadata: { cellId: 'stream-cell' },
      content: { code: streamCode(size.lines), silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      buffers: []
    })
  );
  let peakRss = rssBefore;
  await waitUntil(() => {
    peakRss = Math.max(peakRss, rssOf(server.pid));
    return recorders.every((r) => r.idleSeen(msgId) || r.closed);
  }, () => `every client's idle for the run (${recorders
    .filter((r) => !r.idleSeen(msgId))
    .map((r) => `${r.name}: ${(r.byParent.get(msgId) ?? []).length} messages${r.closed ? `, ${r.closed}` : ''}`)
    .join('; ')})`);
  const lastIdleMs = performance.now() - t0;
  const expected = expectedText(size.lines);
  const failures = recorders.flatMap((r) => r.check(msgId, expected).map((p) => `${r.name}: ${p}`));
  const messages = median(recorders.map((r) => (r.byParent.get(msgId) ?? []).filter((m) => m.header.msg_type === 'stream').length));
  for (const r of raws) r.ws.close();
  for (const p of pages) await p.context.close();
  await api(server, 'DELETE', `/api/sessions/${session.id}`);
  // A page holds one WebSocket to the kernel; more is reported (each copy of the traffic costs).
  const kernelSockets = Math.max(...pages.map((p) => p.sockets.length));
  return {
    failures,
    metrics: { last_idle_ms: lastIdleMs, stream_messages_per_client: messages, kernel_sockets_per_page_max: kernelSockets, server_rss_before: rssBefore, server_rss_peak: peakRss }
  };
}

/** Scenario 2: K notebooks, each with its kernel, in one page. */
async function runManyNotebooks({ browser, server, size }) {
  const { context, page } = await openPage(browser, server, '', 'many');
  const cdp = await context.newCDPSession(page);
  const failures = [];
  const t0 = performance.now();
  for (let i = 0; i < size.notebooks; i++) {
    await page.evaluate((p) => window.jlabAlt.commands.execute('docmanager:open', { path: p }), `many/nb-${String(i).padStart(2, '0')}.ipynb`);
  }
  await waitUntil(async () => {
    const sessions = await api(server, 'GET', '/api/sessions');
    const mine = sessions.filter((s) => s.path.startsWith('many/'));
    return mine.length === size.notebooks && mine.every((s) => s.kernel.execution_state === 'idle');
  }, `${size.notebooks} idle kernels`);
  const allIdleMs = performance.now() - t0;

  // The last notebook is in front: run its cell (Shift+Enter) and wait for its output.
  const last = `nb-${String(size.notebooks - 1).padStart(2, '0')}`;
  await page.waitForFunction(ADAPTERS['jlab-alt'].kernelIdle, null, { polling: 100 });
  const visibleNotebook = page.locator('[data-testid="notebook"]:visible');
  await visibleNotebook.locator('[data-testid="cell"]').first().locator('.ja-Cell-prompt').click();
  const runStart = performance.now();
  await page.keyboard.press('Shift+Enter');
  try {
    await visibleNotebook.locator('.ja-Output-body', { hasText: `done-${last}` }).waitFor({ timeout: 60_000 });
  } catch {
    failures.push(`the cell of ${last} did not show its output`);
  }
  const runCellMs = performance.now() - runStart;

  // Bring the first notebook back to the front by its tab.
  const switchStart = performance.now();
  await page.locator('.dv-tab', { hasText: 'nb-00.ipynb' }).first().click();
  await page.locator('[data-testid="notebook"]:visible [data-testid="cell"]', { hasText: 'nb-00' }).first().waitFor();
  const switchMs = performance.now() - switchStart;

  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  // Each kernel's command line names its connection file, kernel-<id>.json.
  const kernelIds = (await api(server, 'GET', '/api/sessions')).filter((s) => s.path.startsWith('many/')).map((s) => s.kernel.id);
  const kernelPids = kernelIds.flatMap((id) => processesMentioning(`kernel-${id}.json`));
  const metrics = {
    all_kernels_idle_ms: allIdleMs,
    run_cell_ms: runCellMs,
    switch_tab_ms: switchMs,
    page_js_heap: heap.usedSize,
    page_dom_nodes: dom.nodes,
    server_rss: rssOf(server.pid),
    kernels_rss_total: kernelPids.reduce((sum, pid) => sum + rssOf(pid), 0),
    kernel_processes: kernelPids.length
  };
  await context.close();
  const sessions = await api(server, 'GET', '/api/sessions');
  for (const s of sessions) await api(server, 'DELETE', `/api/sessions/${s.id}`);
  return { failures, metrics };
}

function format(name, value) {
  if (/rss|heap/.test(name)) return `${(value / 2 ** 20).toFixed(1)} MiB`;
  if (/_ms$/.test(name)) return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
  return String(Math.round(value));
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const size = { ...(opts.smoke ? SIZES.smoke : SIZES.full) };
  for (const key of ['runs', 'clients', 'pages', 'lines', 'notebooks']) if (opts[key]) size[key] = opts[key];
  const tmp = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), 'jlab-alt-load-'));
  const root = path.join(tmp, 'root');
  fs.mkdirSync(path.join(root, 'many'), { recursive: true });
  fs.writeFileSync(path.join(root, 'stream.ipynb'), notebook([['stream-cell', streamCode(size.lines)]]));
  for (let i = 0; i < size.notebooks; i++) {
    const name = `nb-${String(i).padStart(2, '0')}`;
    fs.writeFileSync(path.join(root, 'many', `${name}.ipynb`), notebook([[`${name}-cell`, `print("done-" + "${name}")`]]));
  }
  log(`load ${opts.smoke ? 'smoke' : 'full'}: ${size.clients} clients (${size.pages} pages), ${size.lines} lines; ${size.notebooks} notebooks; ${size.runs} run(s); tmp ${tmp}`);
  const server = await startServer('jlab-alt', { root, base: path.join(tmp, 'server'), python: opts.python, log });
  const browser = await launchChromium(opts.chromium);
  const results = { fanout: [], many_notebooks: [] };
  const failures = [];
  try {
    for (let run = 1; run <= size.runs; run++) {
      for (const [name, fn] of [
        ['fanout', runFanout],
        ['many_notebooks', runManyNotebooks]
      ]) {
        const out = await fn({ browser, server, size });
        results[name].push(out.metrics);
        failures.push(...out.failures.map((f) => `${name} run ${run}: ${f}`));
        log(`${name} run ${run}: ${Object.entries(out.metrics).map(([k, v]) => `${k}=${format(k, v)}`).join(', ')}${out.failures.length ? ` — ${out.failures.length} failure(s)` : ''}`);
      }
    }
  } finally {
    await browser.close().catch(() => undefined);
    await server.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log('\n| Scenario | Metric | Median (min – max) |\n|---|---|---|');
  for (const [name, runs] of Object.entries(results)) {
    for (const key of Object.keys(runs[0] ?? {})) {
      const xs = runs.map((r) => r[key]);
      console.log(`| ${name} | ${key} | ${format(key, median(xs))} (${format(key, Math.min(...xs))} – ${format(key, Math.max(...xs))}) |`);
    }
  }
  if (failures.length) {
    console.error(`\nload: ${failures.length} failure(s):\n${failures.join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log(`\nload ${opts.smoke ? 'smoke' : ''}: every client got every message in order; ${size.notebooks} notebooks ran`.replace('  ', ' '));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
