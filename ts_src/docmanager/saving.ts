import type { Application } from '../core/application';
import { showDialog } from '../dialogs/dialog';
import type { Widget } from '../shell/widget';
import type { DocumentContext, SaveStateEvent } from './context';
import { SaveCancelledError } from './save';
import { errorMessage } from '../core/errors';
import { shortcutText } from '../menus/shortcut';

/** Autosave interval, in seconds (JupyterLab's default), unless a document's settings say otherwise. */
export const AUTOSAVE_SECONDS = 120;

/** An autosave configuration read from a plugin's settings. */
export interface AutosaveConfig {
  enabled: boolean;
  /** Seconds a document may stay unsaved before it is saved (at least 5). */
  seconds: number;
}

/** The autosave settings `{autosave?: boolean, autosaveInterval?: number}` with their defaults. */
export function autosaveConfig(settings: Record<string, unknown>): AutosaveConfig {
  const seconds = typeof settings.autosaveInterval === 'number' ? settings.autosaveInterval : AUTOSAVE_SECONDS;
  return { enabled: settings.autosave !== false, seconds: Math.max(5, seconds) };
}

/**
 * Whether a document unsaved since `dirtySince` (ms) is due for an autosave at `now`
 * (ms): after `seconds` of unsaved edits, counted again after each attempt.
 */
export function autosaveDue(dirtySince: number | undefined, now: number, config: AutosaveConfig): boolean {
  return config.enabled && dirtySince !== undefined && now - dirtySince >= config.seconds * 1000;
}

/** Words for the person about why a save failed, from the server's message; `saveAsShortcut` as shown ("Ctrl+Shift+S"). */
export function saveFailureMessage(path: string, err: unknown, saveAsShortcut = ''): string {
  const message = errorMessage(err);
  const keys = saveAsShortcut ? ` (${saveAsShortcut})` : '';
  return `Saving "${path}" failed: ${message} Your edits are kept here; save them elsewhere with Save As${keys}.`;
}

/**
 * Saving for every document: the `docmanager:save` (Accel S), `docmanager:save-as`
 * (Accel Shift S) and `docmanager:revert` commands on the current document, the one
 * autosave loop (each document after its factory's `autosaveInterval` seconds of
 * unsaved edits; never one that failed to load; never asking: a file changed on disk
 * waits for the person's own save), one error message per failed save (an autosave
 * that keeps failing the same way says it once), the widget's `data-save-state`, and
 * the warning before leaving the page with unsaved documents.
 */
export function installSaving(app: Application): void {
  const { docManager, commands, shell, notifications } = app;
  const currentContext = (): DocumentContext | null => docManager.contextOf(shell.currentWidget);
  const saveable = () => !!currentContext()?.content;

  const lastFailure = new WeakMap<DocumentContext, string>();
  const report = (widget: Widget, context: DocumentContext, event: SaveStateEvent) => {
    widget.node.dataset.saveState = event.state;
    if (event.state === 'completed') lastFailure.delete(context);
    if (event.state !== 'failed') return;
    const message = saveFailureMessage(event.path, event.error, shortcutText(app.keybindings, 'docmanager:save-as'));
    if (event.auto && lastFailure.get(context) === message) return;
    lastFailure.set(context, message);
    notifications.notify(message, { type: 'error' });
  };
  docManager.opened(({ widget, context }) => {
    const sub = context.saveState((event) => report(widget, context, event));
    widget.disposed(() => sub.dispose());
  });

  // Enabled for any current document that can be saved, even one that failed to load,
  // so Ctrl+S never falls through to the browser's "Save page as"; the save explains.
  commands.addCommand('docmanager:save', {
    label: 'Save',
    caption: 'Save the current document',
    category: 'File',
    isEnabled: saveable,
    execute: async () => {
      const context = currentContext();
      if (!context) return;
      try {
        await context.save();
      } catch (err) {
        if (err instanceof SaveCancelledError) return;
        // Failures were reported through saveState; a load failure has no save state.
        if (!context.isSaving && context.content?.loadError) notifications.notify(String((err as Error).message), { type: 'error' });
      }
    }
  });

  commands.addCommand('docmanager:save-as', {
    label: 'Save As…',
    caption: 'Save the current document under another name',
    category: 'File',
    // Viewers (CSV, images, PDF, …) hold no editable content: Save As copies their file.
    isEnabled: () => !!currentContext(),
    execute: async (args) => {
      const context = currentContext();
      if (!context) return;
      if (!context.content) {
        await saveFileAs(app, context.path, typeof args.path === 'string' ? args.path : null);
        return;
      }
      const target = typeof args.path === 'string' ? args.path : await askPath(context.path);
      if (!target || target === context.path) {
        if (target) await commands.execute('docmanager:save');
        return;
      }
      const exists = await app.services.contents.get(target, { content: false }).then(
        () => true,
        () => false
      );
      if (exists && typeof args.path !== 'string') {
        const choice = await showDialog({
          title: 'File exists',
          body: `"${target}" exists. Overwrite it?`,
          buttons: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'overwrite', label: 'Overwrite', kind: 'warn' }
          ],
          defaultButton: 'cancel'
        });
        if (choice !== 'overwrite') return;
      }
      try {
        await context.saveAs(target);
      } catch {
        // Reported through saveState.
      }
    }
  });

  commands.addCommand('docmanager:revert', {
    label: 'Reload from Disk',
    caption: 'Load the current document again from disk, dropping unsaved changes',
    category: 'File',
    isEnabled: saveable,
    execute: async () => {
      const context = currentContext();
      if (!context) return;
      if (context.dirty) {
        const choice = await showDialog({
          title: 'Reload from disk?',
          body: `"${context.path}" has unsaved changes. Reload it from disk and lose them?`,
          buttons: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'reload', label: 'Reload', kind: 'warn' }
          ],
          defaultButton: 'cancel'
        });
        if (choice !== 'reload') return;
      }
      await context.revert();
    }
  });

  // One autosave loop for every document, by its factory's settings.
  const configs = new Map<string, AutosaveConfig | null>();
  const configFor = (settingsId: string): AutosaveConfig | null => {
    if (!configs.has(settingsId)) {
      configs.set(settingsId, null);
      // Followed live: a change in the settings editor applies at the next tick.
      app.settings.watch(settingsId, (settings) => configs.set(settingsId, autosaveConfig(settings)));
    }
    return configs.get(settingsId) ?? null;
  };
  const dirtySince = new WeakMap<DocumentContext, number>();
  setInterval(() => {
    const now = Date.now();
    for (const widget of docManager.widgets) {
      const context = docManager.contextOf(widget);
      const settingsId = docManager.factoryOf(widget)?.autosaveSettings;
      if (!context || !settingsId) continue;
      // A file deleted outside is written back by the person's own Save, never behind their back.
      if (!context.dirty || context.content?.loadError || context.diskState === 'deleted') {
        dirtySince.delete(context);
        continue;
      }
      if (!dirtySince.has(context)) dirtySince.set(context, now);
      const config = configFor(settingsId);
      if (!config || context.isSaving || !autosaveDue(dirtySince.get(context), now, config)) continue;
      dirtySince.set(context, now);
      void context.save({ ask: false }).catch(() => undefined);
    }
  }, 1000);

  // Leaving the page with unsaved changes in any document (a dot on its tab) asks first.
  window.addEventListener('beforeunload', (event) => {
    if (docManager.widgets.some((w) => w.title.dirty || docManager.contextOf(w)?.dirty)) {
      event.preventDefault();
      event.returnValue = '';
    }
  });
}

/** Ask for the path to save a document as; null when cancelled. */
/**
 * Save As for a document shown by a viewer: the file is copied to the path asked for
 * (the contents API copies into a folder under a "-Copy" name, which is then renamed)
 * and the copy opens in the same viewer. An existing target is never overwritten; a
 * failure is said in a notification and leaves the original as it was.
 */
async function saveFileAs(app: Application, path: string, given: string | null): Promise<void> {
  const widget = app.shell.currentWidget;
  const factory = app.docManager.factoryOf(widget)?.name;
  const target = given ?? (await askPath(path));
  if (!target || target === path) return;
  const { contents } = app.services;
  try {
    const exists = await contents.get(target, { content: false }).then(
      () => true,
      () => false
    );
    if (exists) throw new Error(`"${target}" exists already.`);
    const dir = target.includes('/') ? target.slice(0, target.lastIndexOf('/')) : '';
    const copy = await contents.copy(path, dir);
    await contents.rename(copy.path, target);
    await app.docManager.open(target, factory);
  } catch (err) {
    app.notifications.notify(`Saving a copy of "${path}" as "${target}" failed: ${errorMessage(err)}`, {
      type: 'error'
    });
  }
}

async function askPath(current: string): Promise<string | null> {
  const input = document.createElement('input');
  input.className = 'ja-Dialog-input';
  input.dataset.testid = 'save-as-path';
  input.type = 'text';
  input.value = current;
  input.setAttribute('aria-label', 'New path');
  // Select the name without its extension, as file dialogs do.
  queueMicrotask(() => {
    const name = current.lastIndexOf('/') + 1;
    const dot = current.lastIndexOf('.');
    input.setSelectionRange(name, dot > name ? dot : current.length);
  });
  const choice = await showDialog({
    title: 'Save As',
    body: input,
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'save', label: 'Save', kind: 'accept' }
    ],
    defaultButton: 'save'
  });
  const path = input.value.trim().replace(/^\/+/, '');
  return choice === 'save' && path ? path : null;
}
