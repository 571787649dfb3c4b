import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const row = (page: Page, name: string) => page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`));
const doc = (page: Page, p: string) => page.locator(`[data-testid="document"][data-path="${p}"]`);

const LINES = 300;

test.describe('text editor scrolling', () => {
  test.use({
    rootFiles: { 'long.py': Array.from({ length: LINES }, (_, i) => `line_${i + 1} = ${i + 1}`).join('\n') + '\n' }
  });

  test('the editor scrolls past the end of a file, so its last line can be brought to the top', async ({ page }) => {
    await row(page, 'long.py').dblclick();
    const editor = doc(page, 'long.py');
    const scroller = editor.locator('.cm-scroller');
    await expect(editor.locator('.cm-content')).toContainText('line_1 = 1');
    // Scroll as far down as the editor goes, with the mouse wheel.
    await scroller.hover();
    const last = editor.locator('.cm-line', { hasText: `line_${LINES} = ${LINES}` });
    await expect(async () => {
      await page.mouse.wheel(0, 4000);
      const box = await scroller.boundingBox();
      const line = await last.boundingBox();
      expect(box && line).toBeTruthy();
      // The last line reaches the top of the view (within two lines), not just the bottom.
      expect(line!.y - box!.y).toBeLessThan(2 * line!.height + 8);
    }).toPass();
    // The file itself is unchanged: no blank lines were added to reach that far.
    const lines = await page.evaluate(() => {
      const view = (window as unknown as { jlabAlt: { shell: { currentWidget: { editorView: { state: { doc: { lines: number } } } } } } }).jlabAlt
        .shell.currentWidget.editorView;
      return view.state.doc.lines;
    });
    expect(lines).toBe(LINES + 1);
  });
});
