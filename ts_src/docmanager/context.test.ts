import type { Contents } from '@jupyterlab/services';
import { describe, expect, it } from 'vitest';
import { DocumentContent, DocumentContext, SaveStateEvent } from './context';
import type { ConflictChoice } from './save';
import { SaveCancelledError } from './save';

/** An in-memory contents service: one file per path, `last_modified` ticking per write. */
function fakeContents(files: Record<string, string> = {}) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const stamp = () => new Date((clock += 1000)).toISOString();
  const disk = new Map<string, { content: unknown; last_modified: string }>();
  for (const [path, content] of Object.entries(files)) disk.set(path, { content, last_modified: stamp() });
  const saves: { path: string; content: unknown }[] = [];
  let failWith: Error | null = null;
  let gate: Promise<void> | null = null;
  let onSave: (() => void) | null = null;
  const model = (path: string, withContent: boolean) => {
    const file = disk.get(path);
    if (!file) throw new Error(`No such file: ${path}`);
    return { path, name: path, type: 'file', last_modified: file.last_modified, content: withContent ? file.content : null };
  };
  const contents = {
    get: async (path: string, options?: Contents.IFetchOptions) => model(path, options?.content !== false),
    save: async (path: string, options: Partial<Contents.IModel>) => {
      onSave?.();
      if (gate) await gate;
      if (failWith) throw failWith;
      saves.push({ path, content: options.content });
      disk.set(path, { content: options.content, last_modified: stamp() });
      return model(path, false);
    }
  };
  return {
    contents: contents as unknown as Contents.IManager,
    disk,
    saves,
    /** Change a file as another program would. */
    touch: (path: string, content: string) => disk.set(path, { content, last_modified: stamp() }),
    fail: (err: Error | null) => (failWith = err),
    /** Resolves when the next save request reaches the server. */
    nextSave: () => new Promise<void>((resolve) => (onSave = resolve)),
    hold: () => {
      let release!: () => void;
      gate = new Promise((r) => (release = r));
      return () => {
        gate = null;
        release();
      };
    }
  };
}

/** A text document bound to `context`: `text` is the editor, `saved` the last saved text. */
function textDocument(context: DocumentContext) {
  const doc = { text: '', saved: '', reloads: 0 };
  const content: DocumentContent = {
    type: 'file',
    format: 'text',
    get dirty() {
      return doc.text !== doc.saved;
    },
    loadError: null,
    snapshot: () => {
      const text = doc.text;
      return { content: text, commit: () => (doc.saved = text) };
    },
    reload: async () => {
      const model = await context.fetch();
      doc.text = doc.saved = String(model.content);
      doc.reloads++;
    }
  };
  context.bind(content);
  return doc;
}

function setup(answer: ConflictChoice = 'overwrite') {
  const fs = fakeContents({ 'a.txt': 'one' });
  const asked: string[] = [];
  const checkDisk = async (
    contents: Pick<Contents.IManager, 'get'>,
    path: string,
    lastModified: string | null,
    ask = true
  ): Promise<ConflictChoice> => {
    const onDisk = await contents.get(path, { content: false });
    if (!lastModified || Date.parse(onDisk.last_modified) <= Date.parse(lastModified)) return 'save';
    asked.push(path);
    return ask ? answer : 'cancel';
  };
  const context = new DocumentContext('a.txt', fs.contents, () => false, checkDisk);
  const doc = textDocument(context);
  const states: SaveStateEvent['state'][] = [];
  context.saveState((e) => states.push(e.state));
  return { fs, context, doc, asked, states };
}

describe('DocumentContext', () => {
  it('saves the bound content, clears dirty and reports started then completed', async () => {
    const { fs, context, doc, states } = setup();
    await context.revert();
    doc.text = 'two';
    expect(context.dirty).toBe(true);
    await context.save();
    expect(fs.disk.get('a.txt')!.content).toBe('two');
    expect(context.dirty).toBe(false);
    expect(states).toEqual(['started', 'completed']);
    expect(context.lastModified).toBe(fs.disk.get('a.txt')!.last_modified);
  });

  it('asks when the file changed on disk; overwrite writes ours', async () => {
    const { fs, context, doc, asked } = setup('overwrite');
    await context.revert();
    fs.touch('a.txt', 'theirs');
    doc.text = 'ours';
    await context.save();
    expect(asked).toEqual(['a.txt']);
    expect(fs.disk.get('a.txt')!.content).toBe('ours');
  });

  it('a conflict answered "reload" loads the disk version and writes nothing', async () => {
    const { fs, context, doc, states } = setup('reload');
    await context.revert();
    fs.touch('a.txt', 'theirs');
    doc.text = 'ours';
    await context.save();
    expect(doc.text).toBe('theirs');
    expect(fs.saves).toEqual([]);
    expect(states).toEqual(['started', 'cancelled']);
  });

  it('a conflict answered "cancel" rejects with SaveCancelledError and keeps the edits', async () => {
    const { fs, context, doc, states } = setup('cancel');
    await context.revert();
    fs.touch('a.txt', 'theirs');
    doc.text = 'ours';
    await expect(context.save()).rejects.toBeInstanceOf(SaveCancelledError);
    expect(context.dirty).toBe(true);
    expect(fs.disk.get('a.txt')!.content).toBe('theirs');
    expect(states).toEqual(['started', 'cancelled']);
  });

  it('an autosave never asks: a changed file waits for the person', async () => {
    const { fs, context, doc, asked } = setup('overwrite');
    await context.revert();
    fs.touch('a.txt', 'theirs');
    doc.text = 'ours';
    await expect(context.save({ ask: false })).rejects.toBeInstanceOf(SaveCancelledError);
    expect(asked).toEqual(['a.txt']);
    expect(fs.disk.get('a.txt')!.content).toBe('theirs');
  });

  it('revert drops the edits and reads the disk again', async () => {
    const { context, doc } = setup();
    await context.revert();
    doc.text = 'edited';
    await context.revert();
    expect(doc.text).toBe('one');
    expect(context.dirty).toBe(false);
    expect(doc.reloads).toBe(2);
  });

  it('runs one save at a time: a second call while one runs shares it', async () => {
    const { fs, context, doc } = setup();
    await context.revert();
    doc.text = 'two';
    const release = fs.hold();
    const first = context.save();
    const second = context.save();
    expect(second).toBe(first);
    expect(context.isSaving).toBe(true);
    release();
    await Promise.all([first, second]);
    expect(fs.saves).toHaveLength(1);
    expect(context.isSaving).toBe(false);
  });

  it('edits made while a save runs stay dirty', async () => {
    const { fs, context, doc } = setup();
    await context.revert();
    doc.text = 'two';
    const release = fs.hold();
    const requested = fs.nextSave();
    const saving = context.save();
    await requested;
    doc.text = 'three';
    release();
    await saving;
    expect(fs.disk.get('a.txt')!.content).toBe('two');
    expect(context.dirty).toBe(true);
  });

  it('a failed save keeps the edits dirty, reports failed with the error, and a later save succeeds', async () => {
    const { fs, context, doc } = setup();
    const events: SaveStateEvent[] = [];
    context.saveState((e) => events.push(e));
    await context.revert();
    doc.text = 'two';
    const full = new Error('Not enough disk space');
    fs.fail(full);
    await expect(context.save()).rejects.toBe(full);
    expect(context.dirty).toBe(true);
    expect(context.lastSaveError).toBe(full);
    expect(events.map((e) => e.state)).toEqual(['started', 'failed']);
    expect(events[1]!.error).toBe(full);
    expect(fs.disk.get('a.txt')!.content).toBe('one');
    fs.fail(null);
    await context.save();
    expect(context.dirty).toBe(false);
    expect(context.lastSaveError).toBe(null);
  });

  it('Save As writes the new file, takes its path and leaves the old file', async () => {
    const { fs, context, doc } = setup();
    const moves: string[] = [];
    context.pathChanged(({ newPath }) => moves.push(newPath));
    await context.revert();
    doc.text = 'copy';
    await context.saveAs('b.txt');
    expect(fs.disk.get('b.txt')!.content).toBe('copy');
    expect(fs.disk.get('a.txt')!.content).toBe('one');
    expect(context.path).toBe('b.txt');
    expect(moves).toEqual(['b.txt']);
    expect(context.dirty).toBe(false);
  });

  it('refuses to save a document that failed to load', async () => {
    const fs = fakeContents({});
    const context = new DocumentContext('x.txt', fs.contents);
    context.bind({ type: 'file', format: 'text', dirty: true, loadError: 'boom', snapshot: () => ({ content: '', commit() {} }), reload: async () => {} });
    await expect(context.save()).rejects.toThrow('never saved');
    expect(fs.saves).toEqual([]);
  });
});

describe('DocumentContext.diskStatus and the rule for files changed by others', () => {
  it('tells a file changed or deleted on disk from one in step', async () => {
    const { fs, context } = setup();
    await context.revert();
    expect(await context.diskStatus()).toBe('same');
    fs.touch('a.txt', 'theirs');
    expect(await context.diskStatus()).toBe('changed');
    fs.disk.delete('a.txt');
    const missing = Object.assign(new Error('Not found'), { response: { status: 404 } });
    const get = fs.contents.get;
    fs.contents.get = async () => {
      throw missing;
    };
    expect(await context.diskStatus()).toBe('deleted');
    fs.contents.get = get;
  });

  it('reloads only documents without edits; says so otherwise', async () => {
    const { diskAction } = await import('./watch');
    expect(diskAction('changed', false)).toBe('reload');
    expect(diskAction('changed', true)).toBe('show-changed');
    expect(diskAction('deleted', false)).toBe('show-deleted');
    expect(diskAction('same', true)).toBe('none');
  });

  it('a deleted file is written back by Save', async () => {
    const { fs, context, doc } = setup();
    await context.revert();
    fs.disk.delete('a.txt');
    doc.text = 'mine';
    await context.save();
    expect(fs.disk.get('a.txt')!.content).toBe('mine');
  });
});
