import { Emitter } from '../core/emitter';

/** What a widget's tab or sidebar button shows. Setting a field fires `changed`. */
export class Title {
  private readonly _changed = new Emitter<Title>();
  /** Fires after any field changes. */
  readonly changed = this._changed.event;
  private _label: string;
  private _caption = '';
  private _dirty = false;
  private _iconClass = '';

  constructor(label: string) {
    this._label = label;
  }

  /** Text of the tab; always shown as text, never HTML. */
  get label(): string {
    return this._label;
  }
  set label(value: string) {
    if (value !== this._label) {
      this._label = value;
      this._changed.emit(this);
    }
  }

  /** Tooltip (e.g. the document's full path). */
  get caption(): string {
    return this._caption;
  }
  set caption(value: string) {
    if (value !== this._caption) {
      this._caption = value;
      this._changed.emit(this);
    }
  }

  /** Whether the widget holds unsaved changes (shown as a dot on the tab). */
  get dirty(): boolean {
    return this._dirty;
  }
  set dirty(value: boolean) {
    if (value !== this._dirty) {
      this._dirty = value;
      this._changed.emit(this);
    }
  }

  /** CSS class(es) of the icon shown in sidebars and tabs. */
  get iconClass(): string {
    return this._iconClass;
  }
  set iconClass(value: string) {
    if (value !== this._iconClass) {
      this._iconClass = value;
      this._changed.emit(this);
    }
  }
}

/**
 * A piece of UI the shell can place: a DOM node plus a title and a lifecycle.
 * Subclasses build into `node` and release resources in `dispose`.
 */
export class Widget {
  readonly node: HTMLElement;
  readonly title: Title;
  private readonly _disposed = new Emitter<Widget>();
  /** Fires once, when the widget is disposed (e.g. its tab is closed). */
  readonly disposed = this._disposed.event;
  private _isDisposed = false;

  /**
   * @param id Unique among the shell's widgets; a document widget uses its path.
   * @param label Initial title label.
   */
  constructor(
    readonly id: string,
    label: string,
    tag: keyof HTMLElementTagNameMap = 'div'
  ) {
    this.node = document.createElement(tag);
    this.title = new Title(label);
  }

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Called when the widget becomes visible. */
  onShow(): void {}
  /** Called when the widget is hidden (another tab selected, sidebar collapsed). */
  onHide(): void {}
  /**
   * Called when a person closes the widget's tab (the close button, Close Tab): resolve
   * false to keep it open. Document widgets ask about unsaved edits here; the default
   * closes at once.
   */
  requestClose(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** Called when it becomes the active widget: move focus into it. */
  onActivate(): void {
    if (!this.node.contains(document.activeElement)) this.node.focus({ preventScroll: true });
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    this.node.remove();
    this._disposed.emit(this);
    this._disposed.clear();
  }
}
