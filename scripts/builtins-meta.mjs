// Reads the built-in plugins' ids and descriptions from ts_src/builtins.ts and the
// plugin objects it lists, with the TypeScript compiler (no code runs), so the build
// can write builtins.json from the one place plugins are declared.
import ts from 'typescript';

/** Strip `x as T`, `x satisfies T` and parentheses. */
function unwrap(node) {
  while (node && (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node))) {
    node = node.expression;
  }
  return node;
}

/**
 * The string a node evaluates to at compile time: a literal, a `const` of literal type,
 * or a typed id (`const THEME = token<ThemeManager>('@jlab-alt/theme:plugin')`, ts_src/tokens.ts).
 */
function stringOf(checker, node, where) {
  node = unwrap(node);
  if (ts.isStringLiteralLike(node)) return node.text;
  const type = checker.getTypeAtLocation(node);
  if (type.isStringLiteral()) return type.value;
  if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isIdentifier(node.expression) && node.expression.text === 'token') {
    return stringOf(checker, node.arguments[0], where);
  }
  if (ts.isIdentifier(node)) {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol?.valueDeclaration;
    if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) {
      return stringOf(checker, decl.initializer, where);
    }
  }
  throw new Error(`${where}: must be a string literal, a const string or a token('...'), not \`${node.getText()}\``);
}

/** The object literal a plugin constant is declared with (`export const p = definePlugin({...})` or `: AppPlugin = {...}`). */
function pluginObject(checker, identifier) {
  let symbol = checker.getSymbolAtLocation(identifier);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  let init = unwrap(decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined);
  // `definePlugin({...})` (ts_src/tokens.ts) returns its argument.
  if (init && ts.isCallExpression(init) && init.arguments.length === 1) init = unwrap(init.arguments[0]);
  if (!init || !ts.isObjectLiteralExpression(init)) {
    throw new Error(`builtins.ts: ${identifier.text} must be a const declared with an object literal or definePlugin({...})`);
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
