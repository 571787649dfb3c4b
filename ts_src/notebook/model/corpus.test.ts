/**
 * The notebook model on the project's corpus of real notebooks (shared/corpus/notebooks
 * beside the repository, or $JLAB_ALT_CORPUS): loading then saving an unchanged
 * notebook gives back the same JSON, in the form read from disk (multiline fields as
 * lists) and in the form jupyter_server hands to the frontend (lists joined).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NotebookFormatError, NotebookModel } from './notebook';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = process.env.JLAB_ALT_CORPUS ?? path.resolve(HERE, '..', '..', '..', '..', 'shared', 'corpus', 'notebooks');
const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

type Json = Record<string, unknown>;

interface Entry {
  file: string;
  /** nbformat as the manifest gives it: "4.5", "3.0", "2.None". */
  nbformat: string;
  cellIds: string;
}

function readManifest(): Entry[] {
  const manifest = path.join(CORPUS, 'MANIFEST.tsv');
  if (!existsSync(manifest)) {
    throw new Error(`Corpus manifest ${manifest} is missing: put shared/ beside the repository or set JLAB_ALT_CORPUS.`);
  }
  const [header, ...rows] = readFileSync(manifest, 'utf8').split('\n').filter((l) => l.trim());
  const columns = header!.split('\t');
  const col = (name: string): number => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`MANIFEST.tsv has no ${name} column`);
    return i;
  };
  const [file, nbformat, cellIds] = [col('file'), col('nbformat'), col('cell_ids')];
  return rows.map((row) => {
    const cells = row.split('\t');
    return { file: cells[file]!, nbformat: cells[nbformat]!, cellIds: cells[cellIds]! };
  });
}

function load(file: string): Json {
  return JSON.parse(readFileSync(path.join(CORPUS, file), 'utf8')) as Json;
}

function cellsOf(nb: Json): Json[] {
  return nb.cells as Json[];
}

/** `nb` with every cell `source` given as a list of lines joined into one string. */
function joinSources(nb: Json): Json {
  const copy = structuredClone(nb);
  for (const cell of cellsOf(copy)) if (Array.isArray(cell.source)) cell.source = cell.source.join('');
  return copy;
}

/**
 * `nb` as jupyter_server gives it to the frontend: nbformat's `rejoin_lines` joins
 * sources, stream texts and the line lists of non-JSON MIME data (outputs and attachments).
 */
function rejoinLines(nb: Json): Json {
  const copy = joinSources(nb);
  const isJsonMime = (mime: string): boolean => mime === 'application/json' || /^application\/.+\+json$/.test(mime);
  const rejoinBundle = (bundle: Json): void => {
    for (const [mime, value] of Object.entries(bundle)) {
      if (!isJsonMime(mime) && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
        bundle[mime] = value.join('');
      }
    }
  };
  for (const cell of cellsOf(copy)) {
    for (const bundle of Object.values((cell.attachments as Record<string, Json> | undefined) ?? {})) rejoinBundle(bundle);
    if (cell.cell_type !== 'code') continue;
    for (const output of (cell.outputs as Json[] | undefined) ?? []) {
      if (output.output_type === 'execute_result' || output.output_type === 'display_data') {
        rejoinBundle((output.data as Json | undefined) ?? {});
      } else if (Array.isArray(output.text)) {
        output.text = output.text.join('');
      }
    }
  }
  return copy;
}

const entries = readManifest();
const loadable = entries.filter((e) => e.nbformat.startsWith('4.'));
const older = entries.filter((e) => !e.nbformat.startsWith('4.'));

describe('the corpus', () => {
  it('holds every notebook the manifest lists, and only those', () => {
    const files = readdirSync(CORPUS)
      .filter((f) => f.endsWith('.ipynb'))
      .sort();
    expect(files).toEqual(entries.map((e) => e.file).sort());
    expect(loadable.length).toBeGreaterThanOrEqual(40);
    expect(older.length).toBeGreaterThanOrEqual(1);
  });
});

describe.each(older)('$file (nbformat $nbformat)', ({ file, nbformat }) => {
  it('is refused with a NotebookFormatError naming its format (the server upgrades it first)', () => {
    const major = nbformat.split('.')[0]!;
    let error: unknown;
    try {
      new NotebookModel(load(file));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotebookFormatError);
    expect((error as Error).message).toBe(`Unsupported notebook format ${major}: only nbformat 4 opens here`);
  });
});

describe.each(loadable)('$file (nbformat $nbformat)', ({ file, nbformat, cellIds }) => {
  it('saves unchanged exactly as read from disk', () => {
    const json = load(file);
    const model = new NotebookModel(structuredClone(json));
    expect(model.toJSON()).toStrictEqual(json);
    expect(model.dirty).toBe(false);
    expect(`${model.nbformat}.${model.nbformatMinor}`).toBe(nbformat);
  });

  it('saves unchanged exactly as read with every source joined into a string', () => {
    const json = joinSources(load(file));
    expect(new NotebookModel(structuredClone(json)).toJSON()).toStrictEqual(json);
  });

  it('saves unchanged exactly as jupyter_server gives it (all multiline fields joined)', () => {
    const json = rejoinLines(load(file));
    expect(new NotebookModel(structuredClone(json)).toJSON()).toStrictEqual(json);
  });

  it('keeps the cell ids of the file', () => {
    const json = load(file);
    const model = new NotebookModel(json);
    expect(model.cells.map((c) => c.id)).toEqual(cellsOf(json).map((c) => c.id));
    if (cellIds === 'all') expect(model.cells.every((c) => c.id !== undefined)).toBe(true);
    if (cellIds === 'none') expect(model.cells.every((c) => c.id === undefined)).toBe(true);
  });

  it('changes only the edited cell, and only its source', () => {
    const json = load(file);
    const model = new NotebookModel(structuredClone(json));
    if (model.cells.length === 0) return;
    const k = Math.floor(model.cells.length / 2);
    model.cells[k]!.source = 'edited = True\n# ✓ ünïcödé';
    expect(model.dirty).toBe(true);
    const saved = model.toJSON() as unknown as Json;
    const expected = structuredClone(json);
    // A cell type this app does not know has no editor, but its source is still saved.
    cellsOf(expected)[k]!.source = 'edited = True\n# ✓ ünïcödé';
    expect(saved).toStrictEqual(expected);
  });

  it(`gives a new cell ${Number(nbformat.split('.')[1]) >= 5 ? 'a valid id' : 'no id'}`, () => {
    const json = load(file);
    const model = new NotebookModel(structuredClone(json));
    const cell = model.createCell('code', 'print("new")');
    model.insertCells(1, [cell]);
    const saved = model.toJSON();
    expect(saved.cells).toHaveLength(cellsOf(json).length + 1);
    const created = saved.cells[Math.min(1, cellsOf(json).length)]!;
    if (Number(nbformat.split('.')[1]) >= 5) {
      expect(created.id).toMatch(CELL_ID);
      expect(cellsOf(json).some((c) => c.id === created.id)).toBe(false);
    } else {
      expect('id' in created).toBe(false);
    }
    // The other cells are saved as they were.
    const others = saved.cells.filter((c) => c !== created);
    expect(others).toStrictEqual(cellsOf(json));
  });

  it('restores the exact notebook after deleting every cell and undoing', () => {
    const json = load(file);
    const model = new NotebookModel(structuredClone(json));
    if (model.cells.length === 0) return;
    model.deleteCells(model.cells.map((_, i) => i));
    expect(model.cells).toHaveLength(1);
    model.undo();
    expect(model.toJSON()).toStrictEqual(json);
  });

  it('restores the exact notebook after changing every cell to markdown and undoing', () => {
    const json = load(file);
    const model = new NotebookModel(structuredClone(json));
    model.changeCellType(
      model.cells.map((_, i) => i),
      'markdown'
    );
    const saved = model.toJSON();
    expect(saved.cells.every((c) => c.cell_type === 'markdown' && !('outputs' in c))).toBe(true);
    model.undo();
    expect(model.toJSON()).toStrictEqual(json);
  });
});
