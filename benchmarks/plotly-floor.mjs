/**
 * The floor of issue 18's "no task over 100 ms" for a notebook of Plotly figures: plotly.js
 * alone, in a blank page of a Chromium with no DevTools attached, drawing the notebook's
 * figures as the plotly extension does (the served copy of plotly.min.js, each figure in a
 * task of its own, the same `Plotly.newPlot` arguments). Not part of the timed suite.
 *
 *   node benchmarks/plotly-floor.mjs --file NOTEBOOK.ipynb [--runs 3] [--rounds 1] [--width 1000]
 *
 * Prints per run the page's long tasks (ms, in order: plotly.js' evaluation, then the figures)
 * and each figure's `Plotly.newPlot` time until its promise resolved (ms), per round: with
 * `--rounds 2` every figure is drawn again after all were drawn once, which shows what is
 * plotly.js' code running for the first time (cold) and what is the drawing itself. Compare
 * with `longtasks-nodevtools.mjs --file` on the same notebook (the app's page). `--width` is
 * the figures' container width in CSS px (a notebook's output area is about 1,000 px wide).
 *
 * Needs the plotly extension (`extensions/plotly`) installed in BENCH_PYTHON's environment:
 * the page gets the copy of plotly.min.js the extension serves (with V8's compile hint).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { lowerMedian, pageLongTasks, traceFromStart } from './nodevtools.mjs';
import { optionReader, tempDirCleanedOnExit } from './servers.mjs';

const opt = optionReader(process.argv.slice(2));
const file = opt('file', null);
if (!file) throw new Error('give --file NOTEBOOK.ipynb');
const runs = Number(opt('runs', 3));
const rounds = Number(opt('rounds', 1));
const width = Number(opt('width', 1000));
const python = process.env.BENCH_PYTHON || 'python3';
const tmp = tempDirCleanedOnExit('jlab-alt-plotly-floor-');
const MIME = 'application/vnd.plotly.v1+json';

const plotlyDir = execFileSync(
  python,
  [
    '-c',
    'from pathlib import Path\n' +
      'from jlab_alt_plotly.plugin import plotly_js_dir\n' +
      'from jlab_alt_plotly.prepared import prepared_plotly_js\n' +
      'print(prepared_plotly_js(Path(plotly_js_dir()) / "plotly.min.js", wait=True))'
  ],
  { encoding: 'utf8' }
).trim();
const figures = JSON.parse(fs.readFileSync(file, 'utf8'))
  .cells.flatMap((cell) => cell.outputs ?? [])
  .map((output) => output.data?.[MIME])
  .filter(Boolean)
  .map((figure) => (typeof figure === 'string' ? JSON.parse(figure) : figure));
if (!figures.length) throw new Error(`${file} holds no ${MIME} output`);

/** The blank page: plotly.js, then the figures, each `newPlot` in a task of its own; POSTs the times. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>plotly floor</title>
<body style="margin:0"><div id="host" style="width:${width}px"></div>
<script src="/plotly.min.js"></script>
<script>
const nextTask = () => new Promise((resolve) => { const c = new MessageChannel(); c.port1.onmessage = () => resolve(); c.port2.postMessage(null); });
(async () => {
  const figures = await (await fetch('/figures.json')).json();
  const times = [];
  for (let round = 0; round < ${rounds}; round++) {
    const row = [];
    for (const f of figures) {
      await nextTask();
      const div = document.createElement('div');
      document.getElementById('host').appendChild(div);
      const t = performance.now();
      await Plotly.newPlot(div, f.data ?? [], f.layout ?? {}, { responsive: true, ...(f.config ?? {}) });
      row.push(Math.round(performance.now() - t));
    }
    times.push(row);
  }
  await fetch('/report', { method: 'POST', body: JSON.stringify(times) });
})();
</script>`;

let report = null;
const server = http.createServer((req, res) => {
  const route = req.url.split('?')[0];
  if (route === '/floor.html') res.setHeader('Content-Type', 'text/html').end(PAGE);
  else if (route === '/figures.json') res.setHeader('Content-Type', 'application/json').end(JSON.stringify(figures));
  else if (route === '/plotly.min.js') res.setHeader('Content-Type', 'text/javascript').end(fs.readFileSync(path.join(plotlyDir, 'plotly.min.js')));
  else if (route === '/report' && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      report = JSON.parse(body);
      res.end();
    });
  } else res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/floor.html`;

console.log(`${path.basename(file)}: ${figures.length} figures, ${rounds} round(s), container ${width} px wide`);
const longest = [];
try {
  for (let run = 1; run <= runs; run++) {
    report = null;
    const events = await traceFromStart(url, path.join(tmp, `trace-${run}.json`), { seconds: 8 + 2 * rounds, tmp });
    if (!report) throw new Error(`run ${run}: the page did not finish drawing within the trace`);
    const long = pageLongTasks(events, '/floor.html');
    const top = long.reduce((a, b) => (b.ms > (a?.ms ?? 0) ? b : a), null);
    longest.push(top?.ms ?? 0);
    const drawn = report.map((row, i) => `round ${i + 1} [${row.join(', ')}]`).join(', ');
    console.log(`run ${run}: long tasks ${JSON.stringify(long.map((t) => t.ms))}; newPlot ms ${drawn}`);
  }
} finally {
  server.close();
}
console.log(`longest task, median of ${runs}: ${lowerMedian(longest)} ms`);
