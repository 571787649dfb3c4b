// The terminal view: xterm.js 6 and its addons. This module is the lazily loaded
// chunk (imported with the first terminal), so none of it costs the cold load.
import '@xterm/xterm/css/xterm.css';
import './terminal.css';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { SerializeAddon } from '@xterm/addon-serialize';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal as XTerm, type ITheme } from '@xterm/xterm';
import type { Terminal } from '@jupyterlab/services';
import { Widget } from '../shell/widget';
import type { ThemeName } from '../theme/theme';
import { mergeReplay, OutputTail, terminalWidgetId, type SnapshotStore } from './model';
import { hasHardwareWebGL2 } from './gpu';
import { OutputBatcher } from './output';
import { effectiveTerminalTheme, terminalSettings, type TerminalSettings } from './settings';

/** How long after the last size change the host is told the new size, in ms. */
const SET_SIZE_DEBOUNCE_MS = 80;
/**
 * How long output must pause before a snapshot is saved, in ms. Serializing 5,000
 * lines is a long task, so never while output streams; leaving the page (`pagehide`,
 * which a reload fires) saves one too.
 */
const SNAPSHOT_IDLE_MS = 1000;
/** The app's monospace font stack (`--ja-font-mono` in style/variables.css), used when the setting is empty. */
const FONT_FAMILY = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

const THEMES: Record<ThemeName, ITheme> = {
  light: {
    background: '#ffffff',
    foreground: '#1f2328',
    cursor: '#1f2328',
    cursorAccent: '#ffffff',
    selectionBackground: '#b6d2fb',
    black: '#24292f',
    red: '#cf222e',
    green: '#116329',
    yellow: '#7d4e00',
    blue: '#0550ae',
    magenta: '#8250df',
    cyan: '#1b7c83',
    white: '#6e7781',
    brightBlack: '#57606a',
    brightRed: '#a40e26',
    brightGreen: '#1a7f37',
    brightYellow: '#633c01',
    brightBlue: '#218bff',
    brightMagenta: '#a475f9',
    brightCyan: '#3192aa',
    brightWhite: '#8c959f'
  },
  dark: {
    background: '#1e1f22',
    foreground: '#e3e5e8',
    cursor: '#e3e5e8',
    cursorAccent: '#1e1f22',
    selectionBackground: '#2a4a7e',
    black: '#484f58',
    red: '#ff7b72',
    green: '#3fb950',
    yellow: '#d29922',
    blue: '#58a6ff',
    magenta: '#bc8cff',
    cyan: '#39c5cf',
    white: '#b1bac4',
    brightBlack: '#6e7681',
    brightRed: '#ffa198',
    brightGreen: '#56d364',
    brightYellow: '#e3b341',
    brightBlue: '#79c0ff',
    brightMagenta: '#d2a8ff',
    brightCyan: '#56d4dd',
    brightWhite: '#f0f6fc'
  }
};

/** Options of {@link TerminalWidget}. */
export interface TerminalWidgetOptions {
  /** A connection from `TerminalManager.connectTo`/`startNew`; the widget owns it. */
  connection: Terminal.ITerminalConnection;
  /** The app's theme in effect (follow changes with {@link TerminalWidget.setTheme}). */
  theme: ThemeName;
  /**
   * The terminal plugin's settings as the settings service gives them (its composite;
   * parsed with `terminalSettings`, bad values fall back to defaults); follow changes
   * with {@link TerminalWidget.setSettings}. Default: the schema's defaults.
   */
  settings?: Record<string, unknown>;
  /** Where the scrollback is kept across reloads. */
  snapshots: SnapshotStore;
  /** Put text on the clipboard (rejects when the browser refuses); default {@link copyText}. */
  copy?(text: string): Promise<void>;
}

/**
 * One terminal in a tab: xterm.js drawing the output of a host terminal (terminado
 * through `@jupyterlab/services`) and sending keys to it. The subtree is marked
 * `data-ja-keys="native"`, so app shortcuts leave the shell its keys. The size follows
 * the tab (any layout change) and is sent to the host debounced; the scrollback is
 * saved in session storage and merged with the host's replay after a reload; when
 * the shell exits a "[process exited]" line says so. Closing the tab disconnects
 * without ending the shell ({@link shutdown} ends it).
 */
export class TerminalWidget extends Widget {
  readonly name: string;
  private readonly connection: Terminal.ITerminalConnection;
  private readonly term: XTerm;
  private readonly fit = new FitAddon();
  private readonly search = new SearchAddon();
  private readonly serializer = new SerializeAddon();
  private readonly host: HTMLElement;
  private readonly resizeObserver: ResizeObserver;
  private readonly snapshots: SnapshotStore;
  private readonly copy: (text: string) => Promise<void>;
  private settings: TerminalSettings;
  private appTheme: ThemeName;
  private opened = false;
  /** The last output characters received, to align the host's replay after a reconnection. */
  private tail = new OutputTail();
  /**
   * The last output characters xterm has parsed: a snapshot serializes xterm's buffer, so
   * its tail must not count output still on its way in (the next page gets that from the
   * host's replay).
   */
  private parsedTail = new OutputTail();
  /** True while the saved screen written at construction is not parsed yet. */
  private restoring = false;
  /** The host's output on its way into xterm, joined into batches while it streams. */
  private readonly output: OutputBatcher;
  /** True between a (re)connection and its first output, which is terminado's replay. */
  private expectReplay = false;
  private exited = false;
  private sizeTimer: ReturnType<typeof setTimeout> | null = null;
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  /** When output last arrived (`performance.now()`, ms). */
  private lastOutputAt = 0;
  private readonly onPageHide = () => this.saveSnapshot();

  constructor(options: TerminalWidgetOptions) {
    const name = options.connection.name;
    super(terminalWidgetId(name), `Terminal ${name}`);
    this.name = name;
    this.connection = options.connection;
    this.snapshots = options.snapshots;
    this.copy = options.copy ?? copyText;
    this.settings = terminalSettings(options.settings ?? {});
    this.appTheme = options.theme;
    this.title.caption = `Terminal ${name} (a shell on the server)`;
    this.title.iconClass = 'ja-icon-terminal';
    this.node.className = 'ja-Terminal';
    this.node.dataset.testid = 'terminal';
    this.node.dataset.name = name;
    this.node.dataset.jaKeys = 'native';
    this.node.dataset.state = 'connecting';
    this.host = document.createElement('div');
    this.host.className = 'ja-Terminal-host';
    this.node.appendChild(this.host);

    this.term = new XTerm({ ...this.xtermOptions(), allowProposedApi: true });
    this.term.loadAddon(this.fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(this.serializer);
    this.term.loadAddon(new WebLinksAddon());
    this.output = new OutputBatcher({
      write: (data, parsed) => this.term.write(data, parsed),
      // Jump scrolling: a backlog's lines beyond these would scroll out of the scrollback unseen.
      keepLines: () => (this.term.options.scrollback ?? 0) + 2 * this.term.rows + 1,
      parsed: (output) => {
        this.parsedTail.push(output);
        this.scheduleSnapshot();
      }
    });

    // The scrollback this page had before a reload; the replay's new part follows it.
    const saved = this.snapshots.load(name);
    if (saved) {
      // Until xterm has parsed it, a snapshot would save an empty screen over this one.
      this.restoring = true;
      this.term.write(saved.screen, () => (this.restoring = false));
      this.tail = new OutputTail(saved.tail);
      this.parsedTail = new OutputTail(saved.tail);
    }

    this.term.onData((data) => this.send('stdin', data));
    this.term.onBinary((data) => this.send('stdin', data));
    this.term.onResize(() => this.scheduleSetSize());
    this.term.onSelectionChange(() => {
      // Copy on selection, as X terminals do (setting `copyOnSelect`).
      if (this.settings.copyOnSelect && this.term.hasSelection()) void this.copy(this.term.getSelection()).catch(() => undefined);
    });
    this.term.attachCustomKeyEventHandler((event) => this.onKey(event));

    this.connection.messageReceived.connect(this.onMessage, this);
    this.connection.connectionStatusChanged.connect(this.onStatus, this);
    this.connection.disposed.connect(this.onConnectionDisposed, this);
    if (this.connection.connectionStatus === 'connected') this.onStatus(this.connection, 'connected');

    this.resizeObserver = new ResizeObserver(() => this.layout());
    this.resizeObserver.observe(this.node);
    window.addEventListener('pagehide', this.onPageHide);
  }

  /** Whether the shell has exited (or its connection is gone for good). */
  get isExited(): boolean {
    return this.exited;
  }

  /** The terminal's size in character cells. */
  get size(): { rows: number; cols: number } {
    return { rows: this.term.rows, cols: this.term.cols };
  }

  /**
   * Every line of the buffer (scrollback and screen) as plain text, trailing blanks
   * trimmed: what the person can scroll through. For tests and accessibility tools.
   */
  text(): string {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    while (lines.length && !lines[lines.length - 1]) lines.pop();
    return lines.join('\n');
  }

  /** The terminal settings in effect. */
  get currentSettings(): Readonly<TerminalSettings> {
    return this.settings;
  }

  /** Follow the app's theme (used when the `theme` setting is `inherit`). */
  setTheme(theme: ThemeName): void {
    this.appTheme = theme;
    const effective = effectiveTerminalTheme(this.settings.theme, theme);
    this.term.options.theme = THEMES[effective];
    this.markTheme(effective);
  }

  /**
   * Apply changed settings (the settings service's values) at once: font and line
   * height change the cell grid, so the terminal is fitted again and the shell told its
   * new size (`stty size` follows without a reload); a smaller scrollback drops the
   * oldest lines.
   */
  setSettings(values: Record<string, unknown>): void {
    this.settings = terminalSettings(values);
    const next = this.xtermOptions();
    if (this.exited) next.cursorBlink = false;
    for (const [key, value] of Object.entries(next) as [keyof typeof next, unknown][]) {
      // Assigning an unchanged value still makes xterm re-measure and redraw.
      if (this.term.options[key] !== value) (this.term.options as Record<string, unknown>)[key] = value;
    }
    this.layout();
    // The renderer re-measures the cell on the next frame with some fonts: fit again then.
    requestAnimationFrame(() => this.layout());
  }

  /**
   * Mark the node with the terminal's theme: `data-theme` (light/dark), and
   * `--ja-terminal-bg`, the xterm theme's background. The grid rarely fills the tab
   * exactly; the strip left below the last row and beside the last column is the
   * node's own, so it must be painted in the terminal's colour, not the app's.
   */
  private markTheme(effective: ThemeName): void {
    this.node.dataset.theme = effective;
    this.node.style.setProperty('--ja-terminal-bg', THEMES[effective].background ?? '');
  }

  /** xterm's options for the current settings and theme; marks the node's theme to match ({@link markTheme}). */
  private xtermOptions() {
    const s = this.settings;
    this.markTheme(effectiveTerminalTheme(s.theme, this.appTheme));
    return {
      fontFamily: s.fontFamily || FONT_FAMILY,
      fontSize: s.fontSize,
      lineHeight: s.lineHeight,
      scrollback: s.scrollback,
      cursorBlink: s.cursorBlink,
      macOptionIsMeta: s.macOptionIsMeta,
      screenReaderMode: s.screenReaderMode,
      theme: THEMES[effectiveTerminalTheme(s.theme, this.appTheme)]
    };
  }

  /** Find `query` in the scrollback, forwards or backwards; returns whether it was found. */
  find(query: string, backwards = false): boolean {
    return backwards ? this.search.findPrevious(query) : this.search.findNext(query);
  }

  /** Send text to the shell as if typed (pasted text goes through bracketed paste). */
  paste(text: string): void {
    this.term.paste(text);
  }

  /** Copy the selection to the clipboard; false when nothing is selected. */
  copySelection(): boolean {
    if (!this.term.hasSelection()) return false;
    void this.copy(this.term.getSelection()).catch(() => undefined);
    return true;
  }

  override onActivate(): void {
    this.layout();
    this.term.focus();
  }

  override onShow(): void {
    this.layout();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.saveSnapshot();
    window.removeEventListener('pagehide', this.onPageHide);
    this.resizeObserver.disconnect();
    for (const timer of [this.sizeTimer, this.snapshotTimer]) if (timer !== null) clearTimeout(timer);
    this.output.dispose();
    this.connection.disposed.disconnect(this.onConnectionDisposed, this);
    this.connection.connectionStatusChanged.disconnect(this.onStatus, this);
    this.connection.messageReceived.disconnect(this.onMessage, this);
    // Closing the tab only disconnects: the shell keeps running on the server.
    this.connection.dispose();
    this.term.dispose();
    super.dispose();
  }

  /** Forget this page's saved scrollback (the shell is gone). */
  forgetSnapshot(): void {
    this.snapshots.remove(this.name);
  }

  /** Open xterm once the node has a size; then fit it to the node. */
  private layout(): void {
    if (this.isDisposed || this.node.offsetWidth === 0 || this.node.offsetHeight === 0) return;
    if (!this.opened) {
      this.opened = true;
      this.term.open(this.host);
      let renderer: 'webgl' | 'dom' = 'dom';
      // The WebGL renderer only with a GPU: on a software rasterizer the DOM one is faster.
      if (hasHardwareWebGL2()) {
        try {
          const webgl = new WebglAddon();
          // A lost GPU context falls back to the DOM renderer instead of a blank terminal.
          webgl.onContextLoss(() => {
            webgl.dispose();
            this.node.dataset.renderer = 'dom';
          });
          this.term.loadAddon(webgl);
          renderer = 'webgl';
        } catch {
          /* no WebGL2: xterm keeps its DOM renderer */
        }
      }
      // Which renderer draws (for tests and bug reports).
      this.node.dataset.renderer = renderer;
    }
    try {
      this.fit.fit();
    } catch {
      /* not measurable yet */
    }
  }

  private scheduleSetSize(): void {
    if (this.sizeTimer !== null) clearTimeout(this.sizeTimer);
    this.sizeTimer = setTimeout(() => {
      this.sizeTimer = null;
      this.sendSize();
    }, SET_SIZE_DEBOUNCE_MS);
  }

  private sendSize(): void {
    if (!this.opened) return;
    const { rows, cols } = this.term;
    this.connection.send({ type: 'set_size', content: [rows, cols, this.host.offsetHeight, this.host.offsetWidth] });
  }

  private send(type: 'stdin', data: string): void {
    if (this.exited) return;
    this.connection.send({ type, content: [data] });
  }

  private onMessage(_: Terminal.ITerminalConnection, msg: Terminal.IMessage): void {
    if (msg.type !== 'stdout') return;
    let data = typeof msg.content?.[0] === 'string' ? msg.content[0] : '';
    if (this.expectReplay) {
      this.expectReplay = false;
      const merged = mergeReplay(this.tail.text(), data);
      data = merged.fresh;
      if (merged.gap) this.output.push('\r\n\x1b[2m[… earlier output not kept by the server …]\x1b[0m\r\n', 'note');
    }
    this.output.push(data);
    this.tail.push(data);
  }

  private onStatus(_: Terminal.ITerminalConnection, status: Terminal.ConnectionStatus): void {
    this.node.dataset.state = this.exited ? 'exited' : status;
    if (status === 'connected') {
      // terminado sends its buffered output first thing after `setup` (only when it
      // has any): align it with what this page shows.
      this.expectReplay = !this.tail.isEmpty;
      this.sendSize();
    } else if (status === 'disconnected' && !this.exited && !this.isDisposed) {
      this.markExited('connection lost: the terminal is gone from the server');
    }
  }

  private onConnectionDisposed(): void {
    // terminado sends `disconnect` when the process ends, and the connection disposes.
    if (!this.isDisposed) this.markExited('process exited');
  }

  private markExited(why: string): void {
    if (this.exited) return;
    this.exited = true;
    this.node.dataset.state = 'exited';
    this.title.label = `Terminal ${this.name} (exited)`;
    this.output.push(`\r\n\x1b[1;31m[${why}]\x1b[0m\r\n`, 'note');
    this.term.options.cursorBlink = false;
    this.forgetSnapshot();
  }

  /**
   * Save a snapshot once output has paused for {@link SNAPSHOT_IDLE_MS}. One timer,
   * re-armed when it fires too early, rather than a clear and set per message:
   * streaming output brings hundreds of messages a second.
   */
  private scheduleSnapshot(): void {
    this.lastOutputAt = performance.now();
    if (this.snapshotTimer !== null) return;
    const wait = (ms: number) => {
      this.snapshotTimer = setTimeout(() => {
        const quiet = performance.now() - this.lastOutputAt;
        if (quiet < SNAPSHOT_IDLE_MS) return wait(SNAPSHOT_IDLE_MS - quiet);
        this.snapshotTimer = null;
        this.saveSnapshot();
      }, ms);
    };
    wait(SNAPSHOT_IDLE_MS);
  }

  private saveSnapshot(): void {
    if (this.exited || this.restoring || (this.parsedTail.isEmpty && !this.opened)) return;
    this.snapshots.save(this.name, {
      v: 1,
      screen: this.serializer.serialize({ scrollback: this.settings.scrollback }),
      tail: this.parsedTail.text(),
      savedAt: Date.now()
    });
  }

  /**
   * Keys xterm must not turn into shell input: Ctrl+Shift+C copies the selection and
   * Ctrl+Shift+V pastes through the browser's own paste (so xterm's paste handler and
   * bracketed paste apply). With the `pasteWithCtrlV` setting, Ctrl+V pastes too.
   * Returning false leaves the event to the browser.
   */
  private onKey(event: KeyboardEvent): boolean {
    if (
      this.settings.pasteWithCtrlV &&
      event.type === 'keydown' &&
      event.ctrlKey &&
      !event.shiftKey &&
      !event.altKey &&
      !event.metaKey &&
      event.key.toLowerCase() === 'v'
    )
      return false;
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return true;
    const key = event.key.toLowerCase();
    if (key === 'c') {
      // Chromium opens its inspector on Ctrl+Shift+C: this key is ours.
      event.preventDefault();
      this.copySelection();
      return false;
    }
    if (key === 'v') return false;
    return true;
  }
}

/**
 * Put `text` on the system clipboard: the async Clipboard API, or `execCommand('copy')`
 * where it is missing (plain http on another host than localhost).
 * @throws Error when the browser refuses both.
 */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      /* not focused or not allowed: try the old way */
    }
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.style.position = 'fixed';
  area.style.opacity = '0';
  const previous = document.activeElement as HTMLElement | null;
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  previous?.focus({ preventScroll: true });
  if (!ok) throw new Error('The browser did not allow copying to the clipboard');
}
