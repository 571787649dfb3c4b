import { insertNewlineAndIndent } from '@codemirror/commands';
import type { EditorView } from '@codemirror/view';
import type { Kernel, KernelMessage, KernelSpec, SessionManager } from '@jupyterlab/services';
import type { IDisposable } from '../core/disposable';
import { confirmRestart, pickKernel } from '../kernel/dialogs';
import { applyIOPub, execute } from '../kernel/execute';
import { completionSource, inspect, stdinPrompt } from '../kernel/providers';
import { KERNEL_STATUS_LABELS, KernelChoice, KernelSession, KernelStatus } from '../kernel/session';
import { CellModel } from '../notebook/model/cell';
import type { NotebookPanel } from '../notebook/panel';
import { CellView, CellViewContext } from '../notebook/view/cell';
import { CellEditor, languageFor } from '../notebook/view/editor';
import type { OutputDocument, RenderMimeRegistry } from '../rendermime/registry';
import { Widget } from '../shell/widget';
import { ConsoleHistory, ReverseSearch, searchPattern } from './history';
import { enterAction } from './keys';
import './console.css';
import { errorMessage } from '../core/errors';
import { showInspectTooltip } from '../kernel/tooltip';

/** The console's settings (schema: `@jlab-alt/console:plugin` in builtin_plugin.py). */
export interface ConsoleSettings {
  /** Enter runs the input when the kernel's `is_complete_request` says it is complete. */
  runOnEnter: boolean;
  /** Show code other clients of the kernel run (e.g. a notebook's cells) in the log. */
  showAllKernelActivity: boolean;
  /** Most runs kept in the log; older ones are removed so a long session stays fast. */
  maxLogCells: number;
}

interface CommonOptions {
  /** Unique widget id. */
  id: string;
  /** Tab label. */
  label: string;
  rendermime: RenderMimeRegistry;
  settings: ConsoleSettings;
  /** Report a failure the person must see. */
  notify(text: string): void;
}

/** Lines of kernel history loaded into a new console (`history_request` tail). */
const HISTORY_TAIL = 500;
/** Most matches asked of the kernel per reverse search. */
const SEARCH_LIMIT = 200;


/**
 * The kernelspec a new console starts: `name` when installed, else the person's
 * choice in the kernel picker (the default kernelspec preselected). Null when cancelled.
 */
export async function pickKernelFor(kernelspecs: KernelSpec.IManager, name?: string): Promise<KernelChoice | null> {
  await kernelspecs.ready;
  const specs = kernelspecs.specs;
  const kernels = Object.values(specs?.kernelspecs ?? {})
    .filter((s): s is KernelSpec.ISpecModel => !!s)
    .map((s) => ({ name: s.name, display_name: s.display_name, language: s.language }));
  const named = name ? kernels.find((k) => k.name === name) : undefined;
  if (named) return named;
  return pickKernel(kernels, {
    title: name ? `Kernel "${name}" is not installed: choose one for the console` : 'Select a kernel for the console',
    preferred: specs?.default ?? null,
    cancelLabel: 'Cancel'
  });
}

/** One run shown in the log. */
interface LogEntry {
  model: CellModel;
  view: CellView;
}

/**
 * A code console: a log of runs (code, execution count, outputs drawn by the
 * notebook's renderers, so widgets work) above a prompt that uses the notebook's
 * cell editor. Shift+Enter runs (Enter too with the `runOnEnter` setting, when the
 * kernel says the code is complete); Up/Down walk the kernel's history filtered by
 * what was typed; Ctrl+R searches it. Either owns a kernel session of type
 * `'console'` (shut down when the tab closes) or shares a notebook's session.
 */
export class ConsolePanel extends Widget {
  readonly session: KernelSession;
  /** The notebook whose kernel this console shares, or null for a console of its own. */
  readonly notebook: NotebookPanel | null;
  private readonly owns: boolean;
  private settings: ConsoleSettings;
  private _showAll: boolean;
  private readonly rendermime: RenderMimeRegistry;
  private readonly notify: (text: string) => void;
  private readonly log: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly trimmedNote: HTMLElement;
  private readonly cellsNode: HTMLElement;
  private readonly statusNode: HTMLElement;
  private readonly kernelNameNode: HTMLElement;
  private readonly showAllBox: HTMLInputElement;
  private readonly promptNode: HTMLElement;
  private readonly searchNode: HTMLElement;
  private readonly searchInput: HTMLInputElement;
  private readonly searchStatus: HTMLElement;
  readonly editor: CellEditor;
  private readonly entries: LogEntry[] = [];
  private trimmed = 0;
  readonly history = new ConsoleHistory();
  /** msg_ids of this console's own execute_requests still running. */
  private readonly own = new Set<string>();
  /** Other clients' executions being shown, by their request's msg_id. */
  private readonly foreign = new Map<string, CellModel>();
  private search: ReverseSearch | null = null;
  private searchDraft = '';
  private searchSeq = 0;
  private stick = true;
  private language = 'python';
  private readonly subs: IDisposable[] = [];
  private readonly cellContext: CellViewContext;
  /** Settles once the console's own kernel has started (or failed to): code sent before waits for it. */
  private starting: Promise<void> = Promise.resolve();
  /** True once {@link starting} has settled (always for a console on a notebook's kernel). */
  private started = true;

  /** A console with a new kernel session of its own (`type: 'console'`, a unique `path`). */
  static create(
    options: CommonOptions & { path: string; sessions: SessionManager; kernelspecs: KernelSpec.IManager; kernel: KernelChoice }
  ): ConsolePanel {
    const session = new KernelSession(options.sessions, options.kernelspecs, {
      type: 'console',
      path: options.path,
      name: options.label
    });
    const panel = new ConsolePanel(options, session, true, null);
    panel.started = false;
    panel.starting = session.start(options.kernel).finally(() => (panel.started = true)).then(
      (started) => {
        if (!started) panel.note(`The kernel "${options.kernel.display_name}" is not installed.`);
      },
      (err) => panel.note(`The kernel could not be started: ${errorMessage(err)}`)
    );
    return panel;
  }

  /**
   * The path of the notebook session this console shares, or null when it owns its
   * session. The server lists no session for a shared console, so the running panel
   * reads this to show it under the notebook's kernel.
   */
  get sharedSessionPath(): string | null {
    return this.owns ? null : this.session.path;
  }

  /** A console on a notebook's session: the same kernel and variables. */
  static forSession(options: CommonOptions & { session: KernelSession; notebook: NotebookPanel }): ConsolePanel {
    return new ConsolePanel(options, options.session, false, options.notebook);
  }

  private constructor(options: CommonOptions, session: KernelSession, owns: boolean, notebook: NotebookPanel | null) {
    super(options.id, options.label);
    this.session = session;
    this.owns = owns;
    this.notebook = notebook;
    this.settings = options.settings;
    this._showAll = options.settings.showAllKernelActivity;
    this.rendermime = options.rendermime;
    this.notify = options.notify;
    this.title.iconClass = 'ja-icon-console';
    this.title.caption = notebook ? `Console for ${notebook.context.path}` : options.label;
    this.node.className = 'ja-ConsolePanel';
    this.node.dataset.testid = 'console';
    this.node.dataset.sessionPath = session.path;

    const toolbar = el('div', 'ja-Console-toolbar');
    this.kernelNameNode = el('span', 'ja-Console-kernelName', 'console-kernel-name');
    this.statusNode = el('span', 'ja-Console-status', 'console-kernel-status');
    const button = (label: string, testid: string, run: () => void) => {
      const b = el('button', 'ja-Console-button', testid) as HTMLButtonElement;
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', run);
      return b;
    };
    const showAll = el('label', 'ja-Console-showAll');
    this.showAllBox = document.createElement('input');
    this.showAllBox.type = 'checkbox';
    this.showAllBox.dataset.testid = 'console-show-all';
    this.showAllBox.checked = this._showAll;
    this.showAllBox.addEventListener('change', () => this.setShowAll(this.showAllBox.checked));
    showAll.append(this.showAllBox, ' Show all kernel activity');
    toolbar.append(
      this.kernelNameNode,
      this.statusNode,
      button('Clear', 'console-clear', () => this.clear()),
      button('Interrupt', 'console-interrupt', () => void this.session.interrupt()),
      button('Restart…', 'console-restart', () => void this.restart()),
      showAll
    );

    this.log = el('div', 'ja-Console-log', 'console-log');
    this.banner = el('pre', 'ja-Console-banner', 'console-banner');
    this.trimmedNote = el('div', 'ja-Console-trimmed', 'console-trimmed');
    this.trimmedNote.hidden = true;
    this.cellsNode = el('div', 'ja-Console-cells');
    this.log.append(this.banner, this.trimmedNote, this.cellsNode);
    this.log.addEventListener('scroll', () => {
      this.stick = this.log.scrollTop + this.log.clientHeight >= this.log.scrollHeight - 40;
    });

    this.searchNode = el('div', 'ja-Console-search');
    this.searchNode.hidden = true;
    const searchLabel = el('label', 'ja-Console-searchLabel');
    searchLabel.textContent = 'reverse-i-search: ';
    this.searchInput = document.createElement('input');
    this.searchInput.className = 'ja-Console-searchInput';
    this.searchInput.dataset.testid = 'console-search';
    this.searchInput.setAttribute('aria-label', 'Search the history');
    this.searchInput.autocomplete = 'off';
    searchLabel.appendChild(this.searchInput);
    this.searchStatus = el('span', 'ja-Console-searchStatus', 'console-search-status');
    this.searchNode.append(searchLabel, this.searchStatus);
    this.searchInput.addEventListener('input', () => void this.updateSearch());
    this.searchInput.addEventListener('keydown', (e) => this.onSearchKey(e));

    this.promptNode = el('div', 'ja-Console-prompt', 'console-prompt');
    const promptLabel = el('div', 'ja-Cell-prompt');
    promptLabel.textContent = '[ ]:';
    const editorHost = el('div', 'ja-Console-editor ja-Cell-editor');
    this.promptNode.append(promptLabel, editorHost);
    const kernel = () => this.session.kernel;
    this.editor = new CellEditor(editorHost, '', languageFor('code', this.language), {
      onChange: () => undefined,
      onFocus: () => undefined,
      onEdge: (direction) => this.navigate(direction),
      complete: completionSource(kernel),
      inspect: (code, cursor) => {
        void inspect(kernel, code, cursor).then((text) => text && this.showTooltip(text)).catch(() => undefined);
      },
      keys: [
        { key: 'Enter', run: (view) => this.onEnter(view) },
        {
          key: 'Ctrl-r',
          run: () => {
            this.openSearch();
            return true;
          }
        }
      ]
    });
    this.node.append(toolbar, this.log, this.searchNode, this.promptNode);

    const document_: OutputDocument = {
      path: session.path,
      kernel,
      onKernelChanged: (listener) => this.session.kernelChanged(listener),
      metadata: () => notebook?.model?.metadata ?? {}
    };
    this.cellContext = {
      rendermime: this.rendermime,
      document: document_,
      language: () => languageFor('code', this.language),
      editorHooks: () => ({ onChange: () => undefined, onFocus: () => undefined, onEdge: () => false })
    };

    this.subs.push(
      session.statusChanged((status) => this.showStatus(status)),
      session.kernelChanged((k) => this.onKernel(k)),
      session.iopubMessage((msg) => this.onIOPub(msg))
    );
    if (notebook) {
      // The notebook's session goes with the notebook: say so rather than fail silently.
      this.subs.push(
        notebook.disposed(() => {
          this.showStatus('no-kernel');
          this.note('The notebook was closed: this console has no kernel any more.');
        })
      );
    }
    this.showStatus(session.status);
    if (session.kernel) this.onKernel(session.kernel);
  }

  /** Whether other clients' executions are shown in the log. */
  get showAll(): boolean {
    return this._showAll;
  }

  setShowAll(value: boolean): void {
    this._showAll = value;
    this.showAllBox.checked = value;
  }

  /** New settings (the settings service answered or changed). */
  setSettings(settings: ConsoleSettings): void {
    const showAllChanged = settings.showAllKernelActivity !== this.settings.showAllKernelActivity;
    this.settings = settings;
    if (showAllChanged) this.setShowAll(settings.showAllKernelActivity);
    this.trim();
  }

  /** The runs in the log, oldest first. */
  get cells(): readonly CellModel[] {
    return this.entries.map((e) => e.model);
  }

  override onActivate(): void {
    if (!this.node.contains(document.activeElement)) this.editor.focus('end');
  }

  /** Run what the prompt holds, clearing it. */
  async runPrompt(): Promise<void> {
    const code = this.editor.text;
    if (!code.trim()) return;
    this.closeSearch(false);
    // runCode sends the request before its first await; the prompt is cleared after
    // that, because emptying the editor (a CodeMirror transaction and a DOM selection
    // update, 1-4 ms) would otherwise delay every run's request.
    const running = this.runCode(code);
    this.editor.setText('');
    await running;
  }

  /**
   * Run `code` (from the prompt, or sent by "Run Selection in Console") and log it
   * with its outputs and execution count; it joins the history.
   */
  async runCode(code: string): Promise<void> {
    this.history.push(code);
    const cell = CellModel.create('code', code, false);
    // Outputs made now are the person's own: trusted, as in a notebook.
    cell.setMetadata('trusted', true);
    cell.setRunState(true, false);
    let entry: LogEntry | null = null;
    // Code sent by "Run Selection in Console" may come before the new console's kernel:
    // show it waiting. Otherwise the request goes first and the log's view is built
    // while the kernel works (building it first would delay every run).
    if (!this.started) {
      entry = this.append(cell, false);
      await this.starting;
    }
    const kernel = this.session.kernel;
    if (!kernel) {
      entry ??= this.append(cell, false);
      cell.setRunState(false, false);
      cell.outputs.add({ output_type: 'stream', name: 'stderr', text: 'There is no kernel to run this code.\n' });
      return;
    }
    let sent: string | null = null;
    try {
      const running = execute(kernel, code, cell.outputs, {
        updateDisplay: (id, data, metadata) => this.updateDisplay(id, data, metadata),
        stdin: (request) => {
          const node = entry!.view.node;
          return stdinPrompt(node.querySelector<HTMLElement>('.ja-Cell-outputs') ?? node, request, cell.outputs);
        },
        onBusy: () => cell.setRunState(true, true),
        onExecutionCount: (count) => {
          cell.executionCount = count;
        },
        onSent: (msgId) => {
          sent = msgId;
          this.own.add(msgId);
        }
      });
      entry ??= this.append(cell, false);
      const result = await running;
      if (cell.executionCount === null) cell.executionCount = result.executionCount;
    } catch (err) {
      entry ??= this.append(cell, false);
      cell.outputs.add({
        output_type: 'stream',
        name: 'stderr',
        text: `The code could not be sent to the kernel: ${errorMessage(err)}\n`
      });
    } finally {
      cell.setRunState(false, false);
      if (sent) this.own.delete(sent);
    }
  }

  /** Remove every run from the log (the banner stays). */
  clear(): void {
    for (const e of this.entries) e.view.destroy();
    this.entries.length = 0;
    this.trimmed = 0;
    this.trimmedNote.hidden = true;
    this.foreign.clear();
  }

  /** Restart the kernel after asking. */
  async restart(): Promise<void> {
    if (!this.session.kernel || !(await confirmRestart())) return;
    try {
      await this.session.restart();
      this.note('Kernel restarted.');
    } catch (err) {
      this.notify(`Restarting the kernel failed: ${errorMessage(err)}`);
    }
  }

  /** Ctrl+R: search the history (the kernel's and this console's) as one types. */
  openSearch(): void {
    if (this.search) {
      this.showMatch(this.search.older());
      return;
    }
    this.searchDraft = this.editor.text;
    this.search = new ReverseSearch('');
    this.searchInput.value = '';
    this.searchStatus.textContent = '';
    this.searchNode.hidden = false;
    this.searchInput.focus();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    for (const s of this.subs) s.dispose();
    this.clear();
    this.editor.destroy();
    if (this.owns) {
      // Nothing can reopen a console's synthetic path: its kernel would be left running for nobody.
      void this.session.shutdown().catch(() => undefined);
      this.session.dispose();
    }
    super.dispose();
  }

  private onEnter(view: EditorView): boolean {
    if (!this.settings.runOnEnter || this.search) return false;
    const code = view.state.doc.toString();
    const kernel = this.session.kernel;
    if (!code.trim() || !kernel) return false;
    void kernel
      .requestIsComplete({ code })
      .then((reply) => reply.content.status)
      .catch(() => 'unknown')
      .then((status) => {
        // The person typed on meanwhile: their keys win.
        if (this.editor.text !== code || this.isDisposed) return;
        if (enterAction(status, true) === 'run') void this.runPrompt();
        else insertNewlineAndIndent(this.editor.view);
      });
    return true;
  }

  /** Up/Down on the prompt's first/last line: the previous/next history entry with the typed prefix. */
  private navigate(direction: 'up' | 'down'): boolean {
    const current = this.editor.text;
    const text = direction === 'up' ? this.history.back(current) : this.history.forward(current);
    if (text === null) return false;
    this.editor.setText(text);
    // Up leaves the cursor on the first line, so the next Up goes on through the history.
    const firstLineEnd = text.indexOf('\n') < 0 ? text.length : text.indexOf('\n');
    this.editor.view.dispatch({ selection: { anchor: direction === 'up' ? firstLineEnd : text.length } });
    return true;
  }

  private async updateSearch(): Promise<void> {
    const search = this.search;
    if (!search) return;
    search.query = this.searchInput.value;
    const seq = ++this.searchSeq;
    let found: string[] = [];
    const kernel = this.session.kernel;
    if (kernel && search.query) {
      try {
        const reply = await kernel.requestHistory({
          output: false,
          raw: true,
          hist_access_type: 'search',
          pattern: searchPattern(search.query),
          unique: true,
          n: SEARCH_LIMIT
        } as KernelMessage.IHistoryRequestMsg['content']);
        if (reply.content.status === 'ok') found = reply.content.history.map((h) => String(h[2]));
      } catch {
        // Without the kernel's answer, this console's own history is still searched.
      }
    }
    if (seq !== this.searchSeq || this.search !== search) return;
    search.setMatches(search.query ? [...found, ...this.history.all] : []);
    this.showMatch(search.current);
  }

  private showMatch(match: string | null): void {
    const search = this.search;
    if (!search) return;
    this.editor.setText(match ?? this.searchDraft);
    this.searchStatus.textContent = !search.query ? '' : search.count ? `${search.count} found` : 'no match';
    this.searchNode.classList.toggle('ja-mod-failed', !!search.query && search.count === 0);
  }

  private onSearchKey(e: KeyboardEvent): void {
    if (e.key === 'r' && e.ctrlKey) {
      e.preventDefault();
      this.showMatch(this.search?.older() ?? null);
    } else if (e.key === 'Enter' || e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.closeSearch(e.key === 'Enter');
    }
  }

  /** End the search, keeping the match (`accept`) or giving the draft back. */
  private closeSearch(accept: boolean): void {
    if (!this.search) return;
    this.search = null;
    this.searchSeq++;
    this.searchNode.hidden = true;
    if (!accept) this.editor.setText(this.searchDraft);
    this.history.reset();
    this.editor.focus('end');
  }

  private showTooltip(text: string): void {
    showInspectTooltip(this.node, text, (box) => this.promptNode.before(box));
  }

  private showStatus(status: KernelStatus): void {
    this.statusNode.textContent = KERNEL_STATUS_LABELS[status];
    this.statusNode.dataset.status = status;
    this.kernelNameNode.textContent = this.session.kernelDisplayName;
    this.node.classList.toggle('ja-mod-busy', status === 'busy');
  }

  private onKernel(kernel: Kernel.IKernelConnection | null): void {
    this.kernelNameNode.textContent = this.session.kernelDisplayName;
    if (!kernel) return;
    void kernel.info
      .then((info) => {
        if (this.isDisposed) return;
        this.banner.textContent = info.banner;
        this.language = (info.language_info as { name?: string } | undefined)?.name ?? this.language;
        this.editor.setLanguage(languageFor('code', this.language));
      })
      .catch(() => undefined);
    void kernel
      .requestHistory({ output: false, raw: true, hist_access_type: 'tail', n: HISTORY_TAIL } as KernelMessage.IHistoryRequestMsg['content'])
      .then((reply) => {
        if (reply.content.status !== 'ok' || this.isDisposed) return;
        this.history.load(reply.content.history.map((h) => String(h[2])));
      })
      .catch(() => undefined);
  }

  /** Other clients' executions (a notebook's cells), shown while "Show all kernel activity" is on. */
  private onIOPub(msg: KernelMessage.IIOPubMessage): void {
    const parent = (msg.parent_header as { msg_id?: string } | undefined)?.msg_id;
    if (!parent || this.own.has(parent)) return;
    const content = msg.content as Record<string, unknown>;
    let cell = this.foreign.get(parent);
    if (!cell && msg.header.msg_type === 'execute_input' && this._showAll) {
      cell = CellModel.create('code', String(content.code ?? ''), false);
      // Another client's outputs: shown with the safe renderers only.
      this.append(cell, true);
      this.foreign.set(parent, cell);
    }
    if (!cell) return;
    applyIOPub(msg, cell.outputs, {
      updateDisplay: (id, data, metadata) => this.updateDisplay(id, data, metadata),
      onExecutionCount: (count) => {
        cell.executionCount = count;
      }
    });
    if (msg.header.msg_type === 'status' && content.execution_state === 'idle') this.foreign.delete(parent);
  }

  private updateDisplay(id: string, data: Parameters<CellModel['outputs']['updateDisplay']>[1], metadata: Parameters<CellModel['outputs']['updateDisplay']>[2]): void {
    for (const e of this.entries) e.model.outputs.updateDisplay(id, data, metadata);
  }

  private append(model: CellModel, foreign: boolean): LogEntry {
    const view = new CellView(model, this.cellContext);
    view.build();
    view.node.classList.add('ja-Console-cell');
    view.node.dataset.testid = 'console-cell';
    if (foreign) view.node.dataset.foreign = 'true';
    const entry = { model, view };
    this.entries.push(entry);
    this.cellsNode.appendChild(view.node);
    model.outputs.changed(() => this.scrollToEnd());
    this.trim();
    this.stick = true;
    this.scrollToEnd();
    return entry;
  }

  /** Keep at most `maxLogCells` runs: a console with lots of output stays fast. */
  private trim(): void {
    const max = Math.max(1, this.settings.maxLogCells);
    while (this.entries.length > max) {
      const oldest = this.entries.shift()!;
      oldest.view.destroy();
      this.trimmed++;
    }
    if (this.trimmed) {
      this.trimmedNote.hidden = false;
      this.trimmedNote.textContent = `${this.trimmed.toLocaleString()} older ${this.trimmed === 1 ? 'run was' : 'runs were'} removed from the log (setting "maxLogCells").`;
    }
  }

  private scrollPending = false;
  private scrollToEnd(): void {
    if (!this.stick || this.scrollPending) return;
    this.scrollPending = true;
    requestAnimationFrame(() => {
      this.scrollPending = false;
      this.log.scrollTop = this.log.scrollHeight;
    });
  }

  /** A line of the console's own in the log (kernel restarted, notebook closed). */
  private note(text: string): void {
    const line = el('div', 'ja-Console-note', 'console-note');
    line.textContent = text;
    this.cellsNode.appendChild(line);
    this.scrollToEnd();
  }
}

function el(tag: keyof HTMLElementTagNameMap, className: string, testid?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (testid) node.dataset.testid = testid;
  return node;
}
