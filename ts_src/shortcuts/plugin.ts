import type { Application } from '../core/application';
import { definePlugin } from '../tokens';

/**
 * Keyboard shortcut help (Ctrl+Shift+H anywhere, H in notebook command mode): the
 * shortcuts that apply where the focus is, and a searchable list of all of them. The
 * dialog's code loads on first use.
 */
export const shortcutsHelpPlugin = definePlugin({
  id: '@jlab-alt/shortcuts:plugin',
  description: 'Keyboard shortcut help: the shortcuts that apply where the focus is, and all of them.',
  activate(app: Application) {
    let open = false;
    app.commands.addCommand('shortcuts:show', {
      label: 'Show Keyboard Shortcuts',
      caption: 'The shortcuts that apply where the focus is, and all of them',
      category: 'Help',
      execute: async () => {
        if (open) return;
        open = true;
        const focus = document.activeElement;
        try {
          const { showShortcutHelp } = await import(/* webpackChunkName: "shortcut-help" */ './dialog');
          await showShortcutHelp(app.commands, app.keybindings, focus);
        } finally {
          open = false;
        }
      }
    });
  }
});
