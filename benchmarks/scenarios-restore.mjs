/**
 * Workspace restore (issue 14, "Speed"): reloading a workspace of N open notebooks.
 *
 * Both apps get the same saved workspace (N medium notebooks in one tab group, the last one
 * active, the file browser at the root) through their own workspace API, then one page
 * loads it (JupyterLab restores every notebook and starts or reconnects its kernel;
 * jlab-alt loads only the active tab), and the page is reloaded, as a user does: the
 * reload is what is measured, with the HTTP cache warm and the kernels already running.
 *
 * Usable = the file browser lists KNOWN_FILE and the active notebook's first cell is
 * visible. Times are the page's `performance.now()` (origin: the reload's navigation start).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ADAPTERS, benchInitScript, findMarker, longestTask } from './apps.mjs';
import { KNOWN_FILE, richNotebook } from './generate.mjs';
import { CONTEXT_OPTIONS, artifacts } from './scenarios.mjs';
import { api, sleep } from './servers.mjs';

/** The folder, under each app's root, holding the restored notebooks. */
export const RESTORE_DIR = 'restore';
/** Cells per notebook: half PNG figures, half HTML tables ("medium" notebooks). */
const CELLS = 40;
const NAV_TIMEOUT = 120_000;
/** JupyterLab starts one kernel per restored notebook: 30 on a loaded 2-core machine take minutes. */
const KERNELS_TIMEOUT = 300_000;

const name = (i) => `nb_${String(i).padStart(2, '0')}.ipynb`;
/** A marker only notebook `i`'s first cell has (zero-padded: no marker contains another). */
const MARK_PREFIX = 'RESTORE_NB_';
const marker = (i) => `${MARK_PREFIX}${String(i).padStart(2, '0')}_MARK`;

/** Write `count` medium notebooks (and KNOWN_FILE) into `<root>/restore/`, each first cell with its own marker. */
export function writeRestoreFiles(root, count) {
  const dir = path.join(root, RESTORE_DIR);
  fs.mkdirSync(dir, { recursive: true });
  // The file browser may follow the active notebook into this folder (jlab-alt's does, and
  // saves that folder): KNOWN_FILE here too, so "the file browser is listed" is one test.
  fs.writeFileSync(path.join(dir, KNOWN_FILE), 'restore benchmark\n');
  for (let i = 0; i < count; i++) {
    const nb = richNotebook(CELLS);
    nb.cells[0].source.unshift(`# ${marker(i)}\n`);
    fs.writeFileSync(path.join(dir, name(i)), JSON.stringify(nb, null, 1));
  }
}

/** The saved workspace of each app, with `count` notebooks open and the last one active. */
function workspaceOf(appId, count) {
  const paths = Array.from({ length: count }, (_, i) => `${RESTORE_DIR}/${name(i)}`);
  if (appId === 'jlab-alt') {
    // ts_src/shell/layout.ts, WorkspaceLayout version 1.
    return {
      url: '/jlab-alt/api/workspaces/default',
      body: {
        layout: {
          version: 1,
          main: {
            type: 'tabs',
            tabs: paths.map((p) => ({ namespace: 'document', args: { path: p, factory: 'Notebook' }, label: path.basename(p) })),
            active: count - 1,
            current: true
          },
          fileBrowserPath: ''
        }
      }
    };
  }
  // JupyterLab 4: the layout restorer's data plus one entry per restored notebook.
  const ids = paths.map((p) => `notebook:${p}`);
  const data = {
    'layout-restorer:data': {
      main: { dock: { type: 'tab-area', currentIndex: count - 1, widgets: ids }, current: ids[count - 1] },
      down: { size: 0, widgets: [] },
      left: { collapsed: false, visible: true, current: 'filebrowser', widgets: ['filebrowser', 'running-sessions', '@jupyterlab/toc:plugin'] },
      right: { collapsed: true, visible: true, widgets: [] },
      relativeSizes: [0.25, 0.75, 0]
    },
    'file-browser-filebrowser:cwd': { path: '' }
  };
  for (const p of paths) data[`notebook:${p}`] = { data: { path: p, factory: 'Notebook' } };
  return { url: '/lab/api/workspaces/default', body: { data, metadata: { id: 'default' } } };
}


/** Sessions of notebooks under RESTORE_DIR, as the server lists them. */
async function restoreSessions(server) {
  const sessions = await api(server, 'GET', '/api/sessions');
  return sessions.filter((s) => String(s.path ?? s.notebook?.path ?? '').startsWith(`${RESTORE_DIR}/`));
}

/** Shut down the restored notebooks' kernels and forget the saved workspace (run after the scenario). */
export async function cleanupRestore(server) {
  for (const s of await restoreSessions(server)) await api(server, 'DELETE', `/api/sessions/${s.id}`);
  if (server.appId === 'jlab-alt') await api(server, 'DELETE', '/jlab-alt/api/workspaces/default');
  else for (const f of fs.readdirSync(server.dirs.workspaces)) fs.rmSync(path.join(server.dirs.workspaces, f), { recursive: true, force: true });
}

/** In the page: the distinct restored notebook names shown (tab labels). */
function restoredTabs() {
  const found = document.evaluate('//text()[contains(., ".ipynb")]', document.body, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
  const names = new Set();
  for (let i = 0; i < found.snapshotLength; i++) {
    const m = /^\s*(nb_\d\d\.ipynb)\s*$/.exec(found.snapshotItem(i).data);
    if (m) names.add(m[1]);
  }
  return names.size;
}

async function waitMarker(page, text, timeout = NAV_TIMEOUT) {
  const handle = await page.waitForFunction(findMarker, { text, mode: 'viewport' }, { polling: 'raf', timeout });
  return handle.jsonValue();
}

/**
 * One run: save the workspace, load it once (kernels started/reconnected), reload and measure.
 * Returns times in ms: `usable_ms` (file browser listed and the active notebook's first cell
 * visible), `file_browser_ms`, `active_notebook_ms`, `started_ms` (the app's own "restored"),
 * `longest_task_ms` (until usable), `longest_task_started_ms` (until started), and
 * `tabs` (restored tabs shown), `sessions` (the restored notebooks' sessions after the reload).
 */
export async function runRestore({ browser, server, count }) {
  const adapter = ADAPTERS[server.appId];
  const ws = workspaceOf(server.appId, count);
  await api(server, 'PUT', ws.url, ws.body);
  const context = await browser.newContext(CONTEXT_OPTIONS);
  try {
    await context.addInitScript(benchInitScript);
    const page = await context.newPage();
    page.setDefaultTimeout(NAV_TIMEOUT);
    // The first load: the app restores the workspace. JupyterLab starts (or reconnects) a
    // kernel per notebook; wait for all of them, so the reload finds them running.
    await page.goto(server.url(), { waitUntil: 'commit', timeout: NAV_TIMEOUT });
    await waitMarker(page, MARK_PREFIX);
    await page.waitForFunction(adapter.started, undefined, { polling: 'raf', timeout: NAV_TIMEOUT });
    const wantSessions = server.appId === 'jupyterlab' ? count : 1;
    const deadline = Date.now() + KERNELS_TIMEOUT;
    while ((await restoreSessions(server)).length < wantSessions) {
      if (Date.now() > deadline) throw new Error(`${server.label}: fewer than ${wantSessions} notebook sessions after ${KERNELS_TIMEOUT / 1000} s`);
      await sleep(500);
    }
    await page.waitForFunction(adapter.kernelIdle, undefined, { polling: 500, timeout: KERNELS_TIMEOUT });

    // The reload (the app saves its workspace on unload; the HTTP cache is warm).
    await page.reload({ waitUntil: 'commit', timeout: NAV_TIMEOUT });
    // The active notebook is the one the app saved as active on unload (JupyterLab may have
    // saved another than ours while restoring): any restored notebook's first cell counts.
    const [fileBrowser, activeNotebook] = await Promise.all([waitMarker(page, KNOWN_FILE), waitMarker(page, MARK_PREFIX)]);
    const usable = Math.max(fileBrowser, activeNotebook);
    await page.waitForFunction(adapter.started, undefined, { polling: 'raf', timeout: NAV_TIMEOUT });
    const started = await page.evaluate(() => performance.now());
    await page.waitForFunction(`(${restoredTabs})() === ${count}`, undefined, { polling: 200, timeout: NAV_TIMEOUT }).catch(async () => {
      throw new Error(`${server.label}: ${await page.evaluate(restoredTabs)} of ${count} tabs restored`);
    });
    return {
      usable_ms: usable,
      file_browser_ms: fileBrowser,
      active_notebook_ms: activeNotebook,
      started_ms: Math.max(usable, started),
      longest_task_ms: await page.evaluate(longestTask, [0, usable]),
      longest_task_started_ms: await page.evaluate(longestTask, [0, Math.max(usable, started)]),
      tabs: count,
      sessions: (await restoreSessions(server)).length
    };
  } catch (err) {
    // Keep a screenshot of what the page showed, as the other scenarios do.
    const page = context.pages()[0];
    if (artifacts.dir && page) {
      const file = path.join(artifacts.dir, `failed-${++artifacts.count}-restore-${server.appId}.png`);
      await page.screenshot({ path: file, timeout: 10_000 }).catch(() => undefined);
      if (err instanceof Error) err.message += ` (screenshot: ${file})`;
    }
    throw err;
  } finally {
    await context.close().catch(() => undefined);
  }
}
