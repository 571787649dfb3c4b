/**
 * Helpers for terminal tests. A terminal's text is read from xterm's buffer through
 * the widget (`text()`): with the WebGL renderer the screen is a canvas, and the
 * buffer is exactly what it paints. Helpers wait on conditions, never sleep.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, runFromPalette } from './fixtures';

/** How long a shell may take to start and answer under load. */
export const SHELL_TIMEOUT = 30_000;

interface TerminalLike {
  name: string;
  node: HTMLElement;
  text(): string;
  size: { rows: number; cols: number };
}

/** The terminal tab showing terminal `name` (or the only/first one). */
export function terminalNode(page: Page, name?: string): Locator {
  return name === undefined
    ? page.getByTestId('terminal').first()
    : page.locator(`[data-testid="terminal"][data-name="${name}"]`);
}

/** Everything in the terminal's buffer (scrollback and screen), as text. */
export async function terminalText(page: Page, name: string): Promise<string> {
  return page.evaluate((n) => {
    const app = (window as unknown as { jlabAlt: { shell: { dock: { all: unknown[] } } } }).jlabAlt;
    const widget = (app.shell.dock.all as TerminalLike[]).find((w) => w.node.dataset.testid === 'terminal' && w.name === n);
    if (!widget) throw new Error(`No terminal tab for terminal ${n}`);
    return widget.text();
  }, name);
}

/** The terminal's size in character cells, as the page has it. */
export async function terminalSize(page: Page, name: string): Promise<{ rows: number; cols: number }> {
  return page.evaluate((n) => {
    const app = (window as unknown as { jlabAlt: { shell: { dock: { all: unknown[] } } } }).jlabAlt;
    const widget = (app.shell.dock.all as TerminalLike[]).find((w) => w.node.dataset.testid === 'terminal' && w.name === n);
    if (!widget) throw new Error(`No terminal tab for terminal ${n}`);
    return widget.size;
  }, name);
}

/** Wait until a line of the terminal's text matches `pattern`; returns that line. */
export async function expectLine(page: Page, name: string, pattern: RegExp, timeout = SHELL_TIMEOUT): Promise<string> {
  let found = '';
  await expect
    .poll(
      async () => {
        const lines = (await terminalText(page, name)).split('\n');
        found = lines.find((l) => pattern.test(l)) ?? '';
        return found !== '';
      },
      { timeout, message: `a terminal line matching ${pattern}` }
    )
    .toBe(true);
  return found;
}

/** Open a new terminal from the palette; waits until its shell prompt is there. Returns its name. */
export async function newTerminal(page: Page): Promise<string> {
  await runFromPalette(page, 'New Terminal', 'terminal:create-new');
  return waitForShell(page);
}

/** Wait for the newest terminal tab to connect and its shell to print a prompt; returns its name. */
export async function waitForShell(page: Page, name?: string): Promise<string> {
  const node = name === undefined ? page.getByTestId('terminal').last() : terminalNode(page, name);
  await expect(node).toHaveAttribute('data-state', 'connected', { timeout: SHELL_TIMEOUT });
  const terminal = (await node.getAttribute('data-name'))!;
  await expect.poll(async () => (await terminalText(page, terminal)).trim().length, { timeout: SHELL_TIMEOUT }).toBeGreaterThan(0);
  return terminal;
}

/**
 * Wait until the shell waits for input: the last line is a prompt (ends with "$ " or
 * "# ", trailing blanks allowed). Keys typed before that reach the tty's line discipline, not readline.
 */
export async function waitForPrompt(page: Page, name: string): Promise<void> {
  await expect
    .poll(async () => /[$#]\s*$/.test((await terminalText(page, name)).split('\n').pop() ?? ''), {
      timeout: SHELL_TIMEOUT,
      message: 'a shell prompt on the last line'
    })
    .toBe(true);
}

/** Once the shell shows its prompt, focus the terminal and type a command line, then Enter. */
export async function run(page: Page, name: string, line: string): Promise<void> {
  await waitForPrompt(page, name);
  await focusTerminal(page, name);
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Give the terminal the keyboard (click into it). */
export async function focusTerminal(page: Page, name: string): Promise<void> {
  await terminalNode(page, name).click();
  await expect(terminalNode(page, name).locator('textarea')).toBeFocused();
}

/** The names of the terminals the server runs. */
export async function serverTerminals(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const xsrf = document.cookie.match(/(?:^|;\s*)_xsrf=([^;]*)/)?.[1] ?? '';
    const res = await fetch('/api/terminals', { headers: { 'X-XSRFToken': decodeURIComponent(xsrf) } });
    if (!res.ok) throw new Error(`GET /api/terminals: ${res.status}`);
    return ((await res.json()) as { name: string }[]).map((t) => t.name);
  });
}
