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
