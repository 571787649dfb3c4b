import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { fileRow } from './notebook-helpers';

/** A CSV of `rows` data rows (plus a header), several MB for 200,000 rows: read in many ranges. */
function bigCsv(rows: number): string {
  const lines = ['id;name;value;note'];
  for (let i = 1; i <= rows; i++) lines.push(`${i};name ${i};${(i * 7) % 1000};"quoted; with ${i}"`);
  return lines.join('\n') + '\n';
}

/** A tiny valid one-page PDF saying "Hello PDF". */
function tinyPdf(): string {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    '<< /Length 44 >>\nstream\nBT /F1 18 Tf 20 40 Td (Hello PDF) Tj ET\nendstream',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

/** One second of 8 kHz mono 8-bit silence as a WAV file. */
function wav(): Buffer {
  const samples = 8000;
  const buf = Buffer.alloc(44 + samples, 128);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + samples, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(8000, 24);
  buf.writeUInt32LE(8000, 28);
  buf.writeUInt16LE(1, 32);
  buf.writeUInt16LE(8, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(samples, 40);
  return buf;
}

const EVIL_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="60"><script>window.top.__svgRan = 1</script>' +
  '<rect width="120" height="60" fill="teal"/></svg>';

async function open(page: Page, name: string) {
  await fileRow(page, name).dblclick();
  const doc = page.locator(`[data-testid="document"][data-path="${name}"]`);
  await expect(doc).toBeVisible();
  return doc;
}

test.describe('viewers', () => {
  const ROWS = 200_000;
  test.use({
    rootFiles: {
      'big.csv': bigCsv(ROWS),
      'small.csv': 'city,pop\nOslo,700\nBergen,290\nAarhus,350\n',
      'evil.svg': EVIL_SVG,
      // A 1x1 PNG.
      'dot.png': Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
      'doc.pdf': tinyPdf(),
      'page.html': '<h1>Sandboxed page</h1><script>try { window.parent.__htmlRan = 1 } catch (e) { document.body.dataset.blocked = "yes" }</script>',
      'sound.wav': wav(),
      'data.geojson': JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'Oslo' } }] }),
      'notes.md': '# Notes\n\nSome text.\n'
    }
  });

  test('a multi-megabyte CSV opens in a grid read in ranges: rows, delimiter, scrolling to the end, reload on change', async ({ page, server }) => {
    const doc = await open(page, 'big.csv');
    await expect(doc).toHaveAttribute('data-delimiter', ';');
    await expect(doc.getByTestId('csv-column')).toHaveText(['id', 'name', 'value', 'note']);
    await expect(doc.getByTestId('csv-row').first()).toContainText('quoted; with 1');
    await expect(doc.getByTestId('csv-status')).toHaveText(`${ROWS.toLocaleString('en-US')} rows`, { timeout: 30_000 });
    await doc.getByTestId('csv-grid').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(doc.getByTestId('csv-row').last()).toContainText(`name ${ROWS}`);
    // The header toggle makes the first line a data row.
    await doc.getByTestId('csv-grid').evaluate((el) => (el.scrollTop = 0));
    await doc.getByTestId('csv-header-toggle').uncheck();
    await expect(doc.getByTestId('csv-row').first()).toContainText('note');
    // Changed on disk: the grid shows the new file.
    server.write('big.csv', 'a,b\nnew,file\n');
    await expect(doc).toHaveAttribute('data-delimiter', ',', { timeout: 15_000 });
    // The header toggle is still off: both lines are data rows.
    await expect(doc.getByTestId('csv-status')).toHaveText('2 rows');
    await expect(doc.getByTestId('csv-row').nth(1)).toContainText('new');
  });

  test('CSV columns sort and cells copy', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const doc = await open(page, 'small.csv');
    await expect(doc.getByTestId('csv-status')).toHaveText('3 rows');
    await doc.getByTestId('csv-column').nth(1).click();
    await expect(doc.getByTestId('csv-row')).toHaveText([/Bergen/, /Aarhus/, /Oslo/]);
    await doc.getByTestId('csv-column').nth(1).click();
    await expect(doc.getByTestId('csv-row')).toHaveText([/Oslo/, /Aarhus/, /Bergen/]);
    await doc.getByTestId('csv-row').nth(1).locator('[data-column="0"]').click();
    await page.keyboard.press('Control+C');
    await expect(doc).toHaveAttribute('data-copied', 'Aarhus');
  });

  test('an SVG with a script shows as an image and never runs it; rotate and flip', async ({ page }) => {
    const doc = await open(page, 'evil.svg');
    const img = doc.getByTestId('image-viewer');
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(120);
    expect(await page.evaluate(() => (window as unknown as { __svgRan?: number }).__svgRan)).toBeUndefined();
    await doc.getByTestId('image-rotate').click();
    await expect(img).toHaveAttribute('data-rotation', '90');
    await doc.getByTestId('image-flip-horizontal').click();
    await expect(img).toHaveAttribute('data-flip', 'x');
    await doc.getByTestId('image-zoom-in').click();
    await expect(img).not.toHaveAttribute('data-scale', 'fit');
    await doc.getByTestId('image-fit').click();
    await expect(img).toHaveAttribute('data-scale', 'fit');
    expect(await page.evaluate(() => (window as unknown as { __svgRan?: number }).__svgRan)).toBeUndefined();
  });

  test('a PNG opens in the image viewer, and Open With offers one image viewer', async ({ page }) => {
    const doc = await open(page, 'dot.png');
    await expect.poll(() => doc.getByTestId('image-viewer').evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(1);
    await fileRow(page, 'dot.png').click({ button: 'right' });
    await page.getByTestId('context-menu').locator('[data-id="filebrowser:open-with"]').click();
    const menu = page.getByTestId('open-with-menu');
    await expect(menu.locator('[data-id="open-with-Image"]')).toBeVisible();
    await expect(menu.locator('[data-id^="open-with-Image"]')).toHaveCount(1);
  });

  test('PDF, sandboxed HTML and audio open with the browser', async ({ page }) => {
    const pdf = await open(page, 'doc.pdf');
    await expect(pdf.getByTestId('pdf-viewer')).toHaveAttribute('src', /files\/doc\.pdf/);

    await fileRow(page, 'page.html').click({ button: 'right' });
    await page.getByTestId('context-menu').locator('[data-id="filebrowser:open-with"]').click();
    const menu = page.getByTestId('open-with-menu');
    await expect(menu.locator('[data-id="open-with-Editor"]')).toBeVisible();
    await menu.locator('[data-id="open-with-HTML Viewer"]').click();
    const frame = page.locator('[data-testid="document"][data-path="page.html"]').getByTestId('html-viewer');
    await expect(frame).toHaveAttribute('sandbox', 'allow-scripts allow-popups');
    await expect(page.frameLocator('[data-testid="html-viewer"]').locator('h1')).toHaveText('Sandboxed page');
    await expect(page.frameLocator('[data-testid="html-viewer"]').locator('body')).toHaveAttribute('data-blocked', 'yes');
    expect(await page.evaluate(() => (window as unknown as { __htmlRan?: number }).__htmlRan)).toBeUndefined();

    const audio = await open(page, 'sound.wav');
    const player = audio.getByTestId('audio-viewer');
    await expect.poll(() => player.evaluate((el: HTMLAudioElement) => Math.round(el.duration))).toBe(1);
  });

  test('JSON as a tree, and the text editor through Open With', async ({ page }) => {
    const doc = await open(page, 'data.geojson');
    await expect(doc.getByTestId('json-viewer')).toContainText('FeatureCollection');
    await fileRow(page, 'data.geojson').click({ button: 'right' });
    await page.getByTestId('context-menu').locator('[data-id="filebrowser:open-with"]').click();
    await page.getByTestId('open-with-menu').locator('[data-id="open-with-Editor"]').click();
    await expect(page.locator('[data-testid="document"][data-path="data.geojson"] .cm-content')).toContainText('FeatureCollection');
  });

});

// Behind JupyterHub (>= 4.1) a cookie-authenticated GET without X-XSRFToken is refused.
test.describe('CSV viewer behind a proxy that requires X-XSRFToken', () => {
  test.use({ rootFiles: { 'cities.csv': 'city,pop\nOslo,700\nBergen,290\nAarhus,350\n' } });

  test('the range reads carry the _xsrf cookie as X-XSRFToken, so the grid opens', async ({ page }) => {
    const seen: { range: string | undefined; xsrf: string | undefined }[] = [];
    // As JupyterHub does: refuse reads of files that lack the header.
    await page.route('**/files/cities.csv*', async (route) => {
      const headers = route.request().headers();
      seen.push({ range: headers['range'], xsrf: headers['x-xsrftoken'] });
      if (!headers['x-xsrftoken']) await route.fulfill({ status: 403, body: 'XSRF cookie does not match' });
      else await route.continue();
    });
    const doc = await open(page, 'cities.csv');
    await expect(doc.getByTestId('csv-status')).toHaveText('3 rows');
    await expect(doc.getByTestId('csv-row').first()).toContainText('Oslo');
    await expect(doc.getByRole('alert')).toHaveCount(0);
    const cookie = (await page.context().cookies()).find((c) => c.name === '_xsrf');
    expect(cookie?.value).toBeTruthy();
    expect(seen.length).toBeGreaterThan(0);
    for (const request of seen) {
      expect(request.range).toMatch(/^bytes=\d+-\d+$/);
      expect(request.xsrf).toBe(decodeURIComponent(cookie!.value));
    }
  });

  test('Save As in a viewer saves a copy of the file under the new name and opens it', async ({ page, server }) => {
    const doc = await open(page, 'cities.csv');
    await expect(doc.getByTestId('csv-status')).toHaveText('3 rows');
    await doc.getByTestId('csv-grid').click();
    await page.keyboard.press('Control+Shift+S');
    const input = page.getByTestId('save-as-path');
    await expect(input).toHaveValue('cities.csv');
    await input.fill('cities-copy.csv');
    await input.press('Enter');
    const copy = page.locator('[data-testid="document"][data-path="cities-copy.csv"]');
    await expect(copy.getByTestId('csv-status')).toHaveText('3 rows');
    await expect(copy.getByTestId('csv-row').first()).toContainText('Oslo');
    expect(fs.readFileSync(path.join(server.root, 'cities-copy.csv'), 'utf8')).toBe(fs.readFileSync(path.join(server.root, 'cities.csv'), 'utf8'));
    await expect(fileRow(page, 'cities-copy.csv')).toBeVisible();
    await expect(fileRow(page, 'cities.csv')).toBeVisible();
  });
});
