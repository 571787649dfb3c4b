import { showDialog } from '../dialogs/dialog';
import { ServerMonitor, statusProbe } from './monitor';
import { hubUrls } from './urls';
import { definePlugin, HUB } from '../tokens';

/** How often a visible page checks that its server still runs, in ms. */
const SERVER_CHECK_MS = 10_000;

/** Command ids of the hub feature (used by the menu bar and the palette). */
export const HUB_COMMANDS = {
  controlPanel: 'hub:control-panel',
  logout: 'hub:logout',
  restart: 'hub:restart'
} as const;

/**
 * JupyterHub integration, active when the page is served by JupyterHub's single-user
 * server (the page config has `hubPrefix` and `hubUser`, added by the hub's
 * `page_config_hook`): the commands Hub Control Panel, Log Out and Restart Server
 * (as JupyterLab's hub extension has them), and a dialog offering to restart the
 * server from the hub when it stops while the page is open. Outside a hub it does
 * nothing, and the commands do not exist.
 */
export const hubPlugin = definePlugin({
  id: HUB,
  description: 'JupyterHub commands (control panel, log out, restart) and the stopped-server dialog.',
  activate(app) {
    const urls = hubUrls(app.config);
    if (!urls) return null;
    app.commands.addCommand(HUB_COMMANDS.controlPanel, {
      label: 'Hub Control Panel',
      caption: 'Open the JupyterHub home page (start and stop servers, tokens) in a new tab',
      category: 'Hub',
      execute: () => void window.open(urls.controlPanel, '_blank')
    });
    app.commands.addCommand(HUB_COMMANDS.logout, {
      label: 'Log Out',
      caption: 'Log out of this server and of JupyterHub',
      category: 'Hub',
      execute: () => window.location.assign(urls.logout)
    });
    app.commands.addCommand(HUB_COMMANDS.restart, {
      label: 'Restart Server from the Hub',
      caption: 'Open the hub page that starts this server again, in a new tab',
      category: 'Hub',
      execute: () => void window.open(urls.restart, '_blank')
    });

    const monitor = new ServerMonitor(statusProbe(app.config.baseUrl));
    const suspect = () => monitor.suspect();
    // The services poll the kernel and session listings; a failure there (network
    // error, or the hub's 424/503 for a server that is not running) starts a check.
    app.services.kernels.connectionFailure.connect(suspect);
    app.services.sessions.connectionFailure.connect(suspect);
    // Behind a hub, a stopped server's API URLs are answered by the hub (a redirect
    // to its login or spawn pages for a browser request), which the services do not
    // all report as failures: check the server's status (not counted as activity by
    // jupyter_server) every 10 s while the page is visible.
    window.setInterval(() => {
      if (document.visibilityState !== 'hidden' && monitor.state === 'running') suspect();
    }, SERVER_CHECK_MS);
    let open = false;
    monitor.changed(async (state) => {
      if (state === 'running') {
        app.notifications.notify('Your server is running again. Reload the page to reconnect.', { type: 'info' });
        return;
      }
      if (state !== 'stopped' || open) return;
      open = true;
      const body = document.createElement('div');
      body.dataset.testid = 'hub-server-stopped';
      body.textContent =
        `Your server at ${app.config.baseUrl} is not running. Unsaved changes stay in this page; ` +
        'restart the server from the hub (a new tab), then save them.';
      const choice = await showDialog({
        title: 'Server unavailable or unreachable',
        body,
        buttons: [
          { id: 'dismiss', label: 'Dismiss' },
          { id: 'restart', label: 'Restart', kind: 'accept' }
        ],
        defaultButton: 'restart'
      });
      open = false;
      if (choice === 'restart') await app.commands.execute(HUB_COMMANDS.restart);
    });
    return monitor;
  }
});
