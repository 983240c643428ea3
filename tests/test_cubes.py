"""Cubes: canonical codes become map units, Ménaka rows roll into one unit, sums are right."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.cubes import build_cubes
from geo.default import MENAKA_UNIT
from tests.canonical_tables import tables


@pytest.fixture(scope="module")
def cubes(boundaries):
    return build_cubes(tables(), boundaries)


def test_menaka_cercle_and_region_rows_roll_into_one_unit_at_both_levels(cubes):
    menaka = cubes.incidents[cubes.incidents["category"] == "pm_property"]
    assert set(menaka["unit1"]) == {"ML10"}
    assert set(menaka["unit2"]) == {MENAKA_UNIT}
    assert menaka["events"].sum() == 3  # ML1003 (1) + whole région (2)


def test_region_level_row_has_no_cercle_unit(cubes):
    rows = cubes.incidents[(cubes.incidents["unit1"] == "ML05") & (cubes.incidents["unit2"] == "")]
    assert rows["events"].sum() == 4


def test_unresolved_row_keeps_empty_units(cubes):
    rows = cubes.incidents[cubes.incidents["unit1"] == ""]
    assert rows["events"].sum() == 1 and set(rows["unit2"]) == {""}


def test_incident_cube_months_sector_and_sensitivity(cubes):
    inc = cubes.incidents
    assert set(inc.columns) >= {
        "unit1",
        "unit2",
        "month",
        "category",
        "sector",
        "sensitive",
        "events",
        "victims",
        "fatalities",
    }
    eo = inc[inc["category"] == "explosive_ordnance"].iloc[0]
    assert eo["month"] == pd.Timestamp("2018-12-01")
    assert eo["sector"] == "PRO-MIN" and eo["fatalities"] == 2 and eo["victims"] == 3
    gbv = inc[inc["category"] == "pm_gbv"].iloc[0]
    assert bool(gbv["sensitive"]) and gbv["sector"] == "PRO-GBV"
    # flagged by its reader, although the category itself is not sensitive
    civ = inc[inc["category"] == "conflict_violence_civilians"].iloc[0]
    assert bool(civ["sensitive"])
    life = inc[(inc["category"] == "pm_life") & (inc["unit2"] == "ML0501")].iloc[0]
    assert not bool(life["sensitive"])


def test_access_cube_sums_events_and_keeps_max_severity(cubes):
    acc = cubes.access
    vh = acc[acc["constraint_type"] == "violence_humanitarians"]
    assert len(vh) == 1 and vh["events"].iloc[0] == 2 and vh["severity"].iloc[0] == 4.0
    mr = acc[acc["constraint_type"] == "movement_restriction"].iloc[0]
    assert mr["unit2"] == MENAKA_UNIT and mr["events"] == 3 and pd.isna(mr["severity"])


def test_displacement_cube_keeps_places_and_dates(cubes):
    d = cubes.displacement
    menaka = d[d["unit2"] == MENAKA_UNIT]
    assert set(menaka["place"]) == {"ML1001", "ML1003", "ML10"}
    assert menaka["idps"].sum() == 55


def test_services_cube_counts_distinct_active_partners(cubes):
    s = cubes.services.set_index(["unit2", "sector"])
    assert s.loc[("ML0501", "PRO"), "partners"] == 3  # A, B, E (unknown status counts)
    assert s.loc[(MENAKA_UNIT, "PRO"), "partners"] == 1  # C in two Ménaka cercles: once
    assert s.loc[(MENAKA_UNIT, "PRO"), "services"] == 2
    assert ("ML0502", "PRO-CPN") not in s.index  # completed project is not presence


def test_population_cube_puts_menaka_region_in_menaka_unit(cubes):
    p = cubes.population.set_index(["unit1", "unit2"])["population"]
    assert p[("ML10", MENAKA_UNIT)] == 20_000
    assert p[("ML05", "ML0501")] == 100_000


def test_missing_streams_give_empty_cubes(boundaries):
    cubes = build_cubes({"incidents": tables()["incidents"]}, boundaries)
    assert cubes.displacement.empty and cubes.services.empty and cubes.population.empty
    assert cubes.incidents["events"].sum() == 13  # all nine rows, incl. unresolved


def test_queries_on_empty_cubes_return_unit_indexed_results(boundaries):
    from analysis import queries as q

    cubes = build_cubes({}, boundaries)
    assert (q.incident_totals(cubes, 2) == 0).all() and len(q.incident_totals(cubes, 2)) == 50
    assert q.displacement_at(cubes, 1, "2019-09-30")["idps"].isna().all()
    assert q.displacement_series(cubes).empty
    assert (q.partners_present(cubes, 1, "PRO") == 0).all()
    assert q.population(cubes, 1).isna().all()
    assert q.incidents_by_month(cubes).empty


def test_key_columns_are_categorical_not_strings(cubes):
    for column in ("unit1", "unit2", "category", "sector"):
        assert isinstance(cubes.incidents[column].dtype, pd.CategoricalDtype), column
    for column in ("unit1", "unit2", "constraint_type"):
        assert isinstance(cubes.access[column].dtype, pd.CategoricalDtype), column


def test_dense_incident_arrays_hold_the_cube_sums(cubes):
    inc = cubes.incidents
    for level in (1, 2):
        dense = cubes.incident_arrays[level]
        assert dense.values.shape == (
            len(cubes.units[level]),
            len(dense.months),
            len(dense.keys),
            3,
        )
        assert list(dense.units) == list(cubes.units[level]) and dense.complete
        assert dense.months[0] == inc["month"].min() and dense.months[-1] == inc["month"].max()
        placed = inc[inc[f"unit{level}"] != ""]
        for m, measure in enumerate(dense.measures):
            assert dense.values[..., m].sum() == placed[measure].sum()
        assert (dense.cumulative[:, -1] == dense.values.sum(axis=1)).all()
    ml05 = cubes.incident_arrays[1]
    at = (
        list(ml05.units).index("ML05"),
        list(ml05.months).index(pd.Timestamp("2019-01-01")),
        list(ml05.keys).index("pm_life"),
    )
    assert ml05.values[at][0] == 5  # pm_life events of ML05 in January 2019 (hand count)


def test_dense_access_arrays_keep_max_severity(cubes):
    dense = cubes.access_arrays[1]
    severity = dense.maxima["severity"]
    assert np.nanmax(severity) == 4.0
    assert dense.values.sum() == cubes.access.loc[cubes.access["unit1"] != "", "events"].sum()


def test_incident_cube_equals_a_plain_groupby_of_the_rows(boundaries):
    """The incident cube is summed over one combined integer key per row: it must be the
    plain pandas group-by of the rows (same groups, order, dtypes and sums), whatever the
    rows (undated, unknown codes and categories, missing counts, flags)."""
    from analysis import cubes as c
    from data.vocab import CATEGORY_BY_CODE

    rng = np.random.default_rng(11)
    n = 3000
    level2 = boundaries.level(2)
    adm1 = np.append(level2["adm1_pcode"].unique(), ["ML99", None])
    adm2 = np.append(level2["adm2_pcode"].unique(), ["", None, "ML9999"])
    codes = [*list(CATEGORY_BY_CODE)[:12], "not_a_category", None]
    dates = pd.to_datetime("2018-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    table = pd.DataFrame(
        {
            "adm1_pcode": pd.array(rng.choice(adm1, n), dtype="string"),
            "adm2_pcode": pd.array(rng.choice(adm2, n), dtype="string"),
            "date": dates.where(rng.random(n) > 0.05),
            "category": pd.array(rng.choice(np.array(codes, dtype=object), n), dtype="string"),
            "sensitive": pd.array(rng.choice([True, False, None], n), dtype="boolean"),
            "events": pd.array(rng.choice([1, 2, 5, None], n), dtype="Int64"),
            "victims": pd.array(rng.choice([0, 3, None], n), dtype="Int64"),
            "fatalities": pd.array(rng.choice([0, 1, None], n), dtype="Int64"),
        }
    )
    # the way the cube was built before the combined key: strings, then one group-by
    frame = c._units(table, boundaries).astype("string")
    frame["month"] = c._month(table["date"])
    frame["category"] = table["category"].astype("string").fillna("")
    known = {k: v for k, v in CATEGORY_BY_CODE.items()}
    frame["sector"] = (
        frame["category"].map(lambda k: known[k].sector if k in known else "").astype("string")
    )
    default = frame["category"].map(lambda k: bool(k in known and known[k].sensitive))
    frame["sensitive"] = (
        table["sensitive"].astype("boolean").fillna(False) | default.astype(bool)
    ).astype(bool)
    frame["events"] = c._ints(table["events"].fillna(1))
    frame["victims"] = c._ints(table["victims"])
    frame["fatalities"] = c._ints(table["fatalities"])
    frame = frame[frame["month"].notna()]
    keys = [*c.unit_columns(boundaries), "month", "category", "sector", "sensitive"]
    expected = frame.groupby(keys, as_index=False, sort=True)[
        ["events", "victims", "fatalities"]
    ].sum()
    expected = c._categorical(expected, "category", "sector")
    got = c._categorical(c._incidents(table, boundaries), "category", "sector")
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
