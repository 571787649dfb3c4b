// Builds ts_src/ into py_src/jlab_alt/static/ as ES modules with content-hashed names,
// plus manifest.json, which tells the server which files the page must load first.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = path.join(here, 'py_src', 'jlab_alt', 'static');

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
          const manifest = { entry_js: entry, preload_js: js, css, import_map: {} };
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

export default (env, argv) => {
  const production = argv.mode !== 'development';
  return {
    mode: production ? 'production' : 'development',
    entry: { main: './ts_src/index.ts' },
    experiments: { outputModule: true },
    output: {
      path: outDir,
      filename: '[name].[contenthash:12].js',
      chunkFilename: '[name].[contenthash:12].js',
      assetModuleFilename: '[name].[contenthash:12][ext]',
      module: true,
      chunkFormat: 'module',
      chunkLoading: 'import',
      publicPath: 'auto',
      clean: true
    },
    resolve: { extensions: ['.ts', '.js'] },
    module: {
      rules: [
        { test: /\.ts$/, loader: 'esbuild-loader', options: { loader: 'ts', target: 'es2022' } },
        { test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] },
        { test: /\.(svg|png|woff2?)$/, type: 'asset/resource' }
      ]
    },
    plugins: [
      new MiniCssExtractPlugin({
        filename: '[name].[contenthash:12].css',
        chunkFilename: '[name].[contenthash:12].css'
      }),
      new ManifestPlugin(),
      new CopyPlugin([path.join(here, 'ts_src', 'style', 'favicon.svg')])
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
