/**
 * Where does the terminal's `seq 1 300000` time go? (issue 13) Not part of the timed suite.
 *
 *   node benchmarks/profile-terminal.mjs [--app jlab-alt|jupyterlab] [--lines 300000] [--runs 3]
 *                                        [--cpuprofile PREFIX] [--trace FILE] [--server-arg ARG]...
 *                                        [--scrollback N (jlab-alt; default as the scenario: 1000)]
 *
 * Starts one app's server (BENCH_PYTHON's; JupyterLab from benchmarks/.venv-jupyterlab), opens
 * a terminal as the `terminal` scenario does and runs `seq 1 <lines>` `runs` times (each in a
 * new terminal), splitting each run, from timestamps taken in the page, into:
 *   Enter → first    the keydown to the first output message's arrival on the terminal's WebSocket
 *   first → last     the first to the last output message's arrival (the server streaming, as the
 *                    page receives it: a page that keeps up finishes close to this)
 *   last → painted   the last message's arrival to the frame after the last line is in xterm's
 *                    buffer (the page's backlog: parsing and drawing still to do)
 * with the messages' count and sizes, the characters received and those handed to xterm to
 * parse (jump scrolling skips most of a flood's backlog), the longest task, and the CPU time (user + system) the
 * browser's processes and the server's used meanwhile (from /proc: a loaded machine stretches
 * wall-clock times, much less the work done). With --cpuprofile PREFIX,
 * a V8 CPU profile (100 µs samples) of every run and its top self-time functions; with
 * --trace FILE, a Chrome trace of the last run (open it in DevTools' Performance panel)
 * and a summary of it: task time per thread of every process (the page's rendering also runs
 * on the compositor, raster and GPU threads), and the main thread's time per rendering phase.
 * Each --server-arg is passed to the server, e.g. `--server-arg
 * --JlabAltApp.terminal_output_coalescing=False` to compare one frame per pty read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTERS, benchInitScript, longestTask } from './apps.mjs';
import { CONTEXT_OPTIONS, TERMINAL_SCROLLBACK, setJlabAltTerminalSettings } from './scenarios.mjs';
import { rawTerminalFloor } from './scenarios-terminals.mjs';
import { launchChromium, startServer, optionReader, tempDirCleanedOnExit } from './servers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = optionReader(args);
const app = opt('app', 'jlab-alt');
const lines = Number(opt('lines', 300000));
const runs = Number(opt('runs', 3));
const cpuPrefix = opt('cpuprofile', null);
const traceFile = opt('trace', null);
const serverArgs = args.flatMap((a, i) => (args[i - 1] === '--server-arg' ? [a] : []));
const python = process.env.BENCH_PYTHON || 'python3';
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'toplevel'];

const tmp = tempDirCleanedOnExit('jlab-alt-profile-terminal-');

/** In the page: arrival times and sizes of terminal WebSocket output messages. */
function probeScript() {
  const probe = { msgs: [] };
  Object.defineProperty(window, '__probe', { value: probe, enumerable: false });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      if (String(a[0]).includes('/terminals/websocket/')) {
        this.addEventListener('message', (e) => {
          if (typeof e.data === 'string' && e.data.startsWith('["stdout"')) probe.msgs.push([performance.now(), e.data.length]);
        });
      }
    }
  };
}

function topSelf(profile, n = 25) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const file = f.url.split('/').pop().split('?')[0];
    const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [`  total sampled: ${(total / 1000).toFixed(0)} ms`, ...rows.map(([k, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`)].join('\n');
}

/**
 * From a trace: per thread (process/thread name), the time in top-level tasks; and on the
 * renderer's main thread the time in rendering phases and the longest task, in ms.
 */
function traceSummary(events) {
  const names = new Map();
  const procs = new Map();
  for (const e of events) {
    if (e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args?.name);
    if (e.name === 'process_name') procs.set(e.pid, e.args?.name);
  }
  const perThread = new Map();
  const phases = new Map();
  let longest = 0;
  for (const e of events) {
    if (e.ph !== 'X') continue;
    const thread = names.get(`${e.pid}:${e.tid}`) ?? '?';
    if (e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask') {
      const key = `${procs.get(e.pid) ?? e.pid}/${thread}`;
      perThread.set(key, (perThread.get(key) ?? 0) + (e.dur ?? 0) / 1000);
      if (thread === 'CrRendererMain') longest = Math.max(longest, (e.dur ?? 0) / 1000);
    }
    if (thread === 'CrRendererMain' && ['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'FireAnimationFrame', 'TimerFire', 'EventDispatch', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'FunctionCall', 'HitTest', 'UpdateLayer'].includes(e.name)) {
      phases.set(e.name, (phases.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    }
  }
  const fmt = (m) => [...m.entries()].sort((a, b) => b[1] - a[1]).filter(([, v]) => v >= 5).map(([k, v]) => `    ${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n');
  return `  longest main-thread task ${longest.toFixed(0)} ms\n  tasks per thread:\n${fmt(perThread)}\n  main thread phases (inclusive):\n${fmt(phases)}`;
}

/**
 * In the page: `seq 1 <lines>` through a bare WebSocket on a new terminal (no xterm, no
 * app code), ms from the send to the arrival of the last line: the floor with the
 * browser's own cost of receiving the messages.
 */
async function pageRawFloor({ lines, origin, token }) {
  const res = await fetch(`${origin}/api/terminals?token=${token}`, { method: 'POST' });
  const { name } = await res.json();
  const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/terminals/websocket/${name}?token=${token}`);
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  ws.send(JSON.stringify(['set_size', 24, 80, 400, 640]));
  let out = '';
  const until = (test) =>
    new Promise((resolve) => {
      ws.onmessage = (e) => {
        const msg = JSON.parse(e.data);
        if (msg[0] === 'stdout') out = (out + msg[1]).slice(-256);
        if (test()) resolve(performance.now());
      };
    });
  await until(() => /[$#] $/.test(out));
  out = '';
  const t0 = performance.now();
  const done = until(() => out.includes(`\n${lines}\r\n`));
  ws.send(JSON.stringify(['stdin', `seq 1 ${lines}\r`]));
  const t1 = await done;
  ws.close();
  return t1 - t0;
}

/**
 * CPU time (user + system, ms) used so far by process `pid` and its descendants but `skip`'s, from
 * /proc (Linux): the browser's cost of a run, which a loaded machine stretches less than
 * the wall-clock time. Processes that ended meanwhile are not counted.
 */
function treeCpuMs(pid, skip = new Set()) {
  const stats = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const text = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), cpu: Number(f[11]) + Number(f[12]) });
    } catch {
      /* gone */
    }
  }
  let ticks = 0;
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop();
    if (skip.has(p)) continue;
    ticks += stats.get(p)?.cpu ?? 0;
    for (const [child, st] of stats) if (st.ppid === p) todo.push(child);
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

const root = path.join(tmp, 'root');
fs.mkdirSync(root, { recursive: true });
const server = await startServer(app, {
  root,
  base: path.join(tmp, 'server'),
  python,
  jupyterlabVenv: path.join(HERE, '.venv-jupyterlab'),
  extraArgs: serverArgs
});
// As the `terminal` scenario: both apps keep the same scrollback (--scrollback N for another).
const scrollback = Number(opt('scrollback', TERMINAL_SCROLLBACK));
if (app === 'jlab-alt') await setJlabAltTerminalSettings(server, { scrollback });
const browser = await launchChromium();
const adapter = ADAPTERS[app];
/** The browser's processes are this script's children other than the server. */
const browserCpuMs = () => treeCpuMs(process.pid, new Set([server.pid])) - treeCpuMs(process.pid, new Set([server.pid, ...childPids()]));
function childPids() {
  const out = [];
  for (const d of fs.readdirSync('/proc')) {
    try {
      const text = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) out.push(Number(d));
    } catch {
      /* not a process, or gone */
    }
  }
  return out;
}
const results = [];
try {
  for (let r = 0; r < runs; r++) {
  // A page of its own per run, as the scenario does.
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  await context.addInitScript(probeScript);
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  const cdp = await context.newCDPSession(page);
  await page.goto(server.url());
  await page.waitForFunction(adapter.started, undefined, { polling: 'raf' });
    await page.evaluate(adapter.newTerminal);
    await page.waitForFunction(
      (id) => {
        const term = id === 'jupyterlab' ? window.jupyterapp?.shell.currentWidget?.content?._term : window.jlabAlt?.shell.currentWidget?.term;
        const b = term?.buffer.active;
        if (!b) return false;
        for (let i = 0; i < b.length; i++) if (b.getLine(i)?.translateToString(true).trim()) return true;
        return false;
      },
      app,
      { polling: 'raf' }
    );
    await page.locator(adapter.terminalSelector).last().click();
    await page.keyboard.type(`seq 1 ${lines}`);
    await page.evaluate((id) => {
      window.__bench.keydowns.length = 0;
      window.__probe.msgs.length = 0;
      window.__probe.renders = 0;
      const term = id === 'jupyterlab' ? window.jupyterapp?.shell.currentWidget?.content?._term : window.jlabAlt?.shell.currentWidget?.term;
      term.onRender(() => window.__probe.renders++);
      // What the terminal is handed to parse (jump scrolling skips part of a backlog).
      window.__probe.scrollback = term.options.scrollback;
      window.__probe.written = 0;
      window.__probe.writes = 0;
      const write = term.write;
      term.write = function (data, callback) {
        window.__probe.written += data.length;
        window.__probe.writes++;
        return write.call(this, data, callback);
      };
    }, app);
    const traceChunks = [];
    const onData = (e) => traceChunks.push(...e.value);
    const tracing = traceFile && r === runs - 1;
    if (tracing) {
      cdp.on('Tracing.dataCollected', onData);
      await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES } });
    }
    if (cpuPrefix) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    }
    const cpu0 = { browser: browserCpuMs(), server: treeCpuMs(server.pid) };
    await page.keyboard.press('Enter');
    const end = await (
      await page.waitForFunction(
        ({ id, last }) => {
          const term = id === 'jupyterlab' ? window.jupyterapp?.shell.currentWidget?.content?._term : window.jlabAlt?.shell.currentWidget?.term;
          const b = term?.buffer.active;
          if (!b) return false;
          for (let i = b.length - 1; i >= Math.max(0, b.length - term.rows - 2); i--) {
            if (b.getLine(i)?.translateToString(true) === last) return new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
          }
          return false;
        },
        { id: app, last: String(lines) },
        { polling: 'raf', timeout: 600_000 }
      )
    ).jsonValue();
    const cpu1 = { browser: browserCpuMs(), server: treeCpuMs(server.pid) };
    const probe = await page.evaluate(() => ({ key: window.__bench.keydowns[0], msgs: window.__probe.msgs, renders: window.__probe.renders, written: window.__probe.written, writes: window.__probe.writes, scrollback: window.__probe.scrollback }));
    const longest = await page.evaluate(longestTask, [probe.key, end]);
    const sizes = probe.msgs.map((m) => m[1]).sort((a, b) => a - b);
    const run = {
      total: end - probe.key,
      enterToFirst: probe.msgs[0][0] - probe.key,
      firstToLast: probe.msgs[probe.msgs.length - 1][0] - probe.msgs[0][0],
      lastToPainted: end - probe.msgs[probe.msgs.length - 1][0],
      messages: probe.msgs.length,
      medianMsgChars: sizes[sizes.length >> 1],
      maxMsgChars: sizes[sizes.length - 1],
      longestTask: longest,
      renders: probe.renders,
      scrollback: probe.scrollback,
      writes: probe.writes,
      parsedChars: probe.written,
      receivedChars: sizes.reduce((a, b) => a + b, 0),
      browserCpu: cpu1.browser - cpu0.browser,
      serverCpu: cpu1.server - cpu0.server
    };
    if (cpuPrefix) {
      const { profile } = await cdp.send('Profiler.stop');
      fs.writeFileSync(`${cpuPrefix}-${app}-${r}.cpuprofile`, JSON.stringify(profile));
      console.log(`\n-- run ${r}: top self time (Enter → painted and a little after)\n${topSelf(profile)}`);
    }
    if (tracing) {
      const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await done;
      cdp.off('Tracing.dataCollected', onData);
      fs.writeFileSync(traceFile, JSON.stringify({ traceEvents: traceChunks }));
      console.log(traceSummary(traceChunks));
      console.log(`trace: ${traceFile}`);
    }
    console.log(`run ${r}: ${JSON.stringify(run, (k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v))}`);
    results.push(run);
    // End the shells (the terminal list is per server).
    const names = await (await fetch(server.api('/api/terminals'))).json();
    for (const { name } of names) await fetch(server.api(`/api/terminals/${name}`), { method: 'DELETE' });
    await context.close();
  }
  const med = (k) => {
    const s = results.map((x) => x[k]).sort((a, b) => a - b);
    return s[s.length >> 1];
  };
  console.log(`\n== ${app}, seq 1 ${lines}, ${runs} runs, medians (ms):`);
  const nodeFloor = await rawTerminalFloor({ server, lines, repeats: runs });
  console.log(`  raw node client: ${nodeFloor.map((t) => t.toFixed(0)).join(' / ')} ms`);
  if (app === 'jlab-alt') {
    const context = await browser.newContext(CONTEXT_OPTIONS);
    const page = await context.newPage();
    await page.goto(server.url());
    await page.waitForFunction(adapter.started, undefined, { polling: 'raf' });
    const pageFloor = [];
    const pageFloorCpu = [];
    for (let r = 0; r < runs; r++) {
      const c0 = browserCpuMs();
      pageFloor.push(await page.evaluate(pageRawFloor, { lines, origin: server.origin, token: server.token }));
      pageFloorCpu.push(browserCpuMs() - c0);
    }
    console.log(`  raw page client: ${pageFloor.map((t) => t.toFixed(0)).join(' / ')} ms; browser CPU ${pageFloorCpu.join(' / ')} ms`);
    await context.close();
  }
  for (const k of ['total', 'enterToFirst', 'firstToLast', 'lastToPainted', 'messages', 'medianMsgChars', 'longestTask', 'renders', 'writes', 'parsedChars', 'receivedChars', 'browserCpu', 'serverCpu']) console.log(`  ${k.padEnd(15)} ${med(k).toFixed(1)}`);
} finally {
  await browser.close();
  await server.stop();
}
