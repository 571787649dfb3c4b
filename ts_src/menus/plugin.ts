import type { Application } from '../core/application';
import { registerWorkspaceCommands } from './commands';
import { MenuBarView } from './menubar';
import { MenuEntry, MenuRegistry, MenuSpec } from './model';
import { errorMessage } from '../core/errors';
import { definePlugin, MENUS } from '../tokens';

/** Entries of commands in order, ranked 10, 20, ... so plugins can slot theirs between. */
const ranked = (entries: (string | MenuEntry)[]): MenuEntry[] =>
  entries.map((e, i) => {
    const entry: MenuEntry = typeof e === 'string' ? (e === '-' ? { type: 'separator' } : { command: e }) : e;
    return { ...entry, rank: (i + 1) * 10 };
  });

/**
 * The menus of the bar, as data. Entries whose command is not registered (a feature
 * of another plugin that is not installed) are left out when a menu opens.
 */
export function defaultMenus(): MenuSpec[] {
  return [
    {
      id: 'file',
      label: 'File',
      rank: 10,
      items: ranked([
        {
          type: 'submenu',
          id: 'file-new',
          label: 'New',
          items: ranked([
            'notebook:create-new',
            'console:create',
            'terminal:create-new',
            { command: 'fileeditor:create-new', args: { ext: '.txt' } },
            { command: 'fileeditor:create-new', args: { ext: '.md' } },
            { command: 'fileeditor:create-new', args: { ext: '.py' } },
            'filebrowser:new-folder'
          ])
        },
        'launcher:create',
        'docmanager:open-path',
        '-',
        'docmanager:save',
        'docmanager:save-as',
        'docmanager:save-all',
        '-',
        'docmanager:rename',
        'docmanager:reload',
        'docmanager:restore-checkpoint',
        'docmanager:download',
        'docmanager:export',
        '-',
        'shell:close-tab',
        'shell:close-all',
        'docmanager:close-and-shutdown',
        '-',
        'app:shutdown-server'
      ])
    },
    {
      id: 'edit',
      label: 'Edit',
      rank: 20,
      items: ranked([
        'notebook:undo-cell-action',
        'notebook:redo-cell-action',
        '-',
        'notebook:cut-cell',
        'notebook:copy-cell',
        'notebook:paste-cell-above',
        'notebook:paste-cell-below',
        'notebook:delete-cell',
        '-',
        'notebook:select-all',
        'notebook:move-cell-up',
        'notebook:move-cell-down',
        'notebook:merge-cells',
        'notebook:split-cell-at-cursor',
        '-',
        'notebook:clear-cell-output',
        'notebook:clear-all-cell-outputs',
        '-',
        'notebook:find',
        'notebook:find-next',
        'notebook:find-previous'
      ])
    },
    {
      id: 'view',
      label: 'View',
      rank: 30,
      items: ranked([
        'palette:open',
        '-',
        'shell:toggle-left-sidebar',
        'filebrowser:toggle',
        'toc:show',
        'shell:toggle-statusbar',
        '-',
        'shell:toggle-simple-mode',
        'shell:toggle-presentation-mode',
        'shell:split-right',
        'shell:split-bottom',
        '-',
        'notebook:hide-cell-code',
        'notebook:hide-cell-outputs',
        // Collapsible headings (toc plugin), as in JupyterLab's View menu.
        'notebook:collapse-all-headings',
        'notebook:expand-all-headings'
      ])
    },
    {
      id: 'run',
      label: 'Run',
      rank: 40,
      items: ranked([
        'notebook:run-cell-and-select-next',
        'notebook:run-cell',
        'notebook:run-cell-and-insert-below',
        '-',
        'notebook:run-all-above',
        'notebook:run-all-below',
        'notebook:run-all-cells',
        '-',
        'notebook:restart-run-all'
      ])
    },
    {
      id: 'kernel',
      label: 'Kernel',
      rank: 50,
      items: ranked([
        'notebook:interrupt-kernel',
        'notebook:restart-kernel',
        'notebook:restart-run-all',
        '-',
        'notebook:shutdown-kernel',
        'kernel:shutdown-all',
        '-',
        'notebook:change-kernel',
        'console:create-for-notebook'
      ])
    },
    {
      id: 'tabs',
      label: 'Tabs',
      rank: 60,
      items: ranked(['shell:activate-next-tab', 'shell:activate-previous-tab', '-'])
    },
    {
      id: 'settings',
      label: 'Settings',
      rank: 70,
      items: ranked([
        {
          type: 'submenu',
          id: 'settings-theme',
          label: 'Theme',
          items: ranked(['theme:light', 'theme:dark', 'theme:system', '-', 'theme:toggle'])
        },
        '-',
        'settings:editor-font-size-increase',
        'settings:editor-font-size-decrease',
        'settings:ui-font-size-increase',
        'settings:ui-font-size-decrease',
        '-',
        'settings:toggle-autosave',
        '-',
        'settingeditor:open'
      ])
    },
    {
      id: 'help',
      label: 'Help',
      rank: 80,
      items: ranked(['shortcuts:show', 'palette:open', '-', 'help:about'])
    }
  ];
}

/**
 * The menu bar: File, Edit, View, Run, Kernel, Tabs, Settings, Help, built from the
 * command registry, with the commands they need that no feature owned yet. Provides
 * the {@link MenuRegistry}, so plugins add their own entries
 * (`menus.addItem('file-new', {command, args, rank})`).
 */
export const menusPlugin = definePlugin({
  id: MENUS,
  description: 'The menu bar (File, Edit, View, Run, Kernel, Tabs, Settings, Help), built from the commands.',
  activate(app: Application) {
    registerWorkspaceCommands(app);
    const menus = new MenuRegistry();
    for (const spec of defaultMenus()) menus.addMenu(spec);
    // The open tabs, listed when the Tabs menu opens.
    menus.addDynamicItems('tabs', () =>
      app.shell.dock.api.panels.map((p, i) => ({ command: 'shell:activate-tab', args: { id: p.id }, rank: 100 + i }))
    );
    const bar = new MenuBarView(menus, app.commands, app.keybindings, (command, err) =>
      app.notifications.notify(`${app.commands.label(command) || command} failed: ${errorMessage(err)}`, {
        type: 'error'
      })
    );
    app.shell.add(bar, 'top', { rank: 0 });
    return menus;
  }
});
