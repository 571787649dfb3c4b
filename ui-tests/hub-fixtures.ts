/**
 * Launch helpers for the deployment tests: a real JupyterHub (with
 * configurable-http-proxy from node_modules, the dummy authenticator and the
 * SimpleLocalProcessSpawner running `jupyterhub-singleuser`, which loads jlab-alt),
 * and jupyter-kernel-gateway for `--gateway-url`. Everything listens on 127.0.0.1 on
 * free ports, with its own temporary folders; nothing of the developer's Jupyter
 * config is read.
 *
 * Cleanup: every process started here (the hub, its proxy, single-user servers,
 * kernels, the gateway and its kernels) carries the environment variable
 * JLAB_ALT_TEST_MARKER=<its temporary folder>; `stop()` asks politely (SIGTERM), then
 * kills every process still carrying the marker, so a failing test leaves no orphans.
 *
 * Fixtures (`hubTest`): `hub`, one JupyterHub per worker (tests use different users).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exited, freePort, gotoApp, killGroup, processesMentioning, waitForExit } from './fixtures';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const STARTUP_TIMEOUT_MS = 60_000;

/** The password of every user of the test hub (the dummy authenticator's shared password). */
export const HUB_PASSWORD = 'jlab-alt-test-password';

/** Pids of processes whose environment holds `JLAB_ALT_TEST_MARKER=<marker>`. */
function processesMarked(marker: string): number[] {
  const needle = `JLAB_ALT_TEST_MARKER=${marker}\0`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) pids.push(Number(entry));
    } catch {
      /* exited meanwhile, or not ours to read */
    }
  }
  return pids;
}

/** SIGKILL every process carrying `marker` in its environment or command line. */
function killMarked(marker: string): void {
  for (const pid of new Set([...processesMarked(marker), ...processesMentioning(marker)])) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/** A child process with its output collected. */
interface Child {
  proc: ChildProcess;
  output: () => string;
}

function launch(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  const chunks: string[] = [];
  const proc = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d: Buffer) => chunks.push(d.toString()));
  proc.stderr!.on('data', (d: Buffer) => chunks.push(d.toString()));
  proc.on('error', (err) => chunks.push(`\n[spawn error] ${err}\n`));
  return { proc, output: () => chunks.join('') };
}

/** Poll `url` until it answers 200 or `child` exits; throws with its output. */
async function waitForHttp(url: string, child: Child, what: string, init: RequestInit = {}): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited(child.proc)) break;
    try {
      const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(3000) });
      // Not just any answer: the proxy answers 404 until the hub has added its route.
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer ${url} (exit code ${child.proc.exitCode}). Its output:\n${child.output()}`);
}

/** Stop a launched process group: SIGTERM, then SIGKILL after `ms`. */
async function stopChild(child: Child, ms = 15_000): Promise<void> {
  if (!exited(child.proc)) {
    killGroup(child.proc.pid!, 'SIGTERM');
    if (!(await waitForExit(child.proc, ms))) killGroup(child.proc.pid!, 'SIGKILL');
    await waitForExit(child.proc, 5000);
  }
  killGroup(child.proc.pid!, 'SIGKILL');
}

/** The environment of a test process: the suite's PATH and Python, temporary Jupyter folders, the marker. */
function isolatedEnv(base: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(base, 'config'),
    JUPYTER_DATA_DIR: path.join(base, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(base, 'runtime'),
    JUPYTER_PLATFORM_DIRS: '1',
    IPYTHONDIR: path.join(base, 'ipython'),
    PYTHONUNBUFFERED: '1',
    JLAB_ALT_TEST_MARKER: base
  };
  for (const name of Object.keys(env)) {
    if (name.startsWith('JLAB_ALT_') && name !== 'JLAB_ALT_CORPUS' && name !== 'JLAB_ALT_TEST_MARKER') delete env[name];
    if (name.startsWith('JUPYTERHUB_')) delete env[name];
  }
  delete env.JUPYTER_TOKEN;
  delete env.JUPYTER_PATH;
  delete env.JUPYTER_CONFIG_PATH;
  delete env.JUPYTER_GATEWAY_URL;
  for (const dir of ['config', 'data', 'runtime', 'ipython']) fs.mkdirSync(path.join(base, dir), { recursive: true });
  return env;
}

/** Python string literal (JSON is a subset for the strings we write). */
const py = (value: unknown) => JSON.stringify(value);

// ---------------------------------------------------------------------------
// JupyterHub

export interface Hub {
  /** `http://127.0.0.1:<port>`: the proxy's public address. */
  origin: string;
  /** The hub's log (hub, proxy and single-user servers). */
  log(): string;
  /** The folder a user's server runs in (created on demand): write notebooks here before it starts. */
  home(user: string): string;
  /** Call the hub's REST API (`/hub/api/<path>`) as an admin service. Resolves with the response. */
  api(method: string, apiPath: string, body?: unknown): Promise<Response>;
  /** `/user/<escaped name>/` (plus `<server>/` for a named server), as the hub escapes names. */
  userPrefix(user: string, server?: string): string;
  /** Wait until the user's server (or named server) has stopped, according to the hub. */
  waitForStopped(user: string, server?: string): Promise<void>;
  /** Wait until the user's server (or named server) is ready, according to the hub. */
  waitForReady(user: string, server?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The hub escapes user names in URLs with Python's `urllib.parse.quote(name, safe='@~')`
 * (jupyterhub/utils.py `url_escape_path`): `ana+b` -> `ana%2Bb`, `a@b.c` stays.
 */
export function hubEscape(name: string): string {
  return encodeURIComponent(name).replace(/%40/g, '@').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Start a JupyterHub whose default URL is jlab-alt, with named servers allowed. */
export async function startHub(): Promise<Hub> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jlab-alt-hub-'));
  const env = isolatedEnv(base);
  const [publicPort, apiPort, hubPort] = [await freePort(), await freePort(), await freePort()];
  const apiToken = randomBytes(24).toString('hex');
  const homes = path.join(base, 'home');
  fs.mkdirSync(homes);
  const singleuser = path.join(path.dirname(process.execPath), 'jupyterhub-singleuser');
  const venvSingleuser = path.join(REPO, '.venv', 'bin', 'jupyterhub-singleuser');
  const chp = path.join(REPO, 'node_modules', '.bin', 'configurable-http-proxy');
  if (!fs.existsSync(chp)) throw new Error(`${chp} is missing: run npm ci (configurable-http-proxy is a devDependency)`);
  const isRoot = process.getuid?.() === 0;
  const config = `
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = ${publicPort}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = ${hubPort}
c.JupyterHub.db_url = ${py(`sqlite:///${path.join(base, 'jupyterhub.sqlite')}`)}
c.JupyterHub.cookie_secret_file = ${py(path.join(base, 'cookie_secret'))}
c.JupyterHub.pid_file = ${py(path.join(base, 'jupyterhub.pid'))}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:${apiPort}"
c.ConfigurableHTTPProxy.command = [${py(chp)}]
c.ConfigurableHTTPProxy.pid_file = ${py(path.join(base, 'proxy.pid'))}
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = ${py(HUB_PASSWORD)}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = ${py(path.join(homes, '{username}'))}
c.Spawner.cmd = [${py(fs.existsSync(venvSingleuser) ? venvSingleuser : singleuser)}]
c.Spawner.default_url = "/jlab-alt"
c.Spawner.args = ${isRoot ? '["--allow-root"]' : '[]'}
c.Spawner.start_timeout = 90
c.Spawner.http_timeout = 90
c.Spawner.environment = {
    "JUPYTER_CONFIG_DIR": ${py(env.JUPYTER_CONFIG_DIR)},
    "JUPYTER_DATA_DIR": ${py(env.JUPYTER_DATA_DIR)},
    "JUPYTER_RUNTIME_DIR": ${py(env.JUPYTER_RUNTIME_DIR)},
    "JUPYTER_PLATFORM_DIRS": "1",
    "IPYTHONDIR": ${py(env.IPYTHONDIR)},
    "JLAB_ALT_TEST_MARKER": ${py(base)},
    "PYTHONUNBUFFERED": "1",
}
c.JupyterHub.allow_named_servers = True
c.JupyterHub.services = [{"name": "jlab-alt-tests", "api_token": ${py(apiToken)}}]
c.JupyterHub.load_roles = [
    {"name": "jlab-alt-tests", "scopes": ["admin:users", "admin:servers"], "services": ["jlab-alt-tests"]},
]
`;
  const configFile = path.join(base, 'jupyterhub_config.py');
  fs.writeFileSync(configFile, config);
  const hub = launch('jupyterhub', ['-f', configFile], env, base);
  const origin = `http://127.0.0.1:${publicPort}`;
  const api: Hub['api'] = (method, apiPath, body) =>
    fetch(`${origin}/hub/api/${apiPath.replace(/^\//, '')}`, {
      method,
      headers: { Authorization: `token ${apiToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000)
    });
  const stop = async () => {
    // The hub stops the servers it spawned and its proxy on SIGTERM; anything left is killed.
    await stopChild(hub, 30_000);
    killMarked(base);
    fs.rmSync(base, { recursive: true, force: true });
  };
  try {
    await waitForHttp(`${origin}/hub/api/`, hub, 'JupyterHub');
  } catch (err) {
    await stop();
    throw err;
  }
  const serverState = async (user: string, server: string) => {
    const res = await api('GET', `users/${encodeURIComponent(user)}`);
    const model = (await res.json()) as { servers?: Record<string, { ready?: boolean }> };
    const found = model.servers?.[server];
    return found ? (found.ready ? 'ready' : 'pending') : 'stopped';
  };
  const userPrefix = (user: string, server = '') => `/user/${hubEscape(user)}/${server ? `${hubEscape(server)}/` : ''}`;
  return {
    origin,
    log: hub.output,
    home: (user) => {
      const dir = path.join(homes, user);
      fs.mkdirSync(dir, { recursive: true });
      return dir;
    },
    api,
    userPrefix,
    waitForStopped: async (user, server = '') => {
      await expect.poll(() => serverState(user, server), { timeout: 60_000 }).toBe('stopped');
    },
    waitForReady: async (user, server = '') => {
      await expect.poll(() => serverState(user, server), { timeout: 120_000 }).toBe('ready');
    },
    stop
  };
}

/**
 * Log in through the hub's form as `user` and wait for the app at `<userPrefix>jlab-alt`
 * to have started (the hub spawns the server and redirects there).
 */
export async function loginThroughHub(page: Page, hub: Hub, user: string): Promise<void> {
  await page.goto(`${hub.origin}/hub/login`);
  await page.locator('input[name="username"]').fill(user);
  await page.locator('input[name="password"]').fill(HUB_PASSWORD);
  await page.locator('form [type="submit"]').click();
  // Spawning takes a while on a loaded machine; the hub shows its progress page meanwhile.
  await page.waitForURL((url) => url.pathname === `${hub.userPrefix(user)}jlab-alt`, { timeout: 120_000 });
  await page.waitForFunction(() => document.body.dataset.jaState === 'ready', undefined, { timeout: 60_000 });
  await page.evaluate(async () => {
    await (window as unknown as { jlabAlt: { started: Promise<void> } }).jlabAlt.started;
  });
}

export { gotoApp };

/** Playwright test with a worker-scoped `hub`. */
export const hubTest = base.extend<{ pageErrors: string[] }, { hub: Hub }>({
  hub: [
    async ({}, use) => {
      const hub = await startHub();
      try {
        await use(hub);
      } finally {
        await hub.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 }
  ],
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(`page error: ${err.stack ?? err.message}`));
    await use(errors);
  }
});

// ---------------------------------------------------------------------------
// Jupyter Kernel Gateway

export interface Gateway {
  /** `http://127.0.0.1:<port>` */
  url: string;
  token: string;
  log(): string;
  /** Kill the gateway process at once (SIGKILL), as a crash would; its kernels are killed too. */
  kill(): Promise<void>;
  /** Start the gateway again on the same port (after {@link kill}). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Start jupyter-kernel-gateway on 127.0.0.1 with a token and kernel listing on. */
export async function startGateway(): Promise<Gateway> {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jlab-alt-gateway-'));
  const env = isolatedEnv(base);
  const port = await freePort();
  const token = randomBytes(24).toString('hex');
  const url = `http://127.0.0.1:${port}`;
  let child: Child | null = null;
  let previous = '';
  const start = async () => {
    child = launch(
      'jupyter',
      [
        'kernelgateway',
        '--KernelGatewayApp.ip=127.0.0.1',
        `--KernelGatewayApp.port=${port}`,
        '--KernelGatewayApp.port_retries=0',
        `--KernelGatewayApp.auth_token=${token}`,
        '--JupyterWebsocketPersonality.list_kernels=True'
      ],
      env,
      base
    );
    await waitForHttp(`${url}/api/kernelspecs`, child, 'jupyter-kernel-gateway', {
      headers: { Authorization: `token ${token}` }
    });
  };
  const kill = async () => {
    if (!child) return;
    killGroup(child.proc.pid!, 'SIGKILL');
    await waitForExit(child.proc, 10_000);
    previous += child.output() + '\n----- gateway killed -----\n';
    child = null;
    // Kernels run in their own sessions: a crashed gateway's kernels are gone too.
    killMarked(base);
  };
  const stop = async () => {
    if (child) await stopChild(child);
    killMarked(base);
    fs.rmSync(base, { recursive: true, force: true });
  };
  try {
    await start();
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, token, log: () => previous + ((child as Child | null)?.output() ?? ''), kill, start, stop };
}
