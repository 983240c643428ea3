"""Display geometry: simplified once, shared borders kept, ids = unit ids, coordinates rounded."""

from __future__ import annotations

import json

import shapely
import shapely.geometry

from geo.display import display_geojson, display_level, view_for_bounds


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


def test_view_for_region_zooms_closer_than_country(boundaries):
    level = display_level(boundaries, 2)
    _, country_zoom = view_for_bounds(level.bounds())
    mopti = [u for u, e in level.extents.items() if e.parent_id == "ML05"]
    centre, region_zoom = view_for_bounds(level.bounds(mopti))
    assert region_zoom > country_zoom
    assert -6 < centre["lon"] < -1 and 13 < centre["lat"] < 17
