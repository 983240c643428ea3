"""Display geometry: simplified once, shared borders kept, ids = unit ids, coordinates rounded."""

from __future__ import annotations

import json

import shapely
import shapely.geometry

from geo.display import display_geojson, display_level


def _shapes(geojson):
    return [shapely.geometry.shape(f["geometry"]) for f in geojson["features"]]


def test_feature_ids_are_unit_ids_with_names(boundaries):
    for level in (1, 2):
        geojson = display_geojson(boundaries, level)
        frame = boundaries.level(level)
        assert [f["id"] for f in geojson["features"]] == list(frame["unit_id"])
        assert [f["properties"]["name"] for f in geojson["features"]] == list(frame["name"])
    assert "ML1001-ML1004" in display_level(boundaries, 2).unit_ids


def test_display_geometry_is_much_smaller_than_full_resolution(boundaries):
    full = sum(shapely.get_num_coordinates(boundaries.level(2).geometry.values))
    simple = sum(shapely.get_num_coordinates(_shapes(display_geojson(boundaries, 2))))
    assert simple < full / 2
    assert len(json.dumps(display_geojson(boundaries, 2))) < 250_000


def test_simplified_cercles_keep_shared_borders_no_gaps_or_overlaps(boundaries):
    shapes = _shapes(display_geojson(boundaries, 2))
    assert all(s.is_valid for s in shapes)
    union = shapely.union_all(shapes)
    assert union.geom_type == "Polygon"  # one country, no slivers between neighbours
    overlap = sum(s.area for s in shapes) - union.area
    assert abs(overlap) < 1e-6 * union.area


def test_coordinates_are_rounded_to_three_decimals(boundaries):
    coords = shapely.get_coordinates(_shapes(display_geojson(boundaries, 1)))
    assert (abs(coords * 1000 - (coords * 1000).round()) < 1e-6).all()


def test_display_level_is_computed_once(boundaries):
    assert display_level(boundaries, 2) is display_level(boundaries, 2)


def test_labels_never_overlap_and_a_region_names_all_its_cercles(boundaries):
    from geo.labels import CHAR_WIDTH, place_labels

    level = display_level(boundaries, 2)
    names = {u: e.name for u, e in level.extents.items()}
    country = place_labels(list(level.extents.values()), names)
    assert 15 <= len(country) < len(level.extents)  # the crowded south cannot name them all
    mopti = [e for e in level.extents.values() if e.parent_id == "ML05"]
    assert len(place_labels(mopti, names)) == len(mopti)
    assert place_labels([], names) == [] and CHAR_WIDTH > 0
