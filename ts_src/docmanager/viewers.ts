import { Widget } from '../shell/widget';
import type { DocumentContext } from './context';
import { describeLoadFailure, loadFailureNode } from './loadfailure';

/** Base of read-only document views: loads once, shows a message on failure. */
abstract class DocumentViewer extends Widget {
  constructor(protected readonly context: DocumentContext) {
    super(context.widgetId, context.name);
    this.title.caption = context.path;
    this.node.className = 'ja-DocumentViewer';
    this.node.tabIndex = -1;
    this.node.dataset.testid = 'document';
    this.node.dataset.path = context.path;
    this.node.textContent = 'Loading…';
    void this.load();
  }

  protected abstract render(): Promise<void>;

  private async load(): Promise<void> {
    try {
      await this.render();
    } catch (err) {
      this.node.replaceChildren(loadFailureNode(describeLoadFailure(this.context.path, err, 'file')));
    }
  }
}

/** Shows a file's text, read-only ("Open With" › Text Viewer; files open in the editor by default). */
export class TextViewer extends DocumentViewer {
  protected async render(): Promise<void> {
    const model = await this.context.load({ type: 'file', format: 'text' });
    const pre = document.createElement('pre');
    pre.className = 'ja-TextViewer';
    pre.textContent = typeof model.content === 'string' ? model.content : '';
    this.node.replaceChildren(pre);
  }
}
