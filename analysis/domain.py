"""What valid view-state values look like for the loaded data (no Dash import)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Domain:
    """What valid values look like for this dataset (months, units, categories, sectors)."""

    months: tuple[str, ...]  # 'YYYY-MM', ascending
    regions: frozenset[str]
    units: frozenset[str]  # every unit id of every level
    categories: frozenset[str]
    sectors: frozenset[str]
    levels: tuple[int, ...] = (1, 2)  # admin levels of the boundary set (3 = communes)
    default_categories: tuple[str, ...] = ()  # one counting system (see data.vocab families)

    @property
    def last_month(self) -> str:
        return self.months[-1]
