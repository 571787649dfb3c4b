// Frontend of the plotly extension: a mime renderer for application/vnd.plotly.v1+json.
import { nextTask, SlicedQueue } from 'jlab-alt';

const MIME = 'application/vnd.plotly.v1+json';

let plotly = null;

/** Load plotly.js once, on the first figure drawn (it is large). */
function loadPlotly(app) {
  if (!plotly) {
    const url = new URL(`${app.config.baseUrl}jlab-alt/ext/plotly/lib/plotly.min.js`, window.location.origin);
    plotly = import(url.href).then(async () => {
      if (!window.Plotly) throw new Error('plotly.min.js loaded but defined no Plotly');
      // plotly.js's own evaluation is one long task (0.4 s); the first figure is drawn
      // in the next task rather than lengthening it.
      await nextTask();
      return window.Plotly;
    });
    plotly.catch(() => {
      plotly = null; // let a later figure try again
    });
  }
  return plotly;
}

/**
 * Figures are drawn one after the other, each in a new task once the last one used up its
 * slice: a notebook's figures all wait for plotly.js, and were then drawn in one task
 * (over a second for renderers__plotly-extension_large.ipynb).
 */
const figures = new SlicedQueue();

/** @type {import('jlab-alt').AppPlugin} */
export default {
  id: 'plotly:renderer',
  description: 'Renders Plotly figures (application/vnd.plotly.v1+json).',
  requires: ['@jlab-alt/rendermime:plugin'],
  activate(app, rendermime) {
    rendermime.addRenderer({
      name: 'Plotly',
      mimeTypes: [MIME],
      rank: 20,
      // The figure is data (traces, layout); drawing it runs no code from the output.
      safe: true,
      async render({ data, host }) {
        // Plotly.newPlot writes into the objects it is given (axis ranges, types...); the
        // registry hands every renderer its own copy of structured data, so drawing never
        // changes the output nor what a save writes. A second copy here cost 23 ms for the
        // corpus' 1.4 MB figure, in the frame that drew the cell.
        const figure = typeof data === 'string' ? JSON.parse(data) : data;
        const div = document.createElement('div');
        div.className = 'jlab-alt-plotly';
        div.dataset.testid = 'plotly-figure';
        host.appendChild(div);
        const Plotly = await loadPlotly(app);
        await figures.run(() =>
          Plotly.newPlot(div, figure.data ?? [], figure.layout ?? {}, { responsive: true, ...(figure.config ?? {}) })
        );
      }
    });
  }
};
