"""Place names the information managers taught the resolver (stored in the database).

A learned name resolves exactly like an alias of :mod:`geo.names`: its normalised form, in the
column of its level (1 région, 2 cercle), optionally only under one région (``scope``), gives a
2021 p-code. Rows resolved this way record ``match_method = "learned"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.names import normalise_name

LEVELS = (1, 2)


@dataclass(frozen=True)
class LearnedName:
    """``name`` written in a level-``level`` column means ``pcode`` (under ``scope`` if set)."""

    name: str
    level: int
    pcode: str
    scope: str = ""


class LearnedNames:
    """Look-up of learned names by level, normalised name and parent région."""

    def __init__(self, names: Iterable[LearnedName] = ()) -> None:
        self._by_key: dict[tuple[int, str, str], str] = {}
        for learned in names:
            key = normalise_name(learned.name)
            if key:
                self._by_key[(learned.level, key, learned.scope or "")] = learned.pcode

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def find(self, level: int, key: str, scope: str = "") -> str | None:
        """The p-code taught for normalised ``key`` at ``level``: under ``scope`` first, then
        anywhere."""
        if scope:
            found = self._by_key.get((level, key, scope))
            if found:
                return found
        return self._by_key.get((level, key, ""))
