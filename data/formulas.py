"""Cells that a spreadsheet would run as formulas (``=HYPERLINK(…)``, ``=cmd|…``, ``@SUM(…)``).

They are kept as the text they are, flagged in the import report, and neutralised (a leading
apostrophe, as OWASP recommends against CSV injection) wherever canonical rows are exported.
"""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SIGNED_NUMBER = re.compile(r"^[+-][\d\s.,']*$")  # "-3,5", "+223 76 00 00 00" are not formulas


def looks_like_formula(value: object) -> bool:
    """Text a spreadsheet would evaluate when the cell is opened."""
    if not isinstance(value, str) or not value or not value.startswith(TRIGGERS):
        return False
    return not _SIGNED_NUMBER.match(value)


def formula_cells(frame: pd.DataFrame, columns: list[str]) -> list[tuple[int, str, str]]:
    """(row, column, text) of every formula-like cell in ``columns`` of a source table."""
    found: list[tuple[int, str, str]] = []
    for column in columns:
        values = frame[column].dropna()
        text = values[values.astype(str).str.startswith(TRIGGERS)]
        found.extend((int(r), column, v) for r, v in text.items() if looks_like_formula(v))
    return sorted(found)


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose formula-like text cells start with an apostrophe (safe to export)."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            mask = out[column].map(looks_like_formula).astype(bool)
            if mask.any():
                out[column] = out[column].astype(object)
                out.loc[mask, column] = "'" + out.loc[mask, column].astype(str)
    return out
