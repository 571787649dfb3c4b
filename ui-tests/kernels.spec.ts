/**
 * Kernels other than ipykernel: xeus-python (a C++ kernel, pip `xeus-python`,
 * kernelspec `xpython`) and bash_kernel (pip `bash_kernel`, kernelspec `bash`,
 * installed into the test environment by scripts/test.sh with
 * `python -m bash_kernel.install --sys-prefix`). Nothing in the notebook may assume
 * ipykernel's messages or metadata.
 */
import { expect, test } from './fixtures';
import { cells, expectKernelIdle, notebookJSON, openNotebook, outputs, prompt, readNotebook, saveWithKeys, selectCell } from './notebook-helpers';
import path from 'node:path';

test.describe('xeus-python', () => {
  test.use({ rootFiles: { 'xeus.ipynb': notebookJSON(['import sys\nprint("from xeus", 6 * 7)\nsys.version_info[0]'], { kernel: 'xpython' }) } });

  test('runs a cell: stream and result outputs, the execution count, the kernel name in the status bar', async ({ page, server }) => {
    const panel = await openNotebook(page, 'xeus.ipynb', 1);
    await expectKernelIdle(panel);
    // Its kernelspec's display name: "Python <version> (XPython)".
    await expect(page.getByTestId('notebook-status')).toContainText('(XPython) | Idle');
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    await expect(outputs(panel, 0, 'stream')).toHaveText('from xeus 42');
    // An execute result shows its prompt before the value.
    await expect(outputs(panel, 0, 'execute_result')).toHaveText(/^(\[1\]:)?\s*3$/);
    await expect(prompt(panel, 0)).toHaveText('[1]:');
    await expectKernelIdle(panel);
    const file = path.join(server.root, 'xeus.ipynb');
    await saveWithKeys(page, file);
    expect(readNotebook(file).metadata.kernelspec).toMatchObject({ name: 'xpython' });
  });
});

test.describe('bash_kernel', () => {
  test.use({
    rootFiles: {
      'shell.ipynb': notebookJSON(['echo "sum $((6 * 7))"\nwc -l < data.txt'], { kernel: 'bash' }),
      'data.txt': 'one\ntwo\n'
    }
  });

  test('runs a cell in bash, in the server root', async ({ page }) => {
    const panel = await openNotebook(page, 'shell.ipynb', 1);
    await expectKernelIdle(panel);
    await expect(page.getByTestId('notebook-status')).toContainText('Bash');
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    const area = cells(panel).nth(0).getByTestId('output-area');
    await expect(area).toContainText('sum 42');
    // Started in the notebook's folder: data.txt has two lines.
    await expect(area).toContainText(/sum 42\s*2/);
    await expect(prompt(panel, 0)).toHaveText('[1]:');
    await expectKernelIdle(panel);
  });
});
