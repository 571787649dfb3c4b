/**
 * A Chromium with no DevTools attached, traced from its start: the shared part of
 * `longtasks-nodevtools.mjs` (an app opening a notebook) and `plotly-floor.mjs` (plotly.js
 * alone in a blank page). Why no DevTools: with its Runtime domain on, V8 records a detailed
 * stack for every Error created and parses a function again to place a frame in it; for
 * plotly.min.js that is most of a second no user pays (RESULTS.md, session 19).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS } from './servers.mjs';

/**
 * Start Chromium (headless, a profile of its own under `tmp`) on `url`, recording a trace from
 * its start (`--trace-startup`, JSON) for `seconds`, and resolve with the trace's events
 * (Chrome trace event format: `{ph, name, pid, tid, ts, dur, args}`, times in µs). The browser
 * is killed once the trace is written. Rejects if no complete trace is in `traceFile` within
 * `seconds` + 60 s.
 */
export async function traceFromStart(url, traceFile, { seconds, tmp }) {
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

/**
 * The main-thread tasks over 50 ms of the renderer that loaded `pagePath` (a URL's path) in
 * `events`: `[{at, ms, what}]`, `at` in ms after that thread's first task, `what` the longest
 * script or rendering step inside the task. Frames in other renderers (sandboxed outputs) are
 * not counted. Throws if no renderer loaded `pagePath`.
 */
export function pageLongTasks(events, pagePath) {
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
      const inner = main
        .filter((e) => e !== t && e.ts >= t.ts && e.ts + e.dur <= t.ts + t.dur && /^(v8\.|FunctionCall|EvaluateScript|Layout|UpdateLayoutTree|Paint|ParseHTML)/.test(e.name))
        .sort((a, b) => b.dur - a.dur)[0];
      const what = inner ? `${inner.name}${inner.args?.data?.url ? ` ${inner.args.data.url.split('/').pop().split('?')[0]}` : ''}` : t.name;
      return { at: Math.round((t.ts - t0) / 1000), ms: Math.round(t.dur / 1000), what };
    });
}

/** The median of `xs` (the lower middle one for an even count); NaN for none. */
export const lowerMedian = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
