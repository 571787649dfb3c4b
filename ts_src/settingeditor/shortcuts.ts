/**
 * User keyboard shortcuts (setting `shortcuts` of `@jlab-alt/settingeditor:shortcuts`),
 * applied to the keybinding registry, and the conflicts between bindings. DOM-free.
 */
import type { KeyBinding } from '../commands/keybindings';

/** The settings plugin id holding the user's shortcuts. */
export const SHORTCUTS_ID = '@jlab-alt/settingeditor:shortcuts';

/** One user shortcut, as in JupyterLab's shortcut settings. */
export interface UserShortcut {
  command: string;
  /** Keystrokes (a chord is several), e.g. `['Accel Shift K']`. */
  keys: string[];
  /** Where it applies (default `'body'`: everywhere). */
  selector?: string;
  /** True: switch the default binding of `command` to `keys` off instead of adding one. */
  disabled?: boolean;
}

/** The `shortcuts` setting as a list of valid entries (malformed ones are dropped). */
export function parseShortcuts(value: unknown): UserShortcut[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (s): s is UserShortcut =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as UserShortcut).command === 'string' &&
      Array.isArray((s as UserShortcut).keys) &&
      (s as UserShortcut).keys.length > 0 &&
      (s as UserShortcut).keys.every((k) => typeof k === 'string' && k !== '')
  );
}

/** Two bindings that the same keys would both trigger. */
export interface Conflict {
  keys: string[];
  commands: string[];
}

const sameKeys = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((k, i) => k === b[i]);
/** One chord being the start of another: the shorter one waits, so both are hard to use. */
const prefixOf = (a: readonly string[], b: readonly string[]) => a.length < b.length && a.every((k, i) => k === b[i]);

/**
 * Bindings of `bindings` that clash with `candidate`: the same keys (or one chord the
 * start of the other) for another command, where both selectors could apply (the same
 * selector, or one of them `body`). Keys are compared in canonical form.
 */
export function conflictsWith(candidate: Pick<KeyBinding, 'keys' | 'selector' | 'command'>, bindings: readonly KeyBinding[]): KeyBinding[] {
  return bindings.filter(
    (b) =>
      b.command !== candidate.command &&
      (sameKeys(b.keys, candidate.keys) || prefixOf(b.keys, candidate.keys) || prefixOf(candidate.keys, b.keys)) &&
      (b.selector === candidate.selector || b.selector === 'body' || candidate.selector === 'body')
  );
}

/** Every set of user bindings that clash with another binding (each reported once). */
export function findConflicts(user: readonly KeyBinding[], all: readonly KeyBinding[]): Conflict[] {
  const seen = new Set<string>();
  const conflicts: Conflict[] = [];
  for (const binding of user) {
    const others = conflictsWith(binding, all);
    if (others.length === 0) continue;
    const commands = [...new Set([binding.command, ...others.map((o) => o.command)])].sort();
    const id = `${binding.keys.join(' ')}|${commands.join(',')}`;
    if (seen.has(id)) continue;
    seen.add(id);
    conflicts.push({ keys: binding.keys, commands });
  }
  return conflicts;
}

/**
 * The `shortcuts` setting after the person bound `keys` to `command` in place of its
 * current binding `previous` (switched off, when there was one), and switched off the
 * bindings in `replacing` (conflicts the person chose to override).
 */
export function rebind(
  shortcuts: readonly UserShortcut[],
  command: string,
  keys: string[],
  selector: string,
  previous: Pick<KeyBinding, 'keys' | 'selector'> | null,
  replacing: readonly Pick<KeyBinding, 'keys' | 'selector' | 'command'>[] = []
): UserShortcut[] {
  const next = shortcuts.filter((s) => !(s.command === command && !s.disabled));
  if (previous && !next.some((s) => s.command === command && s.disabled && sameKeys(s.keys, previous.keys))) {
    next.push({ command, keys: [...previous.keys], selector: previous.selector, disabled: true });
  }
  // A binding back to the keys that were switched off just switches them on again.
  const restored = next.findIndex((s) => s.command === command && s.disabled && sameKeys(s.keys, keys));
  if (restored >= 0) next.splice(restored, 1);
  else next.push({ command, keys, selector });
  for (const other of replacing) {
    next.push({ command: other.command, keys: [...other.keys], selector: other.selector, disabled: true });
  }
  return next;
}
