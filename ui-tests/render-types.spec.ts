/**
 * Rich outputs as a person sees them: saved outputs of real notebooks (matplotlib
 * PNGs, pandas tables, sympy LaTeX, SVG, JSON) and outputs of a live ipykernel
 * (matplotlib, pandas, sympy and every IPython.display type).
 */
import type { Locator, Page } from '@playwright/test';
import { corpusNotebook, expect, gotoApp, runFromPalette, test } from './fixtures';
import { KERNEL_TIMEOUT, expectKernelIdle, notebookJSON, notebookPanel, outputs, showCell } from './notebook-helpers';

/** Width and height of a base64 PNG, from its IHDR chunk. */
function pngSize(base64: string): { width: number; height: number } {
  const bytes = Buffer.from(base64.replace(/\s/g, ''), 'base64');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** The first saved output of cell `index` of corpus notebook `name` with `mime`. */
function savedOutput(name: string, index: number, mime: string): string {
  const nb = JSON.parse(corpusNotebook(name).toString('utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  for (const output of nb.cells[index]?.outputs ?? []) {
    const value = output.data?.[mime];
    if (value !== undefined) return Array.isArray(value) ? value.join('') : String(value);
  }
  throw new Error(`${name} cell ${index} has no ${mime} output`);
}

/** For each cell of corpus notebook `name` with `mime` outputs: its index and how many. */
function cellsWithOutputs(name: string, mime: string): { index: number; count: number }[] {
  const nb = JSON.parse(corpusNotebook(name).toString('utf8')) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  return nb.cells
    .map((cell, index) => ({ index, count: (cell.outputs ?? []).filter((o) => o.data?.[mime] !== undefined).length }))
    .filter((c) => c.count > 0);
}

/** An image decoded by the browser: its natural size (0 x 0 when broken). */
async function naturalSize(img: Locator): Promise<{ width: number; height: number }> {
  await img.scrollIntoViewIfNeeded();
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete)).toBe(true);
  return img.evaluate((el) => ({ width: (el as HTMLImageElement).naturalWidth, height: (el as HTMLImageElement).naturalHeight }));
}

/** The start of an image's URL (data: URLs are too long for failure messages). */
function srcStart(img: Locator): Promise<string> {
  return img.evaluate((el) => (el.getAttribute('src') ?? '').slice(0, 40));
}

/** The size a PNG data: URL declares in its header (what the browser must show). */
function declaredPngSize(img: Locator): Promise<{ width: number; height: number }> {
  return img.evaluate((el) => {
    const bytes = atob((el.getAttribute('src') ?? '').split(',')[1]!.slice(0, 44));
    const u32 = (at: number) => ((bytes.charCodeAt(at) << 24) | (bytes.charCodeAt(at + 1) << 16) | (bytes.charCodeAt(at + 2) << 8) | bytes.charCodeAt(at + 3)) >>> 0;
    return { width: u32(16), height: u32(20) };
  });
}

/** The text of each header cell of `table`'s first header row. */
function headerCells(table: Locator): Promise<string[]> {
  return table.locator('thead tr').first().locator('th').allTextContents();
}

async function open(page: Page, url: string, path: string): Promise<Locator> {
  await gotoApp(page, url);
  const panel = notebookPanel(page, path);
  await expect(panel.getByTestId('cell').first()).toBeVisible({ timeout: 20_000 });
  return panel;
}

test.describe('saved outputs of real notebooks', () => {
  test.use({
    rootFiles: {
      'matplotlib.ipynb': corpusNotebook('handson-ml2__tools_matplotlib_large.ipynb'),
      'complex.ipynb': corpusNotebook('myst-nb__complex_outputs.ipynb'),
      'sympy.ipynb': corpusNotebook('ipython__SymPy.ipynb'),
      'display.ipynb': corpusNotebook('ipython-2.4__Display_System.ipynb'),
      'json.ipynb': corpusNotebook('renderers__json-extension.ipynb'),
      'irkernel.ipynb': corpusNotebook('irkernel__Display.ipynb')
    }
  });

  test('matplotlib PNGs show at their own size', async ({ page, server }) => {
    const panel = await open(page, server.appUrl('matplotlib.ipynb'), 'matplotlib.ipynb');
    await showCell(panel, 9);
    // Cell 9: plt.plot([1, 2, 4, 9, 5, 3]); plt.show()
    const img = outputs(panel, 9).locator('img');
    expect(await srcStart(img)).toMatch(/^data:image\/png;base64,/);
    expect(await naturalSize(img)).toEqual(pngSize(savedOutput('handson-ml2__tools_matplotlib_large.ipynb', 9, 'image/png')));
    await expect(img).toBeVisible();
  });

  test('pandas DataFrames show as tables with their header and scoped style', async ({ page, server }) => {
    const panel = await open(page, server.appUrl('complex.ipynb'), 'complex.ipynb');
    // Cell 20: df.round(3) of a 3 x 4 frame (modern pandas: <style scoped> + table.dataframe).
    await showCell(panel, 20);
    const table = outputs(panel, 20).locator('table.dataframe');
    await table.scrollIntoViewIfNeeded();
    await expect(table).toBeVisible();
    expect(await headerCells(table)).toEqual(['', 'a', 'b', 'c', 'd']);
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(table.locator('tbody tr').first().locator('td').first()).toHaveText('$\\delta$');
    // pandas' own CSS applies: the index cells are vertically centred.
    await expect(table.locator('tbody th').first()).toHaveCSS('vertical-align', 'middle');
    await expect(table).toHaveAttribute('border', '1');

    // Old pandas (IPython 2.4), in a scrolling div.
    const old = await open(page, server.appUrl('display.ipynb'), 'display.ipynb');
    await showCell(old, 54);
    const oldTable = outputs(old, 54).locator('table.dataframe');
    await oldTable.scrollIntoViewIfNeeded();
    await expect(oldTable).toBeVisible();
    expect((await headerCells(oldTable)).length).toBeGreaterThan(1);
  });

  test('sympy text/latex is typeset as MathML, preferred to its PNG', async ({ page, server }) => {
    const panel = await open(page, server.appUrl('sympy.ipynb'), 'sympy.ipynb');
    // Each of the 16 formulas, typeset once a reader scrolls to it.
    const stored = cellsWithOutputs('ipython__SymPy.ipynb', 'text/latex');
    expect(stored.reduce((n, c) => n + c.count, 0)).toBe(16);
    for (const { index, count } of stored) {
      const cell = await showCell(panel, index);
      const latex = cell.locator('.ja-MimeOutput[data-mime-type="text/latex"]');
      await expect(latex, `SymPy cell ${index}`).toHaveCount(count);
      await expect(latex.locator('.ja-Math math'), `SymPy cell ${index}`).toHaveCount(count, { timeout: 20_000 });
      await expect(cell.locator('.ja-Math.ja-mod-error')).toHaveCount(0);
    }
    // Cell 3: 3*pi/2 + exp(I*x) / (x**2 + y), as a fraction and a π.
    await showCell(panel, 3);
    const first = outputs(panel, 3).locator('.ja-Math math');
    await first.scrollIntoViewIfNeeded();
    await expect(first).toBeVisible();
    await expect(first.locator('mfrac').first()).toBeVisible();
    await expect(first.locator('mi', { hasText: 'π' })).toBeVisible();
    await expect(first.locator('annotation')).toHaveText('\\frac{3 \\pi}{2} + \\frac{e^{i x}}{x^{2} + y}');

    // $\displaystyle ...$ (sympy >= 1.4) next to a PNG: the LaTeX wins, as in JupyterLab.
    const complex = await open(page, server.appUrl('complex.ipynb'), 'complex.ipynb');
    await showCell(complex, 24);
    const display = outputs(complex, 24).locator('.ja-MimeOutput');
    await expect(display).toHaveAttribute('data-mime-type', 'text/latex');
    await expect(display.locator('.ja-Math math')).toHaveCount(1);
    // eqnarray and align environments without dollars (IPython's Latex examples).
    const maxwell = await open(page, server.appUrl('display.ipynb'), 'display.ipynb');
    for (const index of [60, 62, 64]) {
      await showCell(maxwell, index);
      await expect(outputs(maxwell, index).locator('.ja-Math math'), `Display System cell ${index}`).toHaveCount(1);
      await expect(outputs(maxwell, index).locator('.ja-LatexOutput .ja-mod-error')).toHaveCount(0);
    }
  });

  test('SVG outputs show as pictures at their size', async ({ page, server }) => {
    const panel = await open(page, server.appUrl('display.ipynb'), 'display.ipynb');
    // Cell 18: SVG(filename='images/python_logo.svg'), 388.84pt x 115.02pt (1pt = 4/3 px).
    await showCell(panel, 18);
    const img = outputs(panel, 18).locator('.ja-MimeOutput[data-mime-type="image/svg+xml"] img');
    expect(await srcStart(img)).toMatch(/^data:image\/svg\+xml/);
    const size = await naturalSize(img);
    expect(Math.abs(size.width - (388.84 * 4) / 3)).toBeLessThan(1);
    expect(Math.abs(size.height - (115.02 * 4) / 3)).toBeLessThan(1);
    await expect(img).toBeVisible();
  });

  test('an SVG without an xmlns (IRkernel) still shows', async ({ page, server }) => {
    const panel = await open(page, server.appUrl('irkernel.ipynb'), 'irkernel.ipynb');
    // Cell 10: '<svg width="10" height="10"><circle .../></svg>': browsers draw it inline,
    // as JupyterLab does, but not as an image document without its namespace.
    await showCell(panel, 10);
    const output = outputs(panel, 10).locator('.ja-MimeOutput[data-mime-type="image/svg+xml"]');
    await output.scrollIntoViewIfNeeded();
    await expect
      .poll(() =>
        output.evaluate((el) => {
          const img = el.querySelector('img');
          if (img) return img.complete ? img.naturalWidth : -1;
          return el.querySelector('svg circle') ? 10 : 0;
        })
      )
      .toBe(10);
  });

  test('application/json shows as a tree with its keys', async ({ page, server }) => {
    const panel = await open(page, server.appUrl('json.ipynb'), 'json.ipynb');
    await showCell(panel, 2);
    const tree = outputs(panel, 2).locator('.ja-JsonTree');
    await expect(tree).toBeVisible();
    for (const key of ['array', 'bool', 'object', 'string']) await expect(tree).toContainText(`${key}:`);
    await expect(tree).toContainText('"string"');
  });
});

/** A 3 x 2 red PNG made with the standard library, for IPython.display.Image. */
const LIVE_CELLS = [
  // 0: matplotlib with the inline backend
  'import matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(4, 3), dpi=50)\nax.plot([1, 3, 2])\nplt.show()',
  // 1: a pandas DataFrame
  "import pandas as pd\npd.DataFrame({'alpha': [1, 2, 3], 'beta': ['x', 'y', 'z']}, index=['r1', 'r2', 'r3'])",
  // 2-7: IPython.display types
  "from IPython.display import HTML, Markdown, Latex, SVG, JSON, Image, display\ndisplay(HTML('<b class=\"live-html\">bold</b> <em>html</em>'))",
  "display(Markdown('**strong** markdown with $x^2$ and a [link](https://jupyter.org)'))",
  "display(Latex(r'$\\displaystyle \\int_0^1 x^2\\,dx = \\frac{1}{3}$'))",
  "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\"><rect width=\"30\" height=\"20\" fill=\"teal\"/></svg>'))",
  "display(JSON({'name': 'jlab-alt', 'items': [1, 2]}))",
  `import struct, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = (b"\\x00" + b"\\xff\\x00\\x00" * 3) * 2
png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 3, 2, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
display(Image(data=png))`,
  // 8: sympy with its printing set up (LaTeX and PNG): the LaTeX shows
  "import sympy\nsympy.init_printing()\nx = sympy.Symbol('x')\nsympy.Integral(sympy.sqrt(1 / x), x)",
  // 9: LaTeX that cannot be parsed
  "display(Latex(r'Before $\\frac{1}{$ after'))"
];

test.describe('outputs of a live kernel', () => {
  test.use({ rootFiles: { 'live.ipynb': notebookJSON(LIVE_CELLS) } });

  test('matplotlib, pandas, sympy and IPython.display render as in JupyterLab', async ({ page, server }) => {
    test.setTimeout(120_000);
    await gotoApp(page, server.appUrl('live.ipynb'));
    const panel = notebookPanel(page, 'live.ipynb');
    await expectKernelIdle(panel);
    await runFromPalette(page, 'Run All Cells', 'notebook:run-all-cells');
    // Every cell ran (matplotlib's first import can take a while).
    for (let i = 0; i < LIVE_CELLS.length; i++) {
      await expect(outputs(panel, i), `cell ${i} has its output`).not.toHaveCount(0, { timeout: KERNEL_TIMEOUT });
    }
    await expectKernelIdle(panel);
    await expect(panel.locator('.ja-Output[data-output-type="error"]')).toHaveCount(0);

    // matplotlib: a PNG shown at the size it declares (about 4 x 3 inches at 50 dpi,
    // trimmed to the drawing by the inline backend).
    const plot = outputs(panel, 0).locator('img');
    expect(await srcStart(plot)).toMatch(/^data:image\/png;base64,/);
    const size = await naturalSize(plot);
    expect(size).toEqual(await declaredPngSize(plot));
    expect(size.width).toBeGreaterThan(150);
    expect(size.height).toBeGreaterThan(100);

    // pandas: the table with its header and index.
    const table = outputs(panel, 1).locator('table.dataframe');
    expect(await headerCells(table)).toEqual(['', 'alpha', 'beta']);
    expect(await table.locator('tbody th').allTextContents()).toEqual(['r1', 'r2', 'r3']);

    // HTML, Markdown (with math and a link), LaTeX, SVG, JSON, Image.
    await expect(outputs(panel, 2).locator('b.live-html')).toHaveText('bold');
    const md = outputs(panel, 3);
    await expect(md.locator('strong')).toHaveText('strong');
    await expect(md.locator('.ja-Math math')).toHaveCount(1);
    await expect(md.locator('a')).toHaveAttribute('href', 'https://jupyter.org');
    await expect(md.locator('a')).toHaveAttribute('rel', 'noopener noreferrer');
    const latex = outputs(panel, 4);
    await expect(latex.locator('.ja-Math math')).toHaveCount(1);
    await expect(latex.locator('.ja-Math annotation')).toHaveText('\\displaystyle \\int_0^1 x^2\\,dx = \\frac{1}{3}');
    expect(await naturalSize(outputs(panel, 5).locator('img'))).toEqual({ width: 30, height: 20 });
    await expect(outputs(panel, 6).locator('.ja-JsonTree')).toContainText('"jlab-alt"');
    expect(await naturalSize(outputs(panel, 7).locator('img'))).toEqual({ width: 3, height: 2 });

    // sympy: the integral typeset (not its PNG).
    const integral = outputs(panel, 8).locator('.ja-MimeOutput');
    await expect(integral).toHaveAttribute('data-mime-type', 'text/latex');
    await expect(integral.locator('.ja-Math math mo', { hasText: '∫' })).toBeVisible();
    await expect(integral.locator('.ja-mod-error')).toHaveCount(0);

    // Unparsable LaTeX: its source and the parser's message show, not a blank output.
    const bad = outputs(panel, 9);
    await expect(bad.locator('.ja-Math.ja-mod-error')).toHaveText('$\\frac{1}{$');
    await expect(bad.locator('.ja-LatexOutput')).toContainText('Before');
    await expect(bad.locator('.ja-LatexOutput-error')).toContainText('LaTeX error');
    await expect(bad.locator('.ja-LatexOutput-error')).toBeVisible();
  });
});
