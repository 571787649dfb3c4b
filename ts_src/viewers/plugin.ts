import type { Application } from '../core/application';
import type { DocumentContext } from '../docmanager/context';
import { encodePath } from '../docmanager/manager';
import { ContextMenu } from '../menus/contextmenu';
import type { FileBrowserModel } from '../filebrowser/model';
import type { Widget } from '../shell/widget';
import { errorMessage } from '../core/errors';
import { definePlugin, FILEBROWSER } from '../tokens';

const IMAGES = ['.png', '.jpg', '.jpeg', '.gif', '.webp', '.bmp', '.svg', '.ico', '.avif'];
const AUDIO = ['.mp3', '.wav', '.ogg', '.oga', '.flac', '.m4a', '.aac', '.opus'];
const VIDEO = ['.mp4', '.webm', '.ogv', '.mov', '.m4v'];

/**
 * File viewers, registered as widget factories like every document type (an
 * extension adds one the same way): CSV/TSV grid, images, PDF, HTML (sandboxed),
 * audio and video, JSON/GeoJSON tree, Markdown preview. Each loads its code in its
 * own chunk when first used, reloads when its file changes on disk, and is offered
 * in the file browser's "Open With" menu with every other factory for the file.
 */
export const viewersPlugin = definePlugin({
  id: '@jlab-alt/viewers:plugin',
  description: 'Viewers for CSV/TSV, images, PDF, HTML, audio, video, JSON and a live Markdown preview; "Open With".',
  optional: [FILEBROWSER],
  activate(app: Application, browser: FileBrowserModel | null) {
    const fileUrl = (path: string) => `${app.config.baseUrl}files/${encodePath(path)}`;
    const add = (
      name: string,
      fileTypes: string[],
      rank: number,
      create: (context: DocumentContext) => Promise<Widget>,
      openByDefault = true
    ) => app.docRegistry.addWidgetFactory({ name, fileTypes, rank, create, openByDefault });

    add('CSV Viewer', ['.csv', '.tsv'], 10, async (ctx) => {
      const [{ CsvViewer }, { readFileRange }] = await Promise.all([
        import(/* webpackChunkName: "viewer-csv" */ './csv-view'),
        import(/* webpackChunkName: "viewer-csv" */ '../services/files')
      ]);
      return new CsvViewer(ctx, fileUrl, (url, from, to) => readFileRange(app.services.serverSettings, url, from, to));
    });
    add('Image', IMAGES, 10, async (ctx) => {
      const { ImageFileViewer } = await import(/* webpackChunkName: "viewer-media" */ './media');
      return new ImageFileViewer(ctx, fileUrl);
    });
    add('PDF Viewer', ['.pdf'], 10, async (ctx) => {
      const { PdfViewer } = await import(/* webpackChunkName: "viewer-media" */ './media');
      return new PdfViewer(ctx, fileUrl);
    });
    // HTML opens in the editor by default (it is source); the sandboxed view is one click away.
    add('HTML Viewer', ['.html', '.htm'], 200, async (ctx) => {
      const { HtmlViewer } = await import(/* webpackChunkName: "viewer-media" */ './media');
      return new HtmlViewer(ctx, fileUrl);
    });
    add('Audio Player', AUDIO, 10, async (ctx) => {
      const { MediaViewer } = await import(/* webpackChunkName: "viewer-media" */ './media');
      return new MediaViewer(ctx, fileUrl, 'audio');
    });
    add('Video Player', VIDEO, 10, async (ctx) => {
      const { MediaViewer } = await import(/* webpackChunkName: "viewer-media" */ './media');
      return new MediaViewer(ctx, fileUrl, 'video');
    });
    add('JSON Tree', ['.json', '.geojson', '.ipynb.json'], 10, async (ctx) => {
      const { JsonViewer } = await import(/* webpackChunkName: "viewer-text" */ './text-viewers');
      return new JsonViewer(ctx, fileUrl);
    });
    const editorText = (path: string) => {
      const widget = app.docManager.widgets.find(
        (w) => app.docManager.pathOf(w) === path && 'editorView' in w && !w.node.classList.contains('ja-FileViewer')
      ) as (Widget & { text: string | null }) | undefined;
      return widget ? { text: widget.text, node: widget.node } : null;
    };
    // Offered, not default: .md files open in the editor, the preview goes beside it.
    add(
      'Markdown Preview',
      ['.md', '.markdown'],
      150,
      async (ctx) => {
        const { MarkdownPreview } = await import(/* webpackChunkName: "viewer-text" */ './text-viewers');
        return new MarkdownPreview(ctx, fileUrl, editorText);
      },
      false
    );

    app.commands.addCommand('markdownviewer:open', {
      label: 'Show Markdown Preview',
      caption: 'Open a rendered preview of the current Markdown file beside it, following the edits',
      category: 'File',
      isEnabled: () => /\.(md|markdown)$/i.test(app.docManager.pathOf(app.shell.currentWidget) ?? ''),
      execute: async () => {
        const editor = app.shell.currentWidget;
        const path = app.docManager.pathOf(editor);
        if (!path || !editor) return;
        // Beside the editor (a split to its right), so both show at once.
        await app.docManager.open(path, 'Markdown Preview', { ref: editor.id, position: 'right' });
      }
    });

    // "Open With": every factory that can open the selected file, in a menu at the pointer.
    let pointer = { x: 100, y: 100 };
    document.addEventListener('contextmenu', (e) => (pointer = { x: e.clientX, y: e.clientY }), true);
    app.commands.addCommand('filebrowser:open-with', {
      label: 'Open With…',
      category: 'File',
      isEnabled: () => !!browser && browser.selectedItems.filter((i) => i.type !== 'directory').length === 1,
      execute: () => {
        const item = browser?.selectedItems.find((i) => i.type !== 'directory');
        if (!item) return;
        const menu = ContextMenu.open(
          app.docRegistry.factoriesFor(item.path).map((f) => ({
            id: `open-with-${f.name}`,
            label: f.name,
            run: () => {
              app.docManager.open(item.path, f.name).catch((err: unknown) =>
                app.notifications.notify(errorMessage(err), { type: 'error' })
              );
            }
          })),
          pointer.x + 160,
          pointer.y
        );
        menu.node.dataset.testid = 'open-with-menu';
      }
    });
  }
});
