/**
 * Helpers for the notebook editor's browser tests (notebook.spec.ts and
 * notebook-kernel.spec.ts): building notebook files, opening them, driving cells
 * and kernels, and checking what reaches the disk.
 *
 * Everything here waits on conditions (locators, `expect.poll`); nothing sleeps.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CORPUS_NOTEBOOKS } from './fixtures';

/** How long a kernel may take to start, restart or come back after dying. */
export const KERNEL_TIMEOUT = 30_000;

// ---------------------------------------------------------------------------
// Notebook files

/** A cell of a generated notebook: a string is a code cell with that source. */
export type CellSpec =
  | string
  | {
      type?: 'code' | 'markdown' | 'raw';
      source: string;
      outputs?: unknown[];
      execution_count?: number | null;
      metadata?: Record<string, unknown>;
    };

export interface NotebookOptions {
  /**
   * `metadata.kernelspec`: a kernel name ("python3", "nonexistent-kernel"), or null
   * for a notebook that names no kernel (it opens without starting one).
   */
  kernel?: string | null;
}

/** nbformat's multiline string: a list of lines, each keeping its "\n". */
function lines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((l) => l !== '');
}

/** A stream output as stored in a notebook. */
export function streamOutput(text: string, name: 'stdout' | 'stderr' = 'stdout'): Record<string, unknown> {
  return { output_type: 'stream', name, text: lines(text) };
}

/** The JSON (an nbformat 4.5 notebook, indent 1, final newline) of a notebook with `cells`. */
export function notebookJSON(cells: CellSpec[], options: NotebookOptions = {}): string {
  const kernel = options.kernel === undefined ? 'python3' : options.kernel;
  const metadata: Record<string, unknown> = {};
  if (kernel) {
    metadata.kernelspec = {
      display_name: kernel === 'python3' ? 'Python 3 (ipykernel)' : `Kernel ${kernel}`,
      language: 'python',
      name: kernel
    };
    metadata.language_info = { name: 'python' };
  }
  const nb = {
    cells: cells.map((spec, i) => {
      const c = typeof spec === 'string' ? { source: spec } : spec;
      const type = c.type ?? 'code';
      const cell: Record<string, unknown> = { cell_type: type, id: `cell-${i}`, metadata: c.metadata ?? {}, source: lines(c.source) };
      if (type === 'code') {
        cell.execution_count = c.execution_count ?? null;
        cell.outputs = c.outputs ?? [];
      }
      return cell;
    }),
    metadata,
    nbformat: 4,
    nbformat_minor: 5
  };
  return JSON.stringify(nb, null, 1) + '\n';
}

/** One row of the corpus's MANIFEST.tsv. */
export interface CorpusEntry {
  file: string;
  nbformat: string;
  kernel: string;
  size_bytes: number;
  roundtrip_exact: boolean;
  file_formatting: string;
  notes: string;
}

/** The corpus's MANIFEST.tsv (empty when the corpus is missing: the tests using it then fail loudly). */
export function corpusManifest(): CorpusEntry[] {
  const file = path.join(CORPUS_NOTEBOOKS, 'MANIFEST.tsv');
  if (!fs.existsSync(file)) return [];
  const [header, ...rows] = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const names = header!.split('\t');
  return rows.map((row) => {
    const values = row.split('\t');
    const get = (name: string) => values[names.indexOf(name)] ?? '';
    return {
      file: get('file'),
      nbformat: get('nbformat'),
      kernel: get('kernel'),
      size_bytes: Number(get('size_bytes')),
      roundtrip_exact: get('roundtrip_exact') === 'yes',
      file_formatting: get('file_formatting'),
      notes: get('notes')
    };
  });
}

// ---------------------------------------------------------------------------
// Files on disk

/** Identity of a file's current version: a save (atomic replace or rewrite) changes it. */
export function fileVersion(file: string): string {
  const st = fs.statSync(file, { bigint: true });
  return `${st.ino}:${st.mtimeNs}:${st.size}`;
}

/**
 * Press Ctrl+S and wait until the server has answered the save (it writes the file
 * before answering) and the file on disk is a new version.
 */
export async function saveWithKeys(page: Page, file: string): Promise<void> {
  const before = fileVersion(file);
  const name = encodeURIComponent(path.basename(file));
  // A notebook with cell ids is saved by its changes (savedelta: POST jlab-alt/api/save-delta).
  const isSave = (method: string, pathname: string) =>
    (method === 'PUT' && pathname.endsWith(`/api/contents/${name}`)) ||
    (method === 'POST' && pathname.endsWith(`/jlab-alt/api/save-delta/${name}`));
  const saved = page.waitForResponse((res) => isSave(res.request().method(), new URL(res.url()).pathname) && res.status() !== 422, {
    timeout: 30_000
  });
  await page.keyboard.press('Control+S');
  const response = await saved;
  expect(response.status(), 'the server accepted the save').toBe(200);
  await waitForFileChange(file, before);
}

/** Wait until `file` is no longer at version `before` (see {@link fileVersion}). */
export async function waitForFileChange(file: string, before: string, timeout = 15_000): Promise<void> {
  await expect.poll(() => fileVersion(file), { message: `${file} should be written`, timeout }).not.toBe(before);
}

/** The notebook on disk, parsed. */
export function readNotebook(file: string): NotebookJSON {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJSON;
}

export interface NotebookJSON {
  cells: { cell_type: string; source: string | string[]; outputs?: OutputJSON[]; execution_count?: number | null; id?: string; metadata: Record<string, unknown> }[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}
export interface OutputJSON {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  execution_count?: number | null;
}

/** nbformat's multiline string as one string. */
export function joined(text: string | string[] | undefined): string {
  return Array.isArray(text) ? text.join('') : (text ?? '');
}

/** Run a Python snippet with `args` as sys.argv[1:]; returns its stdout (throws with stderr on failure). */
export function python(code: string, ...args: string[]): string {
  try {
    return execFileSync('python3', ['-c', code, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`python3 failed: ${e.stderr || e.message}`);
  }
}

/**
 * Check with nbformat that `saved` is a valid notebook equal, as data, to `original`
 * read through nbformat (which upgrades old formats to v4). Cell ids that nbformat
 * invents on reading an id-less original are random, so they are left out of the
 * comparison when the original has none. Returns the problem, or "" when equal.
 */
export function nbformatDifference(original: string, saved: string): string {
  return python(
    `
import json, sys, nbformat
orig_raw = json.load(open(sys.argv[1], encoding="utf-8"))
a = nbformat.read(sys.argv[1], as_version=4)
b = nbformat.read(sys.argv[2], as_version=4)
nbformat.validate(b)
ids_in_original = orig_raw.get("nbformat") == 4 and orig_raw.get("nbformat_minor", 0) >= 5 and all("id" in c for c in orig_raw.get("cells", []))
def norm(nb):
    nb = json.loads(json.dumps(nb))
    # Conversion notes nbformat adds on reading an old format; its writer drops them.
    nb["metadata"].pop("orig_nbformat", None)
    nb["metadata"].pop("orig_nbformat_minor", None)
    for c in nb["cells"]:
        if not ids_in_original:
            c.pop("id", None)
        c.get("metadata", {}).pop("trusted", None)
        # nbformat 2's prompt_number "*" (a cell running when saved) is no valid v4
        # execution_count: it is saved as null, as JupyterLab does.
        if c["cell_type"] == "code" and not isinstance(c.get("execution_count"), int):
            c["execution_count"] = None
    return nb
na, nb_ = norm(a), norm(b)
if na == nb_:
    print("", end="")
else:
    for key in sorted(set(na) | set(nb_)):
        if na.get(key) != nb_.get(key):
            if key == "cells":
                for i, (x, y) in enumerate(zip(na["cells"], nb_["cells"])):
                    if x != y:
                        print(f"cell {i} differs:\\n  original: {json.dumps(x)[:400]}\\n  saved:    {json.dumps(y)[:400]}")
                        break
                else:
                    print(f"cell counts differ: {len(na['cells'])} vs {len(nb_['cells'])}")
            else:
                print(f"{key} differs: {json.dumps(na.get(key))[:400]} vs {json.dumps(nb_.get(key))[:400]}")
`,
    original,
    saved
  ).trim();
}

// ---------------------------------------------------------------------------
// The notebook on screen

/** The notebook panel showing `path`. */
export function notebookPanel(page: Page, path: string): Locator {
  return page.locator(`[data-testid="document"][data-path="${path}"]`);
}

/** The file browser's row for `name` (in the folder it shows). */
export function fileRow(page: Page, name: string): Locator {
  return page.getByTestId('filebrowser-item').and(page.locator(`[data-name="${name}"]`));
}

/** The dockview tab whose title is `name` (with or without the dirty mark). */
export function tab(page: Page, name: string): Locator {
  return page.locator('.dv-tab').filter({ hasText: new RegExp(`^(● )?${escapeRegExp(name)}$`) });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Wait until the tab of `name` shows no unsaved-changes mark. */
export async function expectClean(page: Page, name: string): Promise<void> {
  await expect(tab(page, name)).toHaveText(name);
}

/** Wait until the tab of `name` shows the unsaved-changes mark "● ". */
export async function expectDirty(page: Page, name: string): Promise<void> {
  await expect(tab(page, name)).toHaveText(`● ${name}`);
}

/**
 * Open `path` (in the file browser's current folder) by double-clicking its row, and
 * wait until its cells are shown (`cells` of them, when given). Returns the panel.
 */
export async function openNotebook(page: Page, name: string, cells?: number): Promise<Locator> {
  await fileRow(page, name).dblclick();
  const panel = notebookPanel(page, name);
  await expect(panel).toBeVisible();
  if (cells === undefined) await expect(panel.getByTestId('cell').first()).toBeVisible({ timeout: 20_000 });
  else await expect(panel.getByTestId('cell')).toHaveCount(cells, { timeout: 20_000 });
  return panel;
}

/** The cells of a notebook panel. */
export function cells(panel: Locator): Locator {
  return panel.getByTestId('cell');
}

/**
 * Scroll cell `index` into view, as a reader does, and wait until it is drawn: only
 * cells near the screen are drawn (the others are empty shells of their height, as in
 * JupyterLab's windowing), so a test looking into a cell further down shows it first.
 * Returns the cell.
 */
export async function showCell(panel: Locator, index: number): Promise<Locator> {
  const cell = cells(panel).nth(index);
  await cell.scrollIntoViewIfNeeded();
  await expect(cell).not.toHaveClass(/ja-mod-unbuilt/);
  return cell;
}

/** Scroll through the whole notebook, cell by cell, as a reader does ({@link showCell}). */
export async function showEveryCell(panel: Locator): Promise<void> {
  const count = await cells(panel).count();
  for (let i = 0; i < count; i++) await showCell(panel, i);
}

/** The notebook element (focused in command mode). */
export function notebookNode(panel: Locator): Locator {
  return panel.getByTestId('notebook');
}

/** The kernel status indicator of a panel. */
export function kernelStatus(panel: Locator): Locator {
  return panel.getByTestId('kernel-status');
}

/** Wait until the panel's kernel is idle (started, restarted, or done running). */
export async function expectKernelIdle(panel: Locator, timeout = KERNEL_TIMEOUT): Promise<void> {
  await expect(kernelStatus(panel)).toHaveAttribute('data-status', 'idle', { timeout });
}

/** The toolbar button running `command`. */
export function toolbarButton(panel: Locator, command: string): Locator {
  return panel.locator(`.ja-Toolbar-button[data-command="${command}"]`);
}

/** Where a click on a cell lands outside its editor and outputs (the cell's top-left margin). */
export const CELL_MARGIN = { x: 6, y: 3 };

/**
 * Make cell `index` active in command mode, by clicking it beside its input (as a
 * person would), and wait for the notebook to have focus in command mode.
 */
export async function selectCell(panel: Locator, index: number): Promise<void> {
  const cell = cells(panel).nth(index);
  await cell.click({ position: CELL_MARGIN });
  await expect(cell).toHaveClass(/ja-mod-active/);
  await expectCommandMode(panel);
}

/** Wait for command mode with the keyboard focus on the notebook. */
export async function expectCommandMode(panel: Locator): Promise<void> {
  const nb = notebookNode(panel);
  await expect(nb).toHaveClass(/ja-mod-commandMode/);
  await expect(nb).toBeFocused();
}

/** Wait for edit mode with the keyboard focus in the active cell's editor. */
export async function expectEditMode(panel: Locator, index?: number): Promise<void> {
  await expect(notebookNode(panel)).toHaveClass(/ja-mod-editMode/);
  const cell = index === undefined ? panel.locator('[data-testid="cell"].ja-mod-active') : cells(panel).nth(index);
  await expect(cell.locator('.cm-content')).toBeFocused();
}

/**
 * The text shown in each drawn cell's input, in order: its editor, or its static text
 * before an editor exists. (An editor's lines are separate elements: their text has no
 * "\n".) Cells far from the screen are empty shells with no input, and a rendered
 * Markdown cell has none until its source is shown, so there `.nth(i)` is not cell i:
 * use {@link cellInput}.
 */
export function cellInputs(panel: Locator): Locator {
  return cells(panel).locator(':is(.cm-content, pre.ja-Cell-static)');
}

/** The text shown in cell `index`'s input (see {@link cellInputs}). */
export function cellInput(panel: Locator, index: number): Locator {
  return cells(panel).nth(index).locator(':is(.cm-content, pre.ja-Cell-static)');
}

/** Cell `index`'s outputs of `type` (all outputs when not given). */
export function outputs(panel: Locator, index: number, type?: string): Locator {
  const area = cells(panel).nth(index).getByTestId('output-area');
  return type ? area.locator(`.ja-Output[data-output-type="${type}"]`) : area.locator('.ja-Output');
}

/** Cell `index`'s prompt element ("[3]:", "[*]:", "[ ]:"). */
export function prompt(panel: Locator, index: number): Locator {
  return cells(panel).nth(index).locator('.ja-Cell-prompt');
}

/**
 * Enter edit mode in cell `index` and replace its text with `text`, pasted (a paste
 * keeps the text exactly, without the editor's auto-indent and bracket closing).
 * Leaves the cell in edit mode with the cursor at the end.
 */
export async function setCellText(page: Page, panel: Locator, index: number, text: string): Promise<void> {
  await selectCell(panel, index);
  await page.keyboard.press('Enter');
  await expectEditMode(panel, index);
  await page.keyboard.press('Control+A');
  await pasteText(page, text);
  await expect(cells(panel).nth(index).locator('.cm-content')).toHaveText(text.replace(/\n/g, ''));
}

/** Paste `text` into the focused element (a clipboard paste event with text/plain). */
export async function pasteText(page: Page, text: string): Promise<void> {
  await page.evaluate((value) => {
    const target = document.activeElement;
    if (!target) throw new Error('nothing has focus to paste into');
    const data = new DataTransfer();
    data.setData('text/plain', value);
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}
