/**
 * Playwright fixtures for jlab-alt's browser tests.
 *
 * Every test gets its own real `jlab-alt` server, started by the project's one
 * launcher (`python -m jlab_alt.testing serve --json`, the same as the pytest plugin's
 * and the benchmarks'): a port the server picks itself, a random token, a fresh root
 * folder, and its own JUPYTER_CONFIG_DIR, _DATA_DIR and _RUNTIME_DIR, so saved user
 * settings never leak between tests and the developer's own Jupyter config is never
 * read; closing the launcher's input stops the server with its kernels and terminals.
 * Fixtures:
 *
 * - `rootFiles` (option): files and folders written into the root before the server
 *   starts: `{ 'a.txt': 'text', 'sub/': '', 'sub/b.txt': Buffer }` (a key ending in
 *   "/" is a folder). Set it with `test.use({ rootFiles: {...} })`.
 * - `serverEnv` (option): environment variables for the server process, applied last
 *   (after the launcher drops the developer's JLAB_ALT_* and Jupyter path variables), e.g.
 *   `{ JLAB_ALT_TEST_BROKEN: '1' }` or `{ JLAB_ALT_DISABLE: 'server_info' }`.
 * - `jupyterConfig` (option): when not null, written as
 *   `<JUPYTER_CONFIG_DIR>/jlab_alt/extensions.json` before the server starts, as
 *   `jlab-alt extension disable` does: `{ disabledExtensions: ['server_info'] }`.
 * - `configFiles` (option): any files to write under JUPYTER_CONFIG_DIR before the
 *   server starts (same format as `rootFiles`).
 * - `dataFiles` (option): files to write under JUPYTER_DATA_DIR before the server
 *   starts (same format as `rootFiles`), e.g. a kernelspec `kernels/<name>/kernel.json`.
 * - `serverCommandPrefix` (option): a command the server runs under, which execs the
 *   rest, e.g. `['prlimit', '--fsize=262144:unlimited', '--']` (a file size limit).
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
   * `appUrl` follow otherwise): the launcher's `restart` command. Pages must load the
   * app again afterwards, or reconnect by themselves (same origin).
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

// The launcher waits up to 60 s for the server (jlab_alt.testing.server.STARTUP_TIMEOUT).
const LAUNCHER_TIMEOUT_MS = 90_000;
const SHUTDOWN_TIMEOUT_MS = 20_000;

/**
 * The Python that runs the launcher: $JLAB_ALT_PYTHON, else `python3` on PATH (the
 * project's virtualenv, where `jlab-alt` is installed, in scripts/test.sh and CI).
 */
export const LAUNCHER_PYTHON = process.env.JLAB_ALT_PYTHON ?? 'python3';

/** A TCP port free right now on 127.0.0.1 (bind port 0, read it, close): for JupyterHub's ports. */
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

/** The JSON line `python -m jlab_alt.testing serve --json` prints (RunningServer.info). */
interface LaunchedServer {
  url: string;
  base: string;
  token: string;
  port: number;
  root: string;
  /** The server's log file (its stdout and stderr, across restarts). */
  log: string;
  pid: number;
  config_dir: string;
  runtime_dir: string;
  env: Record<string, string>;
}

/**
 * A running launcher (`python -m jlab_alt.testing serve --json`) and the server it
 * started. Commands go to its standard input, one a line; it answers `restart` with a
 * new JSON line, and stops the server when its input closes.
 */
class Launcher {
  readonly proc: ChildProcess;
  info!: LaunchedServer;
  private stdout = '';
  private stderr = '';
  private waiting: (() => void) | null = null;
  private spawnError: Error | null = null;
  private stopping = false;

  constructor(args: string[], cwd: string) {
    this.proc = spawn(LAUNCHER_PYTHON, ['-m', 'jlab_alt.testing', 'serve', '--json', ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe']
    });
    this.proc.stdout!.on('data', (d: Buffer) => {
      this.stdout += d.toString();
      this.waiting?.();
    });
    this.proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.on('error', (err) => {
      this.spawnError = err;
      this.waiting?.();
    });
    this.proc.on('exit', () => this.waiting?.());
    // An EPIPE once it has exited is reported through exited(), not as a crash here.
    this.proc.stdin!.on('error', () => {});
  }

  /** Wait for the launcher's next JSON line (the server answers), or fail with its output. */
  async next(what: string): Promise<LaunchedServer> {
    const deadline = Date.now() + LAUNCHER_TIMEOUT_MS;
    for (;;) {
      const newline = this.stdout.indexOf('\n');
      if (newline >= 0) {
        const line = this.stdout.slice(0, newline);
        this.stdout = this.stdout.slice(newline + 1);
        this.info = JSON.parse(line) as LaunchedServer;
        return this.info;
      }
      if (this.spawnError) throw new Error(`Could not run ${LAUNCHER_PYTHON} -m jlab_alt.testing (is jlab-alt installed?): ${this.spawnError}`);
      if (exited(this.proc) || Date.now() > deadline) {
        await this.stop();
        throw new Error(`jlab-alt did not ${what} (launcher exit code ${this.proc.exitCode}):\n${this.stderr}`);
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()) + 10);
      });
      clearTimeout(timer);
      this.waiting = null;
    }
  }

  /** Restart the server (the launcher's `restart` command) and wait until it answers again. */
  async restart(): Promise<LaunchedServer> {
    if (exited(this.proc)) throw new Error(`jlab-alt exited before the restart:\n${this.stderr}`);
    this.proc.stdin!.write('restart\n');
    return this.next('answer after its restart');
  }

  /** True when the launcher exited without being told to stop (the server died under the test). */
  diedEarly(): boolean {
    return exited(this.proc) && !this.stopping;
  }

  /** What the launcher printed on stderr (why the server could not start, or died). */
  errors(): string {
    return this.stderr;
  }

  /** Stop the server with its kernels and terminals (close the launcher's input); kill what is left. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (exited(this.proc)) return;
    this.proc.stdin!.end();
    if (await waitForExit(this.proc, SHUTDOWN_TIMEOUT_MS)) return;
    // A launcher that does not finish its clean-up: kill it, the server's process group
    // and its kernels and terminals (their own sessions, found by the runtime folder).
    this.proc.kill('SIGKILL');
    await waitForExit(this.proc, SHUTDOWN_TIMEOUT_MS);
    if (this.info) {
      killGroup(this.info.pid, 'SIGKILL');
      for (const pid of processesMentioning(this.info.runtime_dir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
  }
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
    const timer = setTimeout(() => proc.kill('SIGKILL'), LAUNCHER_TIMEOUT_MS);
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

interface Fixtures {
  rootFiles: RootFiles;
  serverEnv: Record<string, string>;
  jupyterConfig: Record<string, unknown> | null;
  configFiles: ConfigFiles;
  dataFiles: RootFiles;
  jlabAltCommands: string[][];
  serverCommandPrefix: string[];
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
  serverCommandPrefix: [[], { option: true }],

  server: async (
    { rootFiles, serverEnv, jupyterConfig, configFiles, dataFiles, jlabAltCommands, serverCommandPrefix },
    use,
    testInfo
  ) => {
    // The launcher's folder layout (jlab_alt.testing.start_server): files written into
    // root/, config/ and data/ before it starts are what the server finds.
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'jlab-alt-ui-'));
    const root = path.join(base, 'root');
    const configDir = serverEnv.JUPYTER_CONFIG_DIR ?? path.join(base, 'config');
    writeTree(root, rootFiles);
    writeTree(serverEnv.JUPYTER_DATA_DIR ?? path.join(base, 'data'), dataFiles);
    writeTree(configDir, configFiles);
    if (jupyterConfig) writeTree(configDir, { [EXTENSIONS_CONFIG]: JSON.stringify(jupyterConfig, null, 2) + '\n' });
    fs.mkdirSync(configDir, { recursive: true });

    const launcher = new Launcher(
      [
        '--dir',
        base,
        ...Object.entries(serverEnv).flatMap(([name, value]) => ['--env', `${name}=${value}`]),
        ...jlabAltCommands.flatMap((args) => ['--before', JSON.stringify(args)]),
        ...(serverCommandPrefix.length ? ['--prefix', JSON.stringify(serverCommandPrefix)] : [])
      ],
      base
    );
    let info: LaunchedServer;
    try {
      info = await launcher.next('start');
    } catch (err) {
      fs.rmSync(base, { recursive: true, force: true });
      throw err;
    }
    const env: NodeJS.ProcessEnv = info.env;
    const output = () => {
      let log = '';
      try {
        log = fs.readFileSync(info.log, 'utf8');
      } catch {
        /* not written yet */
      }
      return log + (launcher.errors() ? `\n----- launcher -----\n${launcher.errors()}` : '');
    };
    const originOf = (port: number) => `http://127.0.0.1:${port}`;
    const server: JlabAltServer = {
      origin: originOf(info.port),
      port: info.port,
      token: info.token,
      root,
      appUrl: (treePath = '') =>
        `${server.origin}/jlab-alt${treePath ? '/tree/' + treePath.split('/').map(encodeURIComponent).join('/') : ''}?token=${info.token}`,
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
        info = await launcher.restart();
        server.port = info.port;
        server.origin = originOf(info.port);
      }
    };
    let serverDiedEarly = '';
    try {
      await use(server);
    } finally {
      if (launcher.diedEarly()) {
        serverDiedEarly = `jlab-alt exited during the test (launcher exit code ${launcher.proc.exitCode})`;
      }
      await launcher.stop();
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
    // The server is stopped before Playwright closes this page (it was set up after the
    // page), so a test's route handler may still be forwarding a poll to it then; its
    // "socket hang up" is the teardown's, not the test's. A test may have closed the page
    // itself (catching up after a closed tab): its routes went with it.
    if (!page.isClosed()) await page.unrouteAll({ behavior: 'ignoreErrors' });
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('console.log', { body: consoleLines.join('\n'), contentType: 'text/plain' });
    }
  }
});

export { expect };
