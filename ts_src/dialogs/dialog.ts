/** A button of a {@link showDialog}. */
export interface DialogButton {
  /** Returned when chosen. */
  id: string;
  label: string;
  /** Visual weight: the accent (default action) or a warning (destructive). */
  kind?: 'accept' | 'warn' | 'default';
}

/** Options of {@link showDialog}. */
export interface DialogOptions {
  title: string;
  /** Plain text (never HTML) or an element. */
  body: string | HTMLElement;
  buttons: DialogButton[];
  /** The button chosen by Enter (defaults to the last). */
  defaultButton?: string;
}

/**
 * Show a modal dialog; resolves with the id of the chosen button, or `'cancel'`
 * when it is dismissed with Escape. Enter chooses the default button from anywhere in
 * the dialog (a text field, a `<select>`) except where it has a meaning of its own: on
 * a button (that button), in a `<textarea>` (a new line), in a link. Tab and Shift+Tab
 * cycle through the dialog's controls only, as in JupyterLab's dialogs.
 */
export function showDialog(options: DialogOptions): Promise<string> {
  return new Promise((resolve) => {
    const previous = document.activeElement as HTMLElement | null;
    const backdrop = document.createElement('div');
    backdrop.className = 'ja-Dialog-backdrop';
    const dialog = document.createElement('div');
    dialog.className = 'ja-Dialog';
    dialog.dataset.testid = 'dialog';
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    const title = document.createElement('h2');
    title.className = 'ja-Dialog-title';
    title.textContent = options.title;
    dialog.setAttribute('aria-label', options.title);
    const body = document.createElement('div');
    body.className = 'ja-Dialog-body';
    if (typeof options.body === 'string') body.textContent = options.body;
    else body.appendChild(options.body);
    const footer = document.createElement('div');
    footer.className = 'ja-Dialog-buttons';
    const done = (id: string) => {
      backdrop.remove();
      previous?.focus?.({ preventScroll: true });
      resolve(id);
    };
    const defaultId = options.defaultButton ?? options.buttons[options.buttons.length - 1]?.id ?? 'cancel';
    let defaultEl: HTMLButtonElement | null = null;
    for (const b of options.buttons) {
      const el = document.createElement('button');
      el.className = `ja-Dialog-button ja-mod-${b.kind ?? 'default'}`;
      el.dataset.id = b.id;
      el.textContent = b.label;
      el.addEventListener('click', () => done(b.id));
      footer.appendChild(el);
      if (b.id === defaultId) defaultEl = el;
    }
    dialog.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        done('cancel');
      } else if (e.key === 'Enter' && !e.isComposing && !e.defaultPrevented && !(e.target as Element).closest('button, textarea, a')) {
        e.preventDefault();
        e.stopPropagation();
        done(defaultId);
      } else if (e.key === 'Tab') {
        keepFocusIn(dialog, e);
      }
    });
    dialog.append(title, body, footer);
    backdrop.appendChild(dialog);
    document.body.appendChild(backdrop);
    const focusTarget = body.querySelector<HTMLElement>('input, select, textarea') ?? defaultEl;
    focusTarget?.focus();
  });
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/** Tab from the last control goes to the first, Shift+Tab from the first to the last: focus stays in the modal. */
function keepFocusIn(dialog: HTMLElement, e: KeyboardEvent): void {
  const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (e.shiftKey && (active === first || !dialog.contains(active))) {
    e.preventDefault();
    last.focus();
  } else if (!e.shiftKey && (active === last || !dialog.contains(active))) {
    e.preventDefault();
    first.focus();
  }
}
