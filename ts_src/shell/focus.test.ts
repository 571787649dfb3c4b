// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { mayTakeFocus } from './focus';

describe('mayTakeFocus', () => {
  it('lets a loaded document take the focus from the page, a tab or the file browser', () => {
    document.body.innerHTML = '<div class="dv-tab" tabindex="0"></div><ul><li tabindex="0">a.txt</li></ul>';
    expect(mayTakeFocus(document.body)).toBe(true);
    expect(mayTakeFocus(null)).toBe(true);
    expect(mayTakeFocus(document.querySelector('.dv-tab'))).toBe(true);
    expect(mayTakeFocus(document.querySelector('li'))).toBe(true);
  });

  it('leaves it where an open palette, dialog or menu holds it', () => {
    document.body.innerHTML = `
      <div role="dialog"><input id="palette"></div>
      <div role="alertdialog"><button id="ok">OK</button></div>
      <ul role="menu"><li role="menuitem" tabindex="-1" id="item">Copy</li></ul>`;
    for (const id of ['palette', 'ok', 'item']) expect(mayTakeFocus(document.getElementById(id))).toBe(false);
  });
});
