/* PNG of a map as a document: the map with its title (scope and period), its keys, the source
   line and, for demo data, the demo mark, drawn by plotly.js in the browser from the figure on
   screen (its layout.meta is set by the server). Nothing leaves the machine. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    maps: {
        png: function (clicks, graphId, filename) {
            if (!clicks) {
                return window.dash_clientside.no_update;
            }
            const gd = document.querySelector('#' + graphId + ' .js-plotly-plot');
            if (!gd || !gd.layout || !window.Plotly) {
                return window.dash_clientside.no_update;
            }
            const meta = gd.layout.meta || {};
            const dark = gd.layout.paper_bgcolor === '#111111';
            const ink = dark ? '#f5f5f5' : '#1a1a1a';
            const note = (text, y, size, anchor) => ({
                text: text, xref: 'paper', yref: 'paper', x: 0, y: y, xanchor: 'left',
                yanchor: anchor, showarrow: false, align: 'left',
                font: {size: size, color: ink},
            });
            const annotations = (gd.layout.annotations || []).slice();
            annotations.push(note('<b>' + (meta.title || '') + '</b>', 1.0, 22, 'bottom'));
            annotations.push(note(meta.source || '', -0.02, 12, 'top'));
            if (meta.demo) {
                const mark = note(meta.demo, 1.0, 15, 'bottom');
                mark.x = 1; mark.xanchor = 'right'; mark.font.color = '#b45309';
                mark.y = 1.045;
                annotations.push(mark);
            }
            const layout = Object.assign({}, gd.layout, {
                annotations: annotations,
                margin: {l: 20, r: 20, t: 90, b: 60},
                width: 1600,
                height: 1100,
            });
            // place names a little larger on paper than on screen
            const data = gd.data.map((trace) => trace.type === 'scattergeo'
                ? Object.assign({}, trace, {textfont: Object.assign({}, trace.textfont, {size: 16})})
                : trace);
            Plotly.downloadImage(
                {data: data, layout: layout, config: {topojsonURL: '/assets/topojson/'}},
                {format: 'png', filename: filename, width: 1600, height: 1100}
            );
            return window.dash_clientside.no_update;
        }
    }
});
