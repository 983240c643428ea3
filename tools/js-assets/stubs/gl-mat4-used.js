// gl-mat4's index requires its 40 functions; plotly.js's 2-D code (lib/dom.js, lib/matrix.js)
// calls two of them.
module.exports = {
    multiply: require('../node_modules/gl-mat4/multiply.js'),
    invert: require('../node_modules/gl-mat4/invert.js'),
};
