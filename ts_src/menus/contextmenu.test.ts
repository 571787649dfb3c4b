// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { ContextMenu, MenuEntries } from './contextmenu';

const key = (key: string) => document.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
const focusedLabel = () => (document.activeElement as HTMLElement).querySelector('.ja-Menu-label')?.textContent;

describe('ContextMenu', () => {
  const ran: string[] = [];
  const entries = (): MenuEntries => [
    { id: 'open', label: 'Open', run: () => ran.push('open') },
    'separator',
    { id: 'rename', label: 'Rename', shortcut: 'F2', run: () => ran.push('rename') },
    { id: 'paste', label: 'Paste', disabled: true, run: () => ran.push('paste') },
    { id: 'delete', label: '<b>Delete</b>', run: () => ran.push('delete') }
  ];
  let opener: HTMLButtonElement;

  function open(): ContextMenu {
    opener = document.createElement('button');
    document.body.appendChild(opener);
    opener.focus();
    return ContextMenu.open(entries(), 10, 10);
  }

  afterEach(() => {
    document.body.replaceChildren();
    ran.length = 0;
  });

  it('focuses the first item; arrows skip disabled items and wrap; Enter runs and closes', () => {
    const menu = open();
    expect(focusedLabel()).toBe('Open');
    key('ArrowDown');
    expect(focusedLabel()).toBe('Rename');
    key('ArrowDown');
    expect(focusedLabel()).toBe('<b>Delete</b>');
    key('ArrowDown');
    expect(focusedLabel()).toBe('Open');
    key('ArrowUp');
    key('Enter');
    expect(ran).toEqual(['delete']);
    expect(menu.node.isConnected).toBe(false);
    expect(document.activeElement).toBe(opener);
  });

  it('labels are text, shortcuts show, disabled items are marked', () => {
    const menu = open();
    expect(menu.node.querySelector('b')).toBeNull();
    expect(menu.node.querySelector('[data-id="rename"] .ja-Menu-shortcut')!.textContent).toBe('F2');
    expect(menu.node.querySelector<HTMLButtonElement>('[data-id="paste"]')!.disabled).toBe(true);
  });

  it('Escape closes without running anything; so does a click outside', () => {
    let menu = open();
    key('Escape');
    expect(menu.node.isConnected).toBe(false);
    expect(ContextMenu.isOpen).toBe(false);
    menu = open();
    document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    expect(menu.node.isConnected).toBe(false);
    expect(ran).toEqual([]);
  });

  it('opening another menu closes the first', () => {
    const first = open();
    const second = ContextMenu.open(entries(), 0, 0);
    expect(first.node.isConnected).toBe(false);
    expect(second.node.isConnected).toBe(true);
    expect(document.querySelectorAll('.ja-Menu')).toHaveLength(1);
  });
});
