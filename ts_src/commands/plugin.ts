import type { CommandPalette } from './palette';
import { definePlugin } from '../tokens';

/** The command palette (Ctrl+Shift+C), loaded on first use to keep start-up light. */
export const palettePlugin = definePlugin({
  id: '@jlab-alt/commands:palette',
  description: 'The command palette: search and run every command.',
  activate(app) {
    let palette: Promise<CommandPalette> | null = null;
    const load = () =>
      (palette ??= import(/* webpackChunkName: "palette" */ './palette').then(({ CommandPalette }) => {
        const p = new CommandPalette(app.commands, app.keybindings);
        document.body.appendChild(p.node);
        return p;
      }));
    app.commands.addCommand('palette:open', {
      label: 'Open Command Palette',
      category: 'View',
      execute: async (args) => {
        const p = await load();
        if (p.isOpen) p.close();
        else p.open(typeof args.query === 'string' ? args.query : '');
      },
      isVisible: () => false
    });
    // Its keys (schema.json) include the escape from keyboard-owning widgets (terminals):
    // NATIVE_ESCAPE_KEYSTROKE, which a test keeps equal to the declared binding.
    // Fetch the palette's code once the app is idle, so the first Ctrl+Shift+C is instant.
    void app.started.then(() => (window.requestIdleCallback ?? setTimeout)(() => void load()));
  }
});
