import type { CommandArgs } from '../commands/registry';
import { DisposableDelegate, IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';

/** A menu entry that runs a command (label, enabled state, check mark and shortcut come from the registries). */
export interface CommandEntry {
  command: string;
  args?: CommandArgs;
  /** Order in the menu (lower first; default 1000). */
  rank?: number;
}

/** A line between groups of entries. */
export interface SeparatorEntry {
  type: 'separator';
  rank?: number;
}

/** A nested menu ("New ▸"). */
export interface SubmenuEntry {
  type: 'submenu';
  /** Id of the submenu (for `data-id` and for adding items to it with the same registry). */
  id: string;
  label: string;
  items: MenuEntry[];
  rank?: number;
}

export type MenuEntry = CommandEntry | SeparatorEntry | SubmenuEntry;

/** A top-level menu of the bar, as data. */
export interface MenuSpec {
  /** "file", "edit", ... */
  id: string;
  label: string;
  /** Order in the bar (lower first; default 1000). */
  rank?: number;
  items: MenuEntry[];
}

/** Entries computed when a menu opens (the open tabs, say). */
export type DynamicEntries = () => MenuEntry[];

/**
 * The menu bar's menus as data: plugins add menus and entries (each `add` returns an
 * `IDisposable` that takes it away again); the view resolves them against the
 * command registry each time a menu opens, so labels, enabled states, check marks
 * and shortcuts are never stale.
 */
export class MenuRegistry {
  private readonly menus = new Map<string, { spec: Omit<MenuSpec, 'items'>; items: MenuEntry[]; dynamic: DynamicEntries[] }>();
  private readonly _changed = new Emitter<void>();
  /** Fires when a menu or entry is added or removed. */
  readonly changed = this._changed.event;

  /**
   * Add a top-level menu (its `items` too); a menu with the same id gets the items
   * added, and so does a submenu with that id (so a schema reaches "New ▸" by declaring
   * `{id: "file-new", items: [...]}`: the shape JupyterLab's `jupyter.lab.menus` allows
   * for its submenus).
   */
  addMenu(spec: MenuSpec): IDisposable {
    const existing = this.menus.get(spec.id);
    if (!existing && this.listFor(spec.id)) return this.addItems(spec.id, spec.items);
    if (!existing) this.menus.set(spec.id, { spec: { id: spec.id, label: spec.label, rank: spec.rank }, items: [], dynamic: [] });
    const added = spec.items.map((item) => this.addItem(spec.id, item));
    this._changed.emit();
    return new DisposableDelegate(() => {
      for (const d of added) d.dispose();
      if (!existing) {
        this.menus.delete(spec.id);
        this._changed.emit();
      }
    });
  }

  /**
   * Add an entry to the menu `menuId`, or to the submenu with that id inside a menu.
   * @throws Error when no menu or submenu has that id.
   */
  addItem(menuId: string, entry: MenuEntry): IDisposable {
    const list = this.listFor(menuId);
    if (!list) throw new Error(`No menu with id "${menuId}"`);
    // A submenu that is there already gets the entries: two plugins declaring the same
    // "New ▸" make one submenu, not two.
    if ('type' in entry && entry.type === 'submenu' && list.some((e) => 'type' in e && e.type === 'submenu' && e.id === entry.id)) {
      return this.addItems(entry.id, entry.items);
    }
    const own = copyEntry(entry);
    list.push(own);
    this._changed.emit();
    return new DisposableDelegate(() => {
      const i = list.indexOf(own);
      if (i >= 0) {
        list.splice(i, 1);
        this._changed.emit();
      }
    });
  }

  private addItems(menuId: string, entries: MenuEntry[]): IDisposable {
    const added = entries.map((e) => this.addItem(menuId, e));
    return new DisposableDelegate(() => added.forEach((d) => d.dispose()));
  }

  /** Add entries computed each time the menu `menuId` opens (after its fixed ones, by rank). */
  addDynamicItems(menuId: string, entries: DynamicEntries): IDisposable {
    const menu = this.menus.get(menuId);
    if (!menu) throw new Error(`No menu with id "${menuId}"`);
    menu.dynamic.push(entries);
    return new DisposableDelegate(() => {
      menu.dynamic = menu.dynamic.filter((d) => d !== entries);
    });
  }

  /** The top-level menus in bar order, each with its entries sorted by rank (stable). */
  get all(): MenuSpec[] {
    return [...this.menus.values()]
      .map(({ spec, items, dynamic }) => ({ ...spec, items: sortEntries([...items, ...dynamic.flatMap((d) => d())]) }))
      .sort((a, b) => (a.rank ?? 1000) - (b.rank ?? 1000));
  }

  /** One menu by id, as in {@link all}. */
  get(id: string): MenuSpec | undefined {
    return this.all.find((m) => m.id === id);
  }

  private listFor(id: string): MenuEntry[] | null {
    const menu = this.menus.get(id);
    if (menu) return menu.items;
    for (const m of this.menus.values()) {
      const found = findSubmenu(m.items, id);
      if (found) return found.items;
    }
    return null;
  }
}

/** A copy the registry may add to without touching the caller's (e.g. the page config's) objects. */
function copyEntry(entry: MenuEntry): MenuEntry {
  return 'type' in entry && entry.type === 'submenu' ? { ...entry, items: entry.items.map(copyEntry) } : { ...entry };
}

function findSubmenu(entries: MenuEntry[], id: string): SubmenuEntry | null {
  for (const e of entries) {
    if ('type' in e && e.type === 'submenu') {
      if (e.id === id) return e;
      const inner = findSubmenu(e.items, id);
      if (inner) return inner;
    }
  }
  return null;
}

function sortEntries(entries: MenuEntry[]): MenuEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.rank ?? 1000) - (b.e.rank ?? 1000) || a.i - b.i)
    .map(({ e }) => ('type' in e && e.type === 'submenu' ? { ...e, items: sortEntries(e.items) } : e));
}

/** What {@link resolveEntries} asks of the command and keybinding registries. */
export interface CommandState {
  hasCommand(id: string): boolean;
  label(id: string, args: CommandArgs): string;
  isEnabled(id: string, args: CommandArgs): boolean;
  /** Undefined for a command that is no toggle. */
  isToggled(id: string, args: CommandArgs): boolean | undefined;
  /** The command's shortcut as shown to people ("Ctrl+S"), or "". */
  shortcut(id: string, args: CommandArgs): string;
}

/** An entry ready to draw. */
export type ResolvedEntry =
  | { kind: 'command'; command: string; args: CommandArgs; label: string; enabled: boolean; checked?: boolean; shortcut: string }
  | { kind: 'separator' }
  | { kind: 'submenu'; id: string; label: string; items: ResolvedEntry[] };

/**
 * Resolve entries against the registries now: entries of unregistered commands (or
 * with an empty label) and empty submenus are dropped; separators are kept only
 * between two shown entries.
 */
export function resolveEntries(entries: readonly MenuEntry[], state: CommandState): ResolvedEntry[] {
  const out: ResolvedEntry[] = [];
  for (const entry of entries) {
    if ('type' in entry && entry.type === 'separator') {
      out.push({ kind: 'separator' });
    } else if ('type' in entry && entry.type === 'submenu') {
      const items = resolveEntries(entry.items, state);
      if (items.length > 0) out.push({ kind: 'submenu', id: entry.id, label: entry.label, items });
    } else if ('command' in entry) {
      const args = entry.args ?? {};
      if (!state.hasCommand(entry.command)) continue;
      const label = state.label(entry.command, args);
      if (!label) continue;
      const checked = state.isToggled(entry.command, args);
      out.push({
        kind: 'command',
        command: entry.command,
        args,
        label,
        enabled: state.isEnabled(entry.command, args),
        ...(checked === undefined ? {} : { checked }),
        shortcut: state.shortcut(entry.command, args)
      });
    }
  }
  // Separators only between shown entries, never two in a row.
  return out.filter((e, i) => {
    if (e.kind !== 'separator') return true;
    const before = out.slice(0, i).reverse().find(() => true);
    const after = out.slice(i + 1).find((x) => x.kind !== 'separator');
    return !!before && before.kind !== 'separator' && !!after;
  });
}
