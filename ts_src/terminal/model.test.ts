import { describe, expect, it } from 'vitest';
import {
  mergeReplay,
  OpenTerminals,
  OutputTail,
  SnapshotStore,
  TAIL_CHARS,
  terminalCwd,
  type StorageLike,
  type TerminalSnapshot
} from './model';

/** A Storage backed by a Map; `quota` (in characters) makes setItem throw like a full store. */
function memoryStorage(quota = Infinity): StorageLike & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => {
      const used = [...map.entries()].filter(([key]) => key !== k).reduce((n, [, val]) => n + val.length, 0);
      if (used + v.length > quota) throw new DOMException('full', 'QuotaExceededError');
      map.set(k, v);
    },
    removeItem: (k) => void map.delete(k)
  };
}

const snapshot = (screen: string, tail: string): TerminalSnapshot => ({ v: 1, screen, tail, savedAt: 1 });

describe('mergeReplay', () => {
  it('takes the whole replay when the page has seen nothing (a new terminal)', () => {
    expect(mergeReplay('', '$ ')).toEqual({ fresh: '$ ', gap: false });
  });

  it('adds nothing when the replay ends where the page stopped (a plain reload)', () => {
    const seen = 'line 1\r\nline 2\r\n$ ';
    expect(mergeReplay(seen, `older output\r\n${seen}`)).toEqual({ fresh: '', gap: false });
  });

  it('keeps only what came after the page stopped', () => {
    expect(mergeReplay('$ sleep 1; echo done\r\n', 'x\r\n$ sleep 1; echo done\r\ndone\r\n$ ')).toEqual({
      fresh: 'done\r\n$ ',
      gap: false
    });
  });

  it('continues after the last occurrence when the seen tail repeats in the replay', () => {
    expect(mergeReplay('$ ', '$ ls\r\na\r\n$ ')).toEqual({ fresh: '', gap: false });
  });

  it('aligns a replay that begins inside the seen tail (the host kept less than the page)', () => {
    // The page saw "AAAA BBBB CCCC"; the host only kept "BBBB CCCC" and then "DDDD" came.
    expect(mergeReplay('AAAA BBBB CCCC', 'BBBB CCCCDDDD')).toEqual({ fresh: 'DDDD', gap: false });
    expect(mergeReplay('AAAA BBBB CCCC', 'CCCC')).toEqual({ fresh: '', gap: false });
  });

  it('reports a gap when more output came while away than the host keeps', () => {
    expect(mergeReplay('old prompt $ ', 'line 99998\r\nline 99999\r\n$ ')).toEqual({
      fresh: 'line 99998\r\nline 99999\r\n$ ',
      gap: true
    });
  });

  it('treats an empty replay as nothing new', () => {
    expect(mergeReplay('abc', '')).toEqual({ fresh: '', gap: false });
  });
});

describe('OutputTail', () => {
  it('keeps the same last characters as appendTail, whatever the chunks', () => {
    let expected = '';
    const tail = new OutputTail('', 10);
    expect(tail.isEmpty).toBe(true);
    for (const chunk of ['ab', '', 'cdefghij', 'k', 'lmnopqrstuvwxyz0123', '4', '56789']) {
      tail.push(chunk);
      expected = appendTail(expected, chunk, 10);
      expect(tail.text()).toBe(expected);
    }
    expect(tail.isEmpty).toBe(false);
  });

  it('starts from an initial tail and keeps TAIL_CHARS by default', () => {
    const tail = new OutputTail('xyz');
    expect(tail.text()).toBe('xyz');
    for (let i = 0; i < 10; i++) tail.push('y'.repeat(5000));
    expect(tail.text().length).toBe(TAIL_CHARS);
  });
});

/** The reference OutputTail must agree with: the last `max` characters of `tail + chunk`, joined each time. */
function appendTail(tail: string, chunk: string, max = TAIL_CHARS): string {
  const joined = tail + chunk;
  return joined.length > max ? joined.slice(joined.length - max) : joined;
}

describe('appendTail (the reference)', () => {
  it('keeps the last characters only', () => {
    expect(appendTail('abc', 'def', 4)).toBe('cdef');
    expect(appendTail('', 'x'.repeat(TAIL_CHARS + 10)).length).toBe(TAIL_CHARS);
  });
});

describe('SnapshotStore', () => {
  it('saves and loads a snapshot per terminal and server', () => {
    const storage = memoryStorage();
    const a = new SnapshotStore(storage, '/a/');
    const b = new SnapshotStore(storage, '/b/');
    expect(a.save('1', snapshot('screen A', 'tail A'))).toBe(true);
    expect(a.load('1')?.screen).toBe('screen A');
    expect(b.load('1')).toBeNull();
    a.remove('1');
    expect(a.load('1')).toBeNull();
  });

  it('ignores unreadable or foreign data', () => {
    const storage = memoryStorage();
    const store = new SnapshotStore(storage);
    storage.setItem('jlab-alt:terminal:snapshot:1', '{not json');
    expect(store.load('1')).toBeNull();
    storage.setItem('jlab-alt:terminal:snapshot:1', JSON.stringify({ v: 2, screen: 'x', tail: '' }));
    expect(store.load('1')).toBeNull();
  });

  it('drops the stale snapshot when the storage is full, without throwing', () => {
    const storage = memoryStorage(100);
    const store = new SnapshotStore(storage);
    expect(store.save('1', snapshot('small', ''))).toBe(true);
    expect(store.save('1', snapshot('x'.repeat(200), ''))).toBe(false);
    expect(store.load('1')).toBeNull();
  });

  it('works without storage (a browser that refuses it)', () => {
    const store = new SnapshotStore(null);
    expect(store.save('1', snapshot('s', 't'))).toBe(false);
    expect(store.load('1')).toBeNull();
  });
});

describe('OpenTerminals', () => {
  it('remembers open terminal names in order, once each', () => {
    const storage = memoryStorage();
    const open = new OpenTerminals(storage, '/');
    open.add('2');
    open.add('1');
    open.add('2');
    expect(open.names()).toEqual(['2', '1']);
    open.remove('2');
    expect(new OpenTerminals(storage, '/').names()).toEqual(['1']);
  });

  it('reads garbage as no terminals', () => {
    const storage = memoryStorage();
    storage.setItem('jlab-alt:terminal:open/', '{"a":1}');
    expect(new OpenTerminals(storage, '/').names()).toEqual([]);
  });
});

describe('terminalCwd', () => {
  it('makes the folder absolute under the server root', () => {
    expect(terminalCwd('sub/dir', '/home/me/proj')).toBe('/home/me/proj/sub/dir');
    expect(terminalCwd('', '/home/me/proj/')).toBe('/home/me/proj');
    expect(terminalCwd('', '/')).toBe('/');
  });

  it('sends the path relative, or nothing for the root, without a server root', () => {
    expect(terminalCwd('sub', undefined)).toBe('sub');
    expect(terminalCwd('', undefined)).toBeUndefined();
  });
});
