import { corpusNotebook, expect, gotoApp, test } from './fixtures';
import { cells, notebookPanel, showCell } from './notebook-helpers';

/** Rich outputs and Markdown from real notebooks, rendered in the browser. */
test.describe('outputs of real notebooks', () => {
  test.use({
    rootFiles: {
      'attachment.ipynb': corpusNotebook('nbconvert__attachment.ipynb'),
      'beyond.ipynb': corpusNotebook('ipython__Beyond_Plain_Python.ipynb'),
      'equations.ipynb': corpusNotebook('notebook__Typesetting_Equations.ipynb'),
      'test45.ipynb': corpusNotebook('nbformat__test4.5.ipynb')
    }
  });

  test('Markdown cell attachments show their images', async ({ page, server }) => {
    await gotoApp(page, `${server.origin}/jlab-alt/tree/attachment.ipynb?token=${server.token}`);
    const images = page.locator('[data-testid="document"][data-path="attachment.ipynb"] .ja-Cell-rendered img');
    await expect(images).toHaveCount(2);
    for (const img of await images.all()) {
      await expect(img).toHaveAttribute('src', /^data:image\/(png|svg\+xml);base64,/);
      // Decoded and laid out: a real picture, not a broken-image icon.
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    }
  });

  test('application/json outputs show as a collapsible tree', async ({ page, server }) => {
    await gotoApp(page, `${server.origin}/jlab-alt/tree/beyond.ipynb?token=${server.token}`);
    // Cell 53 holds the notebook's application/json output; it is drawn once scrolled to.
    const cell = await showCell(notebookPanel(page, 'beyond.ipynb'), 53);
    const tree = cell.locator('.ja-JsonTree').first();
    await expect(tree.locator('details').first()).toHaveAttribute('open', '');
  });

  test('LaTeX in Markdown is typeset, with no formula left as an error', async ({ page, server }) => {
    await gotoApp(page, `${server.origin}/jlab-alt/tree/equations.ipynb?token=${server.token}`);
    await expect(page.locator('.ja-Math math').first()).toBeVisible();
    // Every Markdown cell with math, scrolled to as a reader does (cells are drawn near the screen).
    const panel = notebookPanel(page, 'equations.ipynb');
    const nb = JSON.parse(corpusNotebook('notebook__Typesetting_Equations.ipynb').toString('utf8')) as {
      cells: { cell_type: string; source: string | string[] }[];
    };
    const withMath = nb.cells.flatMap((c, i) => (c.cell_type === 'markdown' && [c.source].flat().join('').includes('$') ? [i] : []));
    expect(withMath.length).toBeGreaterThan(5);
    await expect(cells(panel)).toHaveCount(nb.cells.length);
    let formulas = 0;
    for (const index of withMath) {
      const cell = await showCell(panel, index);
      await expect.poll(() => cell.locator('.ja-Math math').count(), { message: `cell ${index}` }).toBeGreaterThan(0);
      await expect(cell.locator('.ja-Math.ja-mod-error')).toHaveCount(0);
      formulas += await cell.locator('.ja-Math math').count();
    }
    expect(formulas).toBeGreaterThan(10);
  });

  test('an untrusted notebook shows its HTML output without running its script', async ({ page, server }) => {
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    await gotoApp(page, `${server.origin}/jlab-alt/tree/test45.ipynb?token=${server.token}`);
    // The "Pyout" cell's HTML output carries <script>console.log("hello")</script>.
    const html = page.locator('.ja-HtmlOutput', { hasText: 'HTML' }).first();
    await html.scrollIntoViewIfNeeded();
    await expect(html.locator('b')).toHaveText('HTML');
    await expect(html.locator('script')).toHaveCount(0);
    await expect(page.getByTestId('output-sandbox')).toHaveCount(0);
    expect(logs).not.toContain('hello');
  });
});
