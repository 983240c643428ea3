"""The publishing rule and the protected cells: properties over random values and cubes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.cells import bucket_label, build_cells
from analysis.cubes import build_cubes
from analysis.protection import ProtectionPolicy, policy_from_env, publish_value
from data.schemas import SCHEMAS, conform

keys = st.binary(min_size=16, max_size=32)
cells = st.text(min_size=1, max_size=40)
values = st.integers(min_value=0, max_value=100_000)


@given(values, cells, keys)
def test_published_value_never_reveals_one_to_four(value, cell, key):
    published = publish_value(value, cell, key)
    assert published % 5 == 0
    assert abs(published - value) < 5
    assert (published == 0) == (value == 0)  # zero stays zero, and only zero
    if 1 <= value <= 4:
        assert published == 5


@given(values, cells, keys)
def test_published_value_is_the_same_every_time(value, cell, key):
    assert len({publish_value(value, cell, key) for _ in range(3)}) == 1


@given(st.integers(min_value=5, max_value=10_000), keys)
def test_every_published_value_has_several_possible_true_values(value, key):
    """Published p stands for every true value that can round to it: never one alone."""
    published = publish_value(value, "cell", key)
    candidates = [v for v in range(max(published - 4, 1), published + 5) if abs(v - published) < 5]
    assert len(candidates) >= 5


def test_rounding_is_unbiased_above_five():
    rng = np.random.default_rng(1)
    true = rng.integers(5, 60, size=20_000)
    published = np.array(
        [publish_value(int(v), f"cell-{i}", b"k" * 16) for i, v in enumerate(true)]
    )
    assert abs(published.mean() - true.mean()) < 0.1


def test_the_secret_changes_the_rounding():
    a = [publish_value(7, f"c{i}", b"a" * 16) for i in range(200)]
    b = [publish_value(7, f"c{i}", b"b" * 16) for i in range(200)]
    assert a != b and set(a) == set(b) == {5, 10}


def _incidents(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                "adm1_pcode": adm1,
                "adm2_pcode": adm2,
                "date": pd.Timestamp(f"{month}-15"),
                "category": category,
                "events": events,
                "fatalities": 0,
                "match_method": "pcode",
            }
            for adm1, adm2, month, category, events in rows
        ]
    )
    return conform(frame, SCHEMAS["incidents"])


cercle_rows = st.lists(
    st.tuples(
        st.sampled_from([("ML05", "ML0501"), ("ML05", "ML0502"), ("ML07", "ML0701")]),
        st.sampled_from([f"2019-{m:02d}" for m in range(1, 13)]),
        st.sampled_from(["pm_gbv", "mrm_recruitment", "pm_life"]),
        st.integers(min_value=0, max_value=9),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=40, deadline=None)
@given(cercle_rows)
def test_cells_are_published_region_quarter_sums_and_add_up(boundaries, rows):
    table = _incidents([(a, c, m, cat, n) for (a, c), m, cat, n in rows])
    cubes = build_cubes({"incidents": table}, boundaries)
    policy = ProtectionPolicy(key=b"property-test-key")
    published = build_cells(cubes, policy)
    assert "pm_life" not in published.categories  # only sensitive categories become cells
    regions = pd.Index(["ML05", "ML07"])
    for quarter in range(4):
        start, end = f"2019-{3 * quarter + 1:02d}", f"2019-{3 * quarter + 3:02d}"
        for cat in ("pm_gbv", "mrm_recruitment"):
            got = published.table(1, regions, start, end, [cat], "events")
            if got is None:  # a quarter outside the data's months cuts no cell: never None
                pytest.fail("a whole calendar quarter must be answered")
            for r, region in enumerate(regions):
                true = int(
                    table[
                        (table["adm1_pcode"] == region)
                        & (table["category"] == cat)
                        & (table["date"].dt.quarter == quarter + 1)
                    ]["events"].sum()
                )
                assert got[r, 0] % 5 == 0 and abs(got[r, 0] - true) < 5
                assert (got[r, 0] == 0) == (true == 0)
    whole = published.table(1, regions, "2019-01", "2019-12", ["pm_gbv"], "events")
    parts = sum(
        published.table(
            1, regions, f"2019-{3 * q + 1:02d}", f"2019-{3 * q + 3:02d}", ["pm_gbv"], "events"
        )
        for q in range(4)
    )
    assert (whole == parts).all()
    assert (
        published.table(2, pd.Index(["ML0501"]), "2019-01", "2019-03", ["pm_gbv"], "events") is None
    )


def test_a_period_that_cuts_a_quarter_gets_no_cell(boundaries):
    table = _incidents([("ML05", "ML0501", f"2019-{m:02d}", "pm_gbv", 2) for m in range(1, 13)])
    published = build_cells(
        build_cubes({"incidents": table}, boundaries), ProtectionPolicy(key=b"k")
    )
    units = pd.Index(["ML05"])
    assert published.table(1, units, "2019-02", "2019-03", ["pm_gbv"], "events") is None
    assert published.table(1, units, "2019-01", "2019-02", ["pm_gbv"], "events") is None
    assert published.table(1, units, "2019-04", "2019-06", ["pm_gbv"], "events") is not None
    # at the edges of the data a part-quarter is the whole cell: nothing else can be in it
    edge = _incidents(
        [("ML05", "ML0501", "2019-02", "pm_gbv", 3), ("ML05", "ML0501", "2019-05", "pm_gbv", 1)]
    )
    published = build_cells(
        build_cubes({"incidents": edge}, boundaries), ProtectionPolicy(key=b"k")
    )
    assert published.table(1, units, "2019-02", "2019-03", ["pm_gbv"], "events")[0, 0] == 5
    assert published.table(1, units, "2019-04", "2019-05", ["pm_gbv"], "events")[0, 0] == 5
    assert published.table(1, units, "2019-02", "2019-04", ["pm_gbv"], "events") is None


def test_grain_is_configuration(boundaries, monkeypatch):
    policy = policy_from_env(
        b"k",
        {
            "MALI_DASHBOARD_PROTECTED_MONTHS": "12",
            "MALI_DASHBOARD_EXTRA_SENSITIVE": "pm_life, conflict_battles",
        },
    )
    assert policy.grain_months == 12 and {"pm_life", "conflict_battles"} <= policy.sensitive
    assert bucket_label(2019 * 12 // 12, 12) == "2019"
    table = _incidents([("ML05", "ML0501", "2019-03", "pm_life", 3)])
    published = build_cells(build_cubes({"incidents": table}, boundaries), policy)
    assert (
        published.table(1, pd.Index(["ML05"]), "2019-01", "2019-03", ["pm_life"], "events")
        is not None
    )
    with pytest.raises(ValueError, match="calendar-aligned"):
        ProtectionPolicy(grain_months=5)
