import { javascript } from '@codemirror/lang-javascript';
import { syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { classHighlighter } from '@lezer/highlight';
import JSON5 from 'json5';
import type { KeyBinding } from '../commands/keybindings';
import { formatKeystroke, keystrokeForEvent } from '../commands/keystroke';
import type { Application } from '../core/application';
import { DisposableSet } from '../core/disposable';
import type { PluginSettings, SettingsValues } from '../services/settings';
import { Widget } from '../shell/widget';
import {
  Field,
  Section,
  formatValue,
  jsonText,
  matches,
  parseInput,
  sectionFor,
  withValue,
  withoutKey
} from './form';
import type { UserShortcuts } from './plugin';
import { SHORTCUTS_ID, conflictsWith, parseShortcuts, rebind } from './shortcuts';
import './settingeditor.css';
import { errorMessage } from '../core/errors';

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

/** One field's row: its control, modified mark, reset button and error line. */
class FieldRow {
  readonly node = el('div', 'ja-SettingField');
  private readonly mark = el('span', 'ja-SettingField-modified', 'Modified');
  private readonly error = el('p', 'ja-SettingField-error');
  private readonly control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null;
  private readonly subControls = new Map<string, HTMLInputElement | HTMLSelectElement>();

  constructor(
    public field: Field,
    private readonly section: SectionView
  ) {
    this.node.dataset.testid = 'setting-field';
    this.node.dataset.key = field.key;
    const head = el('div', 'ja-SettingField-head');
    const id = `ja-setting-${section.plugin.id.replace(/[^A-Za-z0-9_-]/g, '_')}-${field.key}`;
    const label = el('label', 'ja-SettingField-title', field.title);
    label.htmlFor = id;
    const key = el('code', 'ja-SettingField-key', field.key);
    this.mark.dataset.testid = 'setting-modified';
    this.mark.title = 'Set by you (the default is shown by Reset)';
    const reset = el('button', 'ja-Button ja-SettingField-reset', 'Reset');
    reset.type = 'button';
    reset.dataset.testid = 'setting-reset';
    reset.addEventListener('click', () => void this.section.reset(field.key));
    head.append(label, key, this.mark, reset);
    const desc = el('p', 'ja-SettingField-description', field.description);
    this.error.dataset.testid = 'setting-error';
    this.error.setAttribute('role', 'alert');
    this.node.append(head, desc);
    this.control = this.makeControl(id);
    if (this.control) this.node.append(this.control);
    this.node.append(this.error);
    this.sync(field);
  }

  private makeControl(id: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null {
    const field = this.field;
    const commit = (raw: unknown) => void this.commit(raw);
    // The object case appends its own box of sub-controls and returns null.
    switch (field.kind) {
      case 'boolean': {
        const input = el('input');
        input.type = 'checkbox';
        input.id = id;
        input.addEventListener('change', () => commit(input.checked));
        return input;
      }
      case 'enum': {
        const select = el('select');
        select.id = id;
        for (const option of field.options ?? []) select.append(new Option(String(option), String(option)));
        select.addEventListener('change', () => commit(select.value));
        return select;
      }
      case 'number':
      case 'integer':
      case 'string': {
        const input = el('input');
        input.id = id;
        input.type = field.kind === 'string' ? 'text' : 'number';
        if (field.minimum !== undefined) input.min = String(field.minimum);
        if (field.maximum !== undefined) input.max = String(field.maximum);
        if (field.kind === 'integer') input.step = '1';
        // 'change' fires on Enter and on leaving the field.
        input.addEventListener('change', () => commit(input.value));
        return input;
      }
      case 'string-list':
      case 'json': {
        const area = el('textarea', 'ja-SettingField-text');
        area.id = id;
        area.rows = 3;
        area.spellcheck = false;
        if (field.kind === 'string-list') area.placeholder = 'One per line';
        area.addEventListener('change', () => commit(area.value));
        return area;
      }
      case 'object': {
        const box = el('div', 'ja-SettingField-object');
        for (const sub of field.fields ?? []) {
          const line = el('label', 'ja-SettingField-sub');
          line.append(el('span', '', sub.title));
          let input: HTMLInputElement | HTMLSelectElement;
          if (sub.kind === 'enum') {
            input = el('select');
            for (const option of sub.options ?? []) input.append(new Option(String(option), String(option)));
          } else {
            input = el('input');
            input.type = sub.kind === 'boolean' ? 'checkbox' : sub.kind === 'string' ? 'text' : 'number';
          }
          input.dataset.key = sub.key;
          input.addEventListener('change', () => void this.commitObject());
          this.subControls.set(sub.key, input);
          line.append(input);
          box.append(line);
        }
        this.node.append(box);
        return null;
      }
    }
  }

  /** Show `field`'s value (unless the person is typing in it) and whether it is modified. */
  sync(field: Field): void {
    this.field = field;
    this.node.dataset.modified = String(field.modified);
    this.mark.hidden = !field.modified;
    (this.node.querySelector('.ja-SettingField-reset') as HTMLButtonElement).disabled = !field.modified;
    const control = this.control;
    if (control && document.activeElement !== control) {
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = Boolean(field.value);
      else control.value = formatValue(field, field.value);
    }
    const value = (field.value ?? {}) as Record<string, unknown>;
    for (const sub of field.fields ?? []) {
      const input = this.subControls.get(sub.key)!;
      if (document.activeElement === input) continue;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = Boolean(value[sub.key]);
      else input.value = formatValue(sub, value[sub.key]);
    }
  }

  showError(text: string): void {
    this.error.textContent = text;
    this.node.dataset.invalid = String(text !== '');
  }

  private async commit(raw: unknown): Promise<void> {
    let value: unknown;
    try {
      value = this.field.kind === 'json' ? JSON5.parse(String(raw)) : parseInput(this.field, raw);
    } catch (err) {
      // The typed text stays in the control, so nothing is lost.
      this.showError(this.field.kind === 'json' ? `${this.field.title}: not valid JSON: ${errorMessage(err)}` : errorMessage(err));
      return;
    }
    this.showError('');
    await this.section.set(this.field.key, value, this);
  }

  private async commitObject(): Promise<void> {
    const value: Record<string, unknown> = {};
    try {
      for (const sub of this.field.fields ?? []) {
        const input = this.subControls.get(sub.key)!;
        const raw = input instanceof HTMLInputElement && input.type === 'checkbox' ? input.checked : input.value;
        if (raw === '' && sub.kind !== 'string') continue;
        value[sub.key] = parseInput(sub, raw);
      }
    } catch (err) {
      this.showError(errorMessage(err));
      return;
    }
    this.showError('');
    await this.section.set(this.field.key, value, this);
  }
}

/** One plugin's settings: the form, and its JSON view. */
class SectionView {
  readonly node = el('section', 'ja-SettingSection');
  private readonly rows = new Map<string, FieldRow>();
  private readonly jsonBox = el('div', 'ja-SettingSection-json');
  private readonly jsonError = el('p', 'ja-SettingField-error');
  private readonly jsonButton = el('button', 'ja-Button', 'Edit as JSON');
  private json: EditorView | null = null;
  section: Section;

  constructor(
    public plugin: PluginSettings,
    section: Section,
    private readonly owner: SettingEditor
  ) {
    this.section = section;
    this.node.dataset.testid = 'settings-section';
    this.node.dataset.pluginId = plugin.id;
    const header = el('header', 'ja-SettingSection-header');
    const title = el('h2', '', section.title);
    const id = el('code', 'ja-SettingSection-id', plugin.id);
    this.jsonButton.type = 'button';
    this.jsonButton.dataset.testid = 'settings-json-toggle';
    this.jsonButton.addEventListener('click', () => (this.json ? this.closeJson() : this.openJson()));
    header.append(title, id, this.jsonButton);
    this.node.append(header);
    if (section.description) this.node.append(el('p', 'ja-SettingSection-description', section.description));
    for (const field of section.fields) {
      const row = new FieldRow(field, this);
      this.rows.set(field.key, row);
      this.node.append(row.node);
    }
    this.jsonBox.hidden = true;
    this.jsonError.dataset.testid = 'settings-json-error';
    this.jsonError.setAttribute('role', 'alert');
    this.node.append(this.jsonBox);
  }

  /** Show the latest settings (after a save here or elsewhere). */
  update(plugin: PluginSettings): void {
    const section = sectionFor(plugin);
    if (!section) return;
    this.plugin = plugin;
    this.section = section;
    for (const field of section.fields) this.rows.get(field.key)?.sync(field);
    this.owner.filter();
  }

  /** Which rows the search and "modified only" leave; whether any is left. */
  filter(query: string, modifiedOnly: boolean): boolean {
    let any = false;
    for (const [key, row] of this.rows) {
      const field = this.section.fields.find((f) => f.key === key)!;
      const shown = matches(field, this.section, query) && (!modifiedOnly || field.modified);
      row.node.hidden = !shown;
      any ||= shown;
    }
    const open = this.json !== null;
    this.node.hidden = !any && !open;
    return any || open;
  }

  async set(key: string, value: unknown, row: FieldRow): Promise<void> {
    await this.save(withValue(this.plugin.settings, key, value), (text) => row.showError(text));
  }

  async reset(key: string): Promise<void> {
    const row = this.rows.get(key);
    await this.save(withoutKey(this.plugin.settings, key), (text) => row?.showError(text));
  }

  /** Save the user settings; the server validates them against the schema (its message is shown). */
  private async save(settings: SettingsValues, showError: (text: string) => void): Promise<boolean> {
    try {
      this.update(await this.owner.app.settings.save(this.plugin.id, settings));
      showError('');
      return true;
    } catch (err) {
      showError(errorMessage(err));
      return false;
    }
  }

  private openJson(): void {
    const host = el('div', 'ja-SettingSection-cm');
    const buttons = el('div', 'ja-SettingSection-buttons');
    const save = el('button', 'ja-Button ja-mod-accept', 'Save JSON');
    save.type = 'button';
    save.dataset.testid = 'settings-json-save';
    const close = el('button', 'ja-Button', 'Close');
    close.type = 'button';
    buttons.append(save, close);
    this.jsonBox.replaceChildren(host, this.jsonError, buttons);
    this.jsonError.textContent = '';
    this.json = new EditorView({
      parent: host,
      state: EditorState.create({
        doc: jsonText(this.section, this.plugin.settings),
        extensions: [
          lineNumbers(),
          history(),
          javascript(),
          syntaxHighlighting(classHighlighter),
          EditorView.lineWrapping,
          keymap.of([{ key: 'Mod-s', run: () => (void this.saveJson(), true) }, ...historyKeymap, ...defaultKeymap]),
          EditorView.contentAttributes.of({ 'aria-label': `Settings of ${this.section.title} as JSON`, 'data-testid': 'settings-json-editor' })
        ]
      })
    });
    save.addEventListener('click', () => void this.saveJson());
    close.addEventListener('click', () => this.closeJson());
    this.jsonBox.hidden = false;
    this.jsonButton.textContent = 'Close JSON';
    this.node.classList.add('ja-mod-json');
    this.json.focus();
  }

  private closeJson(): void {
    this.json?.destroy();
    this.json = null;
    this.jsonBox.hidden = true;
    this.jsonBox.replaceChildren();
    this.jsonButton.textContent = 'Edit as JSON';
    this.node.classList.remove('ja-mod-json');
  }

  /**
   * Parse the JSON view (JSON5: comments, trailing commas) and save it. On a syntax
   * error or a value the schema refuses, the message shows under the editor and the
   * text stays as typed: nothing is lost.
   */
  async saveJson(): Promise<void> {
    if (!this.json) return;
    const text = this.json.state.doc.toString();
    let value: unknown;
    try {
      value = JSON5.parse(text);
    } catch (err) {
      this.jsonError.textContent = `Not valid JSON: ${errorMessage(err)}`;
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.jsonError.textContent = 'The settings must be a JSON object: { "key": value, ... }';
      return;
    }
    if (await this.save(value as SettingsValues, (t) => (this.jsonError.textContent = t))) {
      this.jsonError.textContent = '';
      this.jsonBox.dataset.saved = 'true';
    }
  }
}

/** The keyboard shortcuts: every command with its keys, to rebind. */
class ShortcutsView {
  readonly node = el('section', 'ja-SettingSection ja-SettingShortcuts');
  private readonly list = el('div', 'ja-SettingShortcuts-list');
  private readonly conflicts = el('div', 'ja-SettingShortcuts-conflicts');
  private query = '';
  private modifiedOnly = false;

  constructor(
    private readonly app: Application,
    private readonly user: UserShortcuts,
    owner: SettingEditor
  ) {
    this.node.dataset.testid = 'settings-shortcuts';
    const header = el('header', 'ja-SettingSection-header');
    header.append(el('h2', '', 'Keyboard Shortcuts'), el('code', 'ja-SettingSection-id', SHORTCUTS_ID));
    this.conflicts.dataset.testid = 'shortcut-conflicts';
    this.conflicts.setAttribute('role', 'status');
    this.node.append(
      header,
      el('p', 'ja-SettingSection-description', 'Click a shortcut, then press the new keys. Escape cancels.'),
      this.conflicts,
      this.list
    );
    owner.own(user.changed(() => this.render()));
  }

  filter(query: string, modifiedOnly: boolean): boolean {
    this.query = query;
    this.modifiedOnly = modifiedOnly;
    return this.render();
  }

  private userCommands(): Set<string> {
    return new Set(this.user.bindings.map((b) => b.command));
  }

  render(): boolean {
    const { commands, keybindings } = this.app;
    const mine = this.userCommands();
    const rows: HTMLElement[] = [];
    const words = this.query.toLowerCase().split(/\s+/).filter(Boolean);
    for (const id of commands.listCommands().sort()) {
      const label = commands.label(id) || id;
      const binding = keybindings.bindingFor(id);
      const keys = binding ? binding.keys.map((k) => formatKeystroke(k)).join(' ') : '';
      const hay = `${label} ${id} ${keys} ${commands.category(id)} keyboard shortcuts`.toLowerCase();
      if (!words.every((w) => hay.includes(w))) continue;
      if (this.modifiedOnly && !mine.has(id)) continue;
      const row = el('div', 'ja-SettingShortcut');
      row.dataset.testid = 'shortcut-row';
      row.dataset.command = id;
      const button = el('button', 'ja-SettingShortcut-keys', keys || 'Add');
      button.type = 'button';
      button.dataset.testid = 'shortcut-keys';
      button.title = 'Press to record new keys';
      button.addEventListener('click', () => this.record(id, binding ?? null, button, row));
      row.append(el('span', 'ja-SettingShortcut-label', label), el('code', 'ja-SettingField-key', id), button);
      if (mine.has(id)) {
        row.dataset.modified = 'true';
        const reset = el('button', 'ja-Button', 'Reset');
        reset.type = 'button';
        reset.dataset.testid = 'shortcut-reset';
        reset.addEventListener('click', () => void this.resetCommand(id));
        row.append(reset);
      }
      rows.push(row);
    }
    this.list.replaceChildren(...rows);
    this.conflicts.replaceChildren(
      ...this.user.conflicts.map((c) => {
        const line = el('p', 'ja-SettingField-error');
        line.dataset.testid = 'shortcut-conflict';
        line.textContent = `Conflict: ${c.keys.map((k) => formatKeystroke(k)).join(' ')} is bound to ${c.commands
          .map((id) => `"${commands.label(id) || id}"`)
          .join(' and ')}.`;
        return line;
      }),
      ...this.user.errors.map((e) => el('p', 'ja-SettingField-error', e))
    );
    this.node.hidden = rows.length === 0 && this.user.conflicts.length === 0;
    return !this.node.hidden;
  }

  /** Record the next keystroke for `command`; a conflict asks before replacing the other binding. */
  private record(command: string, current: KeyBinding | null, button: HTMLButtonElement, row: HTMLElement): void {
    button.textContent = 'Press keys…';
    button.dataset.recording = 'true';
    const listener = (event: KeyboardEvent) => {
      const keystroke = keystrokeForEvent(event);
      if (!keystroke || ['Ctrl', 'Alt', 'Shift', 'Cmd'].includes(keystroke.split(' ').pop()!)) return; // a modifier alone
      event.preventDefault();
      event.stopPropagation();
      window.removeEventListener('keydown', listener, true);
      delete button.dataset.recording;
      if (keystroke === 'Escape') {
        this.render();
        return;
      }
      void this.assign(command, current, [keystroke], row);
    };
    // Capture phase on the window: before the app's shortcuts (on the document) see the keys.
    window.addEventListener('keydown', listener, true);
    button.focus();
  }

  private async assign(command: string, current: KeyBinding | null, keys: string[], row: HTMLElement): Promise<void> {
    const selector = current?.selector ?? 'body';
    const clashes = conflictsWith({ command, keys, selector }, this.app.keybindings.activeKeyBindings);
    let replacing: KeyBinding[] = [];
    if (clashes.length > 0) {
      const ok = await this.confirmConflict(row, keys, clashes);
      if (!ok) {
        this.render();
        return;
      }
      replacing = clashes;
    }
    const stored = parseShortcuts((await this.app.settings.load(SHORTCUTS_ID)).shortcuts);
    // Only a default binding is switched off; a user binding is simply replaced.
    const previous = current && !this.user.bindings.includes(current) ? current : null;
    await this.saveShortcuts(rebind(stored, command, keys, selector, previous, replacing));
  }

  private confirmConflict(row: HTMLElement, keys: string[], clashes: KeyBinding[]): Promise<boolean> {
    return new Promise((resolve) => {
      const box = el('div', 'ja-SettingShortcut-conflict');
      box.dataset.testid = 'shortcut-conflict';
      box.setAttribute('role', 'alert');
      const names = [...new Set(clashes.map((b) => `"${this.app.commands.label(b.command) || b.command}"`))].join(', ');
      box.append(el('span', '', `${keys.map((k) => formatKeystroke(k)).join(' ')} is already bound to ${names}. `));
      const replace = el('button', 'ja-Button ja-mod-warn', 'Replace');
      replace.type = 'button';
      replace.dataset.testid = 'shortcut-replace';
      const cancel = el('button', 'ja-Button', 'Cancel');
      cancel.type = 'button';
      replace.addEventListener('click', () => resolve(true));
      cancel.addEventListener('click', () => resolve(false));
      box.append(replace, cancel);
      row.append(box);
      cancel.focus();
    });
  }

  private async resetCommand(command: string): Promise<void> {
    const stored = parseShortcuts((await this.app.settings.load(SHORTCUTS_ID)).shortcuts);
    await this.saveShortcuts(stored.filter((s) => s.command !== command));
  }

  private async saveShortcuts(shortcuts: unknown[]): Promise<void> {
    try {
      const current = (await this.app.settings.fetch(SHORTCUTS_ID)).settings;
      await this.app.settings.save(SHORTCUTS_ID, { ...current, shortcuts });
    } catch (err) {
      this.app.notifications.notify(`Could not save the shortcut: ${errorMessage(err)}`, { type: 'error' });
      this.render();
    }
  }
}

/**
 * The settings editor: one page over every plugin's settings (from their JSON
 * Schemas), searchable, with a form per plugin, a JSON view, and the keyboard shortcuts.
 */
export class SettingEditor extends Widget {
  private readonly searchBox = el('input', 'ja-SettingEditor-search');
  private readonly modifiedOnly = el('input');
  private readonly body = el('div', 'ja-SettingEditor-body');
  private readonly empty = el('p', 'ja-SettingEditor-empty', 'No setting matches.');
  private readonly sections = new Map<string, SectionView>();
  private shortcuts: ShortcutsView | null = null;
  private readonly subscriptions = new DisposableSet();

  constructor(
    readonly app: Application,
    private readonly user: UserShortcuts
  ) {
    super('settingeditor', 'Settings');
    this.title.caption = 'Settings Editor';
    this.node.className = 'ja-SettingEditor';
    this.node.dataset.testid = 'settingeditor';
    const toolbar = el('div', 'ja-SettingEditor-toolbar');
    this.searchBox.type = 'search';
    this.searchBox.placeholder = 'Search settings (title, key, description)';
    this.searchBox.setAttribute('aria-label', 'Search settings');
    this.searchBox.dataset.testid = 'settings-search';
    this.searchBox.addEventListener('input', () => this.filter());
    const modified = el('label', 'ja-SettingEditor-modified');
    this.modifiedOnly.type = 'checkbox';
    this.modifiedOnly.dataset.testid = 'settings-modified-only';
    this.modifiedOnly.addEventListener('change', () => this.filter());
    modified.append(this.modifiedOnly, document.createTextNode(' Show modified only'));
    toolbar.append(this.searchBox, modified);
    this.empty.hidden = true;
    this.node.append(toolbar, this.body);
    this.body.append(el('p', 'ja-SettingEditor-loading', 'Loading settings…'));
    this.subscriptions.add(app.settings.anyChanged((plugin) => this.sections.get(plugin.id)?.update(plugin)));
    void this.load();
  }

  own(disposable: { dispose(): void }): void {
    this.subscriptions.add(disposable as never);
  }

  private async load(): Promise<void> {
    let plugins: PluginSettings[];
    try {
      plugins = await this.app.settings.fetchAll();
    } catch (err) {
      const failed = el('p', 'ja-SettingField-error', `The settings could not be loaded: ${errorMessage(err)}`);
      failed.setAttribute('role', 'alert');
      this.body.replaceChildren(failed);
      return;
    }
    const nodes: HTMLElement[] = [];
    for (const plugin of plugins) {
      if (plugin.id === SHORTCUTS_ID) continue;
      const section = sectionFor(plugin);
      if (!section) continue;
      const view = new SectionView(plugin, section, this);
      this.sections.set(plugin.id, view);
      nodes.push(view.node);
    }
    this.shortcuts = new ShortcutsView(this.app, this.user, this);
    this.body.replaceChildren(...nodes, this.shortcuts.node, this.empty);
    // The shortcuts' JSON view is the shortcuts plugin's own section.
    const shortcutsPlugin = plugins.find((p) => p.id === SHORTCUTS_ID);
    const shortcutsSection = shortcutsPlugin && sectionFor(shortcutsPlugin);
    if (shortcutsPlugin && shortcutsSection) {
      const view = new SectionView(shortcutsPlugin, shortcutsSection, this);
      this.sections.set(SHORTCUTS_ID, view);
      this.body.insertBefore(view.node, this.shortcuts.node);
    }
    this.node.dataset.loaded = 'true';
    this.filter();
  }

  /** Show only the settings matching `query` (the search box's text). */
  search(query: string): void {
    this.searchBox.value = query;
    this.filter();
  }

  filter(): void {
    const query = this.searchBox.value;
    const modifiedOnly = this.modifiedOnly.checked;
    let any = false;
    for (const section of this.sections.values()) any = section.filter(query, modifiedOnly) || any;
    if (this.shortcuts) any = this.shortcuts.filter(query, modifiedOnly) || any;
    this.empty.hidden = any || this.sections.size === 0;
  }

  override onActivate(): void {
    this.searchBox.focus();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.subscriptions.dispose();
    super.dispose();
  }
}
