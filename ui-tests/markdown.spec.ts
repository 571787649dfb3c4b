import type { Locator, Page } from '@playwright/test';
import { expect, runFromPalette, test } from './fixtures';
import { cells, fileRow, notebookJSON, openNotebook } from './notebook-helpers';

/** A Markdown file long enough to scroll: sections of 60 lines each, math, and HTML that must not run. */
function guide(): string {
  const filler = (name: string) => Array.from({ length: 60 }, (_, i) => `Line ${i} of ${name}.\n`).join('\n');
  return [
    '# Guide',
    '',
    'Inline math $E = mc^2$ and a block:',
    '',
    '$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$',
    '',
    '<script>window.__mdScript = 1</script>',
    '<img src="missing.png" onerror="window.__mdOnerror = 1" alt="broken">',
    '<a href="javascript:window.__mdLink = 1">a link</a>',
    '',
    '## Setup',
    '',
    filler('setup'),
    '## Usage',
    '',
    filler('usage'),
    '### Final words',
    '',
    filler('final words'),
    'The end.',
    ''
  ].join('\n');
}

const editorOf = (page: Page, path: string): Locator =>
  page.locator(`[data-testid="document"][data-path="${path}"]:not(.ja-FileViewer)`);

async function openToc(page: Page): Promise<Locator> {
  await page.keyboard.press('Control+Shift+K');
  const toc = page.getByTestId('toc');
  await expect(toc).toBeVisible();
  return toc;
}

test.describe('Markdown files', () => {
  test.use({ rootFiles: { 'guide.md': guide() } });

  test('preview renders sanitized Markdown with math and follows edits; the ToC lists the headings and a click scrolls', async ({
    page
  }) => {
    await fileRow(page, 'guide.md').dblclick();
    const editor = editorOf(page, 'guide.md');
    await expect(editor.locator('.cm-content')).toBeFocused();

    // The preview opens beside the editor.
    await runFromPalette(page, 'Show Markdown Preview', 'markdownviewer:open');
    const preview = page.getByTestId('markdown-preview');
    await expect(preview.locator('h1')).toHaveText('Guide');
    await expect(preview.locator('h2')).toHaveText(['Setup', 'Usage']);
    await expect(editor).toBeVisible();
    // Math is typeset as MathML, inline and as a block.
    await expect(preview.locator('.ja-Math math').first()).toBeVisible();
    await expect(preview.locator('.ja-Math.ja-mod-display math[display="block"]')).toHaveCount(1);
    await expect(preview.locator('.ja-Math math').first()).toContainText('E=mc2');
    // Sanitized: no script, no event handler, no javascript: link; none ran.
    await expect(preview.locator('img[alt="broken"]')).toHaveCount(1);
    await expect(preview.locator('script, [onerror]')).toHaveCount(0);
    const link = preview.locator('a', { hasText: 'a link' });
    await expect(link).toHaveCount(1);
    expect((await link.getAttribute('href')) ?? '').not.toMatch(/^javascript:/i);
    const ran = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return [w.__mdScript, w.__mdOnerror, w.__mdLink];
    });
    expect(ran).toEqual([undefined, undefined, undefined]);

    // Edits in the editor show in the preview.
    await editor.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n## Added later\n');
    await expect(preview.locator('h2')).toHaveText(['Setup', 'Usage', 'Added later']);

    // The table of contents of the Markdown file (from the editor, the current document).
    await editor.locator('.cm-content').click();
    const toc = await openToc(page);
    await expect(toc.getByTestId('toc-text')).toHaveText(['Guide', 'Setup', 'Usage', 'Final words', 'Added later']);

    // A click on a heading far down brings its line to the top of the editor; the preview
    // scrolls in step.
    const scroller = editor.locator('.cm-scroller');
    await scroller.evaluate((el) => (el.scrollTop = 0));
    await toc.getByTestId('toc-text').filter({ hasText: /^Final words$/ }).click();
    const line = editor.locator('.cm-line', { hasText: /^### Final words$/ });
    await expect(line).toBeVisible();
    const top = async () => {
      const [a, b] = await Promise.all([line.boundingBox(), scroller.boundingBox()]);
      return a && b ? Math.round(a.y - b.y) : Number.NaN;
    };
    await expect.poll(top).toBeLessThanOrEqual(10);
    await expect.poll(top).toBeGreaterThanOrEqual(0);
    await expect(editor.locator('.cm-content')).toBeFocused();
    const previewScroller = preview.locator('xpath=..');
    await expect.poll(() => previewScroller.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  });
});

test.describe('Markdown cells', () => {
  test.use({
    rootFiles: {
      'macros.ipynb': notebookJSON(
        [
          { type: 'markdown', source: 'Notation: $\\newcommand{\\RR}{\\mathbb{R}}\\DeclareMathOperator{\\tr}{tr}$ real numbers.' },
          { type: 'markdown', source: 'Let $x \\in \\RR^n$ and $\\tr(A) = 0$.' }
        ],
        { kernel: null }
      )
    }
  });

  test('a macro defined in one cell is known in the cells after it, as with MathJax', async ({ page }) => {
    const panel = await openNotebook(page, 'macros.ipynb', 2);
    // The defining formula shows nothing, and no error.
    await expect(cells(panel).nth(0)).toContainText('Notation: real numbers.');
    const used = cells(panel).nth(1).locator('.ja-Math math');
    await expect(used).toHaveCount(2);
    await expect(used.first()).toContainText('ℝ');
    await expect(used.nth(1)).toContainText('tr');
    await expect(panel.locator('.ja-Math.ja-mod-error')).toHaveCount(0);
  });
});
