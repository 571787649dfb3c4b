/**
 * Jupyter widgets (ipywidgets 8 in the kernel): live widgets talk to the kernel
 * through comms; saved widget state renders without a kernel; outputs whose
 * model is nowhere say so; the widget libraries load only when needed.
 */
import type { Locator, Page } from '@playwright/test';
import path from 'node:path';
import zlib from 'node:zlib';
import { corpusNotebook, expect, gotoApp, test } from './fixtures';
import {
  KERNEL_TIMEOUT,
  cells,
  expectKernelIdle,
  notebookJSON,
  openNotebook,
  outputs,
  prompt,
  saveWithKeys,
  selectCell,
  showCell,
  showEveryCell,
  toolbarButton
} from './notebook-helpers';

const MODEL_NOT_FOUND = 'Error displaying widget: model not found';

/** The widget outputs of cell `index`. */
function widgetViews(panel: Locator, index: number): Locator {
  return cells(panel).nth(index).locator('.ja-WidgetView');
}

/** Run cell `index` (Ctrl+Enter) and wait until it has run (its prompt shows a count and the kernel is idle). */
async function runCell(page: Page, panel: Locator, index: number): Promise<void> {
  await selectCell(panel, index);
  await page.keyboard.press('Control+Enter');
  await expect(prompt(panel, index)).toHaveText(/^\[\d+\]:$/, { timeout: KERNEL_TIMEOUT });
  await expectKernelIdle(panel);
}

/** Drag the handle of `slider` (an IntSlider view) to `fraction` of its track. */
async function dragSlider(page: Page, slider: Locator, fraction: number): Promise<void> {
  const handle = slider.locator('.noUi-handle');
  const track = slider.locator('.noUi-target');
  const h = (await handle.boundingBox())!;
  const t = (await track.boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
  await page.mouse.down();
  await page.mouse.move(t.x + t.width * fraction, h.y + h.height / 2, { steps: 8 });
  await page.mouse.up();
}

test.describe('live widgets', () => {
  test.use({
    rootFiles: {
      'live.ipynb': notebookJSON([
        'import ipywidgets as w\nslider = w.IntSlider(value=3, min=0, max=10, description="n")\nslider',
        'print("value", slider.value)',
        'slider.value = 9',
        'out = w.Output()\ndisplay(out)\nwith out:\n    print("captured by the widget")',
        'print("after")',
        '@w.interact(x=(0, 10))\ndef double(x=4):\n    print("double", 2 * x)',
        'text = w.Text(description="name")\ntext',
        'print("text", repr(text.value))'
      ])
    }
  });

  test('a slider moved in the browser changes the value in the kernel, and the kernel moves it back', async ({ page, pageErrors }) => {
    const panel = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    const slider = widgetViews(panel, 0).locator('.widget-slider');
    await expect(slider).toBeVisible();
    const readout = slider.locator('.widget-readout');
    await expect(readout).toHaveText('3');
    await expect(slider.locator('.widget-label')).toHaveText('n');

    await dragSlider(page, slider, 0.8);
    await expect(readout).not.toHaveText('3');
    const moved = (await readout.textContent())!.trim();
    expect(Number(moved)).toBeGreaterThan(5);

    await runCell(page, panel, 1);
    await expect(outputs(panel, 1, 'stream')).toHaveText(`value ${moved}`);

    // And the other way: the kernel sets the value, the slider follows.
    await runCell(page, panel, 2);
    await expect(readout).toHaveText('9');
    expect(pageErrors).toEqual([]);
  });

  test('re-running a cell replaces its widget with the new one, which is live', async ({ page }) => {
    const panel = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    await expect(widgetViews(panel, 0).locator('.widget-slider')).toHaveCount(1);
    await runCell(page, panel, 0);
    await expect(prompt(panel, 0)).toHaveText('[2]:');
    await expect(widgetViews(panel, 0)).toHaveCount(1);
    const slider = widgetViews(panel, 0).locator('.widget-slider');
    await expect(slider).toHaveCount(1);
    await expect(page.locator('.widget-slider')).toHaveCount(1);

    await dragSlider(page, slider, 0.1);
    await expect(slider.locator('.widget-readout')).toHaveText(/^[0-2]$/);
    const moved = (await slider.locator('.widget-readout').textContent())!.trim();
    await runCell(page, panel, 1);
    await expect(outputs(panel, 1, 'stream')).toHaveText(`value ${moved}`);
  });

  test('an Output widget shows what the kernel printed inside it, not in the cell', async ({ page }) => {
    const panel = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    await runCell(page, panel, 3);
    const view = widgetViews(panel, 3);
    await expect(view).toHaveCount(1);
    await expect(view.locator('.ja-WidgetOutput')).toHaveText('captured by the widget');
    await expect(outputs(panel, 3, 'stream')).toHaveCount(0);
    // Printing outside the `with` block goes to the cell as usual.
    await runCell(page, panel, 4);
    await expect(outputs(panel, 4, 'stream')).toHaveText('after');
  });

  test('interact: moving its slider re-runs the function, whose output shows under it', async ({ page }) => {
    const panel = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    await runCell(page, panel, 5);
    const view = widgetViews(panel, 5);
    await expect(view.locator('.ja-WidgetOutput')).toHaveText('double 8');
    const slider = view.locator('.widget-slider');
    // Past the end of the track: the slider stops at its maximum.
    await dragSlider(page, slider, 1.2);
    await expect(slider.locator('.widget-readout')).toHaveText('10');
    await expect(view.locator('.ja-WidgetOutput')).toHaveText('double 20');
    await expect(outputs(panel, 5, 'stream')).toHaveCount(0);
  });

  test('typing in a Text widget reaches the kernel and triggers no notebook shortcuts', async ({ page }) => {
    const panel = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    await runCell(page, panel, 6);
    const input = widgetViews(panel, 6).locator('input[type="text"]');
    await input.click();
    // In command mode "a", "b" and "d d" would add and delete cells.
    await page.keyboard.type('abdd x');
    await expect(input).toHaveValue('abdd x');
    await expect(cells(panel)).toHaveCount(8);
    await runCell(page, panel, 7);
    await expect(outputs(panel, 7, 'stream')).toHaveText("text 'abdd x'");
  });

  test('a page reopened on the running kernel gets the live widget back', async ({ page, server }) => {
    const panel = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    await expect(widgetViews(panel, 0).locator('.widget-slider')).toBeVisible();
    await saveWithKeys(page, path.join(server.root, 'live.ipynb'));

    await gotoApp(page, server.appUrl());
    const again = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(again);
    const slider = widgetViews(again, 0).locator('.widget-slider');
    await expect(slider).toBeVisible();
    await expect(widgetViews(again, 0)).not.toHaveClass(/ja-mod-static/);
    await expect(slider).not.toHaveClass(/jupyter-widgets-disconnected/);
    await dragSlider(page, slider, 0.9);
    await expect(slider.locator('.widget-readout')).not.toHaveText('3');
    const moved = (await slider.locator('.widget-readout').textContent())!.trim();
    await runCell(page, again, 1);
    await expect(outputs(again, 1, 'stream')).toHaveText(`value ${moved}`);
  });

  test('after a kernel restart the old widget stays on screen, shown as disconnected', async ({ page, pageErrors }) => {
    const panel = await openNotebook(page, 'live.ipynb', 8);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    const slider = widgetViews(panel, 0).locator('.widget-slider');
    await expect(slider).toBeVisible();
    await expect(slider).not.toHaveClass(/jupyter-widgets-disconnected/);

    await toolbarButton(panel, 'notebook:restart-kernel').click();
    const dialog = page.getByTestId('dialog');
    await dialog.locator('.ja-Dialog-button[data-id="restart"]').click();
    await expect(dialog).toBeHidden();
    await expectKernelIdle(panel);
    await expect(slider).toHaveClass(/jupyter-widgets-disconnected/);
    await expect(slider.locator('.widget-readout')).toHaveText('3');

    // The notebook still works, and a new widget is live.
    await runCell(page, panel, 0);
    await expect(widgetViews(panel, 0).locator('.widget-slider')).not.toHaveClass(/jupyter-widgets-disconnected/);
    expect(pageErrors).toEqual([]);
  });
});

/** Widget_List from nbconvert: 41 widget outputs with their state saved (ipywidgets 7). */
function widgetListWithoutKernel(): string {
  const nb = JSON.parse(corpusNotebook('nbconvert__Widget_List.ipynb').toString('utf-8'));
  // No kernelspec: the notebook opens without starting a kernel.
  delete nb.metadata.kernelspec;
  return JSON.stringify(nb);
}

test.describe('saved widget state', () => {
  test.use({
    rootFiles: {
      'Widget_List.ipynb': widgetListWithoutKernel(),
      'Widget_List_kernel.ipynb': corpusNotebook('nbconvert__Widget_List.ipynb'),
      'no-state.ipynb': corpusNotebook('handson-ml2__12_custom_models.ipynb')
    }
  });

  test('a notebook with saved widget state shows its widgets without a kernel', async ({ page, pageErrors }) => {
    const panel = await openNotebook(page, 'Widget_List.ipynb');
    await expect(panel.getByTestId('kernel-status')).toHaveAttribute('data-status', 'no-kernel');
    const views = panel.locator('.ja-WidgetView');
    // Cells are drawn as they come near the screen; widget views then stay drawn.
    await showEveryCell(panel);
    await expect(views).toHaveCount(41);
    await expect(panel.locator('.ja-WidgetView.ja-mod-static')).toHaveCount(41, { timeout: 20_000 });
    await expect(panel.locator('.ja-WidgetView-message')).toHaveCount(0);

    // The IntSlider (value=7, description "Test:").
    const slider = views.nth(0).locator('.widget-slider');
    await expect(slider.locator('.widget-readout')).toHaveText('7');
    await expect(slider.locator('.widget-label')).toHaveText('Test:');
    // The Dropdown with options 1, 2, 3 and "2" chosen.
    await expect(views.nth(15).locator('select')).toHaveValue(/./);
    await expect(views.nth(15).locator('select option:checked')).toHaveText('2');
    // The HBox: a label and a slider side by side.
    const hbox = views.nth(25).locator('.widget-hbox');
    await expect(hbox.locator('.widget-label').first()).toContainText('The');
    await expect(hbox.locator('.widget-slider')).toHaveCount(1);
    // The HTML widget: its markup, sanitized, not as text.
    await expect(views.nth(26).locator('.widget-html-content b')).toHaveText('World');
    // The Button, with its description and its Font Awesome icon drawn.
    await expect(views.nth(29).locator('button')).toHaveText('Click me');
    const icon = views.nth(29).locator('button i.fa-check');
    await expect.poll(() => icon.evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(8);
    // LaTeX in a label and in HTMLMath is typeset.
    await expect(views.nth(25).locator('.widget-label .ja-Math math').first()).toBeVisible();
    await expect(views.nth(27).locator('.ja-Math math')).toHaveCount(2);
    // A Tab saved by ipywidgets 7 keeps its titles ("_titles" became "titles" in 8).
    await expect(views.nth(39).locator('.lm-TabBar-tab')).toHaveText(['0', '1', '2', '3', '4']);
    // Saved state is not a lost kernel: no "disconnected" mark is shown.
    await expect(views.nth(0).locator('.jupyter-widgets-disconnected').first()).toBeAttached();
    expect(
      await views
        .nth(0)
        .locator('.jupyter-widgets-disconnected')
        .first()
        .evaluate((el) => getComputedStyle(el, '::before').display)
    ).toBe('none');

    // Static widgets still respond locally (back at the top, where the slider is).
    await slider.scrollIntoViewIfNeeded();
    await dragSlider(page, slider, 0.2);
    await expect(slider.locator('.widget-readout')).toHaveText(/^[0-3]$/);
    expect(pageErrors).toEqual([]);
  });

  test('with a fresh kernel (which has none of the models) saved widgets still show from the saved state', async ({ page }) => {
    const panel = await openNotebook(page, 'Widget_List_kernel.ipynb');
    await expectKernelIdle(panel);
    await showEveryCell(panel);
    await expect(panel.locator('.ja-WidgetView.ja-mod-static')).toHaveCount(41, { timeout: 20_000 });
    await expect(panel.locator('.ja-WidgetView').nth(0).locator('.widget-readout')).toHaveText('7');
    await expect(panel.locator('.ja-WidgetView-message')).toHaveCount(0);
  });

  test('widget outputs without saved state say the model was not found; the rest of the notebook shows', async ({ page }) => {
    const panel = await openNotebook(page, 'no-state.ipynb');
    // Its cells with widget outputs (tqdm bars), each scrolled to: only cells near the screen are drawn.
    const nb = JSON.parse(corpusNotebook('handson-ml2__12_custom_models.ipynb').toString('utf-8')) as {
      cells: { outputs?: { output_type: string; data?: Record<string, unknown> }[] }[];
    };
    const having = (test: (o: { output_type: string; data?: Record<string, unknown> }) => boolean) =>
      nb.cells.flatMap((c, i) => ((c.outputs ?? []).some(test) ? [i] : []));
    const widgetCells = having((o) => o.data?.['application/vnd.jupyter.widget-view+json'] !== undefined);
    expect(widgetCells.length).toBeGreaterThan(0);
    for (const index of widgetCells) {
      const cell = await showCell(panel, index);
      const views = cell.locator('.ja-WidgetView');
      await expect(views.first()).toBeAttached();
      await expect(cell.locator('.ja-WidgetView-message.ja-mod-missing')).toHaveCount(await views.count(), { timeout: KERNEL_TIMEOUT });
      await expect(views.first()).toHaveText(MODEL_NOT_FOUND);
    }
    // Other outputs are unaffected (images, text).
    const streamCell = await showCell(panel, having((o) => o.output_type === 'stream')[0]!);
    await expect(streamCell.locator('.ja-Output[data-output-type="stream"]').first()).toBeAttached();
    const imageCell = await showCell(panel, having((o) => o.data?.['image/png'] !== undefined)[0]!);
    await expect(imageCell.locator('.ja-MimeOutput img').first()).toBeAttached();
  });
});

test.describe('loading', () => {
  test.use({ rootFiles: { 'plain.ipynb': notebookJSON(['1 + 1']) } });

  test('the widget libraries are not loaded for a notebook without widgets', async ({ page, server }) => {
    const requested: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    await gotoApp(page, server.appUrl());
    const panel = await openNotebook(page, 'plain.ipynb', 1);
    await expectKernelIdle(panel);
    await runCell(page, panel, 0);
    await expect(outputs(panel, 0, 'execute_result')).toContainText('2');
    expect(requested.filter((url) => /\/widgets\.[0-9a-f]+\.(js|css)$/.test(url))).toEqual([]);
  });
});

/** A 400x100 PNG (solid), as matplotlib would save a figure into an Output widget. */
const WIDE_PNG = (() => {
  // Built here: a real PNG the browser decodes at its natural size.
  const [w, h] = [400, 100];
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc((w * 3 + 1) * h, 0x80);
  for (let y = 0; y < h; y++) raw[y * (w * 3 + 1)] = 0;
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0))
  ]);
  return png.toString('base64');
})();

test.describe('saved Output widget with a border', () => {
  const CAPTURED = 'captured text that is long enough to wrap if the widget were squeezed to its narrowest';
  const nb = JSON.parse(
    notebookJSON(
      [
        {
          source: 'out',
          execution_count: 1,
          outputs: [
            {
              output_type: 'display_data',
              metadata: {},
              data: { 'application/vnd.jupyter.widget-view+json': { model_id: 'out1', version_major: 2, version_minor: 0 }, 'text/plain': 'Output()' }
            }
          ]
        }
      ],
      { kernel: null }
    )
  ) as { metadata: Record<string, unknown> };
  const base = { model_module_version: '2.0.0', state: {} as Record<string, unknown> };
  nb.metadata.widgets = {
    'application/vnd.jupyter.widget-state+json': {
      version_major: 2,
      version_minor: 0,
      state: {
        lay1: {
          ...base,
          model_name: 'LayoutModel',
          model_module: '@jupyter-widgets/base',
          state: { border_top: '1px solid black', border_right: '1px solid black', border_bottom: '1px solid black', border_left: '1px solid black' }
        },
        out1: {
          model_name: 'OutputModel',
          model_module: '@jupyter-widgets/output',
          model_module_version: '1.0.0',
          state: {
            layout: 'IPY_MODEL_lay1',
            outputs: [
              { output_type: 'stream', name: 'stdout', text: CAPTURED + '\n' },
              { output_type: 'display_data', metadata: {}, data: { 'image/png': WIDE_PNG, 'text/plain': '<Figure size 400x100>' } }
            ]
          }
        }
      }
    }
  };
  test.use({ rootFiles: { 'bordered.ipynb': JSON.stringify(nb) } });

  test('captured text and figures get the full output width, not a squeezed column', async ({ page, server, pageErrors }) => {
    await gotoApp(page, server.appUrl('bordered.ipynb'));
    const panel = page.locator('[data-testid="document"][data-path="bordered.ipynb"]');
    const widget = panel.locator('.ja-WidgetOutput');
    await expect(widget.getByText(CAPTURED)).toBeVisible();
    const img = widget.locator('img');
    await expect(img).toBeVisible();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth)).toBe(400);
    const text = widget.locator('pre', { hasText: CAPTURED });
    // One line of text (not a word per line), and the figure at its own size.
    const lineHeight = await text.evaluate((el) => parseFloat(getComputedStyle(el).lineHeight) || 16);
    expect((await text.boundingBox())!.height).toBeLessThan(lineHeight * 2.5);
    expect((await img.boundingBox())!.width).toBeGreaterThan(390);
    expect(pageErrors).toEqual([]);
  });
});
