"""Boundary sets: the embedded default, the 2015 COD-AB test set, validation errors."""

from __future__ import annotations

import json
import zipfile

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.boundaries import BoundaryError, load_boundaries
from geo.default import MENAKA_UNIT
from tests.conftest import SHARED_BOUNDARIES, requires_shared_boundaries


def test_default_set_has_ten_regions_and_fifty_cercle_units(boundaries):
    assert len(boundaries.level(1)) == 10
    assert len(boundaries.level(2)) == 50
    assert set(boundaries.level(1)["unit_id"]) == {f"ML{n:02d}" for n in range(1, 11)}


def test_every_2021_cercle_code_has_a_map_unit(boundaries, gazetteer):
    cercles = gazetteer.cercles()
    assert len(cercles) == 53
    units = boundaries.assign_units(
        pd.Series([c.parent for c in cercles]), pd.Series([c.pcode for c in cercles]), 2
    )
    assert (units != "").all()
    menaka = units[[c.parent == "ML10" for c in cercles]]
    assert set(menaka) == {MENAKA_UNIT}


def test_menaka_is_one_unit_at_both_levels(boundaries):
    cercle_unit = boundaries.level(2).set_index("unit_id").loc[MENAKA_UNIT]
    region_unit = boundaries.level(1).set_index("unit_id").loc["ML10"]
    assert cercle_unit["adm1_pcode"] == "ML10" and cercle_unit["adm2_pcode"] == ""
    assert cercle_unit.geometry.equals(region_unit.geometry)
    whole_region_row = boundaries.assign_units(pd.Series(["ML10"]), pd.Series([""]), 2)
    assert whole_region_row.iloc[0] == MENAKA_UNIT


def test_regions_are_the_dissolve_of_their_cercles(boundaries):
    cercles = boundaries.level(2)
    for region in boundaries.level(1).itertuples():
        union = shapely.union_all(cercles.loc[cercles["parent_id"] == region.unit_id].geometry)
        assert shapely.symmetric_difference(union, region.geometry).area < 1e-9


def test_gao_region_excludes_menaka(boundaries):
    regions = boundaries.level(1).set_index("unit_id")
    assert regions.loc["ML07"].geometry.intersection(regions.loc["ML10"].geometry).area < 1e-9


@requires_shared_boundaries
def test_2015_cod_ab_set_loads_with_its_own_vintage(cod2015_boundaries):
    assert cod2015_boundaries.vintage == "cod2015"
    assert {level: len(frame) for level, frame in cod2015_boundaries.levels.items()} == {
        1: 9,
        2: 50,
        3: 701,
    }
    cercles = cod2015_boundaries.level(2).set_index("unit_id")
    assert cercles.loc["ML0101", "name"] == "Kayes"
    assert cercles.loc["ML0101", "adm2_pcode"] == "ML0103"  # Kayes in 2021 numbering
    assert (cercles.loc["ML0704", "adm1_pcode"], cercles.loc["ML0704", "adm2_pcode"]) == (
        "ML10",
        "",
    )


@requires_shared_boundaries
def test_single_cod_ab_file_with_other_column_spellings_loads(tmp_path):
    frame = gpd.read_file(SHARED_BOUNDARIES / "mli_adm2.geojson")
    renamed = frame[["admin2Pcod", "admin2Name", "admin1Pcod", "geometry"]].rename(
        columns={"admin2Pcod": "ADM2_PCODE", "admin2Name": "ADM2_FR", "admin1Pcod": "ADM1_PCODE"}
    )
    path = tmp_path / "mli_adm2.gpkg"
    renamed.to_file(path, driver="GPKG")
    loaded = load_boundaries(path)
    assert len(loaded.level(2)) == 50 and len(loaded.level(1)) == 9
    assert loaded.vintage == "cod2015"


@requires_shared_boundaries
def test_zipped_shapefile_loads(tmp_path):
    frame = gpd.read_file(SHARED_BOUNDARIES / "mli_adm1.geojson")
    shp_dir = tmp_path / "shp"
    shp_dir.mkdir()
    frame[["admin1Pcod", "admin1Name", "geometry"]].to_file(shp_dir / "mli_adm1.shp")
    archive = tmp_path / "mli_adm1.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in shp_dir.iterdir():
            zipped.write(part, part.name)
    loaded = load_boundaries(archive)
    assert sorted(loaded.level(1)["unit_id"]) == [f"ML0{n}" for n in range(1, 10)]


def _write_geojson(path, features):
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def _square(x, y, props):
    ring = [[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_duplicate_pcode_is_rejected_with_its_code(tmp_path):
    path = tmp_path / "adm1.geojson"
    _write_geojson(
        path,
        [
            _square(0, 14, {"ADM1_PCODE": "ML05", "ADM1_FR": "Mopti"}),
            _square(1, 14, {"ADM1_PCODE": "ML05", "ADM1_FR": "Mopti bis"}),
        ],
    )
    with pytest.raises(BoundaryError, match="ML05 appears more than once"):
        load_boundaries(path)


def test_orphan_cercle_is_rejected_with_its_parent(tmp_path):
    (tmp_path / "a1.geojson").write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": [_square(0, 14, {"ADM1_PCODE": "ML05"})]}
        )
    )
    _write_geojson(
        tmp_path / "a2.geojson",
        [_square(0, 14, {"ADM2_PCODE": "ML0501", "ADM2_FR": "X", "ADM1_PCODE": "ML09"})],
    )
    with pytest.raises(BoundaryError, match="ML0501 .* has parent ML09"):
        load_boundaries(tmp_path)


def test_file_without_pcode_column_is_rejected_naming_the_columns(tmp_path):
    path = tmp_path / "bad.geojson"
    _write_geojson(path, [_square(0, 14, {"nom": "Mopti"})])
    with pytest.raises(BoundaryError, match="no p-code column found.*nom"):
        load_boundaries(path)


def test_self_intersecting_polygon_is_repaired_and_reported(tmp_path):
    bowtie = {
        "type": "Feature",
        "properties": {"ADM1_PCODE": "ML05", "ADM1_FR": "Mopti"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[0, 14], [1, 15], [1, 14], [0, 15], [0, 14]]],
        },
    }
    path = tmp_path / "adm1.geojson"
    _write_geojson(path, [bowtie])
    loaded = load_boundaries(path)
    assert loaded.level(1).geometry.is_valid.all()
    assert any("ML05 geometry repaired" in w for w in loaded.warnings)
