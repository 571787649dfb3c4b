/**
 * Start and stop the Jupyter servers the benchmarks drive: jlab-alt, through the
 * project's one test launcher (`<python> -m jlab_alt.testing serve --json`, as the UI
 * tests and the pytest plugin start it), and JupyterLab (from
 * benchmarks/.venv-jupyterlab). Each server gets a free loopback port, a random
 * token, its own root folder and its own JUPYTER_CONFIG_DIR / _DATA_DIR /
 * _RUNTIME_DIR / IPYTHONDIR, and the same `python3` kernelspec (the suite's Python
 * with its ipykernel) in a folder on JUPYTER_PATH, where it shadows any other.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 10_000;

/**
 * Debian's chromium, headless, without what would send traffic off the machine or do
 * background work that disturbs timings (sync, component updates, translation...).
 * One list for the benchmarks and the UI tests (ui-tests/playwright.config.ts).
 */
export const CHROMIUM_ARGS = JSON.parse(fs.readFileSync(new URL('../scripts/chromium-args.json', import.meta.url), 'utf8'));

/**
 * Launch the benchmarks' browser: `executablePath` defaults to BENCH_CHROMIUM or /usr/bin/chromium.
 * BENCH_CHROMIUM_DISABLE_FEATURES (comma-separated Chromium feature names) adds to the
 * `--disable-features` list, to measure what a browser policy costs: e.g.
 * `DeferRendererTasksAfterInput`, which holds every task of a page after a key (a WebSocket
 * message too) until the next frame. BENCH_CHROMIUM_JS_FLAGS (V8's flags, space-separated) is
 * passed as `--js-flags`, to see what V8's defaults keep: e.g. `--flush-baseline-code
 * --bytecode-old-time=1`, under which a GC drops the compiled code of functions not run in the
 * last second. The suite's numbers are always taken without either.
 */
export function launchChromium(executablePath = process.env.BENCH_CHROMIUM || '/usr/bin/chromium') {
  const extra = process.env.BENCH_CHROMIUM_DISABLE_FEATURES;
  const jsFlags = process.env.BENCH_CHROMIUM_JS_FLAGS;
  const args = extra ? CHROMIUM_ARGS.map((a) => (a.startsWith('--disable-features=') ? `${a},${extra}` : a)) : [...CHROMIUM_ARGS];
  if (jsFlags) args.push(`--js-flags=${jsFlags}`);
  return chromium.launch({ executablePath, headless: true, args });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port free right now on 127.0.0.1 (for JupyterLab and the kernel gateway). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function exited(proc) {
  return proc.exitCode !== null || proc.signalCode !== null;
}

function waitForExit(proc, ms) {
  if (exited(proc)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(exited(proc)), ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* gone */
  }
}

/** Pids whose command line mentions `marker` (kernels run in their own sessions). */
export function processesMentioning(marker) {
  const pids = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      /* exited */
    }
  }
  return pids;
}

/**
 * The profilers' command-line options: `opt('runs', 3)` is the word after `--runs`,
 * or the default when the flag is absent (a string when given: convert it yourself).
 * @param {string[]} args the arguments after the script's name (`process.argv.slice(2)`).
 */
export function optionReader(args) {
  return (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
}

/**
 * A new temporary folder (`<os tmp>/<prefix>XXXXXX`) removed when this process exits,
 * with every process still mentioning it (servers, kernels) killed first.
 * @returns its path.
 */
export function tempDirCleanedOnExit(prefix) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => {
    for (const pid of processesMentioning(tmp)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  return tmp;
}

/** The kernelspec both servers use: the suite's Python, its ipykernel. */
export function writeKernelSpec(jupyterDir, python) {
  const dir = path.join(jupyterDir, 'kernels', 'python3');
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [python, '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
    display_name: 'Python 3 (ipykernel)',
    language: 'python',
    metadata: { debugger: true }
  };
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(spec, null, 1));
}

/**
 * The two apps' server commands. `app.pageUrl(server, treePath)` is the URL a
 * person would open; `args` are added after the shared ServerApp options.
 */
export const APPS = {
  'jlab-alt': {
    label: 'jlab-alt',
    // Started by startJlabAlt (the launcher), not by a command here.
    pagePath: (treePath) => (treePath ? `/jlab-alt/tree/${encodePath(treePath)}` : '/jlab-alt')
  },
  jupyterlab: {
    label: 'JupyterLab',
    command: (opts) => path.join(opts.jupyterlabVenv, 'bin', 'jupyter'),
    extraArgs: (dirs) => [
      'lab',
      // Fresh workspaces folder: no saved layout is ever restored.
      `--LabApp.workspaces_dir=${dirs.workspaces}`,
      // window.jupyterapp, to wait for the app and read the kernel status.
      '--LabApp.expose_app_in_browser=True',
      // Never contact the internet for news or updates.
      '--LabApp.news_url=None',
      '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate',
      // The read-only extension manager never queries PyPI.
      '--LabApp.extension_manager=readonly'
    ],
    pagePath: (treePath) => (treePath ? `/lab/tree/${encodePath(treePath)}` : '/lab')
  }
};

function encodePath(p) {
  return p.split('/').map(encodeURIComponent).join('/');
}

/**
 * Start `appId`'s server on a fresh port with `root` as its root folder.
 * `base` is a folder for this server's config/data/runtime dirs (created).
 * `extraArgs` are added after the shared options. Resolves once GET /api/status answers 200
 * with `{appId, label, pid, port, token, origin, root, base, dirs, spawnedAt (performance.now()
 * time of the server's spawn), readyAfterMs, log(), url(treePath), api(path), stop()}`.
 */
export async function startServer(appId, opts) {
  return appId === 'jlab-alt' ? startJlabAlt(opts) : startJupyterLab(appId, opts);
}

/**
 * jlab-alt through `<python> -m jlab_alt.testing serve --json --dir <base> --root <root>`:
 * the launcher gives the server its folders, port and token, prints them as one JSON
 * line once /api/status answers, and stops the server with its kernels when its input
 * closes. `pythonPath['jlab-alt']` (a snapshot of the package) goes first on PYTHONPATH.
 */
/** Extensions of the repository's `extensions/` folder, disabled in the benchmarks' jlab-alt. */
const EXAMPLE_EXTENSIONS = ['strip_outputs', 'server_info'];

async function startJlabAlt({ root, base, python, pythonPath = {}, extraArgs = [], log = () => {} }) {
  fs.mkdirSync(base, { recursive: true });
  const jupyterPath = path.join(base, 'jupyter-path');
  writeKernelSpec(jupyterPath, python);
  const env = { ...process.env };
  if (pythonPath['jlab-alt']) env.PYTHONPATH = [pythonPath['jlab-alt'], process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  const proc = spawn(
    python,
    [
      '-m',
      'jlab_alt.testing',
      'serve',
      '--json',
      '--dir',
      base,
      '--root',
      root,
      '--env',
      `JUPYTER_PATH=${jupyterPath}`,
      // The repository's example extensions are installed beside the tests; a person's
      // jlab-alt has neither. strip_outputs's pre-save hook would also make every first save
      // of a notebook whole (a hook may rewrite a save), which is not what is measured.
      ...EXAMPLE_EXTENSIONS.flatMap((name) => ['--disable', name]),
      '--',
      ...extraArgs
    ],
    { cwd: base, env, stdio: ['pipe', 'pipe', 'pipe'] }
  );
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d) => (stdout += d.toString()));
  proc.stderr.on('data', (d) => (stderr += d.toString()));
  proc.stdin.on('error', () => {});
  let spawnError = null;
  proc.on('error', (e) => (spawnError = e));
  // The launcher prints one JSON line once the server answers, or exits with its log.
  let timer;
  await new Promise((resolve) => {
    const check = () => (stdout.includes('\n') || exited(proc) || spawnError) && resolve();
    proc.stdout.on('data', check);
    proc.on('exit', check);
    proc.on('error', check);
    timer = setTimeout(resolve, START_TIMEOUT_MS);
  });
  clearTimeout(timer);
  if (spawnError) throw new Error(`Could not run ${python} -m jlab_alt.testing: ${spawnError}`);
  if (!stdout.includes('\n')) {
    if (!exited(proc)) proc.kill('SIGKILL');
    throw new Error(`jlab-alt did not start (launcher exit code ${proc.exitCode}). Output:\n${stderr}`);
  }
  const info = JSON.parse(stdout.slice(0, stdout.indexOf('\n')));
  const app = APPS['jlab-alt'];
  const origin = `http://127.0.0.1:${info.port}`;
  const server = {
    appId: 'jlab-alt',
    label: app.label,
    launcher: proc,
    pid: info.pid,
    port: info.port,
    token: info.token,
    origin,
    root,
    base,
    dirs: { config: info.config_dir, data: info.data_dir, runtime: info.runtime_dir, ipython: info.env.IPYTHONDIR },
    // The launcher's own start is not the server's: time from the server's spawn.
    spawnedAt: info.spawned_at * 1000 - performance.timeOrigin,
    log: () => {
      try {
        return fs.readFileSync(info.log, 'utf8') + stderr;
      } catch {
        return stderr;
      }
    },
    url: (treePath = '') => `${origin}${app.pagePath(treePath)}?token=${info.token}`,
    api: (p) => `${origin}${p}${p.includes('?') ? '&' : '?'}token=${info.token}`,
    stop: async () => {
      if (exited(proc)) return;
      proc.stdin.end();
      if (!(await waitForExit(proc, STOP_TIMEOUT_MS * 2))) {
        proc.kill('SIGKILL');
        killGroup(info.pid, 'SIGKILL');
        for (const pid of processesMentioning(info.runtime_dir)) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
    }
  };
  server.readyAfterMs = performance.now() - server.spawnedAt;
  log(`${app.label} server on ${origin} (ready after ${Math.round(server.readyAfterMs)} ms)`);
  return server;
}

/** JupyterLab's server (`jupyter lab` of `jupyterlabVenv`), as {@link startServer}. */
async function startJupyterLab(appId, { root, base, python, jupyterlabVenv, pythonPath = {}, extraArgs = [], log = () => {} }) {
  const app = APPS[appId];
  const dirs = {
    config: path.join(base, 'config'),
    data: path.join(base, 'data'),
    runtime: path.join(base, 'runtime'),
    ipython: path.join(base, 'ipython'),
    workspaces: path.join(base, 'workspaces')
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  // JUPYTER_PATH comes first in every Jupyter search path (a virtualenv's own
  // share/jupyter would otherwise win over the user data dir), so this python3 wins.
  const jupyterPath = path.join(base, 'jupyter-path');
  writeKernelSpec(jupyterPath, python);
  const token = randomBytes(24).toString('hex');
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_DATA_DIR: dirs.data,
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    JUPYTER_PLATFORM_DIRS: '1',
    IPYTHONDIR: dirs.ipython,
    PYTHONUNBUFFERED: '1'
  };
  // jlab-alt runs from a snapshot of its package (see bench.mjs), so a rebuild of the
  // frontend during the run cannot pull files from under a loaded page.
  env.JUPYTER_PATH = jupyterPath;
  if (pythonPath[appId]) env.PYTHONPATH = [pythonPath[appId], process.env.PYTHONPATH].filter(Boolean).join(path.delimiter);
  for (const k of ['JUPYTER_TOKEN', 'JUPYTER_CONFIG_PATH', 'JUPYTERLAB_WORKSPACES_DIR', 'JUPYTERLAB_SETTINGS_DIR']) {
    delete env[k];
  }
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const args = [
      ...app.extraArgs(dirs),
      '--no-browser',
      '--allow-root',
      `--IdentityProvider.token=${token}`,
      `--ServerApp.root_dir=${root}`,
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      // e.g. --GatewayClient.url=… (benchmarks/gateway.mjs)
      ...extraArgs
    ];
    const chunks = [];
    const t0 = performance.now();
    const proc = spawn(app.command({ jupyterlabVenv }), args, {
      cwd: root,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe']
    });
    const collect = (d) => chunks.push(d.toString());
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    let spawnError = null;
    proc.on('error', (e) => (spawnError = e));
    const output = () => chunks.join('');
    const origin = `http://127.0.0.1:${port}`;
    const server = {
      appId,
      label: app.label,
      proc,
      pid: proc.pid,
      port,
      token,
      origin,
      root,
      base,
      dirs,
      spawnedAt: t0,
      log: output,
      /** The app page URL (with the token) for `treePath` ('' = the app itself). */
      url: (treePath = '') => `${origin}${app.pagePath(treePath)}?token=${token}`,
      api: (p) => `${origin}${p}${p.includes('?') ? '&' : '?'}token=${token}`,
      stop: () => stopServer(server)
    };
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (spawnError) throw new Error(`Could not run ${app.label}'s server: ${spawnError}`);
      if (exited(proc)) break;
      try {
        const res = await fetch(server.api('/api/status'), { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          server.readyAfterMs = performance.now() - t0;
          log(`${app.label} server on ${origin} (ready after ${Math.round(server.readyAfterMs)} ms)`);
          return server;
        }
      } catch {
        /* not listening yet */
      }
      await sleep(50);
    }
    if (!exited(proc)) {
      await stopServer(server);
      throw new Error(`${app.label} did not answer /api/status within ${START_TIMEOUT_MS} ms. Output:\n${output()}`);
    }
    lastError = `${app.label} exited (code ${proc.exitCode}) before it was ready. Output:\n${output()}`;
    if (!/address already in use|Errno 98/i.test(output())) break;
  }
  throw new Error(lastError);
}

/** Stop a server, its process group and its kernels (which run in their own sessions). */
export async function stopServer(server) {
  const { proc } = server;
  if (!exited(proc)) {
    killGroup(proc.pid, 'SIGTERM');
    if (!(await waitForExit(proc, STOP_TIMEOUT_MS))) killGroup(proc.pid, 'SIGKILL');
    await waitForExit(proc, STOP_TIMEOUT_MS);
  }
  killGroup(proc.pid, 'SIGKILL');
  for (const pid of processesMentioning(server.dirs.runtime)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/**
 * One call to `server`'s REST API: `p` is the path under its base URL ("/api/sessions"),
 * `body` is sent as JSON. Resolves with the parsed JSON answer, or null for a 204 or a
 * DELETE (a DELETE of what is already gone, 404, is no error). Throws naming the method,
 * the path, the HTTP status and the start of the answer; gives up after `timeoutMs`.
 */
export async function api(server, method, p, body, timeoutMs = 60_000) {
  const res = await fetch(server.api(p), {
    method,
    headers: { Authorization: `token ${server.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs)
  });
  if (!res.ok && !(method === 'DELETE' && res.status === 404)) throw new Error(`${method} ${p}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res.status === 204 || method === 'DELETE' ? null : res.json();
}

/**
 * Shut down the sessions (and so the kernels) of `paths` on `server`, all when null, as a
 * person would from the running-sessions panel: a scenario's idle kernels must not load
 * the machine for the scenarios after it.
 */
export async function shutDownSessions(server, paths = null) {
  for (const s of await api(server, 'GET', '/api/sessions')) {
    if (paths === null || paths.includes(s.path)) await api(server, 'DELETE', `/api/sessions/${s.id}`);
  }
}

/** GET a JSON API of `server`. */
export async function getJson(server, p) {
  const res = await fetch(server.api(p), { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`GET ${p}: HTTP ${res.status}`);
  return res.json();
}

/** The kernelspec `python3` as `server` reports it (to check both use the same). */
export async function kernelSpecArgv(server) {
  const specs = await getJson(server, '/api/kernelspecs');
  const spec = specs.kernelspecs?.python3?.spec;
  if (!spec) throw new Error(`${server.label} has no python3 kernelspec: ${JSON.stringify(Object.keys(specs.kernelspecs ?? {}))}`);
  return { default: specs.default, argv: spec.argv };
}
