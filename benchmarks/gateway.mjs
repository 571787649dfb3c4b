/**
 * Remote kernels (issue 12, part 6): the `1+1` round trip through a kernel gateway,
 * next to a local kernel, in the same run on the same machine.
 *
 *   bash benchmarks/run.sh --gateway [--runs N] [--repeats N] [--warmup N]
 *   node benchmarks/gateway.mjs      [--runs N] [--repeats N] [--warmup N] [--python PATH] [--chromium PATH]
 *
 * Starts, on 127.0.0.1 only: jupyter-kernel-gateway (the suite's Python, a token,
 * kernel listing on, the same `python3` kernelspec as the servers), a jlab-alt server
 * with its kernels local, and a jlab-alt server with `--GatewayClient.url` (the
 * long form of `--gateway-url`) and the gateway's token, so its kernels run on the
 * gateway. Then, alternating the servers' order each run:
 *
 * - `exec`: the benchmark's exec scenario (scenarios.mjs `runExec`): Ctrl+Enter on
 *   `1+1` in the app → the new output "2" visible; per run the median of `repeats`
 *   executions (after one not counted), in a fresh browser context.
 * - `raw`: the benchmark's raw WebSocket client (scenarios.mjs `rawExecFloor`):
 *   execute_request → execute_result "2" through jlab-alt's server
 *   (`/api/kernels/<id>/channels`); per run the median of `repeats`, on a new kernel.
 *
 * Prints, per measure, the median of the runs' medians (min – max) for both servers
 * and the ratio gateway / local, and writes benchmarks/results/gateway-<stamp>.json.
 * Not part of `--smoke` (CI): it measures only; the exit status is non-zero only
 * when the run itself broke. Everything started here is killed at the end.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawExecFloor, runExec } from './scenarios.mjs';
import { freePort, launchChromium, processesMentioning, sleep, startServer, writeKernelSpec } from './servers.mjs';
import { median } from './stats.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const START_TIMEOUT_MS = 90_000;
function parseArgs(argv) {
  const opts = {
    runs: 5,
    repeats: 10,
    warmup: 1,
    python: process.env.BENCH_PYTHON ?? 'python3',
    chromium: process.env.BENCH_CHROMIUM ?? '/usr/bin/chromium',
    out: path.join(HERE, 'results')
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--gateway') continue; // passed through by run.sh
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--repeats') opts.repeats = Number(argv[++i]);
    else if (a === '--warmup') opts.warmup = Number(argv[++i]);
    else if (a === '--python') opts.python = argv[++i];
    else if (a === '--chromium') opts.chromium = argv[++i];
    else if (a === '--out') opts.out = path.resolve(argv[++i]);
    else throw new Error(`gateway.mjs: unknown option ${a}`);
  }
  for (const k of ['runs', 'repeats']) if (!(opts[k] >= 1)) throw new Error(`gateway.mjs: --${k} must be at least 1`);
  return opts;
}

const log = (msg) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${msg}`);

let TMP = null;
/** Kill, synchronously, every process whose command line names our temporary folder. */
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
process.on('exit', killEverythingUnderTmp);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killEverythingUnderTmp();
    process.exit(130);
  });
}

/**
 * Start jupyter-kernel-gateway on a free loopback port with a random token, its own
 * Jupyter dirs under `base`, and the suite's `python3` kernelspec first on JUPYTER_PATH
 * (as the servers have it). Resolves once GET /api/kernelspecs answers 200 with the token.
 */
async function startGateway({ base, python }) {
  const dirs = { config: path.join(base, 'config'), data: path.join(base, 'data'), runtime: path.join(base, 'runtime'), ipython: path.join(base, 'ipython') };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const jupyterPath = path.join(base, 'jupyter-path');
  writeKernelSpec(jupyterPath, python);
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: dirs.config,
    JUPYTER_DATA_DIR: dirs.data,
    JUPYTER_RUNTIME_DIR: dirs.runtime,
    JUPYTER_PLATFORM_DIRS: '1',
    IPYTHONDIR: dirs.ipython,
    JUPYTER_PATH: jupyterPath,
    PYTHONUNBUFFERED: '1'
  };
  for (const k of ['JUPYTER_TOKEN', 'JUPYTER_CONFIG_PATH', 'JUPYTER_GATEWAY_URL', 'JUPYTER_GATEWAY_AUTH_TOKEN']) delete env[k];
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(
    python,
    [
      '-m',
      'kernel_gateway',
      '--KernelGatewayApp.ip=127.0.0.1',
      `--KernelGatewayApp.port=${port}`,
      '--KernelGatewayApp.port_retries=0',
      `--KernelGatewayApp.auth_token=${token}`,
      '--JupyterWebsocketPersonality.list_kernels=True'
    ],
    { cwd: base, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
  );
  const chunks = [];
  proc.stdout.on('data', (d) => chunks.push(d.toString()));
  proc.stderr.on('data', (d) => chunks.push(d.toString()));
  const gateway = {
    url,
    token,
    proc,
    log: () => chunks.join(''),
    stop: async () => {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
      const deadline = Date.now() + 10_000;
      while (proc.exitCode === null && proc.signalCode === null && Date.now() < deadline) await sleep(50);
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
      // Its kernels run in their own sessions; their connection files are in its runtime dir.
      for (const pid of processesMentioning(dirs.runtime)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`jupyter-kernel-gateway exited (code ${proc.exitCode}):\n${gateway.log()}`);
    try {
      const res = await fetch(`${url}/api/kernelspecs`, { headers: { Authorization: `token ${token}` }, signal: AbortSignal.timeout(2000) });
      if (res.ok) return gateway;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  await gateway.stop();
  throw new Error(`jupyter-kernel-gateway did not answer within ${START_TIMEOUT_MS} ms:\n${gateway.log()}`);
}

const fmt = (ms) => (ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  TMP = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? os.tmpdir(), 'jlab-alt-gateway-bench-'));
  log(`gateway vs local kernel: ${opts.warmup} warm-up + ${opts.runs} counted runs, ${opts.repeats} executions each; tmp ${TMP}`);
  const roots = {};
  for (const id of ['local', 'gateway']) {
    // runExec writes its notebook (bench_exec.ipynb) there.
    roots[id] = path.join(TMP, id, 'root');
    fs.mkdirSync(roots[id], { recursive: true });
  }
  const gateway = await startGateway({ base: path.join(TMP, 'kernel-gateway'), python: opts.python });
  log(`jupyter-kernel-gateway on ${gateway.url}`);
  const servers = {};
  let browser = null;
  const results = {
    meta: {
      date: new Date().toISOString(),
      nproc: os.availableParallelism?.() ?? os.cpus().length,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      loadavg_start: os.loadavg().map((x) => +x.toFixed(2)),
      runs: opts.runs,
      repeats: opts.repeats,
      warmup: opts.warmup
    },
    runs: { exec: { local: [], gateway: [] }, raw: { local: [], gateway: [] } }
  };
  try {
    servers.local = await startServer('jlab-alt', { root: roots.local, base: path.join(TMP, 'local', 'server'), python: opts.python, log });
    servers.gateway = await startServer('jlab-alt', {
      root: roots.gateway,
      base: path.join(TMP, 'gateway', 'server'),
      python: opts.python,
      extraArgs: [`--GatewayClient.url=${gateway.url}`, `--GatewayClient.auth_token=${gateway.token}`],
      log
    });
    browser = await launchChromium(opts.chromium);
    results.meta.chromium = browser.version();
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      const counted = i >= opts.warmup;
      const order = i % 2 === 0 ? ['local', 'gateway'] : ['gateway', 'local'];
      for (const id of order) {
        const exec = await runExec({ browser, server: servers[id], repeats: opts.repeats });
        const [raw] = await rawExecFloor({ server: servers[id], runs: 1, repeats: opts.repeats });
        log(`  ${id} ${counted ? `run ${i - opts.warmup + 1}` : 'warm-up'}: exec ${fmt(exec.roundtrip_ms)} (min ${fmt(exec.roundtrip_min_ms)}), raw ${fmt(raw)}`);
        if (counted) {
          results.runs.exec[id].push(exec.roundtrip_ms);
          results.runs.raw[id].push(raw);
        }
      }
    }
    // The gateway really ran the remote server's kernels (and only those).
    const res = await fetch(`${gateway.url}/api/kernels`, { headers: { Authorization: `token ${gateway.token}` } });
    results.meta.gateway_kernels_at_end = (await res.json()).length;
  } finally {
    results.meta.loadavg_end = os.loadavg().map((x) => +x.toFixed(2));
    await browser?.close().catch(() => undefined);
    for (const s of Object.values(servers)) await s.stop().catch(() => undefined);
    await gateway.stop();
    killEverythingUnderTmp();
    fs.rmSync(TMP, { recursive: true, force: true });
  }
  results.summary = {};
  const lines = ['| Measure | Local kernel | Through the gateway | Gateway / local |', '|---|---|---|---|'];
  const titles = { exec: '`1+1`: Ctrl+Enter → "2" visible in the app', raw: '`1+1`: raw WebSocket execute_request → execute_result' };
  for (const key of ['exec', 'raw']) {
    const { local, gateway: remote } = results.runs[key];
    const ratio = median(remote) / median(local);
    results.summary[key] = { local_ms: median(local), gateway_ms: median(remote), ratio };
    const cell = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))} – ${fmt(Math.max(...xs))})`;
    lines.push(`| ${titles[key]} | ${cell(local)} | ${cell(remote)} | ${ratio.toFixed(2)}× |`);
  }
  fs.mkdirSync(opts.out, { recursive: true });
  const file = path.join(opts.out, `gateway-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.json`);
  fs.writeFileSync(file, JSON.stringify(results, null, 1));
  console.log(`\nMedians of ${opts.runs} runs (each the median of ${opts.repeats} executions); min – max of the runs:\n`);
  console.log(lines.join('\n'));
  console.log(`\nload average ${results.meta.loadavg_start.join(' ')} → ${results.meta.loadavg_end.join(' ')} on ${results.meta.nproc} cores; results: ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  killEverythingUnderTmp();
  process.exit(1);
});
