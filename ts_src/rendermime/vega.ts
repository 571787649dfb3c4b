import type { MimeRenderer, RenderOptions } from './registry';
import { SlicedQueue } from '../core/tasks';

/**
 * Vega and Vega-Lite outputs (Altair, vega_datasets...), as JupyterLab's
 * vega5-extension draws them. The current Vega 6 / Vega-Lite 6 render the older
 * spec versions too (the spec's own `$schema` decides the details), so notebooks
 * saved with v3-v5 mime types still show a chart rather than "no renderer".
 */
export const VEGA_MIME_TYPES = [
  'application/vnd.vega.v5+json',
  'application/vnd.vega.v4+json',
  'application/vnd.vega.v3+json'
];
export const VEGALITE_MIME_TYPES = [
  'application/vnd.vegalite.v6+json',
  'application/vnd.vegalite.v5+json',
  'application/vnd.vegalite.v4+json',
  'application/vnd.vegalite.v3+json',
  'application/vnd.vegalite.v2+json'
];

type Embed = typeof import('vega-embed').default;
let libs: Promise<{ embed: Embed; expr: typeof import('vega-interpreter').expressionInterpreter }> | null = null;

function load() {
  return (libs ??= Promise.all([
    import(/* webpackChunkName: "vega" */ 'vega-embed'),
    import(/* webpackChunkName: "vega" */ 'vega-interpreter')
  ]).then(([embed, interpreter]) => ({ embed: embed.default, expr: interpreter.expressionInterpreter })));
}

/** Whether the page shows the dark theme (charts follow it, as in JupyterLab). */
function darkTheme(): boolean {
  return document.documentElement.dataset.theme === 'dark';
}

async function render({ mimeType, data, metadata, host }: RenderOptions): Promise<void> {
  if (typeof data === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(data) && new URL(data).origin !== location.origin) {
    // The app page may only connect to its own server (Content-Security-Policy).
    throw new Error(`the chart's spec is at ${data}, and jlab-alt only loads data from its own server`);
  }
  const { embed, expr } = await load();
  const chart = document.createElement('div');
  chart.className = 'ja-VegaOutput';
  host.appendChild(chart);
  // Altair passes options for vega-embed in the output metadata.
  const requested = (metadata.embed_options ?? {}) as Record<string, unknown>;
  await charts.run(() => embed(chart, data as Parameters<Embed>[1], {
    actions: { export: true, source: false, compiled: false, editor: false },
    ...(darkTheme() ? { theme: 'dark' as const } : {}),
    ...requested,
    mode: VEGALITE_MIME_TYPES.includes(mimeType) ? 'vega-lite' : 'vega',
    // The app's Content-Security-Policy has no 'unsafe-eval': Vega's expressions are
    // interpreted from their syntax tree instead of compiled with new Function().
    ast: true,
    expr
  }));
}

/**
 * Charts are drawn one after the other, a new task for each once a slice is used up: the
 * charts of a notebook all wait for the libraries and were then drawn in one task
 * (4 charts: 125-140 ms, renderers__vega3-extension.ipynb, 2026-12-04).
 */
const charts = new SlicedQueue();

/** The Vega / Vega-Lite renderer (its libraries load with the first chart). */
export const VEGA_RENDERER: MimeRenderer = {
  name: 'Vega',
  mimeTypes: [...VEGA_MIME_TYPES, ...VEGALITE_MIME_TYPES],
  // JupyterLab's rank: after HTML and JavaScript, before images, so a chart beats
  // its own PNG fallback.
  rank: 57,
  safe: true,
  render
};
