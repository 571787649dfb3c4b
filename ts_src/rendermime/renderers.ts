import type { MimeRenderer, RenderOptions, RenderResult } from './registry';
import { VEGA_RENDERER } from './vega';

type Meta = Omit<MimeRenderer, 'render'>;

/**
 * The built-in renderers' metadata. Their code (Markdown parser, sanitizer, ANSI
 * converter) loads with the first output drawn, not at start-up. Redrawable: text,
 * images, Markdown, LaTeX and HTML (sanitized; HTML that runs scripts is drawn in a
 * frame, which keeps its cell drawn). Not: JavaScript, PDF (frames), JSON (its
 * expanded nodes are the user's).
 */
const BUILTIN: Meta[] = [
  { name: 'JavaScript', mimeTypes: ['application/javascript', 'text/javascript'], rank: 45, safe: false },
  { name: 'HTML', mimeTypes: ['text/html'], rank: 50, safe: true, redrawable: true },
  { name: 'Markdown', mimeTypes: ['text/markdown'], rank: 60, safe: true, redrawable: true },
  { name: 'SVG', mimeTypes: ['image/svg+xml'], rank: 70, safe: true, redrawable: true },
  { name: 'image/png', mimeTypes: ['image/png'], rank: 80, safe: true, redrawable: true },
  { name: 'image/jpeg', mimeTypes: ['image/jpeg'], rank: 81, safe: true, redrawable: true },
  { name: 'image/gif', mimeTypes: ['image/gif'], rank: 82, safe: true, redrawable: true },
  { name: 'image/webp', mimeTypes: ['image/webp'], rank: 83, safe: true, redrawable: true },
  { name: 'image/bmp', mimeTypes: ['image/bmp'], rank: 84, safe: true, redrawable: true },
  // LaTeX before images, as in JupyterLab: sympy's formulas typeset rather than as a PNG.
  { name: 'LaTeX', mimeTypes: ['text/latex'], rank: 65, safe: true, redrawable: true },
  { name: 'JSON', mimeTypes: ['application/json'], rank: 95, safe: true },
  { name: 'PDF', mimeTypes: ['application/pdf'], rank: 96, safe: true },
  { name: 'Plain text', mimeTypes: ['text/plain'], rank: 100, safe: true, redrawable: true }
];

let impl: Promise<Map<string, MimeRenderer>> | null = null;

function load(): Promise<Map<string, MimeRenderer>> {
  return (impl ??= import(/* webpackChunkName: "renderers" */ './renderers-impl').then(
    (m) => new Map(m.IMPLEMENTATIONS.map((r) => [r.name, r]))
  ));
}

/** The renderers built into jlab-alt (more arrive through plugins). */
export const BUILTIN_RENDERERS: MimeRenderer[] = [
  ...BUILTIN.map((meta) => ({
    ...meta,
    async render(options: RenderOptions): Promise<RenderResult> {
      const renderer = (await load()).get(meta.name);
      if (!renderer) throw new Error(`No implementation for the ${meta.name} renderer`);
      return renderer.render(options);
    }
  })),
  VEGA_RENDERER
];
