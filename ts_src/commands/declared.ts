/**
 * Keyboard shortcuts declared in plugins' schemas, as JupyterLab's
 * `jupyter.lab.shortcuts`: each `ts_src/<feature>/schema.json` (or an extension's
 * `jlab_alt_settings_schemas` hook) may give a plugin's schema a `jlab-alt.shortcuts`
 * list. The server hands them to the page in the page config's `shortcuts`
 * (`{plugin id: [...]}`), and the app adds those of every plugin it activates before
 * activation, so no plugin binds keys in code and the user's shortcut settings
 * (applied later) rebind or switch them off.
 */
import type { IDisposable } from '../core/disposable';
import { errorMessage } from '../core/errors';
import type { KeyBindingOptions } from './keybindings';
import type { CommandArgs } from './registry';

/** The schema key holding a plugin's shortcuts. */
export const SHORTCUTS_KEY = 'jlab-alt.shortcuts';

/** One declared shortcut: `selector` defaults to `'body'` (anywhere). */
export interface DeclaredShortcut {
  command: string;
  keys: string[];
  selector?: string;
  args?: CommandArgs;
}

/**
 * Add the shortcuts `declared` lists for `pluginId` (the value of its schema's
 * `jlab-alt.shortcuts`). Entries that are malformed or whose keys cannot be parsed are
 * skipped and reported, each naming the plugin; the others are added.
 * @returns the disposables of the bindings added, and one message per entry skipped.
 */
export function addDeclaredShortcuts(
  keybindings: { addKeyBinding(options: KeyBindingOptions): IDisposable },
  pluginId: string,
  declared: unknown
): { added: IDisposable[]; errors: string[] } {
  const added: IDisposable[] = [];
  const errors: string[] = [];
  if (!Array.isArray(declared)) {
    return { added, errors: [`${pluginId}: "${SHORTCUTS_KEY}" must be a list, not ${JSON.stringify(declared)}`] };
  }
  declared.forEach((entry: unknown, i) => {
    const where = `${pluginId}: shortcut ${i}`;
    const s = entry as Partial<DeclaredShortcut> | null;
    if (
      !s ||
      typeof s !== 'object' ||
      typeof s.command !== 'string' ||
      !Array.isArray(s.keys) ||
      s.keys.length === 0 ||
      !s.keys.every((k) => typeof k === 'string') ||
      (s.selector !== undefined && typeof s.selector !== 'string') ||
      (s.args !== undefined && (typeof s.args !== 'object' || s.args === null || Array.isArray(s.args)))
    ) {
      errors.push(`${where} needs {command, keys: [...], selector?, args?}, not ${JSON.stringify(entry)}`);
      return;
    }
    try {
      const options: KeyBindingOptions = { command: s.command, keys: s.keys, selector: s.selector ?? 'body' };
      if (s.args) options.args = s.args;
      added.push(keybindings.addKeyBinding(options));
    } catch (err) {
      errors.push(`${where} (${s.command}): ${errorMessage(err)}`);
    }
  });
  return { added, errors };
}
