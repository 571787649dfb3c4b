import type { Extension } from '@codemirror/state';
import { Emitter } from '../../core/emitter';
import type { OutputDocument, RenderMimeRegistry } from '../../rendermime/registry';
import type { CellsChange, NotebookModel } from '../model/notebook';
import { CellView, CellViewContext } from './cell';
import type { CellEditorHooks } from './editor';
import { languageFor } from './editor';
import { grow, nearRange } from './near';
import { revealDelta } from './reveal';
import type { CompletionSource } from '@codemirror/autocomplete';

export type NotebookMode = 'command' | 'edit';

/** Where {@link NotebookView.revealCell} puts the cell: at the top, or scrolled the least. */
export type RevealAlign = 'start' | 'nearest';

/** Options of {@link NotebookView.revealCell}. */
export interface RevealOptions {
  /** `start`: the target's top at the top of the notebook's scroller; `nearest` (default): scroll the least. */
  align?: RevealAlign;
  /** The element to show (a heading inside the cell); the cell's node by default. Called again each frame. */
  target?: () => HTMLElement;
}

/** Frames a reveal keeps correcting the position at most (cells near the target take their real height). */
const REVEAL_MAX_FRAMES = 60;
/** Frames the target must stay put before a reveal stops watching it. */
const REVEAL_STABLE_FRAMES = 3;

/**
 * How far above and below the notebook's visible part cells are near: built, with a live
 * editor (px). More than a fast scroll moves between two frames, so cells are drawn before
 * they show; not much more, as every cell drawn off screen is elements and (for Markdown
 * with math) typesetting nobody sees yet.
 */
const NEAR_MARGIN = 500;
/**
 * How far above and below the visible part built cells are kept (px); farther ones are
 * unbuilt. Wider than {@link NEAR_MARGIN}, so a cell at the edge is not built and
 * unbuilt again by every small scroll.
 */
const KEEP_MARGIN = 1500;
/** Cells built before the view is first shown at most (fewer when a screenful is reached sooner). */
const INITIAL_CELLS = 40;
/**
 * Time the constructor spends building those cells at most, in ms; the near ones left
 * follow in slices. Markdown with math costs milliseconds per cell: forty of them in
 * the task that opens the notebook made it a long task.
 */
const INITIAL_BUILD_MS = 30;
/** Longest slice of building near cells in the background, in ms: short enough for the page to answer keys. */
const BUILD_SLICE_MS = 12;
/**
 * Time the frame that finds cells newly near spends building them at most, in ms (the
 * visible ones first); the rest are built in the next background slices, before any
 * other cell. A jump or a fast scroll brings dozens of cells near at once.
 */
const NEAR_BUILD_MS = 20;
/** Longest slice of creating editors for cells that came near the viewport, in ms. */
const EDITOR_SLICE_MS = 8;
/**
 * How long the notebook must not have scrolled before editors are made for cells near
 * the viewport, in ms. Making one costs 8-50 ms, mostly CodeMirror measuring the page;
 * inside the frames of a scroll that was what took them over 50 ms. Until then a cell
 * shows its static text, highlighted the same (./static-code.ts), and a click on it makes
 * the editor at once.
 */
const EDITOR_SCROLL_REST_MS = 200;
/**
 * Cells per block (`.ja-Notebook-chunk`). A block skips style, layout and paint as a whole
 * while far from the screen (`content-visibility: auto`), so a frame's cost follows the
 * blocks near the screen, not the notebook's length; one observed element per block keeps
 * the browser's own visibility checks cheap (one per shell cost 5 ms a frame at 2,000).
 */
const CHUNK_CELLS = 50;

/**
 * The cells of a notebook on screen, with the active cell, the selection and the
 * command/edit mode. Keyboard shortcuts reach it through commands; the CSS classes
 * `ja-mod-commandMode` / `ja-mod-editMode` on its node scope those shortcuts.
 *
 * Only cells near the screen are drawn, as JupyterLab's windowing does, but every cell
 * keeps a node: an empty shell of its last (or estimated) height, so the scroll bar,
 * `scrollIntoView` and document order work as for a plain list. The first screenful is
 * built at once (within {@link INITIAL_BUILD_MS}); cells coming within
 * {@link NEAR_MARGIN} of the visible part are built in slices of at most
 * {@link BUILD_SLICE_MS}, or at once when they become active; cells beyond
 * {@link KEEP_MARGIN} are unbuilt again unless they hold something their model cannot
 * give back (`CellView.unbuild`). So no task grows with the notebook, and the page
 * holds about a screenful of drawn cells however long it is or however far one has
 * scrolled. Cells start as static text, highlighted as their editor would be; a CodeMirror
 * editor is made only for cells near the viewport once scrolling rests, or being edited.
 * Which cells are near is found from their boxes after each scroll or resize (./near.ts),
 * not by observing every cell.
 */
export class NotebookView {
  readonly node: HTMLElement;
  private views: CellView[] = [];
  private _active = 0;
  private anchor = 0;
  private _mode: NotebookMode = 'command';
  private kernelLanguage = 'python';
  /** Cells near the visible part (see {@link updateNear}). */
  private near = new Set<CellView>();
  /** Near cells not built yet, visible ones first: the background slices build these first. */
  private nearUnbuilt = new Set<CellView>();
  private nearFrame: number | null = null;
  /** The next frame's drawing of the active cell and selection (see {@link scheduleDraw}). */
  private drawFrame: number | null = null;
  private classesStale = false;
  private scrollWanted = false;
  /** Reports the notebook's size changing (cells growing, the panel shown or resized). */
  private readonly resizeObserver: ResizeObserver;
  /** Reports the notebook coming into or out of sight (one entry, not one per cell). */
  private readonly sightObserver: IntersectionObserver;
  private readonly onScroll = (event: Event): void => {
    const t = event.target;
    // Only scrolling of the notebook's own scroller (or the page) moves its cells.
    if (t === document || (t instanceof Node && t.contains(this.node))) {
      this.scrolledAt = performance.now();
      this.scheduleNear();
    }
  };
  /** When the notebook last scrolled (performance.now() ms): editors wait for it to rest. */
  private scrolledAt = -Infinity;
  private readonly onWindowResize = (): void => this.scheduleNear();
  private readonly viewByNode = new WeakMap<Element, CellView>();
  /** Views drawn as active or selected, so a move only touches those that change. */
  private marked = new Set<CellView>();
  /** Whether the near cells were found once with the notebook shown (until then, none is known). */
  private nearKnown = false;
  private buildTimer: ReturnType<typeof setTimeout> | null = null;
  /** Cells near the viewport waiting for their editor, in the order they came near. */
  private editorQueue = new Set<CellView>();
  private editorTimer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped by each {@link revealCell} (and by the user scrolling): older reveals stop. */
  private revealToken = 0;
  private readonly _activeChanged = new Emitter<number>();
  private readonly _modeChanged = new Emitter<NotebookMode>();
  private readonly _cellBuilt = new Emitter<CellView>();
  /** Fires when the active cell changes. */
  readonly activeCellChanged = this._activeChanged.event;
  /** Fires when the mode changes. */
  readonly modeChanged = this._modeChanged.event;
  /**
   * Fires when a cell's inside is drawn: when it comes near the screen, again after it
   * was unbuilt far away. Whatever decorates a cell's content listens here.
   */
  readonly cellBuilt = this._cellBuilt.event;
  /** Kernel completion, set by the panel when a kernel is connected. */
  complete: CompletionSource | undefined;
  /** Kernel inspection (Shift+Tab), set by the panel. */
  inspect: ((view: CellView, code: string, cursor: number) => Promise<void>) | undefined;

  constructor(
    readonly model: NotebookModel,
    private readonly rendermime: RenderMimeRegistry,
    private readonly resolveUrl?: (url: string, kind: 'image' | 'link') => string | null,
    private readonly outputDocument?: OutputDocument
  ) {
    this.node = document.createElement('div');
    this.node.className = 'ja-Notebook ja-mod-commandMode';
    this.node.dataset.testid = 'notebook';
    this.node.tabIndex = 0;
    this.node.setAttribute('role', 'list');
    this.resizeObserver = new ResizeObserver(() => this.scheduleNear());
    this.resizeObserver.observe(this.node);
    this.sightObserver = new IntersectionObserver(() => this.scheduleNear(), { root: null, rootMargin: `${NEAR_MARGIN}px` });
    this.sightObserver.observe(this.node);
    document.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    window.addEventListener('resize', this.onWindowResize);
    const ctx = this.cellContext();
    const fragment = document.createDocumentFragment();
    const buildEnd = performance.now() + INITIAL_BUILD_MS;
    // The first screenful, by the shells' estimated heights: drawn before the first frame.
    // Not the margins: the first near check finds those from the cells' real boxes and
    // builds them in slices, where counting them here by estimates built cells beyond
    // them (the notebook starts below the page's top, and estimates run short) that
    // stayed drawn, unseen, until scrolled far away.
    const screen = window.innerHeight || 800;
    let above = 0;
    let chunk: HTMLElement | null = null;
    let chunkHeight = 0;
    let inChunk = 0;
    model.cells.forEach((cell, i) => {
      const view = new CellView(cell, ctx);
      const estimate = parseFloat(view.node.style.height) || 0;
      if (i === 0 || (i < INITIAL_CELLS && above < screen && performance.now() < buildEnd)) {
        above += estimate;
        view.build();
      }
      this.register(view);
      this.views.push(view);
      if (!chunk || inChunk === CHUNK_CELLS) {
        if (chunk) sizeChunk(chunk, chunkHeight);
        chunk = newChunk();
        fragment.appendChild(chunk);
        chunkHeight = inChunk = 0;
      }
      chunk.appendChild(view.node);
      chunkHeight += estimate;
      inChunk++;
    });
    if (chunk) sizeChunk(chunk, chunkHeight);
    this.node.appendChild(fragment);
    this.scheduleBuild();
    model.cellsChanged((change) => this.onCellsChanged(change));
    this.node.addEventListener('mousedown', (e) => this.onMouseDown(e));
    this.node.addEventListener('dblclick', (e) => this.onDblClick(e));
    this.node.addEventListener('focusin', (e) => this.onFocusIn(e));
    this.updateClasses();
  }

  get activeIndex(): number {
    return this._active;
  }

  get activeView(): CellView | undefined {
    return this.views[this._active];
  }

  get mode(): NotebookMode {
    return this._mode;
  }

  get cellViews(): readonly CellView[] {
    return this.views;
  }

  /** Indices of the selected cells, ascending (always includes the active one). */
  get selectedIndices(): number[] {
    const lo = Math.min(this.anchor, this._active);
    const hi = Math.max(this.anchor, this._active);
    const out: number[] = [];
    for (let i = lo; i <= hi; i++) out.push(i);
    return out;
  }

  /**
   * Make cell `index` active; `extend` grows the selection from the anchor. `scroll`
   * (default true) brings it into view; {@link revealCell} passes false and places it
   * itself. The state changes at once ({@link activeIndex}, {@link activeCellChanged});
   * the cell is drawn as active, built and scrolled to in the next frame
   * ({@link scheduleDraw}).
   */
  setActive(index: number, extend = false, scroll = true): void {
    const clamped = Math.max(0, Math.min(index, this.views.length - 1));
    const changed = clamped !== this._active;
    this._active = clamped;
    // Not built here: keys queued faster than frames pass over cells that are never
    // shown, and building each made a layout pass per key. The scroll's frame builds it.
    if (!extend) this.anchor = clamped;
    this.classesStale = true;
    if (scroll) this.scrollWanted = true;
    this.scheduleDraw();
    if (changed) this._activeChanged.emit(clamped);
  }

  /**
   * Go to a cell however far it is (Find, the table of contents, "go to cell"): make
   * cell `index` active and scroll it into view, then keep it there for the next frames.
   *
   * Only that cell is built now; the cells between stay shells of their last or estimated
   * height (only cells near the screen are drawn), so the cost does not grow with the
   * distance or the cell count and no task grows with the notebook. The cells that come
   * on screen around the target take
   * their real height in the next frames and can move it: the position is measured again
   * each frame until it holds for {@link REVEAL_STABLE_FRAMES} frames (at most
   * {@link REVEAL_MAX_FRAMES}). A newer reveal, or the user scrolling with the wheel,
   * touch or keys, ends the watching, so a reveal never fights the user.
   */
  revealCell(index: number, options: RevealOptions = {}): void {
    const token = ++this.revealToken;
    this.setActive(index, false, false);
    // This reveal places the cell itself: an earlier move's pending scroll must not.
    this.scrollWanted = false;
    const view = this.views[this._active];
    if (!view) return;
    view.build();
    const target = options.target ?? (() => view.node);
    const align = options.align ?? 'nearest';
    const scroller = scrollParent(this.node);
    const place = (): number => {
      const el = target();
      if (!el.isConnected) return 0;
      if (!scroller) {
        el.scrollIntoView({ block: align });
        return 0;
      }
      const box = visibleBox(scroller);
      const r = el.getBoundingClientRect();
      const delta = revealDelta(r, box, align);
      if (Math.abs(delta) > 1) scroller.scrollTop += delta;
      return Math.abs(delta);
    };
    place();
    const stop = (): void => {
      if (this.revealToken === token) this.revealToken++;
    };
    const onUser = (): void => stop();
    const events = ['wheel', 'touchmove', 'keydown'] as const;
    const target0 = scroller ?? this.node;
    for (const e of events) target0.addEventListener(e, onUser, { passive: true, once: true });
    let frames = 0;
    let stable = 0;
    const settle = (): void => {
      const done = (): void => {
        for (const e of events) target0.removeEventListener(e, onUser);
      };
      if (token !== this.revealToken || !this.node.isConnected || frames++ > REVEAL_MAX_FRAMES) return done();
      stable = place() <= 1 ? stable + 1 : 0;
      if (stable < REVEAL_STABLE_FRAMES) requestAnimationFrame(settle);
      else done();
    };
    requestAnimationFrame(settle);
  }

  /** Select all cells. */
  selectAll(): void {
    this.anchor = 0;
    this._active = this.views.length - 1;
    this.classesStale = true;
    this.scheduleDraw();
  }

  /** Enter edit mode on the active cell (a Markdown cell shows its source). */
  enterEdit(at: 'start' | 'end' | 'keep' = 'keep'): void {
    const view = this.activeView;
    if (!view) return;
    view.setEditing(true);
    this.setMode('edit');
    view.ensureEditor().focus(at);
  }

  /** Leave edit mode: focus goes back to the notebook itself. */
  enterCommand(): void {
    this.setMode('command');
    if (!this.node.contains(document.activeElement) || document.activeElement !== this.node) {
      this.node.focus({ preventScroll: true });
    }
  }

  /** Use the kernel's language (`language_info.name`) for code cells. */
  setKernelLanguage(language: string): void {
    if (language === this.kernelLanguage) return;
    this.kernelLanguage = language;
    for (const v of this.views) if (v.model.type === 'code') v.setLanguage(languageFor('code', language));
  }

  /** Redraw outputs of every cell (after trust changed). */
  rerenderOutputs(): void {
    for (const v of this.views) v.rerenderOutputs();
  }

  /** Bring the active cell into view, in the next frame (see {@link scheduleDraw}). */
  scrollToActive(): void {
    this.scrollWanted = true;
    this.scheduleDraw();
  }

  /**
   * Draw the active cell and the selection, and scroll the active cell into view if
   * asked, in the next frame: once however many moves come before it. A held or queued
   * ArrowDown delivers many keys per frame; drawing each move at once cost a layout
   * pass of the whole notebook per key (the key's own event handling forces one when
   * a cell's class changed, and scrolling another), about 10 ms each on a 2,000-cell
   * notebook: a 500 ms task for a burst of 50 keys. Until the frame, the state is in
   * {@link activeIndex} and {@link selectedIndices}.
   */
  private scheduleDraw(): void {
    if (this.drawFrame !== null) return;
    this.drawFrame = requestAnimationFrame(() => {
      this.drawFrame = null;
      if (this.classesStale) {
        this.classesStale = false;
        this.updateClasses();
      }
      if (!this.scrollWanted) return;
      this.scrollWanted = false;
      const view = this.activeView;
      if (!view) return;
      // Built first, so it is scrolled into view at its real height.
      view.build();
      // scrollIntoView rather than offset arithmetic: off-screen cells skip layout
      // (content-visibility), so their offsets are only estimates until shown.
      view.node.scrollIntoView({ block: 'nearest' });
    });
  }

  dispose(): void {
    this.revealToken++;
    if (this.buildTimer !== null) clearTimeout(this.buildTimer);
    this.buildTimer = null;
    if (this.editorTimer !== null) clearTimeout(this.editorTimer);
    this.editorTimer = null;
    this.editorQueue.clear();
    this.near.clear();
    this.nearUnbuilt.clear();
    if (this.nearFrame !== null) cancelAnimationFrame(this.nearFrame);
    this.nearFrame = null;
    if (this.drawFrame !== null) cancelAnimationFrame(this.drawFrame);
    this.drawFrame = null;
    this.resizeObserver.disconnect();
    this.sightObserver.disconnect();
    document.removeEventListener('scroll', this.onScroll, { capture: true });
    window.removeEventListener('resize', this.onWindowResize);
    for (const v of this.views) v.destroy();
    this.views = [];
  }

  private setMode(mode: NotebookMode): void {
    if (mode === this._mode) return;
    this._mode = mode;
    this.node.classList.toggle('ja-mod-editMode', mode === 'edit');
    this.node.classList.toggle('ja-mod-commandMode', mode === 'command');
    this._modeChanged.emit(mode);
  }

  private cellContext(): CellViewContext {
    return {
      rendermime: this.rendermime,
      document: this.outputDocument,
      resolveUrl: this.resolveUrl,
      language: (type) => languageFor(type, this.kernelLanguage) as Extension,
      editorHooks: (view) => this.editorHooks(view),
      built: (view) => this._cellBuilt.emit(view)
    };
  }

  private editorHooks(view: CellView): CellEditorHooks {
    return {
      onChange: (text) => {
        view.model.source = text;
      },
      onFocus: () => {
        const index = this.views.indexOf(view);
        if (index >= 0 && index !== this._active) this.setActive(index);
        this.setMode('edit');
      },
      onEdge: (direction) => {
        const index = this.views.indexOf(view);
        const next = direction === 'up' ? index - 1 : index + 1;
        if (next < 0 || next >= this.views.length) return false;
        this.setActive(next);
        this.enterEdit(direction === 'up' ? 'end' : 'start');
        return true;
      },
      complete: (context) => (this.complete ? this.complete(context) : null),
      inspect: (code, cursor) => void this.inspect?.(view, code, cursor)
    };
  }

  /**
   * Build the near cells still waiting, in background slices. `data-built` says whether
   * any waits: `near` once every cell near the screen is drawn (tests and extensions wait
   * on it rather than on a time: the cells on screen then stop moving), else `partial`.
   */
  private scheduleBuild(): void {
    if (this.buildTimer !== null) return;
    const done = this.nearKnown && this.nearUnbuilt.size === 0;
    this.node.dataset.built = done ? 'near' : 'partial';
    if (this.nearUnbuilt.size === 0) return;
    this.buildTimer = setTimeout(() => {
      this.buildTimer = null;
      this.buildNear(performance.now() + BUILD_SLICE_MS);
      this.scheduleBuild();
    });
  }

  private register(view: CellView): void {
    this.viewByNode.set(view.node, view);
  }

  /** Check which cells are near in the next frame (after a scroll, resize or layout change). */
  private scheduleNear(): void {
    if (this.nearFrame !== null) return;
    this.nearFrame = requestAnimationFrame(() => {
      this.nearFrame = null;
      this.updateNear();
    });
  }

  /**
   * Cells coming within {@link NEAR_MARGIN} of the notebook's visible part get built and
   * get an editor; cells leaving it give back an editor nobody used, and cells beyond
   * {@link KEEP_MARGIN} are unbuilt, so live editors and drawn cells stay bounded by
   * what is near the screen.
   *
   * Near is computed from the cells' boxes (./near.ts), not from per-cell observer
   * entries: those cost Chromium's intersection work for every cell each frame, and
   * an observer never reports a cell that jumps from below the zone to above it.
   */
  private updateNear(): void {
    const end = performance.now() + NEAR_BUILD_MS;
    const next = new Set<CellView>();
    const far: CellView[] = [];
    const rect = this.node.isConnected ? this.node.getBoundingClientRect() : null;
    // A notebook not shown (its tab hidden or detached) has no box and nothing near.
    if (rect && (rect.width > 0 || rect.height > 0)) {
      // Collapsed headings hide cells with `display: none`: those have no box to sort by.
      const shown = this.views.filter((v) => !v.node.classList.contains('ja-mod-headingHidden'));
      const box = (i: number) => shown[i]!.node.getBoundingClientRect();
      const visible = visibleBox(this.node);
      const range = nearRange(shown.length, box, grow(visible, NEAR_MARGIN));
      if (range) {
        // The cells on screen first (they are built first), then the margins.
        const onScreen = nearRange(shown.length, box, visible);
        if (onScreen) for (let i = onScreen.first; i <= onScreen.last; i++) next.add(shown[i]!);
        for (let i = range.first; i <= range.last; i++) next.add(shown[i]!);
      }
      const keep = nearRange(shown.length, box, grow(visible, KEEP_MARGIN));
      const kept = new Set(keep ? shown.slice(keep.first, keep.last + 1) : []);
      const active = this.activeView;
      for (const view of this.views) if (view.built && view !== active && !kept.has(view)) far.push(view);
      this.nearKnown = true;
    }
    // Heights are read before anything below writes to the page (one layout, not one per cell).
    const heights = far.map((view) => view.node.getBoundingClientRect().height);
    for (const view of this.near) {
      if (next.has(view)) continue;
      this.editorQueue.delete(view);
      this.nearUnbuilt.delete(view);
      view.releaseEditor();
    }
    for (const view of next) {
      if (this.near.has(view)) continue;
      if (view.built) {
        if (view.editing && !view.editor) this.editorQueue.add(view);
      } else this.nearUnbuilt.add(view);
    }
    far.forEach((view, i) => {
      if (view.unbuild(heights[i]!)) this.editorQueue.delete(view);
    });
    this.near = next;
    this.buildNear(end);
    this.scheduleBuild();
    this.scheduleEditors();
  }

  /** Build near cells waiting for it until `end` (performance.now() ms) and queue their editors. */
  private buildNear(end: number): void {
    for (const view of this.nearUnbuilt) {
      if (performance.now() >= end) break;
      this.nearUnbuilt.delete(view);
      try {
        view.build();
      } catch (err) {
        console.error('Building a cell near the screen failed:', err);
        continue;
      }
      if (view.editing && !view.editor) this.editorQueue.add(view);
    }
    this.scheduleEditors();
  }

  /**
   * Create the queued editors in short slices, once the notebook has rested from
   * scrolling for {@link EDITOR_SCROLL_REST_MS}. Each CodeMirror editor measures the
   * page when made; a jump or a quick scroll can bring dozens of cells near at once,
   * and making all their editors in the observer's callback was one long task.
   * Until its editor exists a cell shows its static text, which looks the same.
   */
  private scheduleEditors(delay = 0): void {
    if (this.editorTimer !== null || this.editorQueue.size === 0) return;
    this.editorTimer = setTimeout(() => {
      this.editorTimer = null;
      const rest = this.scrolledAt + EDITOR_SCROLL_REST_MS - performance.now();
      if (rest > 0) return this.scheduleEditors(rest);
      const end = performance.now() + EDITOR_SLICE_MS;
      for (const view of this.editorQueue) {
        if (performance.now() > end) break;
        this.editorQueue.delete(view);
        if (view.node.isConnected && view.editing) view.ensureEditor();
      }
      this.scheduleEditors();
    }, delay);
  }

  private onCellsChanged(change: CellsChange): void {
    const removed = this.views.splice(change.index, change.removed.length);
    for (const v of removed) {
      this.near.delete(v);
      this.nearUnbuilt.delete(v);
      this.marked.delete(v);
      this.editorQueue.delete(v);
      let parent = v.node.parentElement;
      v.destroy();
      // An emptied block goes, and so does the block holding it if that empties too.
      while (parent && parent !== this.node && !parent.firstElementChild) {
        const up: HTMLElement | null = parent.parentElement;
        parent.remove();
        parent = up;
      }
    }
    const ctx = this.cellContext();
    // A few cells (typed in, a small paste) are drawn at once, as the person expects to
    // see and edit them now. Many (a big paste, an undone delete of a range) stay shells
    // like a notebook's cells on open: the ones near the screen are built by the next
    // near check, in slices, where building them all here was one long task (500 pasted
    // Markdown cells: ~740 ms).
    const buildNow = change.inserted.length < CHUNK_CELLS;
    const added = change.inserted.map((cell) => {
      const view = new CellView(cell, ctx);
      if (buildNow) view.build();
      return view;
    });
    const before = this.views[change.index]?.node ?? null;
    for (const v of added) this.register(v);
    if (added.length < CHUNK_CELLS) {
      // Into the block of the cell they go before, or the last block (cells added at the end).
      const last = this.node.lastElementChild;
      const parent = before?.parentElement ?? (last?.classList.contains('ja-Notebook-chunk') ? (last as HTMLElement) : null);
      const block = parent ?? this.node.appendChild(newChunk());
      for (const v of added) block.insertBefore(v.node, before);
      if (!parent) sizeChunk(block, sumHeights(added.map((v) => v.node)));
    } else {
      // Many at once (a paste, an undone delete): blocks of their own where the cells go
      // (inside the block there, if any), so that no cell already shown moves to another
      // parent (moving a node would drop the focus of the editor in it).
      const host = before?.parentElement ?? this.node;
      for (let i = 0; i < added.length; i += CHUNK_CELLS) {
        const nodes = added.slice(i, i + CHUNK_CELLS).map((v) => v.node);
        const block = newChunk();
        block.append(...nodes);
        sizeChunk(block, sumHeights(nodes));
        host.insertBefore(block, before);
      }
    }
    this.views.splice(change.index, 0, ...added);
    this.scheduleNear();
    this._active = Math.max(0, Math.min(this._active, this.views.length - 1));
    this.anchor = Math.max(0, Math.min(this.anchor, this.views.length - 1));
    this.updateClasses();
  }

  private updateClasses(): void {
    const indices = this.selectedIndices;
    const multi = indices.length > 1;
    const next = new Set<CellView>();
    for (const i of indices) {
      const v = this.views[i];
      if (!v) continue;
      next.add(v);
      v.node.classList.toggle('ja-mod-active', i === this._active);
      v.node.classList.toggle('ja-mod-selected', multi);
    }
    for (const v of this.marked) {
      if (next.has(v)) continue;
      v.node.classList.remove('ja-mod-active', 'ja-mod-selected');
    }
    this.marked = next;
  }

  private viewOf(target: EventTarget | null): CellView | undefined {
    const node = (target as Element | null)?.closest?.('.ja-Cell');
    return node ? this.viewByNode.get(node) : undefined;
  }

  private onMouseDown(event: MouseEvent): void {
    const view = this.viewOf(event.target);
    if (!view) return;
    const index = this.views.indexOf(view);
    const inEditor = !!(event.target as Element).closest('.ja-Cell-editor') && view.editing;
    if (event.shiftKey && !inEditor) {
      event.preventDefault();
      this.setActive(index, true);
      return;
    }
    this.setActive(index);
    if (!inEditor) {
      // Clicking outside an editor (prompt, outputs, rendered Markdown) is command mode.
      this.setMode('command');
      if ((event.target as Element).closest('.ja-Cell-outputs, .ja-Cell-rendered') === null) {
        event.preventDefault();
        this.node.focus({ preventScroll: true });
      }
    } else if (!view.editor) {
      // Static text: the editor replaces it under the pointer, with the cursor where the click was.
      event.preventDefault();
      view.setEditing(true);
      this.setMode('edit');
      view.ensureEditor().focusAt(event.clientX, event.clientY);
    }
  }

  private onDblClick(event: MouseEvent): void {
    const view = this.viewOf(event.target);
    if (view && view.model.type === 'markdown' && !view.editing) {
      this.setActive(this.views.indexOf(view));
      this.enterEdit('end');
    }
  }

  private onFocusIn(event: FocusEvent): void {
    if (event.target === this.node) this.setMode('command');
    else if ((event.target as Element).closest('.ja-Cell-static')) {
      const view = this.viewOf(event.target);
      if (view) view.ensureEditor().focus();
    }
  }
}

/** A block of cells (see {@link CHUNK_CELLS}). */
function newChunk(): HTMLElement {
  const chunk = document.createElement('div');
  chunk.className = 'ja-Notebook-chunk';
  return chunk;
}

/** What the cells `nodes` add up to, each by its shell's height or its last estimate (px). */
function sumHeights(nodes: HTMLElement[]): number {
  let sum = 0;
  for (const n of nodes) sum += parseFloat(n.style.height) || parseFloat(n.style.containIntrinsicSize.replace('auto', '')) || 0;
  return sum;
}

/** The size a block not laid out yet takes: the sum of its cells' estimates (px). */
function sizeChunk(chunk: HTMLElement, height: number): void {
  chunk.style.containIntrinsicSize = `auto ${Math.max(1, Math.round(height))}px`;
}

/** The nearest ancestor of `node` that scrolls vertically, or null. */
function scrollParent(node: HTMLElement): HTMLElement | null {
  for (let el = node.parentElement; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (/(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight) return el;
  }
  return null;
}

/**
 * The part of `el` on screen, as top/bottom in viewport pixels: its box clipped by the
 * ancestors that clip (overflow other than visible) and by the window. The notebook's
 * scroller can be taller than what its dock area shows, so its own box is not enough.
 */
function visibleBox(el: HTMLElement): { top: number; bottom: number } {
  const r = el.getBoundingClientRect();
  let top = r.top;
  let bottom = Math.min(r.bottom, window.innerHeight);
  for (let a = el.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowY === 'visible') continue;
    const ar = a.getBoundingClientRect();
    top = Math.max(top, ar.top);
    bottom = Math.min(bottom, ar.bottom);
  }
  return { top, bottom: Math.max(top, bottom) };
}
