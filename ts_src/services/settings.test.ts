// @vitest-environment jsdom
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SettingsClient, SettingsRequestError, SettingsValues } from './settings';

/** A fake of `jlab_alt/handlers/settings.py`: user values over schema defaults. */
function fakeServer(defaults: Record<string, SettingsValues>) {
  const stored: Record<string, SettingsValues> = {};
  const calls: string[] = [];
  const request = vi.fn(async (url: string, init: RequestInit) => {
    const id = decodeURIComponent(url.split('/api/settings/')[1] ?? '');
    calls.push(`${init.method ?? 'GET'} ${id}`);
    if (init.method === 'PUT') {
      const body = JSON.parse(String(init.body)) as { settings: SettingsValues };
      if (body.settings.bad) return new Response(JSON.stringify({ message: 'Invalid settings at bad' }), { status: 400 });
      stored[id] = body.settings;
      return new Response(null, { status: 204 });
    }
    const settings = stored[id] ?? {};
    return new Response(
      JSON.stringify({ id, settings, composite: { ...(defaults[id] ?? {}), ...settings }, schema: null }),
      { status: 200 }
    );
  });
  return { client: new SettingsClient({ apiUrl: '/jlab-alt/api' }, null, request), stored, calls };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('SettingsClient', () => {
  it('loads the composite the server merged (defaults in one place)', async () => {
    const { client } = fakeServer({ 'a:plugin': { interval: 120, on: true } });
    await client.save('a:plugin', { interval: 30 });
    expect(await client.load('a:plugin')).toEqual({ interval: 30, on: true });
  });

  it('fires a change event for that plugin id only, with the new composite', async () => {
    const { client } = fakeServer({ 'a:plugin': { interval: 120 } });
    const a = vi.fn();
    const b = vi.fn();
    const any = vi.fn();
    client.changed('a:plugin', a);
    client.changed('b:plugin', b);
    client.anyChanged(any);
    await client.save('a:plugin', { interval: 60 });
    expect(a).toHaveBeenCalledTimes(1);
    expect(a.mock.calls[0]![0]).toMatchObject({ id: 'a:plugin', settings: { interval: 60 }, composite: { interval: 60 } });
    expect(b).not.toHaveBeenCalled();
    expect(any).toHaveBeenCalledTimes(1);
  });

  it('watch applies the settings at once and on every change, until disposed', async () => {
    const { client } = fakeServer({ 'a:plugin': { interval: 120 } });
    const apply = vi.fn();
    const watching = client.watch('a:plugin', apply);
    await flush();
    expect(apply).toHaveBeenLastCalledWith({ interval: 120 });
    await client.save('a:plugin', { interval: 10 });
    expect(apply).toHaveBeenLastCalledWith({ interval: 10 });
    watching.dispose();
    await client.save('a:plugin', { interval: 20 });
    expect(apply).toHaveBeenCalledTimes(2);
  });

  it('watch falls back to the plugin defaults ({}) when the settings cannot load', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const client = new SettingsClient({ apiUrl: '/x' }, null, async () => new Response('boom', { status: 500 }));
    const apply = vi.fn();
    client.watch('a:plugin', apply);
    await flush();
    await flush();
    expect(apply).toHaveBeenCalledWith({});
    expect(warn).toHaveBeenCalled();
  });

  it('a refused save raises the server message, stores nothing and fires nothing', async () => {
    const { client, stored } = fakeServer({});
    const listener = vi.fn();
    client.changed('a:plugin', listener);
    const error = await client.save('a:plugin', { bad: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SettingsRequestError);
    expect((error as SettingsRequestError).status).toBe(400);
    expect((error as Error).message).toBe('Invalid settings at bad');
    expect(stored).toEqual({});
    expect(listener).not.toHaveBeenCalled();
  });
});

/** Every `ts_src/<feature>/schema.json` merged, as the build's `schemas.json`. */
function builtinSchemas(root: string): Record<string, { properties?: Record<string, unknown> }> {
  const merged: Record<string, { properties?: Record<string, unknown> }> = {};
  for (const dir of readdirSync(root)) {
    const file = join(root, dir, 'schema.json');
    try {
      if (!statSync(file).isFile()) continue;
    } catch {
      continue;
    }
    Object.assign(merged, JSON.parse(readFileSync(file, 'utf-8')));
  }
  return merged;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

describe('built-in settings schemas', () => {
  const root = join(__dirname, '..');
  const schemas = builtinSchemas(root);

  it('cover every plugin id the built-in plugins read settings of', () => {
    // An id is a string literal, a `const NAME = '...'` or plugin token, or `<plugin>.id`
    // (the `id: '...'` of the same file): anything else fails here, to stay checkable.
    const ids = new Map<string, string>();
    // Constants may be imported from another module (e.g. SHORTCUTS_ID).
    const constants = new Map<string, string>();
    for (const file of sourceFiles(root)) {
      for (const m of readFileSync(file, 'utf-8').matchAll(/const ([A-Z_][A-Z0-9_]*)\s*=\s*'([^']+)'/g)) constants.set(m[1]!, m[2]!);
      // Plugin tokens (tokens.ts): `const NAME = token<T>('id')`.
      for (const m of readFileSync(file, 'utf-8').matchAll(/const ([A-Z_][A-Z0-9_]*)\s*=\s*token<[^>]*>\('([^']+)'\)/g)) constants.set(m[1]!, m[2]!);
    }
    for (const file of sourceFiles(root)) {
      const text = readFileSync(file, 'utf-8');
      for (const match of text.matchAll(/\bsettings\s*\.\s*(?:load|watch|save|fetch)\(\s*([^,)]+)/g)) {
        const arg = match[1]!.trim();
        let id: string | undefined;
        const literal = /^['"`]([^'"`]+)['"`]$/.exec(arg);
        if (literal) id = literal[1];
        else if (/^[A-Z_][A-Z0-9_]*$/.test(arg)) id = new RegExp(`const ${arg}\\s*=\\s*'([^']+)'`).exec(text)?.[1] ?? constants.get(arg);
        else if (/^\w+\.id$/.test(arg)) id = /\bid:\s*'([^']+)'/.exec(text)?.[1];
        else if (/\bthis\.plugin\.id$/.test(arg)) continue; // the settings editor, generic over every id
        else if (arg === 'settingsId') continue; // autosave: a factory's `autosaveSettings` (checked below) or the menu's autosave toggle (notebook and editor)
        expect(id, `${file}: cannot tell which settings ${arg} names`).toBeTruthy();
        ids.set(id!, file);
      }
    }
    // Document factories name the plugin whose autosave settings govern them.
    for (const file of sourceFiles(root)) {
      for (const m of readFileSync(file, 'utf-8').matchAll(/autosaveSettings:\s*([^,}\n]+)/g)) {
        const arg = m[1]!.trim();
        const text = readFileSync(file, 'utf-8');
        const id = /^['"`]/.test(arg) ? arg.slice(1, -1) : new RegExp(`const ${arg}\\s*=\\s*'([^']+)'`).exec(text)?.[1] ?? constants.get(arg);
        if (arg.endsWith('.id') || arg === 'string;') continue;
        expect(id, `${file}: cannot tell which settings autosaveSettings ${arg} names`).toBeTruthy();
        ids.set(id!, file);
      }
    }
    expect(ids.size).toBeGreaterThan(3);
    for (const [id, file] of ids) expect(schemas[id], `${id} (read in ${file}) has no schema.json`).toBeTruthy();
  });

  it('give every property a default and a description (the settings editor shows them)', () => {
    for (const [id, schema] of Object.entries(schemas)) {
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        expect(prop, `${id}.${key}`).toHaveProperty('default');
        expect(prop, `${id}.${key}`).toHaveProperty('description');
      }
    }
  });
});
