"""P-codes typed or picked on the screens, checked against the vendored 2021 gazetteer (régions
and cercles: what a learned name can mean)."""

from __future__ import annotations

import re

from geo.gazetteer import load_gazetteer

LEVELS = (1, 2)


class PlaceCheck:
    """Names and validity of 2021 région (1) and cercle (2) p-codes."""

    def __init__(self) -> None:
        gazetteer = load_gazetteer()
        self._names: dict[int, dict[str, str]] = {
            1: {p.pcode: p.name for p in gazetteer.regions()},
            2: {p.pcode: p.name for p in gazetteer.cercles()},
        }

    @staticmethod
    def level(value: object) -> int | None:
        """The level a form field names (``"2"``, ``"adm2"``), or None."""
        digits = re.sub(r"\D", "", str(value or ""))
        return int(digits) if digits and int(digits) in LEVELS else None

    @staticmethod
    def normalise(pcode: str) -> str:
        """``" ml-0501 "`` -> ``"ML0501"``; ``MLI`` prefixes kept for the MLI-style codes."""
        return re.sub(r"[\s\-_./]", "", pcode or "").upper()

    def check(self, pcode: str, level: int | None) -> str | None:
        """The normalised p-code when it is a place of ``level`` (any level when None)."""
        code = self.normalise(pcode)
        levels = (level,) if level else LEVELS
        return code if any(code in self._names[lv] for lv in levels) else None

    def name(self, pcode: str | None) -> str:
        """The place's name (the p-code itself when unknown)."""
        code = self.normalise(pcode or "")
        for names in self._names.values():
            if code in names:
                return names[code]
        return pcode or ""
