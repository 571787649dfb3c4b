import { showDialog } from '../dialogs/dialog';
import type { RunningModel, RunningState } from './model';

/** What the panel's buttons do; each may reject, and the panel reports the error. */
export interface RunningActions {
  shutdownKernel(id: string): Promise<void>;
  shutdownTerminal(name: string): Promise<void>;
  /** Open (or show) the document or console of a session. */
  openSession(path: string, type: string): Promise<void>;
  /** Show the terminal in a tab (opening one when none shows it). */
  openTerminal(name: string): Promise<void>;
  activateTab(id: string): void;
  /** Close a tab as the person would (asks about unsaved changes); a terminal keeps running. */
  closeTab(id: string): Promise<void>;
  report(err: unknown): void;
}

/**
 * The running panel's content: three sections (Kernels with the notebooks and
 * consoles using each, Terminals, Open Tabs), each row with its buttons, and
 * "Shut Down All" for kernels and terminals (after a confirmation). Redrawn from the
 * model's state on every change.
 */
export class RunningView {
  readonly node: HTMLElement;
  private readonly body: HTMLElement;

  constructor(
    private readonly model: RunningModel,
    private readonly actions: RunningActions
  ) {
    this.node = document.createElement('div');
    this.node.className = 'ja-Running-content';
    const toolbar = document.createElement('div');
    toolbar.className = 'ja-Running-toolbar';
    const refresh = this.button('Refresh', 'running-refresh', () => this.model.refresh());
    toolbar.append(refresh);
    this.body = document.createElement('div');
    this.body.className = 'ja-Running-body';
    this.node.append(toolbar, this.body);
    model.changed((state) => this.render(state));
    this.render(model.state);
  }

  private run(op: () => Promise<unknown> | unknown): void {
    void Promise.resolve()
      .then(op)
      .catch((err) => this.actions.report(err));
  }

  render(state: RunningState): void {
    const kernels = this.section('Kernels', 'kernels', state.kernels.length, 'running-shutdown-all-kernels', () =>
      this.confirmAll('kernels', state.kernels.length, () =>
        Promise.all(state.kernels.map((k) => this.actions.shutdownKernel(k.id)))
      )
    );
    for (const k of state.kernels) {
      const row = this.row('running-kernel', `${k.name}`, `${k.state} · ${k.id.slice(0, 8)}`);
      row.dataset.id = k.id;
      row.append(this.button('Shut Down', 'running-shutdown', () => this.actions.shutdownKernel(k.id)));
      kernels.list.append(row);
      for (const s of k.sessions) {
        // A console's session path is a made-up unique name: its session name ("Console 1") says more.
        const label = s.type === 'console' && s.name ? s.name : s.path || s.name;
        const srow = this.row('running-session', label, s.type);
        srow.classList.add('ja-mod-child');
        srow.dataset.path = s.path;
        srow.title = `Open ${label}`;
        srow.addEventListener('click', () => this.run(() => this.actions.openSession(s.path, s.type)));
        kernels.list.append(srow);
      }
      for (const tab of k.tabs) {
        // A console for a notebook: the server knows only the notebook's session.
        const trow = this.row('running-shared-tab', tab.label, 'console');
        trow.classList.add('ja-mod-child');
        trow.dataset.id = tab.id;
        trow.title = `Show ${tab.label}`;
        trow.addEventListener('click', () => this.actions.activateTab(tab.id));
        kernels.list.append(trow);
      }
    }

    const terminals = this.section('Terminals', 'terminals', state.terminals.length, 'running-shutdown-all-terminals', () =>
      this.confirmAll('terminals', state.terminals.length, () =>
        Promise.all(state.terminals.map((t) => this.actions.shutdownTerminal(t.name)))
      )
    );
    for (const t of state.terminals) {
      const row = this.row('running-terminal', `Terminal ${t.name}`, t.tabId ? 'open in a tab' : 'no tab');
      row.dataset.name = t.name;
      row.title = `Show terminal ${t.name}`;
      row.addEventListener('click', () => this.run(() => this.actions.openTerminal(t.name)));
      if (t.tabId) {
        const tabId = t.tabId;
        row.append(this.button('Close Tab', 'running-close-tab', () => this.actions.closeTab(tabId)));
      }
      row.append(this.button('Shut Down', 'running-shutdown', () => this.actions.shutdownTerminal(t.name)));
      terminals.list.append(row);
    }

    const tabs = this.section('Open Tabs', 'tabs', state.tabs.length, null, null);
    for (const tab of state.tabs) {
      const row = this.row('running-tab', tab.label, '');
      row.dataset.id = tab.id;
      row.addEventListener('click', () => this.actions.activateTab(tab.id));
      row.append(this.button('Close', 'running-close-tab', () => this.actions.closeTab(tab.id)));
      tabs.list.append(row);
    }
    this.body.replaceChildren(kernels.node, terminals.node, tabs.node);
  }

  private async confirmAll(what: string, count: number, op: () => Promise<unknown>): Promise<void> {
    if (count === 0) return;
    const choice = await showDialog({
      title: `Shut down all ${what}?`,
      body: `This ends ${count} ${what === 'kernels' ? 'kernel' : 'terminal'}${count === 1 ? '' : 's'} on the server.`,
      buttons: [
        { id: 'cancel', label: 'Cancel' },
        { id: 'shutdown', label: 'Shut Down All', kind: 'warn' }
      ],
      defaultButton: 'shutdown'
    });
    if (choice === 'shutdown') await op();
  }

  private section(
    title: string,
    id: string,
    count: number,
    allTestId: string | null,
    all: (() => Promise<unknown>) | null
  ): { node: HTMLElement; list: HTMLElement } {
    const node = document.createElement('section');
    node.className = 'ja-Running-section';
    node.dataset.testid = `running-section-${id}`;
    const header = document.createElement('header');
    header.className = 'ja-Running-header';
    const h = document.createElement('h3');
    h.textContent = `${title} (${count})`;
    header.append(h);
    if (all && allTestId) {
      const b = this.button('Shut Down All', allTestId, all);
      b.disabled = count === 0;
      header.append(b);
    }
    const list = document.createElement('ul');
    list.className = 'ja-Running-list';
    if (count === 0) {
      const empty = document.createElement('li');
      empty.className = 'ja-Running-empty';
      empty.textContent = 'None';
      list.append(empty);
    }
    node.append(header, list);
    return { node, list };
  }

  private row(testid: string, label: string, detail: string): HTMLElement {
    const li = document.createElement('li');
    li.className = 'ja-Running-item';
    li.dataset.testid = testid;
    const text = document.createElement('span');
    text.className = 'ja-Running-label';
    text.textContent = label;
    li.append(text);
    if (detail) {
      const d = document.createElement('span');
      d.className = 'ja-Running-detail';
      d.textContent = detail;
      li.append(d);
    }
    return li;
  }

  /** A button whose action runs once at a time; its errors are reported, never thrown. */
  private button(label: string, testid: string, onClick: () => Promise<unknown> | unknown): HTMLButtonElement {
    const b = document.createElement('button');
    b.className = 'ja-Running-button';
    b.type = 'button';
    b.textContent = label;
    b.dataset.testid = testid;
    b.addEventListener('click', (event) => {
      // A button in a row must not also trigger the row's own action.
      event.stopPropagation();
      b.disabled = true;
      this.run(async () => {
        try {
          await onClick();
        } finally {
          b.disabled = false;
        }
      });
    });
    return b;
  }
}
