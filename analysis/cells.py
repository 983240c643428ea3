"""The protected cells: sensitive incident counts on the fixed public grid, published once.

Built from the incident cube when the data are loaded (10 régions x 8 quarters x 7 sensitive
categories x 2 measures is a few thousand cells), so every public answer that involves a
sensitive category is a slice and a sum of the same published numbers. A public request is
answered from these cells only when it is made of whole cells: a unit at the grain's level or
coarser, and a period that covers each of its cells completely (calendar buckets, or the part
of a bucket that holds data at all, at the edges of the data). Anything finer gets nothing for
the sensitive categories: the caller says "réservé aux membres".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.cubes import Cubes
from analysis.dense import month_number
from analysis.protection import ProtectionPolicy, publish_array

PUBLISHED_MEASURES = ("events", "fatalities")


def bucket_label(bucket: int, months: int) -> str:
    """Readable id of a calendar bucket ("2019-Q4" for quarters, "2019-M03" for months)."""
    year, index = divmod(bucket * months, 12)
    if months == 3:
        return f"{year}-Q{index // 3 + 1}"
    if months == 12:
        return f"{year}"
    return f"{year}-M{index + 1:02d}+{months}"


@functools.lru_cache(maxsize=4096)
def _month_of(text: str) -> int:
    """Month number of a "YYYY-MM" month (remembered: asked for every month of a trend)."""
    return month_number(pd.Timestamp(f"{text}-01"))


@dataclass(frozen=True, eq=False)
class ProtectedCells:
    """Published values of the protected grid, summed up to every coarser level.

    ``published[level]``: units of the level x buckets x ``categories`` x measures (int64).
    """

    policy: ProtectionPolicy
    categories: tuple[str, ...]
    first_bucket: int
    first_month: int  # first and last month holding any incident (month numbers)
    last_month: int
    units: dict[int, pd.Index]
    published: dict[int, np.ndarray]
    cumulative: dict[int, np.ndarray]

    def buckets_of(self, start: str, end: str) -> tuple[int, int] | None:
        """[first, stop) bucket positions when ``start``..``end`` is made of whole cells.

        A cell is whole when the period covers every month of its bucket that could hold an
        incident: the edges may cut a bucket only where the data begin or end. None otherwise.
        """
        n = self.policy.grain_months
        first, last = _month_of(start), _month_of(end)
        if last < first:
            return None
        if first % n and first > self.first_month:
            return None
        if (last + 1) % n and last < self.last_month:
            return None
        if not self.published or self.last_month < self.first_month:
            return (0, 0)
        count = next(iter(self.published.values())).shape[1]
        low = min(max(first // n - self.first_bucket, 0), count)
        high = min(max(last // n - self.first_bucket + 1, 0), count)
        return low, max(low, high)

    def table(
        self,
        level: int,
        units: pd.Index,
        start: str,
        end: str,
        categories: list[str],
        measure: str,
    ) -> np.ndarray | None:
        """Units x ``categories`` published sums over the period, or None when the request is
        finer than the grain (a finer level, or a period that cuts a cell)."""
        if level not in self.published or measure not in PUBLISHED_MEASURES:
            return None
        span = self.buckets_of(start, end)
        if span is None:
            return None
        out = np.zeros((len(units), len(categories)), dtype=np.int64)
        lookup = self.unit_position(level)
        rows = np.fromiter((lookup.get(u, -1) for u in units), dtype=np.intp, count=len(units))
        cums = self.cumulative[level]
        m = PUBLISHED_MEASURES.index(measure)
        for j, cat in enumerate(categories):
            if cat not in self.categories:
                continue
            k = self.categories.index(cat)
            sums = cums[:, span[1], k, m] - cums[:, span[0], k, m]
            out[:, j] = np.where(rows >= 0, sums[np.maximum(rows, 0)], 0)
        return out

    def unit_position(self, level: int) -> dict[str, int]:
        """Position of each unit id of ``level`` in ``units[level]`` (built once per level)."""
        known = self._positions.get(level)
        if known is None:
            known = self._positions[level] = {u: i for i, u in enumerate(self.units[level])}
        return known

    @functools.cached_property
    def _positions(self) -> dict[int, dict[str, int]]:
        return {}


def _ancestors(cubes: Cubes, level: int, target: int) -> np.ndarray:
    """The ``target``-level ancestor of every unit of ``level`` (as strings)."""
    ids = pd.Index(cubes.units[level])
    for upper in range(level, target, -1):
        ids = pd.Index(cubes.parents[upper].reindex(ids).fillna("").to_numpy())
    return ids.to_numpy()


def build_cells(cubes: Cubes, policy: ProtectionPolicy) -> ProtectedCells:
    """Publish every protected cell of the incident cube once (see :mod:`analysis.protection`)."""
    n = policy.grain_months
    level = policy.grain_level
    dense = cubes.incident_arrays.get(level)
    empty = ProtectedCells(policy, (), 0, 0, -1, {}, {}, {})
    if dense is None or not len(dense.months):
        return empty
    categories = tuple(k for k in dense.keys if policy.is_sensitive(k))
    months = dense.first_month + np.arange(len(dense.months))
    buckets = months // n
    first_bucket = int(buckets[0])
    count = int(buckets[-1]) - first_bucket + 1
    cat_pos = [dense.key_position[c] for c in categories]
    m_pos = [dense.measures.index(m) for m in PUBLISHED_MEASURES]
    true = np.zeros((len(dense.units), count, len(categories), len(m_pos)), dtype=np.int64)
    if categories:
        values = dense.values[:, :, cat_pos][:, :, :, m_pos]
        for position, bucket in enumerate(buckets - first_bucket):
            true[:, bucket] += values[:, position]
    cell_ids = np.empty(true.shape, dtype=object)
    for u, unit in enumerate(dense.units):
        for b in range(count):
            label = bucket_label(first_bucket + b, n)
            for k, cat in enumerate(categories):
                for m, measure in enumerate(PUBLISHED_MEASURES):
                    cell_ids[u, b, k, m] = f"{measure}|{unit}|{label}|{cat}"
    published = {level: publish_array(true, cell_ids, policy.key, policy.base)}
    units = {level: pd.Index(dense.units)}
    for coarser in range(level - 1, 0, -1):
        if coarser not in cubes.units:
            continue
        parents = _ancestors(cubes, level, coarser)
        target = pd.Index(cubes.units[coarser])
        rows = target.get_indexer(parents)
        summed = np.zeros((len(target), *true.shape[1:]), dtype=np.int64)
        keep = rows >= 0
        np.add.at(summed, rows[keep], published[level][keep])
        published[coarser] = summed
        units[coarser] = target
    cumulative = {}
    for lvl, array in published.items():
        cum = np.zeros((array.shape[0], count + 1, *array.shape[2:]), dtype=np.int64)
        np.cumsum(array, axis=1, out=cum[:, 1:])
        cumulative[lvl] = cum
    return ProtectedCells(
        policy=policy,
        categories=categories,
        first_bucket=first_bucket,
        first_month=int(months[0]),
        last_month=int(months[-1]),
        units=units,
        published=published,
        cumulative=cumulative,
    )


__all__ = ["PUBLISHED_MEASURES", "ProtectedCells", "bucket_label", "build_cells"]
