"""Need-index weights in the URL, AG Grid tables, the data-quality panel, the commune level,
the aggregate cache with value-only map updates, incident families and the population fallback.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from flask import Flask

from analysis import dataset, periods
from analysis import gate as model
from analysis.cubes import build_cubes
from analysis.protection import WITHHELD, ProtectionPolicy
from callbacks import quality, views
from callbacks.state import (
    DEFAULT_WEIGHTS,
    controls_of,
    default_state,
    from_query,
    slices,
    to_query,
)
from data.schemas import SCHEMAS, conform
from geo.boundaries import BoundarySet
from layouts.filters import FAMILY_PREFIX, category_options, level_options
from tests import accounts_support as support
from tests.attacker import Endpoint
from tests.export_support import csv_parts

# ---------------------------------------------------------------- 1. need-index weights


def test_weights_round_trip_through_the_url_and_defaults_stay_out_of_it(domain):
    assert {k: default_state(domain)[k] for k in DEFAULT_WEIGHTS} == DEFAULT_WEIGHTS
    state = {**default_state(domain), "wi": 0.1, "wd": 0.3, "wa": 0.6}
    query = to_query(state, domain)
    assert "wi=0.1" in query and "wd=0.3" in query and "wa=0.6" in query
    assert from_query(query, domain) == state
    assert "wi" not in to_query(default_state(domain), domain)
    # nonsense or all-zero weights fall back to the documented defaults
    for bad in ("?wi=abc", "?wi=7", "?wi=0&wd=0&wa=0", "?wa=-1"):
        cleaned = from_query(bad, domain)
        assert {k: cleaned[k] for k in DEFAULT_WEIGHTS} == DEFAULT_WEIGHTS, bad


def test_weight_control_writes_the_url(data, domain):
    state = default_state(domain)
    controls = controls_of(state)
    controls[-1] = 1  # access weight
    query, new, _ = views.route("weight-access", "", controls, state, None, data.level_of, domain)
    assert new["wa"] == 1.0 and "wa=1" in query


def test_weights_change_gap_map_priority_table_and_deserts(data, domain):
    base = from_query("?tab=gap", domain)
    access_only = from_query("?tab=gap&wi=0&wd=0&wa=1", domain)
    default_gap = views.gap_view(data, base, "public")
    access_gap = views.gap_view(data, access_only, "public")
    assert [r["unit"] for r in default_gap["rows"]] != [r["unit"] for r in access_gap["rows"]]
    # with access alone, the need score is the access component alone
    table = model.gap_frame(data, access_only, "public")
    need = table["need_score"].dropna()
    access = model.q.access_totals(
        data.cubes,
        2,
        periods.month_start(access_only["start"]),
        periods.month_start(access_only["end"]),
    )
    order = access.reindex(need.index).rank(method="average")
    assert need.rank(method="average").equals(order)
    map_values = dict(
        zip(
            access_gap["figure"]["data"][2]["locations"],
            access_gap["figure"]["data"][2]["z"],
            strict=True,
        )
    )
    expected = table["bivariate"].dropna().astype(float).to_dict()
    assert map_values == pytest.approx(expected)
    desert_names = {r["name"] for _, r in table[table["desert"]].iterrows()}
    shown = str(access_gap["deserts"])
    assert all(name in shown for name in desert_names)
    assert "accès 1" in " ".join(s.children for s in access_gap["method"])
    csv = csv_parts(views.gap_csv(data, access_only, "public"))[2]
    assert csv != csv_parts(views.gap_csv(data, base, "public"))[2]


# ---------------------------------------------------------------- 2. grids


def test_priority_grid_headers_follow_the_language_and_rows_hold_no_counts(data, domain):
    fr = views.gap_view(data, from_query("?tab=gap", domain), "public")
    en = views.gap_view(data, from_query("?tab=gap&lang=en", domain), "public")
    assert [c["headerName"] for c in fr["columns"]][:3] == ["Rang", "Cercle", "Région"]
    assert [c["headerName"] for c in en["columns"]][:3] == ["Rank", "Cercle", "Region"]
    assert en["options"]["localeText"]["noRowsToShow"] == "No rows"
    # only derived, non-sensitive measures reach the grid
    assert set(fr["rows"][0]) == {
        "unit",
        "rank",
        "name",
        "region",
        "need_class",
        "gap_class",
        "bivariate",
        "need_score",
        "partners",
        "coverage",
        "gap",
    }
    assert [r["rank"] for r in fr["rows"]] == list(range(1, len(fr["rows"]) + 1))


def test_partner_grid_of_a_cercle(data, domain):
    state = from_query("?region=ML05&unit=ML0501&lang=en", domain)
    grid = views.partners_view(data, state, "public")
    assert grid["style"] == {}
    assert [c["headerName"] for c in grid["columns"]] == ["Organisation", "Sub-sectors", "Services"]
    expected = model.q.partners_present(data.cubes, 2)["ML0501"]
    assert len(grid["rows"]) == expected > 0
    assert views.partners_view(data, from_query("", domain), "public")["style"] == {
        "display": "none"
    }
    from app import page_meta
    from layouts.page import build_layout

    page = str(build_layout(default_state(domain), page_meta(data)))
    assert "'key': 'unit_partners_title'" in page and "Partenaires présents" in page


def test_panel_and_its_csv_carry_no_sensitive_cercle_count_in_public_view(data, domain):
    """The cercle panel (indicator rows, exported as CSV) says "réservé aux membres" for a
    sensitive category in the public view, and the member's exact count in the member view."""
    state = from_query("?level=2&region=ML05&unit=ML0501&preset=12&cats=pm_gbv", domain)
    public_rows = {r["key"]: r["value"] for r in model.unit_rows(data, state, "public")}
    member_rows = {r["key"]: r["value"] for r in model.unit_rows(data, state, "member")}
    assert public_rows["cat:pm_gbv"] == public_rows["ind_incidents"] == WITHHELD
    exact = model.q.incident_totals(data.cubes, 2, "2019-01-01", "2019-12-01", ["pm_gbv"])
    assert member_rows["cat:pm_gbv"] == f"{exact['ML0501']:,}".replace(",", "\u202f")
    _, _, rows = csv_parts(views.unit_csv(data, state, "public"))
    gbv = [r for r in rows if r[0] == "Violences basées sur le genre (VBG)"]
    assert gbv == [["Violences basées sur le genre (VBG)", "réservé aux membres", ""]]
    _, _, member = csv_parts(views.unit_csv(data, state, "member"))
    assert [r for r in member if r[0] == gbv[0][0]][0][1] == str(exact["ML0501"])


# ---------------------------------------------------------------- 3. data quality


def test_quality_panel_of_demo_data_says_demo(data, domain):
    out = views.quality_view(data, default_state(domain), "public")
    summary, columns = out["summary"]
    assert [c["field"] for c in columns][:3] == ["stream", "origin", "rows"]
    origins = {r["stream"]: r["origin"] for r in summary}
    assert origins.pop("Population") == "COD-PS 2018 intégrée (chiffres réels)"
    assert set(origins.values()) == {"Démonstration (fictif)"}
    assert summary[-1]["first"] == summary[-1]["last"] == "2018"
    incidents = next(r for r in quality.quality_rows(data) if r["stream"] == "incidents")
    assert incidents["pcode"] == incidents["rows"] == data.table_rows["incidents"]
    assert incidents["first"].startswith("2018-01") and incidents["last"].startswith("2019-12")
    assert "démonstration" in str(out["notes"])
    assert out["details_style"] == {"display": "none"}  # nothing unresolved: no empty grids


def _stored_incidents() -> pd.DataFrame:
    rows = [
        dict(adm1_pcode="ML05", adm2_pcode="ML0501", date="2019-03-02", category="pm_life"),
        dict(adm1_pcode="ML05", adm2_pcode="ML0502", date="2019-05-20", category="pm_life"),
        dict(adm1_pcode="", adm2_pcode="", date="2019-04-01", category="pm_property"),
        dict(adm1_pcode="", adm2_pcode="", date="2019-04-03", category="pm_property"),
        dict(adm1_pcode="ML06", adm2_pcode="", date="2019-04-09", category="pm_property"),
    ]
    frame = pd.DataFrame(rows)
    frame["source_row"] = range(1, 6)
    frame["events"] = 1
    frame["match_method"] = ["pcode", "fuzzy_name", "unresolved", "unresolved", "name"]
    frame["match_note"] = ["", "", "nom inconnu", "nom inconnu", ""]
    return conform(frame, SCHEMAS["incidents"])


def test_stored_data_quality_reasons_and_population_fallback(tmp_path, monkeypatch):
    from data import store

    monkeypatch.setenv(store.ENV, str(tmp_path))
    report = {
        "rows_read": 6,
        "file": "incidents.csv",
        "unresolved": [
            {
                "row": 3,
                "value": "Douentza-ville",
                "reason": "nom inconnu",
                "candidates": "Douentza",
            },
            {"row": 4, "value": "Xyz", "reason": "nom inconnu", "candidates": ""},
        ],
    }
    store.save("incidents", _stored_incidents(), report)
    data = dataset.load_data(use_store=True)
    assert not data.is_demo
    # real data without population: the vendored COD-PS 2018 figures keep rates working
    assert data.origins["population"] == dataset.POPULATION_FALLBACK
    pop = model.q.population(data.cubes, 1)
    assert pop["ML05"] > 1_000_000
    rows = {r["stream"]: r for r in quality.quality_rows(data)}
    assert rows["incidents"]["rows"] == 6  # from the stored report, one row rejected
    assert (rows["incidents"]["pcode"], rows["incidents"]["fuzzy_name"]) == (1, 1)
    assert (rows["incidents"]["name"], rows["incidents"]["unresolved"]) == (1, 2)
    assert (rows["incidents"]["first"], rows["incidents"]["last"]) == ("2019-03-02", "2019-05-20")
    assert rows["displacement"]["origin"] == "missing"
    assert quality.unresolved_reasons(data) == [
        {"stream": "incidents", "reason": "nom inconnu", "count": 2}
    ]
    sample = quality.unresolved_rows(data)
    assert sample[0] == {
        "stream": "incidents",
        "row": 3,
        "value": "Douentza-ville",
        "reason": "nom inconnu",
        "candidates": "Douentza",
    }
    state = {**default_state(data.domain()), "lang": "en"}
    out = views.quality_view(data, state, "public")
    assert "built-in COD-PS 2018" in str(out["notes"])
    assert out["details_style"] == {"display": "none"}  # incident rows: members only
    assert "toutes les lignes" not in str(out["notes"]).lower()
    summary = {r["stream"]: r for r in out["summary"][0]}
    assert summary["Population"]["origin"] == "Built-in COD-PS 2018 (real figures)"
    assert summary["Incidents"]["origin"].startswith("Imported (version ")
    rate = model.indicator_values(data, {**state, "ind": "incidents_10k", "preset": "12"}, "public")
    assert rate.values.notna().any()
    # the unresolved incident rows (where an event was reported) are for members only
    assert out["unresolved"][0] == []
    member = views.quality_view(data, state, "member")
    assert member["details_style"] == {}  # the reasons and rows grids are shown
    assert [r["row"] for r in member["unresolved"][0]] == [3, 4]


def test_quality_panel_counts_and_lists_point_versus_name_conflicts(tmp_path, monkeypatch):
    from data import store

    monkeypatch.setenv(store.ENV, str(tmp_path))
    frame = _stored_incidents()
    frame["match_conflict"] = [
        "",
        "point in Ténenkou (ML0506) ≠ ADMIN2 'Mopti' (ML0502): the point decided",
        "",
        "",
        "",
    ]
    store.save("incidents", frame, {"rows_read": 5})
    data = dataset.load_data(use_store=True)
    state = {**default_state(data.domain()), "lang": "fr"}
    member = views.quality_view(data, state, "member")
    summary = {r["stream"]: r for r in member["summary"][0]}
    assert summary["Incidents"]["conflicts"] == 1
    assert member["conflicts_style"] == {}
    assert [r["row"] for r in member["conflicts"][0]] == [2]
    assert "the point decided" in member["conflicts"][0][0]["conflict"]
    public = views.quality_view(data, state, "public")
    assert public["conflicts"][0] == []
    # incident counts and dates include sensitive rows: withheld from the public (with the
    # exact non-sensitive totals they would give back the national sensitive count)
    shown = {r["stream"]: r for r in public["summary"][0]}["Incidents"]
    assert shown["rows"] is None and shown["conflicts"] is None and shown["unresolved"] is None
    assert shown["first"] == shown["last"] == "réservé aux membres"
    assert "réservés aux membres" in str(public["notes"])
    assert public["reasons"][0] == [] and member["reasons"][0]


# ---------------------------------------------------------------- 4. commune level


def _box(x0, y0, x1, y1):
    return shapely.box(x0, y0, x1, y1)


def small_boundaries() -> BoundarySet:
    """Two régions, three cercles, six communes on a grid (levels 1, 2 and 3)."""
    crs = "EPSG:4326"
    l1 = gpd.GeoDataFrame(
        {
            "unit_id": ["ML05", "ML07"],
            "name": ["Mopti", "Gao"],
            "parent_id": ["", ""],
            "adm1_pcode": ["ML05", "ML07"],
            "adm2_pcode": ["", ""],
        },
        geometry=[_box(0, 14, 2, 15), _box(2, 14, 3, 15)],
        crs=crs,
    )
    l2 = gpd.GeoDataFrame(
        {
            "unit_id": ["ML0501", "ML0502", "ML0701"],
            "name": ["Bandiagara", "Bankass", "Gao"],
            "parent_id": ["ML05", "ML05", "ML07"],
            "adm1_pcode": ["ML05", "ML05", "ML07"],
            "adm2_pcode": ["ML0501", "ML0502", "ML0701"],
        },
        geometry=[_box(0, 14, 1, 15), _box(1, 14, 2, 15), _box(2, 14, 3, 15)],
        crs=crs,
    )
    communes = []
    for cercle, x in (("ML0501", 0), ("ML0502", 1), ("ML0701", 2)):
        for i, y in enumerate((14, 14.5)):
            communes.append((f"{cercle}0{i + 1}", f"Commune {cercle[-2:]}-{i + 1}", cercle, x, y))
    l3 = gpd.GeoDataFrame(
        {
            "unit_id": [c[0] for c in communes],
            "name": [c[1] for c in communes],
            "parent_id": [c[2] for c in communes],
            "adm1_pcode": [c[2][:4] for c in communes],
            "adm2_pcode": [c[2] for c in communes],
        },
        geometry=[_box(x, y, x + 1, y + 0.5) for *_, x, y in communes],
        crs=crs,
    )
    return BoundarySet({1: l1, 2: l2, 3: l3}, source="test", vintage="cod2021")


def commune_data() -> dataset.DashboardData:
    incidents = pd.DataFrame(
        {
            "adm1_pcode": ["ML05", "ML05", "ML05", "ML07"],
            "adm2_pcode": ["ML0501", "ML0501", "ML0502", "ML0701"],
            "adm3_pcode": ["ML050101", "ML050102", "ML050201", "ML070102"],
            "date": pd.to_datetime(["2019-11-02", "2019-12-05", "2019-12-07", "2019-12-09"]),
            "category": ["pm_life", "pm_life", "pm_property", "pm_life"],
            "events": [3, 2, 7, 1],
        }
    )
    incidents["match_method"] = "pcode"
    population = pd.DataFrame(
        {
            "adm1_pcode": ["ML05", "ML05", "ML07"],
            "adm2_pcode": ["ML0501", "ML0502", "ML0701"],
            "population": [400_000, 300_000, 600_000],
            "year": 2018,
        }
    )
    tables = {
        "incidents": conform(incidents, SCHEMAS["incidents"]),
        "population": conform(population, SCHEMAS["population"]),
    }
    boundaries = small_boundaries()
    cubes = build_cubes(tables, boundaries)
    return dataset.DashboardData(boundaries, tables, cubes, is_demo=False, origins={})


def test_commune_level_is_offered_and_drawn_when_the_boundaries_have_it():
    data = commune_data()
    domain = data.domain()
    assert 3 in data.cubes.units and domain.levels == (1, 2, 3)
    chrome = views.chrome(data, default_state(domain), [])
    assert [o["value"] for o in chrome["options"][0]] == [1, 2, 3]
    assert chrome["options"][0][2]["label"] == "Communes"
    # level 3 from the control: every commune, drawn from /geo/level-3.json
    state = default_state(domain)
    controls = controls_of(state)
    controls[0] = 3
    query, new, _ = views.route("filter-level", "", controls, state, None, data.level_of, domain)
    assert new["level"] == 3 and "level=3" in query
    fig, _ = views.map_output(data, new, "public", None)
    assert fig["data"][0]["geojson"] == "/geo/level-3.json"
    drawn = dict(zip(fig["data"][2]["locations"], fig["data"][2]["z"], strict=True))
    assert drawn == {
        "ML050101": 3,
        "ML050102": 2,
        "ML050201": 7,
        "ML050202": 0,
        "ML070101": 0,
        "ML070102": 1,
    }
    # a région click at commune level shows that région's communes
    _, zoomed, _ = views.route("map", query, controls_of(new), new, "ML05", data.level_of, domain)
    assert zoomed["region"] == "ML05" and zoomed["level"] == 3
    assert list(model.scope_units(data, zoomed)) == [
        "ML050101",
        "ML050102",
        "ML050201",
        "ML050202",
    ]
    # a commune click selects it; its panel names its cercle
    _, chosen, _ = views.route(
        "map", "", controls_of(zoomed), zoomed, "ML050102", data.level_of, domain
    )
    assert chosen["unit"] == "ML050102"
    assert views.unit_title(data, "ML050102") == "Commune 01-2 (Bandiagara)"
    # at cercle level a région still shows its cercles; gap measures map communes to cercles
    assert list(model.scope_units(data, {**zoomed, "level": 2})) == ["ML0501", "ML0502"]
    need = model.indicator_values(data, {**zoomed, "ind": "need"}, "public").values
    cercle_need = model.indicator_values(
        data, {**zoomed, "level": 2, "ind": "need"}, "public"
    ).values
    assert need["ML050101"] == cercle_need["ML0501"]


def test_commune_geometry_route(tmp_path, monkeypatch):
    from app import create_app

    app = create_app(commune_data())
    client = app.server.test_client()
    response = client.get("/geo/level-3.json")
    assert response.status_code == 200
    assert len(response.get_json()["features"]) == 6
    assert client.get("/geo/level-4.json").status_code == 404


def test_default_data_has_no_commune_level(data, domain):
    assert domain.levels == (1, 2)
    assert [o["value"] for o in level_options("fr", domain.levels)] == [1, 2]
    assert from_query("?level=3", domain)["level"] == 1


@pytest.mark.shared
def test_commune_level_with_the_2015_cod_ab(cod2015_boundaries):
    data = dataset.load_data(use_store=False, boundaries=cod2015_boundaries)
    domain = data.domain()
    assert 3 in domain.levels
    state = from_query("?level=3&region=ML05", domain)
    units = model.scope_units(data, state)
    assert len(units) > 50 and all(u.startswith("ML05") for u in units)


# ---------------------------------------------------------------- 5. cache and patches


def _post(client, output: str, values: dict):
    """POST the callback that sets ``output`` as the browser does, ``values`` by input id."""
    response = Endpoint(client).raw(output, values)
    assert response.status_code == 200, response.data[:500]
    return response


@pytest.fixture(scope="module")
def app_client():
    from app import create_app

    app = create_app(dataset.load_data(use_store=False))
    return app, app.server.test_client()


def test_second_identical_request_is_served_from_the_cache(app_client, domain):
    app, client = app_client
    data = app.dashboard_data
    state = from_query("?preset=12&ind=incidents_10k&level=2", domain)
    _post(client, "map", {"state-map": state})
    computed = sum(data.computed.values())
    assert data.computed["_indicator_values"] >= 1
    again = _post(client, "map", {"state-map": state})
    assert sum(data.computed.values()) == computed  # nothing recomputed
    assert b"geojson" in again.data
    before = data.computed["_indicator_values"]
    shorter = from_query("?preset=3&ind=incidents_10k&level=2", domain)
    _post(client, "map", {"state-map": shorter})
    assert data.computed["_indicator_values"] == before + 1  # a new filter is computed once
    assert sum(data.computed.values()) <= computed + 3  # its incident table, once per measure


def test_indicator_or_period_change_sends_values_not_geometry(app_client, domain):
    _, client = app_client
    state = from_query("?level=2", domain)
    first = _post(client, "map", {"state-map": state}).get_json()
    map_key = first["response"]["map-key"]["data"]
    assert first["response"]["map"]["figure"]["data"][0]["geojson"] == "/geo/level-2.json"
    for change in ({"ind": "fatalities"}, {"preset": "12"}, {"wa": 1.0}):
        update = _post(client, "map", {"state-map": {**state, **change}, "map-key": map_key})
        text = update.data.decode()
        assert "geojson" not in text and "coordinates" not in text, change
        assert '"__dash_patch_update"' in text
    # the gap map is patched the same way once drawn
    gap_state = {**state, "tab": "gap"}
    first = _post(client, "gap-map", {"state-gap": slices(gap_state)["gap"]}).get_json()
    drawn = first["response"]["gap-map-key"]["data"]
    changed = slices({**gap_state, "wi": 1.0})["gap"]
    update = _post(client, "gap-map", {"state-gap": changed, "gap-map-key": drawn})
    assert "geojson" not in update.data.decode()
    assert '"__dash_patch_update"' in update.data.decode()


redis_url = support.redis_url  # a real redis-server on a free loopback port


def test_aggregates_are_shared_through_redis_when_redis_url_is_set(monkeypatch, redis_url, domain):
    import redis

    from app import create_app, make_cache

    assert make_cache(Flask("t")).config["CACHE_TYPE"] == "SimpleCache"
    monkeypatch.setenv("REDIS_URL", redis_url)
    state = from_query("?preset=3&ind=incidents&level=2", domain)
    # two apps stand for two gunicorn workers: the second is served what the first computed
    policy = ProtectionPolicy(key=b"one secret shared by every worker")
    first, second = (
        create_app(dataset.load_data(use_store=False, policy=policy)) for _ in range(2)
    )
    _post(first.server.test_client(), "map", {"state-map": state})
    assert redis.Redis.from_url(redis_url).dbsize() > 0
    response = _post(second.server.test_client(), "map", {"state-map": state})
    assert response.status_code == 200
    assert sum(second.dashboard_data.computed.values()) == 0


# ---------------------------------------------------------------- 6. incident families


def test_categories_default_to_one_counting_system(data, domain):
    state = default_state(domain)
    assert state["cats"] == sorted(
        ["pm_life", "pm_liberty", "pm_integrity", "pm_property", "pm_gbv"]
    )
    assert to_query(state, domain) == ""
    assert from_query("?cats=", domain)["cats"] == state["cats"]
    assert views.families_note(data, state) == ["Incidents comptés : Monitoring de protection"]
    mixed = {**state, "cats": ["mrm_abduction", "pm_life"], "lang": "en"}
    note = views.families_note(data, mixed)
    assert "Protection monitoring + MRM" in note[0] and note[1].startswith("Caution")
    # the key figure adds up exactly the selected categories
    figures = model.key_figures(data, state, "member").figures
    figure = next(f for f in figures if f["key"] == "ind_incidents")
    total = model.q.incident_totals(
        data.cubes,
        1,
        periods.month_start(state["start"]),
        periods.month_start(state["end"]),
        categories=state["cats"],
    ).sum()
    assert figure["value"] == total


def test_category_dropdown_is_grouped_by_family(data):
    options = category_options(data.categories(), "fr")
    headers = [o for o in options if str(o["value"]).startswith(FAMILY_PREFIX)]
    assert [h["value"] for h in headers] == [FAMILY_PREFIX + f for f in data.families()]
    assert all(h["disabled"] for h in headers)
    assert options[0]["label"] == "— Monitoring de protection —"


def test_map_hover_numbers_are_written_the_page_language_way(data, domain):
    state = from_query("?preset=custom&start=2019-09&end=2019-09&ind=idps&lang=en", domain)
    fig, _ = views.map_output(data, state, "public", None)
    shown = dict(
        zip(fig["data"][2]["locations"], (c[1] for c in fig["data"][2]["customdata"]), strict=True)
    )
    assert shown["ML05"] == "61,083"
    rate = from_query("?level=2&ind=incidents_10k", domain)
    fig, _ = views.map_output(data, rate, "public", None)
    assert any("," in c[1] for c in fig["data"][2]["customdata"])  # 2,5 not 2.5 in French
    assert not any("." in c[1] for c in fig["data"][2]["customdata"])


# ---------------------------------------------------------------- 7. map values without the gap table


@pytest.mark.parametrize(
    "query",
    ["", "&preset=12", "&sector=PRO-GBV", "&wi=1&wd=0&wa=0", "&preset=1&cats=pm_gbv"],
)
def test_need_coverage_and_gap_maps_equal_the_gap_table(data, domain, query):
    """The map computes need and coverage without ranking priorities; they, and the gap map's
    bivariate classes, must stay exactly gap_table's columns."""
    state = from_query(f"?level=2&ind=gap{query}", domain)
    table = model.gap_frame_all.uncached(data, state, True)
    bivariate = model.indicator_values(data, state, "member").values.reindex(table.index)
    pd.testing.assert_series_equal(
        bivariate, table["bivariate"].astype("float64"), check_names=False
    )
    need = model.need_frame.uncached(data, state, True)["need_class"].reindex(table.index)
    pd.testing.assert_series_equal(need, table["need_class"], check_names=False)
    cover = model.coverage_of(data, state["sector"]).reindex(table.index)
    pd.testing.assert_series_equal(cover, table["coverage_per_100k"], check_names=False)
