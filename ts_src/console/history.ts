/**
 * A console's input history, oldest first, with IPython-style navigation: Up and
 * Down walk only through entries that start with what was typed before the first
 * Up (the prefix), skip repeats, and Down past the newest entry gives back the draft
 * (the text being typed when navigation began). Any edit ends the navigation; the
 * next Up starts again from the newest entry with the new prefix.
 *
 * DOM-free: the console panel feeds it the kernel's `history_request` reply
 * (messaging protocol 5.x "History", `hist_access_type: "tail"`) and each input run.
 */
export class ConsoleHistory {
  private entries: string[] = [];
  /** Index of the entry shown, or null when not navigating (the draft is shown). */
  private cursor: number | null = null;
  private draft = '';
  private prefix = '';
  /** The text navigation last put in the prompt: any other text means the person edited. */
  private shown: string | null = null;

  /** At most this many entries are kept (the oldest go first). */
  constructor(private readonly limit = 1000) {}

  /** The entries, oldest first. */
  get all(): readonly string[] {
    return this.entries;
  }

  /**
   * Put `inputs` (oldest first; e.g. the kernel's tail of history) before the entries
   * recorded in this session. Consecutive repeats and blank inputs are dropped.
   */
  load(inputs: readonly string[]): void {
    const merged: string[] = [];
    for (const input of [...inputs, ...this.entries]) {
      if (!input.trim() || merged[merged.length - 1] === input) continue;
      merged.push(input);
    }
    this.entries = merged.slice(-this.limit);
    this.reset();
  }

  /** Record an input that was run; ends the navigation. */
  push(input: string): void {
    this.reset();
    if (!input.trim() || this.entries[this.entries.length - 1] === input) return;
    this.entries.push(input);
    if (this.entries.length > this.limit) this.entries.shift();
  }

  /** Forget where navigation was (the person edited or ran the prompt). */
  reset(): void {
    this.cursor = null;
    this.shown = null;
  }

  /**
   * Up: the previous entry starting with the prefix, given the prompt's `current`
   * text. Returns the text to show, or null when there is none (the prompt keeps its text).
   */
  back(current: string): string | null {
    this.sync(current);
    if (this.cursor === null) {
      this.draft = current;
      this.prefix = current;
    }
    const from = this.cursor ?? this.entries.length;
    for (let i = from - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (!entry.startsWith(this.prefix) || entry === current) continue;
      return this.show(i, entry);
    }
    return null;
  }

  /**
   * Down: the next entry starting with the prefix, or the draft after the newest
   * one. Returns null when not navigating (nothing to go down to).
   */
  forward(current: string): string | null {
    this.sync(current);
    if (this.cursor === null) return null;
    for (let i = this.cursor + 1; i < this.entries.length; i++) {
      const entry = this.entries[i]!;
      if (!entry.startsWith(this.prefix) || entry === current) continue;
      return this.show(i, entry);
    }
    const draft = this.draft;
    this.reset();
    return draft;
  }

  /** Whether Up/Down navigation is under way (the prompt shows a history entry). */
  get navigating(): boolean {
    return this.cursor !== null;
  }

  private show(index: number, entry: string): string {
    this.cursor = index;
    this.shown = entry;
    return entry;
  }

  /** The prompt no longer shows what navigation put there: the person edited it. */
  private sync(current: string): void {
    if (this.cursor !== null && current !== this.shown) this.reset();
  }
}

/**
 * The kernel's glob for a reverse search of `query` (`history_request` with
 * `hist_access_type: "search"`: `*` and `?` are wildcards, `[` starts a class).
 * The query matches anywhere in the input; glob characters in it match themselves.
 */
export function searchPattern(query: string): string {
  const escaped = query.replace(/[*?[]/g, (c) => `[${c}]`);
  return `*${escaped}*`;
}

/**
 * Ctrl+R reverse search over a list of matches, newest first: each Ctrl+R goes one
 * match older. DOM-free; the panel fills it from the kernel's search reply and from
 * the inputs of this session.
 */
export class ReverseSearch {
  private matches: string[] = [];
  private index = 0;

  constructor(public query = '') {}

  /**
   * Set the matches for the current query from `inputs` given oldest first (the
   * kernel's reply order), keeping only inputs that contain the query, newest
   * first and without repeats. The match shown stays shown while it still matches,
   * as in readline's reverse-i-search: a Ctrl+R pressed before the kernel answered
   * the last typed character is not undone by that answer.
   */
  setMatches(inputs: readonly string[]): void {
    const shown = this.current;
    const seen = new Set<string>();
    const out: string[] = [];
    for (let i = inputs.length - 1; i >= 0; i--) {
      const input = inputs[i]!;
      if (!input.includes(this.query) || seen.has(input)) continue;
      seen.add(input);
      out.push(input);
    }
    this.matches = out;
    this.index = shown === null ? 0 : Math.max(0, out.indexOf(shown));
  }

  /** The match shown, or null when nothing matches. */
  get current(): string | null {
    return this.matches[this.index] ?? null;
  }

  /** Ctrl+R again: the next older match; stays on the oldest. Returns the match shown. */
  older(): string | null {
    if (this.index < this.matches.length - 1) this.index++;
    return this.current;
  }

  /** How many inputs match. */
  get count(): number {
    return this.matches.length;
  }
}
