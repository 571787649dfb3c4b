import { createFolder } from './create';
import { warmUpDateFormats } from './format';
import { FileBrowserModel } from './model';
import { registerFileOperations, showFileMenu, uploadFiles } from './operations';
import { FileBrowserView } from './view';
import { warmUpCollation } from '../core/collation';
import { errorMessage } from '../core/errors';
import { warmUp } from '../core/tasks';
import { captionWithShortcut } from '../menus/shortcut';
import { definePlugin, FILEBROWSER } from '../tokens';

/**
 * The file browser in the left sidebar, with its file operations (rename, delete,
 * duplicate, cut/copy/paste, download, upload, new file) as commands, shortcuts and
 * a context menu; provides its model to other plugins.
 */
export const fileBrowserPlugin = definePlugin({
  id: FILEBROWSER,
  description: 'Browse the server root: folders, files, modified times and sizes.',
  activate(app) {
    const model = new FileBrowserModel({ contents: app.services.contents, pollContents: app.services.pollContents });
    const report = (err: unknown) =>
      app.notifications.notify(errorMessage(err), { type: 'warning' });
    const view = new FileBrowserView(model, {
      open: (path) => {
        app.docManager.open(path).catch(report);
      },
      toolbar: [
        // workspace: "+" opens the launcher (new notebook, console, terminal, file)
        { command: 'launcher:create', icon: 'add', label: 'New Launcher' },
        { command: 'filebrowser:new-notebook', icon: 'notebook', label: 'New Notebook' },
        { command: 'filebrowser:new-file', icon: 'newfile', label: 'New Text File' },
        { command: 'filebrowser:new-folder', icon: 'newfolder', label: 'New Folder' },
        { command: 'filebrowser:upload', icon: 'upload', label: 'Upload Files' },
        { command: 'filebrowser:refresh', icon: 'restart', label: 'Refresh' }
      ],
      execute: (command) => {
        app.commands.execute(command).catch(report);
      },
      contextMenu: (x, y, onItem) => showFileMenu(app, x, y, onItem),
      upload: (files, dir) => void uploadFiles(app, model, files, dir),
      foldersDropped: (names) =>
        app.notifications.notify(
          `Folders cannot be uploaded (${names.map((n) => `"${n}"`).join(', ')}); drop the files inside them instead.`,
          { type: 'warning' }
        )
    });
    captionWithShortcut(view.title, app.keybindings, 'File Browser', 'filebrowser:toggle');
    registerFileOperations(app, model, view);
    app.shell.add(view, 'left', { rank: 100 });

    app.commands.addCommand('filebrowser:refresh', {
      label: 'Refresh File List',
      category: 'File',
      execute: () => model.refresh()
    });
    app.commands.addCommand('filebrowser:new-notebook', {
      label: 'New Notebook',
      caption: 'Create an untitled notebook in the current folder, with the default kernel',
      category: 'File',
      // Creation belongs to the notebook plugin (`notebook:create-new`); this keeps the
      // file browser's button and menu entry, in the folder it shows.
      isEnabled: () => app.commands.hasCommand('notebook:create-new'),
      execute: () => app.commands.execute('notebook:create-new', { cwd: model.path })
    });
    app.commands.addCommand('filebrowser:new-folder', {
      label: 'New Folder',
      caption: 'Create an untitled folder in the current folder',
      category: 'File',
      execute: async () => {
        await createFolder(app, model.path);
        await model.refresh();
      }
    });
    app.commands.addCommand('filebrowser:toggle', {
      label: 'Show File Browser',
      category: 'View',
      execute: () => app.shell.left.toggle(view.id)
    });
    app.commands.addCommand('filebrowser:go-up', {
      label: 'Go to Parent Folder',
      category: 'File',
      isEnabled: () => model.path !== '',
      execute: () => model.cd('..')
    });
    app.commands.addCommand('filebrowser:go-to', {
      label: (args) => (typeof args.path === 'string' ? `Go to ${args.path || '/'}` : 'Go to Folder'),
      category: 'File',
      isVisible: () => false,
      execute: (args) => model.cd(typeof args.path === 'string' ? args.path : '')
    });

    // Locale data for sorting and dates, each in a task of its own while the first
    // listing is fetched, rather than all in the task that draws it.
    void warmUp(warmUpCollation, warmUpDateFormats);

    // Start in the folder of the document the URL names (/jlab-alt/tree/<path>).
    const tree = app.config.treePath;
    void (async () => {
      const info = tree ? await app.services.contents.get(tree, { content: false }).catch(() => null) : null;
      await model.cd(info?.type === 'directory' ? tree : tree.split('/').slice(0, -1).join('/'));
    })();
    return model;
  }
});
