/**
 * Typed plugin ids: the compiler checks `requires`/`optional` against `activate`.
 *
 * A {@link Token} is a plugin id string that also carries, for the compiler only, the
 * type of the value its plugin's `activate` returns (JupyterLab's `Token<T>` from
 * `@lumino/coreutils`, as in `packages/notebook/src/tokens.ts`). At run time it is the
 * id string itself, so settings, `disabledExtensions`, `builtins.json` and extensions
 * that write plain strings see no difference.
 *
 * {@link definePlugin} infers the tuple of `requires` and `optional` and types
 * `activate(app, ...deps)` from it: a token gives its type (`| null` when optional), a
 * plain string gives `any` (an extension's untyped id). A plugin whose `id` is a token
 * must provide that token's type.
 */
import type { Plugin } from './plugins';

declare const provided: unique symbol;

/**
 * A plugin id whose plugin provides a `T`. Only for the compiler: the value is a
 * string, and the `provided` member never exists.
 */
export type Token<T> = string & { readonly [provided]: T };

/**
 * The typed id `id` of a plugin providing a `T`.
 * @param id the plugin id, "package:name" ("@jlab-alt/theme:plugin"); returned unchanged.
 */
export function token<T>(id: string): Token<T> {
  return id as Token<T>;
}

/** What a dependency id gives `activate`: a token's type, or `any` for a plain string. */
export type Provided<D> = D extends Token<infer T> ? T : any;

/** `activate`'s values for the `requires` tuple `R`. */
export type RequiredValues<R extends readonly string[]> = { -readonly [K in keyof R]: Provided<R[K]> };

/** `activate`'s values for the `optional` tuple `O`: null when missing, disabled or failed. */
export type OptionalValues<O extends readonly string[]> = { -readonly [K in keyof O]: Provided<O[K]> | null };

/** A plugin whose `activate` parameters follow from its `requires` and `optional`. */
export interface TypedPlugin<A, T, R extends readonly string[], O extends readonly string[]> {
  /** A {@link Token} of the provided type, or a plain id. */
  id: Token<T> | string;
  description?: string;
  requires?: R;
  optional?: O;
  autoStart?: boolean;
  // A property, not a method: parameters are then checked strictly (contravariantly),
  // so `(app, themes: ThemeManager)` for an optional dependency is an error.
  activate: (app: A, ...deps: [...RequiredValues<R>, ...OptionalValues<O>]) => T | Promise<T>;
}

/**
 * A `definePlugin` for apps of type `A`: `definePlugin(plugin)` declares a plugin with
 * its dependencies checked by the compiler, and returns `plugin` as is.
 *
 * ```ts
 * const definePlugin = pluginDefiner<Application>(); // once, beside the app type
 * export const editorPlugin = definePlugin({
 *   id: '@jlab-alt/editor:plugin',
 *   requires: [THEME],
 *   activate(app, themes) {} // themes: ThemeManager
 * });
 * ```
 * Curried so the app type is given once while `T`, `R` and `O` are inferred.
 */
export function pluginDefiner<A>() {
  return <T, const R extends readonly string[] = [], const O extends readonly string[] = []>(
    plugin: TypedPlugin<A, T, R, O>
  ): Plugin<A, T> => plugin as unknown as Plugin<A, T>;
}
