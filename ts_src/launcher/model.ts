import type { CommandArgs } from '../commands/registry';
import { DisposableDelegate, IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { compareNames } from '../core/collation';

/**
 * One card of the launcher: a command to run (with `args`, plus the launcher's `cwd`)
 * shown under a category. Other plugins add theirs with {@link LauncherModel.add}.
 */
export interface LauncherItem {
  /** Command id; the card shows the command's label and hides while it is not registered. */
  command: string;
  args?: CommandArgs;
  /** Section title: "Notebook", "Console", "Other" come first in that order, others after. */
  category: string;
  /** Order within the category (lower first; default Infinity, after ranked items). */
  rank?: number;
  /** The kernelspec the card starts (recently used kernels are listed first). */
  kernelName?: string;
  /** URL of an image to show (a kernelspec's logo); drawn as an `<img>`, never inlined. */
  iconUrl?: string;
  /** CSS class of an icon when there is no `iconUrl`: a built-in `ja-icon-*` or one setting `--ja-icon` (docs/extensions.md, "Icons"). */
  iconClass?: string;
  /** Text drawn as the icon when there is no `iconUrl` (a kernel's initials, see {@link kernelInitials}). */
  iconText?: string;
}

/** The launcher's sections, in this order; other categories follow alphabetically. */
export const CATEGORY_ORDER: readonly string[] = ['Notebook', 'Console', 'Other'];

/**
 * The registry of launcher cards. The launcher imports no feature code: each plugin
 * adds its own cards (the notebook and console per kernelspec, a terminal, files).
 */
export class LauncherModel {
  private _items: LauncherItem[] = [];
  private readonly _changed = new Emitter<void>();
  /** Fires when a card is added or removed. */
  readonly changed = this._changed.event;

  /** Every card, in the order added. */
  get items(): readonly LauncherItem[] {
    return this._items;
  }

  /** Add a card; dispose the result to remove it. */
  add(item: LauncherItem): IDisposable {
    const own = { ...item };
    this._items.push(own);
    this._changed.emit();
    return new DisposableDelegate(() => {
      const before = this._items.length;
      this._items = this._items.filter((i) => i !== own);
      if (this._items.length !== before) this._changed.emit();
    });
  }
}

/** A card ready to show: the item and its label (from the command registry). */
export interface LauncherCard {
  item: LauncherItem;
  label: string;
}

/** One section of the launcher. */
export interface LauncherSection {
  category: string;
  cards: LauncherCard[];
}

/** What {@link arrangeItems} needs besides the items. */
export interface ArrangeOptions {
  /** The filter text; every whitespace-separated word must occur (case-insensitive) in the card's category, label or kernel name. */
  query?: string;
  /** Kernel names most recent first: their cards come first in each category. */
  recentKernels?: readonly string[];
  /** The label of a card (its command's label for its args). */
  label(item: LauncherItem): string;
  /** Whether a card can be shown (its command is registered); default: all. */
  available?(item: LauncherItem): boolean;
}

/**
 * Filter and order cards into sections: sections by {@link CATEGORY_ORDER} then name;
 * within one, cards of recently used kernels first (most recent first), then by rank,
 * then by label. Sections left empty by the filter are dropped.
 */
export function arrangeItems(items: readonly LauncherItem[], options: ArrangeOptions): LauncherSection[] {
  const words = (options.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const recent = options.recentKernels ?? [];
  const recency = (item: LauncherItem) => {
    const i = item.kernelName ? recent.indexOf(item.kernelName) : -1;
    return i < 0 ? Infinity : i;
  };
  const sections = new Map<string, LauncherCard[]>();
  for (const item of items) {
    if (options.available && !options.available(item)) continue;
    const label = options.label(item);
    if (!label) continue;
    const text = `${item.category} ${label} ${item.kernelName ?? ''}`.toLowerCase();
    if (!words.every((w) => text.includes(w))) continue;
    let cards = sections.get(item.category);
    if (!cards) sections.set(item.category, (cards = []));
    cards.push({ item, label });
  }
  const order = (c: string) => {
    const i = CATEGORY_ORDER.indexOf(c);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  return [...sections.entries()]
    .sort(([a], [b]) => order(a) - order(b) || compareNames(a, b))
    .map(([category, cards]) => ({
      category,
      cards: cards.sort(
        (a, b) =>
          recency(a.item) - recency(b.item) ||
          compareRank(a.item.rank, b.item.rank) ||
          compareNames(a.label, b.label)
      )
    }));
}

function compareRank(a: number | undefined, b: number | undefined): number {
  const x = a ?? Infinity;
  const y = b ?? Infinity;
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Where {@link RecentKernels} keeps its list (one JSON array of kernel names). */
export const RECENT_KERNELS_KEY = 'jlab-alt:launcher:recent-kernels';

/**
 * The kernels a person started most recently (most recent first, at most `max`),
 * remembered in `storage` (localStorage in the app). Unreadable or foreign data in
 * storage counts as an empty list; a storage that refuses writes (private mode,
 * quota) only loses the memory, never the launch.
 */
export class RecentKernels {
  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
    private readonly max = 8,
    private readonly key = RECENT_KERNELS_KEY
  ) {}

  /** Kernel names, most recent first. */
  get list(): string[] {
    try {
      const value: unknown = JSON.parse(this.storage?.getItem(this.key) ?? '[]');
      return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string').slice(0, this.max) : [];
    } catch {
      return [];
    }
  }

  /** Record that `kernelName` was just used. */
  use(kernelName: string): void {
    const next = [kernelName, ...this.list.filter((k) => k !== kernelName)].slice(0, this.max);
    try {
      this.storage?.setItem(this.key, JSON.stringify(next));
    } catch {
      // Storage full or forbidden: the order is a convenience, not data.
    }
  }
}

/**
 * `url` (a kernelspec's logo, as the host lists it) resolved against `pageUrl`, when it
 * is an http(s) URL of the page's own origin; null otherwise. A kernelspec comes from
 * whoever installed it (or from a remote gateway), so its logo may only be an image
 * this server serves: never a `javascript:`/`data:` URL nor a request to another site
 * (which would tell it who opened the launcher). The image itself is drawn as an
 * `<img>`, where SVG runs no script and loads no external reference (SVG Integration,
 * "secure animated mode"); the server sandboxes the file for direct visits.
 */
export function sameOriginLogoUrl(url: string | undefined, pageUrl: string): string | null {
  if (!url) return null;
  let resolved: URL;
  try {
    resolved = new URL(url, pageUrl);
  } catch {
    return null;
  }
  const page = new URL(pageUrl);
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return null;
  return resolved.origin === page.origin ? resolved.href : null;
}

/**
 * The largest kernelspec logo drawn, in bytes. A logo is a 64×64 icon (a few KB); larger
 * ones would dominate the launcher's first paint (bash_kernel's SVG is 801 KB, five times
 * the rest of the cold load), so the card shows the kernel's initials instead.
 */
export const LOGO_MAX_BYTES = 64 * 1024;

/** Which logo of a kernelspec to draw, and whether its size must be checked first. */
export interface LogoChoice {
  /** The logo's URL (same origin, see {@link sameOriginLogoUrl}). */
  url: string;
  /** True for the SVG logo, whose size is not bounded by its name (PNG logos are 64×64 or 32×32). */
  checkSize: boolean;
}

/**
 * The logo to draw from a kernelspec's `resources` (as `/api/kernelspecs` lists them:
 * `logo-64x64`, `logo-32x32`, `logo-svg`, URLs relative to the page): a PNG first, whose
 * pixel size the kernelspec format fixes, else the SVG, to be measured against
 * {@link LOGO_MAX_BYTES}. Null when there is none or none is of this origin.
 */
export function chooseLogo(resources: Readonly<Record<string, string | undefined>>, pageUrl: string): LogoChoice | null {
  for (const key of ['logo-64x64', 'logo-32x32']) {
    const url = sameOriginLogoUrl(resources[key], pageUrl);
    if (url) return { url, checkSize: false };
  }
  const svg = sameOriginLogoUrl(resources['logo-svg'], pageUrl);
  return svg ? { url: svg, checkSize: true } : null;
}

/**
 * Up to two initials standing for a kernel without a drawable logo, from its display
 * name: "Bash" → "B", "Python 3 (ipykernel)" → "P3", "R" → "R"; "?" for a blank name.
 * Words in parentheses (the usual "(ipykernel)", "(conda env)") are left out.
 */
export function kernelInitials(displayName: string): string {
  const words = displayName
    .replace(/\([^)]*\)/g, ' ')
    .split(/[\s_-]+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const initials = words
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');
  return initials || '?';
}
