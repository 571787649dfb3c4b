/**
 * DOM-free logic of terminals: merging the host's replay with a client-side
 * snapshot, remembering which terminals a page had open, and the storage of
 * snapshots. The view (`widget.ts`, loaded lazily with xterm.js) uses these.
 */

/**
 * What a page keeps of a terminal across a reload: xterm's serialized screen and
 * scrollback (ANSI text from the serialize addon, written back as is) and the last
 * characters of the raw output stream it had received when the snapshot was taken,
 * used to find where the host's replay continues it.
 */
export interface TerminalSnapshot {
  /** Format version; a snapshot of another version is ignored. */
  v: 1;
  /** The serialize addon's output: replaying it redraws screen and scrollback. */
  screen: string;
  /** The last characters (at most {@link TAIL_CHARS}) of the raw output, in order. */
  tail: string;
  /** When it was taken, in ms since the epoch. */
  savedAt: number;
}

/** How much raw output a snapshot keeps to align the host's replay, in UTF-16 units. */
export const TAIL_CHARS = 16_384;

/**
 * The last {@link TAIL_CHARS} characters of a stream, kept as the chunks that came
 * (joined only when read): joining the tail with each message copies the whole tail
 * each time, which a flood of output pays hundreds of times a second.
 */
export class OutputTail {
  private chunks: string[] = [];
  private size = 0;

  /** @param initial the tail so far (e.g. a snapshot's); @param max the characters kept. */
  constructor(
    initial = '',
    private readonly max = TAIL_CHARS
  ) {
    this.push(initial);
  }

  /** Whether nothing was seen yet. */
  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Append `chunk` to the stream. */
  push(chunk: string): void {
    if (!chunk) return;
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Drop whole chunks that lie entirely before the last `max` characters.
    while (this.chunks.length > 1 && this.size - this.chunks[0].length >= this.max) this.size -= this.chunks.shift()!.length;
  }

  /** The last `max` characters of everything pushed. */
  text(): string {
    const joined = this.chunks.length === 1 ? this.chunks[0] : this.chunks.join('');
    const text = joined.length > this.max ? joined.slice(joined.length - this.max) : joined;
    this.chunks = text ? [text] : [];
    this.size = text.length;
    return text;
  }
}

/** The result of {@link mergeReplay}. */
export interface ReplayMerge {
  /** The part of the replay the page has not shown yet: write it after the snapshot. */
  fresh: string;
  /**
   * True when the replay does not reach back to what the page last saw: more output
   * came while it was away than the host keeps (terminado keeps its last 1,000 reads,
   * jupyterlab/jupyterlab#10633), so some lines in between are lost.
   */
  gap: boolean;
}

/**
 * Align the host's replay with the output the page already shows.
 *
 * On (re)connection terminado sends, in one `stdout` message, the concatenation of
 * the terminal's last 1,000 reads (terminado/websocket.py `TermSocket.open`): a window
 * that ends at the present and may begin before, inside or after `tail` (the last
 * output this page saw). This returns what follows `tail` in the replay:
 * - the replay contains all of `tail`: what follows its last occurrence;
 * - the replay begins inside `tail` (the host kept less than the page): what follows
 *   the longest prefix of the replay that is a suffix of `tail`;
 * - no overlap: all of the replay, with `gap` set.
 * An empty `tail` (nothing seen yet) takes the whole replay without a gap.
 */
export function mergeReplay(tail: string, replay: string): ReplayMerge {
  if (!tail) return { fresh: replay, gap: false };
  if (!replay) return { fresh: '', gap: false };
  const at = replay.lastIndexOf(tail);
  if (at >= 0) return { fresh: replay.slice(at + tail.length), gap: false };
  for (let k = Math.min(tail.length, replay.length); k > 0; k--) {
    if (tail.endsWith(replay.slice(0, k))) return { fresh: replay.slice(k), gap: false };
  }
  return { fresh: replay, gap: true };
}

/** The part of `Storage` terminals use (sessionStorage in the app, a Map in tests). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

const SNAPSHOT_PREFIX = 'jlab-alt:terminal:snapshot:';
const OPEN_KEY = 'jlab-alt:terminal:open';

/**
 * Snapshots of terminals by name, in a `Storage`. sessionStorage belongs to one
 * browser tab and survives its reloads, so two pages on one terminal each keep their
 * own. Storage that is full or refuses writes only loses the snapshot (the replay
 * still restores the last output).
 */
export class SnapshotStore {
  /** @param prefix Distinguishes servers sharing an origin (e.g. the base URL). */
  constructor(
    private readonly storage: StorageLike | null,
    private readonly prefix = ''
  ) {}

  private key(name: string): string {
    return SNAPSHOT_PREFIX + this.prefix + name;
  }

  /** The saved snapshot of terminal `name`, or null when none or unreadable. */
  load(name: string): TerminalSnapshot | null {
    try {
      const text = this.storage?.getItem(this.key(name));
      if (!text) return null;
      const value = JSON.parse(text) as Partial<TerminalSnapshot>;
      if (value.v !== 1 || typeof value.screen !== 'string' || typeof value.tail !== 'string') return null;
      return value as TerminalSnapshot;
    } catch {
      return null;
    }
  }

  /** Save; returns false when the storage refused it (quota). */
  save(name: string, snapshot: TerminalSnapshot): boolean {
    try {
      this.storage?.setItem(this.key(name), JSON.stringify(snapshot));
      return !!this.storage;
    } catch {
      // Full: drop this terminal's old snapshot rather than keep a stale one.
      this.remove(name);
      return false;
    }
  }

  remove(name: string): void {
    try {
      this.storage?.removeItem(this.key(name));
    } catch {
      /* storage unavailable */
    }
  }
}

/**
 * The names of the terminals a page has open, in tab order, so a reload reopens
 * them (the general saved layout is another feature's; this is only terminals).
 */
export class OpenTerminals {
  constructor(
    private readonly storage: StorageLike | null,
    private readonly prefix = ''
  ) {}

  /** The remembered names; [] when none or unreadable. */
  names(): string[] {
    try {
      const value: unknown = JSON.parse(this.storage?.getItem(OPEN_KEY + this.prefix) ?? '[]');
      return Array.isArray(value) ? value.filter((n): n is string => typeof n === 'string') : [];
    } catch {
      return [];
    }
  }

  add(name: string): void {
    const names = this.names();
    if (!names.includes(name)) this.write([...names, name]);
  }

  remove(name: string): void {
    this.write(this.names().filter((n) => n !== name));
  }

  private write(names: string[]): void {
    try {
      this.storage?.setItem(OPEN_KEY + this.prefix, JSON.stringify(names));
    } catch {
      /* storage unavailable: nothing is reopened */
    }
  }
}

/**
 * The folder a new terminal starts in, as the absolute path `POST /api/terminals`
 * takes as `cwd`. `path` is an API path relative to the server root (`""` is the
 * root; `/` separators). jupyter_server_terminals resolves a relative `cwd` against
 * the server process's working folder first, so a relative path can open in the
 * wrong folder: when the page config gives the root (`serverRoot`) the path is
 * made absolute; without it, it is sent relative and the root is left to the host.
 * Returns undefined for the root without `serverRoot` (the host's default).
 */
export function terminalCwd(path: string, serverRoot?: string): string | undefined {
  const rel = path.replace(/^\/+|\/+$/g, '');
  if (!serverRoot) return rel || undefined;
  const root = serverRoot.replace(/[\\/]+$/, '');
  return rel ? `${root}/${rel}` : root || '/';
}

/** The shell widget id of terminal `name` (its tab in the main area). */
export function terminalWidgetId(name: string): string {
  return `terminal:${name}`;
}
