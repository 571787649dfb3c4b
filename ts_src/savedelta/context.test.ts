import type { Contents } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { describe, expect, it } from 'vitest';
import { DocumentContext, SaveStateEvent } from '../docmanager/context';
import type { ConflictChoice } from '../docmanager/save';
import type { NotebookChanges } from './service';

/** A services error as `ResponseError` carries it: the response's status. */
function httpError(status: number): Error {
  return Object.assign(new Error(`HTTP ${status}`), { response: { status } });
}

/** A sender of changes that fails with `err`. */
function failing(err: Error): () => never {
  return () => {
    throw err;
  };
}

/**
 * A context on "nb.ipynb" whose content offers changes, with a fake contents service
 * (full saves), a fake sender of changes and a scripted "changed on disk" check.
 */
function setup(options: { send?: (changes: NotebookChanges) => void; answers?: ConflictChoice[] } = {}) {
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const stamp = () => new Date((clock += 1000)).toISOString();
  const log: string[] = [];
  let lastModified = stamp();
  const model = () => ({ path: 'nb.ipynb', name: 'nb.ipynb', type: 'notebook', last_modified: lastModified, content: null });
  const changed: Contents.IChangedArgs[] = [];
  const fileChanged = new Signal<unknown, Contents.IChangedArgs>({});
  fileChanged.connect((_, change) => changed.push(change));
  const contents = {
    fileChanged,
    get: async () => ({ ...model(), content: { cells: [] } }),
    save: async (_path: string, body: Partial<Contents.IModel>) => {
      log.push(`put ${JSON.stringify(body.content)}`);
      lastModified = stamp();
      return model();
    }
  } as unknown as Contents.IManager;
  const answers = [...(options.answers ?? [])];
  const checkDisk = async (): Promise<ConflictChoice> => {
    const answer = answers.shift() ?? 'save';
    log.push(`check ${answer}`);
    return answer;
  };
  const send = async (path: string, base: string, changes: NotebookChanges): Promise<Contents.IModel> => {
    log.push(`delta ${path} ${base === lastModified ? 'base' : 'stale'} ${JSON.stringify(changes.cells)}`);
    options.send?.(changes);
    lastModified = stamp();
    return model() as unknown as Contents.IModel;
  };
  const context = new DocumentContext('nb.ipynb', contents, () => false, checkDisk, send);
  const doc = { cells: ['a'], saved: ['a'], reloads: 0 };
  context.bind({
    type: 'notebook',
    format: 'json',
    get dirty() {
      return doc.cells.join() !== doc.saved.join();
    },
    loadError: null,
    snapshot: () => {
      const cells = [...doc.cells];
      return { content: cells, commit: () => (doc.saved = cells) };
    },
    changes: () => {
      const cells = [...doc.cells];
      return { changes: { cell_count: doc.saved.length, cells: cells.filter((c, i) => c !== doc.saved[i]) }, commit: () => (doc.saved = cells) };
    },
    reload: async () => {
      await context.fetch();
      doc.cells = doc.saved = ['disk'];
      doc.reloads++;
    }
  });
  const states: SaveStateEvent['state'][] = [];
  context.saveState((e) => states.push(e.state));
  /** Load, set the cells to `cells` and save. */
  const editAndSave = async (cells: string[]) => {
    await context.fetch();
    doc.cells = cells;
    await context.save();
  };
  return { context, doc, log, states, changed, editAndSave };
}

describe('DocumentContext saving only the changes', () => {
  it('sends the changes against the version it loaded, and not the whole content', async () => {
    const { context, doc, log, states } = setup();
    await context.fetch();
    doc.cells = ['a', 'b'];
    await context.save();
    expect(log).toEqual(['check save', 'delta nb.ipynb base ["b"]']);
    expect(context.dirty).toBe(false);
    expect(states).toEqual(['started', 'completed']);
    doc.cells = ['a', 'b', 'c'];
    await context.save();
    expect(log.slice(2)).toEqual(['check save', 'delta nb.ipynb base ["c"]']);
  });

  it('saves whole when the changes do not fit the file (422), the API is missing (404) or the request fails', async () => {
    for (const err of [httpError(422), httpError(404), new TypeError('Failed to fetch')]) {
      const { context, log, states, editAndSave } = setup({ send: failing(err) });
      await editAndSave(['x']);
      expect(log).toEqual(['check save', 'delta nb.ipynb base ["x"]', 'put ["x"]']);
      expect(context.dirty).toBe(false);
      expect(states).toEqual(['started', 'completed']);
    }
  });

  it('a 409 (changed on disk meanwhile) asks as before: reload drops the edits and writes nothing', async () => {
    const { doc, log, states, editAndSave } = setup({ answers: ['save', 'reload'], send: failing(httpError(409)) });
    await editAndSave(['mine']);
    expect(log).toEqual(['check save', 'delta nb.ipynb base ["mine"]', 'check reload']);
    expect(doc.reloads).toBe(1);
    expect(states).toEqual(['started', 'cancelled']);
  });

  it('a 409 answered "overwrite" writes the whole content', async () => {
    const { context, log, editAndSave } = setup({ answers: ['save', 'overwrite'], send: failing(httpError(409)) });
    await editAndSave(['mine']);
    expect(log.slice(2)).toEqual(['check overwrite', 'put ["mine"]']);
    expect(context.dirty).toBe(false);
  });

  it('overwriting a file changed on disk and Save As write the whole content', async () => {
    const { context, doc, log, editAndSave } = setup({ answers: ['overwrite'] });
    await editAndSave(['mine']);
    expect(log).toEqual(['check overwrite', 'put ["mine"]']);
    doc.cells = ['other'];
    await context.saveAs('copy.ipynb');
    expect(log.slice(2)).toEqual(['put ["other"]']);
  });

  it("tells the contents manager's listeners (the file browser) about a save by changes, as a whole save does", async () => {
    const { changed, editAndSave } = setup();
    await editAndSave(['a', 'b']);
    expect(changed.map((c) => [c.type, c.newValue?.path])).toEqual([['save', 'nb.ipynb']]);
  });

  it('saves whole when nothing was loaded yet (no base version)', async () => {
    const { context, doc, log } = setup();
    doc.cells = ['x'];
    await context.save();
    expect(log).toEqual(['check save', 'put ["x"]']);
  });
});

describe('DocumentContext reading ahead of a save by changes', () => {
  it('asks the server to read the notebook at the first edit after each load, once', async () => {
    const contents = {
      fileChanged: new Signal<unknown, Contents.IChangedArgs>({}),
      get: async () => ({ path: 'nb.ipynb', type: 'notebook', last_modified: '2026-01-01T00:00:00Z', content: { cells: [] } })
    } as unknown as Contents.IManager;
    const prepared: string[] = [];
    const send = async (): Promise<Contents.IModel> => {
      throw new Error('not saving here');
    };
    const context = new DocumentContext('nb.ipynb', contents, () => false, async () => 'save', send, async (path) => {
      prepared.push(path);
    });
    const listeners: (() => void)[] = [];
    const edit = () => listeners.forEach((l) => l());
    context.bind({
      type: 'notebook',
      format: 'json',
      dirty: true,
      loadError: null,
      snapshot: () => ({ content: null, commit: () => undefined }),
      changes: () => null,
      reload: async () => undefined,
      changed: (listener) => {
        listeners.push(listener);
        let isDisposed = false;
        return {
          get isDisposed() {
            return isDisposed;
          },
          dispose: () => {
            if (!isDisposed) listeners.splice(listeners.indexOf(listener), 1);
            isDisposed = true;
          }
        };
      }
    });
    edit(); // before anything is loaded: nothing to read ahead of
    expect(prepared).toEqual([]);
    await context.fetch();
    edit();
    edit();
    expect(prepared).toEqual(['nb.ipynb']);
    await context.fetch(); // a revert: the file is read again, so is the next save's base
    edit();
    expect(prepared).toEqual(['nb.ipynb', 'nb.ipynb']);
    context.dispose();
    expect(listeners).toEqual([]);
  });
});
