import type { Page } from '@playwright/test';
import { expect, runFromPalette, test, type JlabAltServer } from './fixtures';

/** The theme preference the server has stored for the user (undefined: never saved). */
async function savedThemePreference(page: Page, server: JlabAltServer): Promise<unknown> {
  const id = encodeURIComponent('@jlab-alt/theme:plugin');
  const res = await page.request.get(`${server.origin}/jlab-alt/api/settings/${id}?token=${server.token}`);
  expect(res.status()).toBe(200);
  return (await res.json()).settings?.preference;
}

test.describe('the app', () => {
  test.use({ rootFiles: { 'readme.txt': 'hi\n' } });

  test('loads without console errors or page errors', async ({ page, pageErrors }) => {
    await expect(page.getByTestId('filebrowser')).toBeVisible();
    await expect(page.getByTestId('statusbar')).toBeVisible();
    await expect(page.getByTestId('filebrowser-item')).toHaveCount(1);
    await expect(page.locator('[data-testid="notification"][data-type="error"]')).toHaveCount(0);
    // Let the deferred palette chunk load too: it must not error either.
    await page.keyboard.press('Control+Shift+C');
    await expect(page.getByTestId('command-palette')).toBeVisible();
    expect(pageErrors).toEqual([]);
  });

  test('the token does not stay in the address bar, and a reload still works', async ({ page, server }) => {
    await expect(page).toHaveURL(`${server.origin}/jlab-alt`);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    // The login cookie authenticates the reload without the token.
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
    await expect(page.getByTestId('filebrowser-item')).toHaveCount(1);
  });

  test('Ctrl+B hides and shows the left sidebar', async ({ page }) => {
    const browser = page.getByTestId('filebrowser');
    await expect(browser).toBeVisible();
    await page.keyboard.press('Control+B');
    await expect(browser).toBeHidden();
    await page.keyboard.press('Control+B');
    await expect(browser).toBeVisible();
  });

  test('every sidebar button shows its icon, in both themes', async ({ page }) => {
    const buttons = page.locator('.ja-SideBar-tab');
    await expect(buttons.first()).toBeVisible();
    // The icon is the button's ::before, a mask of the theme's text colour: a button
    // without one is a blank square to the user.
    const icons = () =>
      buttons.evaluateAll((els) =>
        els.map((el) => {
          const before = getComputedStyle(el, '::before');
          const mask = before.getPropertyValue('mask-image') || before.getPropertyValue('-webkit-mask-image');
          const drawn = before.content !== 'none' && before.width === '20px' && mask.startsWith('url(');
          return `${el.getAttribute('aria-label')}: ${drawn ? 'icon' : 'blank'}`;
        })
      );
    const labels = await buttons.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    expect(labels).toEqual(expect.arrayContaining(['File Browser', 'Table of Contents']));
    expect(await icons()).toEqual(labels.map((l) => `${l}: icon`));
    await runFromPalette(page, 'Use Dark Theme', 'theme:dark');
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await icons()).toEqual(labels.map((l) => `${l}: icon`));
  });
});

test.describe('command palette', () => {
  test('Ctrl+Shift+C opens it; "dark theme" + Enter switches to the dark theme and closes it', async ({ page }) => {
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await page.keyboard.press('Control+Shift+C');
    const palette = page.getByTestId('command-palette');
    await expect(palette).toBeVisible();
    await expect(page.getByTestId('command-palette-input')).toBeFocused();
    await page.keyboard.type('dark theme');
    const items = palette.getByTestId('command-palette-item');
    await expect(items.and(page.locator('[data-command="theme:dark"]'))).toContainText('Use Dark Theme');
    // Enter runs the highlighted (first) match, whichever theme command ranks first.
    await expect(items.first()).toHaveAttribute('aria-selected', 'true');
    await expect(items.first()).toHaveAttribute('data-command', /^theme:(dark|toggle)$/);
    await page.keyboard.press('Enter');
    await expect(palette).toBeHidden();
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });

  test('typing filters the commands', async ({ page }) => {
    await page.keyboard.press('Control+Shift+C');
    const items = page.getByTestId('command-palette-item');
    await expect(items.and(page.locator('[data-command="filebrowser:refresh"]'))).toHaveCount(1);
    const all = await items.count();
    await page.getByTestId('command-palette-input').fill('refresh file');
    await expect(items.first()).toHaveAttribute('data-command', 'filebrowser:refresh');
    await expect.poll(() => items.count()).toBeLessThan(all);
    await page.getByTestId('command-palette-input').fill('zzzzqqqq');
    await expect(items).toHaveCount(0);
    await expect(page.getByTestId('command-palette')).toContainText('No matching commands');
  });

  test('Escape closes it and Ctrl+Shift+C toggles it', async ({ page }) => {
    const palette = page.getByTestId('command-palette');
    await page.keyboard.press('Control+Shift+C');
    await expect(palette).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(palette).toBeHidden();
    await page.keyboard.press('Control+Shift+C');
    await expect(palette).toBeVisible();
    await page.keyboard.press('Control+Shift+C');
    await expect(palette).toBeHidden();
  });
});

test.describe('theme', () => {
  test('the chosen theme is saved and survives a reload', async ({ page, server }) => {
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'light');
    await runFromPalette(page, 'use dark theme', 'theme:dark');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    // Wait until the server has stored the choice (it is saved in the background).
    await expect.poll(() => savedThemePreference(page, server)).toBe('dark');
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });

  test.describe('with a dark system preference', () => {
    test.use({ colorScheme: 'dark' });

    test('the default theme is dark, and a light choice overrides it across reloads', async ({ page, server }) => {
      const html = page.locator('html');
      await expect(html).toHaveAttribute('data-theme', 'dark');
      await runFromPalette(page, 'use light theme', 'theme:light');
      await expect(html).toHaveAttribute('data-theme', 'light');
      await expect.poll(() => savedThemePreference(page, server)).toBe('light');
      await page.reload();
      await page.waitForFunction(() => document.body.dataset.jaState === 'ready');
      await expect(html).toHaveAttribute('data-theme', 'light');
    });
  });
});
