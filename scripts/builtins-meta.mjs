// Reads the built-in plugins' ids and descriptions from ts_src/builtins.ts and the
// plugin objects it lists, with the TypeScript compiler (no code runs), so the build
// can write builtins.json from the one place plugins are declared.
import ts from 'typescript';

/** The string a node evaluates to at compile time (a literal, or a `const` of literal type). */
function stringOf(checker, node, where) {
  if (ts.isStringLiteralLike(node)) return node.text;
  const type = checker.getTypeAtLocation(node);
  if (type.isStringLiteral()) return type.value;
  throw new Error(`${where}: must be a string literal or a const string, not \`${node.getText()}\``);
}

/** The object literal a plugin constant is declared with (`export const p: AppPlugin = {...}`). */
function pluginObject(checker, identifier) {
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  let init = decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) {
    init = init.expression;
  }
  if (!init || !ts.isObjectLiteralExpression(init)) {
    throw new Error(`builtins.ts: ${identifier.text} must be a const declared with an object literal`);
  }
  return init;
}

/**
 * `[{id, description}]` of every plugin in `BUILTIN_PLUGINS`, in its order.
 * @param {string} builtinsFile absolute path of ts_src/builtins.ts
 * @param {string} tsconfig absolute path of the tsconfig.json that compiles it
 * @returns {{ meta: {id: string, description: string}[], files: string[] }} and the source files read
 * @throws {Error} when the list or a plugin is not written statically (ids and descriptions as literals)
 */
export function builtinsMeta(builtinsFile, tsconfig) {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram([builtinsFile], { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(builtinsFile);
  let list;
  source.forEachChild((node) => {
    if (!ts.isVariableStatement(node)) return;
    for (const decl of node.declarationList.declarations) {
      if (decl.name.getText() === 'BUILTIN_PLUGINS' && decl.initializer && ts.isArrayLiteralExpression(decl.initializer)) {
        list = decl.initializer;
      }
    }
  });
  if (!list) throw new Error('builtins.ts: no `BUILTIN_PLUGINS = [...]` array found');
  const meta = list.elements.map((element) => {
    if (!ts.isIdentifier(element)) throw new Error(`builtins.ts: list plugins by name, not \`${element.getText()}\``);
    const object = pluginObject(checker, element);
    const field = (name) => {
      const prop = object.properties.find((p) => ts.isPropertyAssignment(p) && p.name.getText() === name);
      if (!prop) throw new Error(`${element.text}: has no \`${name}\``);
      return stringOf(checker, prop.initializer, `${element.text}.${name}`);
    };
    return { id: field('id'), description: field('description') };
  });
  const files = program.getSourceFiles().map((f) => f.fileName).filter((f) => !f.includes('node_modules'));
  return { meta, files };
}

/**
 * Webpack plugin emitting `builtins.json` (`[{id, description}]`, what `jlab-alt extension
 * list` and `GET /jlab-alt/api/extensions` show) from ts_src/builtins.ts.
 */
export class BuiltinsPlugin {
  /** @param {string} builtinsFile ts_src/builtins.ts  @param {string} tsconfig its tsconfig.json */
  constructor(builtinsFile, tsconfig) {
    this.builtinsFile = builtinsFile;
    this.tsconfig = tsconfig;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('BuiltinsPlugin', (compilation) => {
      compilation.hooks.processAssets.tap('BuiltinsPlugin', () => {
        const { meta, files } = builtinsMeta(this.builtinsFile, this.tsconfig);
        for (const file of files) compilation.fileDependencies.add(file);
        const text = '[\n' + meta.map((m) => '  ' + JSON.stringify(m)).join(',\n') + '\n]\n';
        compilation.emitAsset('builtins.json', new compiler.webpack.sources.RawSource(text));
      });
    });
  }
}
