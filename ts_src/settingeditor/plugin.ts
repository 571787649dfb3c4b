import type { KeyBinding } from '../commands/keybindings';
import type { Application } from '../core/application';
import { DisposableSet } from '../core/disposable';
import { Emitter } from '../core/emitter';
import type { LayoutRestorer } from '../shell/restorer';
import type { Widget } from '../shell/widget';
import { SHORTCUTS_ID, UserShortcut, findConflicts, parseShortcuts, Conflict } from './shortcuts';
import { errorMessage } from '../core/errors';
import { definePlugin, LAYOUT, SHORTCUTS } from '../tokens';

/**
 * The user's shortcuts in effect: what the `shortcuts` setting added and switched off,
 * and the conflicts it left. The settings editor reads it; it changes live.
 */
export class UserShortcuts {
  private applied = new DisposableSet();
  private _bindings: KeyBinding[] = [];
  private _errors: string[] = [];
  private _conflicts: Conflict[] = [];
  private readonly _changed = new Emitter<void>();
  /** Fires after the setting was applied again. */
  readonly changed = this._changed.event;

  constructor(private readonly app: Application) {}

  /** The bindings the user added. */
  get bindings(): readonly KeyBinding[] {
    return this._bindings;
  }

  /** Entries that could not be applied (an unknown key name), with why. */
  get errors(): readonly string[] {
    return this._errors;
  }

  /** User bindings that clash with another binding in effect. */
  get conflicts(): readonly Conflict[] {
    return this._conflicts;
  }

  /** Replace the user's bindings with `shortcuts` (the setting's value). */
  apply(shortcuts: UserShortcut[]): void {
    const { keybindings } = this.app;
    this.applied.dispose();
    this.applied = new DisposableSet();
    this._bindings = [];
    this._errors = [];
    for (const s of shortcuts) {
      try {
        if (s.disabled) this.applied.add(keybindings.suppress(s.command, s.keys));
      } catch (err) {
        this._errors.push(`${s.keys.join(' ')} (${s.command}): ${errorMessage(err)}`);
      }
    }
    for (const s of shortcuts) {
      if (s.disabled) continue;
      try {
        const before = keybindings.keyBindings.length;
        this.applied.add(keybindings.addKeyBinding({ command: s.command, keys: s.keys, selector: s.selector ?? 'body' }));
        this._bindings.push(keybindings.keyBindings[before]!);
      } catch (err) {
        this._errors.push(`${s.keys.join(' ')} (${s.command}): ${errorMessage(err)}`);
      }
    }
    this._conflicts = findConflicts(this._bindings, keybindings.activeKeyBindings);
    this._changed.emit();
  }
}

/**
 * Keyboard shortcuts as settings: the `shortcuts` setting of
 * `@jlab-alt/settingeditor:shortcuts` adds bindings and switches default ones off,
 * applied to the keybinding registry live; a conflict is reported as a notification
 * (and in the settings editor).
 */
export const shortcutsPlugin = definePlugin({
  id: SHORTCUTS,
  description: 'Your keyboard shortcuts (setting shortcuts), applied live, with conflicts reported.',
  activate(app) {
    const user = new UserShortcuts(app);
    let reported = '';
    // After every plugin added its defaults, so the user's bindings come last and win.
    void app.started.then(() =>
      app.settings.watch(SHORTCUTS_ID, (settings) => {
        user.apply(parseShortcuts(settings.shortcuts));
        const problems = [
          ...user.conflicts.map((c) => `${c.keys.join(' ')} is bound to ${c.commands.map((id) => `"${app.commands.label(id) || id}"`).join(' and ')}`),
          ...user.errors
        ];
        const text = problems.join('; ');
        if (text && text !== reported) app.notifications.notify(`Keyboard shortcut conflict: ${text}`, { type: 'warning' });
        reported = text;
      })
    );
    return user;
  }
});

/**
 * The settings editor (Ctrl+,, command `settingeditor:open`): every plugin's settings
 * on one searchable page, as a form generated from the schemas or as JSON, and the
 * keyboard shortcuts. Its code loads on first use.
 */
export const settingEditorPlugin = definePlugin({
  id: '@jlab-alt/settingeditor:plugin',
  description: "The settings editor: every plugin's settings as a form or as JSON.",
  requires: [SHORTCUTS],
  optional: [LAYOUT],
  activate(app, shortcuts: UserShortcuts, restorer: LayoutRestorer | null) {
    let editor: Widget | null = null;
    app.commands.addCommand('settingeditor:open', {
      label: 'Settings Editor',
      caption: 'Change the settings of every plugin, and keyboard shortcuts',
      category: 'Settings',
      execute: async (args) => {
        if (editor && !editor.isDisposed) {
          app.shell.activateById(editor.id);
        } else {
          const { SettingEditor } = await import(/* webpackChunkName: "settingeditor" */ './editor');
          editor = new SettingEditor(app, shortcuts);
          app.shell.add(editor, 'main');
        }
        if (typeof args.query === 'string') (editor as { search?: (q: string) => void }).search?.(args.query);
      }
    });
    // Its tab comes back with the saved layout.
    restorer?.addRestorer({
      namespace: 'settingeditor',
      command: 'settingeditor:open',
      args: (widget) => (widget === editor ? {} : null),
      matches: (widget) => widget.id === 'settingeditor'
    });
  }
});
