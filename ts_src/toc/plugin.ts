import type { Application } from '../core/application';
import type { NotebookTracker } from '../notebook/tracker';
import type { Widget } from '../shell/widget';
import { DEFAULT_NUMBERING, type NumberingOptions } from './numbering';
import { TocRegistry } from './registry';
import { TocPanel } from './view';
import { errorMessage } from '../core/errors';
import { captionWithShortcut } from '../menus/shortcut';
import { definePlugin, NOTEBOOK, TOC } from '../tokens';

export const TOC_PLUGIN_ID = '@jlab-alt/toc:plugin';

/** The settings of the table of contents (`@jlab-alt/toc:plugin`), JupyterLab's names. */
export interface TocSettings extends NumberingOptions {
  /** List headings of Markdown and HTML outputs too (default false). */
  includeOutputs: boolean;
}

function readSettings(values: Record<string, unknown>): TocSettings {
  const depth = Number(values.maximalDepth);
  return {
    numbering: typeof values.numbering === 'boolean' ? values.numbering : DEFAULT_NUMBERING.numbering,
    numberingH1: typeof values.numberingH1 === 'boolean' ? values.numberingH1 : DEFAULT_NUMBERING.numberingH1,
    maximalDepth: Number.isInteger(depth) && depth >= 1 && depth <= 6 ? depth : DEFAULT_NUMBERING.maximalDepth,
    includeOutputs: values.includeOutputs === true
  };
}

/**
 * The table of contents: a left sidebar panel (Ctrl+Shift+K, `toc:show`) listing the
 * headings of the current document. Providers are registered by widget type in the
 * {@link TocRegistry} this plugin provides; the built-in ones cover notebooks
 * (`notebook/toc.ts`) and Markdown files in the editor (`editor/toc.ts`), loaded with
 * the first document shown. Also the notebook commands that collapse and expand all
 * headings (Ctrl+Shift+Left/Right), which share the heading logic.
 */
export const tocPlugin = definePlugin({
  id: TOC,
  description: 'Table of contents of notebooks and Markdown files; collapsible headings in notebooks.',
  optional: [NOTEBOOK],
  activate(app: Application, tracker: NotebookTracker | null) {
    const registry = new TocRegistry();
    let settings = readSettings({});

    registry.add({
      name: 'Markdown',
      create: (widget) => {
        const path = app.docManager.pathOf(widget);
        if (!path || !/\.(md|markdown)$/i.test(path) || !('editorView' in widget)) return null;
        return import(/* webpackChunkName: "editor" */ '../editor/toc').then(
          ({ MarkdownTocProvider }) => new MarkdownTocProvider(widget as never, settings)
        );
      }
    });
    if (tracker) {
      registry.add({
        name: 'Notebook',
        create: (widget) => {
          const panel = tracker.all.find((p) => p === widget);
          if (!panel) return null;
          return import(/* webpackChunkName: "notebook" */ '../notebook/toc').then(
            ({ NotebookTocProvider }) => new NotebookTocProvider(panel, settings)
          );
        }
      });
    }

    let saved: Record<string, unknown> = {};
    const panel = new TocPanel(
      (widget: Widget) => registry.providerFor(widget, settings),
      settings,
      (numbering) => {
        settings = { ...settings, numbering };
        saved = { ...saved, numbering };
        void app.settings.save(TOC_PLUGIN_ID, saved).catch((err) =>
          app.notifications.notify(`The numbering setting was not saved: ${errorMessage(err)}`, {
            type: 'warning'
          })
        );
      }
    );
    captionWithShortcut(panel.title, app.keybindings, 'Table of Contents', 'toc:show');
    app.shell.add(panel, 'left', { rank: 200 });
    panel.setWidget(app.shell.currentWidget);
    app.shell.currentChanged((widget) => panel.setWidget(widget));

    // Followed live: the settings editor's changes apply at once.
    app.settings.watch(TOC_PLUGIN_ID, (values) => {
      saved = { ...values };
      settings = readSettings(values);
      panel.setNumbering(settings);
    });

    app.commands.addCommand('toc:show', {
      label: 'Show Table of Contents',
      category: 'View',
      execute: () => {
        app.shell.activateById(panel.id);
      }
    });

    if (tracker) {
      const withCollapser = async (run: (c: import('../notebook/headings').HeadingCollapser) => void) => {
        const view = tracker.current?.view;
        if (!view) return;
        const { HeadingCollapser } = await import(/* webpackChunkName: "notebook" */ '../notebook/headings');
        run(HeadingCollapser.for(view));
      };
      app.commands.addCommand('notebook:collapse-all-headings', {
        label: 'Collapse All Headings',
        category: 'Notebook',
        isEnabled: () => !!tracker.current?.view,
        execute: () => withCollapser((c) => c.collapseAll())
      });
      app.commands.addCommand('notebook:expand-all-headings', {
        label: 'Expand All Headings',
        category: 'Notebook',
        isEnabled: () => !!tracker.current?.view,
        execute: () => withCollapser((c) => c.expandAll())
      });
      // Heading toggles and saved collapse state show as soon as a notebook opens,
      // whether or not the table of contents is open.
      const attach = (p: NonNullable<NotebookTracker['current']>) => {
        const run = () => void withCollapserFor(p);
        p.ready(run); // again after a reload: a new view
        if (p.view) run();
      };
      const withCollapserFor = async (p: NonNullable<NotebookTracker['current']>) => {
        if (!p.view) return;
        const { HeadingCollapser } = await import(/* webpackChunkName: "notebook" */ '../notebook/headings');
        HeadingCollapser.for(p.view);
      };
      const seen = new WeakSet<object>();
      const check = () => {
        for (const p of tracker.all) {
          if (seen.has(p)) continue;
          seen.add(p);
          attach(p);
        }
      };
      tracker.currentChanged(check);
      check();
    }
    return registry;
  }
});
