import {
  createDockview,
  DockviewApi,
  DockviewTheme,
  IContentRenderer,
  IDockviewPanel,
  ITabRenderer,
  Position,
  TabPartInitParameters
} from 'dockview-core';
import { DisposableSet } from '../core/disposable';
import { Emitter } from '../core/emitter';
import type { Widget } from './widget';

/** Where to put a widget added to the main area, relative to another widget. */
export interface DockPlacement {
  /** Id of the widget to place next to (defaults to the active one). */
  ref?: string;
  /** `'center'` adds a tab to that widget's group; the others split it. */
  position?: Position;
  /** Add without activating (and without moving focus). */
  background?: boolean;
  /** Position among the tabs of `ref`'s group (with `position: 'center'`); default: last. */
  index?: number;
}

/**
 * The main area: tabbed groups that can be split and rearranged by dragging
 * (dockview-core). Each dockview panel shows one {@link Widget}; closing the tab
 * disposes the widget, disposing the widget closes the tab. Closing a tab asks the
 * widget first ({@link Widget.requestClose}).
 */
export class DockArea {
  readonly api: DockviewApi;
  private widgets = new Map<string, Widget>();
  private readonly _currentChanged = new Emitter<Widget | null>();
  /** Fires when the active main-area widget changes (null when none is left). */
  readonly currentChanged = this._currentChanged.event;
  private readonly subscriptions = new DisposableSet();
  private readonly _layoutChanged = new Emitter<void>();
  /** Fires when tabs, groups or sizes change (the layout restorer saves on it). */
  readonly layoutChanged = this._layoutChanged.event;
  /**
   * Consulted by {@link add} for a widget added without a `ref`: the saved-layout
   * restorer uses it to put a re-opened document where its placeholder tab is.
   */
  placementHook: ((widget: Widget) => DockPlacement | undefined) | null = null;

  constructor(readonly node: HTMLElement, theme: DockviewTheme) {
    this.api = createDockview(node, {
      theme,
      disableFloatingGroups: true,
      createComponent: (options) => this.renderer(options.id),
      defaultTabComponent: 'widget-tab',
      createTabComponent: (options) => this.tab(options.id),
      createWatermarkComponent: () => {
        // What the empty main area says, instead of a blank page.
        const element = document.createElement('div');
        element.className = 'ja-DockWatermark';
        element.dataset.testid = 'dock-watermark';
        this.watermarkElement = element;
        this.renderWatermark();
        return { element, init: () => undefined } as never;
      },
      // workspace: buttons beside each group's tabs (the launcher's "+").
      createLeftHeaderActionComponent: () => this.groupActionsRenderer()
    });
    this.subscriptions.add(
      asDisposable(
        this.api.onDidActivePanelChange((event) => {
          const panel = (event as { panel?: IDockviewPanel } | undefined)?.panel ?? this.api.activePanel;
          const widget = panel ? (this.widgets.get(panel.id) ?? null) : null;
          widget?.onActivate();
          this._currentChanged.emit(widget);
        })
      )
    );
    this.subscriptions.add(
      asDisposable(
        this.api.onDidRemovePanel((panel) => {
          const widget = this.widgets.get(panel.id);
          this.widgets.delete(panel.id);
          widget?.dispose();
          if (this.widgets.size === 0) this._currentChanged.emit(null);
        })
      )
    );
    this.subscriptions.add(asDisposable(this.api.onDidLayoutChange(() => this._layoutChanged.emit())));
  }

  private watermarkElement: HTMLElement | null = null;
  private watermarkContent: HTMLElement | null = null;
  private groupActions: GroupAction[] = [];

  /**
   * Show `content` in the empty main area instead of the default hint (null: the
   * hint again). The node is moved, not copied, each time the area becomes empty.
   */
  setWatermark(content: HTMLElement | null): void {
    this.watermarkContent = content;
    this.renderWatermark();
  }

  private renderWatermark(): void {
    const element = this.watermarkElement;
    if (!element) return;
    element.classList.toggle('ja-mod-custom', !!this.watermarkContent);
    if (this.watermarkContent) element.replaceChildren(this.watermarkContent);
    else element.textContent = 'Open a file from the file browser, or create a notebook with +.';
  }

  /**
   * Add a button after the tabs of every tab group created from now on; `run` gets
   * the id of the group's active widget. Dispose to stop adding it.
   */
  addGroupAction(action: GroupAction): { dispose(): void } {
    this.groupActions.push(action);
    return { dispose: () => (this.groupActions = this.groupActions.filter((a) => a !== action)) };
  }

  private groupActionsRenderer(): { element: HTMLElement; init(params: { group: { activePanel?: { id: string } } }): void; dispose(): void } {
    const element = document.createElement('div');
    element.className = 'ja-DockGroupActions';
    let group: { activePanel?: { id: string } } | null = null;
    for (const action of this.groupActions) {
      const button = document.createElement('button');
      button.className = `ja-DockGroupAction ${action.className ?? ''}`;
      button.title = action.label;
      button.setAttribute('aria-label', action.label);
      button.dataset.testid = action.testid;
      button.textContent = action.text ?? '';
      button.addEventListener('pointerdown', (ev) => ev.stopPropagation());
      button.addEventListener('click', () => action.run(group?.activePanel?.id ?? null));
      element.appendChild(button);
    }
    return { element, init: (params) => void (group = params.group), dispose: () => element.remove() };
  }

  /** The active widget of the main area, if any. */
  get current(): Widget | null {
    const panel = this.api.activePanel;
    return panel ? (this.widgets.get(panel.id) ?? null) : null;
  }

  /** Every widget in the main area, in no particular order. */
  get all(): Widget[] {
    return [...this.widgets.values()];
  }

  get(id: string): Widget | undefined {
    return this.widgets.get(id);
  }

  /**
   * Show `widget` in a new tab. An id already present only activates that tab.
   */
  add(widget: Widget, placement: DockPlacement = {}): void {
    if (this.widgets.has(widget.id)) {
      this.activate(widget.id);
      return;
    }
    if (placement.ref === undefined) placement = { ...placement, ...this.placementHook?.(widget) };
    this.widgets.set(widget.id, widget);
    const ref = placement.ref ?? this.api.activePanel?.id;
    const position =
      ref && this.api.getPanel(ref)
        ? {
            referencePanel: ref,
            direction: toDirection(placement.position ?? 'center'),
            ...(placement.index !== undefined ? { index: placement.index } : {})
          }
        : undefined;
    this.api.addPanel({
      id: widget.id,
      component: 'widget',
      title: tabLabel(widget),
      ...(position ? { position } : {}),
      ...(placement.background ? { inactive: true } : {})
    });
    this.follow(widget);
  }

  /** Keep the tab's title in step with `widget`, and close the tab when it is disposed. */
  private follow(widget: Widget): void {
    const sync = widget.title.changed(() => this.api.getPanel(widget.id)?.api.setTitle(tabLabel(widget)));
    widget.disposed(() => {
      sync.dispose();
      this.api.getPanel(widget.id)?.api.close();
    });
  }

  /**
   * Replace the main area with dockview's serialized `layout` whose panel ids are the
   * ids of `widgets` (the restorer's placeholder tabs). Panels without a widget are dropped.
   * @throws Error from dockview when `layout` is malformed; the area is then left empty.
   */
  restore(layout: unknown, widgets: Widget[]): void {
    for (const widget of widgets) this.widgets.set(widget.id, widget);
    try {
      this.api.fromJSON(layout as Parameters<DockviewApi['fromJSON']>[0]);
    } catch (err) {
      for (const widget of widgets) this.widgets.delete(widget.id);
      this.api.clear();
      throw err;
    }
    for (const widget of widgets) {
      if (this.api.getPanel(widget.id)) this.follow(widget);
      else this.widgets.delete(widget.id);
    }
    const panel = this.api.activePanel;
    this._currentChanged.emit(panel ? (this.widgets.get(panel.id) ?? null) : null);
  }

  /** Make the widget `id` the visible, focused tab. Returns false when there is none. */
  activate(id: string): boolean {
    const panel = this.api.getPanel(id);
    if (!panel) return false;
    panel.api.setActive();
    this.widgets.get(id)?.onActivate();
    return true;
  }

  /**
   * Close `widget`'s tab as a person asked to: the widget's own `requestClose()`
   * decides (a document with unsaved edits asks first). Resolves whether it closed.
   */
  async requestClose(widget: Widget): Promise<boolean> {
    if (widget.isDisposed) return true;
    if (!(await widget.requestClose())) return false;
    widget.dispose();
    return true;
  }

  /** Move the active widget into a new group on one side of its current one. */
  splitActive(position: Exclude<Position, 'center'>): void {
    const panel = this.api.activePanel;
    if (!panel || panel.group.panels.length < 2) return;
    panel.api.moveTo({ group: panel.group, position });
  }

  private renderer(id: string): IContentRenderer {
    const element = document.createElement('div');
    element.className = 'ja-DockPanel';
    const widget = () => this.widgets.get(id);
    return {
      element,
      init: () => {
        const w = widget();
        if (w) element.appendChild(w.node);
      },
      onShow: () => widget()?.onShow(),
      onHide: () => widget()?.onHide()
    } as IContentRenderer;
  }

  /** A tab like dockview's own, whose close button asks before dropping unsaved changes. */
  private tab(id: string): ITabRenderer {
    const element = document.createElement('div');
    element.className = 'dv-default-tab';
    const content = document.createElement('div');
    content.className = 'dv-default-tab-content';
    const action = document.createElement('div');
    action.className = 'dv-default-tab-action';
    action.title = 'Close';
    action.dataset.testid = 'tab-close';
    action.innerHTML =
      '<svg class="dv-svg" height="11" width="11" viewBox="0 0 28 28" aria-hidden="true" focusable="false">' +
      '<path d="M2.1 27.3L0 25.2L11.55 13.65L0 2.1L2.1 0L13.65 11.55L25.2 0L27.3 2.1L15.75 13.65L27.3 25.2L25.2 27.3L13.65 15.75L2.1 27.3Z"></path></svg>';
    element.append(content, action);
    let subscription: { dispose(): void } | null = null;
    return {
      element,
      init: (params: TabPartInitParameters) => {
        content.textContent = params.title;
        subscription = params.api.onDidTitleChange((event) => (content.textContent = event.title));
        action.addEventListener('pointerdown', (ev) => ev.preventDefault());
        action.addEventListener('click', (ev) => {
          ev.preventDefault();
          ev.stopPropagation();
          const widget = this.widgets.get(id);
          if (widget) void this.requestClose(widget);
          else params.api.close();
        });
      },
      dispose: () => subscription?.dispose()
    };
  }

  setTheme(theme: DockviewTheme): void {
    this.api.updateOptions({ theme });
  }

  dispose(): void {
    this.subscriptions.dispose();
    this.api.dispose();
  }
}

/** A button shown after the tabs of each tab group (see {@link DockArea.addGroupAction}). */
export interface GroupAction {
  /** Tooltip and accessible name. */
  label: string;
  /** `data-testid` of the button. */
  testid: string;
  /** Text of the button (e.g. "+"). */
  text?: string;
  className?: string;
  /** Called on click with the id of the group's active widget (null when none). */
  run(activeId: string | null): void;
}

function tabLabel(widget: Widget): string {
  return widget.title.dirty ? `● ${widget.title.label}` : widget.title.label;
}

function toDirection(position: Position): 'left' | 'right' | 'above' | 'below' | 'within' {
  switch (position) {
    case 'left':
      return 'left';
    case 'right':
      return 'right';
    case 'top':
      return 'above';
    case 'bottom':
      return 'below';
    default:
      return 'within';
  }
}

function asDisposable(d: { dispose(): void }): { isDisposed: boolean; dispose(): void } {
  let disposed = false;
  return {
    get isDisposed() {
      return disposed;
    },
    dispose() {
      if (!disposed) {
        disposed = true;
        d.dispose();
      }
    }
  };
}
