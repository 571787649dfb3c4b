import { expect, gotoApp, runFromPalette, test } from './fixtures';

test.describe('documents', () => {
  test.use({
    rootFiles: {
      'hello.txt': 'hello\nworld\n',
      'other.txt': 'the other file\n',
      'sub/': '',
      'sub/notes.txt': 'notes in a sub folder\n'
    }
  });

  test('double click on a text file opens it in a tab, and the address bar names it', async ({ page, server }) => {
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="hello.txt"]')).dblclick();
    const doc = page.locator('[data-testid="document"][data-path="hello.txt"]');
    await expect(doc).toBeVisible();
    await expect(doc.locator('.cm-line')).toHaveText(['hello', 'world', '']);
    await expect(page.locator('.dv-tab', { hasText: 'hello.txt' })).toBeVisible();
    await expect(page).toHaveURL(`${server.origin}/jlab-alt/tree/hello.txt`);
  });

  test('opening a file in a folder puts its path in the address bar', async ({ page, server }) => {
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="sub"]')).dblclick();
    await page.getByTestId('filebrowser-item').and(page.locator('[data-path="sub/notes.txt"]')).dblclick();
    await expect(page.locator('[data-testid="document"][data-path="sub/notes.txt"]').locator('.cm-line')).toHaveText(
      ['notes in a sub folder', '']
    );
    await expect(page).toHaveURL(`${server.origin}/jlab-alt/tree/sub/notes.txt`);
  });

  test('loading /jlab-alt/tree/<path> opens that document at start', async ({ context, server }) => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await gotoApp(page, server.appUrl('sub/notes.txt'));
    const doc = page.locator('[data-testid="document"][data-path="sub/notes.txt"]');
    await expect(doc).toBeVisible();
    await expect(doc.locator('.cm-line')).toHaveText(['notes in a sub folder', '']);
    await expect(page.locator('.dv-tab', { hasText: 'notes.txt' })).toBeVisible();
    // The file browser starts in the document's folder, and the token is gone from the URL.
    await expect(page.getByTestId('filebrowser-breadcrumbs').getByRole('button')).toHaveText(['⌂', 'sub']);
    await expect(page).toHaveURL(`${server.origin}/jlab-alt/tree/sub/notes.txt`);
    expect(errors).toEqual([]);
  });

  test('loading /jlab-alt/tree/<missing file> reports an error', async ({ context, server }) => {
    const page = await context.newPage();
    await gotoApp(page, server.appUrl('no/such-file.txt'));
    await expect(page.locator('[data-testid="notification"][data-type="error"]')).toContainText('no/such-file.txt');
    await expect(page.getByTestId('document')).toHaveCount(0);
  });

  test('opening an already open file activates its tab instead of a second one', async ({ page }) => {
    const row = (name: string) => page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`));
    await row('hello.txt').dblclick();
    await row('other.txt').dblclick();
    await expect(page.locator('[data-testid="document"][data-path="other.txt"]')).toBeVisible();
    await row('hello.txt').dblclick();
    await expect(page.locator('[data-testid="document"][data-path="hello.txt"]')).toBeVisible();
    await expect(page.locator('[data-testid="document"][data-path="other.txt"]')).toBeHidden();
    await expect(page.locator('.dv-tab')).toHaveCount(2);
  });

  test('Alt+W closes the active tab and the address bar returns to the app', async ({ page, server }) => {
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="hello.txt"]')).dblclick();
    await expect(page).toHaveURL(`${server.origin}/jlab-alt/tree/hello.txt`);
    await page.keyboard.press('Alt+W');
    await expect(page.getByTestId('document')).toHaveCount(0);
    await expect(page.locator('.dv-tab')).toHaveCount(0);
    await expect(page).toHaveURL(`${server.origin}/jlab-alt`);
  });

  test('split right from the palette leaves two dock groups side by side', async ({ page }) => {
    const row = (name: string) => page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`));
    await row('hello.txt').dblclick();
    await row('other.txt').dblclick();
    await expect(page.locator('.dv-tab')).toHaveCount(2);
    await expect(page.locator('.dv-groupview')).toHaveCount(1);

    await runFromPalette(page, 'split right', 'shell:split-right');

    const groups = page.locator('.dv-groupview');
    await expect(groups).toHaveCount(2);
    await expect(groups.nth(0)).toBeVisible();
    await expect(groups.nth(1)).toBeVisible();
    // Both documents show at once, one in each group, side by side.
    const hello = page.locator('[data-testid="document"][data-path="hello.txt"]');
    const other = page.locator('[data-testid="document"][data-path="other.txt"]');
    await expect(hello).toBeVisible();
    await expect(other).toBeVisible();
    const [a, b] = [await hello.boundingBox(), await other.boundingBox()];
    expect(a && b && a.x + a.width <= b.x + 1).toBe(true);
  });
});

test.describe('documents with unusual names', () => {
  test.use({
    rootFiles: {
      'my file #1 ü.txt': 'ünïcödé ✓\n',
      'dir with space/': '',
      'dir with space/50%.txt': 'percent\n'
    }
  });

  test('names with spaces, #, % and non-ASCII open, and their URLs open them again', async ({ page, context, server }) => {
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="my file #1 ü.txt"]')).dblclick();
    await expect(page.locator('[data-testid="document"]').locator('.cm-line')).toHaveText(['ünïcödé ✓', '']);
    await expect(page).toHaveURL(`${server.origin}/jlab-alt/tree/my%20file%20%231%20%C3%BC.txt`);

    // The address bar's URL, loaded in another tab, opens the same document.
    const again = await context.newPage();
    await gotoApp(again, page.url());
    await expect(again.locator('[data-testid="document"][data-path="my file #1 ü.txt"]').locator('.cm-line')).toHaveText(
      ['ünïcödé ✓', '']
    );

    const nested = await context.newPage();
    await gotoApp(nested, server.appUrl('dir with space/50%.txt'));
    await expect(nested.locator('[data-testid="document"][data-path="dir with space/50%.txt"]').locator('.cm-line')).toHaveText(
      ['percent', '']
    );
    await expect(nested).toHaveURL(`${server.origin}/jlab-alt/tree/dir%20with%20space/50%25.txt`);
    await expect(nested.getByTestId('filebrowser-breadcrumbs').getByRole('button')).toHaveText(['⌂', 'dir with space']);
  });
});

test.describe('documents that finish loading behind the command palette', () => {
  test.use({
    rootFiles: {
      'slow.txt': 'arrives late\n',
      'slow.ipynb': JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [{ cell_type: 'markdown', id: 'a', metadata: {}, source: 'arrives late' }]
      })
    }
  });

  // What shows once the content has arrived: the editor's line, or the rendered Markdown cell.
  for (const [name, content] of [['slow.txt', '.cm-line'], ['slow.ipynb', 'p']] as const) {
    test(`${name} arriving while the palette is open leaves the keyboard in the palette`, async ({ page }) => {
      // Hold the file's contents until the palette is open, as a slow disk or network would.
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const pattern = new RegExp(`/api/contents/${name.replace('.', '\\.')}(\\?|$)`);
      await page.route(pattern, async (route) => {
        await released;
        await route.continue();
      });
      await page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`)).dblclick();
      await expect(page.locator('.dv-tab', { hasText: name })).toBeVisible();

      await page.keyboard.press('Control+Shift+C');
      const input = page.getByTestId('command-palette-input');
      await input.fill('close all');
      release();
      await expect(page.locator(`[data-testid="document"][data-path="${name}"]`).locator(content, { hasText: 'arrives late' })).toBeVisible();

      // The palette still has the keyboard: what is typed goes to it, not into the document.
      await expect(input).toBeFocused();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('command-palette')).toBeHidden();
      await expect(page.locator('.dv-tab', { hasText: name })).toBeVisible();
    });
  }
});
