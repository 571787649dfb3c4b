import type { Locator, Page } from '@playwright/test';
import { corpusNotebook, expect, gotoApp, test } from './fixtures';
import {
  cells,
  expectKernelIdle,
  KERNEL_TIMEOUT,
  notebookJSON,
  openNotebook,
  outputs,
  readNotebook,
  saveWithKeys
} from './notebook-helpers';

const CORPUS = 'notebook__binder_example.ipynb';

/** The headings of a notebook as a reader sees them: `#` lines of Markdown cells, outside code fences. */
function markdownHeadings(json: string): string[] {
  const nb = JSON.parse(json) as { cells: { cell_type: string; source: string | string[] }[] };
  const out: string[] = [];
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    let fenced = false;
    for (const line of source.split('\n')) {
      if (/^\s*```/.test(line)) fenced = !fenced;
      const m = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (m) out.push(m[1]!);
    }
  }
  return out;
}

const SECTIONS = notebookJSON([
  { type: 'markdown', source: '# Alpha' },
  "print('in alpha')",
  { type: 'markdown', source: '## Beta' },
  "print('in beta')",
  { type: 'markdown', source: '# Gamma' },
  "print('in gamma')",
  { type: 'markdown', source: '# Delta' },
  '1/0'
]);

async function openToc(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+Shift+K');
  const toc = page.getByTestId('toc');
  await expect(toc).toBeVisible();
  return toc;
}

test.describe('table of contents', () => {
  test.use({
    rootFiles: {
      [CORPUS]: corpusNotebook(CORPUS),
      'sections.ipynb': SECTIONS,
      'last-heading.ipynb': notebookJSON([{ type: 'markdown', source: '# First' }, 'x = 1', { type: 'markdown', source: '# Last' }], {
        kernel: null
      }),
      'html.ipynb': notebookJSON([
        { type: 'markdown', source: '# Plain' },
        { type: 'markdown', source: '## Bold <b>move</b> <img src="x" onerror="window.__tocXss = 1"> &amp; co' },
        { type: 'markdown', source: '## Hidden <a class="tocSkip"></a>' }
      ]),
      'depth.ipynb': notebookJSON([
        { type: 'markdown', source: '# Title' },
        { type: 'markdown', source: '## One' },
        { type: 'markdown', source: '### One one' },
        { type: 'markdown', source: '## Two' },
        { type: 'markdown', source: '##### Too deep' }
      ])
    }
  });

  test('lists the headings of a corpus notebook in order, and follows edits', async ({ page }) => {
    const panel = await openNotebook(page, CORPUS);
    const toc = await openToc(page);
    const expected = markdownHeadings(corpusNotebook(CORPUS).toString('utf-8'));
    expect(expected.length).toBeGreaterThan(5);
    await expect(toc.getByTestId('toc-text')).toHaveText(expected);
    // The active cell's section is highlighted: the first cell is in the first section.
    await expect(toc.getByTestId('toc-item').first()).toHaveClass(/ja-mod-active/);
    // A new heading typed into a cell shows up.
    await cells(panel).first().click();
    await page.keyboard.press('b');
    await page.keyboard.press('m');
    await page.keyboard.press('Enter');
    await page.keyboard.type('## A new heading');
    await page.keyboard.press('Shift+Enter');
    await expect(toc.getByTestId('toc-text')).toHaveText([expected[0]!, 'A new heading', ...expected.slice(1)]);
  });

  test('numbering: the toolbar toggle numbers headings and is kept; H1 and depth settings apply', async ({ page, server }) => {
    await openNotebook(page, 'depth.ipynb');
    const toc = await openToc(page);
    await expect(toc.getByTestId('toc-text')).toHaveText(['Title', 'One', 'One one', 'Two']);
    await expect(toc.getByTestId('toc-number')).toHaveText(['', '', '', '']);
    await toc.getByTestId('toc-numbering').click();
    await expect(toc.getByTestId('toc-number')).toHaveText(['1.', '1.1.', '1.1.1.', '1.2.']);
    // Kept after a reload.
    await gotoApp(page, server.appUrl('depth.ipynb'));
    const again = await openToc(page);
    await expect(again.getByTestId('toc-number')).toHaveText(['1.', '1.1.', '1.1.1.', '1.2.']);
    // H1 not numbered, depth 5: H2 becomes the top level and the H5 shows.
    await page.evaluate(async () => {
      const app = (window as unknown as { jlabAlt: { settings: { save(id: string, v: object): Promise<void> } } }).jlabAlt;
      await app.settings.save('@jlab-alt/toc:plugin', { numbering: true, numberingH1: false, maximalDepth: 5 });
    });
    await gotoApp(page, server.appUrl('depth.ipynb'));
    const third = await openToc(page);
    await expect(third.getByTestId('toc-text')).toHaveText(['Title', 'One', 'One one', 'Two', 'Too deep']);
    await expect(third.getByTestId('toc-number')).toHaveText(['', '1.', '1.1.', '2.', '2.0.0.1.']);
  });

  test('a heading with HTML in it shows as text; tocSkip headings are left out', async ({ page }) => {
    await openNotebook(page, 'html.ipynb');
    const toc = await openToc(page);
    await expect(toc.getByTestId('toc-text')).toHaveText(['Plain', 'Bold move & co']);
    await expect(toc.locator('b, img')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __tocXss?: number }).__tocXss)).toBeUndefined();
  });

  test('run section runs the cells of a section and marks a section with an error', async ({ page }) => {
    test.setTimeout(KERNEL_TIMEOUT * 3);
    const panel = await openNotebook(page, 'sections.ipynb');
    await expectKernelIdle(panel);
    const toc = await openToc(page);
    const items = toc.getByTestId('toc-item');
    await expect(toc.getByTestId('toc-text')).toHaveText(['Alpha', 'Beta', 'Gamma', 'Delta']);
    await items.nth(0).hover();
    await items.nth(0).getByTestId('toc-run').click();
    await expect(outputs(panel, 1)).toContainText('in alpha', { timeout: KERNEL_TIMEOUT });
    await expect(outputs(panel, 3)).toContainText('in beta', { timeout: KERNEL_TIMEOUT });
    await expectKernelIdle(panel);
    await expect(outputs(panel, 5)).toHaveCount(0);
    await items.nth(3).hover();
    await items.nth(3).getByTestId('toc-run').click();
    await expect(items.nth(3).getByTestId('toc-status')).toHaveAttribute('data-state', 'error', { timeout: KERNEL_TIMEOUT });
    await expect(items.nth(0).getByTestId('toc-status')).toHaveAttribute('data-state', '');
  });

  test('collapse a section, save, reload: the state is kept, in the ToC too; Ctrl+Shift+Right expands all', async ({ page, server }) => {
    const panel = await openNotebook(page, 'sections.ipynb', 8);
    const toggles = panel.getByTestId('heading-toggle');
    await expect(toggles).toHaveCount(4);
    await toggles.first().click();
    // Alpha hides its code, Beta and Beta's code (up to Gamma).
    for (const i of [1, 2, 3]) await expect(cells(panel).nth(i)).toBeHidden();
    await expect(cells(panel).nth(4)).toBeVisible();
    await expect(panel.getByTestId('heading-hidden-count')).toHaveText('3 cells hidden');
    const toc = await openToc(page);
    await expect(toc.getByTestId('toc-toggle').first()).toHaveAttribute('aria-expanded', 'false');
    await saveWithKeys(page, `${server.root}/sections.ipynb`);
    const saved = readNotebook(`${server.root}/sections.ipynb`);
    expect(saved.cells[0]!.metadata).toEqual({ 'jp-MarkdownHeadingCollapsed': true });

    await gotoApp(page, server.appUrl('sections.ipynb'));
    const reopened = page.locator('[data-testid="document"][data-path="sections.ipynb"]');
    await expect(cells(reopened)).toHaveCount(8);
    await expect(cells(reopened).nth(1)).toBeHidden();
    await expect(reopened.getByTestId('heading-hidden-count')).toHaveText('3 cells hidden');
    const toc2 = await openToc(page);
    await expect(toc2.getByTestId('toc-toggle').first()).toHaveAttribute('aria-expanded', 'false');
    // A click on a heading inside the collapsed section opens it.
    await toc2.getByTestId('toc-item').nth(1).click();
    await expect(cells(reopened).nth(2)).toBeVisible();
    // Collapse all, then expand all, with JupyterLab's keys in command mode.
    await expect(reopened.getByTestId('notebook')).toBeFocused();
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await expect(cells(reopened).nth(1)).toBeHidden();
    await expect(cells(reopened).nth(5)).toBeHidden();
    await page.keyboard.press('Control+Shift+ArrowRight');
    for (let i = 0; i < 8; i++) await expect(cells(reopened).nth(i)).toBeVisible();
  });

  test('a collapsed heading with nothing under it shows no "cells hidden" button', async ({ page }) => {
    const panel = await openNotebook(page, 'last-heading.ipynb', 3);
    const toggles = panel.getByTestId('heading-toggle');
    await toggles.nth(1).click();
    await expect(toggles.nth(1)).toHaveAttribute('aria-expanded', 'false');
    await expect(panel.getByTestId('heading-hidden-count')).toHaveCount(0);
    await toggles.nth(0).click();
    await expect(cells(panel).nth(1)).toBeHidden();
    await expect(panel.getByTestId('heading-hidden-count')).toHaveText(['1 cell hidden']);
  });
});
