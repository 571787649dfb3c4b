import type { Application } from '../core/application';
import type { CommandArgs } from '../commands/registry';
import { nextTask } from '../core/tasks';
import { encodePath } from '../docmanager/manager';
import type { RenderMimeRegistry } from '../rendermime/registry';
import * as actions from './actions';
import type { CellType } from './model/cell';
import type { NotebookPanel } from './panel';
import { NotebookTracker } from './tracker';
import { buildToolbar } from './toolbar';
import { notebookStatusItem } from './status';
import type { FindBar } from './find/bar';
import { definePlugin, NOTEBOOK, RENDERMIME } from '../tokens';

const SETTINGS_ID = '@jlab-alt/notebook:plugin';

/**
 * The notebook editor: opens `.ipynb` files, and registers the notebook commands
 * with JupyterLab's default shortcuts, the toolbar and the status bar item. Saving,
 * autosave (this plugin's `autosave`/`autosaveInterval` settings) and the
 * unsaved-changes warning are the document manager's. Provides the {@link NotebookTracker}.
 */
export const notebookPlugin = definePlugin({
  id: NOTEBOOK,
  description: 'Open, edit, run and save notebooks.',
  requires: [RENDERMIME],
  activate(app: Application, rendermime: RenderMimeRegistry) {
    const tracker = new NotebookTracker(app.shell);
    const { commands } = app;

    app.docRegistry.addWidgetFactory({
      name: 'Notebook',
      fileTypes: ['.ipynb'],
      rank: 0,
      autosaveSettings: SETTINGS_ID,
      create: async (context) => {
        // The editor (CodeMirror and all) loads with the first notebook opened.
        const { NotebookPanel } = await import(/* webpackChunkName: "notebook" */ './panel');
        // The chunk's modules are evaluated in the task its script arrived in (25-45 ms
        // the first time); the panel is made and shown in the next one.
        await nextTask();
        const panel = new NotebookPanel({
          context,
          sessions: app.services.sessions,
          kernelspecs: app.services.kernelspecs,
          rendermime,
          toolbar: (p) => buildToolbar(p, app),
          urls: {
            file: (path) => `${app.config.baseUrl}files/${encodePath(path)}`,
            document: (path) => `${app.config.appUrl}/tree/${encodePath(path)}`
          }
        });
        tracker.add(panel);
        return panel;
      }
    });

    const current = () => tracker.current;
    const enabled = () => !!tracker.current?.model;
    const add = (
      id: string,
      label: string,
      run: (panel: NotebookPanel, args: CommandArgs) => unknown,
      caption = '',
      isEnabled: () => boolean = enabled
    ) => {
      commands.addCommand(id, {
        label,
        caption,
        category: 'Notebook',
        isEnabled,
        execute: (args) => {
          const panel = current();
          return panel ? run(panel, args) : undefined;
        }
      });
    };

    add('notebook:run-cell-and-select-next', 'Run Selected Cells', (p) => actions.runSelected(p, 'advance'));
    add('notebook:run-cell', 'Run Selected Cells and Do not Advance', (p) => actions.runSelected(p, 'stay'));
    add('notebook:run-cell-and-insert-below', 'Run Selected Cells and Insert Below', (p) => actions.runSelected(p, 'insert'));
    add('notebook:run-all-cells', 'Run All Cells', (p) => actions.runAll(p));
    add('notebook:run-all-above', 'Run All Above Selected Cell', (p) => actions.runAbove(p));
    add('notebook:run-all-below', 'Run Selected Cell and All Below', (p) => actions.runBelow(p));
    add('notebook:restart-run-all', 'Restart Kernel and Run All Cells…', (p) => actions.restartAndRunAll(p));
    add('notebook:interrupt-kernel', 'Interrupt Kernel', (p) => p.interrupt());
    add('notebook:restart-kernel', 'Restart Kernel…', (p) => p.restart(true));
    add('notebook:shutdown-kernel', 'Shut Down Kernel', (p) => p.session.shutdown());
    add('notebook:change-kernel', 'Change Kernel…', (p) => p.pickKernel());
    add('notebook:enter-edit-mode', 'Enter Edit Mode', (p) => p.view?.enterEdit());
    add(
      'notebook:enter-command-mode',
      'Enter Command Mode',
      (p) => p.view?.enterCommand(),
      '',
      // Escape first closes a completion popup or help tooltip, as in JupyterLab.
      () => enabled() && !document.querySelector('.cm-tooltip-autocomplete, .ja-Inspect')
    );

    add('notebook:insert-cell-above', 'Insert Cell Above', (p) => actions.insert(p, 'above'));
    add('notebook:insert-cell-below', 'Insert Cell Below', (p) => actions.insert(p, 'below'));
    add('notebook:delete-cell', 'Delete Cells', (p) => actions.deleteSelected(p));
    add('notebook:cut-cell', 'Cut Cells', (p) => actions.cutSelected(p, tracker));
    add('notebook:copy-cell', 'Copy Cells', (p) => actions.copySelected(p, tracker));
    add('notebook:paste-cell-below', 'Paste Cells Below', (p) => actions.paste(p, tracker, 'below'));
    add('notebook:paste-cell-above', 'Paste Cells Above', (p) => actions.paste(p, tracker, 'above'));
    add('notebook:undo-cell-action', 'Undo Cell Operation', (p) => actions.undo(p));
    add('notebook:redo-cell-action', 'Redo Cell Operation', (p) => actions.redo(p));
    const types: [CellType, string][] = [
      ['code', 'Change to Code Cell Type'],
      ['markdown', 'Change to Markdown Cell Type'],
      ['raw', 'Change to Raw Cell Type']
    ];
    for (const [type, label] of types) {
      add(`notebook:change-cell-to-${type}`, label, (p) => actions.changeType(p, type));
    }
    add('notebook:change-cell-type', 'Change Cell Type', (p, args) => {
      if (args.type === 'code' || args.type === 'markdown' || args.type === 'raw') actions.changeType(p, args.type);
    });
    add('notebook:move-cell-up', 'Move Cells Up', (p) => actions.move(p, 'up'));
    add('notebook:move-cell-down', 'Move Cells Down', (p) => actions.move(p, 'down'));
    add('notebook:merge-cells', 'Merge Selected Cells', (p) => actions.merge(p));
    add('notebook:split-cell-at-cursor', 'Split Cell', (p) => actions.split(p));
    add('notebook:select-cell-above', 'Select Cell Above', (p) => actions.select(p, 'up', false));
    add('notebook:select-cell-below', 'Select Cell Below', (p) => actions.select(p, 'down', false));
    add('notebook:extend-marked-cells-above', 'Extend Selection Above', (p) => actions.select(p, 'up', true));
    add('notebook:extend-marked-cells-below', 'Extend Selection Below', (p) => actions.select(p, 'down', true));
    add('notebook:select-all', 'Select All Cells', (p) => p.view?.selectAll());
    add('notebook:hide-cell-code', 'Collapse/Expand Selected Code', (p) => actions.toggleCollapse(p, 'source'));
    add('notebook:hide-cell-outputs', 'Collapse/Expand Selected Outputs', (p) => actions.toggleCollapse(p, 'outputs'));
    add('notebook:clear-cell-output', 'Clear Cell Output', (p) => actions.clearOutputs(p, false));
    add('notebook:clear-all-cell-outputs', 'Clear Outputs of All Cells', (p) => actions.clearOutputs(p, true));
    add('notebook:trust', 'Trust Notebook', (p) => p.trust());
    // The toolbar's button; saving (and Ctrl+S) is the document manager's `docmanager:save`.
    // Ctrl+S in a notebook: the same save as the document manager's (which binds it on the
    // whole page), bound here too so the toolbar, menus and palette show it for this command.
    add('notebook:save', 'Save Notebook', () => app.commands.execute('docmanager:save'), '', () => !!tracker.current);

    // Find and replace over the whole notebook. Scoped to the panel (notebook, editors,
    // the bar itself), so Ctrl+F there never reaches the browser's find or CodeMirror's.
    // The bar loads with the notebook chunk (it uses CodeMirror's history), not the main bundle.
    const findBars = new WeakMap<NotebookPanel, FindBar>();
    const findBar = async (p: NotebookPanel): Promise<FindBar> => {
      let bar = findBars.get(p);
      if (!bar) {
        const { FindBar } = await import(/* webpackChunkName: "notebook" */ './find/bar');
        bar = findBars.get(p) ?? new FindBar(p);
        p.findSlot.appendChild(bar.node);
        findBars.set(p, bar);
      }
      return bar;
    };
    add('notebook:find', 'Find…', async (p) => {
      const text = selectedText(p);
      (await findBar(p)).open(text);
    });
    add('notebook:find-next', 'Find Next', async (p) => {
      const bar = await findBar(p);
      if (bar.isOpen) bar.next();
      else bar.open();
    });
    add('notebook:find-previous', 'Find Previous', async (p) => {
      const bar = await findBar(p);
      if (bar.isOpen) bar.previous();
      else bar.open();
    });

    app.shell.addStatusItem({ id: 'notebook-status', node: notebookStatusItem(tracker, app.shell), align: 'left', rank: 10 });

    return tracker;
  }
});

/** The focused editor's selection, when it is on one line: what Ctrl+F searches for. */
function selectedText(panel: NotebookPanel): string | undefined {
  const editor = panel.view?.activeView?.editor;
  if (!editor?.hasFocus) return undefined;
  const { state } = editor.view;
  const text = state.sliceDoc(state.selection.main.from, state.selection.main.to);
  return text && !text.includes('\n') ? text : undefined;
}
