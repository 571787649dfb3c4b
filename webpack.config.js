// Builds ts_src/ into py_src/jlab_alt/static/ as ES modules with content-hashed names,
// plus manifest.json, which tells the server which files the page must load first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
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

/**
 * Copies files, unhashed, next to the bundles: a path keeps its name (the favicon, named by the
 * page); a `[path, name]` pair is written as `name` (a font's licence beside the font).
 */
class CopyPlugin {
  constructor(files) {
    this.files = files;
  }
  apply(compiler) {
    compiler.hooks.thisCompilation.tap('CopyPlugin', (compilation) => {
      compilation.hooks.processAssets.tap('CopyPlugin', () => {
        for (const entry of this.files) {
          const [file, name] = Array.isArray(entry) ? entry : [entry, path.basename(entry)];
          compilation.fileDependencies.add(file);
          const data = fs.readFileSync(file);
          compilation.emitAsset(name, new compiler.webpack.sources.RawSource(data));
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

/** Text formats worth compressing; fonts (woff/woff2), images and the like are compressed already. */
const COMPRESSIBLE = /\.(js|mjs|css|json|svg|map|txt|html|ttf)$/;
/** Below this a compressed copy saves less than its own headers. */
const COMPRESS_MIN_BYTES = 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Writes `<file>.br` (brotli) and `<file>.gz` (gzip) beside every compressible asset, made once at
 * build time; `handlers/static.py` picks one by `Accept-Encoding`. A copy is kept only when smaller
 * than its file. Each copy is given its file's mtime after emit: the server serves a copy only when
 * it is not older than its file (so a stale one left beside a rebuilt file is never sent).
 */
class CompressPlugin {
  apply(compiler) {
    const made = new Map(); // compressed name -> original name
    compiler.hooks.thisCompilation.tap('CompressPlugin', (compilation) => {
      compilation.hooks.processAssets.tapPromise(
        // After everything else (minified, hashed, source maps, manifest.json).
        { name: 'CompressPlugin', stage: compiler.webpack.Compilation.PROCESS_ASSETS_STAGE_REPORT + 1 },
        async (assets) => {
          made.clear();
          const jobs = [];
          for (const name of Object.keys(assets)) {
            if (!COMPRESSIBLE.test(name)) continue;
            const data = compilation.getAsset(name).source.buffer();
            if (data.length < COMPRESS_MIN_BYTES) continue;
            // Source maps are big and rarely fetched: a quicker brotli level for them.
            const quality = name.endsWith('.map') ? 6 : zlib.constants.BROTLI_MAX_QUALITY;
            const variants = [
              ['.br', () => brotli(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: quality, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } })],
              ['.gz', () => gzip(data, { level: 9 })]
            ];
            for (const [ext, run] of variants) {
              jobs.push(
                run().then((out) => {
                  if (out.length >= data.length) return;
                  compilation.emitAsset(name + ext, new compiler.webpack.sources.RawSource(out), { compressed: true });
                  made.set(name + ext, name);
                })
              );
            }
          }
          await Promise.all(jobs);
        }
      );
    });
    compiler.hooks.afterEmit.tap('CompressPlugin', () => {
      for (const [copy, original] of made) {
        // utimes takes milliseconds: the file gets the same (truncated) time as its copies.
        const file = path.join(compiler.outputPath, original);
        const { atime, mtime } = fs.statSync(file);
        fs.utimesSync(file, atime, mtime);
        fs.utimesSync(path.join(compiler.outputPath, copy), atime, mtime);
      }
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
    // perf: the code is ES2022 already (esbuild-loader's target); telling webpack lets its
    // runtime and the minifier use arrow functions, const and the like (a smaller first load).
    target: ['web', 'es2022'],
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
        // perf: dockview's modules only declare things, but its package.json does not say so;
        // saying it lets webpack drop the ones the app never imports (the paneview, splitview
        // and gridview components: ~30 KB of the first load).
        { test: /[\\/]node_modules[\\/]dockview-core[\\/]dist[\\/]esm[\\/].*\.js$/, sideEffects: false },
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
      // perf: @jupyterlab/services' modules import its index (`require("..")`), which pulls every
      // manager into the first load; they use only what lab-services-root.ts re-exports.
      new webpack.NormalModuleReplacementPlugin(/^\.\.$/, (resource) => {
        if (/[\\/]@jupyterlab[\\/]services[\\/]lib[\\/][a-z]+$/.test(resource.context)) {
          resource.request = path.join(here, 'ts_src', 'services', 'lab-services-root.ts');
        }
      }),
      new CopyPlugin([
        path.join(here, 'ts_src', 'style', 'favicon.svg'),
        // The SIL Open Font License asks for its text beside the font (assets/stix-two-math-*.woff2).
        [path.join(here, 'node_modules', '@fontsource', 'stix-two-math', 'LICENSE'), 'assets/stix-two-math.LICENSE.txt']
      ]),
      // builtins.json (ids and descriptions of the built-in plugins) read from ts_src/builtins.ts
      new BuiltinsPlugin(path.join(here, 'ts_src', 'builtins.ts'), path.join(here, 'tsconfig.json')),
      // settings: every ts_src/<feature>/schema.json merged into schemas.json, read by builtin_plugin.py
      new SchemasPlugin(path.join(here, 'ts_src')),
      // perf: .br and .gz beside each text asset, served by Accept-Encoding (handlers/static.py)
      ...(production ? [new CompressPlugin()] : [])
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
