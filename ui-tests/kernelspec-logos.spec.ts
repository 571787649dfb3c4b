/**
 * A kernelspec whose logo is an SVG carrying script (issue 10, part 6): the launcher
 * shows the logo, and neither the launcher nor opening the logo's URL as a page ever
 * runs the script or makes its requests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Tries `<script>`, `onload=`, a `javascript:` link and external references; each marks `data-pwned`/`__pwned` or asks for a URL with "pwned". */
const HOSTILE_LOGO = fs.readFileSync(path.join(HERE, '..', 'tests', 'fixtures', 'hostile-logo.svg'));

/**
 * What the hostile SVG asks for in `page` (URLs containing "pwned"): `asked` every
 * request the page made, `escaped` those not blocked by a Content-Security-Policy
 * (they reached the network), `settled` how many have ended either way.
 */
function pwnedRequests(page: Page): { asked: string[]; escaped: string[]; settled: () => number } {
  const asked: string[] = [];
  const escaped: string[] = [];
  let settled = 0;
  page.on('request', (request) => {
    if (request.url().includes('pwned')) asked.push(request.url());
  });
  page.on('requestfinished', (request) => {
    if (!request.url().includes('pwned')) return;
    settled++;
    escaped.push(request.url());
  });
  page.on('requestfailed', (request) => {
    if (!request.url().includes('pwned')) return;
    settled++;
    // Chromium names a request its CSP refused "csp"; anything else went out (and failed there).
    if (request.failure()?.errorText !== 'csp') escaped.push(`${request.url()} (${request.failure()?.errorText})`);
  });
  return { asked, escaped, settled: () => settled };
}

test.describe('kernelspec logos', () => {
  test.use({
    dataFiles: {
      'kernels/svgprobe/kernel.json': JSON.stringify({
        argv: ['python', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
        display_name: 'SVG Probe',
        language: 'python'
      }),
      'kernels/svgprobe/logo-svg.svg': HOSTILE_LOGO
    }
  });

  test('an SVG logo with script shows on its launcher cards and never runs, in the launcher or opened as a page', async ({
    page,
    server
  }) => {
    // `page` is already loaded: record from a fresh load so the launcher's first draw counts.
    const requests = pwnedRequests(page);
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ja-state', 'ready');

    const cards = page.getByTestId('dock-watermark').locator('[data-testid="launcher-card"][data-kernel="svgprobe"]');
    await expect(cards).toHaveCount(2); // a notebook and a console card
    const logo = cards.first().locator('img');
    await expect(logo).toHaveAttribute('src', /\/kernelspecs\/svgprobe\/logo-svg\.svg$/);
    // The logo shows: decoded, at its size, drawn by the browser as an image.
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
    await expect(cards.nth(1).locator('img')).toBeVisible();
    // Loading done (every image decoded), and nothing of the SVG ran or reached out.
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    await expect(page.locator('[data-pwned]')).toHaveCount(0);

    // A user opens the logo's URL in a tab of their own ("Open image in new tab"): the
    // server's answer is sandboxed, so the same origin's cookies and APIs stay out of reach.
    const logoUrl = new URL((await logo.getAttribute('src'))!, server.origin).href;
    const direct = await page.context().newPage();
    const directRequests = pwnedRequests(direct);
    const response = await direct.goto(logoUrl, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    await expect(direct.locator('rect[data-testid="logo-square"]')).toHaveCount(1);
    await expect(direct.locator('[data-pwned]')).toHaveCount(0);

    // As an image, the SVG asked for nothing at all; as a page, its references were
    // refused by the policy before reaching the network.
    expect(requests.asked).toEqual([]);
    await expect.poll(() => directRequests.settled()).toBe(directRequests.asked.length);
    expect(directRequests.escaped).toEqual([]);
    expect(response?.headers()['content-security-policy']).toMatch(/(^|;)\s*sandbox\s*(;|$)/);
    await direct.close();
  });
});

/**
 * A kernelspec whose only logo is a large SVG (bash_kernel's is 801 KB, five times the rest
 * of the cold load): the launcher shows the kernel's initials instead and never downloads it;
 * a kernel with PNG logos still shows its logo.
 */
test.describe('an oversized kernelspec logo', () => {
  // 300 KB: a 64×64 red square and a long comment (well past the launcher's 64 KB cap).
  const bigLogo =
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="red"/>' +
    `<!-- ${'x'.repeat(300_000)} --></svg>`;
  test.use({
    dataFiles: {
      'kernels/biglogo/kernel.json': JSON.stringify({
        argv: ['python', '-m', 'ipykernel_launcher', '-f', '{connection_file}'],
        display_name: 'Big Logo (test)',
        language: 'python'
      }),
      'kernels/biglogo/logo-svg.svg': bigLogo
    }
  });

  test('shows the kernel initials instead of a logo over the size cap, and never downloads it', async ({ page }) => {
    // Every request for the logo (its Range header) and every answer (its status).
    const asked: (string | undefined)[] = [];
    const answered: number[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/kernelspecs/biglogo/')) asked.push(request.headers()['range']);
    });
    page.on('response', (response) => {
      if (response.url().includes('/kernelspecs/biglogo/')) answered.push(response.status());
    });
    await page.reload();
    await expect(page.locator('body')).toHaveAttribute('data-ja-state', 'ready');

    const launcher = page.getByTestId('dock-watermark');
    const cards = launcher.locator('[data-testid="launcher-card"][data-kernel="biglogo"]');
    await expect(cards).toHaveCount(2); // a notebook and a console card
    for (const card of await cards.all()) {
      await expect(card.getByTestId('launcher-initials')).toHaveAttribute('data-initials', 'BL');
      // The initials are drawn, not part of the card's label.
      await expect(card).toHaveText('Big Logo (test)');
      await expect(card.locator('img')).toHaveCount(0);
    }
    // The default kernel's PNG logo still shows, decoded.
    const pythonLogo = launcher.locator('[data-testid="launcher-card"][data-kernel="python3"] img').first();
    await expect.poll(() => pythonLogo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);

    // Only the size was asked for: one byte of the file, never the file.
    await page.waitForLoadState('load');
    await expect.poll(() => answered.length).toBeGreaterThan(0);
    expect(asked.every((range) => range === 'bytes=0-0')).toBe(true);
    expect(answered.every((status) => status === 206)).toBe(true);
  });
});
