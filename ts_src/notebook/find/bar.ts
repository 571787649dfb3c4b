import { isolateHistory } from '@codemirror/commands';
import { Transaction } from '@codemirror/state';
import type { IDisposable } from '../../core/disposable';
import type { NotebookPanel } from '../panel';
import {
  findMatches,
  FindMatch,
  FindQuery,
  FindQueryError,
  matchAtOrAfter,
  nextMatch,
  previousMatch,
  replaceAll,
  replaceAt
} from './model';

/** How long typing pauses before the notebook is searched, in ms. */
const SEARCH_DEBOUNCE_MS = 120;

/**
 * The find-and-replace bar of one notebook panel, shown below its toolbar.
 *
 * It searches the cell models' sources (every cell, built or not) and shows
 * "N of M". The current match's cell becomes the active cell and is scrolled into
 * view; the match is selected in that cell's editor (an editor is made for it, and
 * a rendered Markdown cell shows its source, as JupyterLab does). Replacements set
 * `CellModel.source`, so they mark the notebook dirty and reach the editors.
 */
export class FindBar {
  readonly node: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly replaceInput: HTMLInputElement;
  private readonly count: HTMLElement;
  private readonly replaceRow: HTMLElement;
  private readonly caseButton: HTMLButtonElement;
  private readonly regexButton: HTMLButtonElement;
  private readonly replaceToggle: HTMLButtonElement;
  private matches: FindMatch[] = [];
  private current = -1;
  private error: string | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private modelSub: IDisposable | null = null;
  private watched: NotebookPanel['model'] = null;
  /** The cell view showing the current match (marked `ja-mod-findCurrent`). */
  private shown: { node: HTMLElement; collapse(): void } | null = null;
  /** Set while we change sources ourselves, so the change does not move the current match. */
  private replacing = false;

  constructor(private readonly panel: NotebookPanel) {
    this.node = el('div', 'ja-FindBar');
    this.node.dataset.testid = 'find-bar';
    this.node.setAttribute('role', 'search');
    this.node.hidden = true;

    this.replaceToggle = button('ja-FindBar-toggle', '▸', 'Show replace');
    this.replaceToggle.dataset.testid = 'find-replace-toggle';
    this.replaceToggle.setAttribute('aria-expanded', 'false');
    this.input = field('Find', 'find-input');
    this.caseButton = toggle('Aa', 'Match case', 'find-case');
    this.regexButton = toggle('.*', 'Use regular expression', 'find-regex');
    this.count = el('span', 'ja-FindBar-count');
    this.count.dataset.testid = 'find-count';
    this.count.setAttribute('aria-live', 'polite');
    const prev = button('ja-FindBar-prev', '↑', 'Previous match (Shift+Enter)');
    prev.dataset.testid = 'find-previous';
    const next = button('ja-FindBar-next', '↓', 'Next match (Enter)');
    next.dataset.testid = 'find-next';
    const close = button('ja-FindBar-close', '×', 'Close (Escape)');
    close.dataset.testid = 'find-close';
    const findRow = el('div', 'ja-FindBar-row');
    findRow.append(this.replaceToggle, this.input, this.caseButton, this.regexButton, this.count, prev, next, close);

    this.replaceInput = field('Replace', 'find-replace-input');
    const replaceOne = button('ja-FindBar-replace', 'Replace', 'Replace the current match');
    replaceOne.dataset.testid = 'find-replace';
    const replaceEvery = button('ja-FindBar-replaceAll', 'Replace all', 'Replace every match');
    replaceEvery.dataset.testid = 'find-replace-all';
    this.replaceRow = el('div', 'ja-FindBar-row ja-FindBar-replaceRow');
    this.replaceRow.hidden = true;
    this.replaceRow.append(this.replaceInput, replaceOne, replaceEvery);
    this.node.append(findRow, this.replaceRow);

    this.input.addEventListener('input', () => this.schedule(true));
    for (const b of [this.caseButton, this.regexButton]) {
      b.addEventListener('click', () => {
        b.setAttribute('aria-pressed', String(b.getAttribute('aria-pressed') !== 'true'));
        this.search(true);
      });
    }
    this.replaceToggle.addEventListener('click', () => this.showReplace(this.replaceRow.hidden));
    prev.addEventListener('click', () => this.previous());
    next.addEventListener('click', () => this.next());
    close.addEventListener('click', () => this.close());
    replaceOne.addEventListener('click', () => this.replaceCurrent());
    replaceEvery.addEventListener('click', () => this.replaceEvery());
    this.node.addEventListener('keydown', (e) => this.onKeydown(e));
  }

  get isOpen(): boolean {
    return !this.node.hidden;
  }

  /** Show the bar and focus the find field; `text` (a selection) replaces the query when given. */
  open(text?: string): void {
    const wasOpen = this.isOpen;
    this.node.hidden = false;
    if (text) this.input.value = text;
    this.input.focus();
    this.input.select();
    // The panel gets a new model when it reloads the file: follow it.
    if (this.panel.model !== this.watched) {
      this.modelSub?.dispose();
      this.watched = this.panel.model;
      this.modelSub =
        this.panel.model?.contentChanged(() => {
          // Edits elsewhere only update the count: the current match must not jump under the cursor.
          if (!this.replacing && this.isOpen) this.schedule(false);
        }) ?? null;
    }
    if (!wasOpen || text) this.search(true);
  }

  /** Hide the bar and give the keyboard back to the notebook (command mode). */
  close(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.modelSub?.dispose();
    this.modelSub = null;
    this.watched = null;
    this.node.hidden = true;
    // The match stays selected in its editor, as after a browser's find.
    this.unmark(false);
    this.panel.view?.enterCommand();
  }

  /** Go to the next match (searching first when the query changed). */
  next(): void {
    this.flush();
    this.go(nextMatch(this.matches, this.current));
  }

  /** Go to the previous match. */
  previous(): void {
    this.flush();
    this.go(previousMatch(this.matches, this.current));
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.modelSub?.dispose();
    this.node.remove();
  }

  private get query(): FindQuery {
    return {
      text: this.input.value,
      caseSensitive: this.caseButton.getAttribute('aria-pressed') === 'true',
      regex: this.regexButton.getAttribute('aria-pressed') === 'true'
    };
  }

  private showReplace(show: boolean): void {
    this.replaceRow.hidden = !show;
    this.replaceToggle.textContent = show ? '▾' : '▸';
    this.replaceToggle.title = show ? 'Hide replace' : 'Show replace';
    this.replaceToggle.setAttribute('aria-expanded', String(show));
    if (show) this.replaceInput.focus();
  }

  private schedule(reveal: boolean): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.search(reveal);
    }, SEARCH_DEBOUNCE_MS);
  }

  /** Run a pending search now, keeping the current match. */
  private flush(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.search(true);
  }

  /**
   * Search every cell's source. `reveal`: make the first match at or after the
   * active cell (or the previous current match) the current one and show it.
   */
  private search(reveal: boolean): void {
    const model = this.panel.model;
    const old = this.matches[this.current];
    this.error = null;
    try {
      this.matches = model ? findMatches(model.cells.map((c) => c.source), this.query) : [];
    } catch (err) {
      if (!(err instanceof FindQueryError)) throw err;
      this.matches = [];
      this.error = err.message;
    }
    const from = old ? { cell: old.cell, offset: old.from } : { cell: this.panel.view?.activeIndex ?? 0, offset: 0 };
    this.current = matchAtOrAfter(this.matches, from);
    if (reveal && this.current >= 0) this.go(this.current);
    else {
      if (reveal) this.unmark();
      this.render();
    }
  }

  private go(index: number): void {
    this.current = index;
    this.render();
    const match = this.matches[index];
    const view = this.panel.view;
    if (!match || !view) return;
    const cell = view.cellViews[match.cell];
    if (!cell) return;
    cell.setEditing(true);
    const editor = cell.ensureEditor();
    if (this.shown?.node !== cell.node) this.unmark();
    // The editor's text follows the model; select only when they agree. No
    // `scrollIntoView` here: CodeMirror would scroll every ancestor (the dock panel too,
    // hiding the toolbar and this bar) while the cells around are still taking their
    // real heights. revealCell places it, and keeps it placed.
    const selected = editor.text === cell.model.source;
    if (selected) editor.view.dispatch({ selection: { anchor: match.from, head: match.to } });
    cell.node.classList.add('ja-mod-findCurrent');
    this.shown = {
      node: cell.node,
      // Leave no stale selection behind: the cell's other occurrences would stay highlighted.
      collapse: () => {
        const ed = cell.editor;
        if (ed && !ed.hasFocus) ed.view.dispatch({ selection: { anchor: ed.view.state.selection.main.head } });
      }
    };
    // In a tall cell, the match's line once CodeMirror has drawn it (it draws only what is
    // near the screen, and more as the reveal brings it closer).
    view.revealCell(match.cell, {
      target: () => {
        const ed = cell.editor;
        // A cell of up to half a screen is shown whole; in a taller one, the match's line.
        if (cell.node.getBoundingClientRect().height <= window.innerHeight / 2) return cell.node;
        if (!selected || !ed || match.from > ed.view.state.doc.length) return cell.node;
        try {
          const { node } = ed.view.domAtPos(match.from);
          const line = (node instanceof Element ? node : node.parentElement)?.closest<HTMLElement>('.cm-line');
          return line && cell.node.contains(line) ? line : cell.node;
        } catch {
          return cell.node;
        }
      }
    });
  }

  private unmark(collapse = true): void {
    if (!this.shown) return;
    this.shown.node.classList.remove('ja-mod-findCurrent');
    if (collapse) this.shown.collapse();
    this.shown = null;
  }

  private render(): void {
    this.node.classList.toggle('ja-mod-error', !!this.error);
    this.input.setAttribute('aria-invalid', String(!!this.error));
    this.count.title = this.error ?? '';
    if (this.error) this.count.textContent = this.error;
    else if (!this.input.value) this.count.textContent = '';
    else if (this.matches.length === 0) this.count.textContent = 'No results';
    else this.count.textContent = `${this.current + 1} of ${this.matches.length}`;
  }

  private replaceCurrent(): void {
    this.flush();
    const match = this.matches[this.current];
    const model = this.panel.model;
    if (!match || !model || this.error) return;
    const cell = model.cells[match.cell];
    if (!cell) return;
    const before = cell.source;
    const after = replaceAt(before, match.from, this.query, this.replaceInput.value);
    this.setSource(match.cell, after);
    // Continue after the inserted text: a replacement that itself matches is not found again.
    const inserted = after.length - before.length + (match.to - match.from);
    this.matches = findMatches(model.cells.map((c) => c.source), this.query);
    this.current = -1;
    const next = matchAtOrAfter(this.matches, { cell: match.cell, offset: match.from + inserted });
    if (next >= 0) this.go(next);
    else this.render();
  }

  private replaceEvery(): void {
    this.flush();
    const model = this.panel.model;
    if (!model || this.error) return;
    const changed = replaceAll(model.cells.map((c) => c.source), this.query, this.replaceInput.value);
    for (const [index, source] of changed) this.setSource(index, source);
    this.current = -1;
    this.search(false);
  }

  /**
   * Give cell `index` a new source. A cell with a live editor takes it as one
   * isolated edit of that editor (its own undo step, as typing would be), which the
   * editor passes on to the cell model; other cells get `CellModel.source` directly.
   * Either way the notebook model changes, so it is dirty and saves the new text.
   */
  private setSource(index: number, source: string): void {
    const model = this.panel.model?.cells[index];
    if (!model) return;
    this.replacing = true;
    try {
      const editor = this.panel.view?.cellViews[index]?.editor;
      if (editor && editor.text === model.source) {
        const old = editor.text;
        let start = 0;
        while (start < old.length && start < source.length && old[start] === source[start]) start++;
        let end = 0;
        while (end < old.length - start && end < source.length - start && old[old.length - 1 - end] === source[source.length - 1 - end]) end++;
        editor.view.dispatch({
          changes: { from: start, to: old.length - end, insert: source.slice(start, source.length - end) },
          annotations: [Transaction.userEvent.of('input.replace'), isolateHistory.of('full')]
        });
      }
      // Without an editor (or if the editor did not pass the text on), set the model.
      if (model.source !== source) model.source = source;
    } finally {
      this.replacing = false;
    }
  }

  private onKeydown(event: KeyboardEvent): void {
    const inFind = event.target === this.input;
    const inReplace = event.target === this.replaceInput;
    if (event.key === 'Escape') {
      this.close();
    } else if (event.key === 'Enter' && inFind) {
      if (event.shiftKey) this.previous();
      else this.next();
    } else if (event.key === 'Enter' && inReplace) {
      this.replaceCurrent();
    } else {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
  }
}

function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function button(className: string, text: string, title: string): HTMLButtonElement {
  const b = el('button', `ja-FindBar-button ${className}`) as HTMLButtonElement;
  b.type = 'button';
  b.textContent = text;
  b.title = title;
  b.setAttribute('aria-label', title);
  return b;
}

function toggle(text: string, title: string, testid: string): HTMLButtonElement {
  const b = button('ja-FindBar-option', text, title);
  b.setAttribute('aria-pressed', 'false');
  b.dataset.testid = testid;
  return b;
}

function field(label: string, testid: string): HTMLInputElement {
  const input = el('input', 'ja-FindBar-input') as HTMLInputElement;
  input.type = 'text';
  input.placeholder = label;
  input.setAttribute('aria-label', label);
  input.spellcheck = false;
  input.autocomplete = 'off';
  input.dataset.testid = testid;
  return input;
}
