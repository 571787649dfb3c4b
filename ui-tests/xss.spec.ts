/**
 * XSS suite: notebooks, outputs, file names and kernel names carrying script
 * payloads, opened in the real app. See xss-helpers.ts for what is checked.
 * Many vectors share one notebook (one cell each) so the suite needs few servers.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, gotoApp, runFromPalette, test } from './fixtures';
import { fileRow, notebookJSON, notebookPanel, streamOutput, tab, type CellSpec } from './notebook-helpers';
import { b64, expectAppIntact, expectNoScript, expectShownAsText, js, waitForRendered, watchForScript, type Vector } from './xss-helpers';

type Case = Vector & { cell: CellSpec };

const svgDoc = (body: string, attrs = '') => `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20" ${attrs}>${body}</svg>`;

/** Markdown cells: raw HTML, URLs, SVG, mXSS classics and the math typesetter's link and HTML commands. */
const MARKDOWN: Case[] = (
  [
    ['md-script', `before <script>${js('md-script')}</script> after`, 'before'],
    ['md-img-onerror', `<img src="x" onerror="${js('md-img-onerror')}">`],
    ['md-svg-onload', `<svg onload="${js('md-svg-onload')}"><circle r="4"/></svg>`],
    ['md-js-link', `[click me](javascript:${js('md-js-link')})`, 'click me'],
    ['md-js-link-obfuscated', `<a href="JaVa&#x09;ScRiPt&colon;${js('md-js-link-obfuscated')}">obfuscated</a>`, 'obfuscated'],
    ['md-js-autolink', `<javascript:window.top.__xss='md-js-autolink'>`],
    ['md-data-html-link', `[data link](data:text/html;base64,${b64(`<script>${js('md-data-html-link')}</script>`)})`, 'data link'],
    ['md-iframe', `<iframe src="javascript:${js('md-iframe')}"></iframe><iframe srcdoc="<script>${js('md-iframe-srcdoc')}</script>"></iframe>`],
    ['md-form-formaction', `<form action="javascript:${js('md-form')}"><button formaction="javascript:${js('md-formaction')}">go</button><input type="submit" formaction="javascript:${js('md-formaction')}"></form>`],
    ['md-meta-refresh', `<meta http-equiv="refresh" content="0;url=javascript:${js('md-meta-refresh')}">`],
    ['md-base-href', `<base href="javascript:${js('md-base-href')}//">\n\n[relative link](page.html)`, 'relative link'],
    ['md-style-attr', `<div style="background-image:url(javascript:${js('md-style-attr')})">styled</div>`, 'styled'],
    ['md-style-import', `<style>@import url("javascript:${js('md-style-import')}");</style>after style`, 'after style'],
    ['md-object-embed', `<object data="javascript:${js('md-object')}"></object><embed src="data:text/html;base64,${b64(`<script>${js('md-embed')}</script>`)}">`],
    ['md-details-ontoggle', `<details open ontoggle="${js('md-details-ontoggle')}"><summary>summary</summary>body</details>`, 'summary'],
    ['md-mxss-noscript', `<noscript><p title="</noscript><img src=x onerror=${js('md-mxss-noscript')}>"></noscript>`],
    ['md-mxss-svg-style', `<svg></p><style><a id="</style><img src=1 onerror=${js('md-mxss-svg-style')}>">`],
    ['md-mxss-math', `<math><mtext><table><mglyph><style><img src=x onerror=${js('md-mxss-math')}></style></mglyph></table></mtext></math>`],
    ['md-mxss-comment', `<!--<img src="--><img src=x onerror=${js('md-mxss-comment')}//">`],
    ['md-template', `<template><img src=x onerror="${js('md-template')}"></template>`],
    ['md-katex-href', `$\\href{javascript:${js('md-katex-href')}}{katex link}$`],
    ['md-katex-url-html', `$$\\url{javascript:${js('md-katex-url')}} \\htmlData{onclick=${js('md-katex-html')}}{x} \\includegraphics{javascript:${js('md-katex-img')}}$$`],
    ['md-math-class-style', `$$\\class{ja-App}{x} \\style{background:url(javascript:${js('md-math-style')})}{y} \\data{onclick=${js('md-math-data')}}{z}$$`],
    ['md-svg-use-data', `<svg><use href="data:image/svg+xml;base64,${b64(svgDoc(`<image id="x" href="1" onerror="${js('md-svg-use-data')}"/>`))}#x"/></svg>`],
    ['md-svg-animate', `<svg width="200" height="20"><a><animate attributeName="href" values="javascript:${js('md-svg-animate')}"/><text x="0" y="15">animated link</text></a></svg>`, 'animated link'],
    ['md-svg-foreignobject', `<svg><foreignObject width="50" height="50"><img src=x onerror="${js('md-svg-foreignobject')}"></foreignObject></svg>`],
    ['md-img-data-svg', `![svg image](data:image/svg+xml;base64,${b64(svgDoc(`<script>${js('md-img-data-svg')}</script>`))})`],
    ['md-code-span', '`<img src=x onerror=alert(1)>` in code', '<img src=x onerror=alert(1)>'],
    ['md-style-escape', '<style>} .ja-Toolbar, [data-testid="statusbar"] { display: none !important } x {</style>style escape', 'style escape'],
    ['md-style-global', '<style>.ja-FileBrowser-crumbs { visibility: hidden !important } body { background: red !important }</style>style global', 'style global']
  ] as [string, string, string?][]
).map(([id, source, shows]) => ({ id, shows, cell: { type: 'markdown', source } }));

const html = (id: string, data: Record<string, unknown>, shows?: string): Case => ({
  id,
  shows,
  cell: { source: 'pass', execution_count: 1, outputs: [{ output_type: 'display_data', data, metadata: {} }] }
});

/** Outputs of an untrusted notebook (never run here: no kernel). */
const OUTPUTS: Case[] = [
  html('out-html-script', { 'text/html': `<b>bold html</b><script>${js('out-html-script')}</script>` }, 'bold html'),
  html('out-html-img-onerror', { 'text/html': `<img src="nope.png" onerror="${js('out-html-img-onerror')}">` }),
  html('out-html-iframe-srcdoc', { 'text/html': `<iframe srcdoc="<script>${js('out-html-iframe-srcdoc')}</script>"></iframe>` }),
  html('out-html-object-embed', {
    'text/html': `<object data="data:text/html;base64,${b64(`<script>${js('out-html-object')}</script>`)}"></object><embed src="javascript:${js('out-html-embed')}">`
  }),
  html('out-html-svg-onload', { 'text/html': `<svg onload="${js('out-html-svg-onload')}"><rect width="5" height="5"/></svg>` }),
  html('out-html-links', {
    'text/html': `<a href="javascript:${js('out-html-js-link')}">js link</a> <a href="data:text/html,<script>${js('out-html-data-link')}</script>">data link</a>`
  }, 'js link'),
  html('out-html-form', { 'text/html': `<form><button formaction="javascript:${js('out-html-form')}">submit</button></form>` }),
  html('out-html-meta-base', { 'text/html': `<meta http-equiv="refresh" content="0;url=javascript:${js('out-html-meta')}"><base href="javascript:${js('out-html-base')}//">` }),
  html('out-html-fixed-overlay', {
    'text/html': '<div style="position:fixed;top:0;left:0;right:0;bottom:0;z-index:99999;background:rgba(255,0,0,.5)">fake login overlay</div>'
  }, 'fake login overlay'),
  html('out-style-fixed-overlay', {
    'text/html': '<style>.xss-overlay { position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; z-index: 99999; background: rgba(255,0,0,.5) }</style><div class="xss-overlay">style overlay</div>'
  }, 'style overlay'),
  html('out-javascript-untrusted', { 'application/javascript': js('out-javascript-untrusted'), 'text/plain': 'js fallback text' }, 'js fallback text'),
  // The PDF viewer frame gets a blob of type application/pdf: HTML in it is never parsed.
  html('out-pdf-html', { 'application/pdf': b64(`<html><body><script>${js('out-pdf-html')}</script></body></html>`) }),
  html('out-markdown', { 'text/markdown': `[md link](javascript:${js('out-markdown-link')}) <img src=x onerror="${js('out-markdown-img')}"> md text` }, 'md text'),
  html('out-svg-script', { 'image/svg+xml': svgDoc(`<script>${js('out-svg-script')}</script><rect width="5" height="5"/>`) }),
  html('out-svg-onload', { 'image/svg+xml': svgDoc('<rect width="5" height="5"/>', `onload="${js('out-svg-onload')}"`) }),
  html('out-svg-foreignobject', {
    'image/svg+xml': svgDoc(`<foreignObject width="40" height="20"><iframe xmlns="http://www.w3.org/1999/xhtml" srcdoc="&lt;script&gt;${js('out-svg-foreignobject')}&lt;/script&gt;"/></foreignObject>`)
  }),
  html('out-svg-use-data', { 'image/svg+xml': svgDoc(`<use href="data:image/svg+xml;base64,${b64(svgDoc(`<script>${js('out-svg-use-data')}</script>`))}#x"/>`) }),
  html('out-latex-href', { 'text/latex': `$\\href{javascript:${js('out-latex-href')}}{latex link}$` }),
  html('out-latex-html-text', { 'text/latex': `<img src=x onerror=${js('out-latex-html')}> and $x^2$` }, `<img src=x onerror=${js('out-latex-html')}>`),
  html('out-plain-html', { 'text/plain': `<img src=x onerror="${js('out-plain-html')}">` }, `<img src=x onerror="${js('out-plain-html')}">`),
  html('out-json-html', { 'application/json': { payload: `<img src=x onerror="${js('out-json-html')}">` } }, `<img src=x onerror=\\"${js('out-json-html')}\\">`),
  {
    id: 'out-stream-html',
    shows: `<script>${js('out-stream-html')}</script>`,
    cell: { source: 'pass', outputs: [streamOutput(`<img src=x onerror="${js('out-stream-img')}">\n<script>${js('out-stream-html')}</script>\n`)] }
  },
  {
    id: 'out-stream-ansi-html',
    shows: `<b onmouseover="${js('out-stream-ansi')}">red</b>`,
    cell: { source: 'pass', outputs: [streamOutput(`\x1b[31m<b onmouseover="${js('out-stream-ansi')}">red</b>\x1b[0m\n`, 'stderr')] }
  },
  {
    id: 'out-error',
    shows: `<svg onload=${js('out-error-evalue')}>`,
    cell: {
      source: 'pass',
      outputs: [
        {
          output_type: 'error',
          ename: `<img src=x onerror=${js('out-error-ename')}>`,
          evalue: `<svg onload=${js('out-error-evalue')}>`,
          traceback: [`\x1b[0;31m<script>${js('out-error-traceback')}</script>\x1b[0m`, `<svg onload=${js('out-error-evalue')}>`]
        }
      ]
    }
  },
  {
    id: 'code-source',
    shows: `<img src=x onerror=${js('code-source')}>`,
    cell: { source: `print("<img src=x onerror=${js('code-source')}>")` }
  },
  {
    id: 'cell-metadata',
    cell: {
      source: 'pass',
      metadata: { tags: [`<img src=x onerror=${js('cell-metadata-tag')}>`], name: `<script>${js('cell-metadata-name')}</script>` }
    }
  },
  {
    id: 'raw-cell',
    shows: `<img src=x onerror=${js('raw-cell')}>`,
    cell: { type: 'raw', source: `<img src=x onerror=${js('raw-cell')}>` }
  }
];

/** The notebook JSON of `cases`, with notebook metadata carrying payloads too. */
function notebookOf(cases: Case[], kernel: string | null = null): string {
  const nb = JSON.parse(notebookJSON(cases.map((c) => c.cell), { kernel })) as { metadata: Record<string, unknown> };
  nb.metadata.title = `<img src=x onerror=${js('notebook-metadata-title')}>`;
  nb.metadata.authors = [{ name: `<script>${js('notebook-metadata-author')}</script>` }];
  return JSON.stringify(nb, null, 1) + '\n';
}

test.describe('untrusted notebook content cannot run script', () => {
  test.use({ rootFiles: { 'markdown.ipynb': notebookOf(MARKDOWN), 'outputs.ipynb': notebookOf(OUTPUTS) } });

  test(`${MARKDOWN.length} Markdown cell vectors`, async ({ page, server }) => {
    const seen = watchForScript(page);
    await gotoApp(page, server.appUrl('markdown.ipynb'));
    await waitForRendered(page, 'markdown.ipynb', MARKDOWN.length);
    const panel = notebookPanel(page, 'markdown.ipynb');
    // The math vectors typeset (or failed) instead of staying as source.
    await expect(panel.locator('.ja-Math')).toHaveCount(3);
    // Links that lost their javascript:/data: URL still show their text, inert.
    await expect(panel.getByText('click me', { exact: true })).toBeVisible();
    await expectShownAsText(page, 'markdown.ipynb', MARKDOWN);
    await expectNoScript(page, seen, { 'markdown.ipynb': MARKDOWN });
    // md-style-escape, md-style-global: <style> reaches no further than rendered content.
    await expectAppIntact(page);
  });

  test(`${OUTPUTS.length} output, source and metadata vectors`, async ({ page, server }) => {
    const seen = watchForScript(page);
    await gotoApp(page, server.appUrl('outputs.ipynb'));
    await waitForRendered(page, 'outputs.ipynb', OUTPUTS.length);
    const panel = notebookPanel(page, 'outputs.ipynb');
    // Untrusted: nothing runs in the output sandbox either.
    await expect(page.getByTestId('output-sandbox')).toHaveCount(0);
    // SVG outputs are pictures (<img>), where their script cannot run.
    await expect(panel.locator('.ja-MimeOutput[data-mime-type="image/svg+xml"] img')).toHaveCount(4);
    // The untrusted JavaScript output fell back to its text/plain.
    await expect(panel.locator('.ja-MimeOutput[data-mime-type="application/javascript"]')).toHaveCount(0);
    // text/latex typeset its formula and kept the HTML as text; the untrusted \href is refused
    // and shown as its source.
    await expect(panel.locator('.ja-LatexOutput .ja-Math math')).toHaveCount(1);
    await expect(panel.locator('.ja-LatexOutput .ja-Math.ja-mod-error')).toHaveText(`$\\href{javascript:${js('out-latex-href')}}{latex link}$`);
    await expectShownAsText(page, 'outputs.ipynb', OUTPUTS);
    await expectNoScript(page, seen, { 'outputs.ipynb': OUTPUTS });
    // out-html-fixed-overlay, out-style-fixed-overlay: nothing covers the app.
    for (const id of ['out-html-fixed-overlay', 'out-style-fixed-overlay']) {
      await panel.getByTestId('cell').nth(OUTPUTS.findIndex((c) => c.id === id)).scrollIntoViewIfNeeded();
      await expectAppIntact(page);
    }
  });
});

/** Cell attachments whose mime type is not an image, or an SVG image carrying script. */
const ATTACHMENTS: Case[] = [
  {
    id: 'attachment-text-html',
    shows: 'html attachment',
    cell: { type: 'markdown', source: 'html attachment ![page](attachment:page.html)' }
  },
  {
    id: 'attachment-svg-script',
    shows: 'svg attachment',
    cell: { type: 'markdown', source: 'svg attachment ![pic](attachment:pic.svg)' }
  }
];

test.describe('cell attachments', () => {
  const nb = JSON.parse(notebookOf(ATTACHMENTS)) as { cells: Record<string, unknown>[] };
  nb.cells[0]!.attachments = { 'page.html': { 'text/html': b64(`<script>${js('attachment-text-html')}</script>`) } };
  nb.cells[1]!.attachments = { 'pic.svg': { 'image/svg+xml': b64(svgDoc(`<script>${js('attachment-svg-script')}</script>`, `onload="${js('attachment-svg-onload')}"`)) } };
  test.use({ rootFiles: { 'attachments.ipynb': JSON.stringify(nb) } });

  test('attachments never become HTML documents or run script', async ({ page, server }) => {
    const seen = watchForScript(page);
    await gotoApp(page, server.appUrl('attachments.ipynb'));
    await waitForRendered(page, 'attachments.ipynb', ATTACHMENTS.length);
    await expectShownAsText(page, 'attachments.ipynb', ATTACHMENTS);
    await expectNoScript(page, seen, { 'attachments.ipynb': ATTACHMENTS });
  });
});

const EVIL_FILE = `<img src=x onerror=${js('file-name')}>.ipynb`;
const EVIL_FOLDER = `<svg onload=${js('folder-name')}>`;

test.describe('file and folder names', () => {
  test.use({
    rootFiles: {
      [EVIL_FILE]: notebookJSON(['1'], { kernel: null }),
      [`${EVIL_FOLDER}/`]: '',
      [`${EVIL_FOLDER}/inner.ipynb`]: notebookJSON(['2'], { kernel: null })
    }
  });

  test('show as text in the file browser, breadcrumbs, tabs and dialogs', async ({ page }) => {
    const seen = watchForScript(page);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
    // file-name vector: the listing and the tab show the name literally.
    await expect(fileRow(page, EVIL_FILE)).toContainText(EVIL_FILE);
    await fileRow(page, EVIL_FILE).dblclick();
    await expect(notebookPanel(page, EVIL_FILE).getByTestId('cell')).toHaveCount(1);
    await expect(tab(page, EVIL_FILE)).toBeVisible();
    // file-name-dialog vector: the trust dialog names the file, as text.
    await runFromPalette(page, 'Trust Notebook', 'notebook:trust');
    await expect(page.getByTestId('dialog')).toContainText(`"${EVIL_FILE}"`);
    await page.getByTestId('dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('dialog')).toHaveCount(0);
    // folder-name vector: the folder's row and the breadcrumbs after entering it.
    await expect(fileRow(page, EVIL_FOLDER)).toContainText(EVIL_FOLDER);
    await fileRow(page, EVIL_FOLDER).dblclick();
    await expect(page.getByTestId('filebrowser-breadcrumbs')).toContainText(EVIL_FOLDER);
    await fileRow(page, 'inner.ipynb').dblclick();
    await expect(notebookPanel(page, `${EVIL_FOLDER}/inner.ipynb`).getByTestId('cell')).toHaveCount(1);
    await expectNoScript(page, seen);
  });
});

/** A kernelspec whose display name is a payload, in a JUPYTER_PATH of its own. */
const KERNEL_DISPLAY = `<img src=x onerror=${js('kernel-display-name')}>Evil Kernel`;
const kernelPath = fs.mkdtempSync(path.join(os.tmpdir(), 'jlab-alt-xss-kernels-'));
fs.mkdirSync(path.join(kernelPath, 'kernels', 'xss-kernel'), { recursive: true });
fs.writeFileSync(
  path.join(kernelPath, 'kernels', 'xss-kernel', 'kernel.json'),
  JSON.stringify({ argv: ['python3', '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: KERNEL_DISPLAY, language: 'python' })
);
test.afterAll(() => fs.rmSync(kernelPath, { recursive: true, force: true }));

function kernelNotebook(name: string, displayName: string): string {
  const nb = JSON.parse(notebookJSON(['1'])) as { metadata: { kernelspec: Record<string, string> } };
  nb.metadata.kernelspec = { name, display_name: displayName, language: 'python' };
  return JSON.stringify(nb);
}

const MISSING_NAME = `<svg onload=${js('kernel-missing-name')}>`;
const MISSING_DISPLAY = `<img src=x onerror=${js('kernel-missing-display')}>`;

test.describe('kernel names', () => {
  test.use({
    serverEnv: { JUPYTER_PATH: kernelPath },
    rootFiles: {
      'evil-kernel.ipynb': kernelNotebook('xss-kernel', KERNEL_DISPLAY),
      'missing-kernel.ipynb': kernelNotebook(MISSING_NAME, MISSING_DISPLAY)
    }
  });

  test('show as text in the toolbar, status bar, kernel picker and banner', async ({ page, server }) => {
    const seen = watchForScript(page);
    await gotoApp(page, server.appUrl('evil-kernel.ipynb'));
    const panel = notebookPanel(page, 'evil-kernel.ipynb');
    await expect(panel.getByTestId('kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: 30_000 });
    await expect(panel.getByTestId('kernel-name')).toHaveText(KERNEL_DISPLAY);
    await expect(page.getByTestId('notebook-status')).toContainText(KERNEL_DISPLAY);
    await panel.getByTestId('kernel-name').click();
    const picker = page.getByTestId('kernel-picker');
    await expect(picker.locator('option', { hasText: KERNEL_DISPLAY })).toHaveCount(1);
    await expect(picker.locator('img, svg')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('dialog')).toHaveCount(0);
    // A kernel that is not installed: its names show in the banner.
    await gotoApp(page, server.appUrl('missing-kernel.ipynb'));
    const missing = notebookPanel(page, 'missing-kernel.ipynb');
    await expect(missing.locator('.ja-NotebookPanel-banner')).toContainText(MISSING_DISPLAY);
    await expectNoScript(page, seen);
  });
});

/** Trusted HTML runs its scripts only in the sandbox frame, which cannot reach the app. */
const probe = (id: string, attempt: string) =>
  `<div id="r">pending</div><script>
var r = document.getElementById('r');
try { ${attempt}; r.textContent = '${id}: reached the app'; } catch (e) { r.textContent = '${id}: blocked (' + e.name + ')'; }
</script>`;

const TRUSTED: Case[] = [
  html('trusted-top-global', { 'text/html': probe('trusted-top-global', "window.top.__xss = 'trusted-top-global'") }),
  html('trusted-parent-dom', { 'text/html': probe('trusted-parent-dom', "parent.document.body.dataset.xss = 'trusted-parent-dom'") }),
  html('trusted-storage', { 'text/html': probe('trusted-storage', "localStorage.setItem('xss', '1'); document.cookie") }),
  html('trusted-api-post', {
    'text/html': `<div id="r">pending</div><script>
fetch('/api/contents/pwned.txt', { method: 'PUT', credentials: 'include', headers: { 'Content-Type': 'text/plain' },
  body: JSON.stringify({ type: 'file', format: 'text', content: 'x' }) })
  .then(function (res) { document.getElementById('r').textContent = 'trusted-api-post: answered ' + res.status; })
  .catch(function (e) { document.getElementById('r').textContent = 'trusted-api-post: blocked (' + e.name + ')'; });
</script>`
  }),
  html('trusted-top-navigation', { 'text/html': probe('trusted-top-navigation', "top.location.href = 'about:blank#trusted-top-navigation'") }),
  // Trusted HTML without <script> is shown inline: sanitized like any other.
  html('trusted-inline-handler', { 'text/html': `<img src="x" onerror="${js('trusted-inline-handler')}"><b>inline trusted</b>` }, 'inline trusted')
];

test.describe('trusted HTML output', () => {
  test.use({ rootFiles: { 'trusted.ipynb': notebookOf(TRUSTED) } });

  test('runs in the opaque-origin sandbox and cannot reach the app', async ({ page, server }) => {
    const seen = watchForScript(page);
    await gotoApp(page, server.appUrl('trusted.ipynb'));
    await waitForRendered(page, 'trusted.ipynb', TRUSTED.length);
    const appUrl = page.url();
    await runFromPalette(page, 'Trust Notebook', 'notebook:trust');
    await page.getByTestId('dialog').getByRole('button', { name: 'Trust', exact: true }).click();
    const frames = page.getByTestId('output-sandbox');
    await expect(frames).toHaveCount(TRUSTED.length - 1);
    await expect(notebookPanel(page, 'trusted.ipynb').locator('.ja-HtmlOutput b')).toHaveText('inline trusted');
    for (const frame of await frames.all()) {
      await expect(frame).toHaveAttribute('sandbox', 'allow-scripts');
    }
    // Each script ran (its frame shows its result) and was stopped at the app's door.
    const expected: [string, RegExp][] = [
      ['trusted-top-global', /^trusted-top-global: blocked \(SecurityError\)$/],
      ['trusted-parent-dom', /^trusted-parent-dom: blocked \(SecurityError\)$/],
      ['trusted-storage', /^trusted-storage: blocked \(SecurityError\)$/],
      ['trusted-api-post', /^trusted-api-post: (blocked \(TypeError\)|answered 40[34])$/],
      // Chromium may refuse the navigation without throwing: the app's URL is what tells.
      ['trusted-top-navigation', /^trusted-top-navigation: (blocked \(SecurityError\)|reached the app)$/]
    ];
    for (const [i, [id, result]] of expected.entries()) {
      const frame = page.frameLocator('[data-testid="output-sandbox"]').nth(i);
      await expect(frame.locator('#r'), `vector "${id}"`).toHaveText(result);
    }
    expect(page.url(), 'vector "trusted-top-navigation": the app stayed where it was').toBe(appUrl);
    expect(await page.evaluate(() => document.body.dataset.xss), 'vector "trusted-parent-dom"').toBeUndefined();
    expect(fs.existsSync(path.join(server.root, 'pwned.txt')), 'vector "trusted-api-post": no file written through the API').toBe(false);
    await expectNoScript(page, seen, { 'trusted.ipynb': TRUSTED });
  });
});

/**
 * DOM clobbering (CVE-2024-43805 in JupyterLab): ids and names in untrusted Markdown
 * and HTML outputs must not define or shadow properties of `window` or `document`,
 * while heading anchors, in-page links and pandas Styler tables keep working.
 */
const CLOBBER_NAMES = ['jlabAltProbe', 'jlabAltImg', 'jlabAltForm', 'jlabAltOut', 'jlabAltOutName', 'jlabAltHeading'];
const CLOBBER_CELLS: CellSpec[] = [
  {
    type: 'markdown',
    source:
      '<a id="jlabAltProbe">probe</a> <img name="jlabAltImg" src="x.png"> <form name="jlabAltForm"></form> ' +
      '<img name="cookie" src="y.png"> <img name="getElementById" src="z.png"> <a id="defaultView">dv</a> ' +
      '<form id="body"></form> <a id="location">loc</a>\n\n[to section B](#Section-B)'
  },
  {
    source: 'pass',
    execution_count: 1,
    outputs: [
      {
        output_type: 'display_data',
        metadata: {},
        data: {
          'text/html':
            '<div id="jlabAltOut">out</div><a name="jlabAltOutName">n</a>' +
            '<style>#T_x_row0_col0 { color: rgb(255, 0, 0) }</style><table><tr><td id="T_x_row0_col0">styled cell</td></tr></table>'
        }
      }
    ]
  },
  { type: 'markdown', source: '# jlabAltHeading' },
  ...Array.from({ length: 12 }, (_, i): CellSpec => ({ type: 'markdown', source: `filler ${i}\n\n` + 'text\n\n'.repeat(8) })),
  { type: 'markdown', source: '## Section B\n\nthe target' }
];

test.describe('DOM clobbering', () => {
  test.use({ rootFiles: { 'clobber.ipynb': notebookJSON(CLOBBER_CELLS, { kernel: null }) } });

  test('ids and names in untrusted content define no global, and anchors still work', async ({ page, server }) => {
    await gotoApp(page, server.appUrl('clobber.ipynb'));
    const panel = notebookPanel(page, 'clobber.ipynb');
    await expect(panel.getByText('styled cell')).toBeVisible();
    await expect(panel.getByText('probe', { exact: true })).toBeVisible();
    const globals = await page.evaluate((names) => {
      const w = window as unknown as Record<string, unknown>;
      const d = document as unknown as Record<string, unknown>;
      return {
        defined: names.filter((n) => n in w || n in d || w[n] !== undefined),
        cookie: typeof document.cookie,
        getElementById: typeof document.getElementById,
        defaultView: document.defaultView === window,
        body: document.body instanceof HTMLBodyElement,
        location: window.location instanceof Location
      };
    }, CLOBBER_NAMES);
    expect(globals).toEqual({ defined: [], cookie: 'string', getElementById: 'function', defaultView: true, body: true, location: true });
    // pandas Styler: the <style>'s #id rules follow the cells' prefixed ids.
    await expect(panel.getByText('styled cell')).toHaveCSS('color', 'rgb(255, 0, 0)');
    // An in-page link still reaches its heading.
    const target = panel.getByRole('heading', { name: 'Section B' });
    await expect(target).not.toBeInViewport();
    await panel.getByRole('link', { name: 'to section B' }).click();
    await expect(target).toBeInViewport();
  });
});
