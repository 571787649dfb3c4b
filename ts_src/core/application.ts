import type { DockviewTheme } from 'dockview-core';
import { CommandRegistry } from '../commands/registry';
import { KeybindingRegistry } from '../commands/keybindings';
import { DocumentManager } from '../docmanager/manager';
import { DocumentRegistry } from '../docmanager/registry';
import { NotificationCenter } from '../notifications/notifications';
import { ServiceConnections, makeServerSettings } from '../services/connection';
import { SettingsClient } from '../services/settings';
import { Shell } from '../shell/shell';
import type { PageConfig } from './pageconfig';
import { Plugin, PluginFailure, PluginRegistry } from './plugins';
import { errorMessage } from './errors';
import { addDeclaredShortcuts } from '../commands/declared';
import type { IDisposable } from './disposable';

/** A plugin of the jlab-alt app. */
export type AppPlugin<T = unknown> = Plugin<Application, T>;

/** Options of {@link Application}. */
export interface ApplicationOptions {
  config: PageConfig;
  /** The dock's initial theme (the theme plugin switches it later). */
  dockTheme: DockviewTheme;
  /** Plugin ids never to activate. */
  disabled?: Iterable<string>;
}

/**
 * The running app: the object handed to every plugin's `activate`. It holds the
 * registries (commands, keyboard shortcuts, document types), the shell, the host's
 * services and notifications. One instance per page; no module-level singletons.
 */
export class Application {
  readonly config: PageConfig;
  readonly commands = new CommandRegistry();
  readonly keybindings: KeybindingRegistry;
  readonly shell: Shell;
  readonly services: ServiceConnections;
  readonly settings: SettingsClient;
  readonly docRegistry = new DocumentRegistry();
  readonly docManager: DocumentManager;
  readonly notifications = new NotificationCenter();
  readonly plugins: PluginRegistry<Application>;
  private resolveStarted!: () => void;
  /** Resolves once every plugin has been activated (or has failed) and the shell is on screen. */
  readonly started: Promise<void> = new Promise((resolve) => (this.resolveStarted = resolve));

  constructor(options: ApplicationOptions) {
    this.config = options.config;
    const serverSettings = makeServerSettings(options.config);
    this.services = new ServiceConnections(serverSettings, makeServerSettings(options.config, window.location, true));
    this.settings = new SettingsClient(options.config, serverSettings);
    this.keybindings = new KeybindingRegistry(this.commands);
    this.shell = new Shell(options.dockTheme);
    this.docManager = new DocumentManager(this.docRegistry, this.services.contents, this.shell);
    this.plugins = new PluginRegistry<Application>(new Set(options.disabled ?? []));
  }

  /** The extension each plugin came from (absent for built-ins). */
  readonly pluginSource = new Map<string, string>();
  /** Frontend extensions that could not be loaded, with why. */
  readonly extensionFailures: { extension: string; error: string }[] = [];

  /**
   * Register plugins; call before {@link start}. `extension` names the extension
   * they come from (none for built-ins). A plugin whose id is taken is reported as
   * a failure of its extension instead.
   */
  registerPlugins(plugins: Iterable<AppPlugin<any>>, extension?: string): void {
    for (const plugin of plugins) {
      try {
        this.plugins.register(plugin);
        if (extension) this.pluginSource.set(plugin.id, extension);
      } catch (err) {
        if (!extension) throw err;
        this.extensionFailures.push({ extension, error: errorMessage(err) });
      }
    }
  }

  /**
   * Mount the shell into `host`, listen for shortcuts and activate the plugins.
   * A plugin that fails is reported on the console and as a notification; the
   * rest of the app starts regardless. Resolves with the failures.
   */
  async start(host: HTMLElement): Promise<PluginFailure[]> {
    host.replaceChildren(this.shell.node, this.notifications.node);
    document.addEventListener('keydown', (e) => this.keybindings.processKeydownEvent(e), true);
    for (const { extension, error } of this.extensionFailures) {
      console.error(`Extension "${extension}" failed to load: ${error}`);
      this.notifications.notify(`Extension "${extension}" failed to load: ${error}`, { type: 'error' });
    }
    // Shortcuts from the plugins' schemas, in plugin order, before any activates (a
    // plugin may show a command's shortcut at once); the user's come after all of them.
    const declared = this.config.shortcuts ?? {};
    const bindings = new Map<string, IDisposable[]>();
    for (const { id, status } of this.plugins.list()) {
      if (status.state === 'disabled' || !(id in declared)) continue;
      const { added, errors } = addDeclaredShortcuts(this.keybindings, id, declared[id]);
      bindings.set(id, added);
      for (const error of errors) {
        console.error(`Keyboard shortcut not added: ${error}`);
        this.notifications.notify(`Keyboard shortcut not added: ${error}`, { type: 'error' });
      }
    }
    const failures = await this.plugins.activateAll(this);
    for (const failure of failures) {
      // A failed plugin's commands never came: its shortcuts would show in the shortcut
      // help and count as conflicts for keys that do nothing.
      for (const binding of bindings.get(failure.id) ?? []) binding.dispose();
      const source = this.pluginSource.get(failure.id);
      const where = source ? ` (extension "${source}")` : '';
      console.error(`Plugin "${failure.id}"${where} failed to activate: ${failure.error}`);
      this.notifications.notify(`Plugin "${failure.id}"${where} failed to activate: ${failure.error}`, { type: 'error' });
    }
    document.body.dataset.jaState = 'ready';
    this.resolveStarted();
    return failures;
  }
}
