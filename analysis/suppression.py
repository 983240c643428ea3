"""Small-count suppression for public views ("ne pas nuire").

Why: GBV and child-protection counts of 1-4 in a cercle can identify survivors. Public views
show them as "<5" (primary suppression). Hiding one cell is not enough when a total is
published: total minus the visible cells gives it back, so a second, complementary cell of the
same line is hidden too (secondary suppression), or, when the line has no other non-zero cell
to hide, the line's total is hidden instead. Zero stays 0 (nothing to protect, and hiding it
would suggest incidents where there were none). Members of the cluster (logged in) see the
exact numbers: every public helper takes ``member=True`` to switch suppression off.

Suppression runs server side, on the numbers the dashboard is about to send: the browser
never receives a suppressed value.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from data.vocab import SENSITIVE_CATEGORIES

THRESHOLD = 5
PRIMARY_LABEL = "<5"
SECONDARY_LABEL = "*"
TOTAL_LABEL = "Total"
NOTE_FR = (
    "« <5 » : valeur de 1 à 4 masquée pour protéger les personnes ; « * » : valeur masquée "
    "pour qu'un total ne permette pas de la retrouver."
)


def format_count(value: float) -> str:
    """Whole number with French digit grouping (narrow no-break space); "" when unknown."""
    if value is None or pd.isna(value):
        return ""
    return f"{int(round(float(value))):,}".replace(",", "\u202f")


def is_small(
    values: pd.Series | pd.DataFrame, threshold: int = THRESHOLD
) -> pd.Series | pd.DataFrame:
    """True for counts from 1 to ``threshold - 1`` (0 and unknown are not small)."""
    numeric = (
        values.apply(pd.to_numeric, errors="coerce")
        if isinstance(values, pd.DataFrame)
        else pd.to_numeric(values, errors="coerce")
    )
    return ((numeric > 0) & (numeric < threshold)).fillna(False).astype(bool)


def suppress(values: pd.Series, threshold: int = THRESHOLD) -> pd.Series:
    """Display strings for counts of a sensitive measure: 1..threshold-1 -> "<threshold".

    Only primary suppression: use :func:`public_view` when totals are shown next to them.
    """
    label = f"<{threshold}"
    small = is_small(values, threshold)
    shown = pd.Series([format_count(v) for v in values], index=values.index, dtype=object)
    return shown.where(~small, label)


@dataclass(frozen=True)
class PublicView:
    """A table ready to send: display strings, numbers (NaN where hidden) and what was hidden.

    ``values``/``display``/``suppressed`` include the total row and column when requested.
    ``secondary`` marks cells hidden only to protect another cell.
    """

    values: pd.DataFrame
    display: pd.DataFrame
    suppressed: pd.DataFrame
    secondary: pd.DataFrame


def _lines(
    rows: int, cols: int, row_totals: bool, column_totals: bool
) -> list[tuple[list[tuple[int, int]], tuple[int, int]]]:
    """Additive relations (cells, total) of a table laid out with totals in the last row/column."""
    lines = []
    if row_totals:
        lines += [([(i, j) for j in range(cols)], (i, cols)) for i in range(rows)]
    if column_totals:
        lines += [([(i, j) for i in range(rows)], (rows, j)) for j in range(cols)]
    if row_totals and column_totals:
        lines.append(([(i, cols) for i in range(rows)], (rows, cols)))
        lines.append(([(rows, j) for j in range(cols)], (rows, cols)))
    return lines


def suppression_masks(
    table: pd.DataFrame,
    sensitive: Iterable[str] = SENSITIVE_CATEGORIES,
    threshold: int = THRESHOLD,
    row_totals: bool = True,
    column_totals: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Primary and secondary suppression over a table of counts (units x categories).

    Returns (matrix, primary, secondary) where ``matrix`` is the table with a total column and
    a total row appended (``rows + 1`` x ``cols + 1``, whether or not they are shown) and the
    masks have the same shape. Primary: small counts in sensitive columns, and small totals made
    only of sensitive columns. Secondary: while a published line total has exactly one hidden
    member, hide the smallest non-zero visible member (preferring sensitive columns), or the
    total itself when no member can be hidden.
    """
    sensitive = set(sensitive)
    values = table.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")
    rows, cols = values.shape
    matrix = np.zeros((rows + 1, cols + 1))
    matrix[:rows, :cols] = values
    matrix[:rows, cols] = np.nansum(values, axis=1)
    matrix[rows, :cols] = np.nansum(values, axis=0)
    matrix[rows, cols] = np.nansum(values)
    is_sensitive = np.array([str(c) in sensitive for c in table.columns] + [False])
    small = (matrix > 0) & (matrix < threshold)

    primary = np.zeros_like(matrix, dtype=bool)
    primary[:rows, :cols] = small[:rows, :cols] & is_sensitive[None, :cols]
    primary[rows, :cols] = small[rows, :cols] & is_sensitive[:cols] & column_totals
    nonzero = np.nan_to_num(values) > 0
    only_sensitive_rows = ~(nonzero & ~is_sensitive[None, :cols]).any(axis=1)
    primary[:rows, cols] = small[:rows, cols] & only_sensitive_rows & row_totals
    all_sensitive = bool(is_sensitive[:cols].all()) and cols > 0
    primary[rows, cols] = small[rows, cols] & all_sensitive & row_totals & column_totals

    hidden = primary.copy()
    lines = _lines(rows, cols, row_totals, column_totals)
    changed = True
    while changed:
        changed = False
        for cells, total in lines:
            if hidden[total] or sum(hidden[c] for c in cells) != 1:
                continue
            candidates = [c for c in cells if not hidden[c] and matrix[c] > 0]
            if candidates:
                pick = min(candidates, key=lambda c: (not is_sensitive[c[1]], matrix[c], c))
            else:
                pick = total
            hidden[pick] = True
            changed = True
    return matrix, primary, hidden & ~primary


def public_view(
    table: pd.DataFrame,
    sensitive: Iterable[str] = SENSITIVE_CATEGORIES,
    threshold: int = THRESHOLD,
    member: bool = False,
    row_totals: bool = True,
    column_totals: bool = True,
    total_label: str = TOTAL_LABEL,
) -> PublicView:
    """Display strings and numbers of a units x categories table, suppressed unless ``member``.

    Totals are computed here from the unsuppressed counts, so hidden cells still count in them
    (a published total is the true total); they are added as a ``total_label`` row/column when
    requested.
    """
    matrix, primary, secondary = suppression_masks(
        table, sensitive, threshold, row_totals, column_totals
    )
    if member:
        primary = np.zeros_like(primary)
        secondary = np.zeros_like(secondary)
    index = list(table.index) + [total_label]
    columns = list(table.columns) + [total_label]
    known = np.ones_like(matrix, dtype=bool)
    known[: len(table), : table.shape[1]] = table.notna().to_numpy()
    numbers = np.where(known, matrix, np.nan)
    hidden = primary | secondary
    display = np.array([[format_count(v) for v in row] for row in numbers], dtype=object)
    display[primary] = f"<{threshold}"
    display[secondary] = SECONDARY_LABEL

    def frame(data: np.ndarray) -> pd.DataFrame:
        out = pd.DataFrame(data, index=index, columns=columns)
        keep_rows = index if column_totals else index[:-1]
        keep_cols = columns if row_totals else columns[:-1]
        return out.loc[keep_rows, keep_cols]

    return PublicView(
        values=frame(np.where(hidden, np.nan, numbers)).astype("float64"),
        display=frame(display),
        suppressed=frame(hidden).astype(bool),
        secondary=frame(secondary).astype(bool),
    )


def public_values(
    values: pd.Series,
    sensitive: bool,
    threshold: int = THRESHOLD,
    member: bool = False,
    total_published: bool = True,
) -> tuple[pd.Series, pd.Series]:
    """One measure per unit (e.g. a map layer): numbers with NaN where hidden, and display strings.

    ``total_published`` says whether the same screen shows the sum over units (a key figure),
    in which case one hidden unit gets a complementary one.
    """
    name = str(values.name) if values.name is not None else "value"
    table = values.to_frame(name)
    view = public_view(
        table,
        {name} if sensitive else set(),
        threshold,
        member,
        row_totals=False,
        column_totals=total_published,
    )
    rows = list(values.index)
    return view.values.loc[rows, name], view.display.loc[rows, name]
