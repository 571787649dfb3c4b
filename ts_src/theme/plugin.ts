import { themeDark, themeLight } from 'dockview-core';
import { ThemeManager, ThemePreference, parsePreference } from './theme';
import { definePlugin, THEME } from '../tokens';

const SETTINGS_ID = '@jlab-alt/theme:plugin';

/**
 * Light and dark themes: follows the system's preference until the person picks
 * one; the pick is saved in the user settings (`preference`: light | dark | system).
 */
export const themePlugin = definePlugin({
  id: THEME,
  description: 'Light and dark themes, following the system preference unless chosen.',
  async activate(app) {
    const themes = new ThemeManager();
    const syncDock = () => app.shell.setDockTheme(themes.theme === 'dark' ? themeDark : themeLight);
    themes.changed(syncDock);
    // The saved preference, now and whenever it changes (the settings editor, another command).
    await new Promise<void>((resolve) => {
      app.settings.watch(SETTINGS_ID, (settings) => {
        themes.preference = parsePreference(settings.preference);
        resolve();
      });
    });
    syncDock();

    const choose = (preference: ThemePreference) => {
      themes.preference = preference;
      app.settings.save(SETTINGS_ID, { preference }).catch((err) => {
        app.notifications.notify(`Could not save the theme setting: ${String(err)}`, { type: 'warning' });
      });
    };
    const options: [string, ThemePreference, string][] = [
      ['theme:light', 'light', 'Use Light Theme'],
      ['theme:dark', 'dark', 'Use Dark Theme'],
      ['theme:system', 'system', 'Use System Theme']
    ];
    for (const [id, preference, label] of options) {
      app.commands.addCommand(id, {
        label,
        category: 'Theme',
        execute: () => choose(preference),
        isToggled: () => themes.preference === preference
      });
    }
    app.commands.addCommand('theme:toggle', {
      label: 'Toggle Light/Dark Theme',
      category: 'Theme',
      execute: () => choose(themes.theme === 'dark' ? 'light' : 'dark')
    });
    return themes;
  }
});
