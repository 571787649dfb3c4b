import type { Application } from '../core/application';
import type { FileBrowserModel } from '../filebrowser/model';
import { LOGO_MAX_BYTES, LauncherItem, LauncherModel, RecentKernels, chooseLogo, kernelInitials } from './model';
import { resourceBytes } from '../services/resource-size';
import type { LauncherView } from './view';
import { errorMessage } from '../core/errors';
import { definePlugin, FILEBROWSER, LAUNCHER } from '../tokens';
import { compareNames } from '../core/collation';

type ViewModule = typeof import('./view');

/** Commands whose `kernelName` argument counts as "recently used" for the launcher. */
const KERNEL_COMMANDS = new Set(['notebook:create-new', 'console:create']);

/**
 * The launcher: a registry of cards other plugins add to (the value this plugin
 * provides: `add(item): IDisposable`), shown in the empty main area and opened as a
 * tab by `launcher:create {cwd?}` (Ctrl+Shift+L), the file browser's "+" and the "+"
 * after each tab group. Cards run commands in the file browser's current folder.
 */
export const launcherPlugin = definePlugin({
  id: LAUNCHER,
  description: 'The launcher: new notebooks, consoles, terminals and files in the current folder.',
  optional: [FILEBROWSER],
  activate(app: Application, browser: FileBrowserModel | null) {
    const model = new LauncherModel();
    const recent = new RecentKernels(safeLocalStorage());
    const views = new Set<LauncherView>();
    const browserCwd = () => browser?.path ?? '';

    const launch = (view: LauncherView, item: LauncherItem, cwd: string, closeAfter: boolean) => {
      app.commands
        .execute(item.command, { ...(item.args ?? {}), cwd })
        .then(() => {
          if (closeAfter) view.dispose();
        })
        .catch((err) => app.notifications.notify(`${item.command} failed: ${errorMessage(err)}`, { type: 'error' }));
    };
    // The launcher's view loads after the app's first paint (and before any card can be clicked).
    let viewModule: Promise<ViewModule> | null = null;
    const loadView = () => (viewModule ??= import(/* webpackChunkName: "launcher" */ './view'));
    const makeView = ({ LauncherView }: ViewModule, id: string, fixedCwd: string | null, closeAfter: boolean) => {
      const view: LauncherView = new LauncherView(id, {
        model,
        commands: app.commands,
        recent,
        cwd: () => fixedCwd ?? browserCwd(),
        cwdChanged: fixedCwd === null && browser ? (fn) => browser.changed(fn) : undefined,
        launch: (item, cwd) => launch(view, item, cwd, closeAfter)
      });
      views.add(view);
      view.disposed(() => views.delete(view));
      return view;
    };

    // The empty main area shows a launcher (a card run keeps it for next time).
    void loadView()
      .then((m) => app.shell.dock.setWatermark(makeView(m, 'launcher-watermark', null, false).node))
      .catch((err) => console.warn('The launcher could not load:', err));

    let count = 0;
    app.commands.addCommand('launcher:create', {
      label: 'New Launcher',
      caption: 'Open a launcher to create notebooks, consoles, terminals and files',
      category: 'File',
      execute: async (args) => {
        const cwd = typeof args.cwd === 'string' ? args.cwd : null;
        const view = makeView(await loadView(), `launcher:${++count}`, cwd, true);
        app.shell.add(view, 'main', typeof args.ref === 'string' ? { ref: args.ref } : {});
        app.shell.activateById(view.id);
        return view;
      }
    });
    app.shell.dock.addGroupAction({
      label: 'New Launcher',
      testid: 'dock-new-launcher',
      text: '+',
      run: (activeId) => void app.commands.execute('launcher:create', activeId ? { ref: activeId } : {})
    });

    // Kernels started from a card, a menu or the palette move to the front.
    app.commands.commandExecuted(({ id, args }) => {
      if (!KERNEL_COMMANDS.has(id) || typeof args.kernelName !== 'string' || !args.kernelName) return;
      recent.use(args.kernelName);
      for (const view of views) view.render();
    });

    // Files: shown always. A terminal: only when a terminal plugin registers the command.
    model.add({ command: 'terminal:create-new', category: 'Other', rank: 0, iconClass: 'ja-icon-terminal' });
    model.add({ command: 'fileeditor:create-new', args: { ext: '.txt' }, category: 'Other', rank: 1, iconClass: 'ja-icon-newfile' });
    model.add({ command: 'fileeditor:create-new', args: { ext: '.md' }, category: 'Other', rank: 2, iconClass: 'ja-icon-markdown' });
    model.add({ command: 'fileeditor:create-new', args: { ext: '.py' }, category: 'Other', rank: 3, iconClass: 'ja-icon-python' });

    // A notebook and a console card per kernelspec, once the host listed them (never
    // blocking start-up). A logo over LOGO_MAX_BYTES (only an SVG can be: PNG logos are
    // 64×64) is not downloaded at all: its size is asked for first, and the cards show
    // the kernel's initials instead.
    const { kernelspecs } = app.services;
    const logoOf = async (resources: Record<string, string>): Promise<string | null> => {
      const logo = chooseLogo(resources, window.location.href);
      if (!logo?.checkSize) return logo?.url ?? null;
      const bytes = await resourceBytes(logo.url, app.services.serverSettings);
      return bytes !== null && bytes <= LOGO_MAX_BYTES ? logo.url : null;
    };
    void kernelspecs.ready
      .then(async () => {
        const specs = kernelspecs.specs;
        if (!specs) return;
        const names = Object.keys(specs.kernelspecs).sort((a, b) =>
          a === specs.default ? -1 : b === specs.default ? 1 : compareNames(a, b)
        );
        const logos = await Promise.all(names.map((name) => logoOf(specs.kernelspecs[name]?.resources ?? {})));
        names.forEach((name, rank) => {
          const spec = specs.kernelspecs[name];
          if (!spec) return;
          const iconUrl = logos[rank];
          const icon = iconUrl ? { iconUrl } : { iconText: kernelInitials(spec.display_name || name) };
          const common = { args: { kernelName: name, isLauncher: true }, rank, kernelName: name, ...icon };
          model.add({ command: 'notebook:create-new', category: 'Notebook', ...common });
          model.add({ command: 'console:create', category: 'Console', ...common });
        });
      })
      .catch((err) => console.warn('The launcher could not list the kernelspecs:', err));
    return model;
  }
});

/** localStorage, or null where it is forbidden (some privacy settings throw on access). */
function safeLocalStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
