import type * as nbformat from '@jupyterlab/nbformat';
import type { Kernel } from '@jupyterlab/services';
import { DisposableDelegate, IDisposable } from '../core/disposable';
import { errorMessage } from '../core/errors';

/**
 * The document an output belongs to, for renderers that need more than the
 * bundle: ipywidgets talk to the document's kernel through comms and read saved
 * widget state from the notebook's metadata.
 */
export interface OutputDocument {
  /** The document's path, relative to the server root (`'dir/a.ipynb'`). */
  readonly path: string;
  /** The kernel connection of the document's session now, or null without a kernel. */
  kernel(): Kernel.IKernelConnection | null;
  /** Subscribe to kernel changes (started, changed, shut down); dispose to stop. */
  onKernelChanged(listener: (kernel: Kernel.IKernelConnection | null) => void): IDisposable;
  /** The notebook's top-level metadata, read-only (e.g. `widgets`). */
  metadata(): Readonly<Record<string, unknown>>;
}

/** What a renderer gets to draw one mime type of an output. */
export interface RenderOptions {
  mimeType: string;
  /**
   * The bundle's value for `mimeType` (string, list of lines, or JSON). Structured (JSON)
   * values are this renderer's own copy: it may write into them (plotly.js does) without
   * changing the output or what a save writes, and need not copy them again.
   */
  data: unknown;
  /** The output's metadata for `mimeType` (e.g. image width/height). */
  metadata: Record<string, unknown>;
  /** Whether the output may run code (produced in this session, or a trusted notebook). */
  trusted: boolean;
  /** The element to render into (empty). */
  host: HTMLElement;
  /** URL of the output sandbox page, for trusted outputs that run scripts. */
  sandboxUrl: string;
  /** The document the output is in; absent for outputs drawn outside a notebook. */
  document?: OutputDocument;
}

/** Draws outputs of some mime types. */
export interface MimeRenderer {
  /** A name for error messages and the extension list. */
  name: string;
  mimeTypes: string[];
  /** Lower ranks win when a bundle has several types this registry can draw. */
  rank: number;
  /** Whether it is safe for untrusted outputs (never runs code the output carries). */
  safe: boolean;
  /**
   * Whether what it draws depends on the output alone, holds nothing (no live view, no
   * state a user can change, such as a zoom or an expanded node) and is cheap to draw
   * again: then a cell far from the screen may drop the drawing and have it drawn again
   * when it comes back. Absent means false, so an extension's renderer is kept drawn.
   */
  redrawable?: boolean;
  /**
   * Draw into `options.host`. A renderer that holds resources beyond the DOM
   * (live widget views, subscriptions) returns a disposable: the registry calls
   * it when the output is taken off screen ({@link RenderMimeRegistry.release}).
   */
  render(options: RenderOptions): RenderResult | Promise<RenderResult>;
}

/** What a renderer's `render` may return: nothing, or what to dispose with the output. */
export type RenderResult = void | IDisposable;

/**
 * The mime renderers, and the choice of which one draws an output: among the
 * types in the bundle that have a renderer, the lowest rank wins; untrusted
 * outputs may only use safe renderers (JupyterLab's rendermime rules).
 */
export class RenderMimeRegistry {
  private renderers: MimeRenderer[] = [];
  /** What each output element's renderer asked to dispose with it. */
  private readonly held = new WeakMap<Element, IDisposable>();
  /** Output elements drawn by a renderer that is not {@link MimeRenderer.redrawable}. */
  private readonly keeping = new WeakSet<Element>();
  /** Output elements already released: a late (async) render result is disposed at once. */
  private readonly released = new WeakSet<Element>();

  /** @param sandboxUrl URL of `/jlab-alt/sandbox` under the server's base URL. */
  constructor(readonly sandboxUrl: string = '') {}

  /** Add a renderer; dispose the result to remove it. */
  addRenderer(renderer: MimeRenderer): IDisposable {
    this.renderers.push(renderer);
    return new DisposableDelegate(() => {
      this.renderers = this.renderers.filter((r) => r !== renderer);
    });
  }

  /** The mime type of `bundle` to draw, with its renderer, or null when none fits. */
  select(bundle: nbformat.IMimeBundle, trusted: boolean): { mimeType: string; renderer: MimeRenderer } | null {
    let best: { mimeType: string; renderer: MimeRenderer } | null = null;
    for (const mimeType of Object.keys(bundle)) {
      for (const renderer of this.renderers) {
        if (!renderer.mimeTypes.includes(mimeType) || (!trusted && !renderer.safe)) continue;
        if (!best || renderer.rank < best.renderer.rank) best = { mimeType, renderer };
      }
    }
    return best;
  }

  /**
   * Draw `bundle` into a new element. A renderer that throws shows its error in
   * place of the output rather than breaking the notebook.
   */
  render(
    bundle: nbformat.IMimeBundle,
    metadata: nbformat.OutputMetadata,
    trusted: boolean,
    outputDocument?: OutputDocument
  ): HTMLElement {
    const host = document.createElement('div');
    host.className = 'ja-MimeOutput';
    const choice = this.select(bundle, trusted);
    if (!choice) {
      host.classList.add('ja-mod-unrenderable');
      host.textContent = `No renderer for ${Object.keys(bundle).join(', ') || 'an empty output'}`;
      return host;
    }
    host.dataset.mimeType = choice.mimeType;
    if (!choice.renderer.redrawable) this.keeping.add(host);
    const meta = (metadata?.[choice.mimeType] ?? {}) as Record<string, unknown>;
    const fail = (err: unknown) => {
      host.classList.add('ja-mod-error');
      host.textContent = `The ${choice.renderer.name} renderer failed: ${errorMessage(err)}`;
    };
    // Renderers get a copy of structured data: one that writes into it (plotly.js
    // does) must not change the notebook that will be saved. Strings are immutable.
    const value = bundle[choice.mimeType];
    const data = value !== null && typeof value === 'object' ? structuredClone(value) : value;
    try {
      const done = choice.renderer.render({
        mimeType: choice.mimeType,
        data,
        metadata: meta,
        trusted,
        host,
        sandboxUrl: this.sandboxUrl,
        document: outputDocument
      });
      if (done instanceof Promise) done.then((result) => this.hold(host, result), fail);
      else this.hold(host, done);
    } catch (err) {
      fail(err);
    }
    return host;
  }

  /**
   * Dispose what the renderers of `root` and of every output drawn inside it hold
   * (call when outputs are cleared, replaced or their cell is removed). Safe to
   * call more than once, and before an asynchronous render has finished.
   */
  release(root: Element): void {
    const hosts = root.classList.contains('ja-MimeOutput') ? [root] : [];
    hosts.push(...root.querySelectorAll('.ja-MimeOutput'));
    for (const host of hosts) {
      this.released.add(host);
      const held = this.held.get(host);
      if (!held) continue;
      this.held.delete(host);
      held.dispose();
    }
  }

  /**
   * Whether an output drawn inside `root` must stay drawn: its renderer is not
   * {@link MimeRenderer.redrawable}, or holds something beyond the DOM (a live widget
   * view). Dropping that DOM and drawing the output again later would lose it.
   */
  keepsState(root: Element): boolean {
    for (const host of root.querySelectorAll('.ja-MimeOutput')) if (this.keeping.has(host) || this.held.has(host)) return true;
    return false;
  }

  private hold(host: Element, result: RenderResult): void {
    if (!result) return;
    if (this.released.has(host)) result.dispose();
    else this.held.set(host, result);
  }
}
