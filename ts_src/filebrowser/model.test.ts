import type { Contents } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContentsLike, FileBrowserModel, normalizePath, parentPath, sortItems } from './model';

function entry(path: string, type: Contents.ContentType, extra: Partial<Contents.IModel> = {}): Contents.IModel {
  return {
    name: path.split('/').pop()!,
    path,
    type,
    writable: true,
    created: '2024-01-01T00:00:00Z',
    last_modified: '2024-01-01T00:00:00Z',
    mimetype: '',
    content: null,
    format: null,
    size: type === 'directory' ? undefined : 100,
    ...extra
  };
}

/**
 * A stand-in for the contents manager: folders are listed from `tree`. With `hold`
 * set, each request waits until the test calls `release`, so races can be staged.
 */
class FakeContents implements ContentsLike {
  readonly fileChanged = new Signal<Contents.IManager, Contents.IChangedArgs>(this as unknown as Contents.IManager);
  tree: Record<string, Contents.IModel[]> = {};
  requests: { path: string; options: Contents.IFetchOptions | undefined }[] = [];
  hold = false;
  private held: { path: string; run: () => void }[] = [];

  get(path: string, options?: Contents.IFetchOptions): Promise<Contents.IModel> {
    this.requests.push({ path, options });
    // The server reads the folder when the request arrives: snapshot it now.
    const items = this.tree[path] ? [...this.tree[path]] : undefined;
    return new Promise((resolve, reject) => {
      const run = () => {
        if (!items) reject(new Error(`No such file or directory: ${path}`));
        else resolve({ ...entry(path, 'directory'), name: path.split('/').pop() ?? '', content: items, format: 'json' });
      };
      if (this.hold) this.held.push({ path, run });
      else run();
    });
  }

  /** Answer the oldest held request for `path`, with the folder as it was when requested. */
  async release(path: string): Promise<void> {
    const i = this.held.findIndex((h) => h.path === path);
    if (i < 0) throw new Error(`no held request for "${path}"`);
    this.held.splice(i, 1)[0]!.run();
    await flush();
  }

  get heldPaths(): string[] {
    return this.held.map((h) => h.path);
  }

  // The listing tests never change files.
  rename = unused;
  delete = unused;
  copy = unused;
  save = unused;
  newUntitled = unused;
  getDownloadUrl = unused;

  announce(path: string): void {
    this.fileChanged.emit({ type: 'new', oldValue: null, newValue: { path } });
  }
}

function unused(): never {
  throw new Error('not used by these tests');
}

/** Let pending promise callbacks run. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

const names = (model: FileBrowserModel) => model.items.map((i) => i.name);

describe('FileBrowserModel', () => {
  let contents: FakeContents;
  let model: FileBrowserModel;
  let visible: boolean;
  let changes: number;

  function makeModel(pollInterval = 0): FileBrowserModel {
    model = new FileBrowserModel({ contents, pollInterval, isVisible: () => visible });
    model.changed(() => changes++);
    return model;
  }

  beforeEach(() => {
    contents = new FakeContents();
    contents.tree = {
      '': [
        entry('notes.txt', 'file'),
        entry('data', 'directory'),
        entry('Analysis.ipynb', 'notebook'),
        entry('archive', 'directory')
      ],
      data: [entry('data/run10.csv', 'file'), entry('data/run2.csv', 'file'), entry('data/raw', 'directory')],
      'data/raw': []
    };
    visible = true;
    changes = 0;
  });

  afterEach(() => {
    model?.dispose();
    vi.useRealTimers();
  });

  describe('navigating', () => {
    it('starts at the root with nothing listed', () => {
      makeModel();
      expect(model.path).toBe('');
      expect(model.items).toEqual([]);
      expect(model.error).toBeNull();
    });

    it('lists a folder with subfolders first, then files by name, ignoring case', async () => {
      makeModel();
      expect(await model.cd('')).toBe(true);
      expect(names(model)).toEqual(['archive', 'data', 'Analysis.ipynb', 'notes.txt']);
      expect(changes).toBe(1);
      expect(contents.requests[0]).toEqual({ path: '', options: { content: true, type: 'directory' } });
    });

    it('sorts numbered names naturally ("run2" before "run10")', async () => {
      makeModel();
      await model.cd('data');
      expect(names(model)).toEqual(['raw', 'run2.csv', 'run10.csv']);
    });

    it('goes into a folder and back up with ".."', async () => {
      makeModel();
      await model.cd('data');
      await model.cd('data/raw');
      expect(model.path).toBe('data/raw');
      expect(model.items).toEqual([]);
      await model.cd('..');
      expect(model.path).toBe('data');
      await model.cd('..');
      expect(model.path).toBe('');
      await model.cd('..');
      expect(model.path).toBe('');
    });

    it('accepts paths with stray slashes and dot segments', async () => {
      makeModel();
      await model.cd('/data/./raw/');
      expect(model.path).toBe('data/raw');
      await model.cd('data/raw/../../data');
      expect(model.path).toBe('data');
    });

    it('stays in the current folder and shows why when a folder cannot be opened', async () => {
      makeModel();
      await model.cd('data');
      const before = model.items;
      changes = 0;
      expect(await model.cd('gone')).toBe(false);
      expect(model.path).toBe('data');
      expect(model.items).toBe(before);
      expect(model.error).toContain('"gone"');
      expect(model.error).toContain('No such file or directory');
      expect(changes).toBe(1);
    });

    it('names the root "/" in an error message', async () => {
      contents.tree = {};
      makeModel();
      await model.cd('');
      expect(model.error).toContain('"/"');
    });

    it('clears the error once a folder opens', async () => {
      makeModel();
      await model.cd('gone');
      await model.cd('data');
      expect(model.error).toBeNull();
    });

    it('ends up in the folder clicked last even when an earlier click answers later', async () => {
      makeModel();
      contents.tree['archive'] = [entry('archive/old.txt', 'file')];
      contents.hold = true;
      const slow = model.cd('data');
      const fast = model.cd('archive');
      await contents.release('archive');
      await contents.release('data');
      expect(await fast).toBe(true);
      expect(await slow).toBe(false);
      expect(model.path).toBe('archive');
      expect(names(model)).toEqual(['old.txt']);
    });

    it('does not show an error from an abandoned folder change', async () => {
      makeModel();
      contents.hold = true;
      const failing = model.cd('gone');
      const ok = model.cd('data');
      await contents.release('data');
      await contents.release('gone');
      await Promise.all([failing, ok]);
      expect(model.path).toBe('data');
      expect(model.error).toBeNull();
    });
  });

  describe('sorting', () => {
    beforeEach(async () => {
      contents.tree[''] = [
        entry('b.txt', 'file', { size: 10, last_modified: '2024-03-01T00:00:00Z' }),
        entry('a.txt', 'file', { size: 300, last_modified: '2024-01-01T00:00:00Z' }),
        entry('c.txt', 'file', { size: 20, last_modified: '2024-02-01T00:00:00Z' }),
        entry('zfolder', 'directory', { last_modified: '2023-01-01T00:00:00Z' }),
        entry('afolder', 'directory', { last_modified: '2025-01-01T00:00:00Z' })
      ];
      makeModel();
      await model.cd('');
      changes = 0;
    });

    it('sorts by name ascending at first', () => {
      expect(model.sort).toEqual({ key: 'name', ascending: true });
      expect(names(model)).toEqual(['afolder', 'zfolder', 'a.txt', 'b.txt', 'c.txt']);
    });

    it('reverses the order when the same column is chosen again, keeping folders first', () => {
      model.sortBy('name');
      expect(model.sort).toEqual({ key: 'name', ascending: false });
      expect(names(model)).toEqual(['zfolder', 'afolder', 'c.txt', 'b.txt', 'a.txt']);
      expect(changes).toBe(1);
    });

    it('sorts by size and by modification time, ascending first', () => {
      model.sortBy('size');
      expect(model.sort).toEqual({ key: 'size', ascending: true });
      expect(names(model)).toEqual(['afolder', 'zfolder', 'b.txt', 'c.txt', 'a.txt']);
      model.sortBy('last_modified');
      expect(names(model)).toEqual(['zfolder', 'afolder', 'a.txt', 'c.txt', 'b.txt']);
      model.sortBy('last_modified');
      expect(names(model)).toEqual(['afolder', 'zfolder', 'b.txt', 'c.txt', 'a.txt']);
    });

    it('keeps the chosen order for later listings', async () => {
      model.sortBy('size');
      contents.tree[''] = [...contents.tree['']!, entry('d.txt', 'file', { size: 15 })];
      await model.refresh();
      expect(names(model)).toEqual(['afolder', 'zfolder', 'b.txt', 'd.txt', 'c.txt', 'a.txt']);
    });
  });

  describe('staying up to date', () => {
    it('shows a new file after a refresh', async () => {
      makeModel();
      await model.cd('data');
      contents.tree['data']!.push(entry('data/run3.csv', 'file'));
      changes = 0;
      await model.refresh();
      expect(names(model)).toEqual(['raw', 'run2.csv', 'run3.csv', 'run10.csv']);
      expect(changes).toBe(1);
    });

    it('does not signal a change when the listing is the same, so views do not redraw', async () => {
      makeModel();
      await model.cd('data');
      changes = 0;
      await model.refresh();
      contents.tree['data'] = [...contents.tree['data']!].reverse();
      await model.refresh();
      expect(changes).toBe(0);
    });

    it('signals a change when a file is modified in place', async () => {
      makeModel();
      await model.cd('data');
      changes = 0;
      contents.tree['data'] = contents.tree['data']!.map((e) =>
        e.name === 'run2.csv' ? { ...e, size: 999, last_modified: '2024-05-05T00:00:00Z' } : e
      );
      await model.refresh();
      expect(changes).toBe(1);
      expect(model.items.find((e) => e.name === 'run2.csv')?.size).toBe(999);
    });

    it('sends at most one follow-up request for refreshes made while one is on its way', async () => {
      makeModel();
      await model.cd('data');
      contents.requests = [];
      contents.hold = true;
      const first = model.refresh();
      const more = [model.refresh(), model.refresh(), model.refresh()];
      expect(contents.heldPaths).toEqual(['data']);
      await contents.release('data');
      await first;
      expect(contents.heldPaths).toEqual(['data']);
      await contents.release('data');
      await Promise.all(more);
      expect(contents.requests).toHaveLength(2);
    });

    it('refreshes when the contents service reports a change', async () => {
      makeModel();
      await model.cd('');
      contents.tree['']!.push(entry('new.ipynb', 'notebook'));
      contents.announce('new.ipynb');
      await flush();
      expect(names(model)).toContain('new.ipynb');
    });

    it('shows a change reported while an older listing is still on its way', async () => {
      makeModel();
      await model.cd('');
      contents.hold = true;
      const poll = model.refresh(); // e.g. a poll, sent before the file exists
      contents.tree['']!.push(entry('Untitled Folder', 'directory'));
      const afterCreate = model.refresh(); // e.g. from fileChanged, after the folder was made
      await contents.release('');
      await poll;
      if (contents.heldPaths.length) await contents.release('');
      await afterCreate;
      expect(names(model)).toContain('Untitled Folder');
    });

    it('lists the new folder, not the old one, when refreshed right after changing folder', async () => {
      makeModel();
      await model.cd('');
      contents.hold = true;
      const oldListing = model.refresh();
      const going = model.cd('data');
      await contents.release('data');
      expect(await going).toBe(true);
      contents.tree['data']!.push(entry('data/fresh.csv', 'file'));
      const refreshed = model.refresh();
      await contents.release('');
      await oldListing;
      if (contents.heldPaths.length) await contents.release('data');
      await refreshed;
      expect(model.path).toBe('data');
      expect(names(model)).toContain('fresh.csv');
    });

    it('ignores a listing of the previous folder that arrives after changing folder', async () => {
      makeModel();
      await model.cd('');
      contents.hold = true;
      const stale = model.refresh();
      const going = model.cd('data');
      await contents.release('data');
      await going;
      await contents.release('');
      await stale;
      expect(model.path).toBe('data');
      expect(names(model)).toEqual(['raw', 'run2.csv', 'run10.csv']);
    });

    it('keeps the listing and shows an error when a refresh fails, and recovers', async () => {
      makeModel();
      await model.cd('data');
      const saved = contents.tree['data']!;
      delete contents.tree['data'];
      changes = 0;
      await model.refresh();
      expect(model.error).toMatch(/Cannot list "data"/);
      expect(names(model)).toEqual(['raw', 'run2.csv', 'run10.csv']);
      expect(changes).toBe(1);
      contents.tree['data'] = saved;
      await model.refresh();
      expect(model.error).toBeNull();
      expect(changes).toBe(2);
    });

    describe('polling', () => {
      beforeEach(() => {
        vi.useFakeTimers();
      });

      it('re-lists the folder every poll interval while the page is visible', async () => {
        makeModel(5000);
        await model.cd('');
        contents.requests = [];
        await vi.advanceTimersByTimeAsync(4999);
        expect(contents.requests).toHaveLength(0);
        await vi.advanceTimersByTimeAsync(1);
        expect(contents.requests).toHaveLength(1);
        await vi.advanceTimersByTimeAsync(5000);
        expect(contents.requests).toHaveLength(2);
      });

      it('shows an outside change after the next poll', async () => {
        makeModel(5000);
        await model.cd('');
        contents.tree['']!.push(entry('made-in-terminal.txt', 'file'));
        await vi.advanceTimersByTimeAsync(5000);
        expect(names(model)).toContain('made-in-terminal.txt');
      });

      it('polls every 5 seconds by default', async () => {
        model = new FileBrowserModel({ contents, isVisible: () => true });
        await model.cd('');
        contents.requests = [];
        await vi.advanceTimersByTimeAsync(5000);
        expect(contents.requests).toHaveLength(1);
      });

      it('pauses while the page is hidden', async () => {
        makeModel(1000);
        await model.cd('');
        contents.requests = [];
        visible = false;
        await vi.advanceTimersByTimeAsync(10_000);
        expect(contents.requests).toHaveLength(0);
        visible = true;
        await vi.advanceTimersByTimeAsync(1000);
        expect(contents.requests).toHaveLength(1);
      });

      it('never polls with an interval of 0', async () => {
        makeModel(0);
        await model.cd('');
        contents.requests = [];
        await vi.advanceTimersByTimeAsync(60_000);
        expect(contents.requests).toHaveLength(0);
      });

      it('stops polling and listening once disposed', async () => {
        makeModel(1000);
        await model.cd('');
        model.dispose();
        contents.requests = [];
        changes = 0;
        contents.announce('x');
        await vi.advanceTimersByTimeAsync(10_000);
        expect(contents.requests).toHaveLength(0);
        expect(changes).toBe(0);
      });
    });
  });
});

describe('path helpers', () => {
  it('normalizePath strips slashes and resolves dot segments without going above the root', () => {
    expect(normalizePath('')).toBe('');
    expect(normalizePath('/')).toBe('');
    expect(normalizePath('/a//b/')).toBe('a/b');
    expect(normalizePath('a/./b/../c')).toBe('a/c');
    expect(normalizePath('../../a')).toBe('a');
  });

  it('parentPath gives the folder holding a path', () => {
    expect(parentPath('a/b/c.ipynb')).toBe('a/b');
    expect(parentPath('a')).toBe('');
    expect(parentPath('')).toBe('');
    expect(parentPath('/a/b/')).toBe('a');
  });

  it('sortItems does not modify its input', () => {
    const items = [entry('b', 'file'), entry('a', 'file')];
    const sorted = sortItems(items, 'name', true);
    expect(sorted.map((i) => i.name)).toEqual(['a', 'b']);
    expect(items.map((i) => i.name)).toEqual(['b', 'a']);
  });
});
