import type { Kernel, KernelSpec, SessionManager } from '@jupyterlab/services';
import { Emitter } from '../core/emitter';
import { errorMessage } from '../core/errors';
import { nextTask, warmUp } from '../core/tasks';
import type { DocumentContext } from '../docmanager/context';
import { showDialog } from '../dialogs/dialog';
import { SaveCancelledError } from '../docmanager/save';
import { describeLoadFailure, loadFailureNode } from '../docmanager/loadfailure';
import { DocumentWidget } from '../docmanager/widget';
import { MARKDOWN_WARM_UPS } from '../rendermime/markdown';
import type { RenderMimeRegistry } from '../rendermime/registry';
import { confirmRestart, pickKernel } from '../kernel/dialogs';
import { completionSource, inspect, stdinPrompt } from '../kernel/providers';
import { KernelChoice, KernelSession, KernelStatus } from '../kernel/session';
import { executeCell, ExecuteStatus } from './execute-cell';
import type { CellModel } from './model/cell';
import { cellKey } from './model/cell-key';
import { NotebookModel } from './model/notebook';
import { warmUpCellEditor } from './view/editor';
import { NotebookView } from './view/notebook';
import { followFragmentLinks } from './anchors';
import type { CellView } from './view/cell';
import { mayTakeFocus } from '../shell/focus';
import { SaveTracker } from '../savedelta/tracker'; // savedelta

/** Services a notebook panel uses. */
export interface NotebookPanelOptions {
  context: DocumentContext;
  sessions: SessionManager;
  kernelspecs: KernelSpec.IManager;
  rendermime: RenderMimeRegistry;
  /** Builds the toolbar for this panel (the plugin supplies command buttons). */
  toolbar: (panel: NotebookPanel) => HTMLElement;
  /** URLs of server files: `file(path)` serves it raw, `document(path)` opens it in the app. */
  urls: { file(path: string): string; document(path: string): string };
}

export { SaveCancelledError };

/**
 * A notebook document in the main area: loads through its document context (which
 * also saves it), owns the model, the view and the kernel session, and runs cells.
 */
export class NotebookPanel extends DocumentWidget {
  readonly session: KernelSession;
  private _model: NotebookModel | null = null;
  /** What changed since the version on disk (savedelta), for saves that send only that. */
  private saveTracker: SaveTracker | null = null;
  private _view: NotebookView | null = null;
  private readonly body: HTMLElement;
  private readonly banner: HTMLElement;
  /** Where the find bar goes: below the toolbar, above the banner and the cells. */
  readonly findSlot: HTMLElement;
  private readonly _edited = new Emitter<void>();
  private readonly _ready = new Emitter<NotebookPanel>();
  /** Fires once the notebook is loaded and its view exists. */
  readonly ready = this._ready.event;
  private readonly _executed = new Emitter<{ cell: CellModel; status: ExecuteStatus }>();
  /** Fires after each cell execution finishes. */
  readonly cellExecuted = this._executed.event;
  /** Set when loading failed; the panel then never saves. */
  loadError: string | null = null;
  private readonly rendermime: RenderMimeRegistry;
  private readonly urls: NotebookPanelOptions['urls'];

  constructor(options: NotebookPanelOptions) {
    super(options.context);
    this.rendermime = options.rendermime;
    this.urls = options.urls;
    this.title.iconClass = 'ja-icon-notebook';
    this.node.className = 'ja-NotebookPanel';
    this.node.dataset.testid = 'document';
    this.node.dataset.path = options.context.path;
    this.session = new KernelSession(options.sessions, options.kernelspecs, { type: 'notebook', path: options.context.path });
    this.banner = document.createElement('div');
    this.banner.className = 'ja-NotebookPanel-banner';
    this.banner.hidden = true;
    this.body = document.createElement('div');
    this.body.className = 'ja-NotebookPanel-body';
    this.body.textContent = 'Loading notebook…';
    this.findSlot = document.createElement('div');
    this.findSlot.className = 'ja-NotebookPanel-find';
    this.node.append(options.toolbar(this), this.findSlot, this.banner, this.body);
    this.session.kernelChanged((kernel) => this.onKernelChanged(kernel));
    this.session.statusChanged((status) => this.onKernelStatus(status));
    this.session.reconnected((how) => void this.onReconnected(how));
    const panel = this;
    this.context.bind({
      type: 'notebook',
      format: 'json',
      get dirty() {
        return !!panel._model?.dirty;
      },
      get loadError() {
        return panel.loadError ?? (panel._model ? null : 'not loaded yet');
      },
      snapshot: () => {
        const model = this._model!;
        const tracker = this.saveTracker;
        const mark = tracker?.mark();
        return {
          content: model.toJSON(),
          commit: () => {
            model.dirty = false;
            if (mark) tracker?.commit(mark);
          }
        };
      },
      // savedelta: a save sends only the cells changed since the version on disk.
      changes: () => {
        const model = this._model!;
        const tracker = this.saveTracker;
        const delta = tracker?.changes();
        if (!tracker || !delta) return null;
        return {
          changes: delta.changes,
          commit: () => {
            model.dirty = false;
            tracker.commit(delta.mark);
          }
        };
      },
      reload: () => this.load(),
      // perf18: crash recovery keeps only the cells changed since its last write.
      parts: () => this.saveTracker?.parts() ?? null,
      changed: (listener) => this._edited.event(listener),
      apply: (content) => {
        this.setModel(new NotebookModel(content), false);
        if (this._model) this._model.dirty = true;
      }
    });
    // A rename in the file browser: the kernel session follows the notebook's new path.
    this.context.pathChanged(({ newPath }) => {
      void this.session.setPath(newPath).catch((err) => console.warn(`The session did not follow the rename: ${errorMessage(err)}`));
    });
    void this.load();
  }

  get model(): NotebookModel | null {
    return this._model;
  }

  get view(): NotebookView | null {
    return this._view;
  }

  get kernelStatus(): KernelStatus {
    return this.session.status;
  }

  override onActivate(): void {
    if (this._view && !this._view.node.contains(document.activeElement)) this._view.enterCommand();
    // A click on the tab activates it and then focuses the tab itself: take the focus
    // back once that click is done, so command-mode keys reach the notebook.
    setTimeout(() => {
      const active = document.activeElement;
      if (this._view && (active === document.body || active?.closest('.dv-tab'))) this._view.enterCommand();
    }, 0);
  }

  /** Whether this panel is the visible tab of the focused dock group. */
  private isCurrentTab(): boolean {
    return !!this.node.closest('.dv-active-group') && this.node.offsetParent !== null;
  }

  /** Load (or reload) the notebook from disk, dropping unsaved changes. */
  async load(): Promise<void> {
    let json: unknown;
    // In tasks of their own while the notebook downloads, not in the task that builds it.
    void warmUp(...MARKDOWN_WARM_UPS, warmUpCellEditor);
    try {
      const model = await this.context.fetch();
      json = model.content;
      const notebook = new NotebookModel(json);
      // The view is built in a task of its own: the download's parse (done in place under
      // 1 MB), the model and the first cells' views were one task, ~140 ms for 2,000 code
      // cells on a busy 2-core machine (2026-12-06).
      await nextTask();
      if (this.isDisposed) return;
      this.setModel(notebook, true);
      this.loadError = null;
    } catch (err) {
      this.loadError = errorMessage(err);
      const box = loadFailureNode(describeLoadFailure(this.context.path, err, 'notebook'));
      box.dataset.testid = 'notebook-error';
      this.body.replaceChildren(box);
      return;
    }
    this._ready.emit(this);
    this.context.reportLoaded();
    // Opened from the file browser: the tab was activated before the view existed. Asked
    // in the next frame: whether the tab shows is a layout question, and the layout of
    // the cells just made belongs to that frame, not to this task.
    requestAnimationFrame(() => {
      if (this.node.isConnected && this.node.contains(document.activeElement) === false && this.isCurrentTab() && mayTakeFocus()) {
        this._view?.enterCommand();
      }
    });
    void this.startKernel();
  }

  /**
   * Save to disk through the document context (which asks when the file changed on
   * disk since it was loaded or saved).
   * @throws SaveCancelledError when the person cancels; the services' errors when the
   *   server refuses the save (the notebook stays dirty).
   */
  save(): Promise<void> {
    return this.context.save();
  }

  /** Run the cells at `indices` (code on the kernel, Markdown rendered). */
  async run(indices: number[]): Promise<void> {
    const model = this._model;
    const view = this._view;
    if (!model || !view) return;
    const cells = indices.map((i) => model.cells[i]).filter((c): c is CellModel => !!c);
    for (const [i, cell] of cells.entries()) {
      if (cell.type === 'markdown') view.cellViews[indices[i]!]?.setEditing(false);
    }
    const code = cells.filter((c) => c.type === 'code');
    if (code.length === 0) return;
    const kernel = this.session.kernel;
    if (!kernel) {
      await this.pickKernel('Select a kernel to run this notebook');
      if (!this.session.kernel) return;
    }
    // Outputs made now are the person's own: trust them (Jupyter's trust model).
    for (const cell of code) if (cell.metadata.trusted !== true) cell.setMetadata('trusted', true);
    if (this.banner.dataset.kernelStatus !== 'dead') this.banner.hidden = true;
    // Send the execute requests first: the metadata bookkeeping must not delay them.
    const running = code.map((cell) => this.executeOne(cell));
    void this.recordKernelMetadata();
    await Promise.all(running);
  }

  private async executeOne(cell: CellModel): Promise<void> {
    const kernel = this.session.kernel;
    if (!kernel) return;
    const status = await executeCell(cell, kernel, {
      updateDisplay: (id, data, metadata) => {
        for (const c of this._model?.cells ?? []) if (c.type === 'code') c.outputs.updateDisplay(id, data, metadata);
      },
      stdin: (request) => this.askStdin(cell, request)
    }, cellKey(this._model?.cells ?? [cell], cell));
    this._executed.emit({ cell, status });
  }

  /** Offer the installed kernels; start the chosen one (or nothing when cancelled). */
  async pickKernel(title = 'Select Kernel'): Promise<void> {
    const kernels = await this.session.availableKernels();
    const picked = await pickKernel(kernels, { title, preferred: this.preferredKernel()?.name });
    if (!picked) return;
    this.banner.hidden = true;
    await this.session.changeKernel(picked);
    this._model?.setMetadata('kernelspec', { ...picked });
  }

  /** Whether every code cell is trusted (the host checked the notebook's signature). */
  get trusted(): boolean {
    return (this._model?.cells ?? []).every((c) => c.type !== 'code' || c.metadata.trusted === true);
  }

  /**
   * Trust the notebook after asking: its outputs may then run code (HTML scripts,
   * JavaScript). The host signs it at the next save, so it opens trusted next time.
   */
  async trust(): Promise<boolean> {
    const model = this._model;
    if (!model || this.trusted) return true;
    const choice = await showDialog({
      title: 'Trust this notebook?',
      body: `Trusting "${this.context.path}" lets its outputs run JavaScript in this page, as if you had run its cells yourself. Only trust notebooks from people you trust.`,
      buttons: [
        { id: 'cancel', label: 'Cancel' },
        { id: 'trust', label: 'Trust', kind: 'warn' }
      ],
      defaultButton: 'cancel'
    });
    if (choice !== 'trust') return false;
    for (const cell of model.cells) if (cell.type === 'code') cell.setMetadata('trusted', true);
    this._view?.rerenderOutputs();
    return true;
  }

  /** Interrupt, restart or shut down the kernel. */
  interrupt(): Promise<void> {
    return this.session.interrupt();
  }

  async restart(ask = true): Promise<boolean> {
    if (!this.session.kernel) return false;
    if (ask && !(await confirmRestart())) return false;
    for (const cell of this._model?.cells ?? []) cell.setRunState(false, false);
    await this.session.restart();
    return true;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.session.dispose();
    this._view?.dispose();
    this.saveTracker?.dispose();
    super.dispose();
  }

  private preferredKernel(): KernelChoice | null {
    const spec = this._model?.metadata.kernelspec as { name?: unknown; display_name?: unknown } | undefined;
    if (!spec || typeof spec.name !== 'string') return null;
    return { name: spec.name, display_name: typeof spec.display_name === 'string' ? spec.display_name : spec.name };
  }

  private async startKernel(): Promise<void> {
    const preferred = this.preferredKernel();
    try {
      const started = await this.session.start(preferred);
      if (!started) {
        const why = preferred
          ? `This notebook's kernel "${preferred.display_name}" is not installed.`
          : 'This notebook does not name a kernel.';
        this.showBanner(`${why} Choose one with “Select Kernel” to run it.`);
      }
    } catch (err) {
      this.showBanner(`The kernel could not be started: ${errorMessage(err)}`);
    }
  }

  private showBanner(text: string, action?: { label: string; run: () => void }): void {
    this.banner.textContent = text;
    if (action) {
      const button = document.createElement('button');
      button.className = 'ja-NotebookPanel-bannerAction';
      button.textContent = action.label;
      button.addEventListener('click', action.run);
      this.banner.append(' ', button);
    }
    this.banner.hidden = false;
  }

  /** Tell the person when the kernel dies; the notebook itself is never touched. */
  private onKernelStatus(status: KernelStatus): void {
    this.banner.dataset.kernelStatus = status;
    if (status === 'autorestarting') {
      this.showBanner('The kernel died and is restarting. Variables and imports were lost; outputs are kept.');
      for (const cell of this._model?.cells ?? []) cell.setRunState(false, false);
    } else if (status === 'dead') {
      this.showBanner('The kernel has died.', { label: 'Restart Kernel', run: () => void this.restart(false) });
      for (const cell of this._model?.cells ?? []) cell.setRunState(false, false);
    }
  }

  /**
   * The server answers again after the connection was lost. The notebook was never
   * touched; when the server lost the kernel too (it restarted), start a new one so
   * the person can go on running cells.
   */
  private async onReconnected(how: 'rejoined' | 'gone'): Promise<void> {
    for (const cell of this._model?.cells ?? []) cell.setRunState(false, false);
    if (how === 'rejoined') {
      if (this.session.status !== 'dead') this.banner.hidden = true;
      return;
    }
    if (!this._model) return;
    await this.startKernel();
    if (this.session.kernel) {
      this.showBanner(
        'The server no longer had this notebook’s kernel (was it restarted?), so a new kernel was started. ' +
          'Variables and imports were lost; outputs and edits are kept.'
      );
    }
  }

  private onKernelChanged(kernel: Kernel.IKernelConnection | null): void {
    if (!kernel) return;
    this.banner.hidden = true;
    void kernel.info.then((info) => {
      const language = (info.language_info as { name?: string } | undefined)?.name ?? '';
      this._view?.setKernelLanguage(language);
    }).catch(() => undefined);
  }

  /** Record the kernel's spec and language_info in the metadata, as JupyterLab does when code runs. */
  private async recordKernelMetadata(): Promise<void> {
    const kernel = this.session.kernel;
    const model = this._model;
    if (!kernel || !model) return;
    try {
      const spec = await kernel.spec;
      const info = await kernel.info;
      if (spec) {
        const current = model.metadata.kernelspec as Record<string, unknown> | undefined;
        if (!current || current.name !== spec.name) {
          model.setMetadata('kernelspec', { name: spec.name, display_name: spec.display_name, language: spec.language });
        }
      }
      if (info.language_info && JSON.stringify(model.metadata.language_info) !== JSON.stringify(info.language_info)) {
        model.setMetadata('language_info', info.language_info);
      }
    } catch {
      // Metadata is a courtesy; running the cell matters more.
    }
  }

  /** @param fromDisk whether `notebook` is the file on disk as read (the base of the next save's changes). */
  private setModel(notebook: NotebookModel, fromDisk: boolean): void {
    this._view?.dispose();
    this._model = notebook;
    this.saveTracker?.dispose();
    this.saveTracker = new SaveTracker(notebook, fromDisk);
    this._view = new NotebookView(
      notebook,
      this.rendermime,
      (url, kind) => this.resolveUrl(url, kind),
      {
        path: this.context.path,
        kernel: () => this.session.kernel,
        onKernelChanged: (listener) => this.session.kernelChanged(listener),
        metadata: () => notebook.metadata
      }
    );
    const kernel = () => this.session.kernel;
    this._view.complete = completionSource(kernel);
    this._view.inspect = async (view: CellView, code: string, cursor: number) => {
      const text = await inspect(kernel, code, cursor);
      if (text) view.showTooltip(text);
    };
    notebook.dirtyChanged((dirty) => {
      this.title.dirty = dirty;
    });
    notebook.contentChanged(() => this._edited.emit());
    this.title.dirty = false;
    followFragmentLinks(this._view);
    this.body.replaceChildren(this._view.node);
    this._view.setActive(0);
  }

  /** A relative URL of the notebook's Markdown, against the notebook's folder. */
  private resolveUrl(url: string, kind: 'image' | 'link'): string | null {
    const [path, rest] = splitSuffix(url);
    const dir = this.context.path.split('/').slice(0, -1);
    const parts = [...dir];
    for (const part of decodeURIComponent(path).split('/')) {
      if (part === '..') parts.pop();
      else if (part && part !== '.') parts.push(part);
    }
    const target = parts.join('/');
    return (kind === 'image' ? this.urls.file(target) : this.urls.document(target)) + rest;
  }

  private askStdin(cell: CellModel, request: { prompt: string; password: boolean }): Promise<string> {
    const view = this._view?.cellViews.find((v) => v.model === cell);
    // A cell far from the screen is a shell: the prompt goes into its drawn outputs.
    view?.build();
    const host = view?.node.querySelector<HTMLElement>('.ja-Cell-outputs') ?? this.body;
    return stdinPrompt(host, request, cell.outputs);
  }
}

/** Split `a/b.png?x#y` into `a/b.png` and `?x#y`. */
function splitSuffix(url: string): [string, string] {
  const i = url.search(/[?#]/);
  return i < 0 ? [url, ''] : [url.slice(0, i), url.slice(i)];
}
