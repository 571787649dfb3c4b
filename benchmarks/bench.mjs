/**
 * jlab-alt vs JupyterLab benchmark runner. Use benchmarks/run.sh, which prepares
 * the JupyterLab virtualenv and calls this script:
 *
 *   node benchmarks/bench.mjs [--smoke] [--runs N] [--warmup N] [--apps jlab-alt,jupyterlab]
 *                             [--only scenario,...] [--exec-repeats N] [--python PATH]
 *                             [--jupyterlab-venv DIR] [--out DIR] [--all-sizes] [--walk-apps jlab-alt]
 *
 * Scenarios run one after another; within a scenario the apps alternate (A B, then
 * B A, ...), each run in a fresh browser context. Warm-up runs are not counted.
 * --all-sizes also opens the biggest code notebook (8,000 cells) in JupyterLab.
 * --walk-apps limits the ArrowDown walks to those apps (JupyterLab's 2,000-cell walk
 * takes 12-24 minutes per run; its open and memory numbers are still measured).
 * Writes results/bench-<stamp>.json and .md (and latest.json / latest.md) and prints
 * the table. Exit status: 1 when a scenario threw, 0 otherwise (speed never fails).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SIZES, writeBenchFiles } from './generate.mjs';
import { formatMarkdown, formatText, summarize } from './report.mjs';
import { artifacts, paintedExecFloorInPage, rawExecFloor, rawExecFloorInPage, rawStreamFloor, runColdLoad, runExec, runOpenNotebook, runStartup, runStream, runTerminal, runTerminalCommands } from './scenarios.mjs';
import { median as medianOf } from './stats.mjs';
import { rawTerminalFloor, runConsoleExec } from './scenarios-terminals.mjs'; // issue 13: terminals and consoles
import { getJson, kernelSpecArgv, launchChromium, processesMentioning, startServer } from './servers.mjs';
// Documents (issue 15): big CSV, ToC of a long notebook, Download as HTML.
import { documentScenarios } from './scenarios-documents.mjs';
import { revealScenarios } from './scenarios-reveal.mjs'; // issue 18: going to a far cell (Find)
// Workspace restore (issue 14)
import { cleanupRestore, runRestore, writeRestoreFiles } from './scenarios-restore.mjs';
// Saving big notebooks (issue 18.4, issue 16.3): Ctrl+S after a one-cell edit.
import { saveScenarios } from './scenarios-save.mjs';
// The execution journal's cost (issue 16, speed and memory): stream on/off, flood RSS, reopen.
import { journalScenarios } from './scenarios-journal.mjs';
// perf18: typing into a 2,000-cell notebook (crash recovery's cost after an edit).
import { perf18Scenarios } from './scenarios-perf18.mjs';
import { memoryScenarios } from './scenarios-memory.mjs'; // issue 18.5: memory over time
// Issue 18 part 3: the longest task while opening and scrolling big notebooks (and the corpus).
import { longTaskScenarios } from './scenarios-longtasks.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

/** A scenario stops running an app after this many failed runs. */
const MAX_FAILURES = 2;

function parseArgs(argv) {
  const opts = {
    smoke: false,
    runs: null,
    warmup: null,
    apps: null,
    only: null,
    execRepeats: null,
    python: process.env.BENCH_PYTHON || 'python3',
    jupyterlabVenv: path.join(HERE, '.venv-jupyterlab'),
    out: path.join(HERE, 'results'),
    chromium: process.env.BENCH_CHROMIUM || '/usr/bin/chromium',
    tmp: process.env.BENCH_TMP || null,
    allSizes: false,
    walkApps: null,
    snapshot: true
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--smoke') opts.smoke = true;
    else if (a === '--runs') opts.runs = Number(next());
    else if (a === '--warmup') opts.warmup = Number(next());
    else if (a === '--apps') opts.apps = next().split(',');
    else if (a === '--only') opts.only = next().split(',');
    else if (a === '--exec-repeats') opts.execRepeats = Number(next());
    else if (a === '--python') opts.python = next();
    else if (a === '--jupyterlab-venv') opts.jupyterlabVenv = path.resolve(next());
    else if (a === '--out') opts.out = path.resolve(next());
    else if (a === '--chromium') opts.chromium = next();
    else if (a === '--all-sizes') opts.allSizes = true;
    else if (a === '--walk-apps') opts.walkApps = next().split(',').filter(Boolean);
    else if (a === '--no-snapshot') opts.snapshot = false;
    else throw new Error(`unknown option ${a}`);
  }
  opts.runs ??= opts.smoke ? 1 : 5;
  opts.warmup ??= opts.smoke ? 0 : 1;
  opts.apps ??= opts.smoke ? ['jlab-alt'] : ['jlab-alt', 'jupyterlab'];
  opts.execRepeats ??= opts.smoke ? 3 : 20;
  for (const app of opts.apps) if (!['jlab-alt', 'jupyterlab'].includes(app)) throw new Error(`unknown app ${app}`);
  return opts;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? r.stdout.trim() : `unknown (${(r.stderr || r.error || '').toString().trim().split('\n').pop()})`;
}

function machineInfo(opts, browserVersion) {
  const pyVersions = (py) =>
    run(py, [
      '-c',
      'import sys, jupyter_server, ipykernel; print(sys.version.split()[0], jupyter_server.__version__, ipykernel.__version__)'
    ]).split(' ');
  const [python, serverAlt, ipykernel] = pyVersions(opts.python);
  const info = {
    date: new Date().toISOString(),
    nproc: os.availableParallelism?.() ?? os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    ram_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()}`,
    chromium: browserVersion,
    node: process.version,
    python,
    python_path: run(opts.python, ['-c', 'import sys; print(sys.executable)']),
    ipykernel,
    jlab_alt: {
      version: run(opts.python, ['-c', 'import jlab_alt; print(jlab_alt.__version__)']),
      build: run(opts.python, [
        '-c',
        'import hashlib, jlab_alt.assets as a; print(hashlib.sha256((a.STATIC_DIR / "manifest.json").read_bytes()).hexdigest()[:12])'
      ]),
      git: run('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']),
      git_dirty: run('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no']) !== '',
      jupyter_server: serverAlt
    }
  };
  if (opts.apps.includes('jupyterlab')) {
    const py = path.join(opts.jupyterlabVenv, 'bin', 'python');
    const out = run(py, ['-c', 'import jupyterlab, jupyter_server; print(jupyterlab.__version__, jupyter_server.__version__)']).split(' ');
    info.jupyterlab = { version: out[0], jupyter_server: out[1] };
  }
  return info;
}

// --- cleanup -------------------------------------------------------------------------

let TMP = null;
const liveServers = new Set();

/** Kill, synchronously, every process started under our temporary folder (servers, kernels). */
function killEverythingUnderTmp() {
  if (!TMP) return;
  for (const pid of processesMentioning(TMP)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

async function stopAll() {
  await Promise.all([...liveServers].map((s) => s.stop().catch(() => undefined)));
  liveServers.clear();
  killEverythingUnderTmp();
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping servers`);
    killEverythingUnderTmp();
    process.exit(130);
  });
}
process.on('exit', killEverythingUnderTmp);

// --- main ----------------------------------------------------------------------------

const log = (msg) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const sizes = opts.smoke ? SIZES.smoke : SIZES.full;
  TMP = opts.tmp ?? fs.mkdtempSync(path.join(os.tmpdir(), 'jlab-alt-bench-'));
  fs.mkdirSync(TMP, { recursive: true });
  fs.mkdirSync(opts.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19) + (opts.smoke ? '-smoke' : '');
  artifacts.dir = path.join(opts.out, `artifacts-${stamp}`);
  fs.mkdirSync(artifacts.dir, { recursive: true });
  log(`mode: ${opts.smoke ? 'smoke' : 'full'}; apps: ${opts.apps.join(', ')}; ${opts.warmup} warm-up + ${opts.runs} counted runs each; tmp: ${TMP}`);

  // jlab-alt runs from a copy of its installed package taken now (frontend build included),
  // so the lead rebuilding the frontend during a long run cannot break loaded pages.
  const pythonPath = {};
  if (opts.apps.includes('jlab-alt') && opts.snapshot) {
    const pkg = run(opts.python, ['-c', 'import jlab_alt, os; print(os.path.dirname(jlab_alt.__file__))']);
    const snap = path.join(TMP, 'jlab-alt-package');
    fs.cpSync(pkg, path.join(snap, 'jlab_alt'), {
      recursive: true,
      // The server sends a compressed copy of an unhashed file only if it is not older than the file.
      preserveTimestamps: true,
      filter: (src) => !src.endsWith('.map') && !src.includes('__pycache__')
    });
    pythonPath['jlab-alt'] = snap;
    log(`jlab-alt runs from a snapshot of ${pkg}`);
  }

  // Each app gets its own root folder holding the same generated files.
  const roots = {};
  for (const app of opts.apps) {
    roots[app] = path.join(TMP, app, 'root');
    writeBenchFiles(roots[app], sizes);
  }

  const browser = await launchChromium(opts.chromium);
  const results = {
    meta: { ...machineInfo(opts, browser.version()), mode: opts.smoke ? 'smoke' : 'full', runs: opts.runs, warmup: opts.warmup, sizes, exec_repeats: opts.execRepeats },
    scenarios: {}
  };
  const wanted = (id) => !opts.only || opts.only.some((o) => id === o || id.startsWith(o));
  let failures = 0;
  let ran = 0;

  /**
   * Run `fn(app, runIndex, counted)` for warm-ups then counted runs, alternating the
   * app order (A B, B A, ...). `params.apps` limits the apps of this scenario.
   */
  async function scenario(id, title, fn, params = {}) {
    if (!wanted(id)) return;
    const apps = opts.apps.filter((a) => !params.apps || params.apps.includes(a));
    const rec = { title, params, runs: {}, warmup: {}, errors: {} };
    results.scenarios[id] = rec;
    const failed = {};
    for (const app of apps) {
      rec.runs[app] = [];
      rec.warmup[app] = [];
      failed[app] = 0;
    }
    log(`scenario ${id}: ${title}${apps.length < opts.apps.length ? ` (${apps.join(', ')} only)` : ''}`);
    const total = opts.warmup + opts.runs;
    for (let i = 0; i < total; i++) {
      const order = i % 2 === 0 ? apps : [...apps].reverse();
      for (const app of order) {
        if (failed[app] >= MAX_FAILURES) continue;
        const counted = i >= opts.warmup;
        const t0 = performance.now();
        try {
          const m = await fn(app, i, counted);
          (counted ? rec.runs : rec.warmup)[app].push(m);
          log(`  ${app} ${counted ? `run ${i - opts.warmup + 1}` : 'warm-up'} (${((performance.now() - t0) / 1000).toFixed(1)} s): ${brief(m)}`);
        } catch (err) {
          failed[app]++;
          rec.errors[app] = [rec.errors[app], String(err?.stack ?? err)].filter(Boolean).join('\n---\n');
          log(`  ${app} FAILED${failed[app] >= MAX_FAILURES ? ' (giving up on this scenario)' : ''}: ${String(err?.message ?? err).split('\n').slice(0, 4).join(' / ')}`);
        }
      }
    }
    ran++;
    if (Object.keys(rec.errors).length) failures++;
  }

  const servers = {};
  try {
    // 1. Server start to a usable page (its own servers, started and stopped per run).
    await scenario('startup', 'Server start → app page 200 → file browser usable', (app, i) =>
      runStartup({
        browser,
        appId: app,
        root: roots[app],
        base: path.join(TMP, app, `startup-${i}`),
        python: opts.python,
        jupyterlabVenv: opts.jupyterlabVenv,
        pythonPath
      })
    );

    // The servers every other scenario uses.
    for (const app of opts.apps) {
      const s = await startServer(app, {
        root: roots[app],
        base: path.join(TMP, app, 'server'),
        python: opts.python,
        jupyterlabVenv: opts.jupyterlabVenv,
        pythonPath,
        log
      });
      liveServers.add(s);
      servers[app] = s;
    }
    results.meta.kernelspecs = {};
    for (const app of opts.apps) results.meta.kernelspecs[app] = await kernelSpecArgv(servers[app]);
    // Every kernelspec each app lists (their logos are part of the cold load: bash_kernel's is 801 KB).
    results.meta.kernelspec_names = {};
    for (const app of opts.apps) results.meta.kernelspec_names[app] = Object.keys((await getJson(servers[app], '/api/kernelspecs')).kernelspecs ?? {});
    const argvs = new Set(Object.values(results.meta.kernelspecs).map((k) => JSON.stringify(k.argv)));
    if (argvs.size !== 1) throw new Error(`The servers' python3 kernelspecs differ: ${JSON.stringify(results.meta.kernelspecs)}`);
    log(`both servers' python3 kernel: ${[...argvs][0]}`);
    if (servers['jlab-alt']) {
      // Which jlab-alt extensions the environment has (they load with the app).
      const listing = await getJson(servers['jlab-alt'], '/jlab-alt/api/extensions').catch((e) => ({ error: String(e) }));
      results.meta.jlab_alt.extensions = (listing.extensions ?? []).map((e) => e.name ?? e.id ?? JSON.stringify(e).slice(0, 80));
      results.meta.jlab_alt.extensions_disabled = listing.disabled ?? [];
      if (listing.extensions?.length) log(`jlab-alt extensions in this environment: ${results.meta.jlab_alt.extensions.join(', ')}`);
      if (results.meta.jlab_alt.extensions_disabled.length) log(`  disabled: ${results.meta.jlab_alt.extensions_disabled.join(', ')}`);
    }

    await scenario('cold_load', 'Cold load → file browser usable', (app) => runColdLoad({ browser, server: servers[app] }));

    const main = sizes.codeMain;
    // Notebooks. Warm-up runs only open (walking 2,000 cells takes JupyterLab minutes).
    const openScenario = (id, title, file, cells, keyboard, params = {}) =>
      scenario(
        id,
        title,
        (app, i, counted) =>
          runOpenNotebook({
            browser,
            server: servers[app],
            file,
            cells,
            keyboard: keyboard && counted && (!opts.walkApps || opts.walkApps.includes(app))
          }),
        { cells, ...params }
      );
    await openScenario(`open_code_${main}`, `Open ${main} code cells; ArrowDown to the last`, `bench_code_${main}.ipynb`, main, true);
    for (const n of sizes.code.filter((n) => n !== main)) {
      // The biggest variant is for jlab-alt's growth only, unless --all-sizes.
      const onlyAlt = n === Math.max(...sizes.code) && !opts.allSizes;
      await openScenario(`open_code_${n}`, `Open ${n} code cells`, `bench_code_${n}.ipynb`, n, false, onlyAlt ? { apps: ['jlab-alt'] } : {});
    }
    await openScenario(
      `open_rich_${sizes.rich}`,
      `Open ${sizes.rich} cells with PNG / HTML table outputs; ArrowDown to the last`,
      `bench_rich_${sizes.rich}.ipynb`,
      sizes.rich,
      true
    );
    await openScenario(
      `open_md_${sizes.markdown}`,
      `Open ${sizes.markdown} Markdown cells with math; ArrowDown to the last`,
      `bench_md_${sizes.markdown}.ipynb`,
      sizes.markdown,
      true
    );

    await scenario(
      'stream',
      `Stream ${sizes.streamLines.toLocaleString('en-US')} printed lines`,
      (app) => runStream({ browser, server: servers[app], lines: sizes.streamLines }),
      { lines: sizes.streamLines }
    );
    if (results.scenarios.stream) {
      // The raw floor: the same cell through the same server, by a plain WebSocket client.
      const rec = results.scenarios.stream;
      rec.raw = {};
      for (const app of opts.apps) {
        try {
          rec.raw[app] = await rawStreamFloor({ server: servers[app], lines: sizes.streamLines, repeats: opts.runs });
          log(`  raw WebSocket client via ${app}'s server: ${rec.raw[app].map((t) => Math.round(t)).join(', ')} ms`);
        } catch (err) {
          rec.errors[`raw-${app}`] = String(err?.stack ?? err);
          log(`  raw client via ${app} FAILED: ${err?.message ?? err}`);
          failures++;
        }
      }
    }

    await scenario(
      'exec',
      `Execute 1+1: key press → output visible (median of ${opts.execRepeats})`,
      (app) => runExec({ browser, server: servers[app], repeats: opts.execRepeats }),
      { repeats: opts.execRepeats }
    );
    if (results.scenarios.exec) {
      // The raw floor: 1+1 through the same server by a plain WebSocket client.
      const rec = results.scenarios.exec;
      rec.raw = {};
      for (const app of opts.apps) {
        try {
          rec.raw[app] = await rawExecFloor({ server: servers[app], runs: opts.runs, repeats: opts.execRepeats });
          log(`  raw WebSocket client via ${app}'s server: ${rec.raw[app].map((t) => t.toFixed(1)).join(', ')} ms (medians)`);
        } catch (err) {
          rec.errors[`raw-${app}`] = String(err?.stack ?? err);
          log(`  raw client via ${app} FAILED: ${err?.message ?? err}`);
          failures++;
        }
      }
      // The same floor from a page of the browser the apps run in.
      rec.rawPage = {};
      for (const app of opts.apps) {
        try {
          rec.rawPage[app] = await rawExecFloorInPage({ browser, server: servers[app], runs: opts.runs, repeats: opts.execRepeats });
          log(`  raw WebSocket in a page via ${app}'s server: ${rec.rawPage[app].map((t) => t.toFixed(1)).join(', ')} ms (medians)`);
        } catch (err) {
          rec.errors[`rawPage-${app}`] = String(err?.stack ?? err);
          log(`  raw page client via ${app} FAILED: ${err?.message ?? err}`);
          failures++;
        }
      }
      // ... and that client painting its "2", measured from the key as the apps are.
      rec.paintedPage = {};
      for (const app of opts.apps) {
        try {
          rec.paintedPage[app] = await paintedExecFloorInPage({ browser, server: servers[app], runs: opts.runs, repeats: opts.execRepeats });
          log(`  bare page client painting, via ${app}'s server: ${rec.paintedPage[app].map((t) => t.toFixed(1)).join(', ')} ms (medians)`);
        } catch (err) {
          rec.errors[`paintedPage-${app}`] = String(err?.stack ?? err);
          log(`  painted page client via ${app} FAILED: ${err?.message ?? err}`);
          failures++;
        }
      }
    }

    // Issue 13 (terminals and consoles): the console's 1+1 right after the notebook's,
    // on the same servers, so "console within 5 ms of the notebook" reads off one run.
    await scenario(
      'console_exec',
      `Console 1+1: Shift+Enter → output visible (median of ${opts.execRepeats})`,
      (app) => runConsoleExec({ browser, server: servers[app], repeats: opts.execRepeats }),
      { repeats: opts.execRepeats }
    );
    if (results.scenarios.console_exec && results.scenarios.exec) {
      const rec = results.scenarios.console_exec;
      const med = (runs) => medianOf((runs ?? []).map((m) => m.roundtrip_ms).sort((x, y) => x - y));
      rec.minus_notebook_ms = {};
      for (const app of opts.apps) rec.minus_notebook_ms[app] = med(rec.runs[app]) - med(results.scenarios.exec.runs[app]);
      log(`  console − notebook 1+1 (medians): ${Object.entries(rec.minus_notebook_ms).map(([a, d]) => `${a} ${d.toFixed(1)} ms`).join(', ')}`);
    }

    await scenario(
      'terminal',
      `Terminal: seq 1 ${sizes.terminalLines.toLocaleString('en-US')}, Enter → last line painted`,
      (app) => runTerminal({ browser, server: servers[app], lines: sizes.terminalLines }),
      { lines: sizes.terminalLines }
    );
    if (results.scenarios.terminal) {
      // Issue 13: the raw floor, terminado's output to a plain WebSocket client (no page).
      const rec = results.scenarios.terminal;
      rec.raw = {};
      for (const app of opts.apps) {
        try {
          rec.raw[app] = await rawTerminalFloor({ server: servers[app], lines: sizes.terminalLines, repeats: opts.runs });
          log(`  raw WebSocket client via ${app}'s server: ${rec.raw[app].map((t) => Math.round(t)).join(', ')} ms`);
        } catch (err) {
          rec.errors[`raw-${app}`] = String(err?.stack ?? err);
          log(`  raw client via ${app} FAILED: ${err?.message ?? err}`);
          failures++;
        }
      }
    }

    // Issue 13: a short command's round trip, Enter → its output line painted.
    await scenario(
      'terminal_cmd',
      `Terminal: echo, Enter → output painted (median of ${opts.execRepeats})`,
      (app) => runTerminalCommands({ browser, server: servers[app], repeats: opts.execRepeats }),
      { repeats: opts.execRepeats }
    );

    // Documents (issue 15): big CSV, ToC of a long notebook, Download as HTML (scenarios-documents.mjs).
    await documentScenarios({ scenario, wanted, servers, roots, smoke: opts.smoke, browser });

    // Going to a far cell (issue 18, no long tasks): Find revealing the last of 2,000 cells (scenarios-reveal.mjs).
    await revealScenarios({ scenario, wanted, servers, roots, smoke: opts.smoke, browser });

    // Workspace restore (issue 14): reload a workspace of 30 open notebooks (3 in --smoke).
    if (wanted('restore')) {
      const count = opts.smoke ? 3 : 30;
      for (const app of opts.apps) writeRestoreFiles(roots[app], count);
      await scenario(
        'restore',
        `Reload a workspace of ${count} open notebooks → file browser and active notebook shown`,
        (app) => runRestore({ browser, server: servers[app], count }),
        { notebooks: count }
      );
      for (const app of opts.apps) await cleanupRestore(servers[app]).catch((err) => log(`  restore clean-up (${app}): ${err?.message ?? err}`));
    }

    // Saving big notebooks (issue 18.4): Ctrl+S after a one-cell edit (scenarios-save.mjs).
    await saveScenarios({ scenario, wanted, servers, roots, smoke: opts.smoke, browser });

    // The execution journal (issue 16): its own jlab-alt servers, journal on and off (scenarios-journal.mjs).
    await journalScenarios({ scenario, wanted, results, servers, smoke: opts.smoke, browser, tmp: TMP, python: opts.python, pythonPath, log, runs: opts.runs });
    // perf18: longest task after typing one character into a 2,000-cell notebook (scenarios-perf18.mjs).
    await perf18Scenarios({ scenario, wanted, servers, roots, smoke: opts.smoke, browser });
    // Memory over time (issue 18.5): one long-lived page against fresh ones (scenarios-memory.mjs).
    // Its own servers (output rate limit off), with a root folder of their own.
    const startFor = async (app, extraArgs) => {
      const root = path.join(TMP, app, 'memory-root');
      fs.mkdirSync(root, { recursive: true });
      const s = await startServer(app, {
        root,
        base: path.join(TMP, app, 'memory-server'),
        python: opts.python,
        jupyterlabVenv: opts.jupyterlabVenv,
        pythonPath,
        extraArgs,
        log
      });
      liveServers.add(s);
      return s;
    };
    await memoryScenarios({ scenario, wanted, startFor, apps: opts.apps, smoke: opts.smoke, browser });
    // Longest task while opening / scrolling big notebooks; the corpus only with --only longtask_corpus.
    await longTaskScenarios({ scenario, wanted, servers, roots, smoke: opts.smoke, browser, opts });
  } catch (err) {
    failures++;
    results.fatal = String(err?.stack ?? err);
    log(`FATAL: ${err?.stack ?? err}`);
  } finally {
    for (const app of Object.keys(servers)) {
      results.meta[`${app}_server_log_tail`] = servers[app].log().split('\n').slice(-30).join('\n');
    }
    await stopAll();
    await browser.close().catch(() => undefined);
  }

  const summary = summarize(results, opts.apps);
  results.summary = summary;
  const jsonFile = path.join(opts.out, `bench-${stamp}.json`);
  const mdFile = path.join(opts.out, `bench-${stamp}.md`);
  fs.writeFileSync(jsonFile, JSON.stringify(results, null, 1));
  const md = formatMarkdown(results, summary, opts.apps);
  fs.writeFileSync(mdFile, md);
  const latest = opts.smoke ? 'latest-smoke' : 'latest';
  fs.copyFileSync(jsonFile, path.join(opts.out, `${latest}.json`));
  fs.copyFileSync(mdFile, path.join(opts.out, `${latest}.md`));
  if (fs.readdirSync(artifacts.dir).length === 0) fs.rmdirSync(artifacts.dir);
  if (!opts.tmp) fs.rmSync(TMP, { recursive: true, force: true });

  console.log('\n' + formatText(results, summary, opts.apps));
  console.log(`\nresults: ${path.relative(process.cwd(), jsonFile)}, ${path.relative(process.cwd(), mdFile)}`);
  for (const [id, rec] of Object.entries(results.scenarios)) {
    for (const [app, err] of Object.entries(rec.errors)) console.log(`FAILED ${id} (${app}): ${err.split('\n')[0]}`);
  }
  const label = opts.smoke ? 'benchmarks smoke' : 'benchmarks';
  console.log(`${label}: ${ran} scenarios ran${failures ? `, ${failures} failure(s)` : ''}`);
  return failures ? 1 : 0;
}

function brief(m) {
  return Object.entries(m)
    .filter(([, v]) => typeof v === 'number')
    .slice(0, 6)
    .map(([k, v]) => `${k}=${k.endsWith('bytes') ? `${(v / 1024).toFixed(0)}K` : Math.round(v)}`)
    .join(' ');
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    console.error(err?.stack ?? err);
    await stopAll().catch(() => undefined);
    process.exit(1);
  }
);

