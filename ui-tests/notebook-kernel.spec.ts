/**
 * The notebook editor with a real ipykernel: outputs of every kind, input(),
 * interrupt, restart, a kernel that dies, completion and help, a missing kernel,
 * one kernel per notebook (shared by every page on it), and a huge output.
 */
import { expect, gotoApp, runFromPalette, test } from './fixtures';
import {
  KERNEL_TIMEOUT,
  cellInputs,
  cells,
  expectCommandMode,
  expectKernelIdle,
  fileRow,
  kernelStatus,
  notebookJSON,
  notebookPanel,
  openNotebook,
  outputs,
  prompt,
  selectCell,
  setCellText,
  toolbarButton
} from './notebook-helpers';

// A 2x2 PNG (red, green / blue, white), made with zlib: matplotlib is not installed.
const PNG_CELL = `import base64, struct, zlib
from IPython.display import Image, display
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"\\x00\\xff\\x00\\x00\\x00\\xff\\x00" + b"\\x00\\x00\\x00\\xff\\xff\\xff\\xff"
png = (b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
display(Image(data=png))`;

test.describe('outputs', () => {
  test.use({
    rootFiles: {
      'outputs.ipynb': notebookJSON([
        'print("hello, world")',
        'import sys\nprint("to stdout")\nprint("to stderr", file=sys.stderr)',
        '1+1',
        'for i in range(101):\n    print(f"\\rprogress {i:3d}%", end="", flush=True)\nprint("\\rdone" + " " * 10)',
        'from IPython.display import display, HTML, Markdown\ndisplay(HTML("<b>bold html</b>"))\ndisplay(Markdown("some *markdown*"))',
        PNG_CELL,
        'h = display(Markdown("first"), display_id=True)\nh.update(Markdown("**second**"))',
        'from IPython.display import clear_output\nfor i in range(5):\n    clear_output(wait=True)\n    print(f"step {i}")',
        'def fail():\n    raise ValueError("boom")\nfail()'
      ])
    }
  });

  test('Run All Cells: streams, results, rich displays, updates, clear_output and a coloured traceback', async ({ page }) => {
    const panel = await openNotebook(page, 'outputs.ipynb', 9);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await runFromPalette(page, 'Run All Cells', 'notebook:run-all-cells');
    await expect(prompt(panel, 8)).toHaveText('[9]:', { timeout: KERNEL_TIMEOUT });
    await expectKernelIdle(panel);

    // print → one stdout stream.
    await expect(prompt(panel, 0)).toHaveText('[1]:');
    await expect(outputs(panel, 0)).toHaveCount(1);
    await expect(outputs(panel, 0, 'stream')).toHaveText('hello, world');
    await expect(outputs(panel, 0, 'stream')).toHaveClass(/ja-mod-stdout/);

    // stdout and stderr are separate streams, told apart.
    await expect(outputs(panel, 1)).toHaveCount(2);
    await expect(outputs(panel, 1, 'stream').and(panel.locator('.ja-mod-stdout'))).toHaveText('to stdout');
    await expect(outputs(panel, 1, 'stream').and(panel.locator('.ja-mod-stderr'))).toHaveText('to stderr');

    // 1+1 → an execute_result "2" with the cell's execution count.
    await expect(prompt(panel, 2)).toHaveText('[3]:');
    await expect(outputs(panel, 2, 'execute_result')).toHaveText(/^\[3\]:\s*2$/);
    await expect(outputs(panel, 2, 'execute_result').locator('.ja-Output-prompt')).toHaveText('[3]:');

    // A progress line rewritten with \r shows only its final state.
    await expect(outputs(panel, 3)).toHaveCount(1);
    await expect(outputs(panel, 3, 'stream').locator('pre')).toHaveText(/^done\s*$/);

    // Rich displays: HTML and Markdown render as such.
    await expect(outputs(panel, 4, 'display_data')).toHaveCount(2);
    await expect(outputs(panel, 4, 'display_data').nth(0).locator('b')).toHaveText('bold html');
    await expect(outputs(panel, 4, 'display_data').nth(1).locator('em')).toHaveText('markdown');

    // A PNG shows as an image of its size.
    const img = outputs(panel, 5, 'display_data').locator('img');
    await expect(img).toHaveAttribute('src', /^data:image\/png;base64,/);
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => [el.complete, el.naturalWidth, el.naturalHeight])).toEqual([
      true,
      2,
      2
    ]);

    // update_display_data replaces the displayed output in place.
    await expect(outputs(panel, 6)).toHaveCount(1);
    await expect(outputs(panel, 6, 'display_data').locator('strong')).toHaveText('second');
    await expect(outputs(panel, 6)).not.toContainText('first');

    // clear_output(wait=True) in a loop leaves only the last output.
    await expect(outputs(panel, 7)).toHaveCount(1);
    await expect(outputs(panel, 7, 'stream')).toHaveText('step 4');

    // An exception: its traceback, with the ANSI colours as coloured spans.
    const error = outputs(panel, 8, 'error');
    await expect(error).toHaveCount(1);
    await expect(error).toContainText('ValueError');
    await expect(error).toContainText('boom');
    await expect(error).toContainText('fail()');
    await expect(error).not.toContainText('\u001b[');
    expect(await error.locator('pre span').count()).toBeGreaterThan(0);
  });
});

test.describe('input()', () => {
  test.use({
    rootFiles: {
      'stdin.ipynb': notebookJSON([
        'name = input("Name: ")\nprint("hi", name)',
        'import getpass\npw = getpass.getpass("Password: ")\nprint("length", len(pw))'
      ])
    }
  });

  test('input() asks in a box under the cell, and getpass() in a password box; letters typed there are no shortcuts', async ({
    page
  }) => {
    const panel = await openNotebook(page, 'stdin.ipynb', 2);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    const box = cells(panel).nth(0).getByTestId('stdin');
    await expect(box).toContainText('Name:');
    const input = box.locator('input');
    await expect(input).toHaveAttribute('type', 'text');
    await expect(input).toBeFocused();
    // b, o, d d, 0 0, i i, m and z are all notebook shortcuts in command mode.
    await page.keyboard.type('Bob bodd00iimz');
    await expect(input).toHaveValue('Bob bodd00iimz');
    await expect(cells(panel)).toHaveCount(2);
    await expect(page.getByTestId('dialog')).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(outputs(panel, 0, 'stream')).toHaveText('hi Bob bodd00iimz');
    await expect(input).toBeDisabled();
    await expect(prompt(panel, 0)).toHaveText('[1]:');
    await expect(cells(panel).nth(0)).toHaveAttribute('data-type', 'code');
    await expect(cells(panel).nth(0)).not.toHaveClass(/ja-mod-outputCollapsed/);

    await selectCell(panel, 1);
    await page.keyboard.press('Control+Enter');
    const secret = cells(panel).nth(1).getByTestId('stdin').locator('input');
    await expect(secret).toHaveAttribute('type', 'password');
    await expect(secret).toBeFocused();
    await page.keyboard.type('s3cret');
    await page.keyboard.press('Enter');
    await expect(outputs(panel, 1, 'stream')).toContainText('length 6');
    await expect(cells(panel).nth(1)).not.toContainText('s3cret');
    await expect(prompt(panel, 1)).toHaveText('[2]:');
  });
});

test.describe('interrupt and restart', () => {
  test.use({
    rootFiles: {
      'loop.ipynb': notebookJSON(['print("looping", flush=True)\nwhile True: pass']),
      'restart.ipynb': notebookJSON(['x = 40 + 2', 'print(x)'])
    }
  });

  test('an infinite loop stops with the toolbar interrupt button, and with I I', async ({ page }) => {
    const panel = await openNotebook(page, 'loop.ipynb', 1);
    await expectKernelIdle(panel);
    for (const how of ['toolbar', 'keys'] as const) {
      await selectCell(panel, 0);
      await page.keyboard.press('Control+Enter');
      await expect(prompt(panel, 0)).toHaveText('[*]:');
      await expect(kernelStatus(panel)).toHaveAttribute('data-status', 'busy');
      // In the loop (not still starting the cell) before interrupting.
      await expect(outputs(panel, 0, 'stream')).toHaveText('looping');
      if (how === 'toolbar') {
        await toolbarButton(panel, 'notebook:interrupt-kernel').click();
      } else {
        await expectCommandMode(panel);
        await page.keyboard.press('i');
        await page.keyboard.press('i');
      }
      await expect(outputs(panel, 0, 'error')).toContainText('KeyboardInterrupt', { timeout: KERNEL_TIMEOUT });
      await expectKernelIdle(panel);
      await expect(prompt(panel, 0)).toHaveText(how === 'toolbar' ? '[1]:' : '[2]:');
    }
  });

  test('0 0 restarts after asking (counts start again at 1, variables are gone); the toolbar restarts and runs all', async ({
    page
  }) => {
    const panel = await openNotebook(page, 'restart.ipynb', 2);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.press('Shift+Enter');
    // Shift+Enter on the last cell adds a new cell below it.
    await expect(cells(panel)).toHaveCount(3);
    await expect(cells(panel).nth(2)).toHaveClass(/ja-mod-active/);
    await expect(outputs(panel, 1, 'stream')).toHaveText('42');
    await expect(prompt(panel, 1)).toHaveText('[2]:');
    await expectKernelIdle(panel);

    await expectCommandMode(panel);
    await page.keyboard.press('0');
    await page.keyboard.press('0');
    const dialog = page.getByTestId('dialog');
    await expect(dialog).toContainText('Restart');
    await dialog.locator('.ja-Dialog-button[data-id="restart"]').click();
    await expect(dialog).toBeHidden();
    await expectKernelIdle(panel);
    await selectCell(panel, 1);
    await page.keyboard.press('Control+Enter');
    await expect(prompt(panel, 1)).toHaveText('[1]:');
    await expect(outputs(panel, 1, 'error')).toContainText('NameError');

    await toolbarButton(panel, 'notebook:restart-run-all').click();
    await expect(dialog).toBeVisible();
    await dialog.locator('.ja-Dialog-button[data-id="restart"]').click();
    await expect(prompt(panel, 0)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
    await expect(prompt(panel, 1)).toHaveText('[2]:');
    await expect(outputs(panel, 1, 'stream')).toHaveText('42');
    await expect(outputs(panel, 1, 'error')).toHaveCount(0);
    await expectKernelIdle(panel);
  });
});

test.describe('a kernel that dies', () => {
  test.use({ rootFiles: { 'die.ipynb': notebookJSON(['import os; os._exit(1)', 'print("still here")']) } });

  test('says so in the banner, comes back after the automatic restart, and the notebook is intact', async ({ page }) => {
    const panel = await openNotebook(page, 'die.ipynb', 2);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    const banner = panel.locator('.ja-NotebookPanel-banner');
    await expect(banner).toBeVisible({ timeout: KERNEL_TIMEOUT });
    await expect(banner).toContainText('died');
    await expectKernelIdle(panel);
    await expect(prompt(panel, 0)).not.toHaveText('[*]:');
    await expect(cells(panel)).toHaveCount(2);
    await expect(cellInputs(panel)).toHaveText([
      'import os; os._exit(1)',
      'print("still here")'
    ]);

    await selectCell(panel, 1);
    await page.keyboard.press('Control+Enter');
    await expect(outputs(panel, 1, 'stream')).toHaveText('still here');
    await expect(prompt(panel, 1)).toHaveText('[1]:');
  });
});

test.describe('completion and help', () => {
  test.use({ rootFiles: { 'complete.ipynb': notebookJSON(['import os', '', '']) } });

  test('Tab completes from the kernel; Shift+Tab shows the kernel help', async ({ page }) => {
    const panel = await openNotebook(page, 'complete.ipynb', 3);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    await expect(prompt(panel, 0)).toHaveText('[1]:');

    await setCellText(page, panel, 1, 'os.pa');
    await page.keyboard.press('Tab');
    const popup = page.locator('.cm-tooltip-autocomplete');
    await expect(popup).toBeVisible();
    await expect(popup.getByRole('option', { name: /^(os\.)?path$/ })).toBeVisible();
    // Escape closes the popup first, and only then leaves edit mode.
    await page.keyboard.press('Escape');
    await expect(popup).toBeHidden();
    await expect(panel.getByTestId('notebook')).toHaveClass(/ja-mod-editMode/);

    await setCellText(page, panel, 2, 'len');
    await page.keyboard.press('Shift+Tab');
    const help = panel.getByTestId('inspect-tooltip');
    await expect(help).toBeVisible();
    await expect(help).toContainText('Return the number of items');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
  });
});

test.describe('a notebook whose kernel is not installed', () => {
  test.use({
    rootFiles: { 'missing.ipynb': notebookJSON(['print("ran")'], { kernel: 'nonexistent-kernel' }) }
  });

  test('opens and is editable, says the kernel is missing, and running offers the kernel picker', async ({ page }) => {
    const panel = await openNotebook(page, 'missing.ipynb', 1);
    const banner = panel.locator('.ja-NotebookPanel-banner');
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('not installed');
    await expect(kernelStatus(panel)).toHaveAttribute('data-status', 'no-kernel');
    await expect(panel.getByTestId('kernel-name')).toHaveText('No Kernel');

    await setCellText(page, panel, 0, 'print("ran on", "python3")');
    await page.keyboard.press('Control+Enter');
    const dialog = page.getByTestId('dialog');
    const picker = dialog.getByTestId('kernel-picker');
    await expect(picker).toBeVisible();
    await picker.selectOption('python3');
    await dialog.locator('.ja-Dialog-button[data-id="select"]').click();
    await expect(dialog).toBeHidden();
    await expect(outputs(panel, 0, 'stream')).toHaveText('ran on python3', { timeout: KERNEL_TIMEOUT });
    await expect(prompt(panel, 0)).toHaveText('[1]:');
    await expectKernelIdle(panel);
    await expect(panel.getByTestId('kernel-name')).toHaveText(/Python 3/);
    await expect(banner).toBeHidden();
  });
});

test.describe('kernels and sessions', () => {
  test.use({
    rootFiles: {
      'a.ipynb': notebookJSON(['import os; os.getpid()']),
      'b.ipynb': notebookJSON(['import os; os.getpid()'])
    }
  });

  /** Run the only cell of `panel` and return the pid it printed. */
  async function runPid(page: import('@playwright/test').Page, panel: ReturnType<typeof notebookPanel>): Promise<number> {
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    const result = outputs(panel, 0, 'execute_result').locator('.ja-Output-body');
    await expect(result).toHaveText(/^\d+$/, { timeout: KERNEL_TIMEOUT });
    return Number(await result.textContent());
  }

  test('two notebooks each get their own kernel; a second page on a notebook joins its kernel', async ({ page, context, server }) => {
    const a = await openNotebook(page, 'a.ipynb', 1);
    await expectKernelIdle(a);
    const pidA = await runPid(page, a);
    const kernelA = await page.evaluate(
      () => (window as unknown as { jlabAlt: { shell: { currentWidget: { session: { kernel: { id: string } } } } } }).jlabAlt.shell
        .currentWidget.session.kernel.id
    );

    const b = await openNotebook(page, 'b.ipynb', 1);
    await expectKernelIdle(b);
    const pidB = await runPid(page, b);
    expect(pidB).not.toBe(pidA);

    const second = await context.newPage();
    await gotoApp(second, server.appUrl('a.ipynb'));
    const a2 = notebookPanel(second, 'a.ipynb');
    await expect(cells(a2)).toHaveCount(1);
    await expectKernelIdle(a2);
    const kernelA2 = await second.evaluate(
      () => (window as unknown as { jlabAlt: { shell: { currentWidget: { session: { kernel: { id: string } } } } } }).jlabAlt.shell
        .currentWidget.session.kernel.id
    );
    expect(kernelA2).toBe(kernelA);
    expect(await runPid(second, a2)).toBe(pidA);
  });
});

test.describe('a huge output', () => {
  test.use({ rootFiles: { 'huge.ipynb': notebookJSON(['for i in range(100000): print(i)']), 'other.txt': 'x\n' } });

  test('100,000 printed lines finish, the last one is visible at the end of the output, and the page stays responsive', async ({
    page
  }) => {
    test.setTimeout(90_000);
    const panel = await openNotebook(page, 'huge.ipynb', 1);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    await expect(prompt(panel, 0)).toHaveText('[1]:', { timeout: 60_000 });
    await expectKernelIdle(panel);
    const stream = outputs(panel, 0, 'stream');
    await expect(stream).toHaveCount(1);
    const pre = stream.locator('pre');
    await expect.poll(() => pre.evaluate((el) => el.textContent!.trimEnd().split('\n').pop())).toBe('99999');

    // Bring the output area into the notebook's view, then scroll it to its end: the last
    // line shows there, inside both the output area and the notebook's visible part.
    const area = cells(panel).nth(0).getByTestId('output-area');
    await area.evaluate((el) => el.scrollIntoView({ block: 'nearest' }));
    await area.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const lastLineVisible = () =>
      pre.evaluate((el) => {
        const text = el.lastChild?.nodeType === Node.TEXT_NODE ? el.lastChild : el.lastElementChild?.lastChild ?? el.lastChild;
        const node = text as Text;
        const value = node.textContent ?? '';
        const at = value.lastIndexOf('99999');
        if (at < 0) return 'no 99999 in the last text node';
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + 5);
        const r = range.getBoundingClientRect();
        const area = el.closest('[data-testid="output-area"]')!;
        const box = area.getBoundingClientRect();
        const view = el.closest('.ja-NotebookPanel-body')!.getBoundingClientRect();
        const inArea = r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
        const inView = r.top >= view.top - 1 && r.bottom <= view.bottom + 1;
        return inArea && inView && r.height > 0
          ? 'visible'
          : `not visible: ${JSON.stringify(r)} in ${JSON.stringify(box)}, notebook view ${JSON.stringify(view)}, area scrollTop ${area.scrollTop} of ${area.scrollHeight}`;
      });
    await expect.poll(lastLineVisible).toBe('visible');

    // Still responsive: the file browser and the notebook answer.
    await fileRow(page, 'other.txt').click();
    await expect(fileRow(page, 'other.txt')).toHaveAttribute('aria-selected', 'true');
    await selectCell(panel, 0);
    await page.keyboard.press('b');
    await expect(cells(panel)).toHaveCount(2);
  });
});
