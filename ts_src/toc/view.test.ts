// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { Emitter } from '../core/emitter';
import { Widget } from '../shell/widget';
import type { TocItem } from './model';
import { DEFAULT_NUMBERING } from './numbering';
import type { TocProvider } from './registry';
import { TocPanel } from './view';

function item(n: number, text = `Heading ${n}`): TocItem {
  return { key: `c${n}:0`, text, level: 2, skip: false, numbering: '', cellIndex: n * 4, position: 0, origin: 'markdown' };
}

class FakeProvider implements TocProvider {
  items: TocItem[] = [];
  activeIndex = -1;
  private readonly emitter = new Emitter<void>();
  readonly changed = this.emitter.event;
  jumped: TocItem[] = [];
  emit(): void {
    this.emitter.emit();
  }
  jump(i: TocItem): void {
    this.jumped.push(i);
  }
  runSection(): void {}
  toggleCollapsed(): void {}
  setNumbering(): void {}
  dispose(): void {}
}

async function shown(provider: FakeProvider): Promise<TocPanel> {
  const panel = new TocPanel(() => provider, DEFAULT_NUMBERING);
  document.body.appendChild(panel.node);
  panel.setWidget(new Widget('doc', 'Doc'));
  panel.onShow();
  await Promise.resolve();
  await Promise.resolve();
  return panel;
}

const rows = (panel: TocPanel) => [...panel.node.querySelectorAll<HTMLElement>('[data-testid="toc-item"]')];

/** The elements whose attributes or text change while `fn` runs. */
async function touched(panel: TocPanel, fn: () => void): Promise<Set<Node>> {
  const seen = new Set<Node>();
  const observer = new MutationObserver((records) => {
    for (const r of records) seen.add(r.type === 'characterData' ? r.target.parentNode! : r.target);
  });
  observer.observe(panel.node, { subtree: true, attributes: true, characterData: true, childList: true });
  fn();
  await Promise.resolve();
  for (const r of observer.takeRecords()) seen.add(r.target);
  observer.disconnect();
  return seen;
}

describe('TocPanel', () => {
  it('lists the headings in order, as text', async () => {
    const provider = new FakeProvider();
    provider.items = [item(0), item(1, '<b>bold</b> & co'), item(2)];
    const panel = await shown(provider);
    expect(rows(panel).map((r) => r.querySelector('[data-testid="toc-text"]')!.textContent)).toEqual(['Heading 0', '<b>bold</b> & co', 'Heading 2']);
    expect(panel.node.querySelector('b')).toBeNull();
  });

  it('a new active section touches only the rows that change', async () => {
    const provider = new FakeProvider();
    provider.items = Array.from({ length: 50 }, (_, i) => item(i));
    provider.activeIndex = 3;
    const panel = await shown(provider);
    const list = rows(panel);
    expect(list[3]!.classList.contains('ja-mod-active')).toBe(true);
    const changed = await touched(panel, () => {
      provider.activeIndex = 40;
      provider.emit();
    });
    expect([...changed]).toEqual(expect.arrayContaining([list[3], list[40]]));
    expect(changed.size).toBe(2);
    expect(list[3]!.classList.contains('ja-mod-active')).toBe(false);
    expect(list[40]!.classList.contains('ja-mod-active')).toBe(true);
    expect(list[40]!.getAttribute('aria-selected')).toBe('true');
  });

  it('keeps the rows of unchanged headings and updates a changed one in place', async () => {
    const provider = new FakeProvider();
    provider.items = [item(0), item(1), item(2)];
    const panel = await shown(provider);
    const [first, second, third] = rows(panel);
    provider.items = [item(0), { ...item(1, 'Renamed'), status: 'error', collapsed: true }, item(3), item(2)];
    provider.emit();
    const now = rows(panel);
    expect(now).toHaveLength(4);
    expect(now[0]).toBe(first);
    expect(now[1]).toBe(second);
    expect(now[3]).toBe(third);
    expect(second!.querySelector('[data-testid="toc-text"]')!.textContent).toBe('Renamed');
    expect(second!.querySelector<HTMLElement>('[data-testid="toc-status"]')!.dataset.state).toBe('error');
    expect(second!.querySelector('[data-testid="toc-toggle"]')!.getAttribute('aria-expanded')).toBe('false');
    expect(first!.querySelector<HTMLElement>('[data-testid="toc-status"]')!.dataset.state).toBe('');
    provider.items = [item(0)];
    provider.emit();
    expect(rows(panel)).toEqual([first]);
  });

  it('a click on a row jumps to its heading', async () => {
    const provider = new FakeProvider();
    provider.items = [item(0), item(1)];
    const panel = await shown(provider);
    rows(panel)[1]!.querySelector<HTMLElement>('[data-testid="toc-text"]')!.click();
    expect(provider.jumped.map((i) => i.key)).toEqual(['c1:0']);
  });
});
