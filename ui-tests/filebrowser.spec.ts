import { corpusNotebook, expect, test } from './fixtures';

const KIB16 = 'x'.repeat(16 * 1024);

test.describe('file browser', () => {
  test.use({
    rootFiles: {
      'hello.txt': 'hello\n', // 6 bytes
      'b-data.csv': KIB16,
      'zeta/': '',
      'alpha/': '',
      'alpha/inner.txt': 'inside alpha\n',
      'test4.5.ipynb': corpusNotebook('nbformat__test4.5.ipynb')
    }
  });

  test('lists the root: folders first, then files, with sizes and modified times', async ({ page }) => {
    const browser = page.getByTestId('filebrowser');
    await expect(browser).toBeVisible();
    const rows = browser.getByTestId('filebrowser-item');
    await expect(rows.locator('.ja-FileBrowser-name')).toHaveText([
      'alpha',
      'zeta',
      'b-data.csv',
      'hello.txt',
      'test4.5.ipynb'
    ]);

    const hello = rows.and(page.locator('[data-name="hello.txt"]'));
    await expect(hello).toHaveAttribute('data-type', 'file');
    await expect(hello).toHaveAttribute('data-path', 'hello.txt');
    await expect(hello.locator('.ja-FileBrowser-size')).toHaveText('6 B');
    await expect(hello.locator('.ja-FileBrowser-modified')).toHaveText('just now');
    // The full date is in the tooltip.
    await expect(hello.locator('.ja-FileBrowser-modified')).toHaveAttribute('title', /\d{4}/);

    await expect(rows.and(page.locator('[data-name="b-data.csv"]')).locator('.ja-FileBrowser-size')).toHaveText(
      '16 KiB'
    );

    const alpha = rows.and(page.locator('[data-name="alpha"]'));
    await expect(alpha).toHaveAttribute('data-type', 'directory');
    await expect(alpha.locator('.ja-FileBrowser-size')).toHaveText('');
  });

  test('lists a real notebook as a notebook', async ({ page }) => {
    const nb = page.getByTestId('filebrowser-item').and(page.locator('[data-name="test4.5.ipynb"]'));
    await expect(nb).toBeVisible();
    await expect(nb).toHaveAttribute('data-type', 'notebook');
    await expect(nb).toHaveAttribute('data-path', 'test4.5.ipynb');
    await expect(nb.locator('.ja-FileBrowser-size')).toHaveText('16 KiB'); // 16,128 bytes
  });

  test('double click on a folder enters it; the root crumb goes back', async ({ page }) => {
    const browser = page.getByTestId('filebrowser');
    const crumbs = page.getByTestId('filebrowser-breadcrumbs').getByRole('button');
    await expect(crumbs).toHaveText(['⌂']);

    await browser.getByTestId('filebrowser-item').and(page.locator('[data-name="alpha"]')).dblclick();
    await expect(crumbs).toHaveText(['⌂', 'alpha']);
    const rows = browser.getByTestId('filebrowser-item');
    await expect(rows).toHaveCount(1);
    await expect(rows).toHaveAttribute('data-path', 'alpha/inner.txt');
    await expect(rows.locator('.ja-FileBrowser-name')).toHaveText('inner.txt');

    await page.getByTestId('filebrowser-breadcrumbs').getByRole('button', { name: 'Root folder' }).click();
    await expect(crumbs).toHaveText(['⌂']);
    await expect(rows.locator('.ja-FileBrowser-name')).toHaveText([
      'alpha',
      'zeta',
      'b-data.csv',
      'hello.txt',
      'test4.5.ipynb'
    ]);
  });

  test('arrow keys select, Enter opens a folder, Backspace goes up', async ({ page }) => {
    const crumbs = page.getByTestId('filebrowser-breadcrumbs').getByRole('button');
    await expect(page.getByTestId('filebrowser-item')).toHaveCount(5); // the listing has arrived
    await page.getByRole('listbox', { name: 'Files' }).focus();
    await page.keyboard.press('ArrowDown');
    await expect(page.getByTestId('filebrowser-item').and(page.locator('[aria-selected="true"]'))).toHaveAttribute(
      'data-name',
      'alpha'
    );
    await page.keyboard.press('Enter');
    await expect(crumbs).toHaveText(['⌂', 'alpha']);
    await expect(page.getByTestId('filebrowser-item')).toHaveAttribute('data-path', 'alpha/inner.txt');
    await page.keyboard.press('Backspace');
    await expect(crumbs).toHaveText(['⌂']);
    await expect(page.getByTestId('filebrowser-item')).toHaveCount(5);
  });

  test('an empty folder says so', async ({ page }) => {
    await page.getByTestId('filebrowser-item').and(page.locator('[data-name="zeta"]')).dblclick();
    await expect(page.getByTestId('filebrowser-breadcrumbs').getByRole('button')).toHaveText(['⌂', 'zeta']);
    await expect(page.getByTestId('filebrowser-item')).toHaveCount(0);
    await expect(page.getByTestId('filebrowser')).toContainText('This folder is empty');
  });

  test('column headers sort the listing, folders staying first', async ({ page }) => {
    const names = page.getByTestId('filebrowser-item').locator('.ja-FileBrowser-name');
    const bySize = page.locator('.ja-FileBrowser-col[data-sort="size"]');
    const byName = page.locator('.ja-FileBrowser-col[data-sort="name"]');
    await expect(byName).toHaveAttribute('aria-sort', 'ascending');

    await bySize.click();
    await expect(bySize).toHaveAttribute('aria-sort', 'ascending');
    await expect(byName).toHaveAttribute('aria-sort', 'none');
    await expect(names).toHaveText(['alpha', 'zeta', 'hello.txt', 'test4.5.ipynb', 'b-data.csv']);

    await bySize.click();
    await expect(bySize).toHaveAttribute('aria-sort', 'descending');
    await expect(names).toHaveText(['zeta', 'alpha', 'b-data.csv', 'test4.5.ipynb', 'hello.txt']);
  });

  test('a file created on disk after load appears without a reload', async ({ page, server }) => {
    await expect(page.getByTestId('filebrowser-item')).toHaveCount(5);
    server.write('late-arrival.txt', 'new\n');
    const late = page.getByTestId('filebrowser-item').and(page.locator('[data-name="late-arrival.txt"]'));
    // The listing re-polls every 5 s.
    await expect(late).toBeVisible({ timeout: 15_000 });
    await expect(late.locator('.ja-FileBrowser-size')).toHaveText('4 B');
  });
});
