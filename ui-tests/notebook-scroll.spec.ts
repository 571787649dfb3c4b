import { expect, test } from './fixtures';
import { cells, notebookJSON, openNotebook } from './notebook-helpers';

const N = 60;

test.describe('notebook scrolling', () => {
  test.use({
    rootFiles: { 'long.ipynb': notebookJSON(Array.from({ length: N }, (_, i) => ({ source: `x = ${i}` })), { kernel: null }) }
  });

  test('the wheel scrolls the cells past the end while the toolbar stays in place', async ({ page }) => {
    const panel = await openNotebook(page, 'long.ipynb', N);
    const toolbar = panel.locator('.ja-Toolbar');
    const kernelName = panel.getByTestId('kernel-name');
    await expect(kernelName).toBeInViewport({ ratio: 1 });
    const top = (await toolbar.boundingBox())!.y;

    // Far more wheel than the cells need: the extra must not scroll the tab itself.
    await cells(panel).nth(5).hover();
    const last = cells(panel).nth(N - 1);
    await expect(async () => {
      await page.mouse.wheel(0, 5000);
      const body = (await panel.locator('.ja-NotebookPanel-body').boundingBox())!;
      const cell = (await last.boundingBox())!;
      // Scrolled past the end: the last cell reaches the top half of the view.
      expect(cell.y - body.y).toBeLessThan(body.height / 2);
    }).toPass();
    await page.mouse.wheel(0, 5000);
    expect((await toolbar.boundingBox())!.y).toBe(top);
    await expect(kernelName).toBeInViewport({ ratio: 1 });
  });
});
