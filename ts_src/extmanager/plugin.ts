import { ExtensionListModel } from './model';
import { ExtensionListView } from './view';
import { definePlugin } from '../tokens';

/** The Extensions panel in the left sidebar, and a command to show it. */
export const extensionManagerPlugin = definePlugin({
  id: '@jlab-alt/extensions:plugin',
  description: 'Loads pip-installed frontend extensions and lists every extension and plugin.',
  activate(app) {
    const model = new ExtensionListModel(app);
    const view = new ExtensionListView(model);
    app.shell.add(view, 'left', { rank: 900 });
    app.commands.addCommand('extensions:show', {
      label: 'Show Extensions',
      category: 'View',
      execute: () => app.shell.activateById(view.id)
    });
    // List again once every plugin has activated, so failures show.
    void app.started.then(() => model.refresh());
  }
});
