"""Incident counts as a viewer may see them: exact for members, protected cells for the public.

This is the one place where raw sensitive counts meet the public: every public incident
number of the gate (:mod:`analysis.gate`) comes from :func:`incident_table` or
:func:`incident_months`, which replace sensitive columns by published protected cells
(:mod:`analysis.cells`) or withhold them. Nothing else in the gate reads sensitive counts for
the public.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import queries as q
from analysis.periods import month_start

if TYPE_CHECKING:
    from analysis.dataset import DashboardData

EXACT_ROLES = frozenset({"member", "imo", "admin"})


def is_exact(role: str | None) -> bool:
    """Whether a role sees exact figures (anything unknown is the public: fail closed)."""
    return role in EXACT_ROLES


@dataclass(frozen=True)
class IncidentTable:
    """Units x categories counts a viewer may see.

    ``values``: float, NaN where a sensitive category is withheld ("réservé aux membres").
    ``withheld``: sensitive categories withheld for this request (finer than the grain).
    ``rounded``: sensitive categories published from the protected cells (rounded).
    """

    values: pd.DataFrame
    withheld: list[str] = field(default_factory=list)
    rounded: list[str] = field(default_factory=list)

    def totals(self) -> pd.Series:
        """Per-unit sum of the categories shown; NaN where every category is withheld."""
        shown = [c for c in self.values.columns if c not in self.withheld]
        if not shown:
            return pd.Series(np.nan, index=self.values.index, dtype="float64")
        return self.values[shown].sum(axis=1).astype("float64")


@dataclass(frozen=True)
class IncidentGrid:
    """:class:`IncidentTable`'s numbers as an array (what sums need, without a frame).

    ``values``: float, units x ``categories`` (distinct, in the order asked), NaN where a
    sensitive category is withheld.
    """

    values: np.ndarray
    categories: list[str]
    withheld: list[str] = field(default_factory=list)
    rounded: list[str] = field(default_factory=list)

    def totals(self, units: pd.Index) -> pd.Series:
        """:meth:`IncidentTable.totals` (``units``: the rows' units): per-unit sum of the
        categories shown; NaN where every category is withheld."""
        shown = [j for j, c in enumerate(self.categories) if c not in self.withheld]
        if not shown:
            return pd.Series(np.nan, index=units, dtype="float64")
        return pd.Series(self.values[:, shown].sum(axis=1), index=units, dtype="float64")


def positions_in_level(
    data: DashboardData, level: int, units: pd.Index | Sequence[str]
) -> np.ndarray | None:
    """Positions of ``units`` in the level's units (-1: not one of them; None: they are the
    level's units, in order)."""
    level_units = data.cubes.units[level]
    if units is level_units or (
        isinstance(units, pd.Index) and len(units) == len(level_units) and units.equals(level_units)
    ):
        return None
    dense = data.cubes.incident_arrays.get(level)
    if dense is not None and dense.units is level_units:
        lookup = dense.unit_position
        return np.fromiter((lookup.get(u, -1) for u in units), dtype=np.intp, count=len(units))
    return level_units.get_indexer(units)


def incident_grid(
    data: DashboardData,
    level: int,
    units: pd.Index | Sequence[str],
    start: str,
    end: str,
    categories: list[str],
    measure: str,
    exact: bool,
) -> IncidentGrid:
    """Counts of ``measure`` per unit and category over the whole months ``start``..``end``,
    as a viewer may see them (see :func:`incident_table`, which frames the same numbers).
    ``units``: an index or a plain list of unit ids (a list skips building an index)."""
    cats = list(dict.fromkeys(categories))
    if not cats:
        return IncidentGrid(np.zeros((len(units), 0)), cats)
    first, last = month_start(start), month_start(end)
    grid = None
    if level in data.cubes.units:
        rows = positions_in_level(data, level, units)
        counts = q.incident_array(data.cubes, level, first, last, cats, measure, rows)
        grid = None if counts is None else counts.astype("float64")
    if grid is None:
        table = q.incident_matrix(data.cubes, level, first, last, cats, measure=measure)
        grid = table.reindex(units).to_numpy(dtype="float64", na_value=0.0, copy=True)
    withheld: list[str] = []
    rounded: list[str] = []
    if not exact and (sensitive := data.policy.split(cats)[1]):
        columns = [cats.index(c) for c in sensitive]
        cells = data.cells.table(level, units, start, end, sensitive, measure)
        if cells is None:
            grid[:, columns] = np.nan
            withheld = sensitive
        else:
            grid[:, columns] = cells
            rounded = sensitive
    return IncidentGrid(grid, cats, withheld=withheld, rounded=rounded)


def incident_table(
    data: DashboardData,
    level: int,
    units: pd.Index,
    start: str,
    end: str,
    categories: list[str],
    measure: str,
    exact: bool,
) -> IncidentTable:
    """Counts of ``measure`` per unit and category over the whole months ``start``..``end``."""
    units = pd.Index(units)
    grid = incident_grid(data, level, units, start, end, categories, measure, exact)
    if not grid.categories:
        return IncidentTable(pd.DataFrame(index=units, dtype="float64"))
    values = pd.DataFrame(grid.values, index=units, columns=pd.Index(grid.categories, dtype=str))
    return IncidentTable(values, withheld=grid.withheld, rounded=grid.rounded)


def incident_months(
    data: DashboardData,
    level: int,
    units: list[str] | None,
    months: list[str],
    categories: list[str],
    exact: bool,
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Month x category events of the scope (``units`` of ``level``; None: the whole country).

    For the public, a sensitive category's month is shown only where that month is a whole
    protected cell on its own (a monthly grain, or the edge of the data); otherwise NaN.
    Returns (table, withheld categories, rounded categories).
    """
    cats = list(dict.fromkeys(categories))
    first, last = month_start(months[0]), month_start(months[-1])
    counts = q.incident_month_array(data.cubes, units, level, first, last, cats)
    if counts is None:
        table = q.incidents_by_month(data.cubes, units, level, first, last, categories=cats)
        table.index = [f"{m.year}-{m.month:02d}" for m in table.index]
        table = table.reindex(index=months, columns=cats).fillna(0)
        grid = table.to_numpy(dtype="float64", copy=True)
    else:
        grid = counts.astype("float64")
    index, columns = pd.Index(months), pd.Index(cats, name="category")
    _, sensitive = data.policy.split(cats)
    if exact or not sensitive:
        return pd.DataFrame(grid, index=index, columns=columns), [], []
    scope_units = pd.Index(units) if units is not None else data.cubes.units[level]
    positions = [cats.index(c) for c in sensitive]
    withheld: set[str] = set()
    for row, month in enumerate(months):
        cells = data.cells.table(level, scope_units, month, month, sensitive, "events")
        if cells is None:
            grid[row, positions] = np.nan
            withheld.update(sensitive)
        else:
            grid[row, positions] = cells.sum(axis=0)
    table = pd.DataFrame(grid, index=index, columns=columns)
    rounded = [c for c in sensitive if c not in withheld]
    return table, [c for c in sensitive if c in withheld], rounded


__all__ = [
    "EXACT_ROLES",
    "IncidentGrid",
    "IncidentTable",
    "incident_grid",
    "incident_months",
    "incident_table",
    "is_exact",
    "positions_in_level",
]
