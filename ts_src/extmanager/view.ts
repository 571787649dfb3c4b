import type { PluginStatus } from '../core/plugins';
import { Widget } from '../shell/widget';
import type { ExtensionListModel } from './model';

function statusText(status: PluginStatus): string {
  return status.state === 'failed' ? `failed: ${status.error}` : status.state;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * The "Extensions" sidebar panel: installed extensions, their state and errors, and the
 * built-in plugins. Drawn only while shown: hidden, as it is on most pages, it would
 * hold a row per plugin (some fifty elements) in every page's DOM for nothing.
 */
export class ExtensionListView extends Widget {
  /** Whether the rows drawn are older than the model (or were never drawn). */
  private stale = true;
  private shown = false;

  constructor(private readonly model: ExtensionListModel) {
    super('extensions', 'Extensions');
    this.title.iconClass = 'ja-icon-extension';
    this.title.caption = 'Extensions';
    this.node.className = 'ja-ExtensionList';
    this.node.dataset.testid = 'extension-list';
    model.changed(() => {
      this.stale = true;
      if (this.shown) this.render();
    });
  }

  override onShow(): void {
    this.shown = true;
    if (this.stale) this.render();
    void this.model.refresh();
  }

  override onHide(): void {
    this.shown = false;
  }

  private render(): void {
    this.stale = false;
    const parts: HTMLElement[] = [el('h3', 'ja-ExtensionList-heading', 'Installed extensions')];
    if (this.model.error) parts.push(el('div', 'ja-ExtensionList-error', this.model.error));
    if (this.model.rows.length === 0 && !this.model.error) {
      parts.push(el('p', 'ja-ExtensionList-empty', 'None. Install extensions with pip; they are active at the next start.'));
    }
    for (const row of this.model.rows) {
      const item = el('div', 'ja-ExtensionList-item');
      item.dataset.testid = 'extension-item';
      item.dataset.name = row.name;
      item.dataset.enabled = String(row.enabled);
      const errors = [...row.errors.map((e) => e.split('\n')[0]!), ...(row.loadError ? [row.loadError] : [])];
      const failed = row.plugins.filter((p) => p.status.state === 'failed');
      item.dataset.status = errors.length || failed.length ? 'error' : row.enabled ? 'ok' : 'disabled';
      const head = el('div', 'ja-ExtensionList-name', `${row.name} ${row.version}`);
      const parts2 = [row.server ? 'server' : '', row.frontend ? 'frontend' : ''].filter(Boolean).join(' + ');
      const pip = row.distribution ? ` · pip: ${row.distribution}` : '';
      const meta = el('div', 'ja-ExtensionList-meta', `${row.enabled ? 'enabled' : 'disabled'} · ${parts2 || 'no parts'}${pip}`);
      item.append(head, meta);
      for (const p of row.plugins) item.appendChild(el('div', 'ja-ExtensionList-plugin', `${p.id}: ${statusText(p.status)}`));
      for (const e of errors) item.appendChild(el('div', 'ja-ExtensionList-error', e));
      parts.push(item);
    }
    parts.push(el('h3', 'ja-ExtensionList-heading', 'Built-in plugins'));
    for (const b of this.model.builtins) {
      const item = el('div', 'ja-ExtensionList-plugin', `${b.id}: ${statusText(b.status)}`);
      item.dataset.testid = 'builtin-plugin';
      item.dataset.id = b.id;
      item.dataset.state = b.status.state;
      item.title = b.description;
      parts.push(item);
    }
    this.node.replaceChildren(...parts);
  }
}
