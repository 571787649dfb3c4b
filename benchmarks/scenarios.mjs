/**
 * The benchmark scenarios. Each `run*` function does one measured run of one app
 * in a fresh browser context (cold caches) and returns its metrics: times in ms,
 * sizes in bytes. Times are taken in the page (`performance.now()`, whose origin
 * is the navigation start; key presses by the keydown event's timestamp) and end
 * at the first animation frame where the awaited text is visible.
 */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ADAPTERS, benchInitScript, findMarker, longestTask } from './apps.mjs';
import { FIRST_MARKER, KNOWN_FILE, LAST_MARKER, execNotebook, streamNotebook } from './generate.mjs';
import { shutDownSessions, sleep, startServer } from './servers.mjs';
import { median } from './stats.mjs';

export const CONTEXT_OPTIONS = {
  viewport: { width: 1280, height: 800 },
  deviceScaleFactor: 1,
  locale: 'en-US',
  timezoneId: 'UTC'
};

const NAV_TIMEOUT = 120_000;
/** JupyterLab needs minutes to walk 2,000 cells by keyboard on a 2-core machine. */
const KEYS_DEADLINE_MS = 45 * 60_000;
const KEY_CHUNK = 50;
/** How long after the page handled the last key press the last cell may take to show. */
const MISS_GRACE_MS = 500;

/** Where failed runs leave a screenshot (set by the runner). */
export const artifacts = { dir: null, count: 0 };

/**
 * A fresh context + page with the benchmarks' init script, a CDP session and the page's
 * errors collected: `{context, page, cdp, errors}`. `timeout` (ms) is the page's default
 * for waits and navigation. The caller closes `context`.
 */
export async function freshPage(browser, { timeout = NAV_TIMEOUT } = {}) {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const cdp = await context.newCDPSession(page);
  return { context, page, cdp, errors };
}

/** Run `fn` with a fresh page; on failure keep a screenshot and the page errors; always close. */
async function withFreshPage(browser, name, fn) {
  const fresh = await freshPage(browser);
  try {
    return await fn(fresh);
  } catch (err) {
    if (artifacts.dir) {
      const file = path.join(artifacts.dir, `failed-${++artifacts.count}-${name.replace(/[^\w.-]+/g, '_')}.png`);
      await fresh.page.screenshot({ path: file, timeout: 10_000 }).catch(() => undefined);
      if (err instanceof Error) err.message += `\n(screenshot: ${file}${fresh.errors.length ? `; page errors: ${fresh.errors.slice(0, 3).join(' | ')}` : ''})`;
    }
    throw err;
  } finally {
    await fresh.context.close().catch(() => undefined);
  }
}

/** Wait (each animation frame) for `text` and return the page time it was first seen. */
async function waitMarker(page, text, mode, timeout = NAV_TIMEOUT) {
  const handle = await page.waitForFunction(findMarker, { text, mode }, { polling: 'raf', timeout });
  return handle.jsonValue();
}

/**
 * Wait until `adapter`'s notebook shows `cells` cells, polling every 100 ms from Node (the
 * page's `adapter.cellCount` through `page.evaluate`). Not a string predicate for
 * `waitForFunction`: that is eval'ed in the page, which jlab-alt's Content-Security-Policy
 * (no 'unsafe-eval') may refuse. Throws after `timeout` ms with the count last seen.
 */
export async function waitForCellCount(page, adapter, cells, timeout = NAV_TIMEOUT) {
  for (const deadline = Date.now() + timeout; ; ) {
    // A navigation in progress destroys the context: count that as "not yet".
    const shown = await page.evaluate(adapter.cellCount).catch(() => -1);
    if (shown === cells) return;
    if (Date.now() > deadline) throw new Error(`the app shows ${shown} cells, expected ${cells}`);
    await page.waitForTimeout(100);
  }
}

export async function waitFor(page, fn, arg, timeout = NAV_TIMEOUT) {
  await page.waitForFunction(fn, arg, { polling: 'raf', timeout });
}

/** JavaScript heap after a full GC, and DOM size. */
export async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const counters = await cdp.send('Memory.getDOMCounters');
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  // usedSize is the JavaScript heap; embedderHeapUsedSize is Blink's (DOM) heap.
  return { heap: heap.usedSize, embedderHeap: heap.embedderHeapUsedSize ?? null, domElements: elements, domNodes: counters.nodes };
}

/**
 * Press ArrowDown `count` times through CDP, pipelined in chunks: each chunk's
 * events are queued at once and handled by the page one after another, so this
 * measures how fast the app gets through the keys, not the harness's round trips.
 * Each dispatch resolves once the page has handled the event.
 */
async function pressArrowDown(cdp, count) {
  const down = { type: 'rawKeyDown', key: 'ArrowDown', code: 'ArrowDown', windowsVirtualKeyCode: 40, nativeVirtualKeyCode: 40 };
  const up = { ...down, type: 'keyUp' };
  for (let sent = 0; sent < count; ) {
    const n = Math.min(KEY_CHUNK, count - sent);
    const pending = [];
    for (let i = 0; i < n; i++) {
      pending.push(cdp.send('Input.dispatchKeyEvent', down));
      pending.push(cdp.send('Input.dispatchKeyEvent', up));
    }
    await Promise.all(pending);
    sent += n;
  }
}

/** Records bytes of every response of a page through CDP Network events. */
class NetworkRecorder {
  constructor(cdp) {
    this.requests = new Map();
    this.inflight = new Set();
    this.lastActivity = performance.now();
    cdp.on('Network.requestWillBeSent', (e) => {
      if (/^(data|blob):/.test(e.request.url)) return; // not network requests
      this.inflight.add(e.requestId);
      this.lastActivity = performance.now();
      if (!this.requests.has(e.requestId)) this.requests.set(e.requestId, { url: e.request.url, mime: '', type: '', body: 0, wire: 0, encoding: '' });
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = this.requests.get(e.requestId);
      if (r) {
        const headers = Object.fromEntries(Object.entries(e.response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
        Object.assign(r, { mime: e.response.mimeType ?? '', type: e.type ?? '', encoding: headers['content-encoding'] ?? '' });
      }
    });
    cdp.on('Network.dataReceived', (e) => {
      const r = this.requests.get(e.requestId);
      if (r) r.body += e.dataLength;
      this.lastActivity = performance.now();
    });
    const done = (e, failed) => {
      this.inflight.delete(e.requestId);
      this.lastActivity = performance.now();
      const r = this.requests.get(e.requestId);
      if (r && !failed) r.wire = e.encodedDataLength;
    };
    cdp.on('Network.loadingFinished', (e) => done(e, false));
    cdp.on('Network.loadingFailed', (e) => done(e, true));
  }

  totals() {
    let wire = 0;
    let body = 0;
    let js = 0;
    let jsWire = 0;
    let jsFiles = 0;
    let compressed = 0;
    for (const r of this.requests.values()) {
      wire += r.wire;
      if (r.encoding) compressed++;
      body += r.body;
      if (/javascript|ecmascript/i.test(r.mime) || r.type === 'Script') {
        js += r.body;
        jsWire += r.wire;
        jsFiles++;
      }
    }
    return { requests: this.requests.size, transferred: wire, bodyBytes: body, jsBytes: js, jsTransferred: jsWire, jsFiles, compressed };
  }

  /** Resolve once no request is in flight and nothing happened for `quietMs` (or at the deadline). */
  async idle(quietMs = 1000, maxMs = 20_000) {
    const deadline = performance.now() + maxMs;
    while (performance.now() < deadline) {
      if (this.inflight.size === 0 && performance.now() - this.lastActivity >= quietMs) return true;
      await sleep(50);
    }
    return false;
  }
}

/**
 * Forget the server's saved layouts (workspaces), so a page opens with nothing restored:
 * both apps save the layout on the server and reopen its tabs in the next page, so
 * without this a scenario's page also rebuilds the tabs of the pages before it.
 * jlab-alt keeps them in `<data dir>/jlab_alt/workspaces` (`JlabAltApp.workspaces_dir`).
 */
export function resetWorkspaces(server) {
  const dir = server.appId === 'jupyterlab' ? server.dirs.workspaces : path.join(server.dirs.data, 'jlab_alt', 'workspaces');
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}

async function gotoFresh(page, url) {
  await page.goto(url, { waitUntil: 'commit', timeout: NAV_TIMEOUT });
}

// --- scenarios ---------------------------------------------------------------------

/** Cold load of the app: navigation until the file browser lists KNOWN_FILE (visible). */
export async function runColdLoad({ browser, server }) {
  resetWorkspaces(server);
  return withFreshPage(browser, `cold_load-${server.appId}`, async ({ page, cdp }) => {
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    const net = new NetworkRecorder(cdp);
    await gotoFresh(page, server.url());
    const usable = await waitMarker(page, KNOWN_FILE, 'viewport');
    const atUsable = net.totals();
    await waitFor(page, ADAPTERS[server.appId].started);
    const started = await page.evaluate(() => performance.now());
    await net.idle();
    const settled = net.totals();
    const longest = await page.evaluate(longestTask, [0, usable]);
    // path, type, decoded bytes, bytes on the wire (headers included) and Content-Encoding
    const files = [...net.requests.values()].map((r) => `${new URL(r.url).pathname} ${r.mime} ${r.body} ${r.wire} ${r.encoding || 'identity'}`);
    return {
      files,
      usable_ms: usable,
      started_ms: Math.max(usable, started),
      longest_task_ms: longest,
      transferred_bytes: settled.transferred,
      decoded_bytes: settled.bodyBytes,
      compressed_responses: settled.compressed,
      js_bytes: settled.jsBytes,
      js_transferred_bytes: settled.jsTransferred,
      js_files: settled.jsFiles,
      requests: settled.requests,
      js_bytes_at_usable: atUsable.jsBytes,
      transferred_bytes_at_usable: atUsable.transferred,
      // Kernelspec logos the launcher drew (bash_kernel's SVG alone is 801 KB when fetched).
      kernelspec_logo_bytes: [...net.requests.values()].filter((r) => new URL(r.url).pathname.includes('/kernelspecs/')).reduce((n, r) => n + r.wire, 0)
    };
  });
}

/**
 * Open a notebook by URL: navigation until the first cell's marker is visible;
 * memory after the load; then (if `keyboard`) command mode on the first cell and
 * ArrowDown until the last cell's marker is visible in the viewport.
 */
export async function runOpenNotebook({ browser, server, file, cells, keyboard }) {
  resetWorkspaces(server);
  try {
    return await openNotebookOnce({ browser, server, file, cells, keyboard });
  } finally {
    // Both apps leave the kernel running when the page goes: 36 idle kernels per app after
    // the open scenarios slowed the `1+1` measured after them (31 ms in a full run, 23 alone).
    await shutDownSessions(server).catch(() => undefined);
  }
}

async function openNotebookOnce({ browser, server, file, cells, keyboard }) {
  const adapter = ADAPTERS[server.appId];
  return withFreshPage(browser, `open-${file}-${server.appId}`, async ({ page, cdp }) => {
    await gotoFresh(page, server.url(file));
    const first = await waitMarker(page, FIRST_MARKER, 'viewport');
    // Every cell is in the app's notebook model (JupyterLab) or view (jlab-alt).
    await waitForCellCount(page, adapter, cells).catch((err) => {
      throw new Error(`${file}: ${err.message}`);
    });
    const loaded = await page.evaluate(() => performance.now());
    const longestOpen = await page.evaluate(longestTask, [0, loaded]);
    // Both apps start the notebook's kernel on open: let that finish before measuring more.
    await waitFor(page, adapter.kernelIdle, undefined, 120_000).catch(() => {
      throw new Error(`${server.label}: kernel of ${file} not idle within 120 s`);
    });
    const mem = await memory(page, cdp);
    const result = {
      first_cell_ms: first,
      loaded_ms: loaded,
      longest_task_open_ms: longestOpen,
      heap_open_bytes: mem.heap,
      dom_heap_open_bytes: mem.embedderHeap,
      dom_elements_open: mem.domElements,
      dom_nodes_open: mem.domNodes
    };
    if (!keyboard) return result;

    await adapter.focusFirstCell(page);
    await waitFor(page, adapter.inCommandMode, undefined, 10_000).catch(() => {
      throw new Error(`${server.label}: not in command mode after focusing the first cell`);
    });
    const startIndex = await page.evaluate(adapter.activeIndex);
    if (startIndex !== 0) throw new Error(`${server.label}: active cell is ${startIndex} after focusing the first cell`);
    await page.evaluate(() => (window.__bench.keydowns.length = 0));
    const keysDeadline = Date.now() + KEYS_DEADLINE_MS;
    let pressed = cells - 1;
    const keysStart = performance.now();
    await pressArrowDown(cdp, pressed);
    const keysHandled = performance.now() - keysStart;
    const activeAfterKeys = await page.evaluate(adapter.activeIndex);
    let missed = null;
    let last = null;
    while (last === null) {
      last = await waitMarker(page, LAST_MARKER, 'viewport', MISS_GRACE_MS).catch(() => null);
      if (last !== null) break;
      // Not on screen half a second after the page handled the presses: note where things are
      // (the run is flagged in the report), then press again, one key at a time.
      missed ??= await page.evaluate(
        ({ text, getActive }) => {
          const r = document.evaluate(`//text()[contains(., "${text}")]`, document.body, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null);
          const node = r.singleNodeValue;
          let rect = null;
          if (node) {
            const range = document.createRange();
            range.selectNodeContents(node);
            const b = range.getBoundingClientRect();
            rect = [b.left, b.top, b.width, b.height].map(Math.round);
          }
          return { activeIndex: (0, eval)(`(${getActive})`)(), markerRect: rect, viewport: [innerWidth, innerHeight] };
        },
        { text: LAST_MARKER, getActive: adapter.activeIndex.toString() }
      );
      if (Date.now() > keysDeadline) throw new Error(`${server.label}: last cell not reached after ${pressed} ArrowDown presses`);
      await pressArrowDown(cdp, 1);
      pressed += 1;
    }
    const firstKey = await page.evaluate(() => window.__bench.keydowns[0]);
    const endIndex = await page.evaluate(adapter.activeIndex);
    const longestKeys = await page.evaluate(longestTask, [firstKey, last]);
    const memEnd = await memory(page, cdp);
    return {
      ...result,
      last_cell_ms: last - firstKey,
      longest_task_keys_ms: longestKeys,
      keys_handled_ms: keysHandled,
      keys_pressed: pressed,
      active_after_keys: activeAfterKeys,
      active_index_end: endIndex,
      ...(missed ? { missed_after_keys: missed } : {}),
      heap_end_bytes: memEnd.heap,
      dom_elements_end: memEnd.domElements
    };
  });
}

/** Open `file`, wait for its kernel to be idle and put the first cell in command mode. */
async function openForExecution(page, server, file) {
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  await gotoFresh(page, server.url(file));
  await waitMarker(page, FIRST_MARKER, 'viewport');
  await waitFor(page, adapter.kernelIdle, undefined, 120_000).catch(() => {
    throw new Error(`${server.label}: kernel of ${file} not idle within 120 s`);
  });
  await adapter.focusFirstCell(page);
  await waitFor(page, adapter.inCommandMode, undefined, 10_000).catch(() => {
    throw new Error(`${server.label}: not in command mode after focusing the first cell`);
  });
}

/**
 * Run `fn(page)` in a fresh page with `file` open for execution (see openForExecution), then
 * shut the notebook's session down: its kernel, left idle, would load the scenarios after it
 * (idle kernels made `1+1` slower, benchmarks/RESULTS.md session 15).
 */
async function withExecutionPage(browser, server, file, fn) {
  try {
    return await withFreshPage(browser, `${file}-${server.appId}`, async ({ page }) => {
      await openForExecution(page, server, file);
      return fn(page);
    });
  } finally {
    await shutDownSessions(server, [file]).catch(() => undefined);
  }
}

/** Execute the 50,000-line cell (Ctrl+Enter) until its last line is rendered. */
export async function runStream({ browser, server, lines }) {
  fs.writeFileSync(path.join(server.root, 'bench_stream.ipynb'), JSON.stringify(streamNotebook(lines), null, 1) + '\n');
  const adapter = ADAPTERS[server.appId];
  return withExecutionPage(browser, server, 'bench_stream.ipynb', async (page) => {
    await page.evaluate(() => (window.__bench.keydowns.length = 0));
    await page.keyboard.press('Control+Enter');
    const end = await waitMarker(page, String(lines - 1), 'rendered', 300_000);
    const start = await page.evaluate(() => window.__bench.keydowns[0]);
    const longest = await page.evaluate(longestTask, [start, end]);
    await waitFor(page, adapter.kernelIdle, undefined, 120_000);
    return { done_ms: end - start, longest_task_ms: longest };
  });
}

/**
 * Lines of scrollback both apps' terminals keep in {@link runTerminal}: JupyterLab's default
 * (its terminal-extension schema; jlab-alt's default is 5,000). The work a flood costs
 * grows with the scrollback (each line of a buffer not yet full is a new buffer line in
 * xterm.js), so both are measured with the same.
 */
export const TERMINAL_SCROLLBACK = 1000;

/** jlab-alt's terminal settings (its settings API), or null to drop them again. */
export async function setJlabAltTerminalSettings(server, settings) {
  const res = await fetch(server.api('/jlab-alt/api/settings/@jlab-alt/terminal:plugin'), {
    method: 'PUT',
    body: JSON.stringify({ settings: settings ?? {} }),
    headers: { 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(30_000)
  });
  if (!res.ok) throw new Error(`${server.label}: PUT terminal settings: HTTP ${res.status} ${await res.text()}`);
}

/**
 * Terminal throughput: open a terminal, type `seq 1 <lines>`, and time the Enter key
 * to the animation frame after the last line ("<lines>") is in xterm's buffer (xterm
 * paints on the next frame; both apps draw with xterm.js, so its buffer is what they
 * paint), with the longest main-thread task meanwhile. The terminal is shut down after.
 * Both apps keep {@link TERMINAL_SCROLLBACK} lines of scrollback.
 */
export async function runTerminal({ browser, server, lines }) {
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  if (server.appId === 'jlab-alt') await setJlabAltTerminalSettings(server, { scrollback: TERMINAL_SCROLLBACK });
  try {
    return await runTerminalPage({ browser, server, lines, adapter });
  } finally {
    if (server.appId === 'jlab-alt') await setJlabAltTerminalSettings(server, null);
  }
}

async function runTerminalPage({ browser, server, lines, adapter }) {
  return withFreshPage(browser, `terminal-${server.appId}`, async ({ page }) => {
    await gotoFresh(page, server.url());
    await waitFor(page, adapter.started, undefined, 120_000);
    await page.evaluate(adapter.newTerminal);
    // The page's CSP forbids eval, so each page function finds xterm by itself: both
    // apps draw with xterm.js (jlab-alt's widget keeps it in `term`, JupyterLab's in `_term`).
    const appId = server.appId;
    await waitFor(
      page,
      (id) => {
        const term =
          id === 'jupyterlab' ? window.jupyterapp?.shell.currentWidget?.content?._term : window.jlabAlt?.shell.currentWidget?.term;
        const b = term?.buffer.active;
        if (!b) return false;
        for (let i = 0; i < b.length; i++) if (b.getLine(i)?.translateToString(true).trim()) return true;
        return false;
      },
      appId,
      60_000
    );
    await page.locator(adapter.terminalSelector).last().click();
    await page.keyboard.type(`seq 1 ${lines}`);
    await page.evaluate(() => (window.__bench.keydowns.length = 0));
    const end = await pressUntil(
      page,
      'Enter',
      ({ id, last }) => {
        const term =
          id === 'jupyterlab' ? window.jupyterapp?.shell.currentWidget?.content?._term : window.jlabAlt?.shell.currentWidget?.term;
        const b = term?.buffer.active;
        if (!b) return false;
        // The last line is in the buffer near the bottom: it is painted on the next frame.
        for (let i = b.length - 1; i >= Math.max(0, b.length - term.rows - 2); i--) {
          if (b.getLine(i)?.translateToString(true) === last) {
            return new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
          }
        }
        return false;
      },
      { id: appId, last: String(lines) },
      600_000
    );
    const start = await page.evaluate(() => window.__bench.keydowns[0]);
    const longest = await page.evaluate(longestTask, [start, end]);
    // End the shells this run started (the terminal list is per server).
    const names = await (await fetch(server.api('/api/terminals'))).json();
    for (const { name } of names) await fetch(server.api(`/api/terminals/${name}`), { method: 'DELETE' });
    return { done_ms: end - start, longest_task_ms: longest };
  });
}

/**
 * Terminal command latency: in a new terminal, `repeats` times (after one warm-up) type
 * `echo c<i>` and time the Enter key to the animation frame after the output line
 * `c<i>` is in xterm's buffer: what a person waits for after every short command.
 * Small frames are what Nagle's algorithm holds back, so this is the scenario that
 * shows TCP_NODELAY on the terminal socket. Returns the median and extremes in ms.
 */
export async function runTerminalCommands({ browser, server, repeats }) {
  resetWorkspaces(server);
  const adapter = ADAPTERS[server.appId];
  return withFreshPage(browser, `terminal-cmd-${server.appId}`, async ({ page }) => {
    await gotoFresh(page, server.url());
    await waitFor(page, adapter.started, undefined, 120_000);
    await page.evaluate(adapter.newTerminal);
    const appId = server.appId;
    // The page's CSP forbids eval: each page function finds xterm by itself (see runTerminal).
    const hasLine = ({ id, line }) => {
      const term =
        id === 'jupyterlab' ? window.jupyterapp?.shell.currentWidget?.content?._term : window.jlabAlt?.shell.currentWidget?.term;
      const b = term?.buffer.active;
      if (!b) return false;
      for (let i = b.length - 1; i >= 0; i--) {
        const text = b.getLine(i)?.translateToString(true).trim();
        if (line === null ? !!text : text === line) {
          return line === null ? true : new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())));
        }
      }
      return false;
    };
    await waitFor(page, hasLine, { id: appId, line: null }, 60_000);
    await page.locator(adapter.terminalSelector).last().click();
    const times = [];
    for (let i = 0; i <= repeats; i++) {
      const marker = `c${i}`;
      await page.keyboard.type(`echo ${marker}`);
      await page.evaluate(() => (window.__bench.keydowns.length = 0));
      const end = await pressUntil(page, 'Enter', hasLine, { id: appId, line: marker });
      const start = await page.evaluate(() => window.__bench.keydowns[0]);
      if (i > 0) times.push(end - start);
    }
    const names = await (await fetch(server.api('/api/terminals'))).json();
    for (const { name } of names) await fetch(server.api(`/api/terminals/${name}`), { method: 'DELETE' });
    times.sort((a, b) => a - b);
    return { median_ms: median(times), min_ms: times[0], max_ms: times[times.length - 1] };
  });
}

/**
 * Run in the page (by `waitForFunction`): the time a new output "2" matching `selector`
 * became visible (not one marked `__benchSeen` by an earlier run), or false. Shared by the
 * notebook's and the console's `1+1`, so both are measured the same way.
 */
export const newOutput = (selector) => {
    for (const el of document.querySelectorAll(selector)) {
      if (!el.__benchSeen && el.textContent.trim() === '2') {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < window.innerHeight) return performance.now();
      }
    }
    return false;
  };

/** 60 Hz: the frame a key's place in is randomized over (a display's, and headless Chromium's). */
const FRAME_MS = 1000 / 60;

/**
 * Press `keys` ('Enter', 'Control+Enter'…) as a person does, and resolve with the first truthy
 * value of `predicate(arg)`, run in the page at every animation frame (as `waitForFunction`).
 * The keys go down, and come up only after the predicate is true: a person holds a key for
 * ~100 ms, longer than these round trips. Pressing with `keyboard.press` and then waiting made
 * the driver send the key-ups and the wait's set-up over CDP in the middle of the measured
 * round trip, and on 2 cores that work competed with the server and the kernel: in the page,
 * send → result took 16 ms that way and 10.5 ms this way (the page's bare WebSocket: 9 ms;
 * `profile-exec.mjs`, 2026-12-04). The wait is started before the first key goes down.
 * Held keys also show what a person sees in JupyterLab 4: its application holds a key
 * binding's execution until the key's `beforeinput`, its `keyup` or 10 ms
 * (`INPUT_GUARD_TIMEOUT`), whichever comes first; an instant key-up hid that wait.
 *
 * The last key goes down at a random point of a frame, as a person's does. The end is the first
 * frame that shows the result, so the time measured depends on where in its frame the key came by
 * up to a frame (16.7 ms); keys sent by the driver came at no random point: 20 of 30 in the last
 * 40% of their frame, where 12 would be (median 12.8 ms into it, `profile-exec.mjs` keyPhase,
 * 2026-12-06), and a run's median moved by a whole frame between runs with where the driver's keys
 * fell. Waiting a frame and then a uniform random part of one makes each press's place in its
 * frame uniform.
 */
export async function pressUntil(page, keys, predicate, arg, timeout = 60_000) {
  const waiting = page.waitForFunction(predicate, arg, { polling: 'raf', timeout });
  waiting.catch(() => undefined); // awaited below; a key failing first must not leave it unhandled
  const held = keys.split('+');
  try {
    for (const key of held.slice(0, -1)) await page.keyboard.down(key);
    await page.evaluate((frameMs) => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, Math.random() * frameMs))), FRAME_MS);
    await page.keyboard.down(held.at(-1));
    return await (await waiting).jsonValue();
  } finally {
    for (const key of held.reverse()) await page.keyboard.up(key).catch(() => undefined);
  }
}

/** `repeats` executions of `1+1` (Ctrl+Enter) until a new output "2" is visible; the median. */
export async function runExec({ browser, server, repeats }) {
  fs.writeFileSync(path.join(server.root, 'bench_exec.ipynb'), JSON.stringify(execNotebook(), null, 1) + '\n');
  const adapter = ADAPTERS[server.appId];
  return withExecutionPage(browser, server, 'bench_exec.ipynb', async (page) => {
    const times = [];
    for (let i = 0; i <= repeats; i++) {
      await page.evaluate((selector) => {
        for (const el of document.querySelectorAll(selector)) el.__benchSeen = true;
        window.__bench.keydowns.length = 0;
      }, adapter.outputSelector);
      const end = await pressUntil(page, 'Control+Enter', newOutput, adapter.outputSelector);
      const start = await page.evaluate(() => window.__bench.keydowns[0]);
      await waitFor(page, adapter.kernelIdle, undefined, 60_000);
      if (i > 0) times.push(end - start); // the first is a warm-up
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { roundtrip_ms: median(sorted), roundtrip_min_ms: sorted[0], roundtrip_max_ms: sorted[sorted.length - 1], executions: times.length };
  });
}

/** Start a python3 kernel on `server` through its REST API: the kernel model `{id, name, ...}`. */
async function startRawKernel(server) {
  const res = await fetch(server.api('/api/kernels'), {
    method: 'POST',
    body: JSON.stringify({ name: 'python3' }),
    headers: { 'Content-Type': 'application/json' },
    signal: AbortSignal.timeout(30_000)
  });
  if (!res.ok) throw new Error(`start kernel: HTTP ${res.status}`);
  return res.json();
}

/** Shut down a kernel of {@link startRawKernel} (errors ignored: the run is over either way). */
async function deleteRawKernel(server, kernel) {
  await fetch(server.api(`/api/kernels/${kernel.id}`), { method: 'DELETE', signal: AbortSignal.timeout(30_000) }).catch(() => undefined);
}

/**
 * Run `fn(execute)` with a plain WebSocket client on a new kernel of `server`
 * (deleted afterwards). `execute(code, isDone)` sends an execute_request and
 * resolves with the ms until the first message for which `isDone(msg)` is true
 * (after which it waits for the kernel to be idle again).
 */
async function withRawKernel(server, fn) {
  const kernel = await startRawKernel(server);
  const wsUrl = server.api(`/api/kernels/${kernel.id}/channels`).replace(/^http/, 'ws');
  const ws = new WebSocket(wsUrl);
  const session = `bench-${Date.now()}`;
  let seq = 0;
  const waiters = new Set();
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString());
    for (const w of waiters) w(msg);
  });
  const send = (msgType, content) => {
    const msgId = `${session}-${seq++}`;
    ws.send(
      JSON.stringify({
        header: { msg_id: msgId, username: 'bench', session, msg_type: msgType, version: '5.3', date: new Date().toISOString() },
        parent_header: {},
        metadata: {},
        content,
        channel: 'shell',
        buffers: []
      })
    );
    return msgId;
  };
  /** Resolve with `pick(msg)`'s first truthy value for messages of `msgId`, or reject at the deadline. */
  const until = (msgId, pick, ms) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`raw client: no answer to ${msgId} within ${ms} ms`));
      }, ms);
      const w = (msg) => {
        if (msg.parent_header?.msg_id !== msgId) return;
        const v = pick(msg);
        if (v) {
          clearTimeout(timer);
          waiters.delete(w);
          resolve(v);
        }
      };
      waiters.add(w);
    });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('raw client: WebSocket did not open')), 30_000);
      ws.once('open', () => (clearTimeout(timer), resolve()));
      ws.once('error', (e) => (clearTimeout(timer), reject(e)));
    });
    // Ask for kernel_info until the kernel answers (it may still be starting).
    const infoDeadline = Date.now() + 120_000;
    for (;;) {
      const id = send('kernel_info_request', {});
      const ok = await until(id, (m) => m.msg_type === 'kernel_info_reply', 3000).catch(() => false);
      if (ok) break;
      if (Date.now() > infoDeadline) throw new Error('raw client: kernel did not answer kernel_info');
    }
    const execute = async (code, isDone) => {
      const t0 = performance.now();
      const id = send('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
      const idle = until(id, (m) => m.msg_type === 'status' && m.content.execution_state === 'idle', 300_000);
      const t = await until(id, (m) => isDone(m) && performance.now(), 300_000);
      await idle;
      return t - t0;
    };
    return await fn(execute);
  } finally {
    ws.terminate();
    await deleteRawKernel(server, kernel);
  }
}

/**
 * The raw floor of the stream: the same cell sent by a plain WebSocket client to a
 * kernel of the same server; ms from execute_request to the stream message with
 * the last line. One time per repeat (after one warm-up).
 */
export function rawStreamFloor({ server, lines, repeats }) {
  const code = `for i in range(${lines}):\n    print(i)`;
  const lastLine = `${lines - 1}\n`;
  return withRawKernel(server, async (execute) => {
    const times = [];
    for (let i = 0; i <= repeats; i++) {
      const t = await execute(code, (m) => m.msg_type === 'stream' && String(m.content.text).includes(lastLine));
      if (i > 0) times.push(t);
    }
    return times;
  });
}

/**
 * The raw floor of `1+1`: execute_request to the execute_result "2" through the
 * same server; `runs` medians of `repeats` executions (after one warm-up).
 */
export function rawExecFloor({ server, runs, repeats }) {
  return withRawKernel(server, async (execute) => {
    await execute('1+1', (m) => m.msg_type === 'execute_result');
    const medians = [];
    for (let r = 0; r < runs; r++) {
      const times = [];
      for (let i = 0; i < repeats; i++) {
        times.push(await execute('1+1', (m) => m.msg_type === 'execute_result' && m.content.data?.['text/plain'] === '2'));
      }
      medians.push(median(times.sort((a, b) => a - b)));
    }
    return medians;
  });
}

/**
 * Page-side (by `page.evaluate`): a bare `WebSocket` client on `wsUrl` (the legacy JSON
 * protocol), kept as `window.__bare`; resolves once the kernel answers kernel_info (within
 * 120 s, or rejects). `__bare.request(msgType, content, pick, ms, onPick?)` sends a shell
 * message and resolves with `performance.now()` at the first message of its reply that
 * `pick(msg)` accepts (calling `onPick(msg)` right then), once the kernel is idle again, so the
 * next request never queues behind it; it rejects after `ms`. `__bare.isTwo(msg)`: msg is the
 * execute_result "2" of `__bare.ONE_PLUS_ONE` (an execute_request's content).
 */
async function openBareClient(wsUrl) {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error('bare page client: WebSocket did not open'));
  });
  const session = `bench-page-${Date.now()}`;
  let seq = 0;
  let waiter = null;
  ws.onmessage = (ev) => waiter?.(JSON.parse(ev.data));
  const send = (msgType, content) => {
    const msgId = `${session}-${seq++}`;
    const header = { msg_id: msgId, username: 'bench', session, msg_type: msgType, version: '5.3', date: new Date().toISOString() };
    ws.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content, channel: 'shell', buffers: [] }));
    return msgId;
  };
  const request = (msgType, content, pick, ms, onPick) =>
    new Promise((resolve, reject) => {
      let at = null;
      let idle = false;
      const timer = setTimeout(() => reject(new Error(`bare page client: no answer within ${ms} ms`)), ms);
      const id = send(msgType, content);
      waiter = (msg) => {
        if (msg.parent_header?.msg_id !== id) return;
        if (at === null && pick(msg)) {
          at = performance.now();
          onPick?.(msg);
        }
        if (msg.msg_type === 'status' && msg.content.execution_state === 'idle') idle = true;
        if (at !== null && idle) {
          clearTimeout(timer);
          resolve(at);
        }
      };
    });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ok = await request('kernel_info_request', {}, (m) => m.msg_type === 'kernel_info_reply', 3000).catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('bare page client: kernel did not answer kernel_info');
  }
  window.__bare = {
    ws,
    request,
    ONE_PLUS_ONE: { code: '1+1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
    isTwo: (m) => m.msg_type === 'execute_result' && m.content.data?.['text/plain'] === '2'
  };
}

/**
 * `fn(page)` with a page of the benchmark's browser holding {@link openBareClient} on a new
 * kernel of `server` (no app loaded; the server's 404 page, so the socket's Origin is the
 * server's). The kernel is deleted afterwards.
 */
async function withBarePage(browser, server, fn) {
  const kernel = await startRawKernel(server);
  const context = await browser.newContext(CONTEXT_OPTIONS);
  try {
    await context.addInitScript(benchInitScript);
    const page = await context.newPage();
    // The server's "404 Not Found" page: HTML of the server's origin and address. Its API
    // pages forbid sockets (Content-Security-Policy `default-src 'none'`), and Chromium's
    // local-network checks block a page the driver makes up from connecting to 127.0.0.1.
    await page.goto(server.api('/bench-raw-floor-404'));
    await page.evaluate(openBareClient, server.api(`/api/kernels/${kernel.id}/channels`).replace(/^http/, 'ws'));
    return await fn(page);
  } finally {
    await context.close().catch(() => undefined);
    await deleteRawKernel(server, kernel);
  }
}

/**
 * The raw floor of `1+1` as a page sees it: the same execute_request → execute_result "2"
 * through the same server, by a bare `WebSocket` in a page of the benchmark's browser
 * ({@link withBarePage}). A page's messages travel through Chromium's network service, a few
 * ms more than {@link rawExecFloor}'s client in this process: this is the floor an app in this
 * browser can reach, before painting. `runs` medians of `repeats` executions (after one warm-up).
 */
export async function rawExecFloorInPage({ browser, server, runs, repeats }) {
  return withBarePage(browser, server, (page) =>
    page.evaluate(
      async ({ runs, repeats }) => {
        const { request, ONE_PLUS_ONE, isTwo, ws } = window.__bare;
        const once = async () => {
          const t0 = performance.now();
          return (await request('execute_request', ONE_PLUS_ONE, isTwo, 300_000)) - t0;
        };
        await once();
        const medians = [];
        for (let r = 0; r < runs; r++) {
          const times = [];
          for (let i = 0; i < repeats; i++) times.push(await once());
          times.sort((a, b) => a - b);
          const mid = times.length >> 1;
          medians.push(times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2);
        }
        ws.close();
        return medians;
      },
      { runs, repeats }
    )
  );
}

/**
 * The floor of `1+1` measured as the apps are ({@link runExec}): a key (F8) in a bare page
 * ({@link withBarePage}) sends the execute_request, and the execute_result puts "2" in an
 * element at the top of the page; from the keydown to the first animation frame that shows it
 * ({@link pressUntil}, {@link newOutput}). It holds what no app can avoid: the kernel's round
 * trip through the page and the wait for the frame that paints. `runs` medians of `repeats`
 * presses (after one warm-up).
 */
export async function paintedExecFloorInPage({ browser, server, runs, repeats }) {
  return withBarePage(browser, server, async (page) => {
    await page.evaluate(() => {
      const bare = window.__bare;
      const box = document.createElement('div');
      box.style.cssText = 'position:fixed;top:0;left:0;z-index:1;background:#fff;font:14px monospace';
      document.body.appendChild(box);
      bare.idle = true;
      window.addEventListener('keydown', (e) => {
        if (e.key !== 'F8') return;
        bare.idle = false;
        const paint = () => {
          const out = document.createElement('div');
          out.className = 'bench-painted';
          out.textContent = '2';
          box.replaceChildren(out);
        };
        bare.request('execute_request', bare.ONE_PLUS_ONE, bare.isTwo, 300_000, paint).then(() => (bare.idle = true));
      });
    });
    const medians = [];
    for (let r = 0; r <= runs; r++) {
      const times = [];
      for (let i = 0; i < (r === 0 ? 1 : repeats); i++) {
        await page.evaluate(() => {
          for (const el of document.querySelectorAll('.bench-painted')) el.__benchSeen = true;
          window.__bench.keydowns.length = 0;
        });
        const end = await pressUntil(page, 'F8', newOutput, '.bench-painted');
        times.push(end - (await page.evaluate(() => window.__bench.keydowns[0])));
        await page.waitForFunction(() => window.__bare.idle, undefined, { polling: 'raf', timeout: 300_000 });
      }
      if (r > 0) medians.push(median(times.sort((a, b) => a - b)));
    }
    return medians;
  });
}

/**
 * Server start: spawn a new server (own port, own config dirs, same root), poll
 * until GET of the app page answers 200, then load the page in a fresh context
 * until the file browser lists KNOWN_FILE. Times from the spawn.
 */
export async function runStartup({ browser, appId, root, base, python, jupyterlabVenv, pythonPath }) {
  const server = await startServer(appId, { root, base, python, jupyterlabVenv, pythonPath });
  // From the server process's spawn: jlab-alt's launcher (python -m jlab_alt.testing) is
  // test machinery that JupyterLab's start does not have, so its own start is not counted.
  const t0 = server.spawnedAt;
  try {
    const deadline = Date.now() + 120_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = await fetch(server.url(), { signal: AbortSignal.timeout(5000) })
        .then((r) => r.status)
        .catch(() => 0);
      if (status === 200) break;
      await sleep(20);
    }
    if (status !== 200) throw new Error(`${server.label}: app page did not answer 200 (last status ${status})`);
    const page200 = performance.now() - t0;
    return await withFreshPage(browser, `startup-${appId}`, async ({ page }) => {
      await gotoFresh(page, server.url());
      await waitMarker(page, KNOWN_FILE, 'viewport');
      const usable = performance.now() - t0;
      return { page_200_ms: page200, usable_ms: usable };
    });
  } finally {
    await server.stop();
    fs.rmSync(base, { recursive: true, force: true });
  }
}
