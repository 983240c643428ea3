"""Key figures and trends of a scope, as a viewer may see them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import queries as q
from analysis.dataset import PERIOD, cached
from analysis.gate.aggregates import (
    access_totals,
    displacement_arrays,
    format_number,
    partners_present,
    population_of,
    protection_notes,
)
from analysis.gate.need import cercle_regions, coverage_classes_of
from analysis.gate.scope import scope_of, scope_units, selected_categories
from analysis.periods import months_between, previous_months
from analysis.protection import WITHHELD
from analysis.published import incident_grid, incident_months, is_exact, positions_in_level

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


@dataclass(frozen=True)
class KeyFigures:
    """The key figures of a scope and period, and what the viewer must be told about them."""

    figures: list[dict]
    notes: tuple[str, ...] = ()
    has_previous: bool = True


def key_figures(data: DashboardData, state: dict, role: str) -> KeyFigures:
    """Incidents, fatalities, IDPs, returnees, access constraints, partners, with the change
    against the previous period of the same length."""
    return key_figures_of(data, state, is_exact(role))


@cached(*PERIOD, "region", "unit", "sector")
def key_figures_of(data: DashboardData, state: dict, exact: bool) -> KeyFigures:
    level, chosen = scope_of(data, state)
    units = chosen if chosen else data.cubes.units[level]
    start, end = state["start"], state["end"]
    prev_start, prev_end = previous_months(start, end)
    has_previous = prev_start >= data.months[0]
    cats = selected_categories(data, state)
    out: list[dict] = []
    notes: set[str] = set()
    for measure, key in (("events", "ind_incidents"), ("fatalities", "ind_fatalities")):
        now = incident_grid(data, level, units, start, end, cats, measure, exact)
        before = incident_grid(data, level, units, prev_start, prev_end, cats, measure, exact)
        notes.update(protection_notes(now.withheld, now.rounded))
        # compare like with like: a category withheld in either period is left out of both
        left_out = set(now.withheld) | set(before.withheld)
        kept = [now.categories.index(c) for c in cats if c not in left_out]
        cur = _sum(now.values, kept)
        prev = _sum(before.values, kept) if has_previous else np.nan
        out.append(_figure(key, cur, prev, format_number(cur), format_number(prev)))
    rows = positions_in_level(data, level, units)
    disp_now = displacement_arrays(data, level, end)
    disp_prev = displacement_arrays(data, level, prev_end)
    for measure, key in (("idps", "ind_idps"), ("returnees", "ind_returnees")):
        cur = _sum_known(_at(disp_now[measure], rows))
        prev = _sum_known(_at(disp_prev[measure], rows))
        out.append(_figure(key, cur, prev, format_number(cur), format_number(prev)))
    access_now = access_totals(data, level, start, end)
    access_prev = access_totals(data, level, prev_start, prev_end)
    cur = np.nansum(_over(access_now, data, level, units, rows))
    prev = np.nansum(_over(access_prev, data, level, units, rows))
    prev = prev if has_previous else np.nan
    out.append(_figure("ind_access", cur, prev, format_number(cur), format_number(prev)))
    partners = _distinct_partners(data, level, units, state.get("sector") or None)
    out.append(_figure("ind_partners", partners, np.nan, format_number(partners), ""))
    ordered = tuple(n for n in ("note_sensitive_rounded", "note_sensitive_withheld") if n in notes)
    return KeyFigures(out, ordered, has_previous)


def _sum(values: np.ndarray, columns: list[int]) -> float:
    """Sum of the columns at ``columns`` over every unit; NaN when none is left (all
    withheld)."""
    if not columns:
        return np.nan
    return float(values[:, columns].sum())


def _over(values: pd.Series, data: DashboardData, level: int, units, rows) -> np.ndarray:
    """``values.reindex(units)`` as floats (NaN where a unit has none), taken by position
    (``rows``, see :func:`analysis.published.positions_in_level`) when ``values`` is on the level's
    units, as the cached aggregates are."""
    if not values.index.equals(data.cubes.units[level]):
        return values.reindex(units).to_numpy(dtype="float64", na_value=np.nan)
    if values.dtype == np.float64:
        numbers = values.to_numpy()  # NaN already marks the missing (no scan for them)
    else:
        numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    return _at(numbers, rows)


def _at(numbers: np.ndarray, rows) -> np.ndarray:
    """Floats on the level's units taken at ``rows`` (NaN at -1; all of them when None)."""
    if rows is None:
        return numbers
    return np.where(rows >= 0, numbers[np.maximum(rows, 0)] if len(numbers) else np.nan, np.nan)


def _sum_known(values: np.ndarray) -> float:
    """``Series.sum(min_count=1)``: the sum of the known values, NaN when none is known."""
    known = values[~np.isnan(values)]
    return float(known.sum()) if len(known) else np.nan


def _distinct_partners(data: DashboardData, level: int, units, sector) -> float:
    """Organisations present in any of ``units`` (of the sub-sector ``sector``, if any)."""
    by_unit = _organisations(data, level)
    found: set[str] = set()
    for unit in units:
        for unit_sector, names in by_unit.get(unit, {}).items():
            if not sector or unit_sector == sector:
                found |= names
    return float(len(found))


def _organisations(data: DashboardData, level: int) -> dict:
    """Unit id -> sub-sector -> the organisations present there (once per level: the key
    figures of every scope are then a few set unions)."""

    def compute() -> dict:
        orgs = data.cubes.service_orgs
        found: dict = {}
        columns = (orgs[f"unit{level}"], orgs["sector"], orgs["org"])
        for unit, sector, name in zip(*(c.tolist() for c in columns), strict=True):
            if not pd.isna(name):
                found.setdefault(unit, {}).setdefault(sector, set()).add(name)
        return found

    return data.static(("organisations", level), compute)


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
    months = list(months_between(state["start"], state["end"]))
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


def warm(data: DashboardData) -> None:
    """Compute at start-up what no filter changes: displacement as of each month, the
    displacement trend of Mali and of each région, and what the first view of a sub-sector or
    a région would otherwise wait for (partners present, population, coverage and its classes,
    the cercles' régions, the units of each région)."""
    sectors = [None, *data.sectors()]
    for level in data.levels:
        data.displacement_months(level)
        population_of(data, level)
        for sector in sectors:
            partners_present(data, level, sector)
    if 2 in data.levels:
        cercle_regions(data)
        for sector in sectors:
            coverage_classes_of(data, sector)
    for region in ["", *data.cubes.units[1]]:
        displacement_trend(data, {"region": region, "unit": ""}, "public")
        for level in (2, 3):
            if region and level in data.levels:
                scope_units(data, {"region": region, "level": level})
