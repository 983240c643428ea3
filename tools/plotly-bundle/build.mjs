// Builds ../../assets/plotly-4.1.1-mali.min.js: plotly.js 4.1.1 (the version dcc.Graph ships)
// with only the traces of index.js, bundled and minified by esbuild the way plotly.js builds
// its own dist files (an IIFE that sets window.Plotly). `npm ci && npm run build`.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const version = JSON.parse(readFileSync('node_modules/plotly.js/package.json', 'utf8')).version;
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
    // Two libraries the dashboard's figures never reach, replaced by stubs (see stubs/).
    alias: {
        'd3-geo-projection': './stubs/no-extra-projections.js',
        'country-iso-search': './stubs/no-country-names.js',
    },
    logLevel: 'info',
});
const banner =
    `/* plotly.js v${version} (MIT, see PLOTLY-LICENSE.txt), partial bundle: scatter, bar,\n` +
    ` * choropleth, scattergeo. Built by tools/plotly-bundle (npm run build). */\n`;
writeFileSync(outfile, banner + result.outputFiles[0].text);
console.log(`wrote ${outfile}`);
