/**
 * Code consoles with a real ipykernel: a console of its own (1+1 with its execution
 * count, input(), interrupt), a console on a notebook's kernel (its variables, and
 * the notebook's runs shown on request), and the history: Up/Down filtered by the
 * typed prefix, and Ctrl+R reverse search.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, gotoApp, runFromPalette, test } from './fixtures';
import { KERNEL_TIMEOUT, expectKernelIdle, notebookJSON, openNotebook, selectCell } from './notebook-helpers';

// Each test starts kernels and runs several inputs: slow on a loaded machine.
test.describe.configure({ timeout: 180_000 });

/**
 * Open a console with a kernel of its own from the palette, as from the keyboard: the
 * kernel picker has the focus with python3 chosen, and Enter accepts it.
 */
async function newConsole(page: Page): Promise<Locator> {
  await runFromPalette(page, 'New Console', 'console:create');
  const dialog = page.getByTestId('dialog');
  await expect(dialog.getByTestId('kernel-picker')).toHaveValue('python3');
  await expect(dialog.getByTestId('kernel-picker')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  const console_ = page.getByTestId('console').last();
  await expectConsoleIdle(console_);
  return console_;
}

async function expectConsoleIdle(console_: Locator): Promise<void> {
  await expect(console_.getByTestId('console-kernel-status')).toHaveAttribute('data-status', 'idle', { timeout: KERNEL_TIMEOUT });
}

function promptEditor(console_: Locator): Locator {
  return console_.getByTestId('console-prompt').locator('.cm-content');
}

function logCells(console_: Locator): Locator {
  return console_.getByTestId('console-cell');
}

/** Type `code` into the prompt (after clicking it) and run it with Shift+Enter. */
async function run(page: Page, console_: Locator, code: string): Promise<void> {
  await promptEditor(console_).click();
  await page.keyboard.type(code);
  await expect(promptEditor(console_)).toHaveText(code.replace(/\n/g, ''));
  await page.keyboard.press('Shift+Enter');
  await expect(promptEditor(console_)).toHaveText('');
}

test.describe('a console of its own', () => {
  test('1+1 shows 2 with its execution count, under the kernel banner', async ({ page, pageErrors }) => {
    const console_ = await newConsole(page);
    await expect(console_.getByTestId('console-banner')).toContainText('IPython');
    await run(page, console_, '1+1');
    const cell = logCells(console_).last();
    await expect(cell.locator('.ja-Output[data-output-type="execute_result"]')).toHaveText('[1]:2');
    await expect(cell.locator('.ja-Cell-prompt')).toHaveText('[1]:');
    await expect(cell.locator('.ja-Cell-static')).toHaveText('1+1');
    await expect(console_).toHaveAttribute('data-session-path', /^console-1-[0-9a-f-]{36}$/);
    expect(pageErrors).toEqual([]);
  });

  test('Shift+Tab shows the kernel help above the prompt; the next key closes it', async ({ page }) => {
    const console_ = await newConsole(page);
    await promptEditor(console_).click();
    await page.keyboard.type('len');
    await page.keyboard.press('Shift+Tab');
    const help = console_.getByTestId('inspect-tooltip');
    await expect(help).toBeVisible();
    await expect(help).toContainText('Return the number of items');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await expect(promptEditor(console_)).toHaveText('len');
  });

  test('input() asks under the run, and the answer reaches the kernel', async ({ page }) => {
    const console_ = await newConsole(page);
    await run(page, console_, 'name = input("Name: "); print("hi", name)');
    const box = logCells(console_).last().getByTestId('stdin');
    await expect(box).toContainText('Name:');
    await expect(box.locator('input')).toBeFocused();
    await page.keyboard.type('Ada');
    await page.keyboard.press('Enter');
    await expect(logCells(console_).last().locator('.ja-Output[data-output-type="stream"]')).toHaveText('hi Ada');
    await expect(logCells(console_).last().locator('.ja-Cell-prompt')).toHaveText('[1]:');
  });

  test('an endless loop stops with Interrupt, and the kernel keeps its variables', async ({ page }) => {
    const console_ = await newConsole(page);
    await run(page, console_, 'kept = 7');
    await run(page, console_, 'print("looping", flush=True)\nwhile True: pass');
    const loop = logCells(console_).last();
    await expect(loop.locator('.ja-Output[data-output-type="stream"]')).toHaveText('looping');
    await expect(console_.getByTestId('console-kernel-status')).toHaveAttribute('data-status', 'busy');
    await console_.getByTestId('console-interrupt').click();
    await expect(loop.locator('.ja-Output[data-output-type="error"]')).toContainText('KeyboardInterrupt', { timeout: KERNEL_TIMEOUT });
    await expectConsoleIdle(console_);
    await run(page, console_, 'kept * 6');
    await expect(logCells(console_).last().locator('.ja-Output[data-output-type="execute_result"]')).toContainText('42');
  });

  test('after a reload the console comes back on the same kernel; the running panel names it and shows it', async ({ page, server }) => {
    const console_ = await newConsole(page);
    await run(page, console_, 'kept = 41');
    await expectConsoleIdle(console_);
    const sessionPath = await console_.getAttribute('data-session-path');
    // The saved layout has the console (saves are debounced).
    await expect
      .poll(async () => {
        const res = await page.request.get(`${server.origin}/jlab-alt/api/workspaces/default?token=${server.token}`);
        return JSON.stringify((await res.json()).layout ?? null);
      })
      .toContain(sessionPath!);

    await gotoApp(page, server.appUrl());
    const back = page.locator(`[data-testid="console"][data-session-path="${sessionPath}"]`);
    await expectConsoleIdle(back);
    await run(page, back, 'kept + 1');
    await expect(logCells(back).last().locator('.ja-Output[data-output-type="execute_result"]')).toContainText('42');

    // The running panel lists the session by its name; a click shows the console, no document.
    await page.locator('.ja-FileBrowser-toolbar [data-command="filebrowser:new-file"]').click();
    await expect(back).toBeHidden();
    await page.locator('.ja-SideBar-tab[data-id="running-panel"]').click();
    const row = page.getByTestId('running-panel').locator(`[data-testid="running-session"][data-path="${sessionPath}"]`);
    await expect(row).toContainText('Console 1');
    await row.click();
    await expect(back).toBeVisible();
    // Two tabs, the new file's and the console's: no third one for the session's path.
    await expect(page.locator('.dv-tab')).toHaveCount(2);
  });

  test('Up/Down walk the history filtered by the typed prefix and give the draft back; Ctrl+R searches it', async ({ page }) => {
    const console_ = await newConsole(page);
    for (const code of ['alpha = 1', 'beta = 2', 'alpha_two = 3', 'gamma = alpha + beta']) await run(page, console_, code);
    await expect(logCells(console_)).toHaveCount(4);
    const editor = promptEditor(console_);
    await editor.click();

    // No prefix: newest first, then back down to the (empty) draft.
    await page.keyboard.press('ArrowUp');
    await expect(editor).toHaveText('gamma = alpha + beta');
    await page.keyboard.press('ArrowUp');
    await expect(editor).toHaveText('alpha_two = 3');
    await page.keyboard.press('ArrowDown');
    await expect(editor).toHaveText('gamma = alpha + beta');
    await page.keyboard.press('ArrowDown');
    await expect(editor).toHaveText('');

    // With a prefix: only inputs starting with it; the draft comes back.
    await page.keyboard.type('alp');
    await page.keyboard.press('ArrowUp');
    await expect(editor).toHaveText('alpha_two = 3');
    await page.keyboard.press('ArrowUp');
    await expect(editor).toHaveText('alpha = 1');
    await page.keyboard.press('ArrowUp');
    await expect(editor).toHaveText('alpha = 1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(editor).toHaveText('alp');

    // Ctrl+R: the kernel's search, newest match first; Ctrl+R again goes older; Enter keeps it.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+r');
    const search = console_.getByTestId('console-search');
    await expect(search).toBeFocused();
    await page.keyboard.type('beta');
    await expect(editor).toHaveText('gamma = alpha + beta');
    await expect(console_.getByTestId('console-search-status')).toHaveText('2 found');
    await page.keyboard.press('Control+r');
    await expect(editor).toHaveText('beta = 2');
    await page.keyboard.press('Enter');
    await expect(search).toBeHidden();
    await page.keyboard.press('Shift+Enter');
    await expect(logCells(console_)).toHaveCount(5);
    await expect(logCells(console_).last().locator('.ja-Cell-static')).toHaveText('beta = 2');

    // Escape gives the draft back.
    await editor.click();
    await page.keyboard.type('draft');
    await page.keyboard.press('Control+r');
    await page.keyboard.type('gamma');
    await expect(editor).toHaveText('gamma = alpha + beta');
    await page.keyboard.press('Escape');
    await expect(editor).toHaveText('draft');
  });
});

test.describe('a console for a notebook', () => {
  test.use({ rootFiles: { 'vars.ipynb': notebookJSON(['secret = 41', 'print("from the notebook", secret)']) } });

  test('shares the notebook\'s kernel: sees its variables, and shows its runs when asked', async ({ page }) => {
    const panel = await openNotebook(page, 'vars.ipynb', 2);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    await expect(panel.getByTestId('cell').nth(0).locator('.ja-Cell-prompt')).toHaveText('[1]:');

    await runFromPalette(page, 'New Console for Notebook', 'console:create-for-notebook');
    const console_ = page.getByTestId('console');
    await expectConsoleIdle(console_);
    // Opened split below the notebook: both visible, the console underneath.
    await expect(panel).toBeVisible();
    const [nb, co] = [await panel.boundingBox(), await console_.boundingBox()];
    expect(co!.y).toBeGreaterThanOrEqual(nb!.y + nb!.height - 1);

    await run(page, console_, 'secret + 1');
    await expect(logCells(console_).last().locator('.ja-Output[data-output-type="execute_result"]')).toHaveText('[2]:42');

    // The notebook's runs appear in the console once "Show all kernel activity" is on.
    await console_.getByTestId('console-show-all').check();
    await selectCell(panel, 1);
    await page.keyboard.press('Control+Enter');
    const foreign = logCells(console_).and(page.locator('[data-foreign="true"]'));
    await expect(foreign).toHaveCount(1);
    await expect(foreign.locator('.ja-Cell-static')).toHaveText('print("from the notebook", secret)');
    await expect(foreign.locator('.ja-Output[data-output-type="stream"]')).toHaveText('from the notebook 41');
    await expect(foreign.locator('.ja-Cell-prompt')).toHaveText('[3]:');
  });
});

test.describe('running code from elsewhere', () => {
  test.use({ rootFiles: { 'calc.py': 'print(6 * 7)\n' } });

  test('Run Selection or Current Line in Console sends the text editor\'s line to a new console', async ({ page }) => {
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="calc.py"]')).dblclick();
    const editor = page.locator('.ja-FileEditor .cm-content');
    await expect(editor).toHaveText('print(6 * 7)');
    // On the line's text: the file's second (empty) line would send nothing.
    await editor.locator('.cm-line').first().click();
    await runFromPalette(page, 'Run Selection or Current Line in Console', 'console:run-selection');
    const dialog = page.getByTestId('dialog');
    await dialog.locator('[data-id="select"]').click();
    const console_ = page.getByTestId('console');
    await expect(logCells(console_).last().locator('.ja-Cell-static')).toHaveText('print(6 * 7)');
    await expect(logCells(console_).last().locator('.ja-Output[data-output-type="stream"]')).toHaveText('42', { timeout: KERNEL_TIMEOUT });
  });

  test('a widget made in a console is live', async ({ page }) => {
    const console_ = await newConsole(page);
    await run(page, console_, 'import ipywidgets as w\nw.IntSlider(value=3, description="n")');
    const slider = logCells(console_).last().locator('.widget-slider');
    await expect(slider.locator('.widget-readout')).toHaveText('3', { timeout: KERNEL_TIMEOUT });
    await expect(slider.locator('.widget-label')).toHaveText('n');
  });
});

test.describe('with the runOnEnter setting', () => {
  test.use({
    configFiles: { 'jlab_alt/user-settings/@jlab-alt/console:plugin.json': JSON.stringify({ runOnEnter: true }) }
  });

  test('Enter adds a line while the kernel says the code is incomplete, and runs it once complete', async ({ page }) => {
    const console_ = await newConsole(page);
    const editor = promptEditor(console_);
    await editor.click();
    await page.keyboard.type('for i in range(3):');
    await page.keyboard.press('Enter');
    // Incomplete: a new, indented line, nothing ran.
    await expect(console_.getByTestId('console-prompt').locator('.cm-line')).toHaveCount(2);
    await page.keyboard.type('print(i * 2)');
    await page.keyboard.press('Enter');
    await expect(console_.getByTestId('console-prompt').locator('.cm-line')).toHaveCount(3);
    await page.keyboard.press('Enter');
    await expect(logCells(console_)).toHaveCount(1);
    await expect(logCells(console_).last().locator('.ja-Output[data-output-type="stream"]')).toHaveText(/^0\s+2\s+4\s*$/);
    await expect(editor).toHaveText('');
    // Complete at once: one Enter runs.
    await page.keyboard.type('40 + 2');
    await page.keyboard.press('Enter');
    await expect(logCells(console_).last().locator('.ja-Output[data-output-type="execute_result"]')).toHaveText('[2]:42');
  });
});
