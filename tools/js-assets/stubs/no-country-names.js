// country-iso-search's table of country names, for `locationmode: "country names"`: the
// dashboard's maps place their units by GeoJSON feature id and never look a country name up.
module.exports = {
    COUNTRIES: [],
    createLookup: () => ({ lookupAlpha3: () => undefined }),
};
