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
 * - `serverEnv` (option): environment variables for the server process, applied last
 *   (after the JLAB_ALT_* variables of the developer's shell are dropped), e.g.
 *   `{ JLAB_ALT_TEST_BROKEN: '1' }` or `{ JLAB_ALT_DISABLE: 'server_info' }`.
 * - `jupyterConfig` (option): when not null, written as
 *   `<JUPYTER_CONFIG_DIR>/jlab_alt/extensions.json` before the server starts, as
 *   `jlab-alt extension disable` does: `{ disabledExtensions: ['server_info'] }`.
 * - `configFiles` (option): any files to write under JUPYTER_CONFIG_DIR before the
 *   server starts (same format as `rootFiles`).
 * - `dataFiles` (option): files to write under JUPYTER_DATA_DIR before the server
 *   starts (same format as `rootFiles`), e.g. a kernelspec `kernels/<name>/kernel.json`.
 * - `jlabAltCommands` (option): `jlab-alt` command lines run, in order, with the
 *   server's environment (its JUPYTER_CONFIG_DIR...) before the server starts, e.g.
 *   `[['extension', 'disable', 'server_info']]`; one that fails fails the test.
 * - `server`: the running server: its URLs, token, root folder, config folder,
 *   environment and helpers (`runJlabAlt`, `restart`).
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
  /** The server's JUPYTER_CONFIG_DIR (where `jlab_alt/extensions.json` lives). */
  configDir: string;
  /** The environment the server runs with (JUPYTER_CONFIG_DIR etc., plus `serverEnv`). */
  env: NodeJS.ProcessEnv;
  /**
   * Run `jlab-alt <args>` with the server's environment (e.g. `['extension', 'enable',
   * 'server_info']`); resolves with its output, rejects when it exits non-zero.
   */
  runJlabAlt(args: string[]): Promise<string>;
  /**
   * Stop the server (shutting its kernels down) and start it again with the same
   * root, config and token, on the same port when it is still free (`origin` and
   * `appUrl` follow otherwise). Pages must load the app again afterwards.
   */
  restart(): Promise<void>;
}

/** Files to create in JUPYTER_CONFIG_DIR before the server starts (as {@link RootFiles}). */
export type ConfigFiles = RootFiles;

/** Where `jlab-alt` keeps its list of disabled extensions, relative to JUPYTER_CONFIG_DIR. */
export const EXTENSIONS_CONFIG = 'jlab_alt/extensions.json';

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
export async function freePort(): Promise<number> {
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

export function writeTree(root: string, files: RootFiles): void {
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

export function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

/** Resolves true when `proc` exits within `ms`, false otherwise. */
export function waitForExit(proc: ChildProcess, ms: number): Promise<boolean> {
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
export function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/**
 * Pids of the processes whose command line or environment mentions `marker` (our
 * unique runtime folder): kernels run in their own sessions with
 * `-f <runtime>/kernel-*.json`, and terminado's shells in their own sessions with the
 * server's environment (JUPYTER_RUNTIME_DIR), so both are outside the server's
 * process group.
 */
export function processesMentioning(marker: string): number[] {
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
      if (cmdline.includes(marker) || fs.readFileSync(`/proc/${entry}/environ`, 'utf8').includes(marker)) {
        pids.push(Number(entry));
      }
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
async function startServer(opts: {
  root: string;
  token: string;
  env: NodeJS.ProcessEnv;
  /** Try this port first (a restart keeps its origin); a taken one falls back to a free port. */
  port?: number;
}): Promise<Started> {
  let lastError = '';
  // A free port can be taken by someone else before the server binds it:
  // port_retries=0 makes that a quick exit, and we try another port.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = attempt === 0 && opts.port ? opts.port : await freePort();
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

/** Run `jlab-alt <args>` with `env`; resolves with its output, rejects with it on a non-zero exit. */
function runJlabAlt(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn('jlab-alt', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    proc.stdout!.on('data', (d: Buffer) => chunks.push(d.toString()));
    proc.stderr!.on('data', (d: Buffer) => chunks.push(d.toString()));
    const timer = setTimeout(() => proc.kill('SIGKILL'), STARTUP_TIMEOUT_MS);
    proc.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Could not run jlab-alt ${args.join(' ')}: ${err}`));
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const output = chunks.join('');
      if (code === 0) resolve(output);
      else reject(new Error(`jlab-alt ${args.join(' ')} exited (code ${code}, signal ${signal}):\n${output}`));
    });
  });
}

/** Stop a server started by {@link startServer} and everything in its process group. */
async function stopServer(proc: ChildProcess): Promise<void> {
  // SIGTERM: jupyter_server shuts its kernels down and exits; then make sure.
  // (Only while it runs: a reaped leader's pid must not be signalled again.)
  if (!exited(proc)) {
    killGroup(proc.pid!, 'SIGTERM');
    if (!(await waitForExit(proc, SHUTDOWN_TIMEOUT_MS))) killGroup(proc.pid!, 'SIGKILL');
    await waitForExit(proc, SHUTDOWN_TIMEOUT_MS);
  }
  // Anything left in its group: a pgid stays reserved while any member lives.
  killGroup(proc.pid!, 'SIGKILL');
}

interface Fixtures {
  rootFiles: RootFiles;
  serverEnv: Record<string, string>;
  jupyterConfig: Record<string, unknown> | null;
  configFiles: ConfigFiles;
  dataFiles: RootFiles;
  jlabAltCommands: string[][];
  server: JlabAltServer;
  pageErrors: string[];
}

export const test = base.extend<Fixtures>({
  rootFiles: [{}, { option: true }],
  serverEnv: [{}, { option: true }],
  jupyterConfig: [null, { option: true }],
  configFiles: [{}, { option: true }],
  dataFiles: [{}, { option: true }],
  jlabAltCommands: [[], { option: true }],

  server: async ({ rootFiles, serverEnv, jupyterConfig, configFiles, dataFiles, jlabAltCommands }, use, testInfo) => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jlab-alt-ui-'));
    const root = path.join(base, 'root');
    const dirs = { config: path.join(base, 'config'), data: path.join(base, 'data'), runtime: path.join(base, 'runtime') };
    for (const dir of [root, ...Object.values(dirs)]) fs.mkdirSync(dir, { recursive: true });
    writeTree(root, rootFiles);
    writeTree(dirs.data, dataFiles);
    const token = randomBytes(24).toString('hex');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JUPYTER_CONFIG_DIR: dirs.config,
      JUPYTER_DATA_DIR: dirs.data,
      JUPYTER_RUNTIME_DIR: dirs.runtime,
      JUPYTER_PLATFORM_DIRS: '1',
      IPYTHONDIR: path.join(base, 'ipython'),
      HOME: process.env.HOME ?? base,
      PYTHONUNBUFFERED: '1',
      // terminado runs $SHELL, else `sh` (dash on Debian, which has no readline): CI
      // machines may not set it, and the terminal tests are about bash's line editing.
      SHELL: '/bin/bash'
    };
    // Nothing from the developer's shell may change what the server loads.
    for (const name of Object.keys(env)) if (name.startsWith('JLAB_ALT_') && name !== 'JLAB_ALT_CORPUS') delete env[name];
    delete env.JUPYTER_TOKEN;
    delete env.JUPYTER_PATH;
    delete env.JUPYTER_CONFIG_PATH;
    // The test's own variables win over everything above.
    Object.assign(env, serverEnv);
    const configDir = env.JUPYTER_CONFIG_DIR!;
    fs.mkdirSync(configDir, { recursive: true });
    writeTree(configDir, configFiles);
    if (jupyterConfig) writeTree(configDir, { [EXTENSIONS_CONFIG]: JSON.stringify(jupyterConfig, null, 2) + '\n' });

    // Output of earlier server runs (before a restart), then of the current one.
    let previousOutput = '';
    let started: Started;
    try {
      for (const args of jlabAltCommands) await runJlabAlt(args, env, root);
      started = await startServer({ root, token, env });
    } catch (err) {
      fs.rmSync(base, { recursive: true, force: true });
      throw err;
    }
    const output = () => previousOutput + started.output();
    let stoppedForRestart = false;
    const originOf = (port: number) => `http://127.0.0.1:${port}`;
    const server: JlabAltServer = {
      origin: originOf(started.port),
      port: started.port,
      token,
      root,
      appUrl: (treePath = '') =>
        `${server.origin}/jlab-alt${treePath ? '/tree/' + treePath.split('/').map(encodeURIComponent).join('/') : ''}?token=${token}`,
      write: (relPath, content = '') => {
        const target = path.join(root, relPath);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, content);
        return target;
      },
      log: output,
      configDir,
      env,
      runJlabAlt: (args) => runJlabAlt(args, env, root),
      restart: async () => {
        if (exited(started.proc)) {
          throw new Error(`jlab-alt exited before the restart (code ${started.proc.exitCode}). Its output:\n${output()}`);
        }
        const stopped = started;
        await stopServer(stopped.proc);
        previousOutput += `${stopped.output()}\n----- jlab-alt restarted -----\n`;
        // A failed start throws here (with its output); the stopped server did not "die early".
        stoppedForRestart = true;
        started = { ...stopped, output: () => '' };
        started = await startServer({ root, token, env, port: stopped.port });
        stoppedForRestart = false;
        server.port = started.port;
        server.origin = originOf(started.port);
      }
    };
    let serverDiedEarly = '';
    try {
      await use(server);
    } finally {
      const { proc } = started;
      if (exited(proc) && !stoppedForRestart) {
        serverDiedEarly = `jlab-alt exited during the test (code ${proc.exitCode}, signal ${proc.signalCode})`;
      }
      await stopServer(proc);
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
