// Frontend of the server_info extension: a plain ES module (no build step).
import { requestJSON } from 'jlab-alt';

function describe(info) {
  const minutes = Math.floor(info.uptime_seconds / 60);
  const up = minutes < 1 ? 'up <1 min' : minutes < 120 ? `up ${minutes} min` : `up ${Math.floor(minutes / 60)} h`;
  const kernels = `${info.kernels} kernel${info.kernels === 1 ? '' : 's'}`;
  return `Python ${info.python} · ${kernels} · ${up}`;
}

/** @type {import('jlab-alt').AppPlugin} */
export default {
  id: 'server_info:status',
  description: "Shows the server's Python version, running kernels and uptime in the status bar.",
  activate(app) {
    const item = document.createElement('span');
    item.dataset.testid = 'server-info';
    item.textContent = 'Server…';
    item.title = 'Server information (from the server_info extension)';
    app.shell.addStatusItem({ id: 'server-info', node: item, align: 'right', rank: 100 });
    // `background`: a refresh nobody asked for (on a timer or on a kernel change) must not
    // count as the person's activity, or a tab left open would keep the server from being
    // culled for idleness (JupyterHub); the palette's Refresh is a person's action.
    const refresh = async (background) => {
      try {
        const info = await requestJSON(app, 'ext/server_info/info', { background });
        item.textContent = describe(info);
        item.dataset.python = info.python;
      } catch (err) {
        item.textContent = 'Server info unavailable';
        item.title = String(err);
      }
    };
    app.commands.addCommand('server-info:refresh', {
      label: 'Refresh',
      category: 'Server Info',
      execute: () => refresh(false)
    });
    // The uptime needs no more than a look every 30 s; the kernel count changes when a kernel
    // starts or stops, which the app's kernel manager reports (once for a burst of changes).
    setInterval(() => refresh(true), 30_000);
    let queued = null;
    app.services.kernels.runningChanged.connect(() => {
      clearTimeout(queued);
      queued = setTimeout(() => refresh(true), 100);
    });
    void refresh(true);
  }
};
