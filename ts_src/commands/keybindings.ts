import { DisposableDelegate, IDisposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { CommandArgs, CommandRegistry } from './registry';
import { isMac, keystrokeForEvent, normalizeKeystroke } from './keystroke';

/** A keyboard shortcut: a keystroke sequence that runs a command where `selector` matches. */
export interface KeyBindingOptions {
  /** One keystroke, or several for a chord (`['D', 'D']`); see `normalizeKeystroke`. */
  keys: string[];
  /**
   * CSS selector of the elements where the binding applies: the event target or an
   * ancestor must match (`'body'` for everywhere). This is how modes are expressed,
   * e.g. `'.ja-Notebook.ja-mod-command'`.
   */
  selector: string;
  command: string;
  args?: CommandArgs;
}

/** A registered binding, with its keys in canonical form. */
export interface KeyBinding extends Readonly<KeyBindingOptions> {
  readonly keys: string[];
}

/** How long a chord waits for its next keystroke, in milliseconds. */
export const CHORD_TIMEOUT_MS = 1000;

/**
 * Marks a DOM subtree that keeps its keys (a terminal: the shell needs Ctrl+W, Ctrl+B,
 * Alt+Backspace...). Inside it, only bindings whose selector matches an element within
 * the subtree (the marked element included) can fire; the app's own bindings (`body`,
 * the notebook's...) do not, except for {@link NATIVE_ESCAPE_KEYSTROKE}.
 */
export const NATIVE_KEYS_SELECTOR = '[data-ja-keys="native"]';

/**
 * The one keystroke that reaches the app's bindings from inside a
 * {@link NATIVE_KEYS_SELECTOR} subtree: Ctrl+Shift+P (Cmd+Shift+P on a Mac) opens the
 * command palette from anywhere (VS Code's key for it). Terminal emulators keep
 * Ctrl+Shift+letter for themselves, so no shell program needs it.
 */
export const NATIVE_ESCAPE_KEYSTROKE = 'Accel Shift P';

/**
 * Matches keydown events against bindings and runs their commands.
 *
 * Precedence: the binding whose selector matches the element closest to the event
 * target wins; among bindings matching the same element, the one added last wins.
 * Bindings whose command is disabled are skipped, and the key goes on to the page.
 * A keystroke that starts a longer chord waits up to {@link CHORD_TIMEOUT_MS} for
 * the rest; a complete match that is also a chord prefix waits too, and runs if the
 * chord is not continued. Inside a subtree marked `data-ja-keys="native"` matching
 * stops at the marked element (see {@link NATIVE_KEYS_SELECTOR}), so the keys go to
 * the widget, except {@link NATIVE_ESCAPE_KEYSTROKE}.
 */
export class KeybindingRegistry {
  private bindings: KeyBinding[] = [];
  private suppressed: { command: string; keys: string[] }[] = [];
  private pending: string[] = [];
  private pendingTimer: ReturnType<typeof setTimeout> | null = null;
  private pendingExact: { binding: KeyBinding; target: Element } | null = null;
  private readonly escape: string;
  private readonly _changed = new Emitter<void>();
  /** Fires after a binding was added or removed, or switched off or on (shown shortcuts follow it). */
  readonly changed = this._changed.event;

  constructor(
    private readonly commands: CommandRegistry,
    private readonly mac = isMac()
  ) {
    this.escape = normalizeKeystroke(NATIVE_ESCAPE_KEYSTROKE, mac);
  }

  /**
   * Add a binding; dispose the result to remove it.
   * @throws Error when a keystroke cannot be parsed (see `normalizeKeystroke`).
   */
  addKeyBinding(options: KeyBindingOptions): IDisposable {
    const binding: KeyBinding = {
      ...options,
      keys: options.keys.map((k) => normalizeKeystroke(k, this.mac))
    };
    this.bindings.push(binding);
    this._changed.emit();
    return new DisposableDelegate(() => {
      this.bindings = this.bindings.filter((b) => b !== binding);
      this._changed.emit();
    });
  }

  /** Every binding, in the order added (also those switched off by {@link suppress}). */
  get keyBindings(): readonly KeyBinding[] {
    return this.bindings;
  }

  /** The bindings in effect: {@link keyBindings} without those switched off. */
  get activeKeyBindings(): readonly KeyBinding[] {
    return this.bindings.filter((b) => !this.isSuppressed(b));
  }

  /**
   * Switch off the bindings of `command` to `keys` (the user's shortcut settings do, to
   * rebind a command); dispose the result to switch them on again.
   * @throws Error when a keystroke cannot be parsed.
   */
  suppress(command: string, keys: string[]): IDisposable {
    const entry = { command, keys: keys.map((k) => normalizeKeystroke(k, this.mac)) };
    this.suppressed.push(entry);
    this._changed.emit();
    return new DisposableDelegate(() => {
      this.suppressed = this.suppressed.filter((e) => e !== entry);
      this._changed.emit();
    });
  }

  private isSuppressed(b: KeyBinding): boolean {
    return this.suppressed.some((e) => e.command === b.command && startsWith(b.keys, e.keys) && b.keys.length === e.keys.length);
  }

  /** The first binding (most recently added) in effect for `command`, to show its shortcut. */
  bindingFor(command: string): KeyBinding | undefined {
    for (let i = this.bindings.length - 1; i >= 0; i--) {
      const b = this.bindings[i]!;
      if (b.command === command && !this.isSuppressed(b)) return b;
    }
    return undefined;
  }

  /** Handle a keydown event; call it from one listener on the document (capture phase). */
  processKeydownEvent(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.isComposing) return;
    const keystroke = keystrokeForEvent(event);
    if (!keystroke) return;
    const target = event.target instanceof Element ? event.target : document.body;
    const sequence = [...this.pending, keystroke];
    const { exact, partial } = this.match(sequence, target);
    const abandoned = this.pendingExact;
    this.clearPending();
    if (partial) {
      event.preventDefault();
      event.stopPropagation();
      this.pending = sequence;
      this.pendingExact = exact ? { binding: exact, target } : null;
      this.pendingTimer = setTimeout(() => this.flushPending(), CHORD_TIMEOUT_MS);
      return;
    }
    if (exact) {
      event.preventDefault();
      event.stopPropagation();
      this.run(exact);
      return;
    }
    if (sequence.length > 1) {
      // The chord broke off: run the shortcut its keys already completed, if any; the
      // keystroke may still start a binding of its own.
      if (abandoned) this.run(abandoned.binding);
      this.processKeydownEvent(event);
    }
  }

  private flushPending(): void {
    const exact = this.pendingExact;
    this.clearPending();
    if (exact) this.run(exact.binding);
  }

  private clearPending(): void {
    if (this.pendingTimer !== null) clearTimeout(this.pendingTimer);
    this.pendingTimer = null;
    this.pending = [];
    this.pendingExact = null;
  }

  private run(binding: KeyBinding): void {
    const args = binding.args ?? {};
    if (!this.commands.isEnabled(binding.command, args)) return;
    this.commands.execute(binding.command, args).catch((err) => {
      console.error(`Command "${binding.command}" failed:`, err);
    });
  }

  /** The best exact match for `sequence` at `target`, and whether a longer chord could match. */
  private match(sequence: string[], target: Element): { exact: KeyBinding | null; partial: boolean } {
    let partial = false;
    const escapes = sequence.length === 1 && sequence[0] === this.escape;
    for (let el: Element | null = target; el; el = el.parentElement) {
      let exact: KeyBinding | null = null;
      for (const b of this.bindings) {
        if (!startsWith(b.keys, sequence) || !matchesSelector(el, b.selector) || this.isSuppressed(b)) continue;
        // A complete binding whose command is disabled lets the key through (so, e.g.,
        // Escape reaches an open completion popup instead of leaving edit mode).
        if (b.keys.length === sequence.length) {
          if (this.commands.isEnabled(b.command, b.args ?? {})) exact = b;
        } else partial = true;
      }
      if (exact) return { exact, partial };
      // The boundary: the app's bindings above a native subtree do not see its keys.
      if (!escapes && matchesSelector(el, NATIVE_KEYS_SELECTOR)) break;
    }
    return { exact: null, partial };
  }
}

function startsWith(keys: string[], prefix: string[]): boolean {
  return prefix.length <= keys.length && prefix.every((k, i) => keys[i] === k);
}

function matchesSelector(el: Element, selector: string): boolean {
  try {
    return el.matches(selector);
  } catch {
    return false;
  }
}
