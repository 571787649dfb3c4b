import { describe, expect, it } from 'vitest';
import { arrangeItems, chooseLogo, kernelInitials, LauncherItem, LauncherModel, RecentKernels, sameOriginLogoUrl } from './model';

const label = (item: LauncherItem) => String(item.args?.label ?? item.command);
const nb = (kernelName: string, rank: number): LauncherItem => ({
  command: 'notebook:create-new',
  args: { label: kernelName === 'python3' ? 'Python 3' : kernelName === 'ir' ? 'R' : 'Julia 1.10' },
  category: 'Notebook',
  rank,
  kernelName
});

describe('LauncherModel', () => {
  it('adds items and removes them when the disposable is disposed, firing changed each time', () => {
    const model = new LauncherModel();
    let fired = 0;
    model.changed(() => fired++);
    const d = model.add(nb('python3', 0));
    model.add(nb('ir', 1));
    expect(model.items.map((i) => i.kernelName)).toEqual(['python3', 'ir']);
    d.dispose();
    d.dispose();
    expect(model.items.map((i) => i.kernelName)).toEqual(['ir']);
    expect(fired).toBe(3);
  });
});

describe('arrangeItems', () => {
  const items: LauncherItem[] = [
    { command: 'file', args: { label: 'Text File' }, category: 'Other', rank: 1 },
    { command: 'console', args: { label: 'Python 3' }, category: 'Console', rank: 0, kernelName: 'python3' },
    nb('julia', 2),
    nb('python3', 0),
    { command: 'x', args: { label: 'Extra' }, category: 'Zeta' },
    nb('ir', 1),
    { command: 'md', args: { label: 'Markdown File' }, category: 'Other', rank: 2 }
  ];

  it('orders sections Notebook, Console, Other, then others by name, and cards by rank', () => {
    const sections = arrangeItems(items, { label });
    expect(sections.map((s) => s.category)).toEqual(['Notebook', 'Console', 'Other', 'Zeta']);
    expect(sections[0]!.cards.map((c) => c.label)).toEqual(['Python 3', 'R', 'Julia 1.10']);
    expect(sections[2]!.cards.map((c) => c.label)).toEqual(['Text File', 'Markdown File']);
  });

  it('puts recently used kernels first, most recent first, in every section', () => {
    const sections = arrangeItems(items, { label, recentKernels: ['julia', 'ir'] });
    expect(sections[0]!.cards.map((c) => c.item.kernelName)).toEqual(['julia', 'ir', 'python3']);
  });

  it('filters by every word of the query over category, label and kernel name, dropping empty sections', () => {
    expect(arrangeItems(items, { label, query: 'python' }).map((s) => [s.category, s.cards.length])).toEqual([
      ['Notebook', 1],
      ['Console', 1]
    ]);
    expect(arrangeItems(items, { label, query: 'NOTEBOOK  r' })[0]!.cards.map((c) => c.label)).toEqual(['R']);
    expect(arrangeItems(items, { label, query: 'file mark' })).toEqual([
      { category: 'Other', cards: [{ item: items[6], label: 'Markdown File' }] }
    ]);
    expect(arrangeItems(items, { label, query: 'nothing like this' })).toEqual([]);
  });

  it('leaves out cards that are unavailable or have no label', () => {
    const sections = arrangeItems(items, {
      label: (i) => (i.command === 'x' ? '' : label(i)),
      available: (i) => i.command !== 'console'
    });
    expect(sections.map((s) => s.category)).toEqual(['Notebook', 'Other']);
  });
});

describe('RecentKernels', () => {
  const storage = () => {
    const data = new Map<string, string>();
    return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v), data };
  };

  it('remembers kernels most recent first, without duplicates, up to max', () => {
    const s = storage();
    const recent = new RecentKernels(s, 3);
    for (const k of ['a', 'b', 'a', 'c', 'd']) recent.use(k);
    expect(recent.list).toEqual(['d', 'c', 'a']);
    expect(new RecentKernels(s, 3).list).toEqual(['d', 'c', 'a']);
  });

  it('treats unreadable storage as empty and survives a storage that refuses writes', () => {
    const s = storage();
    s.setItem('jlab-alt:launcher:recent-kernels', '{not json');
    expect(new RecentKernels(s).list).toEqual([]);
    s.setItem('jlab-alt:launcher:recent-kernels', JSON.stringify(['ok', 3, null]));
    expect(new RecentKernels(s).list).toEqual(['ok']);
    const full = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
    const recent = new RecentKernels(full);
    expect(() => recent.use('python3')).not.toThrow();
    expect(new RecentKernels(null).list).toEqual([]);
  });
});

describe('sameOriginLogoUrl', () => {
  const page = 'http://127.0.0.1:8888/a%40b/jlab-alt/tree/project';

  it('resolves the host-relative logo paths the host lists to this server', () => {
    expect(sameOriginLogoUrl('/a%40b/kernelspecs/python3/logo-svg.svg', page)).toBe(
      'http://127.0.0.1:8888/a%40b/kernelspecs/python3/logo-svg.svg'
    );
    expect(sameOriginLogoUrl('http://127.0.0.1:8888/kernelspecs/ir/logo-64x64.png', page)).toBe(
      'http://127.0.0.1:8888/kernelspecs/ir/logo-64x64.png'
    );
  });

  it('refuses script, data and other sites, and a missing or malformed URL', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:image/svg+xml,<svg onload=alert(1)>',
      'https://evil.example/logo.svg',
      '//evil.example/logo.svg',
      'http://127.0.0.1:9999/kernelspecs/x/logo.svg',
      'http://[::1',
      '',
      undefined
    ]) {
      expect(sameOriginLogoUrl(url, page), String(url)).toBeNull();
    }
  });
});

describe('chooseLogo', () => {
  const page = 'http://localhost:8888/jlab-alt';
  it('prefers a PNG, whose size the kernelspec format fixes, and checks nothing', () => {
    expect(
      chooseLogo({ 'logo-svg': '/kernelspecs/py/logo-svg.svg', 'logo-32x32': '/kernelspecs/py/logo-32x32.png', 'logo-64x64': '/kernelspecs/py/logo-64x64.png' }, page)
    ).toEqual({ url: 'http://localhost:8888/kernelspecs/py/logo-64x64.png', checkSize: false });
    expect(chooseLogo({ 'logo-32x32': '/kernelspecs/py/logo-32x32.png' }, page)?.url).toBe('http://localhost:8888/kernelspecs/py/logo-32x32.png');
  });
  it('takes an SVG only with a size check (bash_kernel lists nothing else)', () => {
    expect(chooseLogo({ 'logo-svg': '/kernelspecs/bash/logo-svg.svg' }, page)).toEqual({
      url: 'http://localhost:8888/kernelspecs/bash/logo-svg.svg',
      checkSize: true
    });
  });
  it('gives null without a logo of this origin', () => {
    expect(chooseLogo({}, page)).toBeNull();
    expect(chooseLogo({ 'logo-64x64': 'https://evil.example/x.png', 'logo-svg': 'javascript:alert(1)' }, page)).toBeNull();
  });
});

describe('kernelInitials', () => {
  it('takes the first letters of up to two words, leaving out parentheses', () => {
    expect(kernelInitials('Bash')).toBe('B');
    expect(kernelInitials('Python 3 (ipykernel)')).toBe('P3');
    expect(kernelInitials('Big Logo (test)')).toBe('BL');
    expect(kernelInitials('xeus-python')).toBe('XP');
    expect(kernelInitials('  ')).toBe('?');
  });
});
