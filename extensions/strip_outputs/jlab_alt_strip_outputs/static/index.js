// Frontend of strip_outputs: a toggle command for the setting the server hook reads.
import { requestJSON } from 'jlab-alt';

const PLUGIN_ID = 'strip_outputs:plugin';

/** @type {import('jlab-alt').AppPlugin} */
export default {
  id: PLUGIN_ID,
  description: 'Toggle stripping notebook outputs on save.',
  async activate(app) {
    const path = `api/settings/${encodeURIComponent(PLUGIN_ID)}`;
    let strip = false;
    try {
      const reply = await requestJSON(app, path);
      strip = reply.settings.stripOutputs ?? reply.schema?.properties?.stripOutputs?.default ?? false;
    } catch (err) {
      console.warn('strip_outputs: could not read the setting', err);
    }
    app.commands.addCommand('strip-outputs:toggle', {
      label: 'Strip Outputs on Save',
      caption: 'When on, saved notebooks have no outputs (the open notebook keeps them)',
      category: 'Notebook',
      isToggled: () => strip,
      execute: async () => {
        const next = !strip;
        await requestJSON(app, path, { method: 'PUT', body: JSON.stringify({ settings: { stripOutputs: next } }) });
        strip = next;
        app.notifications.notify(next ? 'Outputs will be stripped on save.' : 'Outputs will be kept on save.', {
          type: 'info'
        });
      }
    });
  }
};
