// The dashboard works with no internet: plotly.js's two defaults that point at plotly's servers
// are replaced in the built bundle, so nothing can fetch from them even where a figure's config
// forgets to override them (the dashboard's config sets both too, layouts/overview.py).
// - topojsonURL: the geo maps' base layers, fetched from cdn.plot.ly by default; ours is an
//   empty local topology;
// - plotlyServerURL: where the "edit in Chart Studio" button sends the data; empty disables it.
const DEFAULTS = [
    ['"https://cdn.plot.ly/un/"', '"/assets/topojson/"'],
    ['"https://cloud.plotly.com/newchart"', '""'],
];

export function offline(code) {
    let out = code;
    for (const [online, local] of DEFAULTS) {
        if (!out.includes(online)) throw new Error(`plotly.js default ${online} not found`);
        out = out.split(online).join(local);
    }
    return out;
}
