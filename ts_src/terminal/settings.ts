/**
 * The terminal settings (`schema.json`) as xterm.js options: DOM-free, so unit-tested.
 * Only the lazily loaded view (`widget.ts`) imports this module, so parsing costs the
 * cold load nothing; the plugin hands the view the settings service's raw values.
 */
/**
 * The terminal settings (`schema.json`), as applied to xterm.js. The names follow
 * JupyterLab's terminal plugin (`@jupyterlab/terminal-extension:plugin`) where it
 * has the setting, so people find what they know.
 */
export interface TerminalSettings {
  /** CSS font-family list; "" uses the app's monospace font stack. */
  fontFamily: string;
  /** Font size in CSS px (6–64). */
  fontSize: number;
  /** Line height as a multiple of the font size (1–3). */
  lineHeight: number;
  /** `inherit` follows the app's theme; `light`/`dark` pin one. */
  theme: 'inherit' | 'light' | 'dark';
  /** Lines of scrollback kept above the screen (and saved across a reload), 0–100,000. */
  scrollback: number;
  /** Whether the cursor blinks. */
  cursorBlink: boolean;
  /** Whether selecting text copies it to the clipboard (as X terminals do). */
  copyOnSelect: boolean;
  /** Ctrl+V pastes (the browser's paste) instead of sending ^V to the shell. */
  pasteWithCtrlV: boolean;
  /** On macOS, Option acts as Meta (Alt+key sequences for the shell). */
  macOptionIsMeta: boolean;
  /** xterm's screen reader mode: an accessible DOM mirror of the screen. */
  screenReaderMode: boolean;
}

/** Defaults; keep them equal to `schema.json`'s (a unit test checks). */
export const DEFAULT_TERMINAL_SETTINGS: Readonly<TerminalSettings> = Object.freeze({
  fontFamily: '',
  fontSize: 13,
  lineHeight: 1.15,
  theme: 'inherit',
  scrollback: 5000,
  cursorBlink: true,
  copyOnSelect: true,
  pasteWithCtrlV: false,
  macOptionIsMeta: false,
  screenReaderMode: false
});

/** Bounds of the numeric settings (as in `schema.json`). */
const NUMBER_BOUNDS: Record<'fontSize' | 'lineHeight' | 'scrollback', [number, number]> = {
  fontSize: [6, 64],
  lineHeight: [1, 3],
  scrollback: [0, 100_000]
};

/**
 * The settings to apply from `values` (the settings service's composite, possibly
 * `{}` when it could not be loaded, or hand-edited JSON): each key of the right
 * type is taken, numbers clamped to their bounds (scrollback rounded down to whole
 * lines), anything else falls back to its default. Never throws: a bad value must
 * not leave a terminal unusable.
 */
export function terminalSettings(values: Record<string, unknown>): TerminalSettings {
  const out: TerminalSettings = { ...DEFAULT_TERMINAL_SETTINGS };
  if (typeof values.fontFamily === 'string') out.fontFamily = values.fontFamily.trim();
  for (const key of ['fontSize', 'lineHeight', 'scrollback'] as const) {
    const v = values[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    const [lo, hi] = NUMBER_BOUNDS[key];
    const clamped = Math.min(hi, Math.max(lo, v));
    out[key] = key === 'scrollback' ? Math.floor(clamped) : clamped;
  }
  if (values.theme === 'inherit' || values.theme === 'light' || values.theme === 'dark') out.theme = values.theme;
  for (const key of ['cursorBlink', 'copyOnSelect', 'pasteWithCtrlV', 'macOptionIsMeta', 'screenReaderMode'] as const) {
    if (typeof values[key] === 'boolean') out[key] = values[key] as boolean;
  }
  return out;
}

/** The theme a terminal draws with: its own setting, or the app's when `inherit`. */
export function effectiveTerminalTheme(setting: TerminalSettings['theme'], app: 'light' | 'dark'): 'light' | 'dark' {
  return setting === 'inherit' ? app : setting;
}
