"""The demo data: deterministic, complete, schema-conform, and reproducing the published figures.

Expected numbers are the ones published in the Mali Protection Cluster strategy (DOMAIN.md),
written out here by hand, and checked through the same aggregation path as the dashboard
(canonical tables -> cubes on the embedded boundaries -> analysis.queries).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import queries as q
from analysis.cubes import build_cubes
from data.demo import DEMO_LABEL, generate_demo
from data.schemas import SCHEMAS, STREAMS, conform
from geo.default import MENAKA_UNIT
from geo.gazetteer import MENAKA_CERCLES

REPORTING_DATE = "2019-09-30"
PUBLISHED_IDPS = {"ML05": 61_083, "ML07": 53_380, "ML04": 24_291, "ML06": 22_641, "ML10": 16_430}
OTHER_REGIONS_IDPS = 9_314
NATIONAL = {"idps": 187_139, "returnees": 561_606, "repatriated": 74_205}
PM_H1_2019 = {
    "pm_life": 285,
    "pm_liberty": 67,
    "pm_integrity": 283,
    "pm_property": 379,
    "pm_gbv": 44,
}
MRM_JAN_JUL_2019 = {
    "mrm_recruitment": 99,
    "mrm_killing_maiming": 225,
    "mrm_sexual_violence": 3,
    "mrm_abduction": 8,
    "mrm_attacks_schools_hospitals": 17,
    "mrm_denial_access": 77,
}


@pytest.fixture(scope="module")
def demo():
    return generate_demo()


@pytest.fixture(scope="module")
def cubes(demo, boundaries):
    return build_cubes(demo, boundaries)


def test_two_runs_are_identical(demo):
    again = generate_demo()
    for stream in STREAMS:
        pd.testing.assert_frame_equal(demo[stream], again[stream])


def test_another_seed_changes_rows_but_not_published_totals(demo, boundaries):
    other = generate_demo(seed=7)
    assert not other["incidents"].equals(demo["incidents"])
    cubes = build_cubes(other, boundaries)
    totals = q.incident_totals(cubes, 1, "2019-01-01", "2019-06-30", categories=list(PM_H1_2019))
    assert totals.sum() == 1_058


def test_every_stream_conforms_to_its_schema_and_is_labelled_demo(demo):
    assert "démonstration" in DEMO_LABEL
    for stream in STREAMS:
        frame = demo[stream]
        assert list(frame.columns) == SCHEMAS[stream].all_columns
        pd.testing.assert_frame_equal(frame, conform(frame, SCHEMAS[stream]))
        assert list(frame["source_row"]) == list(range(1, len(frame) + 1))
        assert (frame["match_method"] == "pcode").all()
        if "source" in frame:
            assert (frame["source"] == "demo").all()


def test_dates_within_demo_period(demo):
    for stream in ("incidents", "displacement", "access"):
        dates = demo[stream]["date"]
        assert dates.notna().all()
        assert dates.min() >= pd.Timestamp("2018-01-01")
        assert dates.max() <= pd.Timestamp("2019-12-31")


def test_every_cercle_is_covered(demo, gazetteer):
    cercles = {c.pcode for c in gazetteer.cercles()}
    assert len(cercles) == 53
    for stream in ("incidents", "displacement", "services"):
        assert set(demo[stream]["adm2_pcode"]) == cercles, stream
    pop = demo["population"]
    assert set(pop["adm2_pcode"]) == (cercles - set(MENAKA_CERCLES)) | {""}
    menaka = pop[pop["adm2_pcode"] == ""]
    assert list(menaka["adm1_pcode"]) == ["ML10"]
    assert int(menaka["population"].iloc[0]) == gazetteer.population["ML10"]


def test_population_is_the_2018_census_per_cercle(demo, gazetteer):
    pop = demo["population"].set_index("adm2_pcode")["population"]
    assert pop["ML0501"] == gazetteer.population["ML0501"]
    assert pop.sum() == sum(gazetteer.population.values())


def test_idps_by_region_at_reporting_date(cubes):
    at = q.displacement_at(cubes, 1, REPORTING_DATE)
    for region, idps in PUBLISHED_IDPS.items():
        assert at.loc[region, "idps"] == idps, region
    others = at.index.difference(list(PUBLISHED_IDPS))
    assert at.loc[others, "idps"].sum() == OTHER_REGIONS_IDPS


def test_menaka_idps_land_in_menaka_cercle_unit(cubes):
    assert q.displacement_at(cubes, 2, REPORTING_DATE).loc[MENAKA_UNIT, "idps"] == 16_430


def test_national_displacement_at_reporting_date(cubes):
    at = q.displacement_at(cubes, 1, REPORTING_DATE)
    for measure, total in NATIONAL.items():
        assert at[measure].sum() == total, measure
    series = q.displacement_series(cubes)
    assert series.loc[REPORTING_DATE, "idps"] == NATIONAL["idps"]
    assert len(series) == 24  # one reporting date per month end
    assert series["idps"].iloc[0] < NATIONAL["idps"]  # the crisis grew over 2018-2019


@pytest.mark.parametrize(("category", "published"), sorted(PM_H1_2019.items()))
def test_protection_monitoring_first_half_2019(cubes, category, published):
    totals = q.incident_totals(cubes, 1, "2019-01-01", "2019-06-30", categories=category)
    assert totals.sum() == published


def test_protection_monitoring_total_is_1058(cubes):
    table = q.incidents_by_month(
        cubes, start="2019-01-01", end="2019-06-30", categories=list(PM_H1_2019)
    )
    assert int(table.to_numpy().sum()) == 1_058


@pytest.mark.parametrize(("category", "published"), sorted(MRM_JAN_JUL_2019.items()))
def test_mrm_january_july_2019(cubes, category, published):
    totals = q.incident_totals(cubes, 1, "2019-01-01", "2019-07-31", categories=category)
    assert totals.sum() == published


def test_mrm_total_is_429(cubes):
    cats = list(MRM_JAN_JUL_2019)
    assert q.incident_totals(cubes, 2, "2019-01-01", "2019-07-31", categories=cats).sum() == 429


def test_explosive_ordnance_per_published_period(cubes):
    eo = "explosive_ordnance"
    assert q.incident_totals(cubes, 1, "2018-01-01", "2018-12-31", categories=eo).sum() == 201
    assert q.incident_totals(cubes, 1, "2019-01-01", "2019-07-31", categories=eo).sum() == 138


def test_access_constraints_2018(cubes):
    total = q.access_totals(cubes, 1, "2018-01-01", "2018-12-31").sum()
    violence = q.access_totals(
        cubes, 1, "2018-01-01", "2018-12-31", constraint_types="violence_humanitarians"
    ).sum()
    assert total == 80
    assert math.floor(100 * violence / total + 0.5) == 73  # published, rounded half up


def test_incidents_concentrate_in_centre_and_north(cubes):
    totals = q.incident_totals(cubes, 1, "2018-01-01", "2019-12-31")
    centre_north = totals[["ML04", "ML05", "ML06", "ML07", "ML08", "ML10"]].sum()
    assert centre_north > 0.85 * totals.sum()


def test_fatalities_never_exceed_victims_where_victims_known(demo):
    inc = demo["incidents"]
    known = inc["victims"].notna()
    assert (inc.loc[known, "fatalities"] <= inc.loc[known, "victims"]).all()


def test_some_high_need_cercles_lack_a_sub_sector_partner(cubes):
    incidents = q.incident_totals(cubes, 2, "2019-01-01", "2019-06-30", categories=list(PM_H1_2019))
    high_need = incidents.nlargest(10).index
    sectors = ["PRO", "PRO-CPN", "PRO-GBV", "PRO-MIN", "PRO-HLP"]
    presence = pd.DataFrame({s: q.partners_present(cubes, 2, s) for s in sectors})
    gaps = (presence.loc[high_need] == 0).sum().sum()
    assert gaps > 0
    assert (presence["PRO"] > 0).all()  # general protection has a focal point everywhere
    assert (presence.loc[high_need].sum(axis=1) > 0).all()  # gaps, not deserts
