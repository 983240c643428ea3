// d3-geo-projection's 80 extra projections: the dashboard's maps are `mercator`, which plotly.js
// takes from d3-geo (plots/geo/geo.js looks a projection up in d3-geo first).
module.exports = {};
