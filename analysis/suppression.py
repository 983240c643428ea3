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
import pyarrow as pa

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


def _raw(table: pd.DataFrame) -> np.ndarray:
    """The table's counts as float64, NaN where unknown or not a number."""
    if all(pd.api.types.is_numeric_dtype(dtype) for dtype in table.dtypes):
        return table.to_numpy(dtype="float64", na_value=np.nan)
    return table.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")


def _pick(values: np.ndarray, candidates: np.ndarray, sensitive: np.ndarray | None) -> np.ndarray:
    """Per line (row of the arrays) the member to hide: sensitive first, then smallest, then first.

    -1 where the line has no candidate. ``sensitive`` (per member) may be None when all
    members of a line share their sensitivity.
    """
    if sensitive is not None:
        preferred = candidates & sensitive[None, :]
        candidates = np.where(preferred.any(axis=1, keepdims=True), preferred, candidates)
    scores = np.where(candidates, values, np.inf)
    pick = np.argmin(scores, axis=1) if scores.shape[1] else np.zeros(len(scores), np.intp)
    return np.where(candidates.any(axis=1), pick, -1)


def _complete(
    matrix: np.ndarray,
    hidden: np.ndarray,
    is_sensitive: np.ndarray,
    row_totals: bool,
    column_totals: bool,
) -> bool:
    """One pass of secondary suppression over every published line, in place; True if changed.

    A pass visits the unit rows, then the category columns, then the total column, then the
    total row, each line hiding its smallest visible non-zero member when exactly one member is
    hidden and its total is not (or hiding the total when no member can be). Lines of one kind
    share no cell, so each kind is done at once; kinds run in that order because a later kind
    sees what an earlier one hid: this reproduces the order of the line-by-line algorithm.
    """
    rows, cols = matrix.shape[0] - 1, matrix.shape[1] - 1
    changed = False
    body, bhide = matrix[:rows, :cols], hidden[:rows, :cols]
    if row_totals and rows:
        lines = ~hidden[:rows, cols] & (bhide.sum(axis=1) == 1)
        if lines.any():
            at = np.flatnonzero(lines)
            pick = _pick(body[at], ~bhide[at] & (body[at] > 0), is_sensitive[:cols])
            hidden[at[pick >= 0], pick[pick >= 0]] = True
            hidden[at[pick < 0], cols] = True
            changed = True
    if column_totals and cols:
        lines = ~hidden[rows, :cols] & (bhide.sum(axis=0) == 1)
        if lines.any():
            at = np.flatnonzero(lines)
            pick = _pick(body[:, at].T, ~bhide[:, at].T & (body[:, at].T > 0), None)
            hidden[pick[pick >= 0], at[pick >= 0]] = True
            hidden[rows, at[pick < 0]] = True
            changed = True
    if row_totals and column_totals:
        for members, total in ((np.s_[:rows, cols], None), (np.s_[rows, :cols], is_sensitive)):
            cells = hidden[members]
            if hidden[rows, cols] or cells.sum() != 1:
                continue
            values = matrix[members]
            sensitive = None if total is None else total[:cols]
            pick = _pick(values[None, :], (~cells & (values > 0))[None, :], sensitive)[0]
            if pick < 0:
                hidden[rows, cols] = True
            elif total is None:
                hidden[pick, cols] = True
            else:
                hidden[rows, pick] = True
            changed = True
    return changed


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
    return _masks(_raw(table), table.columns, sensitive, threshold, row_totals, column_totals)


def _masks(
    values: np.ndarray,
    columns: Iterable,
    sensitive: Iterable[str],
    threshold: int,
    row_totals: bool,
    column_totals: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sensitive = set(sensitive)
    rows, cols = values.shape
    matrix = np.zeros((rows + 1, cols + 1))
    matrix[:rows, :cols] = values
    matrix[:rows, cols] = np.nansum(values, axis=1)
    matrix[rows, :cols] = np.nansum(values, axis=0)
    matrix[rows, cols] = np.nansum(values)
    is_sensitive = np.array([str(c) in sensitive for c in columns] + [False])
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
    if primary.any():  # nothing hidden: no line can reveal anything
        while _complete(matrix, hidden, is_sensitive, row_totals, column_totals):
            pass
    return matrix, primary, hidden & ~primary


# Display strings of the counts most tables hold, looked up instead of formatted one by one.
_FORMATTED = [format_count(v) for v in range(10_000)]
_FORMATTED_OBJECTS = np.array(_FORMATTED, dtype=object)


def _arrow_strings() -> tuple[pa.Array | None, object]:
    """The column dtype pandas gives a frame of strings and, when Arrow-backed, the table as Arrow.

    Why: pandas >= 3 stores strings in Arrow; converting 15k Python strings to it costs more
    than the suppression itself, whereas taking from an Arrow table of the formatted strings
    is one C call per column, and gives the very same column.
    """
    dtype = pd.DataFrame(np.array([["0"]], dtype=object)).dtypes.iloc[0]
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return None, dtype
    try:
        table = pa.array(_FORMATTED, type=pa.large_string())
        pd.array(table.slice(0, 1), dtype=dtype)
    except (TypeError, ValueError, pa.ArrowException):  # pragma: no cover - other pandas
        return None, dtype
    return table, dtype


_FORMATTED_ARROW, _STRING_DTYPE = _arrow_strings()


def _display_codes(numbers: np.ndarray, labels: Iterable[str] = ()) -> tuple[np.ndarray, list[str]]:
    """Display strings as positions in ``_FORMATTED + extras``: extras are "", ``labels``, then
    the formatted counts the table does not hold (negative, 10,000 and more)."""
    extras = ["", *labels]
    codes = np.full(numbers.shape, len(_FORMATTED), dtype=np.intp)  # "" (unknown)
    known = ~np.isnan(numbers)
    rounded = np.rint(np.where(known, numbers, 0))  # half to even, as round() does
    common = known & (rounded >= 0) & (rounded < len(_FORMATTED))
    codes[common] = rounded[common].astype(np.intp)
    for at in zip(*np.nonzero(known & ~common), strict=True):
        codes[at] = len(_FORMATTED) + len(extras)
        extras.append(format_count(numbers[at]))
    return codes, extras


def _strings(codes: np.ndarray, extras: list[str]) -> np.ndarray:
    return np.concatenate([_FORMATTED_OBJECTS, np.array(extras, dtype=object)])[codes]


def format_counts(numbers: np.ndarray) -> np.ndarray:
    """:func:`format_count` of every cell of a float array, as an object array of strings."""
    return _strings(*_display_codes(numbers))


def _display_frame(
    codes: np.ndarray, extras: list[str], index: pd.Index, columns: pd.Index
) -> pd.DataFrame:
    """``pd.DataFrame(strings, index, columns)`` built from codes (see :func:`_arrow_strings`)."""
    rows, cols = codes.shape
    if _FORMATTED_ARROW is None or not rows or not cols:
        return pd.DataFrame(_strings(codes, extras), index=index, columns=columns)
    vocabulary = pa.concat_arrays([_FORMATTED_ARROW, pa.array(extras, type=pa.large_string())])
    flat = vocabulary.take(pa.array(codes.T.ravel()))
    data = {j: pd.array(flat.slice(j * rows, rows), dtype=_STRING_DTYPE) for j in range(cols)}
    out = pd.DataFrame(data, index=index, copy=False)
    out.columns = columns
    return out


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
    (index, unique_rows), (columns, unique_cols) = (
        _with_total(table.index, total_label),
        _with_total(table.columns, total_label),
    )
    numbers, (codes, extras), hidden, secondary = _view(
        _raw(table), table.columns, sensitive, threshold, member, row_totals, column_totals
    )
    if not (unique_rows and unique_cols):
        # label selection (what callers relied on) differs from slicing on repeated labels
        keep_rows = list(index) if column_totals else list(index[:-1])
        keep_cols = list(columns) if row_totals else list(columns[:-1])

        def frame(data: np.ndarray) -> pd.DataFrame:
            out = pd.DataFrame(data, index=index, columns=columns)
            return out.loc[keep_rows, keep_cols]

        display = frame(_strings(codes, extras))
    else:
        rows = slice(None) if column_totals else slice(-1)
        cols = slice(None) if row_totals else slice(-1)
        index, columns = index[rows], columns[cols]

        def frame(data: np.ndarray) -> pd.DataFrame:
            return pd.DataFrame(data[rows, cols], index=index, columns=columns)

        display = _display_frame(codes[rows, cols], extras, index, columns)
    return PublicView(
        values=frame(numbers).astype("float64"),
        display=display,
        suppressed=frame(hidden).astype(bool),
        secondary=frame(secondary).astype(bool),
    )


def _with_total(labels: pd.Index, total_label: str) -> tuple[pd.Index, bool]:
    """``pd.Index([*labels, total_label])`` (the labels callers have always got), and whether
    they are unique; faster than iterating an Arrow-backed index label by label."""
    if isinstance(labels, pd.MultiIndex):
        out = pd.Index([*labels, total_label])
        return out, out.is_unique
    values = np.append(labels.to_numpy(dtype=object), np.array([total_label], dtype=object))
    try:
        unique = len(set(values.tolist())) == len(values)
    except TypeError:  # unhashable labels
        unique = False
    return pd.Index(values), unique


def _view(
    values: np.ndarray,
    columns: Iterable,
    sensitive: Iterable[str],
    threshold: int,
    member: bool,
    row_totals: bool,
    column_totals: bool,
) -> tuple[np.ndarray, tuple[np.ndarray, list[str]], np.ndarray, np.ndarray]:
    """Numbers (NaN where hidden), display codes, hidden and secondary masks, with totals."""
    if member:
        # members see everything: the masks need not be computed at all
        matrix = _masks(values, columns, (), threshold, False, False)[0]
        primary = secondary = np.zeros(matrix.shape, dtype=bool)
    else:
        matrix, primary, secondary = _masks(
            values, columns, sensitive, threshold, row_totals, column_totals
        )
    # ``matrix`` is NaN exactly where the table is unknown (totals are always known)
    hidden = primary | secondary
    codes, extras = _display_codes(matrix, (f"<{threshold}", SECONDARY_LABEL))
    codes[primary] = len(_FORMATTED) + 1
    codes[secondary] = len(_FORMATTED) + 2
    return np.where(hidden, np.nan, matrix), (codes, extras), hidden, secondary


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
    labels, unique = _with_total(values.index, TOTAL_LABEL)
    if not unique:
        view = public_view(
            values.to_frame(name),
            {name} if sensitive else set(),
            threshold,
            member,
            row_totals=False,
            column_totals=total_published,
        )
        rows = list(values.index)
        return view.values.loc[rows, name], view.display.loc[rows, name]
    column = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    numbers, (codes, extras), _, _ = _view(
        column[:, None],
        [name],
        {name} if sensitive else set(),
        threshold,
        member,
        row_totals=False,
        column_totals=total_published,
    )
    index = labels[:-1]
    return (
        pd.Series(numbers[:-1, 0], index=index, name=name, dtype="float64"),
        pd.Series(_strings(codes[:-1, 0], extras), index=index, name=name),
    )
