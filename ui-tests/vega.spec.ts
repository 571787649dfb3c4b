import { corpusNotebook, expect, gotoApp, test } from './fixtures';
import { cells } from './notebook-helpers';

/**
 * Vega and Vega-Lite outputs of real notebooks draw as charts, under the app's
 * Content-Security-Policy (no eval: expressions are interpreted).
 */
test.use({
  rootFiles: {
    'vega5.ipynb': corpusNotebook('jupyterlab__vega-extension.ipynb'),
    'vega3.ipynb': corpusNotebook('renderers__vega3-extension.ipynb')
  }
});

for (const file of ['vega5.ipynb', 'vega3.ipynb']) {
  test(`${file}: Vega and Vega-Lite specs draw as charts; specs on other servers say why they cannot`, async ({ page, server }) => {
    const violations: string[] = [];
    page.on('console', (msg) => {
      if (/Content.Security.Policy|unsafe-eval/i.test(msg.text())) violations.push(msg.text());
    });
    await gotoApp(page, server.appUrl(file));
    const panel = page.locator(`[data-testid="document"][data-path="${file}"]`);
    // Cells 3 and 7 hold a Vega and a Vega-Lite spec; 5 and 9 only a URL of one on github.com.
    for (const index of [3, 5, 7, 9]) {
      const cell = cells(panel).nth(index);
      // The notebook saved these outputs collapsed (metadata.collapsed): expand them.
      await expect(cell).toHaveClass(/ja-mod-outputCollapsed/);
      // Cells above are still being built and can move this one: click until it took.
      await expect(async () => {
        if (/ja-mod-outputCollapsed/.test((await cell.getAttribute('class')) ?? '')) {
          await cell.getByTestId('output-collapser').click({ timeout: 2000 });
        }
        await expect(cell).not.toHaveClass(/ja-mod-outputCollapsed/, { timeout: 1000 });
      }).toPass({ timeout: 15_000 });
      const output = cell.locator('.ja-MimeOutput');
      await expect(output).toHaveAttribute('data-mime-type', /^application\/vnd\.vega(lite)?\.v\d\+json$/);
      if (index === 5 || index === 9) {
        await expect(output).toHaveClass(/ja-mod-error/);
        await expect(output).toContainText('only loads data from its own server');
        continue;
      }
      const chart = output.locator('.ja-VegaOutput svg.marks, .ja-VegaOutput canvas');
      await expect(chart).toBeVisible({ timeout: 20_000 });
      const box = (await chart.boundingBox())!;
      expect(box.width, `cell ${index}: chart width`).toBeGreaterThan(100);
      expect(box.height, `cell ${index}: chart height`).toBeGreaterThan(100);
      // Bars were drawn (Vega-Lite compiled, Vega's expressions interpreted without eval).
      expect(await chart.locator('path, rect').count(), `cell ${index}: marks`).toBeGreaterThan(5);
      await expect(output).not.toHaveClass(/ja-mod-error/);
    }
    expect(violations).toEqual([]);
  });
}
