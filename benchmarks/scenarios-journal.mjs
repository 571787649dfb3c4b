/**
 * The execution journal's cost (issue 16, "Speed and memory"), three scenarios:
 *
 * - `journal_stream`: the 50,000-line stream cell (the `stream` scenario's method,
 *   scenarios.mjs `runStream`: Ctrl+Enter → last line rendered) in jlab-alt with the
 *   journal on and with it off (`--JlabAltApp.journal_enabled=False`), two servers of
 *   this scenario's own started side by side, measured one after the other in each run
 *   (order alternating), and JupyterLab beside them for reference. A jlab-alt run returns
 *   `done_ms` (journal on) and `done_ms_journal_off`. The raw floor (a plain WebSocket
 *   client, `rawStreamFloor`) through both jlab-alt servers follows, without a page.
 *   Target: journal on ≤ 5% slower than off (ratio of medians).
 * - `journal_stream_cpu`: the same cell without a page (a WebSocket client, 3 executions a
 *   run): the server process' CPU time (/proc/<pid>/stat) per execution, journal on and off:
 *   the journal's cost shows there when the machine's load hides it in wall times.
 * - `journal_flood`: a cell floods ~1 GB/min (stdout text broken by a `display_data`
 *   every fourth chunk, so outputs pile up and the journal's per-kernel cap is what
 *   bounds it) for 60 s (6 s at 100 MB/min in --smoke), sent by a plain WebSocket client that stays connected
 *   and drains; the server process' RSS (/proc/<pid>/status VmRSS) is sampled every
 *   second on both jlab-alt servers, one after the other. Target: RSS levels off (the
 *   growth over the last third of the flood is small next to the output in that time)
 *   and the total growth stays within the journal's cap (plus the interpreter's slack).
 * - `journal_reopen`: a page runs a cell that prints 100,000 lines (~5 MB, more than the
 *   journal keeps of one output) and closes before the first line; once the kernel is
 *   idle, a fresh page opens the notebook: ms from navigation to the first cell painted
 *   and to the output's last line rendered. Target: the caught-up output ≤ 1 s after
 *   the first paint. jlab-alt (journal on) only: JupyterLab shows nothing of it.
 */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ADAPTERS, benchInitScript, findMarker, longestTask } from './apps.mjs';
import { FIRST_MARKER, KNOWN_FILE } from './generate.mjs';
import { CONTEXT_OPTIONS, rawStreamFloor, runStream } from './scenarios.mjs';
import { median } from './stats.mjs';
import { api, sleep, startServer } from './servers.mjs';

/** Sizes: full runs, and `--smoke` (CI: small, jlab-alt only). */
export const JOURNAL_SIZES = {
  full: { streamLines: 50_000, floodSeconds: 60, floodBytesPerMinute: 1e9, reopenLines: 100_000 },
  smoke: { streamLines: 2_000, floodSeconds: 6, floodBytesPerMinute: 1e8, reopenLines: 5_000 }
};

const TIMEOUT = 300_000;
/** How long after a flood's end its server's RSS is read again (ms). */
const SETTLE_MS = 5_000;
const JOURNAL_OFF = ['--JlabAltApp.journal_enabled=False'];
const REOPEN_DONE = 'REOPEN_DONE';

/**
 * Start the two jlab-alt servers of these scenarios: journal on (the default) and off.
 * `BENCH_JOURNAL_ON_ARGS` (space-separated) adds options to the journal-on server, e.g.
 * `--JlabAltApp.journal_release_memory=False` to measure without the memory release.
 */
async function startJournalServers({ tmp, python, pythonPath, log }) {
  const servers = {};
  const onArgs = (process.env.BENCH_JOURNAL_ON_ARGS ?? '').split(/\s+/).filter(Boolean);
  for (const [key, extraArgs] of [
    ['on', onArgs],
    ['off', JOURNAL_OFF]
  ]) {
    const root = path.join(tmp, `journal-${key}`, 'root');
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, KNOWN_FILE), 'The benchmark waits for this file in the file browser.\n');
    servers[key] = await startServer('jlab-alt', { root, base: path.join(tmp, `journal-${key}`, 'server'), python, pythonPath, extraArgs, log });
  }
  // Check the switch did what it says (the off server answers "disabled").
  for (const [key, server] of Object.entries(servers)) {
    const answer = await (await fetch(server.api('/jlab-alt/api/journal?path=none.ipynb'))).json();
    const disabled = answer.reason === 'disabled';
    if (disabled !== (key === 'off')) throw new Error(`journal-${key} server: journal answer ${JSON.stringify(answer)}`);
  }
  return servers;
}

/** The server process' resident set, in bytes (Linux). */
function rssOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}


function notebookJson(source) {
  return (
    JSON.stringify(
      {
        cells: [{ cell_type: 'code', id: 'c0', metadata: {}, execution_count: null, outputs: [], source }],
        metadata: { kernelspec: { display_name: 'Python 3 (ipykernel)', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
        nbformat: 4,
        nbformat_minor: 5
      },
      null,
      1
    ) + '\n'
  );
}

/** The flood cell: ~`bytesPerMinute` of output for `seconds`, then the bytes sent written to `sentFile`. */
function floodCode(seconds, bytesPerMinute, sentFile) {
  return [
    'import sys, time',
    'from IPython.display import display',
    "chunk = ('x' * 99 + '\\n') * 2600",
    `rate = ${bytesPerMinute} / 60`,
    't0 = time.time(); sent = 0; n = 0',
    `while time.time() - t0 < ${seconds}:`,
    '    sys.stdout.write(chunk); sys.stdout.flush(); sent += len(chunk); n += 1',
    '    if n % 4 == 0:',
    "        display({'text/plain': chunk}, raw=True); sent += len(chunk)",
    '    ahead = sent / rate - (time.time() - t0)',
    '    if ahead > 0:',
    '        time.sleep(ahead)',
    // The host's IOPub rate limit (1 MB/s by default) keeps most of the flood from the client:
    // the count goes to a file.
    `open(${JSON.stringify(sentFile)}, 'w').write(str(sent))`
  ].join('\n');
}

/** Server process CPU time (user + system), in ms (Linux, /proc/<pid>/stat). */
function cpuMsOf(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/**
 * A notebook session `name` on `server` and a plain WebSocket client on its kernel that drains
 * every message (parsing only small ones). `fn({execute})` runs with it; `execute(code)` sends an
 * execute_request naming cell `c0` (as a page does) and resolves once the kernel is idle again.
 * The session is deleted after.
 */
async function withNotebookKernel(server, name, fn) {
  fs.writeFileSync(path.join(server.root, name), notebookJson(''));
  const session = await api(server, 'POST', '/api/sessions', { path: name, type: 'notebook', name: '', kernel: { name: 'python3' } });
  const ws = new WebSocket(server.api(`/api/kernels/${session.kernel.id}/channels`).replace(/^http/, 'ws'));
  const clientSession = `journal-bench-${Date.now()}`;
  const state = { received: 0, infoReply: false, idle: new Set() };
  ws.on('message', (data) => {
    state.received += data.length;
    // Only small messages can be the ones we wait for: parsing 260 KB ones would slow the client.
    if (data.length > 4096) return;
    const msg = JSON.parse(data.toString());
    if (msg.msg_type === 'kernel_info_reply') state.infoReply = true;
    if (msg.msg_type === 'status' && msg.content.execution_state === 'idle' && msg.parent_header?.msg_id) state.idle.add(msg.parent_header.msg_id);
  });
  let seq = 0;
  const send = (msgType, content, metadata = {}) => {
    const msgId = `${clientSession}-${seq++}`;
    ws.send(
      JSON.stringify({
        header: { msg_id: msgId, username: 'bench', session: clientSession, msg_type: msgType, version: '5.3', date: new Date().toISOString() },
        parent_header: {},
        metadata,
        content,
        channel: 'shell',
        buffers: []
      })
    );
    return msgId;
  };
  const execute = async (code, timeoutMs = TIMEOUT, tick = () => {}) => {
    const id = send('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, { cellId: 'c0' });
    const deadline = performance.now() + timeoutMs;
    while (!state.idle.has(id)) {
      if (performance.now() > deadline) throw new Error(`the kernel was not idle within ${Math.round(timeoutMs / 1000)} s`);
      await sleep(tick() ?? 20);
    }
  };
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const deadline = Date.now() + 120_000;
    while (!state.infoReply) {
      if (Date.now() > deadline) throw new Error('the kernel did not answer kernel_info');
      send('kernel_info_request', {});
      await sleep(500);
    }
    return await fn({ execute, state });
  } finally {
    ws.terminate();
    await api(server, 'DELETE', `/api/sessions/${session.id}`).catch(() => undefined);
  }
}

/**
 * The stream cell without a page: `repeats` executions of the `lines`-line print loop through
 * a WebSocket client (after one not counted); per execution the wall time execute → idle and
 * the server process' CPU time meanwhile (the journal's cost shows there even when the
 * machine's load hides it in wall times). Returns `{wall_ms: [...], server_cpu_ms: [...]}`.
 */
export async function runStreamCpu({ server, lines, repeats, name }) {
  const code = `for i in range(${lines}):\n    print(i)`;
  return withNotebookKernel(server, name, async ({ execute }) => {
    const wall = [];
    const cpu = [];
    for (let i = 0; i <= repeats; i++) {
      const c0 = cpuMsOf(server.pid);
      const t0 = performance.now();
      await execute(code);
      const t1 = performance.now();
      const c1 = cpuMsOf(server.pid);
      if (i > 0) {
        wall.push(t1 - t0);
        cpu.push(c1 - c0);
      }
    }
    return { wall_ms: wall, server_cpu_ms: cpu };
  });
}

/**
 * One flood on `server`: a notebook session, a WebSocket client that sends the cell (with
 * its cell id, as a page does) and drains every message, RSS sampled each second.
 * Returns `{rss_start_bytes, rss_max_bytes, rss_end_bytes, rss_settled_bytes (RSS 5 s
 * after the kernel went idle: what the flood left, once the server is quiet), growth_bytes,
 * last_third_growth_bytes, output_bytes (what the kernel printed), received_bytes (what reached
 * the client), rate_mb_per_min, server_cpu_ms, samples: [[s, bytes], ...]}`.
 */
export async function runFlood({ server, seconds, bytesPerMinute, name }) {
  const sentFile = path.join(server.root, `${name}.sent`);
  fs.rmSync(sentFile, { force: true });
  return withNotebookKernel(server, name, async ({ execute, state }) => {
    const pid = server.pid;
    const samples = [];
    const t0 = performance.now();
    const c0 = cpuMsOf(pid);
    let next = 0;
    const sample = () => {
      const now = performance.now();
      if (now < next) return;
      next = now + 1000;
      samples.push([(now - t0) / 1000, rssOf(pid)]);
    };
    await execute(floodCode(seconds, bytesPerMinute, sentFile), (seconds + 120) * 1000, () => (sample(), 100));
    sample();
    const cpu = cpuMsOf(pid) - c0;
    const elapsed = (performance.now() - t0) / 1000;
    // The plateau a flood leaves: the server has caught up and gone quiet (the journal's
    // memory release, when on, runs a second or so after the last message).
    await sleep(SETTLE_MS);
    const settled = rssOf(pid);
    if (!fs.existsSync(sentFile)) throw new Error('flood: the cell ended without writing its count (an error?)');
    const ended = Number(fs.readFileSync(sentFile, 'utf8'));
    const rss = samples.map(([, b]) => b);
    const third = samples.filter(([s]) => s >= (elapsed * 2) / 3).map(([, b]) => b);
    return {
      rss_start_bytes: rss[0],
      rss_max_bytes: Math.max(...rss),
      rss_end_bytes: rss.at(-1),
      rss_settled_bytes: settled,
      growth_bytes: Math.max(...rss) - rss[0],
      last_third_growth_bytes: third.length ? Math.max(...third) - third[0] : 0,
      output_bytes: ended,
      received_bytes: state.received,
      rate_mb_per_min: ended / 1e6 / (elapsed / 60),
      server_cpu_ms: cpu,
      samples: samples.map(([s, b]) => [Math.round(s), b])
    };
  });
}

/** The reopen cell: a pause (the page closes meanwhile), `lines` lines of 50 characters, then REOPEN_DONE. */
function reopenSource(lines) {
  return [
    `# ${FIRST_MARKER}\n`,
    'import time\n',
    'time.sleep(2)\n',
    `for i in range(${lines}):\n`,
    "    print(f'{i:06d} ' + 'y' * 43)\n",
    `print('REOPEN_' + 'DONE')`
  ];
}

async function openPage(browser) {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  return { context, page };
}

/**
 * One reopen run on `server` (jlab-alt): run the cell in a page, close the page while the
 * kernel sleeps, wait for the kernel to finish, open the notebook in a fresh page.
 * Returns `{first_paint_ms, output_ms, after_first_paint_ms, longest_task_ms}` (page times
 * from the second page's navigation start).
 */
export async function runReopen({ browser, server, lines, name }) {
  fs.writeFileSync(path.join(server.root, name), notebookJson(reopenSource(lines)));
  const adapter = ADAPTERS['jlab-alt'];
  let sessionId = null;
  try {
    const first = await openPage(browser);
    try {
      await first.page.goto(server.url(name), { waitUntil: 'commit', timeout: TIMEOUT });
      await first.page.waitForFunction(findMarker, { text: FIRST_MARKER, mode: 'viewport' }, { polling: 'raf', timeout: TIMEOUT });
      await first.page.waitForFunction(adapter.kernelIdle, undefined, { polling: 100, timeout: 120_000 });
      await adapter.focusFirstCell(first.page);
      await first.page.waitForFunction(adapter.inCommandMode, undefined, { polling: 100, timeout: 10_000 });
      await first.page.keyboard.press('Control+Enter');
      // The kernel took the cell (the sleep before the first line is running).
      await first.page.waitForFunction(() => document.querySelector('[data-testid="kernel-status"]')?.dataset.status === 'busy', undefined, {
        polling: 50,
        timeout: 60_000
      });
    } finally {
      await first.context.close();
    }
    const sessions = await api(server, 'GET', '/api/sessions');
    const session = sessions.find((s) => s.path === name);
    if (!session) throw new Error(`no session for ${name} after the page closed`);
    sessionId = session.id;
    // Wait (server side, no page) for the journal to see the run end.
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      const journal = await api(server, 'GET', `/jlab-alt/api/journal?path=${encodeURIComponent(name)}`);
      const run = (journal.executions ?? []).at(-1);
      if (run && run.state === 'done') break;
      if (Date.now() > deadline) throw new Error(`the journal did not see ${name}'s run finish: ${JSON.stringify(journal).slice(0, 300)}`);
      await sleep(250);
    }
    const second = await openPage(browser);
    try {
      await second.page.goto(server.url(name), { waitUntil: 'commit', timeout: TIMEOUT });
      const [firstPaint, output] = await Promise.all(
        [
          { text: FIRST_MARKER, mode: 'viewport' },
          { text: REOPEN_DONE, mode: 'rendered' }
        ].map(async (arg) => (await second.page.waitForFunction(findMarker, arg, { polling: 'raf', timeout: TIMEOUT })).jsonValue())
      );
      const longest = await second.page.evaluate(longestTask, [firstPaint, output]);
      const lastLine = `${String(lines - 1).padStart(6, '0')} `;
      const shown = await second.page.evaluate((t) => document.body.textContent.includes(t), lastLine);
      if (!shown) throw new Error(`the caught-up output does not show its last line (${lastLine})`);
      return { first_paint_ms: firstPaint, output_ms: output, after_first_paint_ms: output - firstPaint, longest_task_ms: longest };
    } finally {
      await second.context.close();
    }
  } finally {
    if (sessionId) await api(server, 'DELETE', `/api/sessions/${sessionId}`).catch(() => undefined);
  }
}

/**
 * Run the journal scenarios through the runner's `scenario(id, title, fn, params)` (bench.mjs).
 * `results` is the runner's record (the raw floors are added to `results.scenarios.journal_stream`);
 * `tmp` is the run's temporary folder (the two servers' folders go under it).
 */
export async function journalScenarios({ scenario, wanted, results, servers, smoke, browser, tmp, python, pythonPath, log, runs }) {
  if (!['journal_stream', 'journal_stream_cpu', 'journal_flood', 'journal_reopen'].some(wanted)) return;
  const sizes = smoke ? JOURNAL_SIZES.smoke : JOURNAL_SIZES.full;
  const own = await startJournalServers({ tmp, python, pythonPath, log });
  try {
    await scenario(
      'journal_stream',
      `Stream ${sizes.streamLines.toLocaleString('en-US')} printed lines, jlab-alt with the journal on and off`,
      async (app, i) => {
        if (app !== 'jlab-alt') return runStream({ browser, server: servers[app], lines: sizes.streamLines });
        const order = i % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
        const done = {};
        for (const key of order) done[key] = (await runStream({ browser, server: own[key], lines: sizes.streamLines })).done_ms;
        return { done_ms: done.on, done_ms_journal_off: done.off, on_over_off: done.on / done.off };
      },
      { lines: sizes.streamLines }
    );
    const stream = results.scenarios.journal_stream;
    if (stream) {
      // The raw floor through both servers, alternating, no page.
      stream.raw = { on: [], off: [] };
      for (let r = 0; r < runs; r++) {
        for (const key of r % 2 === 0 ? ['on', 'off'] : ['off', 'on']) {
          stream.raw[key].push(...(await rawStreamFloor({ server: own[key], lines: sizes.streamLines, repeats: 1 })));
        }
      }
      const med = (xs) => median([...xs].sort((a, b) => a - b));
      log(`  raw stream via jlab-alt, journal on: ${stream.raw.on.map(Math.round).join(', ')} ms; off: ${stream.raw.off.map(Math.round).join(', ')} ms`);
      stream.raw.on_over_off = med(stream.raw.on) / med(stream.raw.off);
      const runsAlt = stream.runs['jlab-alt'] ?? [];
      if (runsAlt.length) {
        stream.on_over_off = med(runsAlt.map((m) => m.done_ms)) / med(runsAlt.map((m) => m.done_ms_journal_off));
        log(`  journal on / off (medians): page ${stream.on_over_off.toFixed(3)}, raw ${stream.raw.on_over_off.toFixed(3)} (target ≤ 1.05)`);
      }
    }
    let cpuRuns = 0;
    await scenario(
      'journal_stream_cpu',
      `Stream ${sizes.streamLines.toLocaleString('en-US')} printed lines without a page: server CPU time, journal on and off`,
      async (app, i) => {
        const order = i % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
        const out = {};
        for (const key of order) {
          const m = await runStreamCpu({ server: own[key], lines: sizes.streamLines, repeats: 3, name: `bench_stream_cpu_${cpuRuns++}.ipynb` });
          const med = (xs) => median([...xs].sort((a, b) => a - b));
          const suffix = key === 'on' ? '' : '_journal_off';
          out[`server_cpu_ms${suffix}`] = med(m.server_cpu_ms);
          out[`wall_ms${suffix}`] = med(m.wall_ms);
        }
        out.cpu_on_over_off = out.server_cpu_ms_journal_off > 0 ? out.server_cpu_ms / out.server_cpu_ms_journal_off : null;
        return out;
      },
      { apps: ['jlab-alt'], lines: sizes.streamLines, repeats: 3 }
    );
    let flood = 0;
    await scenario(
      'journal_flood',
      `Server RSS under a ${Math.round(sizes.floodBytesPerMinute / 1e6)} MB/min output flood for ${sizes.floodSeconds} s, journal on and off`,
      async (app, i) => {
        const order = i % 2 === 0 ? ['on', 'off'] : ['off', 'on'];
        const out = {};
        for (const key of order) {
          const m = await runFlood({ server: own[key], seconds: sizes.floodSeconds, bytesPerMinute: sizes.floodBytesPerMinute, name: `bench_flood_${flood++}.ipynb` });
          for (const [k, v] of Object.entries(m)) out[key === 'on' ? k : `${k}_journal_off`] = v;
        }
        return out;
      },
      { apps: ['jlab-alt'], seconds: sizes.floodSeconds, bytes_per_minute: sizes.floodBytesPerMinute }
    );
    let reopen = 0;
    await scenario(
      'journal_reopen',
      `Reopen a notebook whose cell printed ${sizes.reopenLines.toLocaleString('en-US')} lines while closed → caught-up output shown`,
      () => runReopen({ browser, server: own.on, lines: sizes.reopenLines, name: `bench_reopen_${reopen++}.ipynb` }),
      { apps: ['jlab-alt'], lines: sizes.reopenLines }
    );
  } finally {
    await Promise.all(Object.values(own).map((s) => s.stop().catch(() => undefined)));
  }
}

/** Rows of the report table for the journal scenarios (report.mjs's row format). */
export function journalRows() {
  return [
    ['journal_stream', 'done_ms', 'Journal: stream, Ctrl+Enter → last line (jlab-alt: journal on)', 'ms'],
    ['journal_stream', 'done_ms_journal_off', 'Journal: stream, Ctrl+Enter → last line, journal off', 'ms'],
    ['journal_stream', 'on_over_off', 'Journal: stream, on / off (per run)', 'count'],
    ['journal_stream_cpu', 'server_cpu_ms', 'Journal: stream without a page, server CPU (journal on)', 'ms'],
    ['journal_stream_cpu', 'server_cpu_ms_journal_off', 'Journal: stream without a page, server CPU (journal off)', 'ms'],
    ['journal_stream_cpu', 'cpu_on_over_off', 'Journal: stream without a page, server CPU on / off', 'count'],
    ['journal_flood', 'growth_bytes', 'Journal: flood, server RSS growth (journal on)', 'bytes'],
    ['journal_flood', 'last_third_growth_bytes', 'Journal: flood, RSS growth over the last third (on)', 'bytes'],
    ['journal_flood', 'growth_bytes_journal_off', 'Journal: flood, server RSS growth (journal off)', 'bytes'],
    ['journal_flood', 'rss_settled_bytes', 'Journal: flood, server RSS 5 s after (journal on)', 'bytes'],
    ['journal_flood', 'rss_settled_bytes_journal_off', 'Journal: flood, server RSS 5 s after (journal off)', 'bytes'],
    ['journal_flood', 'rate_mb_per_min', 'Journal: flood, output rate reached (on)', 'count'],
    ['journal_reopen', 'first_paint_ms', 'Journal: reopen, navigation → first cell painted', 'ms'],
    ['journal_reopen', 'after_first_paint_ms', 'Journal: reopen, first paint → caught-up output', 'ms']
  ];
}
