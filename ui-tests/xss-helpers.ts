/**
 * Helpers of the XSS suite (xss.spec.ts): payloads that try to run script in the
 * app, and the checks that none did.
 *
 * Every payload tries to set `window.top.__xss` to its vector id and to call
 * `alert()`. The app page's CSP would block inline script anyway, so the checks look
 * at what the sanitizer let into the DOM (no `<script>`, no `on*` attribute, no
 * `javascript:`/`data:text/html` URL...), and also that no flag was set, no dialog
 * opened and the browser reported no blocked script element or `javascript:` URL (a
 * CSP report means a script reached the page and only the policy stopped it).
 */
import { expect, type Page } from '@playwright/test';
import { showCell } from './notebook-helpers';

/** JavaScript a payload runs: sets the flag to `id` and opens an alert. No spaces (for unquoted attributes). */
export function js(id: string): string {
  return `window.top.__xss='${id}';alert('${id}')`;
}

/** Base64 of UTF-8 text (for data: URLs and attachments). */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** One attack: an id for messages, and where it lives (a cell index of the test's notebook). */
export interface Vector {
  id: string;
  /** Text that must show literally (as text) somewhere in the vector's cell. */
  shows?: string;
}

/** A problem found in the app's DOM, with the cell it is in (index in its notebook, -1 outside cells). */
export interface Danger {
  path: string | null;
  cell: number;
  problem: string;
}

/**
 * Watch `page` for signs of script execution: dialogs (dismissed and recorded)
 * and CSP reports of blocked scripts. Call before loading the app.
 */
export function watchForScript(page: Page): { dialogs: string[]; blockedScripts: string[] } {
  const seen = { dialogs: [] as string[], blockedScripts: [] as string[] };
  // The CSP report names the element whose script was blocked (to name the vector).
  // Not script-src-attr: Chromium reports an on* attribute as soon as it is parsed,
  // even in the sanitizer's inert DOMParser document where it can never run (the DOM
  // check finds any handler left in the page).
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      if (!/^script-src(-elem)?$/.test(e.effectiveDirective)) return;
      const target = e.target instanceof Element ? e.target.outerHTML.slice(0, 200) : String(e.target);
      console.warn(`jlab-alt-xss CSP: ${e.effectiveDirective} blocked ${JSON.stringify(e.sample)} on ${target}`);
    }, true);
  });
  page.on('dialog', (dialog) => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('jlab-alt-xss CSP: ')) seen.blockedScripts.push(text.slice('jlab-alt-xss CSP: '.length));
  });
  return seen;
}

/**
 * Everything in the app document that could run script or navigate the app: script
 * elements in the body, `on*` attributes, `javascript:`/`vbscript:`/`data:text/html`
 * URLs, `srcdoc`, frames other than the app's output sandboxes and PDF viewers, objects,
 * embeds, forms, `<base>`, `<meta http-equiv>`, `foreignObject`, SVG animation.
 */
export async function findDangers(page: Page): Promise<Danger[]> {
  return page.evaluate(() => {
    const found: { path: string | null; cell: number; problem: string }[] = [];
    const where = (el: Element) => {
      const cell = el.closest('[data-testid="cell"]');
      const doc = el.closest('[data-testid="document"]') as HTMLElement | null;
      let index = -1;
      const notebook = cell?.closest('[data-testid="notebook"]');
      if (cell && notebook) index = [...notebook.querySelectorAll('[data-testid="cell"]')].indexOf(cell);
      return { path: doc?.dataset.path ?? null, cell: index };
    };
    const report = (el: Element, problem: string) => found.push({ ...where(el), problem: `${problem}: ${el.outerHTML.slice(0, 160)}` });
    for (const el of document.querySelectorAll('base, meta[http-equiv]')) report(el, `<${el.nodeName.toLowerCase()}> element`);
    for (const el of document.body.querySelectorAll('script, object, embed, form, frame, frameset, foreignObject, animate, set, template, noscript')) {
      // The page's own <noscript> note sits directly in <body>.
      if (el.nodeName === 'NOSCRIPT' && el.parentElement === document.body) continue;
      report(el, `<${el.nodeName}> element`);
    }
    for (const el of document.body.querySelectorAll('iframe')) {
      if (!el.matches('.ja-OutputSandbox, .ja-PdfOutput')) report(el, 'foreign <iframe>');
    }
    for (const el of document.body.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        const value = attr.value.replace(/[\u0000-\u0020\u00a0]/g, '');
        if (name.startsWith('on')) report(el, `${name} attribute`);
        if (name === 'srcdoc') report(el, 'srcdoc attribute');
        if (/^(href|xlink:href|src|action|formaction|data|poster|background|cite)$/.test(name) && /^(javascript|vbscript):|^data:text\/html/i.test(value)) {
          report(el, `${name}="${attr.value.slice(0, 60)}"`);
        }
      }
    }
    return found;
  });
}

/** The flag a payload would have set in the app window (undefined when none ran). */
export async function xssFlag(page: Page): Promise<unknown> {
  return page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
}

/**
 * Assert that nothing ran and nothing dangerous is in the DOM; each problem is named
 * by its vector (`vectors[i]` is the vector of cell `i` of notebook `path`).
 */
export async function expectNoScript(
  page: Page,
  seen: { dialogs: string[]; blockedScripts: string[] },
  vectors: Record<string, Vector[]> = {}
): Promise<void> {
  const name = (d: Danger) => {
    const vector = d.path !== null && d.cell >= 0 ? vectors[d.path]?.[d.cell]?.id : undefined;
    return `${vector ? `vector "${vector}"` : 'outside the vectors'} (${d.path ?? 'app'} cell ${d.cell}): ${d.problem}`;
  };
  const dangers = (await findDangers(page)).map(name);
  expect(dangers, 'dangerous markup the sanitizer let through').toEqual([]);
  expect(await xssFlag(page), 'window.__xss set by a payload (its value names the vector)').toBeUndefined();
  expect(seen.dialogs, 'dialogs opened by payloads').toEqual([]);
  expect(seen.blockedScripts, 'scripts that reached the DOM and were only stopped by the CSP').toEqual([]);
}

/**
 * Wait until the notebook at `path` has drawn: `cells` cells, math typeset, every
 * image loaded or failed (so their `onerror`/`onload` would have fired).
 */
export async function waitForRendered(page: Page, path: string, cells: number): Promise<void> {
  const panel = page.locator(`[data-testid="document"][data-path="${path}"]`);
  await expect(panel.getByTestId('cell')).toHaveCount(cells, { timeout: 20_000 });
  // Only cells near the screen are drawn: scroll to each, so every one has been drawn
  // (and any script it could run would have run) once this returns.
  for (let i = 0; i < cells; i++) {
    const cell = await showCell(panel, i);
    await expect
      .poll(
        () =>
          cell.evaluate((node) => ({
            math: (node.textContent ?? '').includes('@@JA-MATH-'),
            images: [...node.querySelectorAll('img')].filter((img) => !img.complete).length
          })),
        { message: `${path} cell ${i}: math typeset and images settled`, timeout: 20_000 }
      )
      .toEqual({ math: false, images: 0 });
  }
}

/** Check that each vector's `shows` text is in its cell, as text (in textContent, not as elements). */
export async function expectShownAsText(page: Page, path: string, vectors: Vector[]): Promise<void> {
  const panel = page.locator(`[data-testid="document"][data-path="${path}"]`);
  // Each cell scrolled to (only cells near the screen are drawn).
  const texts: string[] = [];
  for (let i = 0; i < vectors.length; i++) {
    const cell = await showCell(panel, i);
    texts.push(await cell.evaluate((c) => c.textContent ?? ''));
  }
  const missing = vectors
    .map((v, i) => ({ v, text: texts[i] ?? '' }))
    .filter(({ v, text }) => v.shows !== undefined && !text.includes(v.shows))
    .map(({ v, text }) => `vector "${v.id}" should show ${JSON.stringify(v.shows)}; its cell shows ${JSON.stringify(text.slice(0, 200))}`);
  expect(missing, 'payload text that should be visible as text').toEqual([]);
}

/**
 * Check that rendered content neither hid nor covered the app around it: the
 * notebook's toolbar, the file browser and the status bar are visible, and what is
 * under their centres is theirs (not an output or Markdown stretched over them).
 */
export async function expectAppIntact(page: Page): Promise<void> {
  const chrome = ['.ja-Toolbar', '[data-testid="filebrowser-breadcrumbs"]', '[data-testid="statusbar"]'];
  for (const selector of chrome) await expect(page.locator(selector).first(), `${selector} visible`).toBeVisible();
  const covered = await page.evaluate((selectors) => {
    const problems: string[] = [];
    for (const selector of selectors) {
      const el = document.querySelector(selector)!;
      const box = el.getBoundingClientRect();
      const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      if (!hit || !el.contains(hit)) problems.push(`${selector} is covered by ${hit?.outerHTML.slice(0, 120) ?? 'nothing'}`);
    }
    const background = getComputedStyle(document.body).backgroundColor;
    if (background === 'rgb(255, 0, 0)') problems.push('the page background turned red');
    return problems;
  }, chrome);
  expect(covered, 'app UI hidden or covered by rendered content').toEqual([]);
}
