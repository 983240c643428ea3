"""Non-sensitive aggregates shared by the views (displacement, access, population,
partners), memoised, and the display formatting of plain numbers."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from analysis import queries as q
from analysis.dataset import memo
from analysis.periods import month_end, month_start

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


def format_values(values: pd.Series, decimals: int = 0) -> pd.Series:
    return pd.Series(
        ["" if pd.isna(v) else f"{v:,.{decimals}f}".replace(",", "\u202f") for v in values],
        index=values.index,
        dtype=object,
    )


def format_number(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:,.0f}".replace(",", "\u202f")


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
    return displacement_table(data, level, month)


def displacement_table(data: DashboardData, level: int, month: str) -> pd.DataFrame:
    """:func:`displacement_at` without the copy of the table kept per month: read it, never
    change it."""
    table = data.displacement_months(level).get(month)
    if table is not None:
        return table
    return memo(
        data,
        "displacement_at",
        json.dumps([level, month]),
        lambda: q.displacement_at(data.cubes, level, month_end(month)),
    )


def displacement_arrays(data: DashboardData, level: int, month: str) -> dict[str, np.ndarray]:
    """:func:`displacement_table` as one float array per measure on the level's units (once per
    level and month: the key figures read two months of it on every change; read them, never
    change them)."""

    def compute() -> dict[str, np.ndarray]:
        table = displacement_table(data, level, month)
        if not table.index.equals(data.cubes.units[level]):
            table = table.reindex(data.cubes.units[level])
        return {m: table[m].to_numpy(dtype="float64", na_value=np.nan) for m in table.columns}

    return data.static(("displacement_arrays", level, month), compute)


def access_totals(data: DashboardData, level: int, start: str, end: str) -> pd.Series:
    """Access constraint events per unit over whole months (not sensitive). From the dense
    arrays when the level has them (microseconds: less than a cache round trip of the
    Series), else memoised."""
    if level in data.cubes.access_arrays:
        return q.access_totals(data.cubes, level, month_start(start), month_start(end))
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
