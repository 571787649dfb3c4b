import type { Application } from '../core/application';
import type { ThemeManager } from '../theme/theme';
import type { FileEditor } from './editor';
import { definePlugin, THEME } from '../tokens';

/**
 * The text editor: opens every file no more specific viewer claims (notebooks and
 * images have their own) in an editable CodeMirror editor, with the commands
 * `editor:save` (the document manager's `docmanager:save`, Ctrl+S) and `editor:reload`.
 * Saving and autosave (settings `autosave`, `autosaveInterval` of this plugin) are the
 * document manager's.
 */
export const editorPlugin = definePlugin({
  id: '@jlab-alt/editor:plugin',
  description: 'Edit text files: Python and Markdown highlighting, search, save.',
  requires: [THEME],
  activate(app: Application, themes: ThemeManager) {
    const editors = new Set<FileEditor>();
    app.docRegistry.addWidgetFactory({
      name: 'Editor',
      fileTypes: ['*'],
      // Before the read-only Text Viewer (rank 1000), which stays available by name.
      rank: 100,
      autosaveSettings: '@jlab-alt/editor:plugin',
      create: async (context) => {
        // CodeMirror and the languages load with the first file opened.
        const { FileEditor } = await import(/* webpackChunkName: "editor" */ './editor');
        const editor = new FileEditor(context, themes);
        editors.add(editor);
        editor.disposed(() => editors.delete(editor));
        return editor;
      }
    });

    const current = (): FileEditor | null => {
      const widget = app.shell.dock.current;
      return [...editors].find((e) => e === widget) ?? null;
    };

    // Kept for menus and extensions that name it; saving itself is the document manager's.
    app.commands.addCommand('editor:save', {
      label: 'Save File',
      caption: 'Save the text file in the current editor',
      category: 'File',
      isVisible: () => false,
      isEnabled: () => current() !== null && app.commands.hasCommand('docmanager:save'),
      execute: () => app.commands.execute('docmanager:save')
    });

    // Also kept for menus that name it; the confirmation and the reload are the document manager's.
    app.commands.addCommand('editor:reload', {
      label: 'Reload File from Disk',
      caption: 'Load the file again, dropping unsaved changes',
      category: 'File',
      isEnabled: () => current() !== null && app.commands.hasCommand('docmanager:revert'),
      execute: () => app.commands.execute('docmanager:revert')
    });
  }
});
