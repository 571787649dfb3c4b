import type { Contents } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkName, ContentsLike, FileBrowserModel, FileOperationError } from './model';
import { toBase64, uploadFile } from './upload';

/** An error shaped like the services' ResponseError: a message and the response status. */
class FakeResponseError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message);
  }
  get response(): { status: number } {
    return { status: this.status };
  }
}

/**
 * An in-memory server root that answers like jupyter_server's contents manager:
 * rename onto an existing name is a 409, copies are named "<name>-Copy1<ext>" when
 * the name is taken, new files are "untitled.txt", "untitled1.txt"..., chunked saves
 * append (1, 2, ..., -1 for the last). `refuse` makes chosen paths answer 403.
 */
class MemoryContents implements ContentsLike {
  readonly fileChanged = new Signal<Contents.IManager, Contents.IChangedArgs>(this as unknown as Contents.IManager);
  /** Files (path -> content) and folders (path -> null). */
  files = new Map<string, string | null>();
  refuse = new Set<string>();
  saves: Partial<Contents.IModel>[] = [];

  private model(path: string): Contents.IModel {
    const content = this.files.get(path);
    return {
      name: path.split('/').pop() ?? '',
      path,
      type: content === null ? 'directory' : 'file',
      writable: true,
      created: '2024-01-01T00:00:00Z',
      last_modified: '2024-01-01T00:00:00Z',
      mimetype: '',
      content: null,
      format: null,
      size: content === null || content === undefined ? undefined : content.length
    };
  }

  private check(path: string): void {
    if (this.refuse.has(path)) throw new FakeResponseError(403, `Permission denied: ${path}`);
  }

  async get(path: string, options?: Contents.IFetchOptions): Promise<Contents.IModel> {
    if (path !== '' && !this.files.has(path)) throw new FakeResponseError(404, `No such file or directory: ${path}`);
    if (path !== '' && this.files.get(path) !== null) return this.model(path);
    const prefix = path ? path + '/' : '';
    const children = [...this.files.keys()].filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'));
    return {
      ...this.model(path),
      type: 'directory',
      content: options?.content === false ? null : children.map((p) => this.model(p)),
      format: 'json'
    };
  }

  async rename(from: string, to: string): Promise<Contents.IModel> {
    this.check(from);
    if (!this.files.has(from)) throw new FakeResponseError(404, `No such file: ${from}`);
    if (this.files.has(to)) throw new FakeResponseError(409, `File already exists: ${to}`);
    for (const [p, c] of [...this.files]) {
      if (p === from || p.startsWith(from + '/')) {
        this.files.delete(p);
        this.files.set(to + p.slice(from.length), c);
      }
    }
    const model = this.model(to);
    this.fileChanged.emit({ type: 'rename', oldValue: { path: from }, newValue: model });
    return model;
  }

  async delete(path: string): Promise<void> {
    this.check(path);
    if (!this.files.has(path)) throw new FakeResponseError(404, `No such file: ${path}`);
    for (const p of [...this.files.keys()]) if (p === path || p.startsWith(path + '/')) this.files.delete(p);
    this.fileChanged.emit({ type: 'delete', oldValue: { path }, newValue: null });
  }

  async copy(path: string, toDir: string): Promise<Contents.IModel> {
    this.check(path);
    const name = path.split('/').pop()!;
    const dot = name.indexOf('.');
    const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let target = toDir ? `${toDir}/${name}` : name;
    for (let i = 1; this.files.has(target); i++) target = `${toDir ? toDir + '/' : ''}${base}-Copy${i}${ext}`;
    this.files.set(target, this.files.get(path)!);
    return this.model(target);
  }

  async save(path: string, options: Partial<Contents.IModel> = {}): Promise<Contents.IModel> {
    this.check(path);
    this.saves.push(options);
    const data = atob(String(options.content ?? ''));
    const chunk = options.chunk;
    const previous = chunk !== undefined && chunk !== 1 ? (this.files.get(path) ?? '') : '';
    this.files.set(path, previous + data);
    return this.model(path);
  }

  async newUntitled(options: Contents.ICreateOptions = {}): Promise<Contents.IModel> {
    const dir = options.path ?? '';
    this.check(dir);
    let name = `untitled${options.ext ?? ''}`;
    for (let i = 1; this.files.has(dir ? `${dir}/${name}` : name); i++) name = `untitled${i}${options.ext ?? ''}`;
    const path = dir ? `${dir}/${name}` : name;
    this.files.set(path, '');
    return this.model(path);
  }

  async getDownloadUrl(path: string): Promise<string> {
    return `http://host/files/${path}`;
  }
}

/** A named Blob, as a browser File is. */
function file(name: string, text: string): Blob & { name: string } {
  return Object.assign(new Blob([text]), { name });
}

const names = (model: FileBrowserModel) => model.items.map((i) => i.name);

describe('file operations', () => {
  let contents: MemoryContents;
  let model: FileBrowserModel;

  beforeEach(async () => {
    contents = new MemoryContents();
    for (const [p, c] of Object.entries({
      'a.txt': 'A',
      'b.txt': 'B',
      'c.py': 'print(1)',
      docs: null,
      'docs/readme.md': '# hi'
    })) {
      contents.files.set(p, c);
    }
    model = new FileBrowserModel({ contents, pollInterval: 0, isVisible: () => true });
    await model.cd('');
  });

  afterEach(() => model.dispose());

  describe('selection', () => {
    it('click replaces, Ctrl+click toggles, Shift+click selects the range in listing order', () => {
      model.select('a.txt');
      expect([...model.selected]).toEqual(['a.txt']);
      model.select('c.py', 'toggle');
      expect(model.selectedItems.map((i) => i.path)).toEqual(['a.txt', 'c.py']);
      model.select('a.txt', 'toggle');
      expect([...model.selected]).toEqual(['c.py']);
      // Listing: docs, a.txt, b.txt, c.py. The anchor is the last clicked (a.txt).
      model.select('docs', 'range');
      expect(model.selectedItems.map((i) => i.path)).toEqual(['docs', 'a.txt']);
      model.select(null);
      expect(model.selected.size).toBe(0);
    });

    it('drops entries that disappeared from the listing', async () => {
      model.select('a.txt');
      model.select('b.txt', 'toggle');
      contents.files.delete('a.txt');
      await model.refresh();
      expect([...model.selected]).toEqual(['b.txt']);
    });
  });

  describe('rename', () => {
    it('renames in the same folder, lists the new name and keeps it selected', async () => {
      model.select('a.txt');
      expect(await model.rename('a.txt', 'alpha.txt')).toBe('alpha.txt');
      expect(names(model)).toEqual(['docs', 'alpha.txt', 'b.txt', 'c.py']);
      expect([...model.selected]).toEqual(['alpha.txt']);
    });

    it('explains a name clash and leaves both files as they were', async () => {
      const err = await model.rename('a.txt', 'b.txt').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileOperationError);
      expect((err as Error).message).toBe('Cannot rename "a.txt": "b.txt" already exists in the root folder. Choose another name.');
      expect(contents.files.get('a.txt')).toBe('A');
      expect(contents.files.get('b.txt')).toBe('B');
      expect(names(model)).toEqual(['docs', 'a.txt', 'b.txt', 'c.py']);
    });

    it('refuses empty names and names with a slash without asking the server', async () => {
      await expect(model.rename('a.txt', '  ')).rejects.toThrow('a name cannot be empty');
      await expect(model.rename('a.txt', 'x/y.txt')).rejects.toThrow('contains a slash');
      expect(contents.files.has('a.txt')).toBe(true);
    });

    it('an unchanged name is no request at all', async () => {
      contents.refuse.add('a.txt');
      expect(await model.rename('a.txt', 'a.txt')).toBe('a.txt');
    });

    it('reports the server refusal (403) and still lists the folder as it is', async () => {
      contents.refuse.add('a.txt');
      await expect(model.rename('a.txt', 'z.txt')).rejects.toThrow('Cannot rename "a.txt" to "z.txt": Permission denied: a.txt');
      expect(names(model)).toEqual(['docs', 'a.txt', 'b.txt', 'c.py']);
    });
  });

  describe('delete', () => {
    it('deletes several items, folders with their contents', async () => {
      await model.delete(['a.txt', 'docs']);
      expect(names(model)).toEqual(['b.txt', 'c.py']);
      expect(contents.files.has('docs/readme.md')).toBe(false);
    });

    it('deletes what it may and names what the server refused', async () => {
      contents.refuse.add('b.txt');
      await expect(model.delete(['a.txt', 'b.txt', 'c.py'])).rejects.toThrow('Cannot delete "b.txt": Permission denied: b.txt');
      expect(names(model)).toEqual(['docs', 'b.txt']);
    });
  });

  describe('duplicate, copy, cut and paste', () => {
    it('duplicates next to the original as "<name>-Copy1"', async () => {
      expect(await model.duplicate(['a.txt'])).toEqual(['a-Copy1.txt']);
      expect(names(model)).toContain('a-Copy1.txt');
      expect(contents.files.get('a-Copy1.txt')).toBe('A');
    });

    it('pastes copies into another folder, keeping the originals', async () => {
      model.copy(['a.txt', 'c.py']);
      expect(await model.paste('docs')).toEqual(['docs/a.txt', 'docs/c.py']);
      expect(contents.files.get('docs/c.py')).toBe('print(1)');
      expect(contents.files.get('a.txt')).toBe('A');
      // A copy can be pasted again.
      expect(model.clipboard).toEqual({ mode: 'copy', paths: ['a.txt', 'c.py'] });
    });

    it('moves cut items into the current folder, then empties the clipboard', async () => {
      model.cut(['a.txt']);
      await model.cd('docs');
      expect(await model.paste()).toEqual(['docs/a.txt']);
      expect(names(model)).toEqual(['a.txt', 'readme.md']);
      expect(contents.files.has('a.txt')).toBe(false);
      expect(model.clipboard).toBeNull();
    });

    it('a move onto a taken name fails with a clear message and moves nothing', async () => {
      contents.files.set('docs/a.txt', 'other');
      model.cut(['a.txt']);
      await expect(model.paste('docs')).rejects.toThrow('Cannot move "a.txt": "a.txt" already exists in "docs". Choose another name.');
      expect(contents.files.get('a.txt')).toBe('A');
      expect(contents.files.get('docs/a.txt')).toBe('other');
    });

    it('will not paste a folder into itself', async () => {
      model.copy(['docs']);
      await expect(model.paste('docs')).rejects.toThrow('cannot put a folder inside itself');
    });
  });

  describe('new file, download', () => {
    it('creates untitled.txt, then untitled1.txt, and selects it', async () => {
      expect(await model.newFile()).toBe('untitled.txt');
      expect(await model.newFile()).toBe('untitled1.txt');
      expect(names(model)).toContain('untitled1.txt');
      expect([...model.selected]).toEqual(['untitled1.txt']);
    });

    it('download URLs ask for an attachment', async () => {
      expect(await model.downloadUrl('docs/readme.md')).toBe('http://host/files/docs/readme.md?download=1');
    });
  });

  describe('upload', () => {
    it('uploads a small file in one request, into the current folder', async () => {
      await model.cd('docs');
      expect(await model.upload(file('new.csv', 'x,y\n1,2\n'))).toBe('docs/new.csv');
      expect(contents.files.get('docs/new.csv')).toBe('x,y\n1,2\n');
      expect(contents.saves.map((s) => s.chunk)).toEqual([undefined]);
      expect(names(model)).toEqual(['new.csv', 'readme.md']);
      expect(model.uploads).toEqual([]);
    });

    it('sends a large file in chunks numbered 1, 2, ..., -1, reporting progress', async () => {
      const progress: number[] = [];
      model.uploadsChanged(() => {
        for (const u of model.uploads) progress.push(u.loaded);
      });
      await model.upload(file('big.bin', '0123456789'), { chunkSize: 4 });
      expect(contents.saves.map((s) => s.chunk)).toEqual([1, 2, -1]);
      expect(contents.saves.every((s) => s.format === 'base64' && s.type === 'file')).toBe(true);
      expect(contents.files.get('big.bin')).toBe('0123456789');
      expect(progress).toEqual([0, 4, 8, 10]);
    });

    it('a refused upload is reported and listed as failed until the next one', async () => {
      contents.refuse.add('secret.txt');
      await expect(model.upload(file('secret.txt', 'x'))).rejects.toThrow('Cannot upload "secret.txt": Permission denied');
      expect(model.uploads).toMatchObject([{ path: 'secret.txt', error: 'Permission denied: secret.txt' }]);
      await model.upload(file('ok.txt', 'fine'));
      expect(model.uploads).toEqual([]);
    });

    it('reports whether a name is taken on the server', async () => {
      expect(await model.exists('a.txt')).toBe(true);
      expect(await model.exists('nope.txt')).toBe(false);
    });
  });
});

describe('uploadFile', () => {
  it('deletes the incomplete file when a later chunk fails', async () => {
    const contents = new MemoryContents();
    let calls = 0;
    const save = contents.save.bind(contents);
    contents.save = async (path, options) => {
      if (++calls === 2) throw new FakeResponseError(500, 'disk full');
      return save(path, options);
    };
    await expect(uploadFile(contents, 'half.bin', file('half.bin', 'abcdefgh'), { chunkSize: 4 })).rejects.toThrow('disk full');
    expect(contents.files.has('half.bin')).toBe(false);
  });

  it('encodes any bytes as base64', async () => {
    const bytes = new Uint8Array(70000).map((_, i) => i % 256);
    const encoded = await toBase64(new Blob([bytes]));
    expect(Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))).toEqual(bytes);
  });
});

describe('checkName', () => {
  it('accepts ordinary names, spaces and non-ASCII; refuses empty, slashes, . and ..', () => {
    expect(checkName('my file ü.txt')).toBeNull();
    expect(checkName('')).not.toBeNull();
    expect(checkName('a/b')).not.toBeNull();
    expect(checkName('a\\b')).not.toBeNull();
    expect(checkName('..')).not.toBeNull();
  });
});
