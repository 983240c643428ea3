// The plotly.js the dashboard draws with: the SVG map (choropleth, scattergeo on a `geo`
// subplot) and the trends (bar, scatter). Nothing else is registered.
'use strict';

var Plotly = require('./core-mali.js');

Plotly.register([
    require('plotly.js/lib/scatter'),
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/choropleth'),
    require('plotly.js/lib/scattergeo'),
]);

module.exports = Plotly;
