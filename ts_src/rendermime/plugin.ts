import { RenderMimeRegistry } from './registry';
import { BUILTIN_RENDERERS } from './renderers';
import { definePlugin, RENDERMIME } from '../tokens';

/** The mime renderer registry with the built-in renderers; extensions add theirs. */
export const renderMimePlugin = definePlugin({
  id: RENDERMIME,
  description: 'Renders outputs by mime type: text, HTML, Markdown, images, SVG, JSON, LaTeX.',
  activate(app) {
    const registry = new RenderMimeRegistry(`${app.config.appUrl}/sandbox`);
    for (const renderer of BUILTIN_RENDERERS) registry.addRenderer(renderer);
    return registry;
  }
});
