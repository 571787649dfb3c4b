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
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS, optionReader, shutDownSessions, startServer, tempDirCleanedOnExit } from './servers.mjs';

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

/** Record `url` in a Chromium of its own, with no DevTools client; resolves to the trace's events. */
async function traceOpening(url, traceFile) {
  const args = [
    ...CHROMIUM_ARGS.filter((a) => !a.startsWith('--remote-debugging')),
    '--headless',
    `--user-data-dir=${path.join(tmp, `profile-${Date.now()}`)}`,
    '--window-size=1280,900',
    '--trace-startup=toplevel,v8,devtools.timeline,blink',
    `--trace-startup-file=${traceFile}`,
    `--trace-startup-duration=${seconds}`,
    '--trace-startup-format=json',
    url
  ];
  const browser = spawn(process.env.BENCH_CHROMIUM || '/usr/bin/chromium', args, { stdio: 'ignore' });
  try {
    // Chromium writes the trace once the duration is over; wait for a complete JSON file.
    const deadline = Date.now() + (seconds + 60) * 1000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      if (fs.existsSync(traceFile)) {
        try {
          const parsed = JSON.parse(fs.readFileSync(traceFile, 'utf8'));
          return parsed.traceEvents ?? parsed;
        } catch {
          /* still being written */
        }
      }
      if (Date.now() > deadline) throw new Error(`no trace in ${traceFile} after ${seconds + 60} s`);
    }
  } finally {
    browser.kill('SIGKILL');
  }
}

/** The app page's main-thread long tasks in `events`: `[{at, ms, what}]` (at: ms after its first task). */
function appLongTasks(events, pagePath) {
  const threadName = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args.name);
  const onMain = (e) => threadName.get(`${e.pid}:${e.tid}`) === 'CrRendererMain';
  const page = events.find((e) => onMain(e) && typeof e.args?.data?.url === 'string' && new URL(e.args.data.url).pathname === pagePath);
  if (!page) throw new Error(`no renderer loaded ${pagePath}`);
  const main = events.filter((e) => e.pid === page.pid && e.tid === page.tid && e.ph === 'X');
  const tasks = main.filter((e) => e.name === 'ThreadControllerImpl::RunTask');
  const t0 = Math.min(...tasks.map((e) => e.ts));
  return tasks
    .filter((t) => t.dur > 50_000)
    .map((t) => {
      // What ran: the longest script or rendering step inside the task.
      const inner = main
        .filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && /^(v8\.|FunctionCall|EvaluateScript|Layout|UpdateLayoutTree|Paint|ParseHTML)/.test(e.name))
        .sort((a, b) => b.dur - a.dur)[0];
      const what = inner ? `${inner.name}${inner.args?.data?.url ? ` ${inner.args.data.url.split('/').pop().split('?')[0]}` : ''}` : t.name;
      return { at: Math.round((t.ts - t0) / 1000), ms: Math.round(t.dur / 1000), what };
    });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};

for (const app of apps) {
  const server = await startServer(app, { root, base: path.join(tmp, app), python, jupyterlabVenv });
  const longest = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const url = new URL(server.url(file));
      url.searchParams.set('token', server.token);
      const traceFile = path.join(keep ?? tmp, `${app}-${path.basename(file, '.ipynb')}-${run}.json`);
      if (keep) fs.mkdirSync(keep, { recursive: true });
      const events = await traceOpening(url.href, traceFile);
      const long = appLongTasks(events, url.pathname);
      const top = long.reduce((a, b) => (b.ms > (a?.ms ?? 0) ? b : a), null);
      longest.push(top?.ms ?? 0);
      console.log(`${app} run ${run}: long tasks ${JSON.stringify(long.map((t) => t.ms))}; longest ${top ? `${top.ms} ms at ${top.at} ms (${top.what})` : 'none'}`);
      await shutDownSessions(server).catch(() => undefined);
    }
  } finally {
    await server.stop();
  }
  console.log(`${app}: longest task, median of ${runs}: ${median(longest)} ms`);
}
