import { jsonTree } from '../rendermime/json-tree';
import { renderMarkdown } from '../rendermime/markdown';
import type { Widget } from '../shell/widget';
import { FileViewer } from './common';
import { errorMessage } from '../core/errors';

/** JSON and GeoJSON as the collapsible tree outputs use; invalid JSON shows the parser's message. */
export class JsonViewer extends FileViewer {
  protected async render(): Promise<void> {
    const model = await this.context.load({ type: 'file', format: 'text' });
    const text = typeof model.content === 'string' ? model.content : '';
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new Error(`not valid JSON (${errorMessage(err)})`);
    }
    const host = document.createElement('div');
    host.className = 'ja-JsonViewer';
    host.dataset.testid = 'json-viewer';
    host.appendChild(jsonTree(value, 2));
    this.node.replaceChildren(host);
  }
}

/** The text of an open editor of the same file, when there is one (to follow unsaved edits). */
export type EditorText = (path: string) => { text: string | null; node: HTMLElement } | null;

/**
 * Rendered Markdown of a file. Opened beside an editor of the same file it follows
 * the edits as they are typed (and keeps the scroll position in step); otherwise it
 * renders the file and again when it changes on disk.
 */
export class MarkdownPreview extends FileViewer {
  private host: HTMLElement | null = null;
  private observer: MutationObserver | null = null;
  private followed: HTMLElement | null = null;
  private debounce: ReturnType<typeof setTimeout> | null = null;

  constructor(
    context: ConstructorParameters<typeof FileViewer>[0],
    fileUrl: ConstructorParameters<typeof FileViewer>[1],
    private readonly editorText: EditorText
  ) {
    super(context, fileUrl);
    this.title.label = `Preview ${context.name}`;
  }

  protected async render(): Promise<void> {
    this.follow();
    const live = this.editorText(this.context.path);
    let text = live?.text ?? null;
    if (text === null) {
      const model = await this.context.load({ type: 'file', format: 'text' });
      text = typeof model.content === 'string' ? model.content : '';
    }
    await this.show(text);
  }

  private async show(text: string): Promise<void> {
    if (!this.host) {
      this.host = document.createElement('div');
      this.host.className = 'ja-MarkdownPreview ja-Markdown';
      this.host.dataset.testid = 'markdown-preview';
      this.node.replaceChildren(this.host);
    }
    const dir = this.context.path.split('/').slice(0, -1).join('/');
    await renderMarkdown(text, this.host, {
      resolve: (url, kind) => (kind === 'image' ? this.fileUrl(dir ? `${dir}/${url}` : url) : null)
    });
  }

  /** Watch the editor of the same file, if open, for edits (debounced). */
  private follow(): void {
    const live = this.editorText(this.context.path);
    if (!live || live.node === this.followed) return;
    this.observer?.disconnect();
    this.followed = live.node;
    this.observer = new MutationObserver(() => {
      if (this.debounce !== null) return;
      this.debounce = setTimeout(() => {
        this.debounce = null;
        const now = this.editorText(this.context.path);
        if (now?.text != null) void this.show(now.text).then(() => this.syncScroll(now.node));
      }, 120);
    });
    this.observer.observe(live.node, { childList: true, subtree: true, characterData: true });
    const scroller = live.node.querySelector('.cm-scroller');
    scroller?.addEventListener('scroll', () => this.syncScroll(live.node));
  }

  /** Scroll the preview to the same fraction of its height as the editor. */
  private syncScroll(editorNode: HTMLElement): void {
    const scroller = editorNode.querySelector<HTMLElement>('.cm-scroller');
    if (!scroller) return;
    const max = scroller.scrollHeight - scroller.clientHeight;
    const fraction = max > 0 ? scroller.scrollTop / max : 0;
    this.node.scrollTop = fraction * (this.node.scrollHeight - this.node.clientHeight);
  }

  override dispose(): void {
    this.observer?.disconnect();
    if (this.debounce !== null) clearTimeout(this.debounce);
    super.dispose();
  }
}

export type { Widget };
