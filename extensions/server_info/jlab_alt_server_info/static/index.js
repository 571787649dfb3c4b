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
    const refresh = async () => {
      try {
        const info = await requestJSON(app, 'ext/server_info/info');
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
      execute: refresh
    });
    setInterval(refresh, 30_000);
    void refresh();
  }
};
