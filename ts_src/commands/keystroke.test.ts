import { describe, expect, it } from 'vitest';
import { KeyEventLike, formatKeystroke, isMac, keystrokeForEvent, normalizeKeystroke } from './keystroke';

function key(init: Partial<KeyEventLike> & Pick<KeyEventLike, 'key' | 'code'>): KeyEventLike {
  return { ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...init };
}

describe('isMac', () => {
  it('recognises macOS and iOS platforms', () => {
    expect(isMac({ platform: 'MacIntel' })).toBe(true);
    expect(isMac({ platform: 'iPad' })).toBe(true);
    expect(isMac({ platform: 'iPhone' })).toBe(true);
  });

  it('does not treat Windows or Linux as mac', () => {
    expect(isMac({ platform: 'Win32' })).toBe(false);
    expect(isMac({ platform: 'Linux x86_64' })).toBe(false);
  });

  it('falls back to the user agent when the platform is unknown', () => {
    expect(isMac({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)' })).toBe(true);
    expect(isMac({ userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' })).toBe(false);
    expect(isMac({})).toBe(false);
  });
});

describe('normalizeKeystroke', () => {
  it('maps Accel to Cmd on mac and to Ctrl elsewhere', () => {
    expect(normalizeKeystroke('Accel S', true)).toBe('Cmd S');
    expect(normalizeKeystroke('Accel S', false)).toBe('Ctrl S');
    expect(normalizeKeystroke('accel shift c', true)).toBe('Shift Cmd C');
    expect(normalizeKeystroke('accel shift c', false)).toBe('Ctrl Shift C');
  });

  it('orders modifiers Ctrl Alt Shift Cmd whatever order they are written in', () => {
    expect(normalizeKeystroke('Cmd Shift Alt Ctrl K', true)).toBe('Ctrl Alt Shift Cmd K');
    expect(normalizeKeystroke('Shift Ctrl Enter', false)).toBe('Ctrl Shift Enter');
  });

  it('accepts spaces, "+" and "-" as separators, and lower case', () => {
    expect(normalizeKeystroke('ctrl+shift+c', false)).toBe('Ctrl Shift C');
    expect(normalizeKeystroke('Ctrl-Shift-C', false)).toBe('Ctrl Shift C');
    expect(normalizeKeystroke('  Ctrl   Shift  C ', false)).toBe('Ctrl Shift C');
  });

  it('upper-cases letters so "a" and "A" are the same key', () => {
    expect(normalizeKeystroke('a', false)).toBe('A');
    expect(normalizeKeystroke('shift a', false)).toBe('Shift A');
  });

  it('understands modifier aliases', () => {
    expect(normalizeKeystroke('Control Option Meta X', false)).toBe('Ctrl Alt Cmd X');
    expect(normalizeKeystroke('Command Z', false)).toBe('Cmd Z');
  });

  it('understands key aliases', () => {
    expect(normalizeKeystroke('Esc', false)).toBe('Escape');
    expect(normalizeKeystroke('esc', false)).toBe('Escape');
    expect(normalizeKeystroke('Up', false)).toBe('ArrowUp');
    expect(normalizeKeystroke('shift down', false)).toBe('Shift ArrowDown');
    expect(normalizeKeystroke('Left', false)).toBe('ArrowLeft');
    expect(normalizeKeystroke('right', false)).toBe('ArrowRight');
    expect(normalizeKeystroke('Del', false)).toBe('Delete');
  });

  it('capitalises named keys the way KeyboardEvent.key spells them', () => {
    expect(normalizeKeystroke('shift enter', false)).toBe('Shift Enter');
    expect(normalizeKeystroke('escape', false)).toBe('Escape');
    expect(normalizeKeystroke('Tab', false)).toBe('Tab');
    expect(normalizeKeystroke('f5', false)).toBe('F5');
    expect(normalizeKeystroke('space', false)).toBe('Space');
    expect(normalizeKeystroke('ArrowUp', false)).toBe('ArrowUp');
    expect(normalizeKeystroke('PageDown', false)).toBe('PageDown');
  });

  it('spells named keys with inner capitals correctly when written in lower case', () => {
    expect(normalizeKeystroke('ctrl arrowup', false)).toBe('Ctrl ArrowUp');
    expect(normalizeKeystroke('pagedown', false)).toBe('PageDown');
  });

  it('handles the minus key, written as "-" or "Minus"', () => {
    expect(normalizeKeystroke('-', false)).toBe('-');
    expect(normalizeKeystroke('Ctrl-Shift-Minus', false)).toBe('Ctrl Shift -');
    expect(normalizeKeystroke('Ctrl Shift -', false)).toBe('Ctrl Shift -');
    expect(normalizeKeystroke('Ctrl--', false)).toBe('Ctrl -');
  });

  it('keeps digits and punctuation as they are', () => {
    expect(normalizeKeystroke('Shift 1', false)).toBe('Shift 1');
    expect(normalizeKeystroke('Accel /', false)).toBe('Ctrl /');
    expect(normalizeKeystroke('Accel =', true)).toBe('Cmd =');
  });

  it('ignores a repeated modifier', () => {
    expect(normalizeKeystroke('Ctrl Ctrl S', false)).toBe('Ctrl S');
    expect(normalizeKeystroke('Accel Ctrl S', false)).toBe('Ctrl S');
  });

  it('rejects a keystroke with no key', () => {
    expect(() => normalizeKeystroke('Ctrl Shift', false)).toThrow(/no key/);
    expect(() => normalizeKeystroke('', false)).toThrow(/no key/);
  });

  it('rejects a keystroke naming two keys', () => {
    expect(() => normalizeKeystroke('Ctrl A B', false)).toThrow(/two keys/);
  });

  it('is idempotent, so canonical keystrokes can be normalised again', () => {
    for (const k of ['Ctrl Shift C', 'Shift Enter', 'Cmd -', 'Alt ArrowUp', 'Space', 'Ctrl Alt Shift Cmd F12']) {
      expect(normalizeKeystroke(k, true)).toBe(k);
    }
  });
});

describe('keystrokeForEvent', () => {
  it('names Shift+1 "Shift 1", not "!"', () => {
    expect(keystrokeForEvent(key({ key: '!', code: 'Digit1', shiftKey: true }))).toBe('Shift 1');
  });

  it('names letters by the physical key, upper case, whatever Shift or Alt produce', () => {
    expect(keystrokeForEvent(key({ key: 'a', code: 'KeyA' }))).toBe('A');
    expect(keystrokeForEvent(key({ key: 'A', code: 'KeyA', shiftKey: true }))).toBe('Shift A');
    // Option+C on a mac types "ç"; the shortcut is still Alt C.
    expect(keystrokeForEvent(key({ key: 'ç', code: 'KeyC', altKey: true }))).toBe('Alt C');
  });

  it('names punctuation by the physical key, so Shift does not change it', () => {
    expect(keystrokeForEvent(key({ key: '_', code: 'Minus', shiftKey: true }))).toBe('Shift -');
    expect(keystrokeForEvent(key({ key: '+', code: 'Equal', shiftKey: true }))).toBe('Shift =');
    expect(keystrokeForEvent(key({ key: '?', code: 'Slash', shiftKey: true }))).toBe('Shift /');
    expect(keystrokeForEvent(key({ key: '/', code: 'Slash', ctrlKey: true }))).toBe('Ctrl /');
    expect(keystrokeForEvent(key({ key: ' ', code: 'Space', ctrlKey: true }))).toBe('Ctrl Space');
  });

  it('names numpad digits like the digit row', () => {
    expect(keystrokeForEvent(key({ key: '3', code: 'Numpad3' }))).toBe('3');
  });

  it('names other keys by KeyboardEvent.key', () => {
    expect(keystrokeForEvent(key({ key: 'Enter', code: 'Enter', shiftKey: true }))).toBe('Shift Enter');
    expect(keystrokeForEvent(key({ key: 'Escape', code: 'Escape' }))).toBe('Escape');
    expect(keystrokeForEvent(key({ key: 'ArrowUp', code: 'ArrowUp', altKey: true }))).toBe('Alt ArrowUp');
    expect(keystrokeForEvent(key({ key: 'F5', code: 'F5' }))).toBe('F5');
  });

  it('lists every held modifier in canonical order', () => {
    const all = key({ key: 'k', code: 'KeyK', ctrlKey: true, altKey: true, shiftKey: true, metaKey: true });
    expect(keystrokeForEvent(all)).toBe('Ctrl Alt Shift Cmd K');
    expect(keystrokeForEvent(key({ key: 's', code: 'KeyS', metaKey: true }))).toBe('Cmd S');
  });

  it('returns an empty string for a modifier pressed on its own', () => {
    expect(keystrokeForEvent(key({ key: 'Shift', code: 'ShiftLeft', shiftKey: true }))).toBe('');
    expect(keystrokeForEvent(key({ key: 'Control', code: 'ControlRight', ctrlKey: true }))).toBe('');
    expect(keystrokeForEvent(key({ key: 'Meta', code: 'MetaLeft', metaKey: true }))).toBe('');
    expect(keystrokeForEvent(key({ key: 'Alt', code: 'AltLeft', altKey: true }))).toBe('');
    expect(keystrokeForEvent(key({ key: 'CapsLock', code: 'CapsLock' }))).toBe('');
  });

  it('produces the same string a written binding normalises to', () => {
    const cases: [string, KeyEventLike][] = [
      ['Accel Shift C', key({ key: 'C', code: 'KeyC', ctrlKey: true, shiftKey: true })],
      ['Shift Enter', key({ key: 'Enter', code: 'Enter', shiftKey: true })],
      ['Ctrl Minus', key({ key: '-', code: 'Minus', ctrlKey: true })],
      ['Esc', key({ key: 'Escape', code: 'Escape' })],
      ['ctrl space', key({ key: ' ', code: 'Space', ctrlKey: true })],
      ['Alt Up', key({ key: 'ArrowUp', code: 'ArrowUp', altKey: true })]
    ];
    for (const [written, event] of cases) {
      expect(keystrokeForEvent(event)).toBe(normalizeKeystroke(written, false));
    }
  });
});

describe('formatKeystroke', () => {
  it('joins parts with "+" on Windows and Linux', () => {
    expect(formatKeystroke('Ctrl Shift C', false)).toBe('Ctrl+Shift+C');
    expect(formatKeystroke('Shift Enter', false)).toBe('Shift+Enter');
    expect(formatKeystroke('A', false)).toBe('A');
  });

  it('uses the mac modifier symbols in the standard ⌃⌥⇧⌘ order on mac', () => {
    expect(formatKeystroke('Cmd S', true)).toBe('⌘S');
    expect(formatKeystroke('Shift Cmd C', true)).toBe('⇧⌘C');
    expect(formatKeystroke('Ctrl Alt Shift Cmd K', true)).toBe('⌃⌥⇧⌘K');
    expect(formatKeystroke('Shift Enter', true)).toBe('⇧Enter');
  });

  it('shows the Accel binding as ⌘ on mac and Ctrl elsewhere', () => {
    expect(formatKeystroke(normalizeKeystroke('Accel S', true), true)).toBe('⌘S');
    expect(formatKeystroke(normalizeKeystroke('Accel S', false), false)).toBe('Ctrl+S');
  });
});
