/**
 * Terminal settings against a real server and shell: changed in the settings editor
 * (or through the settings service, as other plugins do), they apply to an open
 * terminal at once, without a reload; the shell sees the new size (`stty size`), the
 * scrollback keeps the set number of lines, and the theme setting overrides the app's.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { SHELL_TIMEOUT, expectLine, newTerminal, run, terminalNode, terminalSize, terminalText } from './terminal-helpers';

const TERMINAL = '@jlab-alt/terminal:plugin';

/** Save the terminal settings through the page's settings service (fires its change event). */
async function saveSettings(page: Page, values: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    ([id, v]) => {
      const app = (window as unknown as { jlabAlt: { settings: { save(id: string, v: unknown): Promise<unknown> } } }).jlabAlt;
      return app.settings.save(id, v).then(() => undefined);
    },
    [TERMINAL, values] as const
  );
}

/** Wait until the shell reports `rows cols` for `stty size`. */
async function expectShellSize(page: Page, name: string, size: { rows: number; cols: number }): Promise<void> {
  await expect
    .poll(
      async () => {
        await run(page, name, 'clear; stty size');
        return (await terminalText(page, name)).split('\n').includes(`${size.rows} ${size.cols}`);
      },
      { timeout: SHELL_TIMEOUT, message: `stty size to print ${size.rows} ${size.cols}` }
    )
    .toBe(true);
}

/** The xterm theme backgrounds of `ts_src/terminal/widget.ts`, as computed styles give them. */
const BACKGROUND = { light: 'rgb(255, 255, 255)', dark: 'rgb(30, 31, 34)' } as const;

/**
 * Every point along the terminal tab's bottom edge (where the character grid rarely
 * reaches) and its left margin is painted in the terminal theme's background: the first
 * non-transparent background from the element on top there up to the tab's node.
 */
async function expectBackground(page: Page, name: string, theme: keyof typeof BACKGROUND): Promise<void> {
  const node = terminalNode(page, name);
  await expect
    .poll(
      () =>
        node.evaluate((root) => {
          const box = root.getBoundingClientRect();
          const points: [number, number][] = [];
          for (let f = 0.1; f < 1; f += 0.2) {
            points.push([box.left + box.width * f, box.bottom - 2]);
            // Not the right edge: xterm's scrollbar lies there.
            points.push([box.left + 2, box.top + box.height * f]);
          }
          const painted = new Set<string>();
          for (const [x, y] of points) {
            let el = document.elementFromPoint(x, y) as HTMLElement | null;
            let color = 'none';
            while (el) {
              const bg = getComputedStyle(el).backgroundColor;
              if (bg && bg !== 'transparent' && bg !== 'rgba(0, 0, 0, 0)') {
                color = bg;
                break;
              }
              if (el === root) break;
              el = el.parentElement;
            }
            painted.add(color);
          }
          return [...painted].sort().join(' ');
        }),
      { message: `the terminal's edges painted in its ${theme} background` }
    )
    .toBe(BACKGROUND[theme]);
}

test.describe('terminal settings', () => {
  test('a font size set in the settings editor resizes an open terminal, and the shell sees it', async ({ page }) => {
    const name = await newTerminal(page);
    await run(page, name, 'stty size');
    const before = await terminalSize(page, name);
    await expectLine(page, name, new RegExp(`^${before.rows} ${before.cols}$`));

    // Leave the terminal (it keeps Ctrl+, for the shell), then open the settings editor.
    await page.getByTestId('filebrowser').getByRole('listbox').click();
    await page.keyboard.press('Control+,');
    const editor = page.getByTestId('settingeditor');
    await expect(editor).toHaveAttribute('data-loaded', 'true');
    await editor.getByTestId('settings-search').fill('terminal font size');
    const field = editor.locator(`[data-testid="settings-section"][data-plugin-id="${TERMINAL}"] [data-testid="setting-field"][data-key="fontSize"]`);
    const input = field.locator('input');
    await expect(input).toHaveValue('13');
    await input.fill('24');
    await input.press('Enter');
    await expect(field.getByTestId('setting-modified')).toBeVisible();

    // Back to the terminal: bigger cells, fewer of them, and the shell is told.
    await page.locator('.dv-tab', { hasText: `Terminal ${name}` }).click();
    await expect.poll(async () => (await terminalSize(page, name)).cols).toBeLessThan(before.cols);
    const after = await terminalSize(page, name);
    expect(after.rows).toBeLessThan(before.rows);
    await expectShellSize(page, name, after);
  });

  test('changes apply to a terminal on screen at once: font size, scrollback, theme', async ({ page }) => {
    const name = await newTerminal(page);
    const before = await terminalSize(page, name);
    await expect(terminalNode(page, name)).toHaveAttribute('data-theme', 'light');
    await expectBackground(page, name, 'light');

    await saveSettings(page, { fontSize: 9, scrollback: 100, theme: 'dark' });
    // Smaller cells: more of them, without a reload or a tab switch.
    await expect.poll(async () => (await terminalSize(page, name)).cols).toBeGreaterThan(before.cols);
    const after = await terminalSize(page, name);
    expect(after.rows).toBeGreaterThan(before.rows);
    await expect(terminalNode(page, name)).toHaveAttribute('data-theme', 'dark');
    // A dark terminal in the light app: no light (or black) strip below its last row.
    await expectBackground(page, name, 'dark');
    await expectShellSize(page, name, after);

    // Scrollback: at most 100 lines above the screen are kept.
    await run(page, name, 'seq 1 600');
    await expectLine(page, name, /^600$/);
    const lines = (await terminalText(page, name)).split('\n');
    expect(lines.length).toBeLessThanOrEqual(100 + after.rows);
    expect(lines).not.toContain('1');
    expect(lines).toContain('550');

    // Back to the defaults: the app's theme again.
    await saveSettings(page, {});
    await expect(terminalNode(page, name)).toHaveAttribute('data-theme', 'light');
    await expectBackground(page, name, 'light');
    await expect.poll(async () => (await terminalSize(page, name)).cols).toBe(before.cols);
  });
});
