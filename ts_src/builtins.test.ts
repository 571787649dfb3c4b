// @vitest-environment jsdom
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinsMeta } from '../scripts/builtins-meta.mjs';
import { BUILTIN_PLUGINS } from './builtins';

describe('builtins.json', () => {
  it('the build reads exactly the ids and descriptions the running app has, in order', () => {
    const root = path.resolve(__dirname, '..');
    const { meta } = builtinsMeta(path.join(root, 'ts_src', 'builtins.ts'), path.join(root, 'tsconfig.json'));
    expect(meta).toEqual(BUILTIN_PLUGINS.map((p) => ({ id: p.id, description: p.description })));
    expect(new Set(meta.map((m) => m.id)).size).toBe(meta.length);
  }, 60_000);
});

describe("the built-in plugins' settings schemas", () => {
  it('give every setting a title and a description, so the settings editor never shows a bare key', async () => {
    const fs = await import('node:fs');
    const root = path.resolve(__dirname);
    const bare: string[] = [];
    for (const feature of fs.readdirSync(root)) {
      const file = path.join(root, feature, 'schema.json');
      if (!fs.existsSync(file)) continue;
      const schemas = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { properties?: Record<string, { title?: string; description?: string }> }>;
      for (const [plugin, schema] of Object.entries(schemas)) {
        for (const [key, prop] of Object.entries(schema.properties ?? {})) {
          if (!prop.title || !prop.description) bare.push(`${plugin} ${key}`);
        }
      }
    }
    expect(bare).toEqual([]);
  });
});
