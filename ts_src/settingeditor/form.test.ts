import { describe, expect, it } from 'vitest';
import type { PluginSettings } from '../services/settings';
import { formatValue, jsonText, kindOf, matches, parseInput, sectionFor, withValue, withoutKey } from './form';

const plugin: PluginSettings = {
  id: '@x/y:plugin',
  settings: { interval: 30 },
  composite: { on: true, interval: 30, mode: 'dark', name: 'n', tags: ['a'], box: { a: 1, b: 'x' } },
  schema: {
    title: 'Y',
    description: 'The Y plugin',
    type: 'object',
    properties: {
      on: { type: 'boolean', default: true, title: 'On', description: 'Switch' },
      interval: { type: 'number', minimum: 5, maximum: 100, default: 120, description: 'Seconds' },
      mode: { enum: ['light', 'dark'], default: 'dark', description: 'Mode' },
      name: { type: 'string', default: 'n', description: 'Name' },
      tags: { type: 'array', items: { type: 'string' }, default: [], description: 'Tags' },
      box: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } }, default: { a: 1, b: 'x' }, description: 'Box' },
      deep: { type: 'object', properties: { x: { type: 'object' } }, default: {}, description: 'Deep' },
      many: { type: ['string', 'number'], default: 1, description: 'Either' },
      rules: { type: 'array', items: { type: 'object' }, default: [], description: 'Objects' }
    }
  }
};

describe('schema to form', () => {
  it('maps each schema type to its control', () => {
    const section = sectionFor(plugin)!;
    expect(section.title).toBe('Y');
    expect(Object.fromEntries(section.fields.map((f) => [f.key, f.kind]))).toEqual({
      on: 'boolean',
      interval: 'number',
      mode: 'enum',
      name: 'string',
      tags: 'string-list',
      box: 'object',
      deep: 'json',
      many: 'json',
      rules: 'json'
    });
    expect(kindOf({ type: 'integer' })).toBe('integer');
    expect(kindOf({ type: 'array', items: { type: 'string', enum: ['a'] } })).toBe('json');
  });

  it('carries titles, bounds, options, values, defaults and the modified mark', () => {
    const fields = sectionFor(plugin)!.fields;
    const interval = fields.find((f) => f.key === 'interval')!;
    expect(interval).toMatchObject({ title: 'interval', description: 'Seconds', minimum: 5, maximum: 100, value: 30, default: 120, modified: true });
    const on = fields.find((f) => f.key === 'on')!;
    expect(on).toMatchObject({ title: 'On', value: true, modified: false });
    expect(fields.find((f) => f.key === 'mode')!.options).toEqual(['light', 'dark']);
    const box = fields.find((f) => f.key === 'box')!;
    expect(box.fields!.map((f) => [f.key, f.kind, f.value])).toEqual([
      ['a', 'integer', 1],
      ['b', 'string', 'x']
    ]);
    // Not in composite: the schema default shows.
    expect(fields.find((f) => f.key === 'many')!.value).toBe(1);
  });

  it('has no section for a plugin without schema or properties', () => {
    expect(sectionFor({ ...plugin, schema: null })).toBeNull();
    expect(sectionFor({ ...plugin, schema: { type: 'object' } })).toBeNull();
  });

  it('parses what the person typed, refusing out-of-bounds and non-numbers with a message', () => {
    const field = { kind: 'number' as const, title: 'Interval', minimum: 5, maximum: 100 };
    expect(parseInput(field, ' 42 ')).toBe(42);
    expect(() => parseInput(field, '4')).toThrow('Interval: at least 5');
    expect(() => parseInput(field, '101')).toThrow('Interval: at most 100');
    expect(() => parseInput(field, 'abc')).toThrow('enter a number');
    expect(() => parseInput(field, '')).toThrow('enter a number');
    expect(() => parseInput({ kind: 'integer', title: 'N' }, '1.5')).toThrow('whole number');
    expect(parseInput({ kind: 'enum', title: 'M', options: [1, 2] }, '2')).toBe(2);
    expect(() => parseInput({ kind: 'enum', title: 'M', options: ['a'] }, 'b')).toThrow('choose one of a');
    expect(parseInput({ kind: 'string-list', title: 'T' }, 'a\n\n b \n')).toEqual(['a', 'b']);
    expect(parseInput({ kind: 'boolean', title: 'B' }, 1)).toBe(true);
  });

  it('formats values for controls and edits user settings without touching the input', () => {
    expect(formatValue({ kind: 'string-list' }, ['a', 'b'])).toBe('a\nb');
    expect(formatValue({ kind: 'number' }, undefined)).toBe('');
    const user = { a: 1 };
    expect(withValue(user, 'b', 2)).toEqual({ a: 1, b: 2 });
    expect(withoutKey({ a: 1, b: 2 }, 'a')).toEqual({ b: 2 });
    expect(user).toEqual({ a: 1 });
  });

  it('searches titles, keys, descriptions and plugin names, every word', () => {
    const section = sectionFor(plugin)!;
    const interval = section.fields.find((f) => f.key === 'interval')!;
    expect(matches(interval, section, '')).toBe(true);
    expect(matches(interval, section, 'SECONDS')).toBe(true);
    expect(matches(interval, section, 'y interval')).toBe(true);
    expect(matches(interval, section, 'interval theme')).toBe(false);
  });

  it('shows defaults as comments above the user settings in the JSON view', () => {
    const text = jsonText(sectionFor(plugin)!, { interval: 30 });
    expect(text).toContain('//   "interval": 120');
    expect(text.trim().endsWith('{\n  "interval": 30\n}')).toBe(true);
  });
});
