import type { Application } from '../core/application';
import { formatKeystroke } from '../commands/keystroke';
import { showDialog } from '../dialogs/dialog';
import { ContextMenu, MenuEntries } from '../menus/contextmenu';
import type { FileBrowserModel } from './model';
import type { FileBrowserView } from './view';
import { errorMessage } from '../core/errors';

/** The file operation commands, in the order the context menu shows them. */
const ITEM_MENU = [
  'filebrowser:open',
  'filebrowser:open-with', // documents: viewers
  'separator',
  'filebrowser:rename',
  'filebrowser:delete',
  'filebrowser:duplicate',
  'separator',
  'filebrowser:cut',
  'filebrowser:copy',
  'filebrowser:paste',
  'separator',
  'filebrowser:download',
  'filebrowser:copy-path'
] as const;

const FOLDER_MENU = [
  'filebrowser:new-file',
  'filebrowser:new-notebook',
  'filebrowser:new-folder',
  // From the terminal plugin, when present (filtered out below otherwise).
  'terminal:open-here',
  'separator',
  'filebrowser:paste',
  'filebrowser:upload',
  'filebrowser:refresh'
] as const;

/**
 * Register the file browser's file commands (open, rename, delete, duplicate, cut,
 * copy, paste, download, copy path, new file, upload) and the context menu built from them. Errors from the
 * server are shown as error notifications; the model re-lists the folder after
 * every operation, so the listing is never left wrong.
 */
export function registerFileOperations(app: Application, model: FileBrowserModel, view: FileBrowserView): void {
  const { commands } = app;
  const selected = () => model.selectedItems;
  const hasSelection = () => model.selected.size > 0;
  const fail = (err: unknown) => {
    app.notifications.notify(errorMessage(err), { type: 'error' });
  };
  /** Run an operation; failures become an error notification, never a broken listing. */
  const guard = async (op: () => Promise<unknown>) => {
    try {
      await op();
    } catch (err) {
      fail(err);
    }
  };

  commands.addCommand('filebrowser:open', {
    label: 'Open',
    caption: 'Open the selected files; enter the selected folder',
    category: 'File',
    isEnabled: hasSelection,
    execute: async () => {
      const items = selected();
      if (items.length === 1 && items[0]!.type === 'directory') return model.cd(items[0]!.path);
      for (const item of items) if (item.type !== 'directory') await app.docManager.open(item.path).catch(fail);
    }
  });

  commands.addCommand('filebrowser:rename', {
    label: 'Rename',
    caption: 'Rename the selected file or folder',
    category: 'File',
    isEnabled: () => model.selected.size === 1,
    execute: () =>
      guard(async () => {
        const item = selected()[0];
        if (!item) return;
        const name = await view.editName(item.path);
        if (name !== null) await model.rename(item.path, name);
      })
  });

  commands.addCommand('filebrowser:delete', {
    label: 'Delete',
    caption: 'Delete the selected files and folders, after asking',
    category: 'File',
    isEnabled: hasSelection,
    execute: () =>
      guard(async () => {
        const items = selected();
        if (items.length === 0) return;
        const body = document.createElement('div');
        const question = document.createElement('p');
        question.textContent =
          items.length === 1
            ? `Are you sure you want to permanently delete "${items[0]!.name}"?`
            : `Are you sure you want to permanently delete these ${items.length} items?`;
        body.appendChild(question);
        if (items.length > 1) {
          const list = document.createElement('ul');
          list.className = 'ja-DeleteDialog-list';
          for (const item of items) {
            const li = document.createElement('li');
            li.textContent = item.type === 'directory' ? `${item.name}/` : item.name;
            list.appendChild(li);
          }
          body.appendChild(list);
        }
        const choice = await showDialog({
          title: items.length === 1 ? 'Delete' : `Delete ${items.length} items`,
          body,
          buttons: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'delete', label: 'Delete', kind: 'warn' }
          ],
          defaultButton: 'delete'
        });
        if (choice === 'delete') await model.delete(items.map((i) => i.path));
      })
  });

  commands.addCommand('filebrowser:duplicate', {
    label: 'Duplicate',
    caption: 'Copy the selected files next to themselves',
    category: 'File',
    isEnabled: hasSelection,
    execute: () => guard(() => model.duplicate(selected().map((i) => i.path)))
  });

  commands.addCommand('filebrowser:cut', {
    label: 'Cut',
    caption: 'Cut the selected files, to move them with Paste',
    category: 'File',
    isEnabled: hasSelection,
    execute: () => model.cut(selected().map((i) => i.path))
  });

  commands.addCommand('filebrowser:copy', {
    label: 'Copy',
    caption: 'Copy the selected files, to paste copies with Paste',
    category: 'File',
    isEnabled: hasSelection,
    execute: () => model.copy(selected().map((i) => i.path))
  });

  commands.addCommand('filebrowser:paste', {
    label: 'Paste',
    caption: 'Paste the copied or cut files into the current folder',
    category: 'File',
    isEnabled: () => model.clipboard !== null,
    execute: () => guard(() => model.paste())
  });

  commands.addCommand('filebrowser:download', {
    label: 'Download',
    caption: 'Save the selected files to this computer',
    category: 'File',
    isEnabled: () => selected().some((i) => i.type !== 'directory'),
    execute: () =>
      guard(async () => {
        for (const item of selected()) {
          if (item.type === 'directory') continue;
          const link = document.createElement('a');
          link.href = await model.downloadUrl(item.path);
          link.download = item.name;
          link.hidden = true;
          document.body.appendChild(link);
          link.click();
          link.remove();
        }
      })
  });

  commands.addCommand('filebrowser:copy-path', {
    label: 'Copy Path',
    caption: 'Copy the path of the selected file, relative to the server root',
    category: 'File',
    isEnabled: () => model.selected.size === 1,
    execute: () =>
      guard(async () => {
        const item = selected()[0];
        if (!item) return;
        await copyText(item.path);
        app.notifications.notify(`Copied "${item.path}"`, { type: 'success', autoClose: 3000 });
      })
  });

  commands.addCommand('filebrowser:new-file', {
    label: 'New Text File',
    caption: 'Create untitled.txt in the current folder and open it',
    category: 'File',
    execute: () =>
      guard(async () => {
        const path = await model.newFile();
        await app.docManager.open(path);
      })
  });

  commands.addCommand('filebrowser:upload', {
    label: 'Upload Files…',
    caption: 'Upload files from this computer into the current folder',
    category: 'File',
    execute: () => view.chooseFiles()
  });

  commands.addCommand('filebrowser:select-all', {
    label: 'Select All Files',
    category: 'File',
    isVisible: () => false,
    execute: () => model.selectAll()
  });
}

/**
 * Upload `files` into folder `dir` (default: the file browser's folder when the
 * upload starts, even if the person moves on) one after another, asking before
 * overwriting a file of the same name; failures are reported one by one.
 */
export async function uploadFiles(
  app: Application,
  model: FileBrowserModel,
  files: File[],
  dir: string = model.path
): Promise<void> {
  for (const file of files) {
    try {
      if (await model.exists(file.name, dir)) {
        const choice = await showDialog({
          title: 'Overwrite file?',
          body: `"${file.name}" already exists in ${dir ? `"${dir}"` : 'the root folder'}. Overwrite it with the uploaded file?`,
          buttons: [
            { id: 'cancel', label: 'Cancel' },
            { id: 'overwrite', label: 'Overwrite', kind: 'warn' }
          ],
          defaultButton: 'cancel'
        });
        if (choice !== 'overwrite') continue;
      }
      await model.upload(file, { dir });
    } catch (err) {
      app.notifications.notify(errorMessage(err), { type: 'error' });
    }
  }
}

/** Show the file browser's context menu: item commands on an entry, folder commands elsewhere. */
export function showFileMenu(app: Application, x: number, y: number, onItem: boolean): void {
  const ids = (onItem ? ITEM_MENU : FOLDER_MENU).filter((id) => id === 'separator' || app.commands.hasCommand(id));
  const entries: MenuEntries = ids.map((id) => {
    if (id === 'separator') return 'separator';
    const binding = app.keybindings.bindingFor(id);
    return {
      id,
      label: app.commands.label(id),
      disabled: !app.commands.isEnabled(id),
      shortcut: binding ? binding.keys.map((k) => formatKeystroke(k)).join(', ') : '',
      run: () => {
        app.commands.execute(id).catch((err) => {
          app.notifications.notify(errorMessage(err), { type: 'error' });
        });
      }
    };
  });
  ContextMenu.open(entries, x, y);
}

/** Put `text` on the system clipboard (with a fallback where the async API is missing). */
async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('The browser did not allow copying to the clipboard');
}
