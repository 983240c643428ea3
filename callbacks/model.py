"""What each view shows, as plain data: the callbacks only wrap these functions.

Everything here takes the loaded :class:`DashboardData` and the view state (see
:mod:`callbacks.state`) and returns pandas objects or plain dicts; suppression of sensitive
small counts happens here, server side, before anything is sent to the browser.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import queries as q
from analysis.cubes import Cubes
from analysis.gap import (
    NeedSettings,
    coverage,
    coverage_classes,
    gap_table,
    need_index,
    terciles,
)
from analysis.suppression import (
    PRIMARY_LABEL,
    SECONDARY_LABEL,
    format_count,
    public_view,
    suppression_masks,
)
from callbacks.dataset import NEED, PERIOD, DashboardData, cached, memo
from callbacks.periods import month_end, month_start, previous_months
from callbacks.state import WEIGHT_KEYS, weights_of
from data.vocab import CATEGORY_BY_CODE, INCIDENT_CATEGORIES, SENSITIVE_CATEGORIES

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


def families_of(categories: list[str]) -> list[str]:
    """Counting systems (vocabulary families) a selection of categories adds up."""
    order = [c.family for c in INCIDENT_CATEGORIES]
    found = {CATEGORY_BY_CODE[c].family for c in categories if c in CATEGORY_BY_CODE}
    return sorted(found, key=order.index)


# ---------------------------------------------------------------- indicator values


@dataclass(frozen=True)
class Values:
    """One number per unit: ``values`` NaN = no data or hidden, ``display`` what people see."""

    values: pd.Series
    display: pd.Series
    hidden: pd.Series  # bool: suppressed in the public view
    unit_key: str  # i18n key of the unit (events, per 10k, people...)
    decimals: int = 0


def _fmt(values: pd.Series, decimals: int = 0) -> pd.Series:
    return pd.Series(
        ["" if pd.isna(v) else f"{v:,.{decimals}f}".replace(",", "\u202f") for v in values],
        index=values.index,
        dtype=object,
    )


def incident_table(
    data: DashboardData,
    level: int,
    start: str,
    end: str,
    categories: list[str],
    measure: str = "events",
) -> pd.DataFrame:
    """Units x categories counts over whole months (the input of the suppression).

    One :func:`analysis.queries.incident_matrix` call over the dense arrays (tens of
    microseconds: cheaper than a cache round trip, so not memoised; the callers' results are).
    """
    return _incident_table(data.cubes, level, start, end, list(categories), measure)


def _incident_table(
    cubes: Cubes, level: int, start: str, end: str, categories: list[str], measure: str
) -> pd.DataFrame:
    if not categories:
        return pd.DataFrame(index=cubes.units[level])
    return q.incident_matrix(
        cubes, level, month_start(start), month_start(end), categories, measure=measure
    )


def displacement_at(data: DashboardData, level: int, month: str) -> pd.DataFrame:
    """IDPs, returnees, repatriated per unit as of the end of ``month``.

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
        displacement_trend(data, {"region": region, "unit": ""})


def access_totals(data: DashboardData, level: int, start: str, end: str) -> pd.Series:
    """Access constraint events per unit over whole months (memoised)."""
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


def incidents_public(
    data: DashboardData,
    level: int,
    start: str,
    end: str,
    categories: list[str],
    units: pd.Index,
    measure: str = "events",
):
    """Per-unit totals and grand total after suppression (exact for cluster members)."""
    units = pd.Index(units)
    table = incident_table(data, level, start, end, categories, measure).reindex(units)
    # The suppression of public_view (same masks), keeping only the total column and cell.
    matrix, primary, secondary = suppression_masks(table, SENSITIVE_CATEGORIES)
    if not data.public:
        primary = np.zeros_like(primary)
        secondary = np.zeros_like(secondary)
    totals = matrix[:, -1]  # units then the grand total
    hidden_all = (primary | secondary)[:, -1]
    shown_all = np.array([format_count(v) for v in totals], dtype=object)
    shown_all[primary[:, -1]] = PRIMARY_LABEL
    shown_all[secondary[:, -1]] = SECONDARY_LABEL
    values_all = np.where(hidden_all, np.nan, totals)
    n = len(units)
    per_unit = pd.Series(values_all[:n], index=units, dtype="float64")
    hidden = pd.Series(hidden_all[:n], index=units, dtype=bool)
    shown = pd.Series(shown_all[:n], index=units, dtype=object)
    grand, grand_shown = float(values_all[n]), shown_all[n]
    return per_unit, shown, hidden, grand, grand_shown


def gap_frame(data: DashboardData, state: dict, units: pd.Index | None = None) -> pd.DataFrame:
    """Need index, coverage and priority per cercle of the scope (level 2 always)."""
    table = gap_frame_all(data, state)
    if units is None:
        units = scope_units(data, {**state, "level": 2})
    return table[table.index.isin(units)]


@cached(*PERIOD, *WEIGHT_KEYS)
def need_frame(data: DashboardData, state: dict) -> pd.DataFrame:
    """Need index (with the state's weights) of every cercle: no sub-sector in it."""
    level = 2
    start, end = state["start"], state["end"]
    cats = selected_categories(data, state)
    incidents = incident_table(data, level, start, end, cats).sum(axis=1).astype("int64")
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
def bivariate_of(data: DashboardData, state: dict) -> pd.Series:
    """Bivariate class (need tercile x 3 + coverage tercile) of every cercle: gap_table's
    ``bivariate`` without ranking the priorities (what the gap map shows on each change)."""
    need3 = terciles(need_frame(data, state)["score"])
    cover3 = coverage_classes_of(data, state.get("sector")).reindex(need3.index)
    codes = need3.to_numpy(dtype=float, na_value=np.nan) * 3 + cover3.to_numpy(
        dtype=float, na_value=np.nan
    )  # missing on either side stays missing
    return pd.Series(pd.array(np.where(np.isnan(codes), None, codes), dtype="Int64"), need3.index)


@cached(*NEED)
def gap_frame_all(data: DashboardData, state: dict) -> pd.DataFrame:
    """Need index (with the state's weights), coverage and priority of every cercle."""
    level = 2
    need = need_frame(data, state)
    population = population_of(data, level)
    partners = partners_present(data, level, state.get("sector"))
    table = gap_table(need, partners, population, names=data.names(level))
    table["region"] = data.parents(level).reindex(table.index).map(data.names(1))
    return table


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


@cached("level", "region", "ind", *NEED)
def indicator_values(data: DashboardData, state: dict) -> Values:
    """The mapped indicator per unit of the scope, suppressed where the public view requires."""
    level, units = map_level(state), scope_units(data, state)
    ind, start, end = state["ind"], state["start"], state["end"]
    unit_key = INDICATOR_UNITS[ind]
    no_hidden = pd.Series(False, index=units)
    if ind in ("incidents", "incidents_10k", "fatalities"):
        measure = "fatalities" if ind == "fatalities" else "events"
        values, shown, hidden, _, _ = incidents_public(
            data, level, start, end, selected_categories(data, state), units, measure
        )
        if ind == "incidents_10k":
            rate = q.per_10k(values, population_of(data, level).reindex(units))
            return Values(rate, _fmt(rate, 1).where(~hidden, shown), hidden, unit_key, 1)
        return Values(values, shown.where(values.notna() | hidden, ""), hidden, unit_key)
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
    if ind == "need":
        series, decimals = need_frame(data, state)["need_class"], 0
    elif ind == "coverage":
        series, decimals = coverage_of(data, state.get("sector")), 1
    else:
        series, decimals = bivariate_of(data, state), 0
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
    return Values(series, _fmt(series, decimals), no_hidden, unit_key, decimals)


# ---------------------------------------------------------------- key figures


def _scope_label_units(data: DashboardData, state: dict) -> tuple[int, list[str] | None]:
    """Level and units whose sum the key figures show (selected cercle > région > Mali)."""
    if state.get("unit"):
        level = data.level_of(state["unit"]) or 2
        return level, [state["unit"]]
    if state.get("region"):
        return 1, [state["region"]]
    return 1, None


@cached(*PERIOD, "region", "unit", "sector")
def key_figures(data: DashboardData, state: dict) -> list[dict]:
    """Each figure: i18n key, current and previous value, display strings, change in %."""
    level, chosen = _scope_label_units(data, state)
    units = pd.Index(chosen) if chosen else data.cubes.units[level]
    start, end = state["start"], state["end"]
    prev_start, prev_end = previous_months(start, end)
    has_previous = prev_start >= data.months[0]
    cats = selected_categories(data, state)
    out = []
    for measure, key in (("events", "ind_incidents"), ("fatalities", "ind_fatalities")):
        _, _, _, cur, cur_shown = incidents_public(data, level, start, end, cats, units, measure)
        _, _, _, prev, prev_shown = incidents_public(
            data, level, prev_start, prev_end, cats, units, measure
        )
        out.append(
            _figure(
                key,
                cur,
                prev if has_previous else np.nan,
                cur_shown,
                prev_shown if has_previous else "",
            )
        )
    disp_now = displacement_at(data, level, end).reindex(units)
    disp_prev = displacement_at(data, level, prev_end).reindex(units)
    for measure, key in (("idps", "ind_idps"), ("returnees", "ind_returnees")):
        cur = disp_now[measure].sum(min_count=1)
        prev = disp_prev[measure].sum(min_count=1)
        out.append(_figure(key, cur, prev, _num(cur), _num(prev)))
    access_now = access_totals(data, level, start, end)
    access_prev = access_totals(data, level, prev_start, prev_end)
    cur, prev = access_now.reindex(units).sum(), access_prev.reindex(units).sum()
    out.append(
        _figure(
            "ind_access",
            cur,
            prev if has_previous else np.nan,
            _num(cur),
            _num(prev) if has_previous else "",
        )
    )
    partners = _distinct_partners(data, level, units, state.get("sector") or None)
    out.append(_figure("ind_partners", partners, np.nan, _num(partners), ""))
    return out


def _distinct_partners(data: DashboardData, level: int, units, sector) -> float:
    """Organisations present in any of ``units`` (no period in it: once per scope and sector)."""
    key = ("distinct_partners", level, tuple(units), sector or None)
    if key not in data._static:
        data._static[key] = _count_partners(data, level, units, sector)
    return data._static[key]


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
        "display": shown,
        "previous_display": previous_shown,
        "pct": None if pd.isna(pct) else float(pct),
    }


# ---------------------------------------------------------------- trends and panels


@cached(*PERIOD, "region", "unit")
def incident_trend(data: DashboardData, state: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Month x category counts of the scope (values NaN where hidden) and display strings."""
    level, chosen = _scope_label_units(data, state)
    cats = selected_categories(data, state)
    table = q.incidents_by_month(
        data.cubes,
        chosen,
        level,
        month_start(state["start"]),
        month_start(state["end"]),
        categories=cats,
    )
    table.index = [f"{m.year}-{m.month:02d}" for m in table.index]
    return public_cells(table, member=not data.public)


def public_cells(table: pd.DataFrame, member: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values (NaN where hidden) and display strings of a table published without totals:
    :func:`analysis.suppression.public_view` with ``row_totals=column_totals=False``, from
    the same masks without its label-indexed frame building (the trend asks it per change)."""
    matrix, primary, secondary = suppression_masks(
        table, SENSITIVE_CATEGORIES, row_totals=False, column_totals=False
    )
    rows, cols = table.shape
    primary, secondary = primary[:rows, :cols], secondary[:rows, :cols]
    if member:
        primary = np.zeros_like(primary)
        secondary = np.zeros_like(secondary)
    numbers = np.where(table.notna().to_numpy(), matrix[:rows, :cols], np.nan)
    display = np.array([[format_count(v) for v in row] for row in numbers], dtype=object)
    display = display.reshape(rows, cols)
    display[primary] = PRIMARY_LABEL
    display[secondary] = SECONDARY_LABEL
    values = np.where(primary | secondary, np.nan, numbers)
    return (
        pd.DataFrame(values, index=table.index, columns=table.columns, dtype="float64"),
        pd.DataFrame(display, index=table.index, columns=table.columns, dtype=object),
    )


def displacement_trend(data: DashboardData, state: dict) -> pd.DataFrame:
    """Displacement totals per reporting date of the scope (Mali, a région or a unit): no
    filter changes it, so each scope is computed once per process (Mali and the régions at
    start-up, see :func:`warm`)."""
    level, chosen = _scope_label_units(data, state)
    key = ("displacement_series", level, tuple(chosen) if chosen else None)

    return data.static(key, lambda: q.displacement_series(data.cubes, chosen, level))


@cached("unit", *NEED)
def unit_rows(data: DashboardData, state: dict) -> list[dict]:
    """Rows of the cercle panel: each indicator for the selected unit, exported as CSV too."""
    unit = state.get("unit")
    if not unit:
        return []
    rows = [
        {"key": fig["key"], "value": fig["display"], "previous": fig["previous_display"]}
        for fig in key_figures(data, state)
    ]
    level = data.level_of(unit) or 2
    cats = selected_categories(data, state)
    table = incident_table(data, level, state["start"], state["end"], cats).reindex([unit])
    view = public_view(table, member=not data.public, row_totals=False, column_totals=False)
    for cat in cats:
        shown = view.display.loc[unit, cat]
        if shown not in ("", "0"):
            rows.append({"key": f"cat:{cat}", "value": shown, "previous": ""})
    if level == 2:
        gap = gap_frame(data, state, pd.Index([unit]))
        if unit in gap.index:
            row = gap.loc[unit]
            rows.append({"key": "col_need_class", "value": _num(row["need_class"]), "previous": ""})
            rows.append(
                {
                    "key": "col_coverage",
                    "value": ""
                    if pd.isna(row["coverage_per_100k"])
                    else f"{row['coverage_per_100k']:.1f}",
                    "previous": "",
                }
            )
    for sector in data.sectors():
        count = partners_present(data, level, sector).get(unit, 0)
        rows.append({"key": f"sector:{sector}", "value": _num(count), "previous": ""})
    return rows


def partner_rows(data: DashboardData, state: dict) -> list[dict]:
    """Organisations with an active service in the selected unit: name, sub-sectors, services."""
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
    for org, group in orgs.groupby("org", sort=True):
        rows.append(
            {
                "org": shown.get(org, org),
                "sectors": sorted(group["sector"].unique()),
                "services": int(group["services"].sum()),
            }
        )
    return sorted(rows, key=lambda r: (-len(r["sectors"]), r["org"].casefold()))
