/**
 * Where the tasks a key starts go in Chromium: a probe for the floor of issue 18 target 1.
 * Not part of the timed suite.
 *
 *   node benchmarks/input-deferral.mjs [--presses 30]
 *
 * A blank page of the benchmarks' browser (launchChromium) answers F8 by starting one task
 * of each kind — a timer (`setTimeout 0`), a `MessageChannel` message, a
 * `scheduler.postTask` of priority "user-blocking", and a `fetch` of this script's own local
 * HTTP server (a network task, as a kernel's WebSocket message is) — one kind per series of
 * presses, the key at a random point of a frame as `pressUntil` presses it. It prints per
 * kind how many of those tasks ran only after the first animation frame that followed the key,
 * and the medians (ms from the keydown handler) of when the task ran and when that frame began.
 *
 * Chromium's "DeferRendererTasksAfterInput" holds every task of a page after a key until the
 * next frame has been produced: a kernel's answer that arrives before that frame is handled
 * after it, so the output it carries is painted one frame later than the round trip alone
 * needs. Compare with BENCH_CHROMIUM_DISABLE_FEATURES=DeferRendererTasksAfterInput (see
 * launchChromium), which the suite's numbers never use.
 */
import http from 'node:http';
import { launchChromium, optionReader } from './servers.mjs';
import { median } from './stats.mjs';

const opt = optionReader(process.argv.slice(2));
const presses = Number(opt('presses', 30));
const FRAME_MS = 1000 / 60;
const KINDS = ['timer', 'message', 'user-blocking postTask', 'fetch'];

const server = http.createServer((req, res) => {
  res.setHeader('Content-Type', 'text/html');
  res.end(req.url === '/answer' ? 'ok' : '<!doctype html><title>input deferral</title><body>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  // Page-side: every frame's start, and per key the time of its handler and of the task it started.
  await page.evaluate(() => {
    const probe = { frames: [], kind: null, key: 0, task: 0 };
    window.__probe = probe;
    const loop = () => {
      probe.frames.push(performance.now());
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
    window.addEventListener('keydown', (e) => {
      if (e.key !== 'F8') return;
      probe.key = performance.now();
      probe.task = 0;
      const done = () => (probe.task = performance.now());
      if (probe.kind === 'timer') setTimeout(done, 0);
      else if (probe.kind === 'message') {
        const channel = new MessageChannel();
        channel.port1.onmessage = done;
        channel.port2.postMessage(null);
      } else if (probe.kind === 'user-blocking postTask') scheduler.postTask(done, { priority: 'user-blocking' });
      else fetch('/answer').then((r) => r.text()).then(done);
    });
  });
  for (const kind of KINDS) {
    await page.evaluate((k) => (window.__probe.kind = k), kind);
    const rows = [];
    for (let i = 0; i < presses; i++) {
      await page.evaluate((frameMs) => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, Math.random() * frameMs))), FRAME_MS);
      await page.keyboard.press('F8');
      rows.push(
        await page.evaluate(async () => {
          const probe = window.__probe;
          const key = probe.key;
          // Wait on the condition: the task ran and a frame began after the key.
          while (!probe.task || !probe.frames.some((t) => t > key)) await new Promise((resolve) => requestAnimationFrame(resolve));
          return { task: probe.task - key, frame: probe.frames.find((t) => t > key) - key };
        })
      );
    }
    const after = rows.filter((r) => r.task > r.frame).length;
    console.log(
      `${kind.padEnd(24)} ran after the first frame after the key: ${after}/${rows.length}; ` +
        `median key → task ${median(rows.map((r) => r.task)).toFixed(1)} ms, key → first frame ${median(rows.map((r) => r.frame)).toFixed(1)} ms`
    );
  }
} finally {
  await browser.close();
  server.close();
}
