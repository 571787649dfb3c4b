/**
 * From a plugin's JSON Schema to the fields of the settings form, and from what a
 * person types back to setting values. DOM-free (the view is `editor.ts`).
 */
import type { PluginSettings, SettingsSchema, SettingsValues } from '../services/settings';

/** The control a setting gets. */
export type FieldKind = 'boolean' | 'enum' | 'number' | 'integer' | 'string' | 'string-list' | 'object' | 'json';

/** One setting as the form shows it. */
export interface Field {
  /** The plugin the setting belongs to. */
  pluginId: string;
  /** The setting's key in the plugin's settings object. */
  key: string;
  /** The schema's `title`, or the key. */
  title: string;
  description: string;
  kind: FieldKind;
  /** The choices of an `enum`. */
  options?: unknown[];
  /** Bounds of a number (`minimum`/`maximum` of the schema). */
  minimum?: number;
  maximum?: number;
  /** For `object`: its own fields, one level deep (keys of `properties` with scalar types). */
  fields?: Field[];
  /** What the plugin uses now (the composite value). */
  value: unknown;
  /** The default (the schema's, replaced by the site's overrides). */
  default: unknown;
  /** Whether the user set it (it differs from the default until reset). */
  modified: boolean;
}

/** One plugin's group of fields. */
export interface Section {
  id: string;
  title: string;
  description: string;
  fields: Field[];
}

function typesOf(schema: SettingsSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (typeof schema.type === 'string') return [schema.type];
  if (Array.isArray(schema.enum)) return ['enum'];
  return [];
}

/** Whether an object schema is small and flat enough to show as nested controls (≤ 8 scalar properties). */
function isSmallObject(schema: SettingsSchema): boolean {
  const props = Object.values(schema.properties ?? {});
  return (
    props.length > 0 &&
    props.length <= 8 &&
    props.every((p) => {
      const kind = kindOf(p);
      return kind !== 'object' && kind !== 'json';
    })
  );
}

/** The control for a property schema: the mapping the form is built on. */
export function kindOf(schema: SettingsSchema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return 'enum';
  const types = typesOf(schema);
  if (types.length !== 1) return 'json';
  switch (types[0]) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'integer':
      return 'integer';
    case 'string':
      return 'string';
    case 'array':
      return schema.items && typesOf(schema.items)[0] === 'string' && !schema.items.enum ? 'string-list' : 'json';
    case 'object':
      return isSmallObject(schema) ? 'object' : 'json';
    default:
      return 'json';
  }
}

/** The form section of one plugin's settings (null for a plugin without schema or properties). */
export function sectionFor(plugin: PluginSettings): Section | null {
  const schema = plugin.schema;
  if (!schema?.properties || Object.keys(schema.properties).length === 0) return null;
  const fields = Object.entries(schema.properties).map(([key, prop]) =>
    fieldFor(plugin.id, key, prop, plugin.composite[key], plugin.settings)
  );
  return { id: plugin.id, title: schema.title ?? plugin.id, description: schema.description ?? '', fields };
}

function fieldFor(pluginId: string, key: string, prop: SettingsSchema, value: unknown, user: SettingsValues): Field {
  const kind = kindOf(prop);
  const field: Field = {
    pluginId,
    key,
    title: prop.title ?? key,
    description: prop.description ?? '',
    kind,
    value: value === undefined ? prop.default : value,
    default: prop.default,
    modified: Object.prototype.hasOwnProperty.call(user, key)
  };
  if (kind === 'enum') field.options = prop.enum;
  if (typeof prop.minimum === 'number') field.minimum = prop.minimum;
  if (typeof prop.maximum === 'number') field.maximum = prop.maximum;
  if (kind === 'object') {
    const current = isRecord(field.value) ? field.value : {};
    const defaults = isRecord(prop.default) ? prop.default : {};
    field.fields = Object.entries(prop.properties ?? {}).map(([k, p]) => ({
      ...fieldFor(pluginId, k, p, current[k] ?? defaults[k], {}),
      default: defaults[k] ?? p.default,
      modified: false
    }));
  }
  return field;
}

/**
 * The value of `field` from the text of its control (booleans and enums pass their
 * value as is). Throws an Error with a message for the person when it is not valid.
 */
export function parseInput(field: Pick<Field, 'kind' | 'minimum' | 'maximum' | 'title' | 'options'>, raw: unknown): unknown {
  switch (field.kind) {
    case 'boolean':
      return Boolean(raw);
    case 'enum': {
      const match = (field.options ?? []).find((o) => String(o) === String(raw));
      if (match === undefined) throw new Error(`${field.title}: choose one of ${(field.options ?? []).map(String).join(', ')}`);
      return match;
    }
    case 'number':
    case 'integer': {
      const text = String(raw).trim();
      const n = Number(text);
      if (text === '' || !Number.isFinite(n)) throw new Error(`${field.title}: enter a number`);
      if (field.kind === 'integer' && !Number.isInteger(n)) throw new Error(`${field.title}: enter a whole number`);
      if (field.minimum !== undefined && n < field.minimum) throw new Error(`${field.title}: at least ${field.minimum}`);
      if (field.maximum !== undefined && n > field.maximum) throw new Error(`${field.title}: at most ${field.maximum}`);
      return n;
    }
    case 'string':
      return String(raw);
    case 'string-list':
      // One item per line; blank lines are dropped.
      return String(raw)
        .split('\n')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      throw new Error(`${field.title}: edit this setting as JSON`);
  }
}

/** The text a control shows for a value (`string-list`: one per line). */
export function formatValue(field: Pick<Field, 'kind'>, value: unknown): string {
  if (field.kind === 'string-list') return Array.isArray(value) ? value.map(String).join('\n') : '';
  if (field.kind === 'json' || field.kind === 'object') return JSON.stringify(value ?? null, null, 2);
  return value === undefined || value === null ? '' : String(value);
}

/** The user settings after setting `key` to `value` (a copy). */
export function withValue(settings: SettingsValues, key: string, value: unknown): SettingsValues {
  return { ...settings, [key]: value };
}

/** The user settings after a reset of `key` (a copy without it: the default applies again). */
export function withoutKey(settings: SettingsValues, key: string): SettingsValues {
  const copy = { ...settings };
  delete copy[key];
  return copy;
}

/**
 * Whether `field` matches the search `query` (every word, case-insensitive, in the
 * title, key, description or plugin title/id).
 */
export function matches(field: Field, section: Pick<Section, 'id' | 'title'>, query: string): boolean {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [field.title, field.key, field.description, section.title, section.id].join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * The text of the JSON view: the user's settings as JSON5-readable JSON, preceded by
 * a comment listing each setting's default, so the person sees what they can set.
 */
export function jsonText(section: Section, settings: SettingsValues): string {
  const lines = [`// ${section.title} (${section.id})`, '// Defaults:'];
  for (const field of section.fields) lines.push(`//   "${field.key}": ${JSON.stringify(field.default)}`);
  lines.push('// Your settings (JSON5: comments and trailing commas are allowed):');
  return `${lines.join('\n')}\n${JSON.stringify(settings, null, 2)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
