/**
 * Scenarios of issue 13 (terminals and code consoles), beside the notebook's in
 * scenarios.mjs. The terminal throughput scenario (`runTerminal`) lives there; this
 * file adds the console's `1+1`.
 *
 * `runConsoleExec` measures like the notebook's `exec` scenario (runExec): the time
 * from the first keydown of the run key (Shift of Shift+Enter, as the notebook's is
 * Ctrl of Ctrl+Enter) to the first animation frame where a new output "2" is visible,
 * `repeats` times after one warm-up execution, and reports the median. Between runs
 * the input `1+1` is typed again (the console's prompt empties after each run); the
 * typing is not timed.
 */
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { ADAPTERS, benchInitScript } from './apps.mjs';
import { CONTEXT_OPTIONS, artifacts, newOutput, pressUntil, resetWorkspaces } from './scenarios.mjs';
import { median } from './stats.mjs';

const NAV_TIMEOUT = 120_000;

/**
 * What the console scenario needs of each app's page. Page-side functions run in the
 * page (page.evaluate / waitForFunction) and use only their argument and globals.
 */
const CONSOLE_ADAPTERS = {
  'jlab-alt': {
    started: ADAPTERS['jlab-alt'].started,
    /** Open a console on a new python3 kernel (the command asks nothing when given the kernel). */
    create: () => window.jlabAlt.commands.execute('console:create', { kernelName: 'python3' }).then(() => undefined),
    kernelIdle: () => {
      const consoles = document.querySelectorAll('[data-testid="console"]');
      const last = consoles[consoles.length - 1];
      return last?.querySelector('[data-testid="console-kernel-status"]')?.dataset.status === 'idle';
    },
    promptSelector: '[data-testid="console"] [data-testid="console-prompt"] .cm-content',
    outputSelector: '[data-testid="console"] [data-testid="console-cell"] .ja-Output-body'
  },
  jupyterlab: {
    started: ADAPTERS.jupyterlab.started,
    // JupyterLab's own command, as its launcher's Console card runs it.
    create: () =>
      window.jupyterapp.commands.execute('console:create', { kernelPreference: { name: 'python3' } }).then(() => undefined),
    kernelIdle: () => {
      const kernel = window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel;
      return !!kernel && kernel.status === 'idle' && kernel.connectionStatus === 'connected';
    },
    promptSelector: '.jp-CodeConsole-promptCell .cm-content',
    outputSelector: '.jp-CodeConsole-content .jp-OutputArea-output'
  }
};

/**
 * Console `1+1`: open a console on a new python3 kernel, then `repeats` times type
 * `1+1` and press Shift+Enter until a new output "2" is visible. Returns the median
 * and extremes in ms. The console's kernel is shut down with the page's context.
 */
export async function runConsoleExec({ browser, server, repeats }) {
  const adapter = CONSOLE_ADAPTERS[server.appId];
  resetWorkspaces(server);
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  const page = await context.newPage();
  page.setDefaultTimeout(NAV_TIMEOUT);
  const before = new Set((await listKernels(server)).map((k) => k.id));
  try {
    await page.goto(server.url(), { waitUntil: 'commit', timeout: NAV_TIMEOUT });
    await page.waitForFunction(adapter.started, undefined, { polling: 'raf', timeout: NAV_TIMEOUT });
    await page.evaluate(adapter.create);
    await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 'raf', timeout: NAV_TIMEOUT }).catch(() => {
      throw new Error(`${server.label}: the console's kernel was not idle within ${NAV_TIMEOUT / 1000} s`);
    });
    const prompt = page.locator(adapter.promptSelector).last();
    const times = [];
    for (let i = 0; i <= repeats; i++) {
      await prompt.click();
      await page.keyboard.type('1+1');
      await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].pop()?.textContent === '1+1', adapter.promptSelector);
      await page.evaluate((selector) => {
        for (const el of document.querySelectorAll(selector)) el.__benchSeen = true;
        window.__bench.keydowns.length = 0;
      }, adapter.outputSelector);
      const end = await pressUntil(page, 'Shift+Enter', newOutput, adapter.outputSelector);
      const start = await page.evaluate(() => window.__bench.keydowns[0]);
      await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 'raf', timeout: 60_000 });
      if (i > 0) times.push(end - start); // the first is a warm-up
    }
    const sorted = [...times].sort((a, b) => a - b);
    return { roundtrip_ms: median(sorted), roundtrip_min_ms: sorted[0], roundtrip_max_ms: sorted[sorted.length - 1], executions: times.length };
  } catch (err) {
    if (artifacts.dir) {
      const file = path.join(artifacts.dir, `failed-${++artifacts.count}-console-${server.appId}.png`);
      await page.screenshot({ path: file, timeout: 10_000 }).catch(() => undefined);
      if (err instanceof Error) err.message += `\n(screenshot: ${file})`;
    }
    throw err;
  } finally {
    await context.close().catch(() => undefined);
    // The kernels this run started (a console's kernel outlives its page).
    for (const k of await listKernels(server).catch(() => [])) {
      if (!before.has(k.id)) await fetch(server.api(`/api/kernels/${k.id}`), { method: 'DELETE' }).catch(() => undefined);
    }
  }
}

async function listKernels(server) {
  const res = await fetch(server.api('/api/kernels'), { signal: AbortSignal.timeout(30_000) });
  return res.ok ? res.json() : [];
}

/**
 * The terminal's raw floor: what a plain WebSocket client of the same server gets,
 * with no browser and no drawing. For each of `repeats` runs: start a terminal
 * (REST), connect to terminado's socket, tell it a size (80×24, as a browser would),
 * wait for the prompt, send `seq 1 <lines>` + Enter and time until the output holds
 * the last line followed by a line break. Returns the times in ms. The terminal
 * scenario's app time minus this is what the page adds; the rest is the server's
 * (terminado reads the pty and sends each read as one message).
 */
export async function rawTerminalFloor({ server, lines, repeats }) {
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const res = await fetch(server.api('/api/terminals'), { method: 'POST', signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`start terminal: HTTP ${res.status}`);
    const { name } = await res.json();
    const ws = new WebSocket(server.api(`/terminals/websocket/${name}`).replace(/^http/, 'ws'));
    try {
      let out = '';
      let waiter = null;
      ws.on('message', (data) => {
        const msg = JSON.parse(data.toString());
        // Keep only the newest output: the whole is megabytes, and slicing a long
        // concatenation flattens it each time.
        if (msg[0] === 'stdout') out = (out + msg[1]).slice(-256);
        waiter?.();
      });
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('raw terminal: WebSocket did not open')), 30_000);
        ws.once('open', () => (clearTimeout(timer), resolve()));
        ws.once('error', (e) => (clearTimeout(timer), reject(e)));
      });
      ws.send(JSON.stringify(['set_size', 24, 80, 400, 640]));
      const until = (test, ms) =>
        new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`raw terminal: no ${test} within ${ms} ms`)), ms);
          waiter = () => {
            if (test()) {
              clearTimeout(timer);
              waiter = null;
              resolve(performance.now());
            }
          };
          waiter();
        });
      await until(() => /[$#] $/.test(out), 30_000);
      out = '';
      const last = `\n${lines}\r\n`;
      const t0 = performance.now();
      ws.send(JSON.stringify(['stdin', `seq 1 ${lines}\r`]));
      const t1 = await until(() => out.includes(last), 600_000);
      times.push(t1 - t0);
    } finally {
      ws.close();
      await fetch(server.api(`/api/terminals/${name}`), { method: 'DELETE' }).catch(() => undefined);
    }
  }
  return times;
}
