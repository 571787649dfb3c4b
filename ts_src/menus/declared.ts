/**
 * Menus declared in plugins' schemas, as JupyterLab's `jupyter.lab.menus`: a plugin's
 * schema may carry `"jlab-alt.menus": [{id, label, rank, items: [...]}]` (the shape of
 * {@link MenuSpec}). The server hands them to the page in the page config's `menus`
 * (`{plugin id: [...]}`); the menu bar adds those of every plugin not disabled. A menu
 * whose id exists already gets the items added, so a plugin adds its entries to "File"
 * by declaring `{id: "file", items: [...]}`, and to "File ▸ New" by declaring
 * `{id: "file-new", items: [...]}` (see `MenuRegistry.addMenu`).
 */
import type { MenuEntry, MenuSpec } from './model';

/** The schema key holding a plugin's menus. */
export const MENUS_KEY = 'jlab-alt.menus';

function isEntry(value: unknown): value is MenuEntry {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const e = value as Record<string, unknown>;
  if (e.rank !== undefined && typeof e.rank !== 'number') return false;
  if (e.type === 'separator') return true;
  if (e.type === 'submenu') {
    return typeof e.id === 'string' && typeof e.label === 'string' && Array.isArray(e.items) && e.items.every(isEntry);
  }
  return (
    e.type === undefined &&
    typeof e.command === 'string' &&
    (e.args === undefined || (typeof e.args === 'object' && e.args !== null && !Array.isArray(e.args)))
  );
}

function isMenu(value: unknown): value is MenuSpec {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const m = value as Record<string, unknown>;
  return (
    typeof m.id === 'string' &&
    typeof m.label === 'string' &&
    (m.rank === undefined || typeof m.rank === 'number') &&
    Array.isArray(m.items) &&
    m.items.every(isEntry)
  );
}

/**
 * The menus `declared` (the page config's `menus`) gives the plugins in `pluginIds`, in
 * that order. A malformed menu is left out and reported with its plugin's id.
 * @returns the menus, and one message per menu left out.
 */
export function declaredMenus(declared: Record<string, unknown>, pluginIds: Iterable<string>): { menus: MenuSpec[]; errors: string[] } {
  const menus: MenuSpec[] = [];
  const errors: string[] = [];
  for (const id of pluginIds) {
    if (!(id in declared)) continue;
    const list = declared[id];
    if (!Array.isArray(list)) {
      errors.push(`${id}: "${MENUS_KEY}" must be a list of menus`);
      continue;
    }
    list.forEach((menu: unknown, i) => {
      if (isMenu(menu)) menus.push(menu);
      else errors.push(`${id}: menu ${i} needs {id, label, rank?, items: [{command, args?, rank?} | {type: "separator"} | {type: "submenu", id, label, items}]}`);
    });
  }
  return { menus, errors };
}
