// @vitest-environment jsdom
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDeclaredShortcuts, SHORTCUTS_KEY } from './declared';
import { KeybindingRegistry, NATIVE_ESCAPE_KEYSTROKE } from './keybindings';
import { CommandRegistry } from './registry';

/** Every `ts_src/<feature>/schema.json`, merged as the build merges them (`{plugin id: schema}`). */
function builtinSchemas(): Record<string, Record<string, unknown>> {
  const root = path.resolve(__dirname, '..');
  const merged: Record<string, Record<string, unknown>> = {};
  for (const dir of fs.readdirSync(root)) {
    const file = path.join(root, dir, 'schema.json');
    if (fs.existsSync(file)) Object.assign(merged, JSON.parse(fs.readFileSync(file, 'utf-8')));
  }
  return merged;
}

describe('shortcuts declared in schemas', () => {
  it('adds each entry as a binding, with body as the default selector', () => {
    const registry = new KeybindingRegistry(new CommandRegistry(), false);
    const { added, errors } = addDeclaredShortcuts(registry, 'test:plugin', [
      { command: 'a:run', keys: ['Accel Shift K'] },
      { command: 'b:run', keys: ['D', 'D'], selector: '.x', args: { n: 1 } }
    ]);
    expect(errors).toEqual([]);
    expect(added).toHaveLength(2);
    expect(registry.keyBindings).toEqual([
      { command: 'a:run', keys: ['Ctrl Shift K'], selector: 'body' },
      { command: 'b:run', keys: ['D', 'D'], selector: '.x', args: { n: 1 } }
    ]);
    added[0]!.dispose();
    expect(registry.keyBindings.map((b) => b.command)).toEqual(['b:run']);
  });

  it('skips malformed entries and unknown keys with a message naming the plugin, and adds the rest', () => {
    const registry = new KeybindingRegistry(new CommandRegistry(), false);
    const { errors } = addDeclaredShortcuts(registry, 'ext:plugin', [
      { command: 'a:run' },
      { command: 'b:run', keys: ['Accel K J'] },
      'Ctrl K',
      { command: 'c:run', keys: ['F2'] }
    ]);
    expect(errors).toHaveLength(3);
    for (const error of errors) expect(error).toMatch(/^ext:plugin: shortcut \d/);
    expect(errors[1]).toContain('b:run');
    expect(registry.keyBindings.map((b) => b.command)).toEqual(['c:run']);
    expect(addDeclaredShortcuts(registry, 'ext:plugin', { command: 'x' }).errors).toEqual([
      `ext:plugin: "${SHORTCUTS_KEY}" must be a list, not {"command":"x"}`
    ]);
  });

  it("every built-in plugin's declared shortcuts parse, on Linux and on a Mac", () => {
    const schemas = builtinSchemas();
    let count = 0;
    for (const mac of [false, true]) {
      const registry = new KeybindingRegistry(new CommandRegistry(), mac);
      for (const [id, schema] of Object.entries(schemas)) {
        if (!(SHORTCUTS_KEY in schema)) continue;
        const { added, errors } = addDeclaredShortcuts(registry, id, schema[SHORTCUTS_KEY]);
        expect(errors).toEqual([]);
        count += added.length;
      }
    }
    // The notebook alone declares dozens (JupyterLab's defaults).
    expect(count / 2).toBeGreaterThan(60);
  });

  it('the escape from keyboard-owning widgets is declared as a palette shortcut', () => {
    const palette = builtinSchemas()['@jlab-alt/commands:palette']![SHORTCUTS_KEY] as { command: string; keys: string[] }[];
    expect(palette).toContainEqual({ command: 'palette:open', keys: [NATIVE_ESCAPE_KEYSTROKE] });
  });
});
