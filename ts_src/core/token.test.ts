import { describe, expect, it } from 'vitest';
import { pluginDefiner, token, type Token } from './token';

interface App {
  name: string;
}
class Themes {
  theme = 'light';
}
class Renderers {
  render(): void {}
}
const THEMES = token<Themes>('test:themes');
const RENDERERS = token<Renderers>('test:renderers');
const definePlugin = pluginDefiner<App>();

describe('typed plugin ids', () => {
  it('a token is its id string at run time, so string ids and tokens are interchangeable', () => {
    expect(THEMES).toBe('test:themes');
    const asString: string = THEMES;
    expect(['test:themes'].includes(asString)).toBe(true);
  });

  it('definePlugin returns the plugin unchanged, with its ids as strings', () => {
    const plugin = definePlugin({ id: 'test:user', requires: [THEMES], optional: ['other:untyped'], activate: () => 1 });
    expect(plugin.requires).toEqual(['test:themes']);
    expect(plugin.optional).toEqual(['other:untyped']);
    expect(plugin.activate({ name: 'app' }, new Themes(), null)).toBe(1);
  });

  it('activate gets the types of its dependencies, inferred from requires and optional', () => {
    const plugin = definePlugin({
      id: 'test:inferred',
      requires: [THEMES],
      optional: [RENDERERS],
      activate(app, themes, renderers) {
        // Each line below is a compile error if the inferred types were different.
        const n: string = app.name;
        const t: string = themes.theme;
        const r: Renderers | null = renderers;
        return [n, t, r];
      }
    });
    expect(plugin.activate({ name: 'a' }, new Themes(), null)).toEqual(['a', 'light', null]);
  });

  // The checks below are made by `tsc` (this file is in tsconfig.json's include): each
  // `@ts-expect-error` fails the type check if its line stops being an error.
  it('a wrong parameter type is a compile error', () => {
    definePlugin({
      id: 'test:wrong-type',
      requires: [THEMES],
      // @ts-expect-error: THEMES provides Themes, not Renderers
      activate(_app, _themes: Renderers) {}
    });
    definePlugin({
      id: 'test:not-null',
      optional: [THEMES],
      // @ts-expect-error: an optional dependency may be null
      activate(_app, _themes: Themes) {}
    });
    definePlugin({
      id: THEMES,
      // @ts-expect-error: a plugin whose id is THEMES must provide a Themes
      activate: () => new Renderers()
    });
    definePlugin({
      id: 'test:too-many',
      requires: [THEMES],
      // @ts-expect-error: one dependency, two parameters
      activate(_app, _themes: Themes, _more: Renderers) {}
    });
    // @ts-expect-error: a plain string is not a typed id
    const untyped: Token<Themes> = 'test:themes';
    expect(untyped).toBe('test:themes');
  });

  it('plain string ids (extensions) still compile, their values typed any', () => {
    const plugin = definePlugin({
      id: 'ext:plugin',
      requires: ['@jlab-alt/rendermime:plugin'],
      activate(_app, rendermime: Renderers) {
        return rendermime;
      }
    });
    expect(plugin.requires).toEqual(['@jlab-alt/rendermime:plugin']);
  });
});
