import { Emitter } from '../core/emitter';

/** What the person chose: a fixed theme, or follow the system's preference. */
export type ThemePreference = 'light' | 'dark' | 'system';
/** The theme in effect. */
export type ThemeName = 'light' | 'dark';

const QUERY = '(prefers-color-scheme: dark)';

/**
 * Applies the light or dark theme by setting `data-theme` on the root element (the
 * CSS variables in `style/variables.css` key off it). With preference `'system'` it
 * follows the operating system's setting live.
 */
export class ThemeManager {
  private _preference: ThemePreference = 'system';
  private readonly media: MediaQueryList | null;
  private readonly _changed = new Emitter<ThemeName>();
  /** Fires with the theme in effect whenever it changes. */
  readonly changed = this._changed.event;

  constructor(private readonly root: HTMLElement = document.documentElement) {
    this.media = typeof window.matchMedia === 'function' ? window.matchMedia(QUERY) : null;
    this.media?.addEventListener('change', () => {
      if (this._preference === 'system') this.apply();
    });
    this.apply();
  }

  get preference(): ThemePreference {
    return this._preference;
  }

  set preference(value: ThemePreference) {
    this._preference = value;
    this.apply();
  }

  /** The theme in effect now. */
  get theme(): ThemeName {
    if (this._preference !== 'system') return this._preference;
    return this.media?.matches ? 'dark' : 'light';
  }

  private apply(): void {
    const theme = this.theme;
    if (this.root.dataset.theme === theme) return;
    this.root.dataset.theme = theme;
    this.root.style.colorScheme = theme;
    this._changed.emit(theme);
  }
}

/** Parse a stored preference, falling back to `'system'` for anything else. */
export function parsePreference(value: unknown): ThemePreference {
  return value === 'light' || value === 'dark' || value === 'system' ? value : 'system';
}
