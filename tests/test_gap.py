"""Gap analysis: need index, coverage, bivariate classes, priority and service deserts."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.gap import (
    BIVARIATE_COLOURS,
    METHOD_TEXT,
    NeedSettings,
    bivariate_colour,
    coverage,
    gap_table,
    need_index,
    service_deserts,
    terciles,
)

UNITS = ["A", "B", "C", "D", "E", "F"]
POP = pd.Series([100_000, 100_000, 50_000, 200_000, 100_000, 80_000], index=UNITS)


def _need(**kwargs):
    incidents = pd.Series([100, 50, 10, 0, 20, 5], index=UNITS)
    displaced = pd.Series([5_000, 1_000, 500, 0, 2_000, 100], index=UNITS)
    access = pd.Series([10, 2, 0, 0, 5, 1], index=UNITS)
    return need_index(incidents, displaced, access, POP, **kwargs)


def test_need_index_orders_cercles_by_proxies_and_has_three_classes():
    need = _need()
    assert need["score"].idxmax() == "A"
    assert need["score"].idxmin() == "D"
    assert need["score"].between(0, 1).all()
    assert list(need["need_class"]) == list(terciles(need["score"]) + 1)
    assert need.loc["A", "need_class"] == 3 and need.loc["D", "need_class"] == 1
    assert need.loc["A", "rank_incidents"] == 1 and need.loc["D", "rank_incidents"] == 6
    assert need.loc["A", "incidents_per_10k"] == pytest.approx(10.0)


def test_minmax_and_rank_normalisation_both_supported():
    rank = _need(settings=NeedSettings(normalise="rank"))
    minmax = _need(settings=NeedSettings(normalise="minmax"))
    assert rank["score"].idxmax() == minmax["score"].idxmax() == "A"
    with pytest.raises(ValueError):
        _need(settings=NeedSettings(normalise="zscore"))


def test_weights_change_the_index():
    only_access = _need(
        settings=NeedSettings(weights={"incidents": 0, "displacement": 0, "access": 1})
    )
    assert only_access.loc["E", "score"] > only_access.loc["B", "score"]
    with pytest.raises(ValueError):
        _need(settings=NeedSettings(weights={"incidents": 0, "displacement": 0, "access": 0}))


def test_unit_without_population_has_no_data_not_zero():
    pop = POP.drop("F")
    need = need_index(pd.Series({"F": 3}), pd.Series(dtype=float), pd.Series(dtype=float), pop)
    assert pd.isna(need.loc["F", "score"])
    assert pd.isna(need.loc["F", "need_class"])
    assert need.loc["A", "score"] == 0  # present population, no events: lowest need, not missing


def test_coverage_is_partners_per_100k():
    cover = coverage(pd.Series({"A": 2, "C": 1}), POP)
    assert cover["A"] == pytest.approx(2.0)
    assert cover["C"] == pytest.approx(2.0)
    assert cover["B"] == 0


def test_terciles_split_ranked_values():
    t = terciles(pd.Series([1, 2, 3, 4, 5, 6], index=UNITS))
    assert list(t) == [0, 0, 1, 1, 2, 2]


def test_gap_table_ranks_high_need_low_coverage_first_and_finds_deserts():
    need = _need()
    partners = pd.Series({"A": 0, "B": 3, "C": 1, "D": 2, "E": 1, "F": 0})
    table = gap_table(need, partners, POP)
    assert table.index[0] == "A"
    assert table.loc["A", "priority"] == 1
    assert bool(table.loc["A", "desert"])
    assert bool(table.loc["A", "priority_gap"])
    assert table.loc["A", "bivariate"] == 2 * 3 + 0
    assert list(service_deserts(table).index) == ["A"]
    assert not table.loc["D", "desert"]


def test_priority_follows_the_stated_rule_high_need_then_low_coverage():
    """A high-need cercle with many partners never comes before a high-need cercle with none,
    and a medium-need cercle never before a high-need one."""
    need = _need()
    partners = pd.Series({"A": 9, "B": 0, "C": 1, "D": 2, "E": 0, "F": 0})
    table = gap_table(need, partners, POP)
    ranked = table[table["priority"].notna()]
    keys = list(
        zip(-ranked["need_tercile"], ranked["coverage_tercile"], -ranked["need_score"], strict=True)
    )
    assert keys == sorted(keys)
    assert table.loc["E", "priority"] < table.loc["A", "priority"]  # E: high need, no partner


def test_bivariate_colours_cover_nine_classes():
    assert len(BIVARIATE_COLOURS) == 9
    assert bivariate_colour(8) == BIVARIATE_COLOURS[(2, 2)]
    assert bivariate_colour(None) is None


def test_method_text_in_french_and_english():
    assert "Indice de besoin" in METHOD_TEXT["fr"]
    assert "Need index" in METHOD_TEXT["en"]


def test_average_ranks_match_pandas_with_ties():
    import numpy as np

    from analysis.gap import average_ranks

    rng = np.random.default_rng(7)
    for size in (1, 2, 50, 701):
        values = rng.integers(0, 12, size).astype(float)  # many ties
        expected = pd.Series(values).rank(method="average").to_numpy()
        assert np.array_equal(average_ranks(values), expected)


def test_terciles_match_the_percentile_rank_definition():
    import numpy as np

    rng = np.random.default_rng(11)
    values = pd.Series(rng.integers(0, 9, 60).astype(float))
    values[::7] = np.nan
    valid = values.dropna()
    pct = valid.rank(method="average", pct=True)
    expected = np.minimum((pct * 3 - 1e-9).astype(int).clip(lower=0), 2)
    got = terciles(values)
    assert got[valid.index].astype(int).tolist() == expected.tolist()
    assert got[values.isna()].isna().all()


@pytest.mark.parametrize(
    "query", ["", "&sector=PRO-GBV", "&wi=1&wd=0&wa=0", "&region=ML05", "&lang=en"]
)
@pytest.mark.parametrize("role", ["public", "member"])
def test_priority_table_map_and_briefing_agree_on_every_cercle(data, domain, query, role):
    """One classification: the grid, the bivariate map (colour and hover) and the briefing list
    give every cercle the same class, and the grid and the briefing the same order."""
    from callbacks import views
    from callbacks.state import from_query
    from layouts.classes import gap_class_text

    state = from_query(f"?tab=gap{query}", domain)
    out = views.gap_view(data, state, role)
    rows = out["rows"]
    values = out["figure"]["data"][2]
    on_map = dict(zip(values["locations"], values["z"], strict=True))
    hover = {loc: c[1] for loc, c in zip(values["locations"], values["customdata"], strict=True)}
    lang = state["lang"]
    for row in rows:
        code = on_map[row["unit"]]
        assert row["bivariate"] == code
        assert row["gap_class"] == gap_class_text(code // 3 + 1, code % 3, lang)
        lines = hover[row["unit"]].split("<br>")
        assert lines[0] == row["gap_class"] and len(lines) == 6  # class, rank, 3 parts, coverage
    ranks = [(-(r["bivariate"] // 3), r["bivariate"] % 3) for r in rows]
    assert ranks == sorted(ranks)  # high need first, then low coverage
    ranks_shown = [r["rank"] for r in rows]  # national ranks: a région shows its own, in order
    assert ranks_shown == sorted(ranks_shown) and len(set(ranks_shown)) == len(rows)
    if not state["region"]:
        assert ranks_shown == list(range(1, len(rows) + 1))
    briefing = views.briefing_priorities(data, {**state, "mode": "briefing"}, role)
    listed = [tr.to_plotly_json()["props"] for tr in briefing.children[1].children]
    assert [p["data-unit"] for p in listed] == [r["unit"] for r in rows[: len(listed)]]
    for props, row in zip(listed, rows, strict=False):
        cells = props["children"]
        assert cells[2].children[1] == row["gap_class"]
    assert set(out["figure"]["data"][3]["locations"]) == {r["unit"] for r in rows if r["gap"]}
