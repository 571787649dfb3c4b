import { definePlugin } from '../tokens';

/** Commands of the shell itself: sidebars, tabs, splitting the main area. */
export const shellPlugin = definePlugin({
  id: '@jlab-alt/shell:commands',
  description: 'Commands to toggle sidebars, close tabs and split the main area.',
  activate(app) {
    const { shell, commands } = app;
    // Showing the sidebar again brings back the panel it had (as JupyterLab does), e.g.
    // the table of contents, not always the first one.
    let lastLeft: string | null = null;
    shell.left.currentChanged((widget) => {
      if (widget) lastLeft = widget.id;
    });
    commands.addCommand('shell:toggle-left-sidebar', {
      label: 'Toggle Left Sidebar',
      category: 'View',
      execute: () => {
        const side = shell.left;
        if (side.current) side.show(null);
        else {
          const first = side.tabBar.querySelector<HTMLElement>('[data-id]')?.dataset.id;
          const id = lastLeft && side.has(lastLeft) ? lastLeft : first;
          if (id) side.activate(id);
        }
      }
    });

    commands.addCommand('shell:close-tab', {
      label: 'Close Tab',
      category: 'View',
      isEnabled: () => shell.currentWidget !== null,
      execute: async () => {
        const widget = shell.currentWidget;
        if (widget) await shell.dock.requestClose(widget);
      }
    });

    commands.addCommand('shell:close-all', {
      label: 'Close All Tabs',
      category: 'View',
      isEnabled: () => shell.dock.all.length > 0,
      execute: async () => {
        for (const widget of shell.dock.all) if (!(await shell.dock.requestClose(widget))) return;
      }
    });

    for (const [dir, label] of [
      ['right', 'Split Right'],
      ['bottom', 'Split Down']
    ] as const) {
      commands.addCommand(`shell:split-${dir}`, {
        label,
        caption: 'Move the active tab into a new group beside its own',
        category: 'View',
        // Splitting needs another tab to stay behind in the group.
        isEnabled: () => (shell.dock.api.activePanel?.group.panels.length ?? 0) > 1,
        execute: () => shell.dock.splitActive(dir)
      });
    }
  }
});
