import type { AppPlugin, Application } from '../core/application';
import { showDialog } from '../dialogs/dialog';
import type { FileEditor } from './editor';

/** Autosave interval, in seconds (JupyterLab's default), unless the settings say otherwise. */
export const AUTOSAVE_SECONDS = 120;

/**
 * The text editor: opens every file no more specific viewer claims (notebooks and
 * images have their own) in an editable CodeMirror editor, with the commands
 * `editor:save` (Ctrl+S while an editor is the current tab) and `editor:reload`,
 * and autosave of unsaved editors every 120 s (settings `autosave`, `autosaveInterval`).
 */
export const editorPlugin: AppPlugin = {
  id: '@jlab-alt/editor:plugin',
  description: 'Edit text files: Python and Markdown highlighting, search, save.',
  activate(app: Application) {
    const editors = new Set<FileEditor>();
    app.docRegistry.addWidgetFactory({
      name: 'Editor',
      fileTypes: ['*'],
      // Before the read-only Text Viewer (rank 1000), which stays available by name.
      rank: 100,
      create: async (context) => {
        // CodeMirror and the languages load with the first file opened.
        const { FileEditor } = await import(/* webpackChunkName: "editor" */ './editor');
        const editor = new FileEditor(context);
        editors.add(editor);
        editor.disposed(() => editors.delete(editor));
        return editor;
      }
    });

    const current = (): FileEditor | null => {
      const widget = app.shell.dock.current;
      return [...editors].find((e) => e === widget) ?? null;
    };

    app.commands.addCommand('editor:save', {
      label: 'Save File',
      caption: 'Save the text file in the current editor',
      category: 'File',
      // Enabled for any current editor, even one that failed to load, so Ctrl+S never
      // falls through to the browser's "Save page as"; save() explains the refusal.
      isEnabled: () => current() !== null,
      execute: async () => {
        const editor = current();
        if (!editor) return;
        try {
          await editor.save();
        } catch (err) {
          if (err instanceof Error && err.name === 'SaveCancelledError') return;
          app.notifications.notify(
            `Saving "${editor.context.path}" failed: ${err instanceof Error ? err.message : String(err)}`,
            { type: 'error' }
          );
        }
      }
    });
    // Anywhere on the page while an editor is the current tab (e.g. with the focus in
    // the file browser), as JupyterLab saves the current document; added after the
    // notebook's binding, it wins while enabled and defers to it otherwise.
    app.keybindings.addKeyBinding({ keys: ['Accel S'], selector: 'body', command: 'editor:save' });

    // Autosave, as for notebooks (settings `autosave`, `autosaveInterval` in seconds, applied
    // live); an editor whose file changed on disk waits for the person's own save.
    let autosave: ReturnType<typeof setInterval> | undefined;
    app.settings.watch(editorPlugin.id, (settings) => {
      clearInterval(autosave);
      autosave = undefined;
      if (settings.autosave === false) return;
      const seconds = typeof settings.autosaveInterval === 'number' ? settings.autosaveInterval : AUTOSAVE_SECONDS;
      autosave = setInterval(() => {
        for (const editor of editors) void editor.autosave();
      }, Math.max(5, seconds) * 1000);
    });

    app.commands.addCommand('editor:reload', {
      label: 'Reload File from Disk',
      caption: 'Load the file again, dropping unsaved changes',
      category: 'File',
      isEnabled: () => current() !== null,
      execute: async () => {
        const editor = current();
        if (!editor) return;
        if (editor.dirty) {
          const choice = await showDialog({
            title: 'Reload from disk?',
            body: `"${editor.context.path}" has unsaved changes. Reload it from disk and lose them?`,
            buttons: [
              { id: 'cancel', label: 'Cancel' },
              { id: 'reload', label: 'Reload', kind: 'warn' }
            ],
            defaultButton: 'cancel'
          });
          if (choice !== 'reload') return;
        }
        await editor.load();
      }
    });
  }
};
