/**
 * Where does the time (and memory) go? CPU profiles and a heap summary of one app
 * for the benchmark's heavy moments. Not part of the timed suite.
 *
 *   node benchmarks/profile.mjs [--app jlab-alt|jupyterlab] [--cells 2000] [--lines 50000] [--out DIR]
 *
 * Profiles (V8 sampling profiler, 200 µs): opening the code notebook (navigation to
 * all cells loaded), ArrowDown through it, and streaming `lines` printed lines.
 * Prints the functions with the most self time (native layout/style work shows as
 * "(program)" or inside the JavaScript function that forced it) and the heap after
 * opening grouped by constructor. Writes the .cpuprofile files (open them in Chrome
 * DevTools' Performance panel) into DIR (default benchmarks/results/profile-<app>).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADAPTERS, benchInitScript, findMarker } from './apps.mjs';
import { FIRST_MARKER, LAST_MARKER, codeNotebook, streamNotebook } from './generate.mjs';
import { CONTEXT_OPTIONS, waitForCellCount } from './scenarios.mjs';
import { launchChromium, startServer, optionReader, tempDirCleanedOnExit } from './servers.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = optionReader(args);
const app = opt('app', 'jlab-alt');
const cells = Number(opt('cells', 2000));
const lines = Number(opt('lines', 50000));
const out = path.resolve(opt('out', path.join(HERE, 'results', `profile-${app}`)));
const python = process.env.BENCH_PYTHON || 'python3';
fs.mkdirSync(out, { recursive: true });

const tmp = tempDirCleanedOnExit('jlab-alt-profile-');

/** Top self-time entries of a V8 CPU profile. */
function topSelf(profile, n = 20) {
  const byId = new Map(profile.nodes.map((x) => [x.id, x]));
  const self = new Map();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = byId.get(id).callFrame;
    const file = f.url.split('/').pop().split('?')[0];
    const key = `${f.functionName || '(anonymous)'} ${file ? `${file}:${f.lineNumber + 1}:${f.columnNumber + 1}` : ''}`.trim();
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  return [`  total sampled: ${(total / 1000).toFixed(0)} ms`, ...rows.map(([k, us]) => `  ${(us / 1000).toFixed(1).padStart(8)} ms  ${k}`)].join('\n');
}

/** Heap snapshot → self size per constructor (top n). */
async function heapSummary(cdp, n = 20) {
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const snap = JSON.parse(chunks.join(''));
  const meta = snap.snapshot.meta;
  const f = meta.node_fields;
  const types = meta.node_types[0];
  const width = f.length;
  const [iType, iName, iSelf] = ['type', 'name', 'self_size'].map((k) => f.indexOf(k));
  const agg = new Map();
  let total = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]];
    let name = type === 'object' || type === 'closure' || type === 'native' ? snap.strings[snap.nodes[i + iName]] : `(${type})`;
    if (name.length > 60) name = name.slice(0, 57) + '...';
    const size = snap.nodes[i + iSelf];
    total += size;
    const a = agg.get(name) ?? { count: 0, size: 0 };
    a.count++;
    a.size += size;
    agg.set(name, a);
  }
  const rows = [...agg.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, n);
  return [
    `  total self size in snapshot: ${(total / 2 ** 20).toFixed(1)} MB`,
    ...rows.map(([k, v]) => `  ${(v.size / 2 ** 20).toFixed(2).padStart(8)} MB ${String(v.count).padStart(8)} × ${k}`)
  ].join('\n');
}

async function profiled(cdp, fn) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await fn();
  return (await cdp.send('Profiler.stop')).profile;
}

const root = path.join(tmp, 'root');
fs.mkdirSync(root, { recursive: true });
fs.writeFileSync(path.join(root, `code.ipynb`), JSON.stringify(codeNotebook(cells)));
fs.writeFileSync(path.join(root, `stream.ipynb`), JSON.stringify(streamNotebook(lines)));
const server = await startServer(app, { root, base: path.join(tmp, 'server'), python, jupyterlabVenv: path.join(HERE, '.venv-jupyterlab') });
const browser = await launchChromium();
const adapter = ADAPTERS[app];
try {
  // 1. Open the code notebook. Load a same-origin page first, so the profiler is
  // running in the renderer the notebook page uses.
  let context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  let page = await context.newPage();
  let cdp = await context.newCDPSession(page);
  await page.goto(server.api('/api/status'));
  const openProfile = await profiled(cdp, async () => {
    await page.goto(server.url('code.ipynb'), { waitUntil: 'commit' });
    await page.waitForFunction(findMarker, { text: FIRST_MARKER, mode: 'viewport' }, { polling: 'raf', timeout: 300_000 });
    await waitForCellCount(page, adapter, cells, 300_000);
  });
  fs.writeFileSync(path.join(out, 'open.cpuprofile'), JSON.stringify(openProfile));
  console.log(`\n== ${app}: open ${cells} code cells (navigation → all cells loaded)\n${topSelf(openProfile)}`);
  await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 'raf', timeout: 120_000 });
  console.log(`\n== ${app}: JavaScript heap after opening ${cells} cells, by constructor (self size)\n${await heapSummary(cdp)}`);

  // 2. ArrowDown to the last cell.
  await adapter.focusFirstCell(page);
  const down = { type: 'rawKeyDown', key: 'ArrowDown', code: 'ArrowDown', windowsVirtualKeyCode: 40, nativeVirtualKeyCode: 40 };
  const keysProfile = await profiled(cdp, async () => {
    for (let sent = 0; sent < cells - 1; sent += 50) {
      const batch = [];
      for (let i = sent; i < Math.min(cells - 1, sent + 50); i++) {
        batch.push(cdp.send('Input.dispatchKeyEvent', down), cdp.send('Input.dispatchKeyEvent', { ...down, type: 'keyUp' }));
      }
      await Promise.all(batch);
    }
    await page.waitForFunction(findMarker, { text: LAST_MARKER, mode: 'rendered' }, { polling: 'raf', timeout: 300_000 });
  });
  fs.writeFileSync(path.join(out, 'keys.cpuprofile'), JSON.stringify(keysProfile));
  console.log(`\n== ${app}: ArrowDown ×${cells - 1}\n${topSelf(keysProfile)}`);
  await context.close();

  // 3. Stream `lines` lines.
  context = await browser.newContext(CONTEXT_OPTIONS);
  await context.addInitScript(benchInitScript);
  page = await context.newPage();
  cdp = await context.newCDPSession(page);
  await page.goto(server.url('stream.ipynb'));
  await page.waitForFunction(findMarker, { text: FIRST_MARKER, mode: 'viewport' }, { polling: 'raf', timeout: 120_000 });
  await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 'raf', timeout: 120_000 });
  await adapter.focusFirstCell(page);
  const streamProfile = await profiled(cdp, async () => {
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(findMarker, { text: String(lines - 1), mode: 'rendered' }, { polling: 'raf', timeout: 300_000 });
  });
  fs.writeFileSync(path.join(out, 'stream.cpuprofile'), JSON.stringify(streamProfile));
  console.log(`\n== ${app}: stream ${lines} lines (key press → last line rendered)\n${topSelf(streamProfile)}`);
  await context.close();
  console.log(`\nprofiles: ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
