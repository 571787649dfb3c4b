import type { Page } from '@playwright/test';
import { expect, test, type JlabAltServer } from './fixtures';

const THEME = '@jlab-alt/theme:plugin';
const NOTEBOOK = '@jlab-alt/notebook:plugin';

/** The user settings the server stored for `id`. */
async function stored(page: Page, server: JlabAltServer, id: string): Promise<Record<string, unknown>> {
  const res = await page.request.get(`${server.origin}/jlab-alt/api/settings/${encodeURIComponent(id)}?token=${server.token}`);
  expect(res.status()).toBe(200);
  return (await res.json()).settings;
}

async function openEditor(page: Page) {
  await page.keyboard.press('Control+,');
  const editor = page.getByTestId('settingeditor');
  await expect(editor).toHaveAttribute('data-loaded', 'true');
  return editor;
}

const section = (page: Page, id: string) => page.locator(`[data-testid="settings-section"][data-plugin-id="${id}"]`);
const field = (page: Page, id: string, key: string) => section(page, id).locator(`[data-testid="setting-field"][data-key="${key}"]`);

test.describe('settings editor', () => {
  test.use({ rootFiles: { 'readme.txt': 'hi\n' } });

  test('a setting changed in the form takes effect at once, survives a reload, and resets', async ({ page, server }) => {
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    const editor = await openEditor(page);
    await editor.getByTestId('settings-search').fill('light dark');
    const preference = field(page, THEME, 'preference');
    await expect(preference).toBeVisible();
    // The search left out unrelated settings.
    await expect(field(page, NOTEBOOK, 'autosaveInterval')).toBeHidden();
    await expect(preference.getByTestId('setting-modified')).toBeHidden();

    await preference.locator('select').selectOption('dark');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    await expect(preference.getByTestId('setting-modified')).toBeVisible();
    await expect.poll(() => stored(page, server, THEME)).toEqual({ preference: 'dark' });

    await page.reload();
    await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    // Open the editor again and show modified settings only.
    const again = await openEditor(page);
    await again.getByTestId('settings-modified-only').check();
    await expect(field(page, THEME, 'preference')).toBeVisible();
    await expect(field(page, THEME, 'preference').locator('select')).toHaveValue('dark');
    await expect(field(page, NOTEBOOK, 'autosave')).toBeHidden();

    await field(page, THEME, 'preference').getByTestId('setting-reset').click();
    await expect(html).toHaveAttribute('data-theme', 'light');
    await expect.poll(() => stored(page, server, THEME)).toEqual({});
    // Not modified any more: "modified only" hides it.
    await expect(field(page, THEME, 'preference')).toBeHidden();
  });

  test('a number out of its bounds is refused in place and not saved', async ({ page, server }) => {
    await openEditor(page);
    const interval = field(page, NOTEBOOK, 'autosaveInterval');
    const input = interval.locator('input');
    await expect(input).toHaveValue('120');
    await input.fill('2');
    await input.press('Enter');
    await expect(interval.getByTestId('setting-error')).toContainText('at least 5');
    await expect(input).toHaveValue('2');
    await input.fill('30');
    await input.press('Enter');
    await expect(interval.getByTestId('setting-error')).toBeHidden();
    await expect(interval.getByTestId('setting-modified')).toBeVisible();
    await expect.poll(() => stored(page, server, NOTEBOOK)).toEqual({ autosaveInterval: 30 });
  });

  test('invalid JSON is refused with a message and nothing is lost', async ({ page, server }) => {
    await openEditor(page);
    const notebook = section(page, NOTEBOOK);
    await notebook.getByTestId('settings-json-toggle').click();
    const json = notebook.getByTestId('settings-json-editor');
    await expect(json).toContainText('"autosaveInterval": 120');

    const type = async (text: string) => {
      await json.click();
      await page.keyboard.press('Control+A');
      await page.keyboard.insertText(text);
    };
    // A syntax error: refused, the message in place, the text kept.
    await type('{ autosave: false, oops }');
    await notebook.getByTestId('settings-json-save').click();
    await expect(notebook.getByTestId('settings-json-error')).toContainText('Not valid JSON');
    await expect(json).toContainText('oops');
    // Valid JSON5 the schema refuses: the server's message, the text kept.
    await type('{ autosaveInterval: 1 }');
    await notebook.getByTestId('settings-json-save').click();
    await expect(notebook.getByTestId('settings-json-error')).toContainText('autosaveInterval');
    await expect(json).toContainText('autosaveInterval: 1');
    expect(await stored(page, server, NOTEBOOK)).toEqual({});
    // JSON5 with a comment and a trailing comma is saved, and the form follows.
    await type('// my choice\n{ autosave: false, autosaveInterval: 60, }');
    await notebook.getByTestId('settings-json-save').click();
    await expect.poll(() => stored(page, server, NOTEBOOK)).toEqual({ autosave: false, autosaveInterval: 60 });
    await expect(notebook.getByTestId('settings-json-error')).toBeHidden();
    await expect(field(page, NOTEBOOK, 'autosaveInterval').locator('input')).toHaveValue('60');
    await expect(field(page, NOTEBOOK, 'autosave').locator('input')).not.toBeChecked();
  });

  test("the file browser's sidebar button names its shortcut from the keybindings and follows a rebinding", async ({ page }) => {
    const button = page.locator('.ja-SideBar-tab[data-id="filebrowser"]');
    await expect(button).toHaveAttribute('title', 'File Browser (Ctrl+Shift+F)');
    const editor = await openEditor(page);
    await editor.getByTestId('settings-search').fill('show file browser');
    const row = page.locator('[data-testid="shortcut-row"][data-command="filebrowser:toggle"]');
    await expect(row.getByTestId('shortcut-keys')).toHaveText('Ctrl+Shift+F');
    await row.getByTestId('shortcut-keys').click();
    await page.keyboard.press('Control+Alt+K');
    await expect(row.getByTestId('shortcut-keys')).toHaveText('Ctrl+Alt+K');
    await expect(button).toHaveAttribute('title', 'File Browser (Ctrl+Alt+K)');
  });

  test('a rebound shortcut works at once, the old keys stop, and a conflict is shown', async ({ page }) => {
    const filebrowser = page.getByTestId('filebrowser');
    await expect(filebrowser).toBeVisible();
    const editor = await openEditor(page);
    await editor.getByTestId('settings-search').fill('toggle left sidebar');
    const row = page.locator('[data-testid="shortcut-row"][data-command="shell:toggle-left-sidebar"]');
    await expect(row.getByTestId('shortcut-keys')).toHaveText('Ctrl+B');
    await row.getByTestId('shortcut-keys').click();
    await page.keyboard.press('Control+Alt+J');
    await expect(row.getByTestId('shortcut-keys')).toHaveText('Ctrl+Alt+J');
    await expect(row).toHaveAttribute('data-modified', 'true');

    // The new keys toggle the sidebar; the old ones no longer do.
    await page.keyboard.press('Control+Alt+J');
    await expect(filebrowser).toBeHidden();
    await page.keyboard.press('Control+B');
    await expect(filebrowser).toBeHidden();
    await page.keyboard.press('Control+Alt+J');
    await expect(filebrowser).toBeVisible();

    // Binding another command to the same keys reports the conflict and changes nothing on Cancel.
    await editor.getByTestId('settings-search').fill('show file browser');
    const other = page.locator('[data-testid="shortcut-row"][data-command="filebrowser:toggle"]');
    const before = await other.getByTestId('shortcut-keys').textContent();
    await other.getByTestId('shortcut-keys').click();
    await page.keyboard.press('Control+Alt+J');
    const conflict = other.getByTestId('shortcut-conflict');
    await expect(conflict).toContainText('already bound to "Toggle Left Sidebar"');
    await conflict.getByRole('button', { name: 'Cancel' }).click();
    await expect(other.getByTestId('shortcut-keys')).toHaveText(before ?? '');
    await page.keyboard.press('Control+Alt+J');
    await expect(filebrowser).toBeHidden();
  });
});
