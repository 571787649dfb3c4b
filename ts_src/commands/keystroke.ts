/**
 * Keystrokes as canonical strings: modifiers in the order `Ctrl Alt Shift Cmd`, then
 * the key ("Ctrl Shift C", "Shift Enter", "A", "ArrowUp", "-"). `Accel` in a binding
 * means Cmd on macOS and Ctrl elsewhere. Letters are upper case and digits and
 * punctuation are named by the physical key, so Shift does not change the key name.
 */

const MODIFIERS = ['Ctrl', 'Alt', 'Shift', 'Cmd'] as const;

const ALIASES: Record<string, string> = {
  Control: 'Ctrl',
  Meta: 'Cmd',
  Command: 'Cmd',
  Option: 'Alt',
  Esc: 'Escape',
  Up: 'ArrowUp',
  Down: 'ArrowDown',
  Left: 'ArrowLeft',
  Right: 'ArrowRight',
  ' ': 'Space',
  Minus: '-',
  Del: 'Delete'
};

/** Whether the page runs on macOS (where `Accel` is Cmd). */
export function isMac(nav: { platform?: string; userAgent?: string } = globalThis.navigator ?? {}): boolean {
  return /Mac|iPhone|iPad/.test(nav.platform ?? nav.userAgent ?? '');
}

/**
 * Parse a keystroke written by a person ("accel shift c", "Ctrl-Shift-Minus") into
 * its canonical form.
 * @throws Error when the keystroke has no key or an unknown modifier order problem.
 */
export function normalizeKeystroke(keystroke: string, mac = isMac()): string {
  const parts = keystroke
    .trim()
    .split(/[\s+]+|-(?=.)/)
    .filter((p) => p.length > 0);
  const mods = new Set<string>();
  let key = '';
  for (const raw of parts) {
    let part = ALIASES[raw] ?? raw;
    const lower = part.toLowerCase();
    if (lower === 'accel') part = mac ? 'Cmd' : 'Ctrl';
    else if (lower === 'ctrl' || lower === 'control') part = 'Ctrl';
    else if (lower === 'alt' || lower === 'option') part = 'Alt';
    else if (lower === 'shift') part = 'Shift';
    else if (lower === 'cmd' || lower === 'meta') part = 'Cmd';
    if ((MODIFIERS as readonly string[]).includes(part)) {
      mods.add(part);
      continue;
    }
    if (key) throw new Error(`Keystroke "${keystroke}" names two keys: "${key}" and "${part}"`);
    key = part.length === 1 ? part.toUpperCase() : canonicalName(part);
  }
  if (!key) throw new Error(`Keystroke "${keystroke}" names no key`);
  return [...MODIFIERS.filter((m) => mods.has(m)), key].join(' ');
}

/** Named keys whose `KeyboardEvent.key` has inner capitals, so "pagedown" can be matched. */
const CAMEL_KEYS = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'ContextMenu'];

function canonicalName(name: string): string {
  const alias = ALIASES[name] ?? ALIASES[name[0]!.toUpperCase() + name.slice(1)];
  if (alias) return alias.length === 1 ? alias.toUpperCase() : alias;
  const camel = CAMEL_KEYS.find((k) => k.toLowerCase() === name.toLowerCase());
  if (camel) return camel;
  return name[0]!.toUpperCase() + name.slice(1);
}

const CODE_KEYS: Record<string, string> = {
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Semicolon: ';',
  Quote: "'",
  Backquote: '`',
  Backslash: '\\',
  Comma: ',',
  Period: '.',
  Slash: '/',
  Space: 'Space'
};

/** The subset of a KeyboardEvent that {@link keystrokeForEvent} reads. */
export interface KeyEventLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/**
 * The canonical keystroke of a keydown event, or `''` for a lone modifier press.
 * Keys are named from `event.code` for letters, digits and punctuation (so Shift+1 is
 * "Shift 1", not "!") and from `event.key` for named keys.
 */
export function keystrokeForEvent(event: KeyEventLike): string {
  let key: string;
  const letter = /^Key([A-Z])$/.exec(event.code);
  const digit = /^(?:Digit|Numpad)(\d)$/.exec(event.code);
  if (letter) key = letter[1]!;
  else if (digit) key = digit[1]!;
  else if (CODE_KEYS[event.code]) key = CODE_KEYS[event.code]!;
  else if (['Control', 'Alt', 'Shift', 'Meta', 'AltGraph', 'CapsLock'].includes(event.key)) return '';
  else key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
  const mods: string[] = [];
  if (event.ctrlKey) mods.push('Ctrl');
  if (event.altKey) mods.push('Alt');
  if (event.shiftKey) mods.push('Shift');
  if (event.metaKey) mods.push('Cmd');
  return [...mods, key].join(' ');
}

/** How a keystroke is shown to people ("Ctrl+Shift+C", "⌘⇧C" on macOS). */
export function formatKeystroke(keystroke: string, mac = isMac()): string {
  const parts = keystroke.split(' ');
  if (mac) {
    const symbols: Record<string, string> = { Ctrl: '⌃', Alt: '⌥', Shift: '⇧', Cmd: '⌘' };
    return parts.map((p) => symbols[p] ?? p).join('');
  }
  return parts.join('+');
}
