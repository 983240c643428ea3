"""Fast questions over :class:`~analysis.cubes.Cubes`, answered per map unit of a level.

Why a separate module: callbacks should be one line of glue ("totals for these filters"), and
the rules that make numbers trustworthy live here once: periods are whole, inclusive months
(the cubes' grain); a unit with no incident rows has 0 incidents, but a unit with no
population or no displacement report has an *unknown* value (NaN), never 0; rates are NaN
where the population is unknown; unresolved rows (unit "") never reach a unit.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from analysis.cubes import MEASURES_DISPLACEMENT, Cubes

DateLike = str | pd.Timestamp | np.datetime64 | None


def _month(value: DateLike) -> pd.Timestamp | None:
    """First day of the month of ``value`` (None stays None: an open bound)."""
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
    values = placed.groupby(unit, sort=False)[column].agg(how)
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
    frame = _in_months(cubes.incidents, start, end)
    if (codes := _as_list(categories)) is not None:
        frame = frame[frame["category"].isin(codes)]
    if (sectors := _as_list(sector)) is not None:
        frame = frame[frame["sector"].isin(sectors)]
    return _per_unit(cubes, frame, level, measure)


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
    frame = _filter_units(cubes, _in_months(cubes.incidents, start, end), units, level)
    codes = _as_list(categories)
    if codes is not None:
        frame = frame[frame["category"].isin(codes)]
    table = frame.pivot_table(
        index="month", columns="category", values=measure, aggfunc="sum", fill_value=0
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
    values = placed.groupby(unit, sort=False)[MEASURES_DISPLACEMENT].sum()
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
    frame = _in_months(cubes.access, start, end)
    if (types := _as_list(constraint_types)) is not None:
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
