"""The need index, coverage and priorities (gap analysis) as a viewer may see them.

The public need index counts no sensitive category at all (DATA_PROTECTION.md, rule 5): its
ranks and classes could otherwise be inverted with the population table shipped with the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis.dataset import NEED, PERIOD, cached
from analysis.gap import (
    NeedSettings,
    coverage,
    coverage_classes,
    gap_table,
    need_index,
)
from analysis.gate.aggregates import (
    access_totals,
    displacement_arrays,
    partners_present,
    population_of,
)
from analysis.gate.scope import scope_units, selected_categories, within
from analysis.published import incident_grid, is_exact

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


WEIGHT_KEYS = {"wi": "incidents", "wd": "displacement", "wa": "access"}


def gap_frame(
    data: DashboardData, state: dict, role: str, units: pd.Index | None = None
) -> pd.DataFrame:
    """Need index, coverage and priority per cercle of the scope (level 2 always)."""
    table = gap_frame_all(data, state, is_exact(role))
    if units is None:
        units = scope_units(data, {**state, "level": 2})
    return table[within(table.index, units)]


def gap_columns(
    data: DashboardData, state: dict, role: str, units: pd.Index, columns: list[str]
) -> dict[str, list]:
    """Some columns of :func:`gap_frame` as lists (and the cercles as ``"unit_id"``), in
    priority order: what a view reads row by row, without taking the scope's rows of every
    column of the table."""
    table = gap_frame_all(data, state, is_exact(role))
    rows = np.flatnonzero(within(table.index, units)).tolist()
    ids = table.index.tolist()
    out = {"unit_id": [ids[i] for i in rows]}
    for column in columns:
        values = table[column].tolist()
        out[column] = [values[i] for i in rows]
    return out


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
    units = data.cubes.units[level]
    counts = incident_grid(data, level, units, start, end, cats, "events", exact=True)
    # whole counts (exact grid: no NaN), cast by numpy without pandas' checks
    incidents = pd.Series(counts.values.sum(axis=1).astype(np.int64), index=units)
    disp = displacement_arrays(data, level, end)  # on the level's units
    idps, returnees = (np.where(np.isnan(disp[m]), 0.0, disp[m]) for m in ("idps", "returnees"))
    displaced = pd.Series(idps + returnees, index=units)
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
def gap_frame_all(data: DashboardData, state: dict, exact: bool) -> pd.DataFrame:
    """Need index (with the state's weights), coverage and priority of every cercle."""
    level = 2
    need = need_frame(data, state, exact)
    population = population_of(data, level)
    sector = state.get("sector")
    partners = partners_present(data, level, sector)
    known = (coverage_of(data, sector), coverage_classes_of(data, sector))
    return gap_table(
        need,
        partners,
        population,
        names=data.names(level),
        coverage_known=known,
        extra={"region": cercle_regions(data)},
    )


def cercle_regions(data: DashboardData) -> pd.Series:
    """The région name of every cercle (the gap table's ``region`` column), once per process."""
    return data.static(
        ("region_names", 2),
        lambda: data.parents(2).reindex(data.cubes.units[2]).map(data.names(1)),
    )


def gap_notes(data: DashboardData, state: dict, role: str) -> tuple[str, ...]:
    """What the public must be told about the need index (sensitive categories left out)."""
    if is_exact(role) or not data.policy.split(selected_categories(data, state))[1]:
        return ()
    return ("note_need_without_sensitive",)
