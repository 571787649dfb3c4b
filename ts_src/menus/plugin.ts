import type { Application } from '../core/application';
import { registerWorkspaceCommands } from './commands';
import { MenuBarView } from './menubar';
import { declaredMenus } from './declared';
import { MenuRegistry } from './model';
import { errorMessage } from '../core/errors';
import { definePlugin, MENUS } from '../tokens';

/**
 * The menu bar: File, Edit, View, Run, Kernel, Tabs, Settings, Help, declared in
 * menus/schema.json (`jlab-alt.menus`, with any other plugin's) and built from the
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
    // The menus and entries declared in the plugins' schemas (the bar's own in menus/schema.json).
    const enabled = app.plugins.list().filter((p) => p.status.state !== 'disabled').map((p) => p.id);
    const declared = declaredMenus(app.config.menus ?? {}, enabled);
    for (const spec of declared.menus) menus.addMenu(spec);
    for (const error of declared.errors) {
      console.error(`Menu not added: ${error}`);
      app.notifications.notify(`Menu not added: ${error}`, { type: 'error' });
    }
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
