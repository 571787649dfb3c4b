/** Types of builtins-meta.mjs (for the vitest check that reads it). */
export declare function builtinsMeta(
  builtinsFile: string,
  tsconfig: string
): { meta: { id: string; description: string }[]; files: string[] };
