"""Place resolution by p-code vintage, by name, by point, and what is reported."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from geo.gazetteer import load_gazetteer
from geo.resolve import PlaceResolver
from geo.vintage import detect_vintage
from tests.conftest import requires_shared_boundaries

# Other rows of a file written in the 2015 COD-AB numbering, and the same places in 2021's.
ROWS_2015 = [
    ("ML0102", "Bafoulabé"),
    ("ML0103", "Diéma"),
    ("ML0501", "Mopti"),
    ("ML0605", "Niafunké"),
]
ROWS_2021 = [("ML0102", "Diéma"), ("ML0103", "Kayes"), ("ML0506", "Mopti"), ("ML0604", "Niafunké")]


def _resolve_with(resolver, other_rows, code="ML0101"):
    frame = pd.DataFrame([(code, None), *other_rows], columns=["adm2_code", "adm2_name"])
    return resolver.resolve(frame)


def test_ml0101_is_kayes_in_a_2015_vintage_file(resolver):
    result = _resolve_with(resolver, ROWS_2015)
    assert result.vintage.vintage == "cod2015"
    assert result.rows.iloc[0].adm2_pcode == "ML0103"  # Kayes, in 2021 codes
    assert "Kayes" in result.rows.iloc[0].match_note


def test_ml0101_is_bafoulabe_in_a_2021_vintage_file(resolver):
    result = _resolve_with(resolver, ROWS_2021)
    assert result.vintage.vintage == "cod2021"
    assert result.rows.iloc[0].adm2_pcode == "ML0101"
    assert "Bafoulabé" in result.rows.iloc[0].match_note


def test_codes_without_names_assume_2021_and_say_so(resolver):
    result = resolver.resolve(pd.DataFrame({"adm2_code": ["ML0101", "ML0506"]}))
    assert result.vintage.vintage == "cod2021"
    assert "assumed" in result.vintage.explanation
    assert list(result.rows.adm2_pcode) == ["ML0101", "ML0506"]


def test_2021_only_codes_decide_the_vintage_without_names(gazetteer):
    guess = detect_vintage([("ML1002", None), ("ML0101", None)], gazetteer)
    assert guess.vintage == "cod2021"


def test_cod_ps_2018_menaka_code_is_the_whole_menaka_unit(resolver):
    frame = pd.DataFrame(
        [("ML0704", "Ménaka"), ("ML0506", "Mopti"), ("ML0101", "Bafoulabé")],
        columns=["adm2_code", "adm2_name"],
    )
    result = resolver.resolve(frame)
    assert result.vintage.vintage == "codps2018"
    menaka = result.rows.iloc[0]
    assert (menaka.adm1_pcode, menaka.adm2_pcode) == ("ML10", "")


def test_dtm_mli_prefixed_and_padded_codes_resolve(resolver):
    frame = pd.DataFrame(
        {
            "adm1_code": ["MLI05", " ML05 ", "MLI06"],
            "adm2_code": ["MLI0501", " ml-05-06 ", "MLI0604"],
            "adm2_name": ["Bandiagara", "Mopti", "Niafunke"],
        }
    )
    rows = resolver.resolve(frame).rows
    assert list(rows.adm2_pcode) == ["ML0501", "ML0506", "ML0604"]
    assert set(rows.match_method) == {"pcode"}


def test_code_and_name_that_disagree_are_reported_never_silent(resolver):
    # ML0501 is Bandiagara in 2021; a row naming it Douentza is a conflict within Mopti.
    frame = pd.DataFrame([("ML0501", "Douentza"), *ROWS_2021], columns=["adm2_code", "adm2_name"])
    row = resolver.resolve(frame).rows.iloc[0]
    assert "Bandiagara" in row.match_note and "Douentza" in row.match_note
    assert row.adm2_pcode == "ML0504" and row.match_method == "name"


def test_code_and_name_in_different_regions_stay_unresolved_with_both_candidates(resolver):
    frame = pd.DataFrame([("ML0501", "Kidal"), *ROWS_2021], columns=["adm2_code", "adm2_name"])
    row = resolver.resolve(frame).rows.iloc[0]
    assert row.match_method == "unresolved"
    assert "ML0501" in row.candidates and "ML0802" in row.candidates


def test_commune_code_resolves_through_its_cercle(resolver):
    rows = resolver.resolve(pd.DataFrame({"adm3_code": ["ML050601"]})).rows
    assert rows.iloc[0].adm2_pcode == "ML0506"


def test_menaka_cercles_keep_their_own_code(resolver):
    rows = resolver.resolve(pd.DataFrame({"adm2_code": ["ML1003", "ML1001"]})).rows
    assert list(rows.adm2_pcode) == ["ML1003", "ML1001"]
    assert set(rows.adm1_pcode) == {"ML10"}


def test_menaka_written_as_a_gao_cercle_is_the_whole_region(resolver):
    rows = resolver.resolve(pd.DataFrame({"adm1_name": ["Gao"], "adm2_name": ["Ménaka"]})).rows
    assert (rows.iloc[0].adm1_pcode, rows.iloc[0].adm2_pcode) == ("ML10", "")


def test_points_resolve_on_the_boundary_geometry(resolver, boundaries):
    cercles = boundaries.level(2)
    inside = shapely.point_on_surface(cercles.geometry.values)
    frame = pd.DataFrame({"latitude": [p.y for p in inside], "longitude": [p.x for p in inside]})
    rows = resolver.resolve(frame).rows
    assert (rows.match_method == "point").all()
    expected = boundaries.assign_units(rows.adm1_pcode, rows.adm2_pcode, 2)
    assert list(expected) == list(cercles.unit_id)


def test_swapped_and_outside_points_are_explained(resolver):
    frame = pd.DataFrame({"latitude": [-4.19, 48.85, 0.0], "longitude": [14.49, 2.35, 0.0]})
    rows = resolver.resolve(frame).rows
    assert rows.iloc[0].adm2_pcode == "ML0506" and "swapped" in rows.iloc[0].match_note
    assert rows.iloc[1].match_method == "unresolved" and "outside" in rows.iloc[1].unresolved_reason
    assert rows.iloc[2].match_method == "unresolved"  # 0,0 is a missing value, not a place


def test_a_clear_point_outranks_its_names_and_points_fill_unknown_cercles(resolver):
    frame = pd.DataFrame(
        {
            "adm1_name": ["Mopti", "Mopti"],
            "adm2_name": ["Bankass", "Somewhere"],
            "latitude": [14.49, 14.49],  # Mopti town, 13 km inside Mopti cercle
            "longitude": [-4.19, -4.19],
        }
    )
    rows = resolver.resolve(frame).rows
    assert list(rows.match_method) == ["point", "point"]
    assert list(rows.adm2_pcode) == ["ML0506", "ML0506"]
    assert "Bankass (ML0502)" in rows.iloc[0].match_conflict
    assert "the coordinates decide" in rows.iloc[0].match_conflict
    assert rows.iloc[1].match_conflict == "" and rows.iloc[1].unresolved_reason == ""


def test_a_point_near_the_boundary_or_coarse_leaves_the_names_in_charge(resolver):
    frame = pd.DataFrame(
        {
            "adm1_name": ["Mopti", "Mopti", "Mopti"],
            "adm2_name": ["Bankass", "Bankass", "Djenné"],
            "latitude": [14.49, 14.5, 14.49],
            "longitude": [-4.19, -4.2, -4.19],
            "precision": ["(2) 25 km Precision ", "", "2"],  # SiND, rounded to 0.1°, ACLED
        }
    )
    rows = resolver.resolve(frame).rows
    assert list(rows.match_method) == ["name", "name", "name"]
    assert list(rows.adm2_pcode) == ["ML0502", "ML0502", "ML0503"]
    assert all("the names decide" in c for c in rows.match_conflict)
    assert list(rows.precision) == ["25km", "", "25km"]


def test_unresolved_rows_are_kept_in_place(resolver):
    frame = pd.DataFrame({"adm2_name": ["Bourem", "Nowhere", "Kati"]}, index=[10, 11, 12])
    rows = resolver.resolve(frame).rows
    assert list(rows.index) == [10, 11, 12]
    assert list(rows.match_method) == ["name", "unresolved", "name"]


@requires_shared_boundaries
def test_points_on_the_2015_set_translate_to_2021_codes(cod2015_boundaries, boundaries):
    resolver = PlaceResolver(load_gazetteer(), cod2015_boundaries)
    communes = cod2015_boundaries.level(3)
    sample = communes.iloc[::50]
    inside = shapely.point_on_surface(sample.geometry.values)
    frame = pd.DataFrame({"latitude": [p.y for p in inside], "longitude": [p.x for p in inside]})
    rows = resolver.resolve(frame).rows
    assert (rows.match_method == "point").all()
    assert list(rows.adm2_pcode) == list(sample.adm2_pcode)
    kayes = communes[communes.unit_id.str.startswith("ML0101")].iloc[0]
    point = kayes.geometry.representative_point()
    row = resolver.resolve(pd.DataFrame({"latitude": [point.y], "longitude": [point.x]})).rows
    assert row.iloc[0].adm2_pcode == "ML0103"  # 2015 ML0101 Kayes is 2021 ML0103


def test_many_rows_with_few_distinct_names_resolve(resolver):
    names = np.array(["Bourem", "Kati", "Niafunke", "Bandiagra"])
    frame = pd.DataFrame({"adm2_name": names[np.arange(200_000) % 4]})
    rows = resolver.resolve(frame).rows
    assert (rows.adm2_pcode != "").all()


@requires_shared_boundaries
def test_commune_set_gives_each_point_its_commune_and_cubes_a_commune_level(cod2015_boundaries):
    from analysis.cubes import build_cubes
    from data.schemas import SCHEMAS, conform

    resolver = PlaceResolver(load_gazetteer(), cod2015_boundaries)
    communes = cod2015_boundaries.level(3).iloc[[0, 100, 400]]
    inside = shapely.point_on_surface(communes.geometry.values)
    frame = pd.DataFrame(
        {
            "adm1_name": [None, None, "Nowhere"],
            "adm2_name": [None, None, None],
            "latitude": [p.y for p in inside],
            "longitude": [p.x for p in inside],
        }
    )
    rows = resolver.resolve(frame).rows
    assert list(rows.adm3_pcode[:2]) == list(communes.unit_id[:2])

    named = pd.DataFrame(
        {"adm2_name": ["Mopti", "Mopti"], "latitude": [14.49, 16.27], "longitude": [-4.19, -0.04]}
    )
    placed = resolver.resolve(named).rows
    assert placed.adm2_pcode.tolist() == ["ML0506", "ML0703"]
    assert placed.adm3_pcode[0].startswith("ML0501")  # 2015 Mopti cercle's commune
    assert placed.adm3_pcode[1].startswith("ML0701")  # 2015 Gao cercle, 42 km inside
    assert "names/codes say Mopti" in placed.match_conflict[1]

    incidents = rows.assign(date=pd.Timestamp("2019-03-01"), category="pm_life", events=1)
    cubes = build_cubes({"incidents": conform(incidents, SCHEMAS["incidents"])}, cod2015_boundaries)
    assert sorted(cubes.units) == [1, 2, 3]
    assert set(communes.unit_id[:2]) <= set(cubes.incidents["unit3"])


def test_all_53_cercle_codes_of_2021_resolve_to_themselves(resolver, gazetteer):
    cercles = gazetteer.cercles()
    frame = pd.DataFrame(
        {"adm2_code": [c.pcode for c in cercles], "adm2_name": [c.name for c in cercles]}
    )
    result = resolver.resolve(frame)
    assert result.vintage.vintage == "cod2021"
    assert list(result.rows.adm2_pcode) == [c.pcode for c in cercles]
    assert set(result.rows.match_method) == {"pcode"}


def test_2023_reform_regions_are_placed_in_their_2021_region(resolver):
    frame = pd.DataFrame(
        {
            "adm1_name": ["Bandiagara", "Taoudéni", "Nioro", "Douentza"],
            "adm2_name": [None, None, None, "Douentza"],
        }
    )
    rows = resolver.resolve(frame).rows
    assert list(rows.adm1_pcode) == ["ML05", "ML06", "ML01", "ML05"]
    assert list(rows.adm2_pcode) == ["", "", "", "ML0504"]
    assert "2023 région 'Bandiagara' lies in Mopti" in rows.match_note[0]


def test_declared_precision_caps_what_a_point_says(resolver):
    frame = pd.DataFrame(
        {
            "latitude": [13.4, 17.57, 14.35],
            "longitude": [-6.3, -3.99, -3.61],
            "precision": ["(4) Province, State, Governorate ", "(6) Country", "3"],
        }
    )
    rows = resolver.resolve(frame).rows
    assert (rows.adm1_pcode[0], rows.adm2_pcode[0]) == ("ML04", "")
    assert rows.match_note[0] == "point in Ségou (precision region: région only)"
    # the country's centroid lies in Goundam: nothing is placed, and the reason says why
    assert (rows.adm1_pcode[1], rows.match_method[1]) == ("", "unresolved")
    assert "whole country" in rows.unresolved_reason[1]
    assert (rows.adm1_pcode[2], rows.adm2_pcode[2]) == ("ML05", "")  # ACLED 3: région only
