"""Dense numpy arrays over the aggregated cubes: unit x month x key x measure, per level.

Why: the cube frames are already small, but every filtered sum over a frame still costs a
boolean mask over all its rows, a group-by and a reindex (milliseconds at 1M incidents, and
the dashboard asks dozens of them per interaction). The same numbers laid out densely make a
period total a difference of two prefix sums and a category filter a column take, so a query
costs microseconds whatever the number of incidents. The arrays are built once, with the
cubes, from the cube frames themselves, so they can never disagree with them.

Cells: ``units`` of the level (in :attr:`Cubes.units` order) x every month from the cube's first
to its last (contiguous, so a period is a slice) x ``keys`` (categories or constraint types,
sorted) x ``measures``. Cube rows without a unit at the level (``""``) are on no cell, as in
the frame queries; :attr:`DenseCube.complete` says whether every other row found its unit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


def month_number(stamp: pd.Timestamp) -> int:
    """Months since year 0: consecutive months differ by one, whatever the year."""
    return stamp.year * 12 + stamp.month - 1


@dataclass(frozen=True, eq=False)
class DenseCube:
    """One level's cube as arrays; see the module docstring for the layout.

    ``values[u, t, k, m]`` is the sum of measure ``m`` over the cube rows of unit ``u``, month
    ``t`` and key ``k``; ``cumulative[u, t]`` is the sum over months ``< t`` (so any period is
    ``cumulative[:, stop] - cumulative[:, start]``); ``rows[u, t, k]`` says whether a cube row
    exists there at all (a row may carry 0 events, and "present" follows rows, not values);
    ``maxima`` holds per-cell maxima (NaN where no known value) for measures that do not add.
    ``groups`` maps a grouping value (a sector) to the keys it covers, or is None when the
    grouping is not a function of the key (then group filters must use the frames).
    """

    units: pd.Index
    months: pd.DatetimeIndex
    keys: pd.Index
    measures: tuple[str, ...]
    values: np.ndarray
    cumulative: np.ndarray
    rows: np.ndarray
    complete: bool
    maxima: dict[str, np.ndarray] = field(default_factory=dict)
    groups: dict[str, list[str]] | None = None
    key_position: dict[str, int] = field(default_factory=dict)
    first_month: int = 0

    def month_slice(self, first: pd.Timestamp | None, last: pd.Timestamp | None) -> slice:
        """Positions of the months in [first, last] (None: open bound), clipped to the cube."""
        count = len(self.months)
        start = 0 if first is None else min(max(month_number(first) - self.first_month, 0), count)
        stop = (
            count if last is None else min(max(month_number(last) - self.first_month + 1, 0), count)
        )
        return slice(start, max(start, stop))

    def positions(self, keys: Iterable[str]) -> np.ndarray:
        """Distinct positions of the keys that exist (a filter: unknown keys match nothing)."""
        found = {self.key_position[k] for k in keys if k in self.key_position}
        return np.fromiter(sorted(found), dtype=np.intp, count=len(found))

    def period(self, months: slice, measure: str) -> np.ndarray:
        """Units x keys sums of ``measure`` over ``months`` (a :meth:`month_slice`)."""
        m = self.measures.index(measure)
        return self.cumulative[:, months.stop, :, m] - self.cumulative[:, months.start, :, m]

    def unit_positions(self, units: Iterable[str]) -> np.ndarray:
        """Distinct positions of the given unit ids of the level (unknown ids match nothing)."""
        lookup = self.unit_position
        found = np.fromiter((lookup.get(u, -1) for u in units), dtype=np.intp)
        return np.unique(found[found >= 0])

    @functools.cached_property
    def unit_position(self) -> dict[str, int]:
        """Position of each unit id of the level (a dict: a handful of lookups per request
        cost less than an index lookup on the Arrow-backed unit index)."""
        return {unit: i for i, unit in enumerate(self.units)}


def _codes(column: pd.Series, index: pd.Index) -> np.ndarray:
    """Position of each value of ``column`` in ``index`` (-1 when absent), via its categories."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        lookup = index.get_indexer(column.cat.categories)
        codes = column.cat.codes.to_numpy()
        return np.where(codes >= 0, lookup[codes], -1)
    return index.get_indexer(column.astype(object))


def _groups(frame: pd.DataFrame, key: str, group: str) -> dict[str, list[str]] | None:
    pairs = frame[[key, group]].astype(object).drop_duplicates()
    if pairs[key].duplicated().any():
        return None
    out: dict[str, list[str]] = {}
    for k, g in zip(pairs[key], pairs[group], strict=True):
        out.setdefault(str(g), []).append(str(k))
    return out


def build_dense(
    frame: pd.DataFrame,
    unit_column: str,
    units: pd.Index,
    key_column: str,
    measures: Sequence[str],
    maxima: Sequence[str] = (),
    group_column: str | None = None,
) -> DenseCube:
    """Lay a cube frame (``month`` column, one row per unit x month x key x ...) out densely.

    Rows sharing a cell (e.g. the sensitive and non-sensitive rows of a category) are summed;
    maxima ignore NaN. Months span the whole frame (not only the placed rows) so every level
    of the same cube shares one month axis.
    """
    measures = tuple(measures)
    dated = frame[frame["month"].notna()] if len(frame) else frame
    if len(dated):
        stamps = pd.DatetimeIndex(dated["month"])
        numbers = (stamps.year * 12 + stamps.month - 1).to_numpy(dtype=np.int64)
        first, last = int(numbers.min()), int(numbers.max())
        months = pd.date_range(
            pd.Timestamp(first // 12, first % 12 + 1, 1),
            pd.Timestamp(last // 12, last % 12 + 1, 1),
            freq="MS",
            name="month",
        ).as_unit(stamps.unit)  # the frame's resolution: months read off it compare equal
    else:
        numbers = np.zeros(0, dtype=np.int64)
        first = 0
        months = pd.DatetimeIndex([], name="month")
    keys = pd.Index(sorted(map(str, pd.unique(dated[key_column].astype(object)))), dtype=object)
    n_units, n_months, n_keys = len(units), len(months), len(keys)
    unit_pos = _codes(dated[unit_column], units) if len(dated) else np.zeros(0, np.intp)
    placed_value = (dated[unit_column].astype(object) != "").to_numpy() if len(dated) else unit_pos
    complete = bool(not (placed_value.astype(bool) & (unit_pos < 0)).any())
    keep = unit_pos >= 0
    key_pos = _codes(dated[key_column], keys) if len(dated) else unit_pos
    cell = ((unit_pos * n_months + (numbers - first)) * n_keys + key_pos)[keep]
    size = n_units * n_months * n_keys
    values = np.zeros((n_units, n_months, n_keys, len(measures)), dtype=np.int64)
    for m, measure in enumerate(measures):
        weights = dated[measure].to_numpy(dtype=np.int64)[keep]
        # bincount sums in float64: exact for counts below 2**53
        summed = np.bincount(cell, weights=weights, minlength=size)
        values[..., m] = np.rint(summed).astype(np.int64).reshape(n_units, n_months, n_keys)
    rows = (np.bincount(cell, minlength=size) > 0).reshape(n_units, n_months, n_keys)
    cumulative = np.zeros((n_units, n_months + 1, n_keys, len(measures)), dtype=np.int64)
    np.cumsum(values, axis=1, out=cumulative[:, 1:])
    highest = {}
    for measure in maxima:
        flat = np.full(size, np.nan)
        np.fmax.at(flat, cell, dated[measure].to_numpy(dtype=np.float64)[keep])
        highest[measure] = flat.reshape(n_units, n_months, n_keys)
    return DenseCube(
        units=units,
        months=months,
        keys=keys,
        measures=measures,
        values=values,
        cumulative=cumulative,
        rows=rows,
        complete=complete,
        maxima=highest,
        groups=_groups(dated, key_column, group_column) if group_column else None,
        key_position={k: i for i, k in enumerate(keys)},
        first_month=first,
    )


def build_levels(
    frame: pd.DataFrame,
    units: dict[int, pd.Index],
    key_column: str,
    measures: Sequence[str],
    maxima: Sequence[str] = (),
    group_column: str | None = None,
) -> dict[int, DenseCube]:
    """:func:`build_dense` for every level whose unit column is in ``frame``."""
    return {
        level: build_dense(frame, f"unit{level}", index, key_column, measures, maxima, group_column)
        for level, index in units.items()
        if f"unit{level}" in frame
    }


__all__ = ["DenseCube", "build_dense", "build_levels", "month_number"]
