"""Callback logic without a browser: routing/deep links, map values and patches, key figures,
public-view suppression, exports, and the published demo figures."""

from __future__ import annotations

import pytest

from analysis import gate as model
from analysis import periods
from analysis.protection import WITHHELD
from callbacks import views
from callbacks.state import (
    controls_of,
    default_state,
    from_query,
    preset_range,
    to_query,
)
from tests.export_support import csv_parts


def test_presets_are_relative_to_the_last_month_of_data(domain):
    assert domain.last_month == "2019-12"
    assert preset_range("1", "2019-12") == ("2019-12", "2019-12")
    assert preset_range("3", "2019-12") == ("2019-10", "2019-12")
    assert preset_range("12", "2019-12") == ("2019-01", "2019-12")
    assert preset_range("year", "2019-06") == ("2019-01", "2019-06")


def test_query_string_round_trips_every_filter(domain):
    state = {
        **default_state(domain),
        "lang": "en",
        "level": 2,
        "region": "ML05",
        "preset": "custom",
        "start": "2019-07",
        "end": "2019-09",
        "cats": ["pm_gbv", "pm_life"],
        "sector": "PRO-CPN",
        "ind": "idps",
        "unit": "ML0501",
        "tab": "gap",
        "mode": "briefing",
    }
    assert from_query(to_query(state, domain), domain) == state
    assert to_query(default_state(domain), domain) == ""


def test_custom_range_ending_on_the_default_month_round_trips(domain):
    state = {**default_state(domain), "preset": "custom", "start": "2019-03", "end": "2019-12"}
    assert from_query(to_query(state, domain), domain) == state


def test_bad_deep_link_values_fall_back_to_defaults(domain):
    state = from_query("?region=XX99&level=7&start=1990-01&end=2019-05&ind=nope&cats=zz", domain)
    assert state == default_state(domain)


def test_route_from_url_sets_controls(data, domain):
    query, state, controls = views.route(
        "url",
        "?region=ML05&level=2&lang=en",
        controls_of(default_state(domain)),
        None,
        None,
        data.level_of,
        domain,
    )
    assert query is views.KEEP
    assert state["region"] == "ML05" and state["lang"] == "en"
    assert controls[1] == "ML05"


def test_route_control_change_writes_url(data, domain):
    state = default_state(domain)
    controls = controls_of(state)
    controls[4] = "12"  # preset
    query, new, out = views.route("filter-preset", "", controls, state, None, data.level_of, domain)
    assert query == "?preset=12"
    assert (new["start"], new["end"]) == ("2019-01", "2019-12")
    assert out[2:4] == ["2019-01", "2019-12"]


def test_clicking_region_zooms_to_its_cercles_then_cercle_selects_it(data, domain):
    state = default_state(domain)
    query, new, _ = views.route("map", "", controls_of(state), state, "ML05", data.level_of, domain)
    assert new["region"] == "ML05" and new["level"] == 2 and "region=ML05" in query
    units = model.scope_units(data, new)
    assert len(units) == 8 and all(u.startswith("ML05") for u in units)
    _, chosen, _ = views.route("map", query, controls_of(new), new, "ML0501", data.level_of, domain)
    assert chosen["unit"] == "ML0501"
    back = views.route(
        "country-button", "", controls_of(chosen), chosen, None, data.level_of, domain
    )[1]
    assert back["region"] == "" and back["unit"] == "" and back["level"] == 1


def test_mopti_idps_at_2019_09_30_equal_published_figure(data, domain):
    state = from_query("?preset=custom&start=2019-09&end=2019-09&ind=idps", domain)
    fig, _ = views.map_output(data, state, "public", None)
    values = fig["data"][2]
    shown = dict(zip(values["locations"], (c[1] for c in values["customdata"]), strict=True))
    assert shown["ML05"] == "61\u202f083"
    assert shown["ML07"] == "53\u202f380"
    kf = model.key_figures(data, {**state, "region": "ML05"}, "public").figures
    assert next(f for f in kf if f["key"] == "ind_idps")["value"] == 61_083
    national = next(
        f for f in model.key_figures(data, state, "public").figures if f["key"] == "ind_idps"
    )
    assert national["value"] == 187_139


def test_map_sends_only_values_when_geometry_is_unchanged(data, domain):
    state = default_state(domain)
    fig, key = views.map_output(data, state, "public", None)
    assert fig["data"][0]["geojson"] == "/geo/level-1.json"  # geometry fetched once, cached
    assert fig["data"][0]["type"] == "choropleth" and fig["layout"]["geo"]["visible"] is False
    assert "Mopti" in fig["data"][4]["text"]  # place names drawn on the map
    patch, same_key = views.map_output(data, {**state, "ind": "fatalities"}, "public", key)
    assert isinstance(patch, dict) and same_key == key
    assert len(patch["traces"]) == 3


def test_units_without_data_are_grey_not_zero(data, domain):
    state = from_query("?preset=custom&start=2018-01&end=2018-01&ind=idps&level=2", domain)
    values = model.indicator_values(data, state, "public")
    fig, _ = views.map_output(data, state, "public", None)
    assert set(fig["data"][0]["locations"]) == set(values.values.index[values.values.isna()])
    assert 0 not in [v for v in fig["data"][2]["z"] if v is None]


def test_sensitive_categories_are_members_only_at_cercle_level_in_public_view(data, domain):
    state = from_query("?level=2&preset=1&cats=pm_gbv", domain)
    values = model.indicator_values(data, state, "public")
    assert values.hidden.all()  # a cercle is finer than the protected grain (région)
    assert set(values.display) == {WITHHELD}
    assert values.values.isna().all()  # the number never leaves the server
    assert "note_sensitive_withheld" in values.notes
    fig, _ = views.map_output(data, state, "public", None)
    sent = [c[1] for c in fig["data"][1]["customdata"]]
    assert len(sent) == 50 and set(sent) == {"réservé aux membres"}
    assert not fig["data"][2]["locations"]


def test_public_region_quarter_shows_published_protected_cells(data, domain):
    state = from_query("?level=1&preset=custom&start=2019-10&end=2019-12&cats=pm_gbv", domain)
    values = model.indicator_values(data, state, "public")
    assert not values.hidden.any() and values.notes == ("note_sensitive_rounded",)
    exact = model.indicator_values(data, state, "member").values
    assert (values.values % 5 == 0).all()  # published cells are multiples of 5
    assert ((exact == 0) == (values.values == 0)).all()  # zero stays zero, 1-4 never 0
    assert ((values.values - exact).abs() < 5).all()
    assert values.values.to_dict() == {
        unit: float(data.cells.table(1, [unit], "2019-10", "2019-12", ["pm_gbv"], "events")[0, 0])
        for unit in values.values.index
    }


def test_member_view_shows_exact_counts(data, domain):
    state = from_query("?level=2&preset=1&cats=pm_gbv", domain)
    values = model.indicator_values(data, state, "member")
    assert not values.hidden.any() and not values.notes
    exact = model.q.incident_totals(data.cubes, 2, "2019-12-01", "2019-12-01", ["pm_gbv"])
    assert values.values.to_dict() == exact.astype(float).to_dict()


def test_unknown_roles_are_the_public(data, domain):
    state = from_query("?level=2&preset=1&cats=pm_gbv", domain)
    for role in ("", "Member", "root", None):
        assert model.indicator_values(data, state, role).hidden.all()


def test_key_figures_compare_with_previous_period_of_same_length(data, domain):
    state = from_query("?preset=custom&start=2019-07&end=2019-09", domain)
    assert periods.previous_months("2019-07", "2019-09") == ("2019-04", "2019-06")
    figs = {f["key"]: f for f in model.key_figures(data, state, "public").figures}
    incidents = figs["ind_incidents"]
    assert incidents["pct"] == pytest.approx(
        (incidents["value"] - incidents["previous"]) / incidents["previous"]
    )


def test_the_page_lays_out_one_tile_per_key_figure_in_the_gates_order(data, domain):
    """The tiles are laid out once (layouts.tables.key_figure_grid); the callback fills them by
    key, so a figure the page has no tile for would silently not be shown."""
    from layouts.tables import KEY_FIGURE_KEYS, key_figure_texts

    for role in ("public", "member"):
        figures = model.key_figures(data, from_query("?region=ML05", domain), role).figures
        assert tuple(f["key"] for f in figures) == KEY_FIGURE_KEYS
        tiles = key_figure_texts(figures, "fr")
        assert tiles["ind_incidents"].value not in ("", "–")
        assert tiles["ind_partners"].change == ""


def test_gap_view_and_csv_export(data, domain):
    state = from_query("?tab=gap&sector=PRO-GBV", domain)
    out = views.gap_view(data, state, "public")
    assert "Indice de besoin" in " ".join(span.children for span in out["method"])
    assert out["rows"][0]["rank"] == 1 and out["columns"][0]["headerName"] == "Rang"
    csv = views.gap_csv(data, state, "public")
    assert csv["filename"].endswith(".csv")
    meta, header, rows = csv_parts(csv)
    assert "Rang" in header and "pcode" in header
    assert len(rows) == 50  # 50 map units
    assert meta["Titre"].endswith("Cercles prioritaires (besoin élevé, couverture faible)")


def test_unit_csv_keeps_withheld_values_withheld(data, domain):
    state = from_query(
        "?level=2&region=ML05&unit=ML0501&preset=custom&start=2019-07&end=2019-09"
        "&cats=pm_gbv,pm_life",
        domain,
    )
    csv = views.unit_csv(data, state, "public")
    meta, header, table = csv_parts(csv)
    assert "Bandiagara" not in header and "Bandiagara" in meta["Zone"]
    rows = {r["key"]: r["value"] for r in model.unit_rows(data, state, "public")}
    assert rows["cat:pm_gbv"] == WITHHELD
    assert ["Violences basées sur le genre (VBG)", "réservé aux membres", ""] in table
    member = {r["key"]: r["value"] for r in model.unit_rows(data, state, "member")}
    assert member["cat:pm_gbv"] != WITHHELD
    life = model.q.incident_totals(data.cubes, 2, "2019-07-01", "2019-09-01", ["pm_life"])
    assert (
        rows["cat:pm_life"] == member["cat:pm_life"] == f"{life['ML0501']:,}".replace(",", "\u202f")
    )


def test_language_chrome_translates_options(data, domain):
    state = {**default_state(domain), "lang": "en"}
    chrome = views.chrome(data, state, ["title", "tab_gap"])
    assert chrome["texts"] == ["Mali Protection Cluster — protection gaps", "Gap analysis"]
    assert chrome["options"][2][-1]["label"] == "Dec 2019"
    assert views.chrome(data, default_state(domain), ["tab_gap"])["texts"] == [
        "Analyse des lacunes"
    ]


def test_partners_key_figure_counts_the_distinct_organisations_of_the_scope(data, domain):
    """The partners tile equals a plain count of the distinct organisations of the services
    cube in the scope (and sub-sector), for Mali, each région and each cercle."""
    import pandas as pd

    orgs = data.cubes.service_orgs
    scopes = [("", "")] + [(r, "") for r in data.cubes.units[1]]
    scopes += [(c[:4], c) for c in data.cubes.units[2]]
    for region, unit in scopes:
        for sector in ["", *data.sectors()]:
            state = {**from_query("?", domain), "region": region, "unit": unit, "sector": sector}
            figures = model.key_figures(data, state, "public").figures
            shown = next(f["value"] for f in figures if f["key"] == "ind_partners")
            level, column = (2, unit) if unit else (1, region)
            rows = orgs if not column else orgs[orgs[f"unit{level}"] == column]
            if sector:
                rows = rows[rows["sector"] == sector]
            assert shown == float(pd.unique(rows["org"].dropna()).size), (region, unit, sector)
