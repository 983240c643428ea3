"""The mapped indicator per unit, as a viewer may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from analysis import queries as q
from analysis.dataset import NEED, cached
from analysis.gate.aggregates import (
    access_totals,
    displacement_at,
    format_values,
    partners_present,
    population_of,
    protection_notes,
)
from analysis.gate.need import coverage_of, gap_frame_all, gap_notes, need_frame
from analysis.gate.scope import map_level, scope_units, selected_categories, within
from analysis.protection import WITHHELD
from analysis.published import incident_grid, is_exact

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


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
    units = scope_units(data, state)
    (values, display, hidden), *rest = _indicator_values(data, state, is_exact(role))
    return Values(*(_unpacked(s, units) for s in (values, display, hidden)), *rest)


def _packed(series: pd.Series) -> tuple:
    """A Series on the scope's units without its index, which the cache stores cheaply
    (pickling an Arrow-backed index costs more than the rest of the answer)."""
    return series.to_numpy(), series.dtype, series.name


def _unpacked(packed: tuple, units: pd.Index) -> pd.Series:
    values, dtype, name = packed
    return pd.Series(values, index=units, dtype=dtype, name=name)


@cached("level", "region", "ind", *NEED)
def _indicator_values(data: DashboardData, state: dict, exact: bool) -> tuple:
    """:func:`_values_per_unit` as cached: its three Series packed, then its other fields."""
    found = _values_per_unit(data, state, exact)
    packed = tuple(_packed(s) for s in (found.values, found.display, found.hidden))
    return packed, found.unit_key, found.decimals, found.notes


def _values_per_unit(data: DashboardData, state: dict, exact: bool) -> Values:
    level, units = map_level(state), scope_units(data, state)
    ind, start, end = state["ind"], state["start"], state["end"]
    unit_key = INDICATOR_UNITS[ind]
    no_hidden = pd.Series(False, index=units)
    if ind in INCIDENT_INDICATORS:
        measure = "fatalities" if ind == "fatalities" else "events"
        table = incident_grid(
            data, level, units, start, end, selected_categories(data, state), measure, exact
        )
        values = table.totals(units)
        hidden = values.isna()
        notes = protection_notes(table.withheld, table.rounded)
        if ind == "incidents_10k":
            values = q.per_10k(values, population_of(data, level).reindex(units))
            shown = format_values(values, 1).where(~hidden, WITHHELD)
            return Values(values, shown, hidden, unit_key, 1, notes)
        return Values(
            values, format_values(values).where(~hidden, WITHHELD), hidden, unit_key, 0, notes
        )
    if ind in ("idps", "returnees"):
        disp = displacement_at(data, level, end)[ind].reindex(units)
        return Values(disp, format_values(disp), no_hidden, unit_key)
    if ind == "partners":
        partners = partners_present(data, level, state.get("sector"))
        partners = partners.reindex(units).astype(float)
        return Values(partners, format_values(partners), no_hidden, unit_key)
    if ind == "access":
        access = access_totals(data, level, start, end).reindex(units).astype(float)
        return Values(access, format_values(access), no_hidden, unit_key)
    # need / coverage / gap are cercle measures; at région level show the cercles' mean, at
    # commune level each commune shows its cercle's value
    # (need and coverage without the whole gap table: a coverage map does not change with
    # the period, a need map not with the sub-sector; the gap map reads the gap table, which
    # its hover and priority outline need anyway)
    notes = ()
    if ind == "need":
        series, decimals = need_frame(data, state, exact)["need_class"], 0
    elif ind == "coverage":
        series, decimals = coverage_of(data, state.get("sector")), 1
    else:
        series, decimals = gap_frame_all(data, state, exact)["bivariate"], 0
    if ind != "coverage" and not exact:
        notes = gap_notes(data, state, "public")
    cercles = scope_units(data, {**state, "level": 2}) if level == 2 else data.cubes.units[2]
    series = series[within(series.index, cercles)].astype("float64")
    if level == 1:
        parents = data.parents(2).reindex(series.index)
        series = series.groupby(parents).mean().round(1 if ind != "gap" else 0)
        decimals = 1 if ind != "gap" else 0
    if level == 3:
        cercles = data.parents(3).reindex(units)
        series = pd.Series(series.reindex(cercles.to_numpy()).to_numpy(), index=units)
    series = series.reindex(units)
    return Values(series, format_values(series, decimals), no_hidden, unit_key, decimals, notes)
