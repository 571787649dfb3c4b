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
