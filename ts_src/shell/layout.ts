/**
 * The saved layout's own versioned schema, and its conversion from and to dockview's
 * JSON. DOM-free: the restorer (`restorer.ts`) does the I/O.
 *
 * We keep our own schema, not dockview's `toJSON()` as is, so a dockview upgrade or a
 * widget id scheme change (`document:<path>#n`) cannot make saved workspaces unreadable:
 * a tab is saved as what re-creates it (a restorer namespace and the args of its
 * command), never as a widget id.
 */

/** The current version of {@link WorkspaceLayout}. Readers refuse other versions (start empty). */
export const LAYOUT_VERSION = 1;

/** How to re-create one tab: the restorer `namespace` and its command's `args`. */
export interface TabState {
  /** The restorer that saved it, e.g. `'document'` (see `WidgetRestorer` in `restorer.ts`). */
  namespace: string;
  /** The args of the restorer's command, e.g. `{path: 'a.ipynb', factory: 'Notebook'}`. */
  args: Record<string, unknown>;
  /** The tab's label when saved, shown until the tab is loaded. */
  label: string;
}

/** A group of tabs; `active` is the index of the visible one. */
export interface TabsNode {
  type: 'tabs';
  tabs: TabState[];
  active: number;
  /** Whether this group held the focused (current) tab. */
  current?: boolean;
}

/** Groups side by side (`horizontal`: left to right) or stacked (`vertical`: top to bottom). */
export interface SplitNode {
  type: 'split';
  orientation: 'horizontal' | 'vertical';
  /** Each child's share of the split, summing to 1. */
  sizes: number[];
  children: LayoutNode[];
}

export type LayoutNode = TabsNode | SplitNode;

/** A sidebar: which panel is shown (null: collapsed) and its width in px. */
export interface SideBarState {
  current: string | null;
  width?: number;
}

/** A saved workspace (`/jlab-alt/api/workspaces/<name>`), version {@link LAYOUT_VERSION}. */
export interface WorkspaceLayout {
  version: typeof LAYOUT_VERSION;
  /** The main area; null when no tab was open. */
  main: LayoutNode | null;
  left?: SideBarState;
  right?: SideBarState;
  /** The file browser's folder ('' is the root). */
  fileBrowserPath?: string;
}

/** The parts of dockview's `SerializedDockview` read and written here. */
export interface DockviewJSON {
  grid: {
    root: DockviewGridNode;
    width: number;
    height: number;
    orientation: 'HORIZONTAL' | 'VERTICAL';
  };
  panels: Record<string, { id: string; contentComponent?: string; tabComponent?: string; title?: string }>;
  activeGroup?: string;
}

export type DockviewGridNode =
  | { type: 'leaf'; data: { views: string[]; activeView?: string; id: string }; size?: number }
  | { type: 'branch'; data: DockviewGridNode[]; size?: number };

const flip = (o: 'horizontal' | 'vertical') => (o === 'horizontal' ? 'vertical' : 'horizontal');

/**
 * Our layout of dockview's main area. `describe(panelId)` says how to re-create a
 * panel's widget, or null when it cannot be restored (it is left out; a group left
 * empty, and a split left with one child, collapse).
 */
export function fromDockview(json: DockviewJSON, describe: (panelId: string) => TabState | null): LayoutNode | null {
  const rootOrientation = json.grid.orientation === 'VERTICAL' ? 'vertical' : 'horizontal';
  const walk = (node: DockviewGridNode, orientation: 'horizontal' | 'vertical'): LayoutNode | null => {
    if (node.type === 'leaf') {
      const tabs: TabState[] = [];
      let active = 0;
      for (const view of node.data.views) {
        const tab = describe(view);
        if (!tab) continue;
        if (view === node.data.activeView) active = tabs.length;
        tabs.push(tab);
      }
      if (tabs.length === 0) return null;
      const group: TabsNode = { type: 'tabs', tabs, active };
      if (json.activeGroup !== undefined && node.data.id === json.activeGroup) group.current = true;
      return group;
    }
    const kept: { node: LayoutNode; size: number }[] = [];
    for (const child of node.data) {
      const converted = walk(child, flip(orientation));
      if (converted) kept.push({ node: converted, size: Math.max(0, child.size ?? 1) });
    }
    if (kept.length === 0) return null;
    if (kept.length === 1) return kept[0]!.node;
    const total = kept.reduce((sum, k) => sum + k.size, 0) || kept.length;
    return {
      type: 'split',
      orientation,
      sizes: kept.map((k) => (total === kept.length && k.size === 0 ? 1 : k.size) / total),
      children: kept.map((k) => k.node)
    };
  };
  return walk(json.grid.root, rootOrientation);
}

/**
 * Dockview's JSON for `node`, laid out in `width` x `height` px, with each tab as a
 * panel whose id `panelId(tab, n)` gives (the restorer's placeholders).
 */
export function toDockview(
  node: LayoutNode,
  width: number,
  height: number,
  panelId: (tab: TabState, n: number) => string
): DockviewJSON {
  const panels: DockviewJSON['panels'] = {};
  let activeGroup: string | undefined;
  let firstGroup: string | undefined;
  let groups = 0;
  let n = 0;
  // `size` is measured along the parent's orientation; w x h is the node's box.
  const build = (item: LayoutNode, w: number, h: number, parent: 'horizontal' | 'vertical'): DockviewGridNode => {
    const size = Math.max(1, Math.round(parent === 'horizontal' ? w : h));
    if (item.type === 'tabs') {
      const id = String(++groups);
      firstGroup ??= id;
      const views = item.tabs.map((tab) => {
        const pid = panelId(tab, n++);
        panels[pid] = { id: pid, contentComponent: 'widget', tabComponent: 'widget-tab', title: tab.label };
        return pid;
      });
      if (item.current) activeGroup = id;
      const activeView = views[Math.min(Math.max(0, item.active), views.length - 1)];
      return { type: 'leaf', data: { views, ...(activeView ? { activeView } : {}), id }, size };
    }
    const children = item.children.map((child, i) => {
      const share = item.sizes[i] ?? 1 / item.children.length;
      return item.orientation === 'horizontal'
        ? build(child, w * share, h, 'horizontal')
        : build(child, w, h * share, 'vertical');
    });
    return { type: 'branch', size, data: children };
  };
  const root = normalize(node);
  const orientation = root.type === 'split' ? root.orientation : 'horizontal';
  // The root branch's own size is across its orientation.
  const across = orientation === 'horizontal' ? 'vertical' : 'horizontal';
  const built = build(root, width, height, across);
  const grid =
    built.type === 'leaf'
      ? { type: 'branch' as const, size: height, data: [{ ...built, size: width }] }
      : built;
  const json: DockviewJSON = {
    grid: { root: grid, width, height, orientation: orientation === 'horizontal' ? 'HORIZONTAL' : 'VERTICAL' },
    panels
  };
  const active = activeGroup ?? firstGroup;
  if (active) json.activeGroup = active;
  return json;
}

/**
 * Dockview nests splits of alternating orientations: a split inside a split of the same
 * orientation (left after dropping unrestorable tabs, or written by hand) is merged
 * into its parent, its children's shares scaled by its own.
 */
function normalize(node: LayoutNode): LayoutNode {
  if (node.type === 'tabs') return node;
  const children: LayoutNode[] = [];
  const sizes: number[] = [];
  node.children.forEach((child, i) => {
    const share = node.sizes[i] ?? 1 / node.children.length;
    const fixed = normalize(child);
    if (fixed.type === 'split' && fixed.orientation === node.orientation) {
      fixed.children.forEach((c, j) => {
        children.push(c);
        sizes.push(share * (fixed.sizes[j] ?? 1 / fixed.children.length));
      });
    } else {
      children.push(fixed);
      sizes.push(share);
    }
  });
  return { type: 'split', orientation: node.orientation, sizes, children };
}

/** Every tab of `node`, in order (for "tabs only" restores and counts). */
export function allTabs(node: LayoutNode | null): TabState[] {
  if (!node) return [];
  return node.type === 'tabs' ? node.tabs : node.children.flatMap(allTabs);
}

/** The tabs of `node` in one group, the current tab kept active ("restore: tabs"). */
export function flatten(node: LayoutNode | null): TabsNode | null {
  if (!node) return null;
  const tabs = allTabs(node);
  if (tabs.length === 0) return null;
  const current = currentTab(node);
  return { type: 'tabs', tabs, active: Math.max(0, current ? tabs.indexOf(current) : 0), current: true };
}

/** The tab that was focused: the active tab of the `current` group (or of the first group). */
export function currentTab(node: LayoutNode | null): TabState | null {
  if (!node) return null;
  const groups: TabsNode[] = [];
  const collect = (n: LayoutNode) => (n.type === 'tabs' ? groups.push(n) : n.children.forEach(collect));
  collect(node);
  const group = groups.find((g) => g.current) ?? groups[0];
  return group?.tabs[Math.min(group.active, group.tabs.length - 1)] ?? null;
}

/**
 * `data` as a {@link WorkspaceLayout}, or null when it is not one this version can read
 * (another version, corrupt): the saved data "can become corrupted", as JupyterLab's
 * restorer assumes, and then the app starts empty. Malformed tabs are dropped.
 */
export function parseLayout(data: unknown): WorkspaceLayout | null {
  if (!isObject(data) || data.version !== LAYOUT_VERSION) return null;
  const node = (value: unknown, depth: number): LayoutNode | null => {
    if (!isObject(value) || depth > 32) return null;
    if (value.type === 'tabs' && Array.isArray(value.tabs)) {
      const tabs = value.tabs.filter(
        (t): t is TabState => isObject(t) && typeof t.namespace === 'string' && isObject(t.args) && typeof t.label === 'string'
      );
      if (tabs.length === 0) return null;
      const active = typeof value.active === 'number' && value.active >= 0 && value.active < tabs.length ? Math.floor(value.active) : 0;
      return { type: 'tabs', tabs, active, ...(value.current === true ? { current: true } : {}) };
    }
    const children = value.children;
    if (value.type === 'split' && Array.isArray(children) && (value.orientation === 'horizontal' || value.orientation === 'vertical')) {
      const sizes = Array.isArray(value.sizes) ? value.sizes : [];
      const kept: { node: LayoutNode; size: number }[] = [];
      children.forEach((c: unknown, i: number) => {
        const child = node(c, depth + 1);
        const size: unknown = sizes[i];
        if (child) kept.push({ node: child, size: typeof size === 'number' && size > 0 && Number.isFinite(size) ? size : 1 / children.length });
      });
      if (kept.length === 0) return null;
      if (kept.length === 1) return kept[0]!.node;
      const total = kept.reduce((s, k) => s + k.size, 0);
      return { type: 'split', orientation: value.orientation, sizes: kept.map((k) => k.size / total), children: kept.map((k) => k.node) };
    }
    return null;
  };
  const side = (value: unknown): SideBarState | undefined =>
    isObject(value)
      ? {
          current: typeof value.current === 'string' ? value.current : null,
          ...(typeof value.width === 'number' && value.width > 0 ? { width: value.width } : {})
        }
      : undefined;
  const layout: WorkspaceLayout = { version: LAYOUT_VERSION, main: node(data.main, 0) };
  const left = side(data.left);
  const right = side(data.right);
  if (left) layout.left = left;
  if (right) layout.right = right;
  if (typeof data.fileBrowserPath === 'string') layout.fileBrowserPath = data.fileBrowserPath;
  return layout;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
