import { Emitter } from '../core/emitter';

export type NotificationType = 'info' | 'success' | 'warning' | 'error';

/** A message shown to the person, e.g. "Extension X failed to load". */
export interface Notification {
  id: number;
  type: NotificationType;
  /** Plain text; never interpreted as HTML. */
  message: string;
  /** When it was raised (ms since the epoch). */
  time: number;
}

/** Options of {@link NotificationCenter.notify}. */
export interface NotifyOptions {
  type?: NotificationType;
  /** Hide the toast after this many ms; `false` keeps it until dismissed. Default: 6000, errors stay. */
  autoClose?: number | false;
}

/** How many notifications {@link NotificationCenter.all} keeps; older ones are dropped. */
export const MAX_NOTIFICATIONS = 200;

/**
 * Keeps the newest {@link MAX_NOTIFICATIONS} notifications raised since start and shows
 * each as a toast in the bottom-right corner. Errors stay until dismissed.
 */
export class NotificationCenter {
  private items: Notification[] = [];
  private nextId = 1;
  readonly node: HTMLElement;
  private readonly _added = new Emitter<Notification>();
  /** Fires for each new notification. */
  readonly added = this._added.event;

  constructor() {
    this.node = document.createElement('div');
    this.node.className = 'ja-Toasts';
    this.node.setAttribute('aria-live', 'polite');
  }

  /** The newest {@link MAX_NOTIFICATIONS} notifications raised so far, oldest first. */
  get all(): readonly Notification[] {
    return this.items;
  }

  /** Raise a notification; returns its id. */
  notify(message: string, options: NotifyOptions = {}): number {
    const type = options.type ?? 'info';
    const note: Notification = { id: this.nextId++, type, message, time: Date.now() };
    this.items.push(note);
    // A page open for days (a kernel that warns on every run) must not grow without end.
    if (this.items.length > MAX_NOTIFICATIONS) this.items.splice(0, this.items.length - MAX_NOTIFICATIONS);
    this.showToast(note, options.autoClose ?? (type === 'error' ? false : 6000));
    this._added.emit(note);
    return note.id;
  }

  private showToast(note: Notification, autoClose: number | false): void {
    const toast = document.createElement('div');
    toast.className = `ja-Toast ja-mod-${note.type}`;
    toast.dataset.testid = 'notification';
    toast.dataset.type = note.type;
    toast.setAttribute('role', note.type === 'error' ? 'alert' : 'status');
    const text = document.createElement('div');
    text.className = 'ja-Toast-message';
    text.textContent = note.message;
    const close = document.createElement('button');
    close.className = 'ja-Toast-close';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '×';
    close.addEventListener('click', () => toast.remove());
    toast.append(text, close);
    this.node.appendChild(toast);
    if (autoClose !== false) setTimeout(() => toast.remove(), autoClose);
  }
}
