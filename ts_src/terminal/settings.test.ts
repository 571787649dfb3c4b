import { describe, expect, it } from 'vitest';
import schema from './schema.json';
import { DEFAULT_TERMINAL_SETTINGS, effectiveTerminalTheme, terminalSettings } from './settings';

const TERMINAL_SETTINGS_ID = '@jlab-alt/terminal:plugin';

describe('terminal settings', () => {
  const properties = (schema as Record<string, { properties: Record<string, { default: unknown }> }>)[TERMINAL_SETTINGS_ID]
    .properties;

  it('has the schema\'s defaults, and a setting for each default', () => {
    const fromSchema = Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, p.default]));
    expect(fromSchema).toEqual({ ...DEFAULT_TERMINAL_SETTINGS });
    expect(terminalSettings({})).toEqual(DEFAULT_TERMINAL_SETTINGS);
  });

  it('takes values of the right type and keeps defaults for the rest', () => {
    const s = terminalSettings({ fontSize: 20, theme: 'dark', copyOnSelect: false, fontFamily: '  Fira Code ', cursorBlink: 'no' });
    expect(s).toMatchObject({ fontSize: 20, theme: 'dark', copyOnSelect: false, fontFamily: 'Fira Code', cursorBlink: true });
    expect(terminalSettings({ theme: 'solarized', lineHeight: '2', scrollback: null })).toMatchObject({
      theme: 'inherit',
      lineHeight: 1.15,
      scrollback: 5000
    });
  });

  it('clamps numbers to their bounds and rounds scrollback down to whole lines', () => {
    expect(terminalSettings({ fontSize: 1, lineHeight: 9, scrollback: -5 })).toMatchObject({ fontSize: 6, lineHeight: 3, scrollback: 0 });
    expect(terminalSettings({ fontSize: 1000, scrollback: 1e9 })).toMatchObject({ fontSize: 64, scrollback: 100_000 });
    expect(terminalSettings({ scrollback: 99.9, fontSize: Number.NaN })).toMatchObject({ scrollback: 99, fontSize: 13 });
  });

  it('follows the app\'s theme only when set to inherit', () => {
    expect(effectiveTerminalTheme('inherit', 'dark')).toBe('dark');
    expect(effectiveTerminalTheme('inherit', 'light')).toBe('light');
    expect(effectiveTerminalTheme('light', 'dark')).toBe('light');
    expect(effectiveTerminalTheme('dark', 'light')).toBe('dark');
  });
});
