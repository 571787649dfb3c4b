/**
 * Playwright fixtures for jlab-alt's browser tests.
 *
 * Every test gets its own real `jlab-alt` server (a subprocess) on a free port with
 * a random token, a fresh root folder, and its own JUPYTER_CONFIG_DIR, _DATA_DIR and
 * _RUNTIME_DIR, so saved user settings never leak between tests and the developer's
 * own Jupyter config is never read. Fixtures:
 *
 * - `rootFiles` (option): files and folders written into the root before the server
 *   starts: `{ 'a.txt': 'text', 'sub/': '', 'sub/b.txt': Buffer }` (a key ending in
 *   "/" is a folder). Set it with `test.use({ rootFiles: {...} })`.
 * - `server`: the running server: its URLs, token, root folder and helpers.
 * - `pageErrors`: console errors and uncaught page errors of `page`, collected from
 *   before the first navigation.
 * - `page`: a page with the app loaded at `/jlab-alt?token=...` and started
 *   (`document.body.dataset.jaState === 'ready'`).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Files to create in the server root before it starts ("dir/" keys are folders). */
export type RootFiles = Record<string, string | Buffer>;

export interface JlabAltServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  token: string;
  /** The server's root folder (absolute). */
  root: string;
  /** The app URL with the token: `<origin>/jlab-alt` or `<origin>/jlab-alt/tree/<treePath>`. */
  appUrl(treePath?: string): string;
  /** Write a file under the root (creating its folders); `content` defaults to "". */
  write(relPath: string, content?: string | Buffer): string;
  /** Everything the server printed so far. */
  log(): string;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The project's corpus of real notebooks: $JLAB_ALT_CORPUS, else `shared/corpus/notebooks`
 * beside the repository (where the workplace and CI put `shared/`).
 */
export const CORPUS_NOTEBOOKS =
  process.env.JLAB_ALT_CORPUS ?? path.resolve(HERE, '..', '..', 'shared', 'corpus', 'notebooks');

/** The bytes of a corpus notebook; a missing corpus is an error that says where it looked. */
export function corpusNotebook(name: string): Buffer {
  const file = path.join(CORPUS_NOTEBOOKS, name);
  if (!fs.existsSync(file)) {
    throw new Error(`Corpus notebook ${file} is missing: put shared/ beside the repository or set JLAB_ALT_CORPUS.`);
  }
  return fs.readFileSync(file);
}

const STARTUP_TIMEOUT_MS = 45_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

/** A TCP port free right now on 127.0.0.1 (bind port 0, read it, close). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function writeTree(root: string, files: RootFiles): void {
  for (const [rel, content] of Object.entries(files)) {
    const target = path.join(root, rel);
    if (rel.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
    } else {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

/** Resolves true when `proc` exits within `ms`, false otherwise. */
function waitForExit(proc: ChildProcess, ms: number): Promise<boolean> {
  if (exited(proc)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(exited(proc)), ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Send `signal` to the process group `pgid` (the server and its children), ignoring "already gone". */
function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Pids of the processes whose command line mentions `marker` (our unique runtime
 * folder): kernels run in their own sessions with `-f <runtime>/kernel-*.json`, so
 * they are outside the server's process group.
 */
function processesMentioning(marker: string): number[] {
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes(marker)) pids.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return pids;
}

interface Started {
  proc: ChildProcess;
  port: number;
  output: () => string;
}

/** Start `jlab-alt` and wait until GET /api/status answers 200 (or fail with its log). */
async function startServer(opts: { root: string; token: string; env: NodeJS.ProcessEnv }): Promise<Started> {
  let lastError = '';
  // A free port can be taken by someone else before the server binds it:
  // port_retries=0 makes that a quick exit, and we try another port.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const chunks: string[] = [];
    const proc = spawn(
      'jlab-alt',
      [
        '--no-browser',
        '--allow-root',
        `--IdentityProvider.token=${opts.token}`,
        `--ServerApp.root_dir=${opts.root}`,
        `--ServerApp.port=${port}`,
        '--ServerApp.port_retries=0',
        '--ServerApp.ip=127.0.0.1'
      ],
      { cwd: opts.root, env: opts.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    const collect = (data: Buffer) => chunks.push(data.toString());
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    let spawnError: Error | null = null;
    proc.on('error', (err) => (spawnError = err));
    const output = () => chunks.join('');
    const status = `http://127.0.0.1:${port}/api/status?token=${opts.token}`;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (spawnError) throw new Error(`Could not run jlab-alt (is it installed and on PATH?): ${spawnError}`);
      if (exited(proc)) break;
      try {
        const res = await fetch(status, { signal: AbortSignal.timeout(2000) });
        if (res.ok) return { proc, port, output };
      } catch {
        /* not listening yet */
      }
      await sleep(100);
    }
    if (!exited(proc)) {
      killGroup(proc.pid!, 'SIGKILL');
      await waitForExit(proc, SHUTDOWN_TIMEOUT_MS);
      throw new Error(`jlab-alt did not answer ${status} within ${STARTUP_TIMEOUT_MS} ms. Its output:\n${output()}`);
    }
    lastError = `jlab-alt exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it was ready. Its output:\n${output()}`;
    if (!/address already in use|Errno 98/i.test(output())) break;
  }
  throw new Error(lastError);
}

/** Load the app in `page` at `url` and wait until it has started. */
export async function gotoApp(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
  await page.evaluate(async () => {
    await (window as unknown as { jlabAlt: { started: Promise<void> } }).jlabAlt.started;
  });
}

/** Run a command by typing `query` into the command palette and pressing Enter on the first match. */
export async function runFromPalette(page: Page, query: string, expectedCommand: string): Promise<void> {
  await page.keyboard.press('Control+Shift+C');
  const palette = page.getByTestId('command-palette');
  await expect(palette).toBeVisible();
  await page.getByTestId('command-palette-input').fill(query);
  await expect(palette.getByTestId('command-palette-item').first()).toHaveAttribute('data-command', expectedCommand);
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
}

interface Fixtures {
  rootFiles: RootFiles;
  server: JlabAltServer;
  pageErrors: string[];
}

export const test = base.extend<Fixtures>({
  rootFiles: [{}, { option: true }],

  server: async ({ rootFiles }, use, testInfo) => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jlab-alt-ui-'));
    const root = path.join(base, 'root');
    const dirs = { config: path.join(base, 'config'), data: path.join(base, 'data'), runtime: path.join(base, 'runtime') };
    for (const dir of [root, ...Object.values(dirs)]) fs.mkdirSync(dir, { recursive: true });
    writeTree(root, rootFiles);
    const token = randomBytes(24).toString('hex');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JUPYTER_CONFIG_DIR: dirs.config,
      JUPYTER_DATA_DIR: dirs.data,
      JUPYTER_RUNTIME_DIR: dirs.runtime,
      JUPYTER_PLATFORM_DIRS: '1',
      IPYTHONDIR: path.join(base, 'ipython'),
      HOME: process.env.HOME ?? base,
      PYTHONUNBUFFERED: '1'
    };
    // Nothing from the developer's shell may change what the server loads.
    for (const name of Object.keys(env)) if (name.startsWith('JLAB_ALT_') && name !== 'JLAB_ALT_CORPUS') delete env[name];
    delete env.JUPYTER_TOKEN;
    delete env.JUPYTER_PATH;
    delete env.JUPYTER_CONFIG_PATH;

    let started: Started;
    try {
      started = await startServer({ root, token, env });
    } catch (err) {
      fs.rmSync(base, { recursive: true, force: true });
      throw err;
    }
    const { proc, port, output } = started;
    const origin = `http://127.0.0.1:${port}`;
    const server: JlabAltServer = {
      origin,
      port,
      token,
      root,
      appUrl: (treePath = '') =>
        `${origin}/jlab-alt${treePath ? '/tree/' + treePath.split('/').map(encodeURIComponent).join('/') : ''}?token=${token}`,
      write: (relPath, content = '') => {
        const target = path.join(root, relPath);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
        return target;
      },
      log: output
    };
    let serverDiedEarly = '';
    try {
      await use(server);
    } finally {
      // SIGTERM: jupyter_server shuts its kernels down and exits; then make sure.
      // (Only while it runs: a reaped leader's pid must not be signalled again.)
      if (!exited(proc)) {
        killGroup(proc.pid!, 'SIGTERM');
        if (!(await waitForExit(proc, SHUTDOWN_TIMEOUT_MS))) killGroup(proc.pid!, 'SIGKILL');
        await waitForExit(proc, SHUTDOWN_TIMEOUT_MS);
      } else {
        serverDiedEarly = `jlab-alt exited during the test (code ${proc.exitCode}, signal ${proc.signalCode})`;
      }
      // Anything left in its group: a pgid stays reserved while any member lives.
      killGroup(proc.pid!, 'SIGKILL');
      for (const pid of processesMentioning(dirs.runtime)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      if (testInfo.status !== testInfo.expectedStatus || serverDiedEarly) {
        await testInfo.attach('server.log', {
          body: (serverDiedEarly ? `${serverDiedEarly}\n\n` : '') + output(),
          contentType: 'text/plain'
        });
      }
      fs.rmSync(base, { recursive: true, force: true });
    }
    // A server that dies under a test is a failure even if the test's checks passed.
    if (serverDiedEarly) throw new Error(`${serverDiedEarly}. Its output:\n${output()}`);
  },

  pageErrors: async ({}, use) => {
    await use([]);
  },

  page: async ({ page, server, pageErrors }, use, testInfo) => {
    const consoleLines: string[] = [];
    page.on('console', (msg) => {
      consoleLines.push(`[${msg.type()}] ${msg.text()}`);
      if (msg.type() === 'error') pageErrors.push(`console.error: ${msg.text()} (${msg.location().url})`);
    });
    page.on('pageerror', (err) => pageErrors.push(`page error: ${err.stack ?? err.message}`));
    await gotoApp(page, server.appUrl());
    await use(page);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('console.log', { body: consoleLines.join('\n'), contentType: 'text/plain' });
    }
  }
});

export { expect };
