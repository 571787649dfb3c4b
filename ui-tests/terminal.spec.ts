/**
 * Terminals against a real server and shell (terminado): output, the folder a shell
 * starts in, resizing, surviving a reload, exit, two pages on one terminal, and the
 * shell's own keys winning over the app's shortcuts.
 */
import { expect, gotoApp, test } from './fixtures';
import { fileRow } from './notebook-helpers';
import {
  SHELL_TIMEOUT,
  expectLine,
  focusTerminal,
  newTerminal,
  run,
  serverTerminals,
  terminalNode,
  terminalSize,
  terminalText,
  waitForPrompt,
  waitForShell
} from './terminal-helpers';

test.describe('terminals', () => {
  test('runs a command and shows its output; xterm loads only with the first terminal', async ({ page }) => {
    const chunkLoaded = () =>
      page.evaluate(() => performance.getEntriesByType('resource').some((e) => /\/terminal\.[0-9a-f]+\.js/.test(e.name)));
    expect(await chunkLoaded()).toBe(false);
    const name = await newTerminal(page);
    expect(await chunkLoaded()).toBe(true);
    await run(page, name, 'echo $((6*7))');
    await expectLine(page, name, /^42$/);
  });

  test.describe('in a folder', () => {
    test.use({ rootFiles: { 'sub dir/inner/': '', 'sub dir/inner/here.txt': 'x' } });

    test('"Open Terminal Here" starts the shell in the folder the file browser shows', async ({ page }) => {
      await fileRow(page, 'sub dir').dblclick();
      await fileRow(page, 'inner').dblclick();
      await expect(fileRow(page, 'here.txt')).toBeVisible();
      await page.getByTestId('filebrowser').getByRole('listbox').click({ button: 'right', position: { x: 50, y: 200 } });
      await page.getByTestId('context-menu').getByRole('menuitem', { name: 'Open Terminal Here' }).click();
      const name = await waitForShell(page);
      await run(page, name, 'pwd');
      await expectLine(page, name, /\/sub dir\/inner$/);
    });
  });

  test('resizing the page changes the shell\'s size (stty size)', async ({ page }) => {
    const name = await newTerminal(page);
    await run(page, name, 'stty size');
    const before = await terminalSize(page, name);
    await expectLine(page, name, new RegExp(`^${before.rows} ${before.cols}$`));
    await page.setViewportSize({ width: 900, height: 560 });
    await expect.poll(async () => (await terminalSize(page, name)).cols).toBeLessThan(before.cols);
    const after = await terminalSize(page, name);
    expect(after.rows).toBeLessThan(before.rows);
    // The host gets the new size (debounced) and the shell sees it.
    await expect
      .poll(async () => {
        await run(page, name, 'clear; stty size');
        return (await terminalText(page, name)).split('\n').includes(`${after.rows} ${after.cols}`);
      }, { timeout: SHELL_TIMEOUT })
      .toBe(true);
  });

  test('a reload reconnects to the same shell with its scrollback, without duplicates', async ({ page }) => {
    test.setTimeout(120_000);
    const name = await newTerminal(page);
    await run(page, name, 'export JA_MARK=kept-$((40+2)); echo before-reload-$((1+1))');
    await expectLine(page, name, /^before-reload-2$/);
    // More separate reads than terminado replays (1,000), so the marker survives only
    // through the page's own snapshot.
    await run(
      page,
      name,
      `python3 -c "import time
for i in range(1200): print('r%d' % i, flush=True); time.sleep(0.003)"`
    );
    await expectLine(page, name, /^r1199$/);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
    await waitForShell(page, name);
    await expectLine(page, name, /^before-reload-2$/);
    const lines = (await terminalText(page, name)).split('\n');
    expect(lines.filter((l) => l === 'before-reload-2')).toHaveLength(1);
    expect(lines.filter((l) => l === 'r1199')).toHaveLength(1);
    await run(page, name, 'echo mark=$JA_MARK');
    await expectLine(page, name, /^mark=kept-42$/);
    expect(await serverTerminals(page)).toEqual([name]);
  });

  test('a flood ends with the same scrollback as the shell printed: the last lines, in order, none missing', async ({ page }) => {
    // The page skips what would scroll out of the scrollback unseen (jump scrolling):
    // what is left must be exactly the end of the output.
    const name = await newTerminal(page);
    await run(page, name, "seq 1 200000; printf 'flood \\033[1mdone\\033[0m\\n'");
    await expectLine(page, name, /^flood done$/);
    const lines = (await terminalText(page, name)).split('\n');
    const numbers = lines.filter((l) => /^\d+$/.test(l)).map(Number);
    expect(numbers[numbers.length - 1]).toBe(200000);
    // The default scrollback is 5,000 lines, all of them the flood's last ones.
    expect(numbers.length).toBeGreaterThan(4900);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1] + 1)).toBe(true);
    expect(lines.indexOf('flood done')).toBe(lines.lastIndexOf('200000') + 1);
  });

  test('exit shows that the process exited', async ({ page }) => {
    const name = await newTerminal(page);
    await run(page, name, 'exit');
    await expect(terminalNode(page, name)).toHaveAttribute('data-state', 'exited', { timeout: SHELL_TIMEOUT });
    await expectLine(page, name, /\[process exited\]/);
  });

  test('two pages on one terminal both type and both see the output', async ({ page, context, server }) => {
    const name = await newTerminal(page);
    const other = await context.newPage();
    await gotoApp(other, server.appUrl());
    await other.evaluate((n) => {
      const app = (window as unknown as { jlabAlt: { commands: { execute(id: string, args: unknown): Promise<unknown> } } }).jlabAlt;
      return app.commands.execute('terminal:open', { name: n }).then(() => undefined);
    }, name);
    await waitForShell(other, name);
    await run(other, name, 'echo from-b-$((1+1))');
    await expectLine(page, name, /^from-b-2$/);
    await expectLine(other, name, /^from-b-2$/);
    await run(page, name, 'echo from-a-$((2+2))');
    await expectLine(other, name, /^from-a-4$/);
    await other.close();
  });

  test('selecting copies, Ctrl+Shift+C copies, Ctrl+Shift+V pastes', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const name = await newTerminal(page);
    await run(page, name, 'echo copy-me-$((5*5))');
    await expectLine(page, name, /^copy-me-25$/);
    const lines = (await terminalText(page, name)).split('\n');
    const row = lines.indexOf('copy-me-25');
    const { rows, cols } = await terminalSize(page, name);
    const box = (await terminalNode(page, name).locator('.xterm-screen').boundingBox())!;
    const cell = { w: box.width / cols, h: box.height / rows };
    // A double click selects the word; the selection is on the clipboard at once.
    await page.mouse.dblclick(box.x + cell.w * 3.5, box.y + cell.h * (row + 0.5));
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('copy-me-25');
    await page.evaluate(() => navigator.clipboard.writeText('something else'));
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('copy-me-25');
    await page.evaluate(() => navigator.clipboard.writeText('echo pasted-$((3*3))'));
    await focusTerminal(page, name);
    await page.keyboard.press('Control+Shift+V');
    await page.keyboard.press('Enter');
    await expectLine(page, name, /^pasted-9$/);
  });

  test('Find in Terminal asks in the app\'s dialog and selects the match (which copies it)', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const name = await newTerminal(page);
    await run(page, name, 'echo find-me-$((6*7))');
    await expectLine(page, name, /^find-me-42$/);
    await page.evaluate(() => navigator.clipboard.writeText('nothing found yet'));
    // Ctrl+Shift+P is the one app shortcut that works from inside a terminal.
    await focusTerminal(page, name);
    await page.keyboard.press('Control+Shift+P');
    await page.getByTestId('command-palette-input').fill('Find in Terminal');
    const palette = page.getByTestId('command-palette');
    await expect(palette.getByTestId('command-palette-item').first()).toHaveAttribute('data-command', 'terminal:find');
    await page.keyboard.press('Enter');
    const input = page.getByTestId('prompt-input');
    await expect(input).toBeFocused();
    await input.fill('find-me-42');
    await page.keyboard.press('Enter');
    await expect(input).toBeHidden();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('find-me-42');
  });

  test('Ctrl+W, Ctrl+B and Alt+Backspace reach the shell, not the app; Ctrl+Shift+P still opens the palette', async ({
    page
  }) => {
    const name = await newTerminal(page);
    const sidebar = page.locator('.ja-SideBar-panel.ja-mod-left');
    await expect(sidebar).toBeVisible();
    await waitForPrompt(page, name);
    await focusTerminal(page, name);
    // readline: Ctrl+W deletes the word before the cursor.
    await page.keyboard.type('echo abc def');
    await page.keyboard.press('Control+w');
    await page.keyboard.type('xyz');
    await page.keyboard.press('Enter');
    await expectLine(page, name, /^abc xyz$/);
    await waitForPrompt(page, name);
    // Ctrl+B moves back one character (and does not toggle the sidebar).
    await page.keyboard.type('echo 1');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('2');
    await page.keyboard.press('Enter');
    await expectLine(page, name, /^21$/);
    await waitForPrompt(page, name);
    // Alt+Backspace deletes the word before the cursor (and Alt+W does not close the tab).
    await page.keyboard.type('echo keep dropme');
    await page.keyboard.press('Alt+Backspace');
    await page.keyboard.type('ok');
    await page.keyboard.press('Enter');
    await expectLine(page, name, /^keep ok$/);
    await page.keyboard.press('Alt+w');
    await expect(sidebar).toBeVisible();
    await expect(terminalNode(page, name)).toBeVisible();
    // The one escape: Ctrl+Shift+P opens the command palette from inside the terminal.
    await page.keyboard.press('Control+Shift+P');
    await expect(page.getByTestId('command-palette')).toBeVisible();
  });
});
