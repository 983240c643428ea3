"""Periods as the view state writes them ("2019-03" months) and as the cubes read them."""

from __future__ import annotations

import functools

import pandas as pd

from analysis import queries as q


@functools.lru_cache(maxsize=4096)
def month_start(month: str) -> pd.Timestamp:
    """The first day of ``month`` (remembered: a Timestamp is immutable, and parsing one costs
    microseconds that every query of a request pays again)."""
    return pd.Timestamp(f"{month}-01")


def month_end(month: str) -> pd.Timestamp:
    return month_start(month) + pd.offsets.MonthEnd(0)


@functools.lru_cache(maxsize=4096)
def previous_months(start: str, end: str) -> tuple[str, str]:
    """The period of the same length just before ``start``..``end`` (for key-figure changes;
    a pure function of two month strings, remembered)."""
    first, last = q.previous_period(month_start(start), month_end(end))
    return f"{first.year}-{first.month:02d}", f"{last.year}-{last.month:02d}"


@functools.lru_cache(maxsize=4096)
def months_between(start: str, end: str) -> tuple[str, ...]:
    """Every month from ``start`` to ``end`` ("YYYY-MM", both included; remembered)."""
    return tuple(str(p) for p in pd.period_range(start, end, freq="M"))
