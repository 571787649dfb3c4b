import type { Page } from '@playwright/test';
import { expect, gotoApp, runFromPalette, test } from './fixtures';
import { fileRow } from './notebook-helpers';

/** Markdown that tries to run script through attributes the sanitizer removes. */
const HOSTILE = [
  '# Hostile',
  '',
  '<img src=x onerror="window.__cspRan = 1" alt="img-onerror">',
  '',
  '<svg width="10" height="10"><rect width="10" height="10"><animate attributeName="x" onbegin="window.__cspRan = 2" dur="1s"/></rect></svg>',
  '',
  '<p onclick="window.__cspRan = 3" id="clicky">click me</p>',
  '',
  '<details open ontoggle="window.__cspRan = 4"><summary>toggle</summary>inside</details>',
  ''
].join('\n');

function notebook(): string {
  const cell = (cell_type: string, source: string, extra: object = {}) => ({ cell_type, metadata: {}, source, ...extra });
  return JSON.stringify({
    cells: [
      cell('markdown', HOSTILE),
      cell('code', 'x = 1', {
        execution_count: 1,
        outputs: [
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'text/html': '<b>html output</b><img src=y onerror="window.__cspRan = 5" alt="output-onerror">', 'text/plain': 'html' }
          },
          { output_type: 'display_data', metadata: {}, data: { 'text/markdown': '**md output** <img src=z onerror="window.__cspRan = 6" alt="md-output-onerror">', 'text/plain': 'md' } }
        ]
      })
    ],
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    nbformat: 4,
    nbformat_minor: 5
  });
}

/** Count every CSP violation the page reports, from before the app loads. */
async function countViolations(page: Page, url: string): Promise<void> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.defineProperty(window, '__cspViolations', { value: seen });
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective}: ${e.sample || e.blockedURI}`), true);
  });
  await gotoApp(page, url);
}

const violations = (page: Page) => page.evaluate(() => [...(window as unknown as { __cspViolations: string[] }).__cspViolations]);

test.describe('hostile Markdown and CSP', () => {
  test.use({ rootFiles: { 'hostile.md': HOSTILE, 'hostile.ipynb': notebook() } });

  test('rendering hostile Markdown (preview, cells, outputs) causes no CSP violation: handlers never reach a checked document', async ({
    page,
    server
  }) => {
    await countViolations(page, server.appUrl());

    // The Markdown preview of a file.
    await fileRow(page, 'hostile.md').dblclick();
    await expect(page.locator('[data-testid="document"][data-path="hostile.md"] .cm-content')).toBeFocused();
    await runFromPalette(page, 'Show Markdown Preview', 'markdownviewer:open');
    const preview = page.getByTestId('markdown-preview');
    await expect(preview.locator('h1')).toHaveText('Hostile');
    await expect(preview.locator('img[alt="img-onerror"]')).toHaveCount(1);
    await expect(preview.locator('details')).toContainText('inside');
    await preview.locator('#user-content-clicky, p', { hasText: 'click me' }).first().click();

    // A notebook: a Markdown cell, an HTML output and a Markdown output.
    await fileRow(page, 'hostile.ipynb').dblclick();
    const nb = page.getByTestId('notebook');
    await expect(nb.locator('.ja-Markdown h1', { hasText: 'Hostile' })).toBeVisible();
    await expect(nb.locator('img[alt="output-onerror"]')).toHaveCount(1);
    await expect(nb.locator('img[alt="md-output-onerror"]')).toHaveCount(1);

    // No handler survived anywhere, none ran, and the browser reported no violation at all.
    await expect(page.locator('[onerror], [onbegin], [onclick], [ontoggle]')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { __cspRan?: number }).__cspRan)).toBeUndefined();
    expect(await violations(page)).toEqual([]);
  });
});
