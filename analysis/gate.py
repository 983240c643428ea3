"""The publishing gate: every number a view may show, given the view state and the viewer's role.

Why one gate: the public view may show sensitive categories only through the protected cells
of the data-protection policy (:mod:`analysis.protection`), and that holds only if *every*
public number (map, hover, key figures, trends, panels, grids, exports, briefing) is computed
by the same rules. Callbacks format what these functions return; none computes a number.

Each public entry point takes ``(data, state, role)``; ``role`` is the viewer's role checked on
the server (``public``, ``member``, ``imo``, ``admin``; anything else is the public). Members
see exact figures. For the public, incident counts come from :mod:`analysis.published` only:
non-sensitive categories exact, sensitive ones as published protected cells when the request
is made of whole cells, else withheld (``WITHHELD``, "réservé aux membres"); the need index
uses no sensitive count at all. Results are memoised with the audience in the cache key, so a
member's answer is never served to the public.

``state`` must be a validated view state (:func:`callbacks.state.clean_state`). No Dash import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import queries as q
from analysis.dataset import NEED, PERIOD, DashboardData, cached, memo
from analysis.gap import (
    NeedSettings,
    coverage,
    coverage_classes,
    gap_table,
    need_index,
    terciles,
)
from analysis.periods import month_end, month_start, previous_months
from analysis.protection import WITHHELD
from analysis.published import incident_months, incident_table, is_exact
from data.vocab import CATEGORY_BY_CODE, INCIDENT_CATEGORIES

WEIGHT_KEYS = {"wi": "incidents", "wd": "displacement", "wa": "access"}

# ---------------------------------------------------------------- scope


def map_level(state: dict) -> int:
    """Régions, cercles or communes: a selected région shows its cercles (communes at level 3)."""
    level = int(state.get("level", 1))
    if state.get("region"):
        return 3 if level == 3 else 2
    return level


def region_of(data: DashboardData, level: int, units: pd.Index) -> np.ndarray:
    """The région id of each unit of ``level`` (walking up the parents)."""
    ids = pd.Index(units)
    for upper in range(level, 1, -1):
        ids = pd.Index(data.parents(upper).reindex(ids).fillna("").to_numpy())
    return ids.to_numpy()


def scope_units(data: DashboardData, state: dict) -> pd.Index:
    """Units drawn on the map: every unit of the level, or those inside the selected région."""
    level = map_level(state)
    units = data.cubes.units[level]
    if state.get("region") and level >= 2:
        units = units[region_of(data, level, units) == state["region"]]
    return units


def selected_categories(data: DashboardData, state: dict) -> list[str]:
    return list(state.get("cats") or data.default_categories())


# ---------------------------------------------------------------- indicator values


@dataclass(frozen=True)
class Values:
    """One number per unit: ``values`` NaN = no data or withheld, ``display`` what people see.

    ``hidden``: withheld from this viewer ("réservé aux membres"). ``notes``: i18n keys of what
    the viewer must be told (sensitive categories rounded or withheld, need index without them).
    """

    values: pd.Series
    display: pd.Series
    hidden: pd.Series
    unit_key: str  # i18n key of the unit (events, per 10k, people...)
    decimals: int = 0
    notes: tuple[str, ...] = ()


def _fmt(values: pd.Series, decimals: int = 0) -> pd.Series:
    return pd.Series(
        ["" if pd.isna(v) else f"{v:,.{decimals}f}".replace(",", "\u202f") for v in values],
        index=values.index,
        dtype=object,
    )


def protection_notes(withheld: list[str], rounded: list[str]) -> tuple[str, ...]:
    """The i18n keys telling the public what happened to sensitive categories."""
    notes = []
    if rounded:
        notes.append("note_sensitive_rounded")
    if withheld:
        notes.append("note_sensitive_withheld")
    return tuple(notes)


def displacement_at(data: DashboardData, level: int, month: str) -> pd.DataFrame:
    """IDPs, returnees, repatriated per unit as of the end of ``month`` (not sensitive).

    Every month of the data is computed once per level (the first time the level is asked
    for; :func:`warm` does it at start-up), so a period change never waits for it.
    """
    table = data.displacement_months(level).get(month)
    if table is not None:
        return table.copy()
    return memo(
        data,
        "displacement_at",
        json.dumps([level, month]),
        lambda: q.displacement_at(data.cubes, level, month_end(month)),
    )


def warm(data: DashboardData) -> None:
    """Compute at start-up what no filter changes: displacement as of each month, and the
    displacement trend of Mali and of each région."""
    for level in data.levels:
        data.displacement_months(level)
    for region in ["", *data.cubes.units[1]]:
        displacement_trend(data, {"region": region, "unit": ""}, "public")


def access_totals(data: DashboardData, level: int, start: str, end: str) -> pd.Series:
    """Access constraint events per unit over whole months (memoised; not sensitive)."""
    return memo(
        data,
        "access_totals",
        json.dumps([level, start, end]),
        lambda: q.access_totals(data.cubes, level, month_start(start), month_start(end)),
    )


def population_of(data: DashboardData, level: int) -> pd.Series:
    return data.static(("population", level), lambda: q.population(data.cubes, level))


def partners_present(data: DashboardData, level: int, sector: str | None) -> pd.Series:
    return data.static(
        ("partners", level, sector or None),
        lambda: q.partners_present(data.cubes, level, sector=sector or None),
    )


def gap_frame(
    data: DashboardData, state: dict, role: str, units: pd.Index | None = None
) -> pd.DataFrame:
    """Need index, coverage and priority per cercle of the scope (level 2 always)."""
    table = gap_frame_all(data, state, is_exact(role))
    if units is None:
        units = scope_units(data, {**state, "level": 2})
    return table[table.index.isin(units)]


def need_categories(data: DashboardData, state: dict, exact: bool) -> list[str]:
    """Categories the need index counts: the selection, without sensitive ones for the public
    (DATA_PROTECTION.md: the public need index and ranks use no sensitive counts)."""
    cats = selected_categories(data, state)
    return cats if exact else data.policy.split(cats)[0]


def weights_of(state: dict) -> dict[str, float]:
    return {name: float(state[key]) for key, name in WEIGHT_KEYS.items()}


@cached(*PERIOD, *WEIGHT_KEYS)
def need_frame(data: DashboardData, state: dict, exact: bool) -> pd.DataFrame:
    """Need index (with the state's weights) of every cercle: no sub-sector in it."""
    level = 2
    start, end = state["start"], state["end"]
    cats = need_categories(data, state, exact)
    counts = incident_table(
        data, level, data.cubes.units[level], start, end, cats, "events", exact=True
    )
    incidents = counts.values.sum(axis=1).astype("int64")
    disp = displacement_at(data, level, end)
    displaced = disp["idps"].fillna(0) + disp["returnees"].fillna(0)
    access = access_totals(data, level, start, end)
    population = population_of(data, level)
    # Rank over every cercle of the country so a cercle's class does not depend on the zoom.
    return need_index(
        incidents, displaced, access, population, NeedSettings(weights=weights_of(state))
    )


def coverage_of(data: DashboardData, sector: str | None) -> pd.Series:
    """Partners of the sub-sector per 100,000 inhabitants of every cercle (gap_table's
    ``coverage_per_100k``): no period in it, so computed once per sub-sector."""

    def compute() -> pd.Series:
        units = data.cubes.units[2]
        part = partners_present(data, 2, sector).reindex(units).fillna(0).astype(int)
        return coverage(part, population_of(data, 2)).reindex(units)

    return data.static(("coverage", sector or None), compute)


def coverage_classes_of(data: DashboardData, sector: str | None) -> pd.Series:
    """Coverage tercile (0/1/2, no partner = 0) of every cercle: gap_table's
    ``coverage_tercile``, computed once per sub-sector."""

    def compute() -> pd.Series:
        units = data.cubes.units[2]
        part = partners_present(data, 2, sector).reindex(units).fillna(0).astype(int)
        return coverage_classes(part, coverage_of(data, sector))

    return data.static(("coverage_classes", sector or None), compute)


@cached(*NEED)
def bivariate_of(data: DashboardData, state: dict, exact: bool) -> pd.Series:
    """Bivariate class (need tercile x 3 + coverage tercile) of every cercle: gap_table's
    ``bivariate`` without ranking the priorities (what the gap map shows on each change)."""
    need3 = terciles(need_frame(data, state, exact)["score"])
    cover3 = coverage_classes_of(data, state.get("sector")).reindex(need3.index)
    codes = need3.to_numpy(dtype=float, na_value=np.nan) * 3 + cover3.to_numpy(
        dtype=float, na_value=np.nan
    )  # missing on either side stays missing
    return pd.Series(pd.array(np.where(np.isnan(codes), None, codes), dtype="Int64"), need3.index)


@cached(*NEED)
def gap_frame_all(data: DashboardData, state: dict, exact: bool) -> pd.DataFrame:
    """Need index (with the state's weights), coverage and priority of every cercle."""
    level = 2
    need = need_frame(data, state, exact)
    population = population_of(data, level)
    partners = partners_present(data, level, state.get("sector"))
    table = gap_table(need, partners, population, names=data.names(level))
    table["region"] = data.parents(level).reindex(table.index).map(data.names(1))
    return table


def gap_notes(data: DashboardData, state: dict, role: str) -> tuple[str, ...]:
    """What the public must be told about the need index (sensitive categories left out)."""
    if is_exact(role) or not data.policy.split(selected_categories(data, state))[1]:
        return ()
    return ("note_need_without_sensitive",)


INDICATOR_UNITS = {
    "incidents": "unit_events",
    "incidents_10k": "unit_per_10k",
    "fatalities": "unit_people",
    "idps": "unit_people",
    "returnees": "unit_people",
    "partners": "unit_partners",
    "access": "unit_events",
    "need": "unit_class",
    "coverage": "unit_per_100k",
    "gap": "unit_class",
}
INCIDENT_INDICATORS = ("incidents", "incidents_10k", "fatalities")


def indicator_values(data: DashboardData, state: dict, role: str) -> Values:
    """The mapped indicator per unit of the scope, as the viewer may see it."""
    return _indicator_values(data, state, is_exact(role))


@cached("level", "region", "ind", *NEED)
def _indicator_values(data: DashboardData, state: dict, exact: bool) -> Values:
    level, units = map_level(state), scope_units(data, state)
    ind, start, end = state["ind"], state["start"], state["end"]
    unit_key = INDICATOR_UNITS[ind]
    no_hidden = pd.Series(False, index=units)
    if ind in INCIDENT_INDICATORS:
        measure = "fatalities" if ind == "fatalities" else "events"
        table = incident_table(
            data, level, units, start, end, selected_categories(data, state), measure, exact
        )
        values = table.totals()
        hidden = values.isna()
        notes = protection_notes(table.withheld, table.rounded)
        if ind == "incidents_10k":
            values = q.per_10k(values, population_of(data, level).reindex(units))
            shown = _fmt(values, 1).where(~hidden, WITHHELD)
            return Values(values, shown, hidden, unit_key, 1, notes)
        return Values(values, _fmt(values).where(~hidden, WITHHELD), hidden, unit_key, 0, notes)
    if ind in ("idps", "returnees"):
        disp = displacement_at(data, level, end)[ind].reindex(units)
        return Values(disp, _fmt(disp), no_hidden, unit_key)
    if ind == "partners":
        partners = partners_present(data, level, state.get("sector"))
        partners = partners.reindex(units).astype(float)
        return Values(partners, _fmt(partners), no_hidden, unit_key)
    if ind == "access":
        access = access_totals(data, level, start, end).reindex(units).astype(float)
        return Values(access, _fmt(access), no_hidden, unit_key)
    # need / coverage / gap are cercle measures; at région level show the cercles' mean, at
    # commune level each commune shows its cercle's value
    # (need and coverage without the whole gap table: a coverage map does not change with
    # the period, a need map not with the sub-sector)
    notes = ()
    if ind == "need":
        series, decimals = need_frame(data, state, exact)["need_class"], 0
    elif ind == "coverage":
        series, decimals = coverage_of(data, state.get("sector")), 1
    else:
        series, decimals = bivariate_of(data, state, exact), 0
    if ind != "coverage" and not exact:
        notes = gap_notes(data, state, "public")
    cercles = scope_units(data, {**state, "level": 2}) if level == 2 else data.cubes.units[2]
    series = series[series.index.isin(cercles)].astype("float64")
    if level == 1:
        parents = data.parents(2).reindex(series.index)
        series = series.groupby(parents).mean().round(1 if ind != "gap" else 0)
        decimals = 1 if ind != "gap" else 0
    if level == 3:
        cercles = data.parents(3).reindex(units)
        series = pd.Series(series.reindex(cercles.to_numpy()).to_numpy(), index=units)
    series = series.reindex(units)
    return Values(series, _fmt(series, decimals), no_hidden, unit_key, decimals, notes)


# ---------------------------------------------------------------- key figures


def scope_of(data: DashboardData, state: dict) -> tuple[int, list[str] | None]:
    """Level and units whose sum the key figures show (selected cercle > région > Mali)."""
    if state.get("unit"):
        level = data.level_of(state["unit"]) or 2
        return level, [state["unit"]]
    if state.get("region"):
        return 1, [state["region"]]
    return 1, None


@dataclass(frozen=True)
class KeyFigures:
    """The key figures of a scope and period, and what the viewer must be told about them."""

    figures: list[dict]
    notes: tuple[str, ...] = ()
    has_previous: bool = True


def key_figures(data: DashboardData, state: dict, role: str) -> KeyFigures:
    """Incidents, fatalities, IDPs, returnees, access constraints, partners, with the change
    against the previous period of the same length."""
    return _key_figures(data, state, is_exact(role))


@cached(*PERIOD, "region", "unit", "sector")
def _key_figures(data: DashboardData, state: dict, exact: bool) -> KeyFigures:
    level, chosen = scope_of(data, state)
    units = pd.Index(chosen) if chosen else data.cubes.units[level]
    start, end = state["start"], state["end"]
    prev_start, prev_end = previous_months(start, end)
    has_previous = prev_start >= data.months[0]
    cats = selected_categories(data, state)
    out: list[dict] = []
    notes: set[str] = set()
    for measure, key in (("events", "ind_incidents"), ("fatalities", "ind_fatalities")):
        now = incident_table(data, level, units, start, end, cats, measure, exact)
        before = incident_table(data, level, units, prev_start, prev_end, cats, measure, exact)
        notes.update(protection_notes(now.withheld, now.rounded))
        # compare like with like: a category withheld in either period is left out of both
        left_out = set(now.withheld) | set(before.withheld)
        kept = [c for c in cats if c not in left_out]
        cur = _sum(now.values, kept)
        prev = _sum(before.values, kept) if has_previous else np.nan
        out.append(_figure(key, cur, prev, _num(cur), _num(prev)))
    disp_now = displacement_at(data, level, end).reindex(units)
    disp_prev = displacement_at(data, level, prev_end).reindex(units)
    for measure, key in (("idps", "ind_idps"), ("returnees", "ind_returnees")):
        cur = disp_now[measure].sum(min_count=1)
        prev = disp_prev[measure].sum(min_count=1)
        out.append(_figure(key, cur, prev, _num(cur), _num(prev)))
    access_now = access_totals(data, level, start, end)
    access_prev = access_totals(data, level, prev_start, prev_end)
    cur, prev = access_now.reindex(units).sum(), access_prev.reindex(units).sum()
    prev = prev if has_previous else np.nan
    out.append(_figure("ind_access", cur, prev, _num(cur), _num(prev)))
    partners = _distinct_partners(data, level, units, state.get("sector") or None)
    out.append(_figure("ind_partners", partners, np.nan, _num(partners), ""))
    ordered = tuple(n for n in ("note_sensitive_rounded", "note_sensitive_withheld") if n in notes)
    return KeyFigures(out, ordered, has_previous)


def _sum(values: pd.DataFrame, columns: list[str]) -> float:
    """Sum of ``columns`` over every unit; NaN when no column is left (all withheld)."""
    if not columns:
        return np.nan
    return float(values[columns].to_numpy().sum())


def _distinct_partners(data: DashboardData, level: int, units, sector) -> float:
    """Organisations present in any of ``units`` (no period in it: once per scope and sector)."""
    key = ("distinct_partners", level, tuple(units), sector or None)
    return data.static(key, lambda: _count_partners(data, level, units, sector))


def _count_partners(data: DashboardData, level: int, units, sector) -> float:
    orgs = data.cubes.service_orgs
    orgs = orgs[orgs[f"unit{level}"].isin(list(units))]
    if sector:
        orgs = orgs[orgs["sector"] == sector]
    return float(orgs["org"].nunique())


def _num(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:,.0f}".replace(",", "\u202f")


def _figure(key: str, current, previous, shown: str, previous_shown: str) -> dict:
    pct = np.nan
    if not pd.isna(current) and not pd.isna(previous) and previous:
        pct = (float(current) - float(previous)) / float(previous)
    return {
        "key": key,
        "value": None if pd.isna(current) else float(current),
        "previous": None if pd.isna(previous) else float(previous),
        "display": shown if shown else (WITHHELD if key == "ind_incidents" else ""),
        "previous_display": previous_shown,
        "pct": None if pd.isna(pct) else float(pct),
    }


# ---------------------------------------------------------------- trends and panels


@dataclass(frozen=True)
class Trend:
    """Month x category counts (NaN where withheld) and what the viewer must be told."""

    values: pd.DataFrame
    notes: tuple[str, ...] = ()
    withheld: list[str] = field(default_factory=list)


def incident_trend(data: DashboardData, state: dict, role: str) -> Trend:
    return _incident_trend(data, state, is_exact(role))


@cached(*PERIOD, "region", "unit")
def _incident_trend(data: DashboardData, state: dict, exact: bool) -> Trend:
    level, chosen = scope_of(data, state)
    months = [str(p) for p in pd.period_range(state["start"], state["end"], freq="M")]
    cats = selected_categories(data, state)
    table, withheld, rounded = incident_months(data, level, chosen, months, cats, exact)
    return Trend(table, protection_notes(withheld, rounded), withheld)


def displacement_trend(data: DashboardData, state: dict, role: str) -> pd.DataFrame:
    """Displacement totals per reporting date of the scope (Mali, a région or a unit): not
    sensitive, and no filter changes it, so each scope is computed once per process (Mali and
    the régions at start-up, see :func:`warm`)."""
    level, chosen = scope_of(data, state)
    key = ("displacement_series", level, tuple(chosen) if chosen else None)
    return data.static(key, lambda: q.displacement_series(data.cubes, chosen, level))


def unit_rows(data: DashboardData, state: dict, role: str) -> list[dict]:
    """Rows of the cercle panel: each indicator for the selected unit, exported as CSV too."""
    return _unit_rows(data, state, is_exact(role))


@cached("unit", *NEED)
def _unit_rows(data: DashboardData, state: dict, exact: bool) -> list[dict]:
    unit = state.get("unit")
    if not unit:
        return []
    rows = [
        {"key": fig["key"], "value": fig["display"], "previous": fig["previous_display"]}
        for fig in _key_figures(data, state, exact).figures
    ]
    level = data.level_of(unit) or 2
    cats = selected_categories(data, state)
    table = incident_table(data, level, [unit], state["start"], state["end"], cats, "events", exact)
    for cat in cats:
        if cat in table.withheld:
            rows.append({"key": f"cat:{cat}", "value": WITHHELD, "previous": ""})
            continue
        count = table.values.loc[unit, cat]
        if count:
            rows.append({"key": f"cat:{cat}", "value": _num(count), "previous": ""})
    if level == 2:
        gap = gap_frame_all(data, state, exact)
        if unit in gap.index:
            row = gap.loc[unit]
            rows.append({"key": "col_need_class", "value": _num(row["need_class"]), "previous": ""})
            cover = row["coverage_per_100k"]
            shown = "" if pd.isna(cover) else f"{cover:.1f}"
            rows.append({"key": "col_coverage", "value": shown, "previous": ""})
    for sector in data.sectors():
        count = partners_present(data, level, sector).get(unit, 0)
        rows.append({"key": f"sector:{sector}", "value": _num(count), "previous": ""})
    return rows


def unit_notes(data: DashboardData, state: dict, role: str) -> tuple[str, ...]:
    """What the public must be told about the panel of the selected unit."""
    if is_exact(role) or not state.get("unit"):
        return ()
    level = data.level_of(state["unit"]) or 2
    cats = selected_categories(data, state)
    table = incident_table(
        data, level, [state["unit"]], state["start"], state["end"], cats, "events", False
    )
    return protection_notes(table.withheld, table.rounded) + gap_notes(data, state, role)


def partner_rows(data: DashboardData, state: dict, role: str) -> list[dict]:
    """Organisations with an active service in the selected unit: name, sub-sectors, services
    (service presence is not sensitive: the same for every role)."""
    unit = state.get("unit")
    level = data.level_of(unit) if unit else None
    if not unit or level is None:
        return []
    orgs = data.cubes.service_orgs
    orgs = orgs[orgs[f"unit{level}"] == unit]
    if state.get("sector"):
        orgs = orgs[orgs["sector"] == state["sector"]]
    if orgs.empty:
        return []
    shown = data.org_labels
    rows = []
    for org, group in orgs.groupby("org", sort=True, observed=True):
        rows.append(
            {
                "org": shown.get(str(org), str(org)),
                "sectors": sorted(group["sector"].astype(str).unique()),
                "services": int(group["services"].sum()),
            }
        )
    return sorted(rows, key=lambda r: (-len(r["sectors"]), r["org"].casefold()))


def unresolved_rows(data: DashboardData, role: str, rows: list[dict]) -> list[dict]:
    """Unresolved rows of the quality panel the viewer may see: incident rows (which say where
    an event was reported) only for members."""
    if is_exact(role):
        return rows
    return [row for row in rows if row.get("stream") != "incidents"]


def families_of(categories: list[str]) -> list[str]:
    """Counting systems (vocabulary families) a selection of categories adds up."""
    order = [c.family for c in INCIDENT_CATEGORIES]
    found = {CATEGORY_BY_CODE[c].family for c in categories if c in CATEGORY_BY_CODE}
    return sorted(found, key=order.index)
