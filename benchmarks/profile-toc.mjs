/**
 * Where does the time of the table of contents go? A Chromium performance trace (and a
 * V8 CPU profile) of jlab-alt for the two moments of `toc_long`: showing the ToC of the
 * 2,000-cell / 500-heading notebook until every heading is listed, and a click on the last
 * heading until it is at the top. Not part of the timed suite.
 *
 *   node benchmarks/profile-toc.mjs [--cells 2000] [--headings 500] [--out DIR]
 *
 * Prints, per moment, the main thread's tasks over 8 ms with their time split by trace
 * event (style = UpdateLayoutTree, Layout, script = FunctionCall/EvaluateScript, Paint…,
 * as self time), and the JavaScript functions with the most self time. Writes the traces
 * (open them in Chrome DevTools' Performance panel) and .cpuprofile files into DIR
 * (default benchmarks/results/profile-toc).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTERS, benchInitScript, findMarker } from './apps.mjs';
import { FIRST_MARKER } from './generate.mjs';
import { CONTEXT_OPTIONS, waitForCellCount } from './scenarios.mjs';
import { TOC_LAST, tocNotebook } from './scenarios-documents.mjs';
import { launchChromium, startServer, tempDirCleanedOnExit } from './servers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const cells = Number(opt('cells', 2000));
const headings = Number(opt('headings', 500));
const out = path.resolve(opt('out', path.join(HERE, 'results', 'profile-toc')));
const python = process.env.BENCH_PYTHON || 'python3';
fs.mkdirSync(out, { recursive: true });
const tmp = tempDirCleanedOnExit('jlab-alt-profile-toc-');

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing', 'toplevel'].join(',');

async function traced(cdp, fn) {
  const events = [];
  const onData = (e) => events.push(...e.value);
  cdp.on('Tracing.dataCollected', onData);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  await cdp.send('Profiler.start');
  const marks = await fn();
  const { profile } = await cdp.send('Profiler.stop');
  const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await done;
  cdp.off('Tracing.dataCollected', onData);
  return { events, profile, marks };
}

/** Main-thread tasks over `min` ms, each with self time per event name. */
function tasks(events, min = 8) {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const mine = events
    .filter((e) => main && e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && typeof e.dur === 'number')
    .sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const out = [];
  let current = null;
  let stack = [];
  for (const e of mine) {
    const end = e.ts + e.dur;
    if (!current || e.ts >= current.end) {
      if (current && current.dur >= min * 1000) out.push(current);
      current = { ts: e.ts, end, dur: e.dur, self: new Map() };
      stack = [];
    }
    while (stack.length && e.ts >= stack[stack.length - 1].end) stack.pop();
    const parent = stack[stack.length - 1];
    const name = e.name === 'FunctionCall' ? `FunctionCall ${(e.args?.data?.functionName || e.args?.data?.url?.split('/').pop() || '').slice(0, 40)}` : e.name;
    current.self.set(name, (current.self.get(name) ?? 0) + e.dur);
    if (parent) current.self.set(parent.name, (current.self.get(parent.name) ?? 0) - e.dur);
    stack.push({ name, end });
  }
  if (current && current.dur >= min * 1000) out.push(current);
  return out;
}

function printTasks(title, events, t0) {
  const list = tasks(events);
  let total = 0;
  const lines = list.map((t) => {
    total += t.dur;
    const top = [...t.self.entries()]
      .filter(([, us]) => us > 500)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([k, us]) => `${k} ${(us / 1000).toFixed(1)}`)
      .join(', ');
    return `  +${((t.ts - t0) / 1000).toFixed(0).padStart(5)} ms  task ${(t.dur / 1000).toFixed(1).padStart(6)} ms: ${top}`;
  });
  console.log(`\n== ${title}: ${list.length} tasks ≥ 8 ms, ${(total / 1000).toFixed(0)} ms in all\n${lines.join('\n')}`);
}

function topSelf(profile, n = 15) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const file = f.url.split('/').pop().split('?')[0];
    const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}` : ''}`.trim();
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...self.entries()]
    .filter(([k]) => k !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`)
    .join('\n');
}

const root = path.join(tmp, 'root');
fs.mkdirSync(root, { recursive: true });
fs.writeFileSync(path.join(root, 'bench_toc.ipynb'), JSON.stringify(tocNotebook(cells, headings)));
const server = await startServer('jlab-alt', { root, base: path.join(tmp, 'server'), python });
const browser = await launchChromium();
try {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(server.url('bench_toc.ipynb'), { waitUntil: 'commit' });
  await page.waitForFunction(findMarker, { text: FIRST_MARKER, mode: 'viewport' }, { polling: 'raf', timeout: 300_000 });
  await waitForCellCount(page, ADAPTERS['jlab-alt'], cells, 300_000);
  await page.waitForFunction(ADAPTERS['jlab-alt'].kernelIdle, undefined, { polling: 100, timeout: 120_000 });

  const show = await traced(cdp, async () => {
    const t = await page.evaluate(() => {
      const t0 = performance.now();
      void window.jlabAlt.commands.execute('toc:show');
      return t0;
    });
    const filled = await (
      await page.waitForFunction(
        ({ n, last }) => {
          const items = document.querySelectorAll('[data-testid="toc-item"]');
          const el = items[items.length - 1];
          return items.length >= n && el.textContent.includes(last) && el.getClientRects().length > 0 ? performance.now() : false;
        },
        { n: headings, last: TOC_LAST },
        { polling: 'raf' }
      )
    ).jsonValue();
    await page.waitForTimeout(300);
    return { ms: filled - t };
  });
  fs.writeFileSync(path.join(out, 'show.trace.json'), JSON.stringify({ traceEvents: show.events }));
  fs.writeFileSync(path.join(out, 'show.cpuprofile'), JSON.stringify(show.profile));
  printTasks(`show ToC → ${headings} headings listed (${show.marks.ms.toFixed(0)} ms)`, show.events, show.profile.startTime);
  console.log(`  JavaScript self time:\n${topSelf(show.profile)}`);

  const item = page.locator('[data-testid="toc-item"]', { hasText: TOC_LAST }).locator('[data-testid="toc-text"]');
  await item.scrollIntoViewIfNeeded();
  const click = await traced(cdp, async () => {
    await page.evaluate(() => (window.__bench.clicks = []) && window.addEventListener('mousedown', (e) => window.__bench.clicks.push(e.timeStamp), { capture: true, once: true }));
    await item.click();
    const atTop = await (
      await page.waitForFunction(
        (text) => {
          const found = [...document.querySelectorAll('[data-testid="notebook"] h2')].find((h) => h.textContent.includes(text));
          if (!found) return false;
          let s = found.parentElement;
          while (s && !(s.scrollHeight > s.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(s).overflowY))) s = s.parentElement;
          const top = found.getBoundingClientRect().top - s.getBoundingClientRect().top;
          return top >= -2 && top <= 60 ? performance.now() : false;
        },
        TOC_LAST,
        { polling: 'raf' }
      )
    ).jsonValue();
    const clicked = await page.evaluate(() => window.__bench.clicks[0]);
    await page.waitForTimeout(500);
    return { ms: atTop - clicked };
  });
  fs.writeFileSync(path.join(out, 'click.trace.json'), JSON.stringify({ traceEvents: click.events }));
  fs.writeFileSync(path.join(out, 'click.cpuprofile'), JSON.stringify(click.profile));
  printTasks(`click last heading → at the top (${click.marks.ms.toFixed(0)} ms)`, click.events, click.profile.startTime);
  console.log(`  JavaScript self time:\n${topSelf(click.profile)}`);
  await context.close();
  console.log(`\ntraces and profiles: ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
