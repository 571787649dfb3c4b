import type { DocumentContext } from '../docmanager/context';
import { encodePath } from '../docmanager/manager';
import { Widget } from '../shell/widget';
import { describeLoadFailure, loadFailureNode } from '../docmanager/loadfailure';

/** How often an open viewer checks whether its file changed on disk, in ms. */
export const WATCH_MS = 2000;

/**
 * Base of the file viewers: a document widget that (re)renders its file and renders
 * again when the file changes on disk (its `last_modified` is polled while the viewer
 * is on the page). A failure shows a message in place of the view.
 */
export abstract class FileViewer extends Widget {
  private lastModified: string | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  /** Bumped on each reload, so the view knows a newer load started. */
  protected generation = 0;

  constructor(
    protected readonly context: DocumentContext,
    /** URL of the server's raw file for a path (`<base>files/<path>`). */
    protected readonly fileUrl: (path: string) => string
  ) {
    super(context.widgetId, context.name);
    this.title.caption = context.path;
    this.node.className = 'ja-DocumentViewer ja-FileViewer';
    this.node.tabIndex = -1;
    this.node.dataset.testid = 'document';
    this.node.dataset.path = context.path;
    this.context.pathChanged(() => void this.reload());
    void this.reload();
    this.timer = setInterval(() => void this.check(), WATCH_MS);
  }

  /** The raw file's URL, with a version so a changed file is fetched again. */
  protected get url(): string {
    return `${this.fileUrl(this.context.path)}?v=${encodeURIComponent(this.lastModified ?? '')}`;
  }

  /** Draw the file; called at open and after each change on disk. */
  protected abstract render(): Promise<void>;

  private async check(): Promise<void> {
    if (!this.node.isConnected) return;
    try {
      const model = await this.context.contents.get(this.context.path, { content: false });
      if (model.last_modified !== this.lastModified) await this.reload(model.last_modified);
    } catch {
      // Gone or unreachable: the document manager closes deleted files.
    }
  }

  private async reload(modified?: string): Promise<void> {
    this.generation++;
    try {
      this.lastModified = modified ?? (await this.context.contents.get(this.context.path, { content: false })).last_modified;
      await this.render();
      this.node.dataset.version = String(this.generation);
    } catch (err) {
      this.node.replaceChildren(loadFailureNode(describeLoadFailure(this.context.path, err, 'file')));
    }
  }

  override dispose(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    super.dispose();
  }
}

export { encodePath };
