import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { notebookJSON, openNotebook, tab } from './notebook-helpers';

const MENUS = ['File', 'Edit', 'View', 'Run', 'Kernel', 'Tabs', 'Settings', 'Help'];

function barItem(page: Page, id: string) {
  return page.locator(`[data-testid="menubar-item"][data-id="${id}"]`);
}

function openMenu(page: Page) {
  return page.getByTestId('menu');
}

/** The palette's shortcut text per command id, as a person sees it in the palette. */
async function paletteShortcuts(page: Page): Promise<Map<string, string>> {
  await page.keyboard.press('Control+Shift+C');
  const items = page.getByTestId('command-palette-item');
  await expect(items.first()).toBeVisible();
  const rows = await items.evaluateAll((lis) =>
    lis.map((li) => [(li as HTMLElement).dataset.command!, li.querySelector('.ja-Palette-shortcut')?.textContent ?? ''] as const)
  );
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('command-palette')).toBeHidden();
  return new Map(rows);
}

test.describe('menu bar', () => {
  test.use({ rootFiles: { 'nb.ipynb': notebookJSON(['x = 1', 'print(x)']) } });

  test('every menu item runs its command and shows the same shortcut as the palette', async ({ page }) => {
    test.setTimeout(240_000);
    await openNotebook(page, 'nb.ipynb', 2);
    await expect(page.getByTestId('menubar-item')).toHaveText(MENUS);
    const shortcuts = await paletteShortcuts(page);
    expect(shortcuts.get('notebook:save')).toBe('Ctrl+S');

    // Record what runs instead of running it (shutting the server down would end the test).
    await page.evaluate(() => {
      const w = window as unknown as { jlabAlt: { commands: { execute(id: string): Promise<unknown> } }; ran: string[] };
      w.ran = [];
      w.jlabAlt.commands.execute = (id: string) => {
        w.ran.push(id);
        return Promise.resolve();
      };
    });
    const lastRan = () => page.evaluate(() => (window as unknown as { ran: string[] }).ran.at(-1));

    let checked = 0;
    let withShortcut = 0;
    type Row = { id: string; shortcut: string; disabled: boolean; submenu: boolean };
    const rows = (menu: ReturnType<typeof openMenu>) =>
      menu.locator('.ja-Menu-item').evaluateAll((buttons) =>
        buttons.map((b) => ({
          id: (b as HTMLElement).dataset.id!,
          shortcut: b.querySelector('.ja-Menu-shortcut')?.textContent ?? '',
          disabled: (b as HTMLButtonElement).disabled,
          submenu: b.getAttribute('aria-haspopup') === 'menu'
        }))
      ) as Promise<Row[]>;
    const checkRow = (row: Row) => {
      // Commands the palette lists (most; not the palette itself) show the same shortcut.
      if (shortcuts.has(row.id)) expect(row.shortcut, row.id).toBe(shortcuts.get(row.id));
      if (row.shortcut) withShortcut++;
    };
    for (const id of ['file', 'edit', 'view', 'run', 'kernel', 'tabs', 'settings', 'help']) {
      await barItem(page, id).click();
      const menu = openMenu(page);
      const items = await rows(menu);
      expect(items.length).toBeGreaterThan(1);
      await page.keyboard.press('Escape');
      for (const [i, row] of items.entries()) {
        if (row.submenu) {
          // A submenu: each of its entries runs its command too.
          await barItem(page, id).click();
          await menu.locator('.ja-Menu-item').nth(i).click();
          const sub = page.getByTestId('submenu');
          const subItems = await rows(sub);
          await page.keyboard.press('Escape');
          await page.keyboard.press('Escape');
          for (const [j, subRow] of subItems.entries()) {
            checkRow(subRow);
            if (subRow.disabled) continue;
            await barItem(page, id).click();
            await menu.locator('.ja-Menu-item').nth(i).click();
            await sub.locator('.ja-Menu-item').nth(j).click();
            expect(await lastRan()).toBe(subRow.id);
            checked++;
          }
          continue;
        }
        checkRow(row);
        if (row.disabled) continue;
        await barItem(page, id).click();
        await menu.locator('.ja-Menu-item').nth(i).click();
        expect(await lastRan()).toBe(row.id);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
    expect(withShortcut).toBeGreaterThan(10);
  });

  test('menu items do what they say: New ▸ Text File, the status bar toggle, the Tabs list, About', async ({ page, server }) => {
    await openNotebook(page, 'nb.ipynb', 2);
    await barItem(page, 'file').click();
    await openMenu(page).locator('.ja-Menu-item', { hasText: 'New' }).first().click();
    await page.getByTestId('submenu').locator('.ja-Menu-item', { hasText: 'New Text File' }).click();
    await expect(page.locator('[data-testid="document"][data-path="untitled.txt"]')).toBeVisible();
    await expect.poll(() => fs.existsSync(path.join(server.root, 'untitled.txt'))).toBe(true);

    // The Tabs menu lists the open tabs, the current one checked; choosing one shows it.
    await barItem(page, 'tabs').click();
    const nbEntry = openMenu(page).locator('[data-id="shell:activate-tab"]', { hasText: 'nb.ipynb' });
    await expect(nbEntry).toHaveAttribute('aria-checked', 'false');
    await expect(openMenu(page).locator('[data-id="shell:activate-tab"]', { hasText: 'untitled.txt' })).toHaveAttribute('aria-checked', 'true');
    await nbEntry.click();
    await expect(tab(page, 'nb.ipynb')).toHaveClass(/dv-active-tab/);

    // A toggle shows its state with a check mark, evaluated when the menu opens.
    await barItem(page, 'view').click();
    const statusToggle = openMenu(page).locator('[data-id="shell:toggle-statusbar"]');
    await expect(statusToggle).toHaveAttribute('aria-checked', 'true');
    await statusToggle.click();
    await expect(page.getByTestId('statusbar')).toBeHidden();
    await barItem(page, 'view').click();
    await expect(openMenu(page).locator('[data-id="shell:toggle-statusbar"]')).toHaveAttribute('aria-checked', 'false');
    await openMenu(page).locator('[data-id="shell:toggle-statusbar"]').click();
    await expect(page.getByTestId('statusbar')).toBeVisible();

    await barItem(page, 'help').click();
    await openMenu(page).locator('[data-id="help:about"]').click();
    await expect(page.getByTestId('about')).toContainText(/Version \d+\.\d+/);
  });

  test('a menu with nothing enabled (Edit without a document) still moves on with the arrows and closes with Escape', async ({
    page
  }) => {
    await expect(page.getByTestId('filebrowser')).toBeVisible();
    await barItem(page, 'file').click();
    const menu = openMenu(page);
    await expect(menu).toHaveAttribute('data-id', 'file');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect(menu).toHaveAttribute('data-id', 'edit');
    await expect(menu.locator('.ja-Menu-item:not(:disabled)')).toHaveCount(0);
    await expect(barItem(page, 'edit')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(menu).toHaveAttribute('data-id', 'view');
    await expect(menu.locator('.ja-Menu-item').first()).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(menu).toHaveAttribute('data-id', 'edit');
    await page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(barItem(page, 'edit')).toBeFocused();
    await expect(barItem(page, 'edit')).toHaveAttribute('aria-expanded', 'false');
    await page.keyboard.press('Escape');
    await expect(barItem(page, 'edit')).not.toBeFocused();
  });

  test('keyboard: F10 and Alt focus the bar, arrows move and open menus, Enter runs, Escape goes back', async ({ page }) => {
    const panel = await openNotebook(page, 'nb.ipynb', 2);
    const notebook = panel.getByTestId('notebook');
    await notebook.focus();

    await page.keyboard.press('F10');
    await expect(barItem(page, 'file')).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(barItem(page, 'edit')).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(barItem(page, 'help')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(notebook).toBeFocused();

    await page.keyboard.press('Alt');
    await expect(barItem(page, 'file')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    const menu = openMenu(page);
    await expect(menu).toHaveAttribute('data-id', 'file');
    await expect(barItem(page, 'file')).toHaveAttribute('aria-expanded', 'true');
    // The first item (New ▸) has focus; ArrowRight opens its submenu, ArrowLeft closes it.
    await expect(menu.locator('.ja-Menu-item').first()).toBeFocused();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('submenu').locator('.ja-Menu-item').first()).toBeFocused();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('submenu')).toHaveCount(0);
    // ArrowRight on a plain item moves to the next menu, open.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    await expect(menu).toHaveAttribute('data-id', 'edit');
    await page.keyboard.press('Escape');
    await expect(menu).toHaveCount(0);
    await expect(barItem(page, 'edit')).toBeFocused();

    // Help ▸ About with the keyboard alone.
    await page.keyboard.press('End');
    await expect(barItem(page, 'help')).toBeFocused();
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await expect(menu.locator('[data-id="help:about"]')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('about')).toBeVisible();
  });

  test('the notebook toolbar shows shortcuts from the keybindings', async ({ page }) => {
    const panel = await openNotebook(page, 'nb.ipynb', 2);
    await expect(panel.locator('.ja-Toolbar-button[data-command="notebook:save"]')).toHaveAttribute('title', 'Save (Ctrl+S)');
    await expect(panel.locator('.ja-Toolbar-button[data-command="notebook:interrupt-kernel"]')).toHaveAttribute('title', 'Interrupt the kernel (I, I)');
    await expect(panel.locator('.ja-Toolbar-button[data-command="notebook:restart-run-all"]')).toHaveAttribute('title', 'Restart the kernel and run all cells');
  });
});
