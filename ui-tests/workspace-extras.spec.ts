import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cells, notebookJSON, openNotebook } from './notebook-helpers';

const LONG_NAME = 'Python 3.12 (conda environment: climate-analysis-with-a-very-long-name)';

/** Open a menu of the bar and return it. */
async function openBarMenu(page: Page, id: string): Promise<Locator> {
  await page.locator(`[data-testid="menubar-item"][data-id="${id}"]`).click();
  const menu = page.getByTestId('menu');
  await expect(menu).toBeVisible();
  return menu;
}

test.describe('workspace: View menu headings and launcher kernel names', () => {
  test.use({
    rootFiles: {
      'sections.ipynb': notebookJSON([
        { type: 'markdown', source: '# Alpha' },
        "print('in alpha')",
        { type: 'markdown', source: '## Beta' },
        "print('in beta')",
        { type: 'markdown', source: '# Gamma' },
        "print('in gamma')"
      ]),
      // A kernelspec with a long display name, found through JUPYTER_PATH (relative to
      // the server's folder, the root); listed only, never started.
      '.jupyter-extra/kernels/long-env/kernel.json': JSON.stringify({
        argv: ['python', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
        display_name: LONG_NAME,
        language: 'python'
      })
    },
    serverEnv: { JUPYTER_PATH: '.jupyter-extra' }
  });

  test('View ▸ Collapse All Headings and Expand All Headings show their shortcuts and work', async ({ page }) => {
    const panel = await openNotebook(page, 'sections.ipynb', 6);
    await cells(panel).nth(0).click();
    let menu = await openBarMenu(page, 'view');
    const collapse = menu.locator('[data-id="notebook:collapse-all-headings"]');
    await expect(collapse).toContainText('Collapse All Headings');
    await expect(collapse.locator('.ja-Menu-shortcut')).toHaveText('Ctrl+Shift+ArrowLeft');
    await collapse.click();
    await expect(menu).toBeHidden();
    for (const i of [1, 2, 3, 5]) await expect(cells(panel).nth(i)).toBeHidden();
    await expect(panel.getByTestId('heading-hidden-count')).toHaveText(['3 cells hidden', '1 cell hidden']);

    menu = await openBarMenu(page, 'view');
    const expand = menu.locator('[data-id="notebook:expand-all-headings"]');
    await expect(expand.locator('.ja-Menu-shortcut')).toHaveText('Ctrl+Shift+ArrowRight');
    await expand.click();
    for (let i = 0; i < 6; i++) await expect(cells(panel).nth(i)).toBeVisible();
    await expect(panel.getByTestId('heading-hidden-count')).toHaveCount(0);
  });

  test('launcher console cards show the kernelspec display name; a long name wraps and can be read whole', async ({ page }) => {
    const launcher = page.getByTestId('dock-watermark').getByTestId('launcher');
    const consoleCard = (kernel: string) =>
      launcher.locator(`[data-testid="launcher-card"][data-command="console:create"][data-kernel="${kernel}"]`);
    await expect(consoleCard('python3')).toHaveText('Python 3 (ipykernel)');
    await expect(consoleCard('long-env')).toHaveText(LONG_NAME);
    await expect(consoleCard('long-env')).toHaveAttribute('title', LONG_NAME);
    const notebookCard = launcher.locator('[data-testid="launcher-card"][data-command="notebook:create-new"][data-kernel="long-env"]');
    await expect(notebookCard).toHaveText(LONG_NAME);
    // Every card's label fits its card: wrapped onto lines, not cut off on one line.
    const labels = launcher.locator('[data-testid="launcher-card"] .ja-Launcher-label');
    const clipped = await labels.evaluateAll((nodes) =>
      nodes
        .filter((n) => n.textContent!.length <= 60 && (n.scrollWidth > n.clientWidth + 1 || n.scrollHeight > n.clientHeight + 1))
        .map((n) => n.textContent)
    );
    expect(clipped).toEqual([]);
    const label = consoleCard('long-env').locator('.ja-Launcher-label');
    const lines = await label.evaluate((n) => Math.round(n.getBoundingClientRect().height / parseFloat(getComputedStyle(n).lineHeight)));
    expect(lines).toBeGreaterThanOrEqual(2);
    // The label stays inside its card.
    const [cardBox, labelBox] = await Promise.all([consoleCard('long-env').boundingBox(), label.boundingBox()]);
    expect(labelBox!.x).toBeGreaterThanOrEqual(cardBox!.x);
    expect(labelBox!.x + labelBox!.width).toBeLessThanOrEqual(cardBox!.x + cardBox!.width + 0.5);
    expect(labelBox!.y + labelBox!.height).toBeLessThanOrEqual(cardBox!.y + cardBox!.height + 0.5);
  });
});
