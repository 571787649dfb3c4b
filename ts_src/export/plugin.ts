import { ServerConnection } from '@jupyterlab/services/lib/serverconnection';
import type { Application } from '../core/application';
import { encodePath } from '../docmanager/manager';
import { ContextMenu } from '../menus/contextmenu';
import type { Widget } from '../shell/widget';
import { downloadName, errorMessageOf } from './download';
import { errorMessage } from '../core/errors';
import { definePlugin } from '../tokens';

/** One export format, as `/jlab-alt/api/export-formats` lists it (the host's nbconvert exporters). */
export interface ExportFormat {
  name: string;
  label: string;
  /** File extension with its dot (".html"); "" for the script exporter, which uses the kernel's. */
  extension: string;
  mimetype: string;
  /** False when a tool it needs is missing on the server; `reason` then says which. */
  available: boolean;
  reason: string;
}

/** Formats shown first in "Download as", in this order (JupyterLab's common ones). */
const FIRST = ['notebook', 'html', 'script', 'markdown', 'pdf', 'webpdf', 'latex', 'rst', 'asciidoc', 'slides'];

/** Something that can save itself before export (notebook panels and editors have `save()`). */
interface Saveable extends Widget {
  save(): Promise<void>;
}

/**
 * "Download as": the current notebook exported by the host's nbconvert
 * (`/nbconvert/<format>/<path>?download=true`), one request (the format list is
 * fetched for the chooser, or after a failed export for its reason), saved first when it has
 * unsaved changes; formats whose tools are missing show disabled with the reason; a
 * failing export shows nbconvert's message. Also "Download" of any open file and
 * "Print" of a notebook (its HTML export, printed from a frame).
 *
 * Commands: `docmanager:export {format}` (no format: a chooser), `docmanager:download`,
 * `docmanager:print`.
 */
export const exportPlugin = definePlugin({
  id: '@jlab-alt/export:plugin',
  description: 'Download a notebook as HTML, script, Markdown and every other nbconvert format; download and print files.',
  activate(app: Application) {
    let formats: Promise<ExportFormat[]> | null = null;
    /** The format list once it has arrived (null before). */
    let formatsLoaded: ExportFormat[] | null = null;
    const loadFormats = (): Promise<ExportFormat[]> => {
      formats ??= (async () => {
        const url = `${window.location.origin}${app.config.apiUrl}/export-formats`;
        const response = await ServerConnection.makeRequest(url, {}, app.services.serverSettings);
        if (!response.ok) throw new Error(`The export formats could not be listed (${response.status})`);
        const list = ((await response.json()) as { formats: ExportFormat[] }).formats;
        const rank = (f: ExportFormat) => (FIRST.includes(f.name) ? FIRST.indexOf(f.name) : FIRST.length);
        formatsLoaded = [...list].sort((a, b) => rank(a) - rank(b));
        return formatsLoaded;
      })();
      formats.catch(() => (formats = null));
      return formats;
    };

    const currentPath = (): string | null => app.docManager.pathOf(app.shell.currentWidget);
    const currentNotebook = (): string | null => {
      const path = currentPath();
      return path && path.toLowerCase().endsWith('.ipynb') ? path : null;
    };
    const report = (message: string) => app.notifications.notify(message, { type: 'error' });

    /** Save the current document first when it has unsaved changes. */
    const saveFirst = async (): Promise<void> => {
      const widget = app.shell.currentWidget as Saveable | null;
      if (widget?.title.dirty && typeof widget.save === 'function') await widget.save();
    };

    const exportAs = async (format: string): Promise<void> => {
      const path = currentNotebook();
      if (!path) throw new Error('Open a notebook to download it in another format');
      // A format already known to be unavailable is refused without asking the server.
      const listed = formatsLoaded?.find((f) => f.name === format);
      if (listed && !listed.available) throw new Error(`Cannot download as ${listed.label}: ${listed.reason}`);
      await saveFirst();
      const url = `${window.location.origin}${app.config.baseUrl}nbconvert/${encodeURIComponent(format)}/${encodePath(path)}?download=true`;
      // The export alone: the host's nbconvert time is the download's time. The format
      // list is asked for only when the export fails (to say which tool is missing): on a
      // fresh server building it imports every exporter, CPU that slowed the export itself.
      const response = await ServerConnection.makeRequest(url, {}, app.services.serverSettings);
      if (!response.ok) {
        const message = errorMessageOf(await response.text(), response.status);
        const list = await loadFormats().catch(() => null);
        const known = list?.find((f) => f.name === format);
        if (list && !known) throw new Error(`The server has no "${format}" exporter`);
        if (known && !known.available) throw new Error(`Cannot download as ${known.label}: ${known.reason}`);
        throw new Error(`Download as ${known?.label ?? format} failed: ${message}`);
      }
      const blob = await response.blob();
      const stem = path.split('/').pop()!.replace(/\.ipynb$/i, '');
      const extension = formatsLoaded?.find((f) => f.name === format)?.extension || '.txt';
      const name = downloadName(response.headers.get('Content-Disposition'), `${stem}${extension}`);
      saveBlob(blob, name);
    };

    app.commands.addCommand('docmanager:export', {
      label: (args) => {
        if (typeof args.format !== 'string') return 'Download as…';
        return `Download as ${args.format}`;
      },
      caption: 'Export the current notebook with nbconvert and download it',
      category: 'File',
      isEnabled: () => currentNotebook() !== null,
      execute: async (args) => {
        try {
          if (typeof args.format === 'string') await exportAs(args.format);
          else await chooseFormat();
        } catch (err) {
          if (err instanceof Error && err.name === 'SaveCancelledError') return;
          report(errorMessage(err));
        }
      }
    });

    /** The "Download as" chooser: every format, disabled ones with the reason. */
    const chooseFormat = async (): Promise<void> => {
      const list = await loadFormats();
      const anchor = app.shell.currentWidget?.node.getBoundingClientRect();
      const menu = ContextMenu.open(
        list.map((f) => ({
          id: `export-${f.name}`,
          label: f.available ? f.label : `${f.label} — ${f.reason}`,
          shortcut: f.available ? f.extension : '',
          disabled: !f.available,
          run: () => void app.commands.execute('docmanager:export', { format: f.name })
        })),
        (anchor?.left ?? 0) + 40,
        (anchor?.top ?? 0) + 40
      );
      menu.node.dataset.testid = 'export-menu';
    };

    app.commands.addCommand('docmanager:download', {
      label: 'Download',
      caption: 'Download the current file as it is saved on the server',
      category: 'File',
      isEnabled: () => currentPath() !== null,
      execute: async () => {
        const path = currentPath();
        if (!path) return;
        try {
          await saveFirst();
        } catch (err) {
          if (err instanceof Error && err.name === 'SaveCancelledError') return;
          throw err;
        }
        const a = document.createElement('a');
        a.href = `${app.config.baseUrl}files/${encodePath(path)}?download=1`;
        a.download = path.split('/').pop()!;
        document.body.appendChild(a);
        a.click();
        a.remove();
      }
    });

    app.commands.addCommand('docmanager:print', {
      label: 'Print…',
      caption: 'Print the current notebook (as its HTML export)',
      category: 'File',
      isEnabled: () => currentNotebook() !== null,
      execute: async () => {
        const path = currentNotebook();
        if (!path) return;
        await saveFirst();
        document.querySelector('iframe.ja-PrintFrame')?.remove();
        const frame = document.createElement('iframe');
        frame.className = 'ja-PrintFrame';
        frame.dataset.testid = 'print-frame';
        frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0;';
        frame.src = `${app.config.baseUrl}nbconvert/html/${encodePath(path)}`;
        frame.addEventListener('load', () => frame.contentWindow?.print(), { once: true });
        document.body.appendChild(frame);
      }
    });
  }
});

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
