import type { DockviewTheme } from 'dockview-core';
import type { IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { DockArea, DockPlacement } from './dock';
import { SideBar } from './sidebar';
import { makeResizable } from './splitter';
import { StatusBar, StatusItemOptions } from './statusbar';
import type { Widget } from './widget';

/** The areas of the shell a widget can be added to. */
export type ShellArea = 'main' | 'left' | 'right' | 'bottom' | 'top';

/** Options of {@link Shell.add}. */
export interface ShellAddOptions extends DockPlacement {
  /** Order in sidebars and the top bar (lower first; default 500). */
  rank?: number;
}

/**
 * The window's layout: a top bar, left and right sidebars, the main dock area, a
 * bottom panel and the status bar. Owns no features: plugins put widgets in it.
 */
export class Shell {
  readonly node: HTMLElement;
  readonly statusBar = new StatusBar();
  readonly left = new SideBar('left');
  readonly right = new SideBar('right');
  readonly dock: DockArea;
  private readonly topItems: HTMLElement;
  private readonly bottom: HTMLElement;
  private readonly _activeChanged = new Emitter<Widget | null>();
  /** Fires when the active main-area widget changes. */
  readonly currentChanged = this._activeChanged.event;

  constructor(dockTheme: DockviewTheme) {
    this.node = document.createElement('div');
    this.node.className = 'ja-Shell';

    const top = document.createElement('header');
    top.className = 'ja-TopBar';
    const brand = document.createElement('div');
    brand.className = 'ja-TopBar-brand';
    brand.textContent = 'jlab-alt';
    this.topItems = document.createElement('div');
    this.topItems.className = 'ja-TopBar-items';
    top.append(brand, this.topItems);

    const body = document.createElement('div');
    body.className = 'ja-Shell-body';
    const leftHandle = document.createElement('div');
    leftHandle.className = 'ja-Splitter ja-mod-left';
    const rightHandle = document.createElement('div');
    rightHandle.className = 'ja-Splitter ja-mod-right';
    const main = document.createElement('main');
    main.className = 'ja-Shell-main';
    main.setAttribute('aria-label', 'main area');
    body.append(this.left.tabBar, this.left.panel, leftHandle, main, rightHandle, this.right.panel, this.right.tabBar);
    makeResizable(leftHandle, this.left.panel, 1);
    makeResizable(rightHandle, this.right.panel, -1);
    const syncHandles = () => {
      leftHandle.hidden = this.left.current === null;
      rightHandle.hidden = this.right.current === null;
    };
    this.left.currentChanged(syncHandles);
    this.right.currentChanged(syncHandles);
    syncHandles();

    this.bottom = document.createElement('section');
    this.bottom.className = 'ja-Shell-bottom';
    this.bottom.hidden = true;

    this.node.append(top, body, this.bottom, this.statusBar.node);
    // Absolutely placed, so the dock's own pixel sizes never push the layout around.
    const dockHost = document.createElement('div');
    dockHost.className = 'ja-Shell-dock';
    main.appendChild(dockHost);
    this.dock = new DockArea(dockHost, dockTheme);
    this.dock.currentChanged((w) => this._activeChanged.emit(w));
  }

  /** The active widget of the main area. */
  get currentWidget(): Widget | null {
    return this.dock.current;
  }

  /**
   * Put `widget` in `area`. In the main area an id already open is activated instead.
   */
  add(widget: Widget, area: ShellArea = 'main', options: ShellAddOptions = {}): void {
    switch (area) {
      case 'main':
        this.dock.add(widget, options);
        break;
      case 'left':
        this.left.add(widget, options.rank);
        break;
      case 'right':
        this.right.add(widget, options.rank);
        break;
      case 'top':
        widget.node.classList.add('ja-TopBar-item');
        insertByRank(this.topItems, widget.node, options.rank ?? 500);
        break;
      case 'bottom':
        this.bottom.appendChild(widget.node);
        this.bottom.hidden = false;
        widget.disposed(() => {
          this.bottom.hidden = this.bottom.childElementCount === 0;
        });
        break;
    }
  }

  /** Add an item to the status bar; dispose the result to remove it. */
  addStatusItem(options: StatusItemOptions): IDisposable {
    return this.statusBar.addItem(options);
  }

  /** Show and focus the widget `id` wherever it is. Returns false when not found. */
  activateById(id: string): boolean {
    if (this.dock.activate(id)) return true;
    for (const side of [this.left, this.right]) {
      if (side.has(id)) {
        side.activate(id);
        return true;
      }
    }
    return false;
  }

  /** Re-theme the parts drawn by libraries (the dock's tabs). */
  setDockTheme(theme: DockviewTheme): void {
    this.dock.setTheme(theme);
  }
}

function insertByRank(parent: HTMLElement, node: HTMLElement, rank: number): void {
  node.dataset.rank = String(rank);
  const after = [...parent.children].find((c) => Number((c as HTMLElement).dataset.rank ?? 500) > rank);
  parent.insertBefore(node, after ?? null);
}
