/**
 * Extensions as a user meets them: the three real pip-installed extensions
 * (server_info, plotly, strip_outputs), the Extensions panel, a deliberately broken
 * package (tests/fixtures/broken_ext, armed by JLAB_ALT_TEST_BROKEN=1), disabling
 * and enabling (JLAB_ALT_DISABLE, extensions.json, the `jlab-alt extension` CLI),
 * and the output sandbox that keeps notebook output code away from the app.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page, Request } from '@playwright/test';
import { corpusNotebook, EXTENSIONS_CONFIG, expect, gotoApp, runFromPalette, test, type JlabAltServer } from './fixtures';

/** The Python the server runs on (jlab-alt is installed in the default python3). */
const PYTHON_VERSION = execFileSync('python3', ['-c', 'import platform;print(platform.python_version())'], {
  encoding: 'utf8'
}).trim();

const PLOTLY_JS = /\/jlab-alt\/ext\/plotly\/lib\/plotly\.min\.js(\?|$)/;
const REAL_EXTENSIONS = ['server_info', 'plotly', 'strip_outputs'];
const FILEBROWSER = '@jlab-alt/filebrowser:plugin';

/** A notebook with one empty code cell for the python3 kernel (so a kernel starts on open). */
function emptyNotebook(): string {
  return JSON.stringify({
    cells: [{ cell_type: 'code', execution_count: null, id: 'c1', metadata: {}, outputs: [], source: [] }],
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' },
      language_info: { name: 'python' }
    },
    nbformat: 4,
    nbformat_minor: 5
  });
}

function regexpEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const errorToasts = (page: Page) => page.locator('[data-testid="notification"][data-type="error"]');
const extensionRow = (page: Page, name: string) =>
  page.getByTestId('extension-list').locator(`[data-testid="extension-item"][data-name="${name}"]`);
const builtinRow = (page: Page, id: string) =>
  page.getByTestId('extension-list').locator(`[data-testid="builtin-plugin"][data-id="${id}"]`);

/** Open `name` (in the root) by double-clicking it in the file browser; resolves with its notebook. */
async function openFromBrowser(page: Page, name: string): Promise<Locator> {
  await page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`)).dblclick();
  const notebook = page.locator(`[data-testid="document"][data-path="${name}"] [data-testid="notebook"]`);
  await expect(notebook).toBeVisible();
  return notebook;
}

/** Wait until the open notebook `name` has an idle kernel. */
async function kernelIdle(page: Page, name: string): Promise<void> {
  await expect(
    page.locator(`[data-testid="document"][data-path="${name}"] [data-testid="kernel-status"]`)
  ).toHaveAttribute('data-status', 'idle', { timeout: 30_000 });
}

/** Type `code` into the first cell of `notebook` and run it with Shift+Enter. */
async function runInFirstCell(page: Page, notebook: Locator, code: string): Promise<Locator> {
  const cell = notebook.getByTestId('cell').first();
  await cell.locator('.ja-Cell-editor').click();
  await expect(cell.locator('.cm-content')).toBeFocused();
  // insertText: no key events, so the editor's bracket and quote closing stays out of it.
  await page.keyboard.insertText(code);
  await page.keyboard.press('Shift+Enter');
  return cell;
}

/** Open the Extensions panel with its command, from the palette. */
async function showExtensions(page: Page): Promise<Locator> {
  await runFromPalette(page, 'show extensions', 'extensions:show');
  const list = page.getByTestId('extension-list');
  await expect(list).toBeVisible();
  return list;
}

type NotebookJSON = { cells: Record<string, any>[] };

/** The notebook file on disk, parsed. */
function readNotebook(server: JlabAltServer, name: string): NotebookJSON {
  return JSON.parse(fs.readFileSync(path.join(server.root, name), 'utf8'));
}

/**
 * The notebook on disk, or null while it is being written (Jupyter's "atomic"
 * writing rewrites the file in place, so a reader can catch it half written).
 */
function readNotebookIfComplete(server: JlabAltServer, name: string): NotebookJSON | null {
  try {
    return readNotebook(server, name);
  } catch {
    return null;
  }
}

test.describe('server_info', () => {
  test.use({ rootFiles: { 'run.ipynb': emptyNotebook() } });

  test("its status item shows the server's Python, answered by its handler; its Refresh command is in the palette", async ({
    page,
    server
  }) => {
    const item = page.getByTestId('server-info');
    await expect(item).toBeVisible();
    await expect(item).toHaveText(new RegExp(`^Python ${regexpEscape(PYTHON_VERSION)} · 0 kernels · up `));
    await expect(item).not.toHaveText('Server info unavailable');
    await expect(item).toHaveAttribute('data-python', PYTHON_VERSION);

    // Its server part answers (with the login), as the item claims.
    const res = await page.request.get(`${server.origin}/jlab-alt/ext/server_info/info?token=${server.token}`);
    expect(res.status()).toBe(200);
    expect(await res.json()).toMatchObject({ python: PYTHON_VERSION, kernels: 0 });

    // Start a kernel, then "Server Info: Refresh" from the palette counts it.
    await openFromBrowser(page, 'run.ipynb');
    await kernelIdle(page, 'run.ipynb');
    await page.keyboard.press('Control+Shift+C');
    await page.getByTestId('command-palette-input').fill('server info refresh');
    const first = page.getByTestId('command-palette-item').first();
    await expect(first).toHaveAttribute('data-command', 'server-info:refresh');
    await expect(first).toContainText('Refresh');
    await expect(first).toContainText('Server Info');
    // (The item also refreshes itself every 30 s; the command asks the handler right away.)
    const asked = page.waitForResponse((res) => res.url().includes('/jlab-alt/ext/server_info/info') && res.ok());
    await page.keyboard.press('Enter');
    await asked;
    await expect(item).toHaveText(new RegExp(`^Python ${regexpEscape(PYTHON_VERSION)} · 1 kernel · up `));
  });
});

test.describe('plotly', () => {
  test.use({
    rootFiles: {
      'plotly.ipynb': corpusNotebook('renderers__nteract_plotly_unsorted.ipynb'),
      'live.ipynb': emptyNotebook(),
      'readme.txt': 'hi\n'
    }
  });

  test('plotly.js is not downloaded on a plain load; stored figures load it once and draw; a save keeps them as they were', async ({
    context,
    server
  }) => {
    const page = await context.newPage();
    const plotlyRequests: Request[] = [];
    page.on('request', (request) => {
      if (PLOTLY_JS.test(request.url())) plotlyRequests.push(request);
    });
    await gotoApp(page, server.appUrl());
    // Every extension's frontend has loaded and activated, and a text file opens.
    await expect(page.getByTestId('server-info')).toContainText('Python');
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="readme.txt"]')).dblclick();
    await expect(page.locator('[data-testid="document"][data-path="readme.txt"] .cm-line')).toHaveText(['hi', '']);
    // The plotly extension's frontend is in and active, yet plotly.js was not fetched.
    expect(await page.evaluate(() => (window as any).jlabAlt.plugins.list().map((p: any) => `${p.id}=${p.status.state}`))).toContain(
      'plotly:renderer=active'
    );
    expect(plotlyRequests.map((r) => r.url())).toEqual([]);

    const figuresOnDisk = (nb: NotebookJSON) =>
      nb.cells.flatMap((c) => c.outputs ?? []).flatMap((o) => o.data?.['application/vnd.plotly.v1+json'] ?? []);
    const stored = figuresOnDisk(readNotebook(server, 'plotly.ipynb'));
    const expected = stored.length;
    expect(expected).toBeGreaterThan(1);

    const notebook = await openFromBrowser(page, 'plotly.ipynb');
    const figures = notebook.getByTestId('plotly-figure');
    // Each figure the corpus notebook stores gets drawn once its cell comes near the
    // screen (only those are drawn), and stays drawn: a figure is not redrawable.
    const figureCells = readNotebook(server, 'plotly.ipynb')
      .cells.map((c, i) => ((c.outputs ?? []).some((o: { data?: Record<string, unknown> }) => o.data?.['application/vnd.plotly.v1+json']) ? i : -1))
      .filter((i) => i >= 0);
    for (const i of figureCells) {
      const cell = notebook.getByTestId('cell').nth(i);
      await cell.scrollIntoViewIfNeeded();
      await expect(cell.getByTestId('plotly-figure').locator('.main-svg').first()).toBeAttached({ timeout: 20_000 });
    }
    await expect(figures).toHaveCount(expected);
    await notebook.getByTestId('cell').nth(figureCells[0]!).scrollIntoViewIfNeeded();
    await expect(figures.first().locator('.main-svg').first()).toBeVisible();
    await expect(notebook.locator('.ja-MimeOutput.ja-mod-error')).toHaveCount(0);
    // One download for all of them.
    expect(plotlyRequests).toHaveLength(1);

    // Drawing must not change the figures (Plotly writes axis ranges into what it is
    // given): saved now, the file holds the very figures it had.
    const file = path.join(server.root, 'plotly.ipynb');
    const mtime = fs.statSync(file).mtimeMs;
    await notebook.locator('[data-testid="cell"][data-type="code"] .ja-Cell-prompt').first().click();
    await expect(notebook).toBeFocused();
    await page.keyboard.press('Control+S');
    await expect.poll(() => fs.statSync(file).mtimeMs > mtime && readNotebookIfComplete(server, 'plotly.ipynb') !== null).toBe(true);
    expect(figuresOnDisk(readNotebook(server, 'plotly.ipynb'))).toEqual(stored);
  });

  test('running a cell that displays a Plotly mime bundle draws a figure', async ({ page }) => {
    const notebook = await openFromBrowser(page, 'live.ipynb');
    await kernelIdle(page, 'live.ipynb');
    const cell = await runInFirstCell(
      page,
      notebook,
      "from IPython.display import display; display({'application/vnd.plotly.v1+json': {'data': [{'x': [1,2,3], 'y': [3,1,2], 'type': 'scatter'}], 'layout': {}}}, raw=True)"
    );
    const figure = cell.getByTestId('plotly-figure');
    await expect(figure).toHaveCount(1);
    await expect(figure.locator('.main-svg').first()).toBeVisible({ timeout: 20_000 });
    // A scatter trace with its three points.
    await expect(figure.locator('.scatterlayer .trace')).toHaveCount(1);
    await expect(figure.locator('.scatterlayer .point')).toHaveCount(3);
  });
});

test.describe('strip_outputs', () => {
  test.use({ rootFiles: { 'test4.5.ipynb': corpusNotebook('nbformat__test4.5.ipynb') } });

  test('"Strip Outputs on Save" writes the notebook without outputs, keeps them on screen; off again writes them', async ({
    page,
    server
  }) => {
    const name = 'test4.5.ipynb';
    const original = readNotebook(server, name);
    const codeCells = (nb: NotebookJSON) => nb.cells.filter((c) => c.cell_type === 'code');
    const onDisk = () => readNotebookIfComplete(server, name);
    const originalOutputs = codeCells(original).map((c) => c.outputs.length);
    expect(originalOutputs.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    const notebook = await openFromBrowser(page, name);
    const shownOutputs = notebook.locator('[data-testid="output-area"] > .ja-Output');
    await expect(shownOutputs).toHaveCount(originalOutputs.reduce((a, b) => a + b, 0));

    await runFromPalette(page, 'strip outputs on save', 'strip-outputs:toggle');
    await expect(page.getByTestId('notification').filter({ hasText: 'Outputs will be stripped on save.' })).toBeVisible();

    // An edit: select the first code cell by its prompt, edit its source, back to command mode.
    const firstCode = notebook.locator('[data-testid="cell"][data-type="code"]').first();
    await firstCode.locator('.ja-Cell-prompt').click();
    await page.keyboard.press('Enter');
    await expect(firstCode.locator('.cm-content')).toBeFocused();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n# edited in jlab-alt');
    await page.keyboard.press('Escape');
    await firstCode.locator('.ja-Cell-prompt').click();
    await expect(notebook).toBeFocused();
    await page.keyboard.press('Control+S');

    await expect
      .poll(() => codeCells(onDisk() ?? original)[0]!.source.join(''), { timeout: 15_000 })
      .toContain('# edited in jlab-alt');
    const stripped = readNotebook(server, name);
    for (const cell of codeCells(stripped)) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
    // The notebook on screen keeps its outputs and execution counts.
    await expect(shownOutputs).toHaveCount(originalOutputs.reduce((a, b) => a + b, 0));
    await expect(notebook.locator('.ja-mod-stream pre')).toContainText('hello');

    // Off again: the next save writes the outputs.
    await runFromPalette(page, 'strip outputs on save', 'strip-outputs:toggle');
    await expect(page.getByTestId('notification').filter({ hasText: 'Outputs will be kept on save.' })).toBeVisible();
    await firstCode.locator('.ja-Cell-prompt').click();
    await expect(notebook).toBeFocused();
    await page.keyboard.press('Control+S');
    await expect
      .poll(() => codeCells(onDisk() ?? stripped).map((c) => c.outputs.length), { timeout: 15_000 })
      .toEqual(originalOutputs);
    const kept = readNotebook(server, name);
    expect(codeCells(kept).map((c) => c.execution_count)).toEqual(codeCells(original).map((c) => c.execution_count));
    expect(codeCells(kept)[0]!.source.join('')).toContain('# edited in jlab-alt');
    await expect(errorToasts(page)).toHaveCount(0);
  });
});

test.describe('the Extensions panel', () => {
  test('lists server_info, plotly and strip_outputs as enabled and ok, and every built-in plugin active', async ({
    page,
    pageErrors
  }) => {
    await showExtensions(page);
    for (const name of REAL_EXTENSIONS) {
      const row = extensionRow(page, name);
      await expect(row).toHaveAttribute('data-status', 'ok');
      await expect(row).toHaveAttribute('data-enabled', 'true');
      await expect(row).toContainText('enabled · server + frontend');
      await expect(row.locator('.ja-ExtensionList-error')).toHaveCount(0);
    }
    await expect(extensionRow(page, 'server_info')).toContainText('server_info:status: active');
    await expect(extensionRow(page, 'plotly')).toContainText('plotly:renderer: active');
    await expect(extensionRow(page, 'strip_outputs')).toContainText('strip_outputs:plugin: active');

    const builtins = page.getByTestId('builtin-plugin');
    await expect(builtins.first()).toBeVisible();
    for (const id of [FILEBROWSER, '@jlab-alt/notebook:plugin', '@jlab-alt/extensions:plugin', '@jlab-alt/commands:palette']) {
      await expect(builtinRow(page, id)).toHaveAttribute('data-state', 'active');
    }
    await expect(builtins.and(page.locator(':not([data-state="active"])'))).toHaveCount(0);
    // The page agrees: every plugin, built-in or not, is active.
    const states = await page.evaluate(() =>
      (window as any).jlabAlt.plugins.list().map((p: { id: string; status: { state: string } }) => `${p.id}=${p.status.state}`)
    );
    expect(states.filter((s: string) => !s.endsWith('=active'))).toEqual([]);
    expect(states).toEqual(expect.arrayContaining(['server_info:status=active', 'plotly:renderer=active']));
    await expect(errorToasts(page)).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  });

  test('the sidebar button opens it too', async ({ page }) => {
    await page.locator('.ja-SideBar-tab[data-id="extensions"]').click();
    await expect(page.getByTestId('extension-list')).toBeVisible();
    await expect(extensionRow(page, 'plotly')).toHaveAttribute('data-status', 'ok');
  });
});

test.describe('a broken extension package (JLAB_ALT_TEST_BROKEN=1)', () => {
  test.use({ serverEnv: { JLAB_ALT_TEST_BROKEN: '1' }, rootFiles: { 'hello.txt': 'hello\n', 'sub/': '' } });

  test('the app starts and works; each failure is reported by name and cause', async ({ page }) => {
    // The file browser works.
    const rows = page.getByTestId('filebrowser-item');
    await expect(rows).toHaveCount(2);
    await rows.and(page.locator('[data-name="hello.txt"]')).dblclick();
    await expect(page.locator('[data-testid="document"][data-path="hello.txt"] .cm-line')).toHaveText(['hello', '']);

    // The two frontend failures, as error notifications naming the plugin and the cause.
    const toasts = errorToasts(page);
    await expect(toasts.filter({ hasText: 'broken_activate:plugin' })).toContainText(
      'activate() deliberately throws for tests'
    );
    await expect(toasts.filter({ hasText: 'broken_missing_dep:plugin' })).toContainText(
      'requires "@jlab-alt-test/does-not-exist:plugin"'
    );

    // The Extensions panel: all three broken ones with their errors.
    await showExtensions(page);
    const brokenImport = extensionRow(page, 'broken_import');
    await expect(brokenImport).toHaveAttribute('data-status', 'error');
    await expect(brokenImport.locator('.ja-ExtensionList-error')).toContainText('ImportError');
    const brokenActivate = extensionRow(page, 'broken_activate');
    await expect(brokenActivate).toHaveAttribute('data-status', 'error');
    await expect(brokenActivate).toContainText('broken_activate:plugin: failed');
    await expect(brokenActivate).toContainText('deliberately throws');
    const missingDep = extensionRow(page, 'broken_missing_dep');
    await expect(missingDep).toHaveAttribute('data-status', 'error');
    await expect(missingDep).toContainText('broken_missing_dep:plugin: failed');
    await expect(missingDep).toContainText('@jlab-alt-test/does-not-exist:plugin');

    // The rest is unharmed.
    for (const name of REAL_EXTENSIONS) await expect(extensionRow(page, name)).toHaveAttribute('data-status', 'ok');
    await expect(page.locator('[data-testid="builtin-plugin"]:not([data-state="active"])')).toHaveCount(0);
    await expect(page.getByTestId('server-info')).toHaveText(new RegExp(`^Python ${regexpEscape(PYTHON_VERSION)} · `));
    const failed = await page.evaluate(() =>
      (window as any).jlabAlt.plugins
        .list()
        .filter((p: { status: { state: string } }) => p.status.state !== 'active')
        .map((p: { id: string; status: { state: string } }) => `${p.id}=${p.status.state}`)
    );
    expect(failed.sort()).toEqual(['broken_activate:plugin=failed', 'broken_missing_dep:plugin=failed']);
  });

  test("a failed plugin's declared shortcut is dropped: its keys are free to bind to another command", async ({ page }) => {
    // broken_activate's schema binds Ctrl+Alt+J to a command its failed activate never registered.
    const filebrowser = page.getByTestId('filebrowser');
    await expect(filebrowser).toBeVisible();
    await expect(errorToasts(page).filter({ hasText: 'broken_activate:plugin' })).toBeVisible();
    await page.keyboard.press('Control+,');
    const editor = page.getByTestId('settingeditor');
    await expect(editor).toHaveAttribute('data-loaded', 'true');
    await editor.getByTestId('settings-search').fill('show file browser');
    const row = page.locator('[data-testid="shortcut-row"][data-command="filebrowser:toggle"]');
    await row.getByTestId('shortcut-keys').click();
    await page.keyboard.press('Control+Alt+J');
    // Taken at once: no conflict with a binding that could never run.
    await expect(row.getByTestId('shortcut-keys')).toHaveText('Ctrl+Alt+J');
    await expect(row.getByTestId('shortcut-conflict')).toHaveCount(0);
    await page.keyboard.press('Control+Alt+J');
    await expect(filebrowser).toBeHidden();
  });
});

test.describe('disabling extensions', () => {
  // Each test starts a server of its own, some after running the jlab-alt CLI and one
  // restarts it: seconds each, and up to 20 s at a load of 20 on 2 cores (CI run 1 of
  // session 9 timed out twice at 60 s while starting). The test timeout counts them.
  test.describe.configure({ timeout: 180_000 });
  test.describe('with JLAB_ALT_DISABLE=server_info', () => {
    test.use({ serverEnv: { JLAB_ALT_DISABLE: 'server_info' } });

    test('its status item is gone and the panel shows it disabled', async ({ page, server }) => {
      await showExtensions(page);
      const row = extensionRow(page, 'server_info');
      await expect(row).toHaveAttribute('data-status', 'disabled');
      await expect(row).toHaveAttribute('data-enabled', 'false');
      await expect(page.getByTestId('server-info')).toHaveCount(0);
      // Its server part is off too; the other extensions are not.
      const res = await page.request.get(`${server.origin}/jlab-alt/ext/server_info/info?token=${server.token}`);
      expect(res.status()).toBe(404);
      await expect(extensionRow(page, 'plotly')).toHaveAttribute('data-status', 'ok');
      await expect(errorToasts(page)).toHaveCount(0);
    });
  });

  test.describe('with `jlab-alt extension disable server_info` run before the start', () => {
    test.use({ jlabAltCommands: [['extension', 'disable', 'server_info']] });

    test('the CLI wrote the config, and the app leaves server_info out', async ({ page, server }) => {
      const config = JSON.parse(fs.readFileSync(path.join(server.configDir, EXTENSIONS_CONFIG), 'utf8'));
      expect(config).toEqual({ disabledExtensions: ['server_info'] });
      await showExtensions(page);
      await expect(extensionRow(page, 'server_info')).toHaveAttribute('data-status', 'disabled');
      await expect(extensionRow(page, 'strip_outputs')).toHaveAttribute('data-status', 'ok');
      await expect(page.getByTestId('server-info')).toHaveCount(0);
      await expect(errorToasts(page)).toHaveCount(0);
    });
  });

  test.describe('with the built-in file browser disabled in extensions.json', () => {
    test.use({
      jupyterConfig: { disabledExtensions: [FILEBROWSER] },
      rootFiles: { 'hello.txt': 'hello\n' }
    });

    test('there is no file browser, the rest works; enabled again (CLI + restart) it is back', async ({ page, server }) => {
      await expect(page.getByTestId('statusbar')).toBeVisible();
      await expect(page.getByTestId('filebrowser')).toHaveCount(0);
      await expect(errorToasts(page)).toHaveCount(0);
      // The palette still opens, and the Extensions panel says why.
      await showExtensions(page);
      await expect(builtinRow(page, FILEBROWSER)).toHaveAttribute('data-state', 'disabled');
      await expect(page.locator('[data-testid="builtin-plugin"]:not([data-state="active"])')).toHaveCount(1);
      // A document still opens by its URL.
      await gotoApp(page, server.appUrl('hello.txt'));
      await expect(page.locator('[data-testid="document"][data-path="hello.txt"] .cm-line')).toHaveText(['hello', '']);
      await expect(page.getByTestId('filebrowser')).toHaveCount(0);

      // Enable it again as a user would: the CLI, then a restart of the server.
      const said = await server.runJlabAlt(['extension', 'enable', FILEBROWSER]);
      expect(said).toContain(`${FILEBROWSER} enabled`);
      expect(JSON.parse(fs.readFileSync(path.join(server.configDir, EXTENSIONS_CONFIG), 'utf8'))).toEqual({
        disabledExtensions: []
      });
      await server.restart();
      await gotoApp(page, server.appUrl());
      // The saved layout brings back the sidebar panel shown last (Extensions): switch.
      await runFromPalette(page, 'show file browser', 'filebrowser:toggle');
      await expect(page.getByTestId('filebrowser')).toBeVisible();
      await expect(page.getByTestId('filebrowser-item').and(page.locator('[data-name="hello.txt"]'))).toBeVisible();
      await showExtensions(page);
      await expect(builtinRow(page, FILEBROWSER)).toHaveAttribute('data-state', 'active');
    });
  });

  test.describe('with nothing disabled', () => {
    test.use({ rootFiles: { 'hello.txt': 'hello\n' } });

    test('the file browser and the server_info item are there', async ({ page }) => {
      await expect(page.getByTestId('filebrowser-item').and(page.locator('[data-name="hello.txt"]'))).toBeVisible();
      await expect(page.getByTestId('server-info')).toContainText(`Python ${PYTHON_VERSION}`);
    });
  });
});

test.describe('the output sandbox', () => {
  const UNTRUSTED_HTML = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script><p id="kept">visible text</p>';
  test.use({
    rootFiles: {
      'new.ipynb': emptyNotebook(),
      'untrusted.ipynb': JSON.stringify({
        cells: [
          {
            cell_type: 'code',
            execution_count: 1,
            id: 'h1',
            metadata: {},
            outputs: [
              {
                output_type: 'execute_result',
                execution_count: 1,
                metadata: {},
                data: { 'text/html': [UNTRUSTED_HTML], 'text/plain': ['<IPython.core.display.HTML object>'] }
              }
            ],
            source: ['HTML(...)']
          }
        ],
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        nbformat: 4,
        nbformat_minor: 5
      })
    }
  });

  test("a trusted HTML output's script runs inside the sandbox frame and cannot reach the app", async ({ page }) => {
    const notebook = await openFromBrowser(page, 'new.ipynb');
    await kernelIdle(page, 'new.ipynb');
    const cell = await runInFirstCell(
      page,
      notebook,
      // Reading anything of the app's window from the frame throws (cross-origin), so the
      // script reports the exception's name; window.origin is "null" (opaque).
      `from IPython.display import HTML; HTML("<div id=x>before</div><script>var r; try { r = typeof window.parent.jlabAlt } catch (e) { r = 'blocked:' + e.name } document.getElementById('x').textContent = 'after:' + r + ' origin:' + window.origin</script>")`
    );
    const frame = cell.locator('iframe[data-testid="output-sandbox"]');
    await expect(frame).toHaveAttribute('sandbox', 'allow-scripts');
    await expect(frame.contentFrame().locator('#x')).toHaveText('after:blocked:SecurityError origin:null');
    // The app itself is untouched.
    expect(await page.evaluate(() => typeof (window as any).jlabAlt)).toBe('object');
  });

  test('an untrusted notebook from disk shows its HTML sanitized inline: no handler or script runs', async ({ page }) => {
    const notebook = await openFromBrowser(page, 'untrusted.ipynb');
    const html = notebook.locator('.ja-HtmlOutput');
    // Ids in untrusted HTML are prefixed (no DOM clobbering, see rendermime/sanitize.ts).
    await expect(html.locator('#user-content-kept')).toHaveText('visible text');
    await expect(notebook.locator('iframe[data-testid="output-sandbox"]')).toHaveCount(0);
    await expect(html.locator('script')).toHaveCount(0);
    await expect(html.locator('[onerror]')).toHaveCount(0);
    // The image stays (without its handler): once its load has failed, an onerror would have run.
    const img = html.locator('img');
    await expect(img).toHaveCount(1);
    await expect.poll(() => img.evaluate((node: HTMLImageElement) => node.complete)).toBe(true);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
  });
});
