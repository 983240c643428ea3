"""Fast questions over :class:`~analysis.cubes.Cubes`, answered per map unit of a level.

Why a separate module: callbacks should be one line of glue ("totals for these filters"), and
the rules that make numbers trustworthy live here once: periods are whole, inclusive months
(the cubes' grain); a unit with no incident rows has 0 incidents, but a unit with no
population or no displacement report has an *unknown* value (NaN), never 0; rates are NaN
where the population is unknown; unresolved rows (unit "") never reach a unit.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TypeAlias

import numpy as np
import pandas as pd

from analysis.cubes import MEASURES_DISPLACEMENT, Cubes
from analysis.dense import DenseCube, month_number

DateLike: TypeAlias = "str | pd.Timestamp | np.datetime64 | None"


@functools.lru_cache(maxsize=4096)
def _month(value: DateLike) -> pd.Timestamp | None:
    """First day of the month of ``value`` (None stays None: an open bound; remembered, as
    every query of a request asks it again for the same few months)."""
    if value is None:
        return None
    stamp = pd.Timestamp(value)
    return pd.Timestamp(stamp.year, stamp.month, 1)


def _as_list(value: str | Iterable[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _in_months(frame: pd.DataFrame, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Rows whose ``month`` lies in the inclusive month range [start, end]."""
    first, last = _month(start), _month(end)
    mask = pd.Series(True, index=frame.index)
    if first is not None:
        mask &= frame["month"] >= first
    if last is not None:
        mask &= frame["month"] <= last
    return frame[mask]


def _per_unit(
    cubes: Cubes,
    frame: pd.DataFrame,
    level: int,
    column: str,
    how: str = "sum",
    fill: float = 0,
) -> pd.Series:
    """Aggregate ``column`` per unit of ``level``, over every unit of the level."""
    unit = cubes.unit_column(level)
    placed = frame[frame[unit] != ""]
    values = placed.groupby(unit, sort=False, observed=True)[column].agg(how)
    values.index = values.index.astype(str)
    out = values.reindex(cubes.units[level], fill_value=fill)
    out.name = column
    return out


def _filter_units(
    cubes: Cubes, frame: pd.DataFrame, units: str | Iterable[str] | None, level: int
) -> pd.DataFrame:
    selected = _as_list(units)
    if selected is None:
        return frame[frame[cubes.unit_column(level)] != ""] if level in cubes.units else frame
    return frame[frame[cubes.unit_column(level)].isin(selected)]


def _incident_arrays(cubes: Cubes, level: int, measure: str) -> DenseCube | None:
    """The level's dense incident arrays when they can answer ``measure`` (else: use frames)."""
    dense = cubes.incident_arrays.get(level)
    return dense if dense is not None and measure in dense.measures else None


def _key_filter(
    dense: DenseCube, codes: list[str] | None, groups: list[str] | None
) -> np.ndarray | slice | None:
    """Key positions kept by a category and a sector filter (slice: all; None: frames needed)."""
    if groups is not None and dense.groups is None:
        return None
    if codes is None and groups is None:
        return slice(None)
    keep = set(dense.key_position)
    if codes is not None:
        keep &= set(codes)
    if groups is not None:
        assert dense.groups is not None
        keep &= {k for g in groups for k in dense.groups.get(g, ())}
    return dense.positions(keep)


def incident_totals(
    cubes: Cubes,
    level: int,
    start: DateLike = None,
    end: DateLike = None,
    categories: str | Iterable[str] | None = None,
    sector: str | Iterable[str] | None = None,
    measure: str = "events",
) -> pd.Series:
    """Sum of ``measure`` (events, victims or fatalities) per unit; 0 where nothing reported."""
    codes, sectors = _as_list(categories), _as_list(sector)
    dense = _incident_arrays(cubes, level, measure)
    keys = None if dense is None else _key_filter(dense, codes, sectors)
    if dense is None or keys is None:
        return _incident_totals_frame(cubes, level, start, end, codes, sectors, measure)
    table = dense.period(dense.month_slice(_month(start), _month(end)), measure)
    values = table.sum(axis=1) if isinstance(keys, slice) else table[:, keys].sum(axis=1)
    return pd.Series(values, index=cubes.units[level], name=measure)


def _incident_totals_frame(
    cubes: Cubes,
    level: int,
    start: DateLike,
    end: DateLike,
    codes: list[str] | None,
    sectors: list[str] | None,
    measure: str,
) -> pd.Series:
    """:func:`incident_totals` over the cube frame (cubes without arrays, other measures)."""
    frame = _in_months(cubes.incidents, start, end)
    if codes is not None:
        frame = frame[frame["category"].isin(codes)]
    if sectors is not None:
        frame = frame[frame["sector"].isin(sectors)]
    return _per_unit(cubes, frame, level, measure)


def incident_matrix(
    cubes: Cubes,
    level: int,
    start: DateLike = None,
    end: DateLike = None,
    categories: str | Iterable[str] | None = None,
    measure: str = "events",
) -> pd.DataFrame:
    """Units x categories sums of ``measure`` over the whole months of [start, end].

    One call instead of one :func:`incident_totals` per category (the input of a suppressed
    table): the index is every unit of the level (``cubes.units[level]`` order), the columns
    are ``categories`` in the given order (repeats once; a category with no incident is a
    column of 0) or, when None, every category present in the incident cube, sorted.
    """
    codes = _as_list(categories)
    dense = _incident_arrays(cubes, level, measure)
    if dense is None:
        columns = (
            codes if codes is not None else sorted(map(str, cubes.incidents["category"].unique()))
        )
        sums = {
            c: _incident_totals_frame(cubes, level, start, end, [c], None, measure) for c in columns
        }
        return pd.DataFrame(
            sums, index=cubes.units[level], columns=pd.Index(list(sums)), dtype="int64"
        )
    columns = list(dict.fromkeys(codes)) if codes is not None else list(dense.keys)
    values = incident_array(cubes, level, start, end, columns, measure)
    return pd.DataFrame(values, index=cubes.units[level], columns=pd.Index(columns, dtype=str))


def incident_array(
    cubes: Cubes,
    level: int,
    start: DateLike,
    end: DateLike,
    codes: list[str],
    measure: str = "events",
    rows: np.ndarray | None = None,
) -> np.ndarray | None:
    """:func:`incident_matrix`'s numbers as an int64 array, without building a frame: units x
    ``codes`` (distinct codes; an unknown code is a column of 0) for the unit positions ``rows``
    in ``cubes.units[level]`` (-1: a unit not in the level, a row of 0; None: every unit).
    None when the level has no dense arrays for ``measure`` (then use the frames)."""
    dense = _incident_arrays(cubes, level, measure)
    if dense is None:
        return None
    table = dense.period(dense.month_slice(_month(start), _month(end)), measure)
    where = np.array([dense.key_position.get(c, -1) for c in codes], dtype=np.intp)
    if rows is not None:
        table = table[np.maximum(rows, 0)] if len(table) else table[:0]
    if not len(dense.keys) or not len(table):
        return np.zeros((len(dense.units) if rows is None else len(rows), len(where)), np.int64)
    values = table[:, np.maximum(where, 0)]
    if (where < 0).any():
        values[:, where < 0] = 0
    if rows is not None and (rows < 0).any():
        values[rows < 0] = 0
    return values


def incidents_by_month(
    cubes: Cubes,
    units: str | Iterable[str] | None = None,
    level: int = 1,
    start: DateLike = None,
    end: DateLike = None,
    categories: str | Iterable[str] | None = None,
    measure: str = "events",
) -> pd.DataFrame:
    """Month x category table of ``measure`` for the selected units (all placed rows if None).

    Every month of the range is present (0 when empty) so trend lines do not skip months.
    """
    dense = _incident_arrays(cubes, level, measure)
    if dense is None or not dense.complete or level not in cubes.units:
        return _incidents_by_month_frame(cubes, units, level, start, end, categories, measure)
    selected, codes = _as_list(units), _as_list(categories)
    first, last = _month(start), _month(end)
    months = dense.month_slice(first, last)
    keys = slice(None) if codes is None else dense.positions(codes)
    m = dense.measures.index(measure)
    if selected is None:
        values = dense.values[:, months, :, m].sum(axis=0)
        rows = np.asarray(dense.rows[:, months].any(axis=0))
    else:
        where = dense.unit_positions(selected)
        values = dense.values[where, months, :, m].sum(axis=0)
        rows = np.asarray(dense.rows[where, months].any(axis=0))
    values, rows = values[:, keys], rows[:, keys]  # months x kept keys
    present = np.flatnonzero(rows.any(axis=1))
    if first is None and len(present):
        first = dense.months[months.start + present[0]]
    if last is None and len(present):
        last = dense.months[months.start + present[-1]]
    index = (
        pd.date_range(first, last, freq="MS", name="month")
        if first is not None and last is not None
        else pd.DatetimeIndex([], name="month")
    )
    if codes is None:
        kept = rows.any(axis=0)
        columns = list(dense.keys[kept])
        by_code = values[:, kept]
    else:
        columns = codes
        found = {c: i for i, c in enumerate(dense.keys[keys])}
        by_code = np.zeros((values.shape[0], len(codes)), dtype=np.int64)
        for j, code in enumerate(codes):
            if code in found:
                by_code[:, j] = values[:, found[code]]
    out = np.zeros((len(index), len(columns)), dtype=np.int64)
    if len(index):
        offset = month_number(index[0]) - dense.first_month
        low, high = max(offset, months.start), min(offset + len(index), months.stop)
        if low < high:
            out[low - offset : high - offset] = by_code[low - months.start : high - months.start]
    return pd.DataFrame(out, index=index, columns=pd.Index(columns, dtype=str, name="category"))


def incident_month_array(
    cubes: Cubes,
    units: str | Iterable[str] | None,
    level: int,
    start: DateLike,
    end: DateLike,
    codes: list[str],
    measure: str = "events",
) -> np.ndarray | None:
    """:func:`incidents_by_month`'s numbers as an int64 array, without building a frame: every
    month of ``start``..``end`` (both given) x ``codes`` (distinct codes; an unknown code is a
    column of 0). None when the dense arrays cannot answer (then use :func:`incidents_by_month`).
    """
    dense = _incident_arrays(cubes, level, measure)
    if dense is None or not dense.complete or level not in cubes.units:
        return None
    first, last = _month(start), _month(end)
    count = max(month_number(last) - month_number(first) + 1, 0)
    months = dense.month_slice(first, last)
    m = dense.measures.index(measure)
    selected = _as_list(units)
    where = slice(None) if selected is None else dense.unit_positions(selected)
    values = dense.values[where, months, :, m].sum(axis=0)  # months of the cube x keys
    out = np.zeros((count, len(codes)), dtype=np.int64)
    offset = month_number(first) - dense.first_month
    low, high = max(offset, months.start), min(offset + count, months.stop)
    if low < high:
        inside = values[low - months.start : high - months.start]
        for j, code in enumerate(codes):
            k = dense.key_position.get(code)
            if k is not None:
                out[low - offset : high - offset, j] = inside[:, k]
    return out


def _incidents_by_month_frame(
    cubes: Cubes,
    units: str | Iterable[str] | None,
    level: int,
    start: DateLike,
    end: DateLike,
    categories: str | Iterable[str] | None,
    measure: str,
) -> pd.DataFrame:
    """:func:`incidents_by_month` over the cube frame (cubes without complete arrays)."""
    frame = _filter_units(cubes, _in_months(cubes.incidents, start, end), units, level)
    codes = _as_list(categories)
    if codes is not None:
        frame = frame[frame["category"].isin(codes)]
    table = frame.pivot_table(
        index="month",
        columns="category",
        values=measure,
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    first = _month(start) or (frame["month"].min() if len(frame) else None)
    last = _month(end) or (frame["month"].max() if len(frame) else None)
    months = (
        pd.date_range(first, last, freq="MS", name="month")
        if first is not None and last is not None
        else pd.DatetimeIndex([], name="month")
    )
    columns = codes if codes is not None else sorted(map(str, table.columns))
    table.columns = table.columns.astype(str)
    out = table.reindex(index=months, columns=columns, fill_value=0).astype("int64")
    out.columns.name = "category"
    return out


def displacement_at(cubes: Cubes, level: int, as_of: DateLike) -> pd.DataFrame:
    """IDPs, returnees, repatriated per unit from each place's latest report up to ``as_of``.

    A unit none of whose places reported by ``as_of`` is NaN (unknown), not 0.
    """
    frame = cubes.displacement
    frame = frame[frame["date"] <= pd.Timestamp(as_of)]
    latest = frame.groupby("place")["date"].transform("max")
    frame = frame[frame["date"] == latest]
    unit = cubes.unit_column(level)
    placed = frame[frame[unit] != ""]
    values = placed.groupby(unit, sort=False, observed=True)[MEASURES_DISPLACEMENT].sum()
    values.index = values.index.astype(str)
    return values.reindex(cubes.units[level]).astype("float64")


def displacement_series(
    cubes: Cubes, units: str | Iterable[str] | None = None, level: int = 1
) -> pd.DataFrame:
    """Totals per reporting date for the selected units, carrying each place's last report forward.

    Carrying forward keeps a total from dropping on a date when one place did not report.
    """
    frame = _filter_units(cubes, cubes.displacement, units, level)
    dates = pd.DatetimeIndex(sorted(frame["date"].unique()), name="date")
    out = pd.DataFrame(index=dates)
    for measure in MEASURES_DISPLACEMENT:
        wide = frame.pivot_table(index="date", columns="place", values=measure, aggfunc="sum")
        out[measure] = wide.reindex(dates).ffill().sum(axis=1, min_count=1)
    return out


def access_totals(
    cubes: Cubes,
    level: int,
    start: DateLike = None,
    end: DateLike = None,
    constraint_types: str | Iterable[str] | None = None,
    measure: str = "events",
) -> pd.Series:
    """Access constraint events per unit (0 if none), or the maximum ``severity`` (NaN if none)."""
    types = _as_list(constraint_types)
    dense = cubes.access_arrays.get(level)
    if dense is None or (measure not in dense.measures and measure not in dense.maxima):
        return _access_totals_frame(cubes, level, start, end, types, measure)
    months = dense.month_slice(_month(start), _month(end))
    keys = slice(None) if types is None else dense.positions(types)
    if measure in dense.maxima:
        cells = dense.maxima[measure][:, months][:, :, keys].reshape(len(dense.units), -1)
        values = np.fmax.reduce(cells, axis=1, initial=np.nan)
    else:
        values = dense.period(months, measure)[:, keys].sum(axis=1)
    return pd.Series(values, index=cubes.units[level], name=measure)


def _access_totals_frame(
    cubes: Cubes,
    level: int,
    start: DateLike,
    end: DateLike,
    types: list[str] | None,
    measure: str,
) -> pd.Series:
    """:func:`access_totals` over the cube frame (cubes without arrays)."""
    frame = _in_months(cubes.access, start, end)
    if types is not None:
        frame = frame[frame["constraint_type"].isin(types)]
    if measure == "severity":
        return _per_unit(cubes, frame, level, "severity", how="max", fill=np.nan)
    return _per_unit(cubes, frame, level, measure)


def partners_present(
    cubes: Cubes, level: int, sector: str | Iterable[str] | None = None
) -> pd.Series:
    """Distinct organisations with an active service per unit (0 where none: a gap)."""
    frame = cubes.service_orgs
    if (sectors := _as_list(sector)) is not None:
        frame = frame[frame["sector"].isin(sectors)]
    out = _per_unit(cubes, frame, level, "org", how="nunique")
    out.name = "partners"
    return out.astype("int64")


def population(cubes: Cubes, level: int) -> pd.Series:
    """Population per unit; NaN where no population row reaches the unit."""
    return _per_unit(cubes, cubes.population, level, "population", fill=np.nan).astype("float64")


def per_10k(values: pd.Series, population: pd.Series) -> pd.Series:
    """Rate per 10,000 inhabitants; NaN (not 0) where population is unknown or zero."""
    known = population.astype("float64").where(population.astype("float64") > 0)
    return values.astype("float64").div(known.reindex(values.index)) * 10_000


def change(current: pd.Series, previous: pd.Series) -> pd.DataFrame:
    """Absolute and percent change; percent is NaN when the previous value is 0 or unknown."""
    cur = current.astype("float64")
    prev = previous.astype("float64").reindex(cur.index)
    delta = cur - prev
    pct = delta / prev.where(prev != 0) * 100
    return pd.DataFrame({"current": cur, "previous": prev, "change": delta, "pct": pct})


def previous_period(start: DateLike, end: DateLike) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The period of the same length ending the day before ``start``.

    Whole months (start on a 1st, end on a 1st or a month end) shift by whole months, so
    "March" compares with "February", not with 31 days straddling January.
    """
    first, last = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    if last < first:
        raise ValueError(f"period ends ({last.date()}) before it starts ({first.date()})")
    if first.day == 1 and (last.day == 1 or last.is_month_end):
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        prev_first = pd.Timestamp(first - pd.DateOffset(months=months))
        if last.day == 1:  # months given as their first day (a month picker's values)
            return prev_first, pd.Timestamp(first - pd.DateOffset(months=1))
        return prev_first, first - pd.Timedelta(days=1)
    length = last - first
    prev_last = first - pd.Timedelta(days=1)
    return prev_last - length, prev_last
