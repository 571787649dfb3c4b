import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { Page } from '@playwright/test';
import { corpusNotebook, expect, runFromPalette, test, type JlabAltServer } from './fixtures';
import { cells, expectDirty, notebookJSON, openNotebook, setCellText } from './notebook-helpers';

const CORPUS = 'notebook__binder_example.ipynb';

/** What the host's own nbconvert endpoint answers for `path` in `format`. */
async function hostExport(page: Page, server: JlabAltServer, format: string, path: string): Promise<string> {
  const response = await page.request.get(`${server.origin}/nbconvert/${format}/${encodeURIComponent(path)}?download=true`, {
    headers: { Authorization: `token ${server.token}` }
  });
  expect(response.status()).toBe(200);
  return response.text();
}

/** Run "Download as" with `format` through the chooser and return the downloaded file's name and text. */
async function downloadAs(page: Page, format: string): Promise<{ name: string; text: string }> {
  await runFromPalette(page, 'Download as', 'docmanager:export');
  const menu = page.getByTestId('export-menu');
  await expect(menu).toBeVisible();
  const downloading = page.waitForEvent('download');
  await menu.locator(`[data-id="export-${format}"]`).click();
  const download = await downloading;
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** Whether the server's Python has the playwright package (webpdf's requirement). */
function serverHasPlaywright(): boolean {
  try {
    execFileSync('python3', ['-c', 'import importlib.util,sys; sys.exit(0 if importlib.util.find_spec("playwright") else 1)']);
    return true;
  } catch {
    return false;
  }
}

function hasTool(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`]);
    return true;
  } catch {
    return false;
  }
}

test.describe('export', () => {
  test.use({
    rootFiles: {
      [CORPUS]: corpusNotebook(CORPUS),
      'small.ipynb': notebookJSON([{ type: 'markdown', source: '# Title\n\nSome *text*.' }, "print('hello')"])
    }
  });

  test('Download as HTML, script and Markdown give what the host nbconvert gives', async ({ page, server }) => {
    await openNotebook(page, CORPUS);
    const html = await downloadAs(page, 'html');
    expect(html.name).toBe('notebook__binder_example.html');
    expect(html.text).toBe(await hostExport(page, server, 'html', CORPUS));
    expect(html.text).toContain('Welcome to Jupyter Notebook v7!');

    const script = await downloadAs(page, 'script');
    expect(script.name).toBe('notebook__binder_example.py');
    expect(script.text).toBe(await hostExport(page, server, 'script', CORPUS));

    // Markdown of a notebook without images is one file (with images nbconvert gives a zip).
    await openNotebook(page, 'small.ipynb', 2);
    const markdown = await downloadAs(page, 'markdown');
    expect(markdown.name).toBe('small.md');
    expect(markdown.text).toBe(await hostExport(page, server, 'markdown', 'small.ipynb'));
    expect(markdown.text).toContain('# Title');
  });

  test('unsaved changes are saved before the export', async ({ page, server }) => {
    const panel = await openNotebook(page, 'small.ipynb', 2);
    await setCellText(page, panel, 1, "print('changed before export')");
    await expectDirty(page, 'small.ipynb');
    const script = await downloadAs(page, 'script');
    expect(script.text).toContain("print('changed before export')");
    expect(fs.readFileSync(`${server.root}/small.ipynb`, 'utf8')).toContain('changed before export');
    await expect(cells(panel)).toHaveCount(2);
  });

  test('a direct Download as is one request; a failing one still names the missing tool', async ({ page, server }) => {
    const listings: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/export-formats')) listings.push(r.url());
    });
    await openNotebook(page, CORPUS);
    type Commands = { jlabAlt: { commands: { execute(id: string, a: object): Promise<unknown> } } };
    const downloading = page.waitForEvent('download');
    await page.evaluate(() => (window as unknown as Commands).jlabAlt.commands.execute('docmanager:export', { format: 'script' }));
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('notebook__binder_example.py');
    expect(fs.readFileSync(await download.path(), 'utf8')).toBe(await hostExport(page, server, 'script', CORPUS));
    // Only the export went to the server: the format list is not fetched next to it.
    expect(listings).toEqual([]);
    // A format whose tool is missing, asked for directly before any list was loaded:
    // the export fails and the message says which tool, not a bare server error.
    const missing = !serverHasPlaywright() ? { format: 'webpdf', text: 'playwright' } : !hasTool('xelatex') ? { format: 'pdf', text: 'xelatex' } : null;
    if (missing) {
      await page.evaluate((format) => (window as unknown as Commands).jlabAlt.commands.execute('docmanager:export', { format }), missing.format);
      const error = page.locator('[data-testid="notification"][data-type="error"]');
      await expect(error).toContainText('Cannot download as');
      await expect(error).toContainText(missing.text);
      expect(listings.length).toBe(1);
    }
  });

  test('a format whose tool is missing is disabled, with the reason', async ({ page }) => {
    await openNotebook(page, 'small.ipynb', 2);
    await runFromPalette(page, 'Download as', 'docmanager:export');
    const menu = page.getByTestId('export-menu');
    await expect(menu.locator('[data-id="export-html"]')).toBeEnabled();
    if (!serverHasPlaywright()) {
      const webpdf = menu.locator('[data-id="export-webpdf"]');
      await expect(webpdf).toBeDisabled();
      await expect(webpdf).toContainText('playwright');
    }
    const pdf = menu.locator('[data-id="export-pdf"]');
    if (!hasTool('xelatex')) {
      await expect(pdf).toBeDisabled();
      await expect(pdf).toContainText('xelatex is not installed');
    } else if (!hasTool('pandoc')) {
      await expect(pdf).toContainText('pandoc is not installed');
    } else {
      await expect(pdf).toBeEnabled();
    }
    // The contract command refuses a missing tool with a message, never a bare error page.
    await page.keyboard.press('Escape');
    if (!serverHasPlaywright()) {
      await page.evaluate(() =>
        (window as unknown as { jlabAlt: { commands: { execute(id: string, a: object): Promise<unknown> } } }).jlabAlt.commands.execute(
          'docmanager:export',
          { format: 'webpdf' }
        )
      );
      await expect(page.locator('[data-testid="notification"][data-type="error"]')).toContainText('playwright');
    }
  });
});
