import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { cells, expectCommandMode, notebookJSON, notebookNode, openNotebook, type CellSpec } from './notebook-helpers';

const CELLS = 2000;
/** Cell index -> heading source: near the start, the middle and the end (the last heading in the last cells). */
const HEADINGS: Record<number, string> = {
  0: '# Start',
  6: '## Early details',
  1000: '# Middle',
  1003: '## Middle details',
  1990: '# Near the end',
  1997: '## Last heading'
};

/**
 * A 2,000-cell notebook whose cells have very different heights (one-line code, long
 * code, outputs of many lines), so the height estimates of cells not built yet are
 * wrong and building moves what is below; no kernel, so nothing else runs.
 */
function longNotebook(): string {
  const specs: CellSpec[] = [];
  for (let i = 0; i < CELLS; i++) {
    const heading = HEADINGS[i];
    if (heading) specs.push({ type: 'markdown', source: `${heading}\n\nText of cell ${i}.` });
    else if (i % 7 === 3)
      specs.push({
        source: `print(${i})`,
        execution_count: 1,
        outputs: [{ output_type: 'stream', name: 'stdout', text: Array.from({ length: 12 }, (_, k) => `line ${k} of ${i}\n`) }]
      });
    else if (i % 5 === 1) specs.push(Array.from({ length: 9 }, (_, k) => `x_${i}_${k} = ${k}`).join('\n'));
    else specs.push(`y = ${i}`);
  }
  return notebookJSON(specs, { kernel: null });
}

async function openToc(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+Shift+K');
  const toc = page.getByTestId('toc');
  await expect(toc).toBeVisible();
  return toc;
}

/** Distance in px from the top of the notebook's scrolling area to the top of `cell`. */
async function offsetFromTop(panel: Locator, cell: Locator): Promise<number> {
  const box = await cell.boundingBox();
  const top = await notebookNode(panel).evaluate((node) => {
    for (let el = node.parentElement; el; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight) return el.getBoundingClientRect().top;
    }
    return 0;
  });
  return box ? Math.round(box.y - top) : Number.NaN;
}

/** Click a heading in the table of contents and check its cell comes to the top, selected in command mode. */
async function jumpTo(panel: Locator, toc: Locator, text: string, cellIndex: number): Promise<void> {
  await toc.getByTestId('toc-text').filter({ hasText: new RegExp(`^${text}$`) }).click();
  const cell = cells(panel).nth(cellIndex);
  await expect(cell).toHaveClass(/ja-mod-active/);
  await expect(cell).toContainText(text);
  // At the top of the view, even the last heading (the notebook scrolls past its end).
  await expect.poll(() => offsetFromTop(panel, cell), { timeout: 15_000 }).toBeLessThanOrEqual(2);
  await expect.poll(() => offsetFromTop(panel, cell)).toBeGreaterThanOrEqual(-2);
  await expect(cell.locator('.ja-Cell-rendered')).toBeVisible();
  await expectCommandMode(panel);
  await expect(panel.locator('[data-testid="cell"].ja-mod-active')).toHaveCount(1);
}

// No trace: it snapshots the whole DOM (about 20,000 elements here) before and after
// every action, which took minutes under load and made the page look frozen, while
// the app itself goes quiet once its cells are built.
test.use({ trace: 'off' });

test.describe('table of contents of a 2,000-cell notebook', () => {
  test.use({ rootFiles: { 'long.ipynb': longNotebook() } });

  test('a click on the last heading brings it to the top after scrolling deep and toggling the sidebar', async ({ page }) => {
    test.setTimeout(120_000);
    const panel = await openNotebook(page, 'long.ipynb');
    await expect(cells(panel)).toHaveCount(CELLS);
    const toc = await openToc(page);
    const expected = ['Start', 'Early details', 'Middle', 'Middle details', 'Near the end', 'Last heading'];
    await expect(toc.getByTestId('toc-text')).toHaveText(expected);

    // Scroll deep with the wheel, as a reader does, while cells are still being built.
    await cells(panel).nth(2).click();
    const box = (await notebookNode(panel).boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 10_000);
    // Hide and show the sidebar (Ctrl+B) twice: the panel disconnects and connects again.
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('Control+B');
      await expect(toc).toBeHidden();
      await page.keyboard.press('Control+B');
      await expect(toc).toBeVisible();
      await page.mouse.wheel(0, 6000);
    }
    await expect(toc.getByTestId('toc-text')).toHaveText(expected);

    await jumpTo(panel, toc, 'Last heading', 1997);
    await jumpTo(panel, toc, 'Middle', 1000);
    await jumpTo(panel, toc, 'Early details', 6);
    await jumpTo(panel, toc, 'Near the end', 1990);
    // The page still answers: the notebook keys work on the selected cell.
    await page.keyboard.press('ArrowDown');
    await expect(cells(panel).nth(1991)).toHaveClass(/ja-mod-active/);
    await expect(notebookNode(panel)).toHaveAttribute('data-built', 'near');
    // Only cells near the screen are drawn: the jumps left no trail of built cells behind.
    expect(await panel.locator('[data-testid="cell"]:not(.ja-mod-unbuilt)').count()).toBeLessThan(150);
  });
});
