"""Queries over cubes built from hand-made tables; every expected value is computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import queries as q
from analysis.cubes import build_cubes
from geo.default import MENAKA_UNIT
from tests.canonical_tables import tables


@pytest.fixture(scope="module")
def cubes(boundaries):
    return build_cubes(tables(), boundaries)


def test_incident_totals_by_region_include_region_level_rows(cubes):
    totals = q.incident_totals(cubes, 1, "2019-01-01", "2019-06-30")
    assert len(totals) == 10  # every région, zeros included
    assert totals["ML05"] == 7  # 1 + 1 + 1 (cercles) + 4 (région-level row)
    assert totals["ML10"] == 3  # ML1003 (1) + whole Ménaka (2)
    assert totals["ML07"] == 1  # the December 2018 EO row is outside the period
    assert totals["ML01"] == 0
    assert totals.sum() == 11  # the unresolved row is on no unit


def test_incident_totals_by_cercle_roll_menaka_and_drop_region_rows(cubes):
    totals = q.incident_totals(cubes, 2, "2019-01", "2019-06")
    assert len(totals) == 50
    assert totals["ML0501"] == 2 and totals["ML0502"] == 1
    assert totals[MENAKA_UNIT] == 3
    assert "ML1003" not in totals.index


def test_incident_filters_and_measures(cubes):
    assert q.incident_totals(cubes, 1, "2019-01", "2019-06", categories="pm_life")["ML05"] == 6
    assert q.incident_totals(cubes, 1, "2019-01", "2019-06", sector="PRO-GBV")["ML05"] == 1
    victims = q.incident_totals(cubes, 2, "2019-01", "2019-06", measure="victims")
    assert victims["ML0501"] == 3
    fatal = q.incident_totals(cubes, 1, "2018-12-01", "2018-12-31", measure="fatalities")
    assert fatal["ML07"] == 2


def test_incidents_by_month_fills_missing_months(cubes):
    table = q.incidents_by_month(
        cubes, units=["ML05"], level=1, start="2019-01-01", end="2019-03-31"
    )
    assert list(table.index) == list(pd.date_range("2019-01-01", "2019-03-01", freq="MS"))
    assert table.loc["2019-01-01", "pm_life"] == 5 and table.loc["2019-02-01", "pm_life"] == 1
    assert table.loc["2019-01-01", "pm_gbv"] == 1
    assert table.loc["2019-03-01"].sum() == 0


def test_displacement_at_takes_latest_report_per_place(cubes):
    at = q.displacement_at(cubes, 1, "2019-09-30")
    assert at.loc["ML05", "idps"] == 190  # ML0501 September 150 + ML0502 August 40
    assert at.loc["ML10", "idps"] == 55  # ML1003 30 + région 5 + ML1001 (July) 20
    assert np.isnan(at.loc["ML07", "idps"])  # its only report is after the date: unknown
    assert at.loc["ML05", "returnees"] == 7
    level2 = q.displacement_at(cubes, 2, "2019-09-30")
    assert level2.loc[MENAKA_UNIT, "idps"] == 55 and level2.loc["ML0501", "idps"] == 150
    assert q.displacement_at(cubes, 1, "2019-08-31").loc["ML05", "idps"] == 140


def test_displacement_series_carries_places_forward(cubes):
    series = q.displacement_series(cubes, units="ML05", level=1)
    assert series.loc["2019-08-31", "idps"] == 140
    assert series.loc["2019-09-30", "idps"] == 190  # ML0502 did not report in September


def test_access_totals_events_and_severity(cubes):
    events = q.access_totals(cubes, 2, "2018-01", "2018-12")
    assert events["ML0501"] == 2 and events[MENAKA_UNIT] == 3
    vh = q.access_totals(cubes, 1, "2018-01", "2018-12", constraint_types="violence_humanitarians")
    assert vh["ML05"] == 2 and vh["ML10"] == 0
    severity = q.access_totals(cubes, 1, "2018-01", "2018-12", measure="severity")
    assert severity["ML05"] == 4.0 and np.isnan(severity["ML01"])


def test_partners_present_counts_distinct_organisations(cubes):
    pro = q.partners_present(cubes, 1, "PRO")
    assert pro["ML05"] == 3 and pro["ML10"] == 1 and pro["ML01"] == 0
    level2 = q.partners_present(cubes, 2, "PRO")
    assert level2["ML0502"] == 1 and level2[MENAKA_UNIT] == 1
    assert q.partners_present(cubes, 2, "PRO-CPN")["ML0502"] == 0  # completed project
    assert q.partners_present(cubes, 2)["ML0501"] == 3  # B in two sectors counts once


def test_population_and_rate_are_nan_where_unknown(cubes):
    pop = q.population(cubes, 1)
    assert pop["ML05"] == 150_000 and pop["ML10"] == 20_000 and np.isnan(pop["ML01"])
    assert q.population(cubes, 2)[MENAKA_UNIT] == 20_000
    rate = q.per_10k(q.incident_totals(cubes, 1, "2019-01", "2019-06"), pop)
    assert rate["ML05"] == pytest.approx(7 / 150_000 * 10_000)
    assert np.isnan(rate["ML01"]) and np.isnan(rate["ML07"])  # never 0 without population


def test_per_10k_zero_population_is_unknown():
    rate = q.per_10k(pd.Series({"a": 5, "b": 5}), pd.Series({"a": 0, "b": 20_000}))
    assert np.isnan(rate["a"]) and rate["b"] == pytest.approx(2.5)


def test_change_absolute_and_percent():
    out = q.change(pd.Series({"a": 10, "b": 0, "c": 5}), pd.Series({"a": 5, "b": 0, "c": 0}))
    assert list(out["change"]) == [5, 0, 5]
    assert out.loc["a", "pct"] == 100.0
    assert np.isnan(out.loc["b", "pct"]) and np.isnan(out.loc["c", "pct"])


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2019-03-01", "2019-03-31", ("2019-02-01", "2019-02-28")),
        ("2019-01-01", "2019-06-30", ("2018-07-01", "2018-12-31")),
        ("2019-03-01", "2019-03-01", ("2019-02-01", "2019-02-01")),
        ("2019-03-10", "2019-03-19", ("2019-02-28", "2019-03-09")),
    ],
)
def test_previous_period_same_length_immediately_before(start, end, expected):
    assert q.previous_period(start, end) == tuple(pd.Timestamp(x) for x in expected)


# ---------------------------------------------------------------- dense arrays vs group-by


def _groupby_matrix(cubes, level, start, end, categories, measure):
    """The straightforward answer: filter the cube frame, group by unit and category, sum."""
    inc = cubes.incidents
    month = inc["month"]
    keep = pd.Series(True, index=inc.index)
    if start is not None:
        keep &= month >= pd.Timestamp(start).to_period("M").to_timestamp()
    if end is not None:
        keep &= month <= pd.Timestamp(end).to_period("M").to_timestamp()
    rows = inc[keep].astype({f"unit{level}": str, "category": str})
    sums = rows.groupby([f"unit{level}", "category"])[measure].sum().unstack(fill_value=0)
    return sums.reindex(index=cubes.units[level], columns=categories, fill_value=0).astype("int64")


def test_incident_matrix_hand_built_values(cubes):
    table = q.incident_matrix(cubes, 1, "2019-01-01", "2019-06-30", ["pm_life", "pm_gbv", "nope"])
    assert list(table.columns) == ["pm_life", "pm_gbv", "nope"]
    assert list(table.index) == list(cubes.units[1])
    assert table.loc["ML05", "pm_life"] == 6 and table.loc["ML05", "pm_gbv"] == 1
    assert (table["nope"] == 0).all() and table.to_numpy().sum() == 6 + 1
    cercles = q.incident_matrix(cubes, 2, "2019-01", "2019-06", measure="victims")
    assert cercles.loc["ML0501"].sum() == 3
    assert list(cercles.columns) == sorted(set(cubes.incidents["category"]))


@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize("measure", ["events", "victims", "fatalities"])
@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), ("2019-01-01", "2019-06-30"), ("2018-12-15", "2018-12-15"), ("2021-01", None)],
)
def test_incident_matrix_equals_groupby_on_hand_built_data(cubes, level, measure, start, end):
    categories = sorted(set(cubes.incidents["category"])) + ["not_a_category"]
    got = q.incident_matrix(cubes, level, start, end, categories, measure)
    pd.testing.assert_frame_equal(
        got, _groupby_matrix(cubes, level, start, end, categories, measure), check_names=False
    )
    for code in categories:  # and it is the per-category totals side by side
        pd.testing.assert_series_equal(
            got[code],
            q.incident_totals(cubes, level, start, end, [code], measure=measure),
            check_names=False,
        )


@pytest.fixture(scope="module")
def demo_cubes(boundaries):
    from data.demo import generate_demo

    return build_cubes(generate_demo(), boundaries)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (None, None),
        ("2019-01-01", "2019-06-30"),
        ("2018-03-01", "2018-03-31"),
        ("2017-06", "2018-02"),
    ],
)
def test_incident_matrix_equals_groupby_on_demo_data(demo_cubes, start, end):
    cats = sorted(set(demo_cubes.incidents["category"]))
    for level in sorted(demo_cubes.units):
        for measure in ("events", "fatalities"):
            got = q.incident_matrix(demo_cubes, level, start, end, measure=measure)
            want = _groupby_matrix(demo_cubes, level, start, end, cats, measure)
            pd.testing.assert_frame_equal(got, want, check_names=False)
            assert got.to_numpy().sum() > 0 or start == "2017-06"


def test_dense_queries_equal_frame_queries_on_demo_data(demo_cubes):
    """Every query answered from the arrays equals the same query over the cube frames."""
    from dataclasses import replace

    frames_only = replace(demo_cubes, incident_arrays={}, access_arrays={})
    cats = sorted(set(demo_cubes.incidents["category"]))
    periods = [
        (None, None),
        ("2019-01-01", "2019-06-30"),
        ("2018-11", "2019-02"),
        ("2030-01", None),
    ]
    for start, end in periods:
        for level in sorted(demo_cubes.units):
            for kwargs in (
                {},
                {"categories": cats[:3]},
                {"categories": "pm_gbv", "measure": "victims"},
                {"sector": ["PRO-GBV", "PRO-CPN"]},
                {"categories": cats, "sector": "PRO", "measure": "fatalities"},
                {"categories": []},
            ):
                pd.testing.assert_series_equal(
                    q.incident_totals(demo_cubes, level, start, end, **kwargs),
                    q.incident_totals(frames_only, level, start, end, **kwargs),
                )
            for measure in ("events", "severity"):
                pd.testing.assert_series_equal(
                    q.access_totals(demo_cubes, level, start, end, measure=measure),
                    q.access_totals(frames_only, level, start, end, measure=measure),
                )
            pd.testing.assert_series_equal(
                q.access_totals(demo_cubes, level, start, end, "violence_humanitarians"),
                q.access_totals(frames_only, level, start, end, "violence_humanitarians"),
            )
        for units, level in ((None, 1), (["ML05", "ML10", "ML05", "nowhere"], 1), ("ML0501", 2)):
            for categories in (None, cats[:4], ["pm_gbv", "nope"]):
                pd.testing.assert_frame_equal(
                    q.incidents_by_month(demo_cubes, units, level, start, end, categories),
                    q.incidents_by_month(frames_only, units, level, start, end, categories),
                )
    pd.testing.assert_frame_equal(
        q.incident_matrix(demo_cubes, 2, "2019-01", "2019-03", cats[:5]),
        q.incident_matrix(frames_only, 2, "2019-01", "2019-03", cats[:5]),
    )


def test_incident_month_array_equals_incidents_by_month_on_demo_data(demo_cubes):
    """The trend's array of months x categories holds the numbers of the month table."""
    from dataclasses import replace

    frames_only = replace(demo_cubes, incident_arrays={}, access_arrays={})
    cats = sorted(set(demo_cubes.incidents["category"]))
    for start, end in (("2019-01", "2019-06"), ("2016-11", "2017-02"), ("2030-01", "2030-03")):
        for units, level in ((None, 1), (["ML05", "ML10", "ML05", "nowhere"], 1), ("ML0501", 2)):
            for codes in (cats[:4], ["pm_gbv", "nope"], []):
                for measure in ("events", "fatalities"):
                    got = q.incident_month_array(
                        demo_cubes, units, level, start, end, codes, measure
                    )
                    want = q.incidents_by_month(
                        frames_only, units, level, start, end, codes, measure
                    )
                    assert got.dtype == np.int64
                    np.testing.assert_array_equal(got, want.to_numpy())
    assert q.incident_month_array(frames_only, None, 1, "2019-01", "2019-02", cats) is None
