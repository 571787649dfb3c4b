import { formatKeystroke } from '../commands/keystroke';
import { compareNames } from '../core/collation';

/** A binding as the help lists it. */
export interface ShortcutRow {
  command: string;
  label: string;
  category: string;
  /** Formatted for this platform: "Ctrl+Shift+C", chords "D, D". */
  keys: string;
  /** Where it applies, in words. */
  where: string;
  selector: string;
}

/** What {@link shortcutRows} needs of the registries. */
export interface ShortcutSource {
  bindings: readonly { keys: readonly string[]; selector: string; command: string }[];
  label(command: string): string;
  category(command: string): string;
}

/** Selectors the app uses, in words; others are shown as they are. */
const PLACES: [RegExp, string][] = [
  [/^body$/, 'Everywhere'],
  [/ja-mod-commandMode/, 'Notebook, command mode'],
  [/ja-mod-editMode/, 'Notebook, edit mode'],
  [/ja-NotebookPanel/, 'Notebook'],
  [/ja-FileBrowser/, 'File browser'],
  [/ja-FileEditor/, 'Text editor'],
  [/ja-Console/, 'Console'],
  [/ja-Terminal/, 'Terminal']
];

/** Where a binding's selector applies, in words ("Notebook, command mode"). */
export function describeSelector(selector: string): string {
  for (const [pattern, words] of PLACES) if (pattern.test(selector)) return words;
  return selector;
}

/**
 * The rows of the shortcut help: one per binding with a labelled command, filtered by
 * every word of `query` (in label, category, keys, place or command id, any case), sorted
 * by place ("Everywhere" first), then category and label.
 */
export function shortcutRows(source: ShortcutSource, query = '', mac?: boolean): ShortcutRow[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const rows: ShortcutRow[] = [];
  const seen = new Set<string>();
  for (const b of source.bindings) {
    const label = source.label(b.command);
    if (!label) continue;
    const keys = b.keys.map((k) => formatKeystroke(k, mac)).join(', ');
    const key = `${b.command}\n${keys}\n${b.selector}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const row = { command: b.command, label, category: source.category(b.command), keys, where: describeSelector(b.selector), selector: b.selector };
    const text = `${row.label} ${row.category} ${row.keys} ${row.where} ${row.command}`.toLowerCase();
    if (words.every((w) => text.includes(w))) rows.push(row);
  }
  const placeRank = (r: ShortcutRow) => (r.where === 'Everywhere' ? 0 : 1);
  return rows.sort(
    (a, b) => placeRank(a) - placeRank(b) || compareNames(a.where, b.where) || compareNames(a.category, b.category) || compareNames(a.label, b.label)
  );
}
