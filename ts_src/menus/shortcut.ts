import type { IDisposable } from '../core/disposable';
import { formatKeystroke } from '../commands/keystroke';
import type { KeybindingRegistry } from '../commands/keybindings';

/**
 * A command's shortcut as the palette shows it: every keystroke of its most recent
 * binding, formatted for this platform ("Ctrl+S", "⌘S"; chords as "I, I"); "" when
 * it has none. Menus and toolbars use this, never hard-coded text.
 */
export function shortcutText(keybindings: KeybindingRegistry, command: string): string {
  const binding = keybindings.bindingFor(command);
  return binding ? binding.keys.map((k) => formatKeystroke(k)).join(', ') : '';
}

/** `label` followed by `command`'s shortcut in parentheses ("File Browser (Ctrl+Shift+F)"), or `label` alone. */
export function withShortcut(keybindings: KeybindingRegistry, label: string, command: string): string {
  const shortcut = shortcutText(keybindings, command);
  return shortcut ? `${label} (${shortcut})` : label;
}

/**
 * Keep `title.caption` at {@link withShortcut}, now and whenever the bindings change (the
 * user rebinds `command` in the settings). Dispose the result to stop.
 */
export function captionWithShortcut(
  title: { caption: string },
  keybindings: KeybindingRegistry,
  label: string,
  command: string
): IDisposable {
  const update = () => (title.caption = withShortcut(keybindings, label, command));
  update();
  return keybindings.changed(update);
}
