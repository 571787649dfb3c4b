/**
 * Where do the milliseconds of `1+1` go? (issue 18, part 1) Not part of the timed suite.
 *
 *   node benchmarks/profile-exec.mjs [--repeats 20] [--trace FILE] [--cpuprofile PREFIX]
 *
 * Starts a jlab-alt server (BENCH_PYTHON's), runs `1+1` `repeats` times in the notebook
 * (Ctrl+Enter, as the `exec` scenario) and in a console opened in a page of its own
 * (Shift+Enter, as `console_exec`), and splits each run,
 * from timestamps taken in the page, into:
 *   key → send      keydown's timestamp to the execute_request's WebSocket send (key handling,
 *                   command dispatch, model updates before the send, message encoding)
 *   send → result   the send to the arrival of the execute_result message (network, server, kernel)
 *   result → DOM    that message's arrival to the output element holding "2" being in the DOM
 *                   (decoding, the other messages' handlers, model updates, rendering)
 *   DOM → frame     to the first animation frame that sees it (the benchmark's end)
 * and prints the median of each, with `rawV1`: the same `1+1` right after each notebook run by a
 * bare WebSocket in the same page on the same kernel, and the floors of a bare page client (v1 and
 * legacy JSON protocols) and of the benchmark's node client. Then the same key → frame measure for
 * a bare page client that paints "2" when its execute_result arrives (scenarios.mjs
 * `paintedExecFloorInPage`): the floor with the frames in it, and the notebook's median over it. With --trace FILE, also writes Chrome
 * traces (open them in DevTools' Performance panel) of the last 5 notebook and console runs; with
 * --cpuprofile PREFIX, V8 CPU profiles (50 µs samples) of all the notebook's and console's runs.
 * PROFILE_EXTRA_ARGS (space-separated) are passed to the server, e.g.
 * `PROFILE_EXTRA_ARGS=--JlabAltApp.journal_enabled=False` to compare without the journal.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, benchInitScript } from './apps.mjs';
import { execNotebook } from './generate.mjs';
import { CONTEXT_OPTIONS, newOutput, paintedExecFloorInPage, pressUntil, rawExecFloor } from './scenarios.mjs';
import { launchChromium, startServer, optionReader, tempDirCleanedOnExit } from './servers.mjs';
import { median } from './stats.mjs';

const args = process.argv.slice(2);
const opt = optionReader(args);
const repeats = Number(opt('repeats', 20));
const traceFile = opt('trace', null);
/** With --cpuprofile PREFIX: V8 CPU profiles (50 µs) of the notebook's and the console's runs. */
const cpuPrefix = opt('cpuprofile', null);
const python = process.env.BENCH_PYTHON || 'python3';
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'toplevel'];

const tmp = tempDirCleanedOnExit('jlab-alt-profile-exec-');

/** In the page: timestamps of kernel WebSocket traffic, output insertions and frames. */
function probeScript() {
  const probe = { sends: [], recvs: [], inserted: [], frames: [] };
  Object.defineProperty(window, '__probe', { value: probe, enumerable: false });
  const decoder = new TextDecoder();
  const typeOf = (data) => {
    const text = typeof data === 'string' ? data : decoder.decode(new Uint8Array(data).subarray(0, 600));
    return /"msg_type"\s*:\s*"(\w+)"/.exec(text)?.[1] ?? '?';
  };
  const stateOf = (data) => {
    const text = typeof data === 'string' ? data : decoder.decode(new Uint8Array(data));
    return /"execution_state"\s*:\s*"(\w+)"/.exec(text)?.[1] ?? '';
  };
  const Native = window.WebSocket;
  probe.Native = Native;
  // A shell message in the v1 kernel WebSocket protocol (jupyter_server's
  // `v1.kernel.websocket.jupyter.org`): offsets (u64 LE) then channel, header, parent, metadata, content.
  const enc = new TextEncoder();
  probe.encodeV1 = (msg) => {
    const parts = [enc.encode('shell'), ...[msg.header, msg.parent_header, msg.metadata, msg.content].map((x) => enc.encode(JSON.stringify(x)))];
    const n = parts.length;
    const offsets = [];
    let pos = 8 * (n + 2);
    for (const p of parts) {
      offsets.push(pos);
      pos += p.byteLength;
    }
    offsets.push(pos);
    const buf = new Uint8Array(pos);
    const view = new DataView(buf.buffer);
    view.setBigUint64(0, BigInt(n + 1), true);
    offsets.forEach((o, i) => view.setBigUint64(8 * (i + 1), BigInt(o), true));
    let at = 8 * (n + 2);
    for (const p of parts) {
      buf.set(p, at);
      at += p.byteLength;
    }
    return buf;
  };
  probe.executeRequest = (id) => ({
    header: { msg_id: id, username: 'raw', session: 'raw', msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
    parent_header: {},
    metadata: {},
    content: { code: '1+1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }
  });
  const send = Native.prototype.send;
  Native.prototype.send = function (data) {
    if (String(this.url).includes('/channels')) probe.sends.push([performance.now(), typeOf(data)]);
    return send.call(this, data);
  };
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      if (String(a[0]).includes('/channels')) {
        probe.channelsUrl = String(a[0]);
        this.addEventListener('message', (e) => {
          const t = typeOf(e.data);
          probe.recvs.push([performance.now(), t === 'status' ? `status:${stateOf(e.data)}` : t]);
        });
      }
    }
  };
  new MutationObserver((records) => {
    const now = performance.now();
    for (const r of records) {
      for (const n of r.addedNodes) {
        if (n.nodeType === 1 && n.textContent.trim() === '2') probe.inserted.push(now);
      }
    }
  }).observe(document, { childList: true, subtree: true });
  const frame = (t) => {
    probe.frames.push(t);
    if (probe.frames.length > 2000) probe.frames.splice(0, 1000);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * In the page: `1+1` by a bare WebSocket on the notebook's kernel (a session of its own), with
 * the v1 binary subprotocol or the legacy JSON one; ms from send to the execute_result's arrival.
 */
async function pageRawFloor({ repeats, v1 }) {
  const Native = window.__probe.Native;
  const url = window.__probe.channelsUrl.replace(/session_id=[^&]*/, `session_id=raw-${Date.now()}`);
  const ws = v1 ? new Native(url, ['v1.kernel.websocket.jupyter.org']) : new Native(url);
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => ((ws.onopen = resolve), (ws.onerror = reject)));
  const dec = new TextDecoder();
  const encode = (msg) => (v1 ? window.__probe.encodeV1(msg) : JSON.stringify({ ...msg, channel: 'shell', buffers: [] }));
  const text = (data) => (typeof data === 'string' ? data : dec.decode(new Uint8Array(data)));
  const times = [];
  for (let i = 0; i <= repeats; i++) {
    const id = `raw-${Math.random()}`;
    const msg = window.__probe.executeRequest(id);
    const t = await new Promise((resolve) => {
      let result = 0;
      ws.onmessage = (e) => {
        const s = text(e.data);
        if (!s.includes(id)) return;
        if (!result && /"msg_type"\s*:\s*"execute_result"/.test(s)) result = performance.now();
        if (/"execution_state"\s*:\s*"idle"/.test(s)) resolve(result - t0);
      };
      const t0 = performance.now();
      ws.send(encode(msg));
    });
    if (i > 0) times.push(t);
  }
  ws.close();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}


async function resetProbe(page, selector) {
  await page.evaluate((sel) => {
    for (const el of document.querySelectorAll(sel)) el.__benchSeen = true;
    window.__bench.keydowns.length = 0;
    const p = window.__probe;
    p.sends.length = p.recvs.length = p.inserted.length = 0;
  }, selector);
}

async function readRun(page, end) {
  const r = await page.evaluate(() => {
    const p = window.__probe;
    return { key: window.__bench.keydowns[0], sends: p.sends, recvs: p.recvs, inserted: p.inserted, frames: p.frames.slice(-60) };
  });
  const sent = r.sends.find(([, t]) => t === 'execute_request')?.[0];
  const result = r.recvs.find(([, t]) => t === 'execute_result')?.[0];
  const inserted = r.inserted.find((t) => t >= (result ?? 0));
  const lastFrameBefore = r.frames.filter((t) => t <= inserted).pop();
  return {
    total: end - r.key,
    keyToSend: sent - r.key,
    sendToResult: result - sent,
    resultToDom: inserted - result,
    domToFrame: end - inserted,
    // rAF timestamps are the frame's start; how far into its frame the output came in
    phaseInFrame: inserted - lastFrameBefore,
    // the same for the key: a person's key comes at any point of a frame
    keyPhase: r.key - r.frames.filter((t) => t <= r.key).pop(),
    messages: r.recvs.map(([t, type]) => `${type}@${(t - sent).toFixed(1)}`).join(' '),
    sent: r.sends.map(([t, type]) => `${type}@${(t - sent).toFixed(1)}`).join(' ')
  };
}

function report(label, runs) {
  const keys = ['total', 'keyToSend', 'sendToResult', 'resultToDom', 'domToFrame', 'phaseInFrame', 'keyPhase', 'rawV1'].filter((k) => runs[0][k] !== undefined);
  console.log(`\n== ${label}: ${runs.length} runs, medians (ms)`);
  for (const k of keys) console.log(`  ${k.padEnd(14)} ${median(runs.map((x) => x[k])).toFixed(1).padStart(7)}   [${runs.map((x) => x[k].toFixed(1)).join(' ')}]`);
  console.log(`  messages (ms after the send), last run: ${runs[runs.length - 1].messages}`);
  console.log(`  sent (ms after the execute_request), last run: ${runs[runs.length - 1].sent}`);
}

const root = path.join(tmp, 'root');
fs.mkdirSync(root, { recursive: true });
fs.writeFileSync(path.join(root, 'bench_exec.ipynb'), JSON.stringify(execNotebook(), null, 1));
const server = await startServer('jlab-alt', { root, base: path.join(tmp, 'server'), python, extraArgs: (process.env.PROFILE_EXTRA_ARGS || '').split(' ').filter(Boolean) });
const browser = await launchChromium();
const adapter = ADAPTERS['jlab-alt'];
const consoleOutput = '[data-testid="console"] [data-testid="console-cell"] .ja-Output-body';
const consolePrompt = '[data-testid="console"] [data-testid="console-prompt"] .cm-content';
try {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  await context.addInitScript(probeScript);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(server.url('bench_exec.ipynb'));
  await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 'raf', timeout: 120_000 });
  await adapter.focusFirstCell(page);
  await page.waitForFunction(adapter.inCommandMode, undefined, { polling: 'raf' });
  const traceChunks = [];
  if (traceFile) {
    cdp.on('Tracing.dataCollected', (e) => traceChunks.push(...e.value));
  }
  const notebookRuns = [];
  if (cpuPrefix) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
  }
  for (let i = 0; i <= repeats; i++) {
    if (traceFile && i === repeats - 4) {
      await cdp.send('Tracing.start', {
        traceConfig: { includedCategories: TRACE_CATEGORIES }
      });
    }
    await resetProbe(page, adapter.outputSelector);
    const end = await pressUntil(page, 'Control+Enter', newOutput, adapter.outputSelector);
    const run = await readRun(page, end);
    await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 'raf', timeout: 60_000 });
    // The same kernel, same page, same moment, through a bare WebSocket: what the app adds
    // to send → result is the difference.
    if (!cpuPrefix) run.rawV1 = await page.evaluate(pageRawFloor, { repeats: 1, v1: true });
    if (i > 0) notebookRuns.push(run);
  }
  report('notebook (Ctrl+Enter)', notebookRuns);
  if (cpuPrefix) fs.writeFileSync(`${cpuPrefix}-notebook.cpuprofile`, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  if (traceFile) {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    fs.writeFileSync(traceFile, JSON.stringify({ traceEvents: traceChunks }));
    console.log(`trace: ${traceFile}`);
  }
  // The same key → frame measure for a bare client that paints its result (a page of its
  // own, a kernel of its own): what the notebook adds over it is the app's, frames included.
  const [painted] = await paintedExecFloorInPage({ browser, server, runs: 1, repeats });
  console.log(`  bare page client painting "2" (F8 → visible, measured as the notebook): ${painted.toFixed(1)} ms`);
  console.log(`  notebook − painted bare client (medians): ${(median(notebookRuns.map((r) => r.total)) - painted).toFixed(1)} ms`);
  console.log(`  raw in the page, v1 binary: ${(await page.evaluate(pageRawFloor, { repeats, v1: true })).toFixed(1)} ms; legacy JSON: ${(await page.evaluate(pageRawFloor, { repeats, v1: false })).toFixed(1)} ms`);
  console.log(`  raw node client (JSON, own kernel): ${(await rawExecFloor({ server, runs: 1, repeats }))[0].toFixed(1)} ms`);

  await context.close();
  // The console in a page of its own, as the console_exec scenario opens it.
  const context2 = await browser.newContext(CONTEXT_OPTIONS);
  await context2.addInitScript(benchInitScript);
  await context2.addInitScript(probeScript);
  const page2 = await context2.newPage();
  await page2.goto(server.url());
  await page2.waitForFunction(adapter.started, undefined, { polling: 'raf', timeout: 120_000 });
  await runConsole(page2, await context2.newCDPSession(page2));
  await context2.close();
} finally {
  await browser.close();
  await server.stop();
}

async function runConsole(page, cdp) {
  await page.evaluate(() => window.jlabAlt.commands.execute('console:create', { kernelName: 'python3' }).then(() => undefined));
  await page.waitForFunction(() => {
    const consoles = document.querySelectorAll('[data-testid="console"]');
    return consoles[consoles.length - 1]?.querySelector('[data-testid="console-kernel-status"]')?.dataset.status === 'idle';
  }, undefined, { polling: 'raf', timeout: 120_000 });
  const consoleRuns = [];
  if (cpuPrefix) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
  }
  const traceChunks = [];
  if (traceFile) cdp.on('Tracing.dataCollected', (e) => traceChunks.push(...e.value));
  for (let i = 0; i <= repeats; i++) {
    if (traceFile && i === repeats - 4) await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES } });
    await page.locator(consolePrompt).last().click();
    await page.keyboard.type('1+1');
    await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].pop()?.textContent === '1+1', consolePrompt);
    await resetProbe(page, consoleOutput);
    const end = await pressUntil(page, 'Shift+Enter', newOutput, consoleOutput);
    const run = await readRun(page, end);
    await page.waitForFunction(() => {
      const consoles = document.querySelectorAll('[data-testid="console"]');
      return consoles[consoles.length - 1]?.querySelector('[data-testid="console-kernel-status"]')?.dataset.status === 'idle';
    }, undefined, { polling: 'raf', timeout: 60_000 });
    if (i > 0) consoleRuns.push(run);
  }
  report('console (Shift+Enter)', consoleRuns);
  if (traceFile) {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    const file = traceFile.replace(/(\.json)?$/, '-console.json');
    fs.writeFileSync(file, JSON.stringify({ traceEvents: traceChunks }));
    console.log(`trace: ${file}`);
  }
  if (cpuPrefix) fs.writeFileSync(`${cpuPrefix}-console.cpuprofile`, JSON.stringify((await cdp.send('Profiler.stop')).profile));
}
