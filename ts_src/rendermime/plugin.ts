import type { AppPlugin } from '../core/application';
import { RenderMimeRegistry } from './registry';
import { BUILTIN_RENDERERS } from './renderers';

/** The mime renderer registry with the built-in renderers; extensions add theirs. */
export const renderMimePlugin: AppPlugin<RenderMimeRegistry> = {
  id: '@jlab-alt/rendermime:plugin',
  description: 'Renders outputs by mime type: text, HTML, Markdown, images, SVG, JSON, LaTeX.',
  activate(app) {
    const registry = new RenderMimeRegistry(`${app.config.appUrl}/sandbox`);
    for (const renderer of BUILTIN_RENDERERS) registry.addRenderer(renderer);
    return registry;
  }
};
