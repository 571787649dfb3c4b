/**
 * Long tasks while opening a notebook in a browser that has no DevTools attached (issue 18,
 * part 3: "where the time goes"). Not part of the timed suite.
 *
 *   node benchmarks/longtasks-nodevtools.mjs --root DIR --file NAME.ipynb [--runs 3]
 *        [--apps jlab-alt,jupyterlab] [--seconds 15] [--keep-traces DIR]
 *
 * Why: every scenario drives Chromium through Playwright, which enables DevTools' Runtime
 * domain. With it on, V8 records a detailed stack (script, line, column) for every Error
 * created, and for the position of a frame in a function compiled without source positions
 * it parses that function again: plotly.min.js throws a few errors while it starts, inside
 * functions 4.8 MB long, which cost about 0.85 s under Playwright that no user pays.
 *
 * How: Chromium is started on the notebook's URL (token in the query) by itself, recording a
 * trace from its start (`--trace-startup`, JSON) for `--seconds`; the app's page is the
 * renderer whose main thread fetched the notebook's URL, and its long tasks are that thread's
 * tasks over 50 ms (sandboxed output frames run in other renderers and are not counted).
 * Prints per app and run the long tasks (ms, in order) and what the longest ran, and the
 * median of the longest. There is no scrolling: opening only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lowerMedian, pageLongTasks, traceFromStart } from './nodevtools.mjs';
import { optionReader, shutDownSessions, startServer, tempDirCleanedOnExit } from './servers.mjs';

const opt = optionReader(process.argv.slice(2));
const root = opt('root', null);
const file = opt('file', null);
if (!root || !file) throw new Error('give --root DIR and --file NAME.ipynb (relative to DIR)');
const runs = Number(opt('runs', 3));
const seconds = Number(opt('seconds', 15));
const apps = String(opt('apps', 'jlab-alt,jupyterlab')).split(',');
const keep = opt('keep-traces', null);
const python = process.env.BENCH_PYTHON || 'python3';
const jupyterlabVenv = process.env.BENCH_JUPYTERLAB_VENV || path.join(path.dirname(new URL(import.meta.url).pathname), '.venv-jupyterlab');
const tmp = tempDirCleanedOnExit('jlab-alt-nodevtools-');

for (const app of apps) {
  const server = await startServer(app, { root, base: path.join(tmp, app), python, jupyterlabVenv });
  const longest = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const url = new URL(server.url(file));
      url.searchParams.set('token', server.token);
      const traceFile = path.join(keep ?? tmp, `${app}-${path.basename(file, '.ipynb')}-${run}.json`);
      if (keep) fs.mkdirSync(keep, { recursive: true });
      const events = await traceFromStart(url.href, traceFile, { seconds, tmp });
      const long = pageLongTasks(events, url.pathname);
      const top = long.reduce((a, b) => (b.ms > (a?.ms ?? 0) ? b : a), null);
      longest.push(top?.ms ?? 0);
      console.log(`${app} run ${run}: long tasks ${JSON.stringify(long.map((t) => t.ms))}; longest ${top ? `${top.ms} ms at ${top.at} ms (${top.what})` : 'none'}`);
      await shutDownSessions(server).catch(() => undefined);
    }
  } finally {
    await server.stop();
  }
  console.log(`${app}: longest task, median of ${runs}: ${lowerMedian(longest)} ms`);
}
