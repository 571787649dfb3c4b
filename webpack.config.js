// Builds ts_src/ into py_src/jlab_alt/static/ as ES modules with content-hashed names,
// plus manifest.json, which tells the server which files the page must load first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import webpack from 'webpack';
import { BuiltinsPlugin } from './scripts/builtins-meta.mjs';
import { VERSION } from './scripts/version.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, 'py_src', 'jlab_alt', 'static');

/**
 * Packages that exist once at runtime, for the app and every extension: each is its
 * own ES module (an entry), named in the page's import map, and every other module
 * imports it as an external. CodeMirror breaks with two copies of its packages.
 * 'jlab-alt' is the public helper module for extension authors (ts_src/api).
 */
const SHARED = {
  'jlab-alt': './ts_src/api/index.ts',
  '@codemirror/state': '@codemirror/state',
  '@codemirror/view': '@codemirror/view',
  '@codemirror/language': '@codemirror/language',
  '@codemirror/commands': '@codemirror/commands',
  '@codemirror/autocomplete': '@codemirror/autocomplete',
  '@codemirror/search': '@codemirror/search',
  '@codemirror/lang-python': '@codemirror/lang-python',
  '@lezer/common': '@lezer/common',
  '@lezer/highlight': '@lezer/highlight',
  '@lezer/lr': '@lezer/lr',
  '@lezer/python': '@lezer/python',
  'style-mod': 'style-mod',
  'w3c-keyname': 'w3c-keyname',
  crelt: 'crelt',
  '@marijn/find-cluster-break': '@marijn/find-cluster-break'
};

/** The webpack entry name of a shared package: "shared/codemirror-state". */
const entryName = (spec) => 'shared/' + spec.replace(/^@/, '').replace(/[/]/g, '-');

/** Imports of a shared package become externals, except the entry that builds it. */
function sharedExternals({ request, contextInfo }, callback) {
  if (Object.hasOwn(SHARED, request) && contextInfo.issuer !== '') {
    return callback(null, request);
  }
  return callback();
}

/** Writes manifest.json: the entry's initial JS/CSS files and the import map. */
class ManifestPlugin {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('ManifestPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'ManifestPlugin', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT },
        () => {
          const main = compilation.entrypoints.get('main');
          const entryChunk = main.getEntrypointChunk();
          const js = [];
          const css = [];
          for (const chunk of main.chunks) {
            for (const file of chunk.files) {
              if (file.endsWith('.css')) css.push(file);
              else if (file.endsWith('.js') && chunk !== entryChunk) js.push(file);
            }
          }
          const entry = [...entryChunk.files].filter((f) => f.endsWith('.js'));
          const importMap = {};
          for (const spec of Object.keys(SHARED)) {
            const ep = compilation.entrypoints.get(entryName(spec));
            const file = [...ep.getEntrypointChunk().files].find((f) => f.endsWith('.js'));
            importMap[spec] = file;
          }
          const manifest = { entry_js: entry, preload_js: js, css, import_map: importMap };
          compilation.emitAsset(
            'manifest.json',
            new compiler.webpack.sources.RawSource(JSON.stringify(manifest, null, 2) + '\n')
          );
        }
      );
    });
  }
}

/** Copies files, unhashed, next to the bundles (the favicon, named by the page). */
class CopyPlugin {
  constructor(files) {
    this.files = files;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('CopyPlugin', (compilation) => {
      compilation.hooks.processAssets.tap('CopyPlugin', () => {
        for (const file of this.files) {
          compilation.fileDependencies.add(file);
          const data = fs.readFileSync(file);
          compilation.emitAsset(path.basename(file), new compiler.webpack.sources.RawSource(data));
        }
      });
    });
  }
}

/**
 * Emits `schemas.json`: `{plugin id: JSON Schema}` merged from each `ts_src/<feature>/schema.json`
 * (a file holds `{plugin id: schema}` for the plugins of its folder). The server serves these as the
 * built-in plugins' settings schemas, so a schema lives beside the `plugin.ts` that reads it.
 */
class SchemasPlugin {
  constructor(root) {
    this.root = root;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('SchemasPlugin', (compilation) => {
      compilation.hooks.processAssets.tap('SchemasPlugin', () => {
        const merged = {};
        for (const dir of fs.readdirSync(this.root).sort()) {
          const file = path.join(this.root, dir, 'schema.json');
          if (!fs.existsSync(file)) continue;
          compilation.fileDependencies.add(file);
          for (const [id, schema] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf-8')))) {
            if (merged[id]) throw new Error(`${file}: the schema of ${id} is declared twice`);
            merged[id] = schema;
          }
        }
        compilation.emitAsset('schemas.json', new compiler.webpack.sources.RawSource(JSON.stringify(merged, null, 1)));
      });
    });
  }
}

export default (env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    entry: {
      main: './ts_src/index.ts',
      ...Object.fromEntries(
        Object.entries(SHARED).map(([spec, source]) => [entryName(spec), { import: source, library: { type: 'module' } }])
      )
    },
    externalsType: 'module',
    externals: [sharedExternals],
    experiments: { outputModule: true },
    output: {
      path: outDir,
      filename: '[name].[contenthash:12].js',
      chunkFilename: '[name].[contenthash:12].js',
      assetModuleFilename: 'assets/[name].[contenthash:12][ext]',
      module: true,
      chunkFormat: 'module',
      chunkLoading: 'import',
      publicPath: 'auto',
      clean: true
    },
    resolve: {
      extensions: ['.ts', '.js'],
      // The widget manager's only use of sanitize-html (HTML widget descriptions) is
      // served by DOMPurify, which the app has already: ~150 KB less in the widget chunk.
      alias: { 'sanitize-html$': path.join(here, 'ts_src', 'widgets', 'sanitize-html-shim.ts') }
    },
    module: {
      rules: [
        { test: /\.ts$/, loader: 'esbuild-loader', options: { loader: 'ts', target: 'es2022' } },
        { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
        { test: /\.(svg|png|woff2?|ttf)$/, type: 'asset/resource' }
      ]
    },
    plugins: [
      new webpack.DefinePlugin({ __JLAB_ALT_VERSION__: JSON.stringify(VERSION) }),
      new MiniCssExtractPlugin({
        filename: '[name].[contenthash:12].css',
        chunkFilename: '[name].[contenthash:12].css'
      }),
      new ManifestPlugin(),
      new CopyPlugin([path.join(here, 'ts_src', 'style', 'favicon.svg')]),
      // builtins.json (ids and descriptions of the built-in plugins) read from ts_src/builtins.ts
      new BuiltinsPlugin(path.join(here, 'ts_src', 'builtins.ts'), path.join(here, 'tsconfig.json')),
      // settings: every ts_src/<feature>/schema.json merged into schemas.json, read by builtin_plugin.py
      new SchemasPlugin(path.join(here, 'ts_src'))
    ],
    optimization: {
      splitChunks: { chunks: 'async' }
    },
    // No eval-based maps: the page's Content-Security-Policy forbids eval.
    devtool: 'source-map',
    performance: { hints: false },
    stats: 'errors-warnings'
  };
};
