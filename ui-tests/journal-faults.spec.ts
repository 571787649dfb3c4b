/**
 * Catching up where the execution journal used to lose track (issue 16 leftovers):
 * notebooks whose cells have no ids (nbformat < 4.5), and Output-widget captures made
 * while no page was open.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { expect, test, type JlabAltServer } from './fixtures';
import { KERNEL_TIMEOUT, cells, expectKernelIdle, notebookJSON, notebookPanel, openNotebook, outputs, prompt, selectCell } from './notebook-helpers';

/** A long enough budget for a cell that runs ~15 s on a loaded machine. */
const RUN_TIMEOUT = 90_000;

/** `notebookJSON(sources)` as nbformat 4.4 writes it: no cell ids. */
function oldNotebookJSON(sources: string[]): string {
  const nb = JSON.parse(notebookJSON(sources)) as { cells: Record<string, unknown>[]; nbformat_minor: number };
  for (const cell of nb.cells) delete cell.id;
  nb.nbformat_minor = 4;
  return JSON.stringify(nb, null, 1) + '\n';
}

interface Execution {
  cell_id: string;
  state: string;
  outputs: { output_type: string; text?: string }[];
}

/** The journal's executions for `notebook`. */
async function executions(request: APIRequestContext, server: JlabAltServer, notebook: string): Promise<Execution[]> {
  const response = await request.get(`${server.origin}/jlab-alt/api/journal?path=${encodeURIComponent(notebook)}`, {
    headers: { Authorization: `token ${server.token}` }
  });
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { executions?: Execution[] }).executions ?? [];
}

const OLD = 'old.ipynb';
/** Prints a line every half second until the test creates the file `stop`. */
const LINES = "import os, time\ni = 0\nwhile not os.path.exists('stop') and i < 400:\n    print(f'line {i}', flush=True)\n    i += 1\n    time.sleep(0.5)\nprint('finished')";

test.describe('catching up with a notebook whose cells have no ids', () => {
  test.use({ rootFiles: { [OLD]: oldNotebookJSON(['x = 1', LINES]) } });

  test('a reload during a running cell shows what it printed meanwhile, live, and it finishes with its count', async ({ page, server, request }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, OLD, 2);
    await expectKernelIdle(panel);
    await selectCell(panel, 1);
    await page.keyboard.press('Control+Enter');
    await expect(outputs(panel, 1, 'stream')).toContainText('line 1', { timeout: KERNEL_TIMEOUT });

    await page.reload();
    panel = notebookPanel(page, OLD);
    await expect(cells(panel)).toHaveCount(2, { timeout: KERNEL_TIMEOUT });
    // The run is found again although the cell has no id: shown running, with its lines.
    await expect(prompt(panel, 1)).toHaveText('[*]:', { timeout: KERNEL_TIMEOUT });
    await expect(outputs(panel, 1, 'stream')).toContainText('line 1', { timeout: KERNEL_TIMEOUT });
    // And followed live.
    const printed = async () => {
      const run = (await executions(request, server, OLD)).find((e) => e.outputs.length);
      return ((run?.outputs ?? []).map((o) => o.text ?? '').join('').match(/^line /gm) ?? []).length;
    };
    const now = await printed();
    await expect(outputs(panel, 1, 'stream')).toContainText(`line ${now + 2}`, { timeout: KERNEL_TIMEOUT });

    server.write('stop', '');
    await expect(prompt(panel, 1)).toHaveText('[1]:', { timeout: RUN_TIMEOUT });
    await expect(outputs(panel, 1, 'stream')).toContainText('finished');
    // Every line once, in order, in one output.
    await expect(outputs(panel, 1)).toHaveCount(1);
    const text = (await outputs(panel, 1, 'stream').innerText()).trim().split('\n');
    expect(text[text.length - 1]).toBe('finished');
    expect(text.slice(0, -1)).toEqual(text.slice(0, -1).map((_, i) => `line ${i}`));
    // The keys were never written: the file (autosaved or not) is still nbformat 4.4 without ids.
    const onDisk = JSON.parse(fs.readFileSync(path.join(server.root, OLD), 'utf8')) as { nbformat_minor: number; cells: object[] };
    expect(onDisk.nbformat_minor).toBe(4);
    expect(onDisk.cells.filter((c) => 'id' in c)).toEqual([]);
  });
});

const WIDGETS = 'widget.ipynb';

test.describe('catching up with Output widgets', () => {
  test.use({
    rootFiles: {
      [WIDGETS]: notebookJSON([
        "import ipywidgets as w\nout = w.Output(layout={'border': '1px solid gray'})\nout",
        "import time\ntime.sleep(4)\nwith out:\n    print('captured while closed', flush=True)\nprint('cell done')"
      ])
    }
  });

  test('a print captured by an Output widget while the tab was closed shows in the widget after reopening', async ({ page, server, request, context }) => {
    test.setTimeout(RUN_TIMEOUT * 2);
    let panel = await openNotebook(page, WIDGETS, 2);
    await expectKernelIdle(panel);
    await selectCell(panel, 0);
    await page.keyboard.press('Control+Enter');
    await expect(prompt(panel, 0)).toHaveText('[1]:', { timeout: KERNEL_TIMEOUT });
    await expect(outputs(panel, 0).locator('.ja-WidgetOutput')).toBeVisible({ timeout: KERNEL_TIMEOUT });
    await selectCell(panel, 1);
    await page.keyboard.press('Control+Enter');
    await expect(prompt(panel, 1)).toHaveText('[*]:', { timeout: KERNEL_TIMEOUT });
    await page.close();
    // The capture happens with no page open.
    await expect
      .poll(async () => (await executions(request, server, WIDGETS)).some((e) => e.state === 'done' && e.outputs.some((o) => o.text?.includes('cell done'))), {
        timeout: RUN_TIMEOUT
      })
      .toBe(true);

    const again = await context.newPage();
    await again.goto(server.appUrl(WIDGETS));
    panel = notebookPanel(again, WIDGETS);
    await expect(cells(panel)).toHaveCount(2, { timeout: KERNEL_TIMEOUT });
    // The widget is redrawn with what it captured meanwhile; the cell keeps only its own print.
    await expect(outputs(panel, 0).locator('.ja-WidgetOutput')).toContainText('captured while closed', { timeout: KERNEL_TIMEOUT });
    await expect(outputs(panel, 1, 'stream')).toHaveText('cell done', { timeout: KERNEL_TIMEOUT });
    await expect(outputs(panel, 1)).not.toContainText('captured while closed');
    await expect(prompt(panel, 1)).toHaveText('[2]:');
  });
});

const LOST_END = 'lost-end.ipynb';

test.describe('a run whose end the server lost', () => {
  test.use({ rootFiles: { [LOST_END]: notebookJSON(["print('flood')", 'x = 1']) } });

  test('shows as finished with an unknown result, not as aborted', async ({ page }) => {
    // Losing a run's end takes an output flood on a server held busy (tests/test_journal.py
    // does that); here the journal's answer carries such a run, as the server reports it.
    await page.route('**/jlab-alt/api/journal?**', async (route) => {
      const response = await route.fetch();
      const answer = (await response.json()) as { available: boolean; seq?: number; executions?: unknown[] };
      if (answer.available) {
        const now = Date.now() / 1000;
        const marker = '[jlab-alt journal: some output was not recorded while the server was busy]\n';
        answer.executions = [
          ...(answer.executions ?? []),
          {
            msg_id: 'lost-end',
            cell_id: 'cell-0',
            session: 'another-page',
            state: 'done',
            status: 'unknown',
            incomplete: true,
            execution_count: 7,
            outputs: [
              { output_type: 'stream', name: 'stdout', text: 'flood\n' },
              { output_type: 'stream', name: 'stderr', text: marker }
            ],
            display_ids: [null, null],
            clear_pending: false,
            input_request: null,
            requested: now - 5,
            started: now - 5,
            finished: now,
            seq: answer.seq ?? 1
          }
        ];
      }
      await route.fulfill({ response, json: answer });
    });
    const panel = await openNotebook(page, LOST_END, 2);
    const note = cells(panel).nth(0).getByTestId('journal-unknown');
    await expect(note).toBeVisible({ timeout: KERNEL_TIMEOUT });
    await expect(note).toContainText('how is unknown');
    await expect(cells(panel).nth(0).getByTestId('journal-aborted')).toHaveCount(0);
    await expect(prompt(panel, 0)).toHaveText('[7]:');
    await expect(outputs(panel, 0).last()).toContainText('not recorded while the server was busy');
  });
});
