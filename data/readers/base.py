"""What every stream reader shares: the result type, per-row conversion with rejections, and
the check that a file carries the stream's required columns (naming the stream it looks like
when it does not)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from data.columns import (
    ColumnError,
    Field,
    MissingColumnsError,
    WrongStreamError,
    describe,
    fold_header,
    map_columns,
)
from data.options import ReadOptions
from data.tabular import (
    Table,
    detect_month_first,
    month_start,
    parse_count,
    parse_date,
    parse_number,
)


@dataclass(frozen=True)
class Rejection:
    """One row left out, and why (``row`` is the 1-based data record number)."""

    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class Unresolved:
    """A kept row whose place could not be (fully) resolved."""

    row: int
    value: str
    reason: str
    candidates: str
    adm1_pcode: str = ""  # the région when only the cercle failed
    place: dict[str, str] = field(default_factory=dict)  # the place fields given, as written


@dataclass
class ReadResult:
    """The canonical frame of one file plus everything a user needs to trust it."""

    stream: str
    path: Path
    frame: pd.DataFrame
    rows_read: int
    rejected: list[Rejection] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    flagged: list[Rejection] = field(default_factory=list)  # kept rows with a suspect cell
    warnings: list[str] = field(default_factory=list)
    vintage: str = ""
    vintage_explanation: str = ""
    source_format: str = ""
    table_info: dict[str, str] = field(default_factory=dict)

    @property
    def rows_accepted(self) -> int:
        return len(self.frame)

    @property
    def rows_rejected(self) -> int:
        return len({r.row for r in self.rejected})

    def resolved_by(self) -> dict[str, int]:
        counts = self.frame["match_method"].value_counts()
        return {str(k): int(v) for k, v in counts.items()}


class ColumnMapError(ColumnError):
    """A ``--map`` override or profile that does not fit the file or the stream."""


class DuplicateColumnError(ColumnError):
    """Two columns with the same header, one of which a field would be read from."""


# -- column checks --------------------------------------------------------------------------

COLUMNS_SHOWN = 12  # columns listed when a required one is missing

STREAM_HINTS: dict[str, tuple[str, ...]] = {
    "incidents": (
        "eventdate",
        "eventtype",
        "subeventtype",
        "fatalities",
        "categorie",
        "nombredevictimes",
        "violation",
        "#event",
        "#fatality",
    ),
    "displacement": (
        "totalnoofidpsind",
        "numpresentidpind",
        "pdi",
        "retournes",
        "rapatries",
        "idps",
        "#affected",
    ),
    "services": (
        "organisationaccronyme",
        "nomorganisation",
        "cluster",
        "orgacronym",
        "orgname",
        "sectorcode",
        "#org",
        "#sector",
    ),
    "access": ("typedecontrainte", "constrainttype", "contrainte", "severity", "severite"),
    "population": ("ttl", "mtl", "ftl", "#population"),
}


def guess_stream(table: Table) -> tuple[str, int]:
    """The stream whose typical headers/hashtags the file carries most of."""
    keys = {fold_header(c) for c in table.frame.columns}
    tags = {t.split("+")[0] for t in table.hxl.values()}
    best, best_score = "", 0
    for stream, hints in STREAM_HINTS.items():
        score = sum(1 for h in hints if (h in tags if h.startswith("#") else h in keys))
        if score > best_score:
            best, best_score = stream, score
    return best, best_score


def require(
    table: Table,
    stream: str,
    mapping: dict[str, str],
    fields: dict[str, Field],
    groups: Iterable[tuple[str, ...]],
) -> None:
    """Each group needs at least one mapped field; otherwise name the file, what is missing and
    which columns the file has (so a ``--map`` option can be written from the message)."""
    missing = [g for g in groups if not any(name in mapping for name in g)]
    if not missing:
        return
    parts = [" or ".join(describe(fields[n]) for n in g) for g in missing]
    article = "an" if stream[0] in "aeiou" else "a"
    message = (
        f"{table.name}: not {article} {stream} file: missing required column(s): "
        + "; ".join(parts)
    )
    other, score = guess_stream(table)
    if other and other != stream and score >= 2:
        article = "an" if other[0] in "aeiou" else "a"
        raise WrongStreamError(message + f"; it looks like {article} {other} file")
    columns = list(table.frame.columns)
    shown = ", ".join(repr(c) for c in columns[:COLUMNS_SHOWN])
    more = f" and {len(columns) - COLUMNS_SHOWN} more" if len(columns) > COLUMNS_SHOWN else ""
    raise MissingColumnsError(
        f"{message}; the file has columns {shown}{more} "
        '(map one with --map "Column=field" or a profile)'
    )


def map_fields(
    table: Table, fields: dict[str, Field], options: ReadOptions | None
) -> dict[str, str]:
    """Field -> source column: the caller's overrides first, then headers and HXL tags.

    An override naming a column the file lacks, or a field the stream does not have, rejects
    the file; so does a duplicated header that a field would be read from (which copy?).
    """
    options = options or ReadOptions()
    profiled = {c: n for c, n in options.profile_columns.items() if c in table.frame.columns}
    for column, name in profiled.items():
        if name not in fields:
            raise ColumnMapError(
                f"{table.name}: profile {options.profile}: {column}={name}: no field {name!r} "
                f"in this stream; one of {', '.join(sorted(fields))}"
            )
    for column, name in options.columns.items():
        if name not in fields:
            known = ", ".join(sorted(fields))
            raise ColumnMapError(
                f"{table.name}: --map {column}={name}: no field {name!r}; one of {known}"
            )
        if column not in table.frame.columns:
            raise ColumnMapError(
                f"{table.name}: --map {column}={name}: the file has no column {column!r}"
            )
    overrides = {**profiled, **options.columns}
    forced = {name: column for column, name in overrides.items()}
    rest = [f for n, f in fields.items() if n not in forced]
    free = [c for c in table.frame.columns if c not in forced.values()]
    mapping = {**map_columns(free, table.hxl, rest), **forced}
    for name, column in mapping.items():
        if column in table.duplicates:
            positions = " and ".join(str(p) for p in table.duplicates[column])
            raise DuplicateColumnError(
                f"{table.name}: columns {positions} are both named {column!r} (read as {name}); "
                "rename or delete one"
            )
    return mapping


def score_for(fields: Iterable[Field]) -> Callable[[list[str], dict[str, str]], float]:
    """Sheet scorer for workbooks: how many of the stream's fields a sheet's headers map."""
    fields = list(fields)

    def score(columns: list[str], hxl: dict[str, str]) -> float:
        return float(len(map_columns(columns, hxl, fields)))

    return score


# -- per-row conversion ----------------------------------------------------------------------


class Converter:
    """Converts mapped columns value by value, recording a rejection per bad row."""

    def __init__(self, table: Table, mapping: dict[str, str]) -> None:
        self.table = table
        self.frame = table.frame
        self.mapping = mapping
        self.rejected: list[Rejection] = []

    def has(self, name: str) -> bool:
        return name in self.mapping

    def column(self, name: str) -> str:
        return self.mapping.get(name, name)

    def text(self, name: str) -> pd.Series:
        if name not in self.mapping:
            return pd.Series([None] * len(self.frame), index=self.frame.index, dtype=object)
        return self.frame[self.mapping[name]]

    def reject(self, row: int, name: str, reason: str) -> None:
        self.rejected.append(Rejection(int(row), self.column(name), reason))

    def _apply(
        self, name: str, convert: Callable[[str | None], object], required: bool
    ) -> pd.Series:
        values = self.text(name)
        out: list[object] = []
        for row, value in values.items():
            try:
                result = convert(value)
            except ValueError as exc:
                self.reject(row, name, str(exc))
                result = None
            else:
                if result is None and required:
                    self.reject(row, name, "missing value")
            out.append(result)
        return pd.Series(out, index=values.index, dtype=object)

    def dates(self, name: str, required: bool = False) -> pd.Series:
        month_first = detect_month_first(self.text(name))
        if month_first:
            self.table.warnings.append(
                f"column {self.column(name)!r} has month-first dates (mm/dd/yyyy); read them so"
            )
        window = self.table.limits.date_window()
        values = self._apply(name, lambda v: parse_date(v, month_first, window), required)
        return pd.to_datetime(values).astype("datetime64[ns]")

    def month_year(self, month: str, year: str, required: bool = True) -> pd.Series:
        out: list[object] = []
        for row, m, y in zip(self.frame.index, self.text(month), self.text(year), strict=True):
            try:
                out.append(month_start(m, y))
            except ValueError as exc:
                if required:
                    self.reject(row, month, str(exc))
                out.append(None)
        return pd.to_datetime(pd.Series(out, index=self.frame.index, dtype=object)).astype(
            "datetime64[ns]"
        )

    def counts(self, name: str, required: bool = False) -> pd.Series:
        return self._apply(name, parse_count, required).astype("Int64")

    def numbers(self, name: str, low: float | None = None, high: float | None = None) -> pd.Series:
        def convert(value: str | None) -> float | None:
            number = parse_number(value)
            if number is not None and (
                (low is not None and number < low) or (high is not None and number > high)
            ):
                raise ValueError(f"{value!r} is outside {low:g}-{high:g}")
            return number

        return self._apply(name, convert, False).astype("Float64")

    def coordinates(self, name: str) -> pd.Series:
        """Latitude/longitude: unreadable values become missing (the row is still placed)."""
        out = []
        for value in self.text(name):
            try:
                out.append(parse_number(value))
            except ValueError:
                out.append(None)
        return pd.Series(out, index=self.frame.index, dtype=object).astype("Float64")


def places_frame(conv: Converter) -> pd.DataFrame:
    """The place columns :class:`geo.resolve.PlaceResolver` understands, from the mapping."""
    out = pd.DataFrame(index=conv.frame.index)
    for name in (
        "adm1_code",
        "adm1_name",
        "adm2_code",
        "adm2_name",
        "adm3_code",
        "adm3_name",
        "precision",
    ):
        if conv.has(name):
            out[name] = conv.text(name)
    for name in ("latitude", "longitude"):
        if conv.has(name):
            out[name] = conv.coordinates(name)
    return out
