import { Emitter } from '../core/emitter';
import type { Widget } from './widget';

/**
 * A side panel with a strip of buttons, one per widget; one widget is shown at a
 * time, and clicking the shown one's button collapses the panel.
 */
export class SideBar {
  /** The button strip. */
  readonly tabBar: HTMLElement;
  /** The panel showing the current widget. */
  readonly panel: HTMLElement;
  private widgets: { widget: Widget; rank: number; button: HTMLButtonElement }[] = [];
  private _current: Widget | null = null;
  private readonly _changed = new Emitter<Widget | null>();
  /** Fires when the shown widget changes (null: collapsed). */
  readonly currentChanged = this._changed.event;

  constructor(readonly side: 'left' | 'right') {
    this.tabBar = document.createElement('nav');
    this.tabBar.className = `ja-SideBar-tabs ja-mod-${side}`;
    this.tabBar.setAttribute('aria-label', `${side} sidebar`);
    this.tabBar.setAttribute('role', 'tablist');
    this.panel = document.createElement('aside');
    this.panel.className = `ja-SideBar-panel ja-mod-${side}`;
    this.syncCollapsed();
  }

  get current(): Widget | null {
    return this._current;
  }

  get isEmpty(): boolean {
    return this.widgets.length === 0;
  }

  has(id: string): boolean {
    return this.widgets.some((w) => w.widget.id === id);
  }

  /** Add `widget` with a button (lower rank first); the first one added is shown. */
  add(widget: Widget, rank = 500): void {
    const button = document.createElement('button');
    button.className = 'ja-SideBar-tab';
    button.setAttribute('role', 'tab');
    button.dataset.id = widget.id;
    const update = () => {
      button.title = widget.title.caption || widget.title.label;
      button.setAttribute('aria-label', widget.title.label);
      button.className = `ja-SideBar-tab ${widget.title.iconClass}`;
      if (!widget.title.iconClass) button.textContent = widget.title.label.slice(0, 1);
    };
    update();
    widget.title.changed(update);
    button.addEventListener('click', () => this.toggle(widget.id));
    this.widgets.push({ widget, rank, button });
    this.widgets.sort((a, b) => a.rank - b.rank);
    for (const w of this.widgets) this.tabBar.appendChild(w.button);
    widget.node.hidden = true;
    this.panel.appendChild(widget.node);
    widget.disposed(() => {
      this.widgets = this.widgets.filter((w) => w.widget !== widget);
      button.remove();
      if (this._current === widget) this.show(null);
    });
    if (!this._current && this.widgets.length === 1) this.show(widget.id);
    this.syncCollapsed();
  }

  /** Show the widget `id` (or collapse the panel with null). */
  show(id: string | null): void {
    const next = this.widgets.find((w) => w.widget.id === id)?.widget ?? null;
    if (next === this._current) return;
    const prev = this._current;
    if (prev) {
      prev.node.hidden = true;
      prev.onHide();
    }
    this._current = next;
    for (const w of this.widgets) w.button.setAttribute('aria-selected', String(w.widget === next));
    if (next) {
      next.node.hidden = false;
      next.onShow();
    }
    this.syncCollapsed();
    this._changed.emit(next);
  }

  /** Show `id`, or collapse the panel if `id` is already shown. */
  toggle(id: string): void {
    this.show(this._current?.id === id ? null : id);
  }

  /** Show `id` and move focus into it. */
  activate(id: string): void {
    this.show(id);
    this._current?.onActivate();
  }

  private syncCollapsed(): void {
    this.panel.hidden = this._current === null;
    this.tabBar.hidden = this.widgets.length === 0;
  }
}
