"""Where a view looks: the map level, the units of the scope, the selected categories."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from data.vocab import CATEGORY_BY_CODE, INCIDENT_CATEGORIES

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


def map_level(state: dict) -> int:
    """Régions, cercles or communes: a selected région shows its cercles (communes at level 3)."""
    level = int(state.get("level", 1))
    if state.get("region"):
        return 3 if level == 3 else 2
    return level


def region_of(data: DashboardData, level: int, units: pd.Index) -> np.ndarray:
    """The région id of each unit of ``level`` (walking up the parents)."""
    ids = pd.Index(units)
    for upper in range(level, 1, -1):
        ids = pd.Index(data.parents(upper).reindex(ids).fillna("").to_numpy())
    return ids.to_numpy()


def within(index: pd.Index, units) -> np.ndarray:
    """``index.isin(units)`` for unit ids, through a set: pandas' ``isin`` on Arrow-backed
    strings builds an Arrow scalar per value (milliseconds for the 700 communes of a map)."""
    keep = set(np.asarray(units, dtype=object).tolist())
    ids = np.asarray(index, dtype=object).tolist()
    return np.fromiter((u in keep for u in ids), dtype=bool, count=len(ids))


def scope_units(data: DashboardData, state: dict) -> pd.Index:
    """Units drawn on the map: every unit of the level, or those inside the selected région
    (found once per level and région: no filter changes them)."""
    level = map_level(state)
    units = data.cubes.units[level]
    region = state.get("region")
    if region and level >= 2:
        return data.static(
            ("scope_units", level, region),
            lambda: units[region_of(data, level, units) == region],
        )
    return units


def selected_categories(data: DashboardData, state: dict) -> list[str]:
    return list(state.get("cats") or data.default_categories())


def scope_of(data: DashboardData, state: dict) -> tuple[int, list[str] | None]:
    """Level and units whose sum the key figures show (selected cercle > région > Mali)."""
    if state.get("unit"):
        level = data.level_of(state["unit"]) or 2
        return level, [state["unit"]]
    if state.get("region"):
        return 1, [state["region"]]
    return 1, None


def families_of(categories: list[str]) -> list[str]:
    """Counting systems (vocabulary families) a selection of categories adds up."""
    order = [c.family for c in INCIDENT_CATEGORIES]
    found = {CATEGORY_BY_CODE[c].family for c in categories if c in CATEGORY_BY_CODE}
    return sorted(found, key=order.index)
