// Builds the two scripts of ../../assets/ that come from npm (`npm ci && npm run build`):
// - plotly-<version>-mali.min.js: plotly.js 4.1.1 (the version dcc.Graph ships) with only the
//   traces of index.js, bundled and minified by esbuild the way plotly.js builds its own dist
//   files (an IIFE that sets window.Plotly), then by terser;
// - regenerator-runtime-<version>.min.js: the one part of Babel's polyfill (which the page no
//   longer links, see layouts/page_scripts.py) that Dash's renderer and dcc still call.
import { build } from 'esbuild';
import { minify } from 'terser';
import { readFileSync, writeFileSync } from 'node:fs';
import { offline } from './offline.mjs';

const versionOf = (name) =>
    JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')).version;
const version = versionOf('plotly.js');
const outfile = `../../assets/plotly-${version}-mali.min.js`;
// registry.js imports maplibre-gl's CSS for `map` subplots, which this bundle does not register:
// CSS imports become empty modules (plotly.js's own build inlines them).
const noCss = {
    name: 'no-css',
    setup(b) {
        b.onResolve({ filter: /\.css$/ }, (args) => ({ path: args.path, namespace: 'no-css' }));
        b.onLoad({ filter: /.*/, namespace: 'no-css' }, () => ({ contents: '', loader: 'js' }));
    },
};
const result = await build({
    entryPoints: ['index.js'],
    format: 'iife',
    globalName: 'Plotly',
    bundle: true,
    minify: true,
    write: false,
    legalComments: 'none',
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    target: 'es2016',
    plugins: [noCss],
    // Libraries the dashboard's figures never reach (or reach two functions of), replaced by the
    // stubs/ beside this file.
    alias: {
        'd3-geo-projection': './stubs/no-extra-projections.js',
        'country-iso-search': './stubs/no-country-names.js',
        'gl-mat4': './stubs/gl-mat4-used.js',
    },
    logLevel: 'info',
});
const banner =
    `/* plotly.js v${version} (MIT, see PLOTLY-LICENSE.txt), partial bundle: scatter, bar,\n` +
    ` * choropleth, scattergeo. Built by tools/plotly-bundle (npm run build). */\n`;
// terser, run over esbuild's output, takes another 22 KB (gzipped) off
const small = await minify(result.outputFiles[0].text, {
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
});
writeFileSync(outfile, banner + offline(small.code) + '\n');
console.log(`wrote ${outfile}`);

const runtimeVersion = versionOf('regenerator-runtime');
const runtimeFile = `../../assets/regenerator-runtime-${runtimeVersion}.min.js`;
const runtime = await minify(readFileSync('node_modules/regenerator-runtime/runtime.js', 'utf8'), {
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
});
writeFileSync(
    runtimeFile,
    `/* regenerator-runtime v${runtimeVersion} (MIT, see REGENERATOR-LICENSE.txt) */\n` +
        runtime.code +
        '\n',
);
console.log(`wrote ${runtimeFile}`);
