"""Reading CSV and XLSX files the way field exports really are.

Field files arrive as UTF-8 (with or without BOM) or cp1252, with commas, semicolons or tabs,
with an optional second header row of HXL hashtags, Excel error strings in cells and padded
headers. This module turns any of them into a :class:`Table` of stripped text cells (``None``
for missing) plus the HXL tag of each column, and offers the value parsers (numbers with
decimal commas, dates in the formats seen in the wild) that readers apply column by column.
Everything here raises :class:`TabularError` subclasses whose message starts with the file name.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

MISSING = frozenset(
    {
        "",
        "#n/a",
        "#value!",
        "#ref!",
        "#div/0!",
        "#name?",
        "#null!",
        "#num!",
        "<null>",
        "null",
        "n/a",
        "na",
        "nan",
        "none",
        "-",
        "--",
    }
)
HXL_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*$", re.IGNORECASE)
EXCEL_EPOCH = datetime(1899, 12, 30)
SNIFF_BYTES = 65536


class TabularError(ValueError):
    """A file that cannot be read as a table at all (the whole file is rejected)."""


class EmptyFileError(TabularError):
    """0 bytes, or a header without a single data row."""


class BinaryFileError(TabularError):
    """Not text and not an XLSX workbook."""


class EncodingError(TabularError):
    """Text in an encoding the readers do not accept (UTF-16/32)."""


@dataclass
class Table:
    """Text cells of one sheet: ``frame`` has the stripped header names as columns.

    ``frame.index`` is the 1-based data record number (header and HXL row not counted; blank
    records are counted, then dropped, so numbers still point at the record in the file).
    """

    path: Path
    frame: pd.DataFrame
    hxl: dict[str, str] = field(default_factory=dict)  # column -> normalised hashtag
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    excel: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


# -- cells ----------------------------------------------------------------------------------


def clean_cell(value: object) -> str | None:
    """Stripped text of a cell, ``None`` for blanks, Excel errors and null markers."""
    if value is None:
        return None
    if isinstance(value, float):
        if value != value:
            return None
        text = repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, datetime):
        text = value.isoformat(sep=" ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value).replace("\u00a0", " ").strip()
    return None if text.lower() in MISSING else text


def clean_header(value: object) -> str:
    """Header text with whitespace collapsed ("Total Garçons ciblés  (<18)" keeps one space)."""
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def normalise_hxl(text: str) -> str:
    """``#Adm2 +Code`` -> ``#adm2+code`` (attribute order kept)."""
    return re.sub(r"\s+", "", text).lower()


def is_hxl_row(cells: list[str | None]) -> bool:
    """A row whose non-empty cells are all hashtags (``#N/A`` and friends are not hashtags)."""
    filled = [c for c in cells if c]
    return bool(filled) and all(HXL_TAG.match(c) for c in filled)


# -- files ----------------------------------------------------------------------------------


def read_table(
    path: str | Path, score: Callable[[list[str], dict[str, str]], float] | None = None
) -> Table:
    """Read a CSV/TXT or XLSX file; for workbooks pick the sheet that ``score`` rates highest."""
    path = Path(path)
    if not path.exists():
        raise TabularError(f"{path.name}: no such file")
    if path.is_dir():
        raise TabularError(f"{path.name}: is a folder, not a file")
    raw = path.read_bytes()
    if not raw:
        raise EmptyFileError(f"{path.name}: the file is empty (0 bytes)")
    if raw[:4] == b"PK\x03\x04":
        table = _read_xlsx(path, score)
    elif raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise BinaryFileError(
            f"{path.name}: old binary Excel (.xls) workbook is not supported; "
            "save it as .xlsx or CSV"
        )
    else:
        table = _read_text(path, raw)
    if table.frame.empty:
        raise EmptyFileError(f"{path.name}: no data rows (only a header)")
    return table


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise EncodingError(f"{path.name}: UTF-32 text is not accepted; save the file as UTF-8 CSV")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise EncodingError(f"{path.name}: UTF-16 text is not accepted; save the file as UTF-8 CSV")
    head = raw[:SNIFF_BYTES]
    if head.count(b"\x00") > 0:
        if head[1::2].count(b"\x00") > len(head) // 4 or head[0::2].count(b"\x00") > len(head) // 4:
            raise EncodingError(
                f"{path.name}: looks like UTF-16 text without BOM; save the file as UTF-8 CSV"
            )
        raise BinaryFileError(f"{path.name}: binary content, not a CSV or XLSX table")
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig" if raw[:3] == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text, encoding = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text[:SNIFF_BYTES] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(2, len(text[:SNIFF_BYTES]) // 200):
        raise BinaryFileError(f"{path.name}: binary content, not a CSV or XLSX table")
    return text, encoding


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields, consistent on line 2."""
    lines = [ln for ln in text.splitlines() if ln.strip()][:5]
    if not lines:
        return ","
    best, best_count = ",", 0
    for delim in (";", "\t", ",", "|"):
        counts = [len(next(csv.reader([ln], delimiter=delim))) - 1 for ln in lines]
        if counts[0] > best_count:
            best, best_count = delim, counts[0]
    return best


def _read_text(path: Path, raw: bytes) -> Table:
    text, encoding = _decode(path, raw)
    if not text.strip():
        raise EmptyFileError(f"{path.name}: the file is empty (only blank lines)")
    delimiter = _sniff_delimiter(text)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    table = _rows_to_table(path, rows)
    table.encoding, table.delimiter = encoding, delimiter
    if len(table.frame.columns) < 2:
        raise TabularError(
            f"{path.name}: only one column found; not a delimited table (comma, semicolon or tab)"
        )
    return table


def _read_xlsx(path: Path, score: Callable[[list[str], dict[str, str]], float] | None) -> Table:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip but not a workbook, or a corrupt one
        raise BinaryFileError(
            f"{path.name}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from None
    try:
        candidates: list[tuple[float, int, Table]] = []
        for position, sheet in enumerate(book.worksheets):
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            if not any(any(clean_cell(c) for c in r) for r in rows):
                continue
            table = _rows_to_table(path, rows)
            table.sheet, table.excel, table.encoding = sheet.title, True, "xlsx"
            rating = score(list(table.frame.columns), table.hxl) if score else 0.0
            candidates.append((rating, -position, table))
    finally:
        book.close()
    if not candidates:
        raise EmptyFileError(f"{path.name}: every sheet of the workbook is empty")
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    chosen = candidates[0][2]
    if len(candidates) > 1:
        chosen.warnings.append(
            f"workbook has {len(candidates)} non-empty sheets; read sheet {chosen.sheet!r}"
        )
    return chosen


def _rows_to_table(path: Path, rows: list[list[object]]) -> Table:
    """Header = first non-blank row; optional HXL row; then data records numbered from 1."""
    start = 0
    while start < len(rows) and not any(clean_cell(c) for c in rows[start]):
        start += 1
    if start >= len(rows):
        raise EmptyFileError(f"{path.name}: the file is empty (no header row)")
    header = [clean_header(c) for c in rows[start]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    names: list[str] = []
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        base, n = name, 1
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.append(name)
    body = rows[start + 1 :]
    hxl: dict[str, str] = {}
    if body:
        first = [clean_cell(c) for c in (list(body[0]) + [None] * width)[:width]]
        if is_hxl_row(first):
            hxl = {names[i]: normalise_hxl(tag) for i, tag in enumerate(first) if tag}
            body = body[1:]
    records = [[clean_cell(c) for c in (list(r) + [None] * width)[:width]] for r in body]
    frame = pd.DataFrame(records, columns=names, dtype=object, index=range(1, len(records) + 1))
    if len(frame):
        frame = frame[frame.notna().any(axis=1)]
    return Table(path=path, frame=frame, hxl=hxl)


# -- values ---------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_number(value: str | None, integer: bool = False) -> float | None:
    """ "1 234,5", "1.234,5", "1,234.5" -> float; ``None`` if missing; ValueError otherwise.

    A lone separator followed by exactly three digits is a thousands separator when the
    value must be a whole number ("1.234" people), otherwise a decimal one ("14,493").
    """
    if value is None:
        return None
    text = re.sub(r"[\s\u00a0\u202f']", "", str(value))
    if text.endswith("%"):
        raise ValueError(f"percentage {value!r} is not a count")
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text or "." in text:
        sep = "," if "," in text else "."
        parts = text.split(sep)
        if (
            len(parts) > 2
            or integer
            and len(parts[1]) == 3
            and parts[0].lstrip("+-") not in ("", "0")
        ):
            text = "".join(parts)
        else:
            text = ".".join(parts)
    if not _NUMBER.match(text):
        raise ValueError(f"{value!r} is not a number")
    return float(text)


def parse_count(value: str | None) -> int | None:
    """A non-negative whole number of events or people (ValueError otherwise)."""
    number = parse_number(value, integer=True)
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"negative count {value!r}")
    if not float(number).is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "janvier": 1,
    "fevrier": 2,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "aout": 8,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "decembre": 12,
    "décembre": 12,
    "jan": 1,
    "feb": 2,
    "fev": 2,
    "mar": 3,
    "apr": 4,
    "avr": 4,
    "jun": 6,
    "jul": 7,
    "juil": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?"
    r"(?:Z|[+-]\d{2}:?\d{2})?$"
)
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_TEXT_DATE = re.compile(r"^(\d{1,2})[\s\-/]+([^\W\d_]+)\.?[\s\-/,]+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([^\W\d_]+)\.?[\s\-/]+(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def month_number(value: str | None) -> int | None:
    """English/French month names, abbreviations or 1-12 -> month number (ValueError otherwise)."""
    if value is None:
        return None
    text = str(value).strip().lower().rstrip(".")
    if text.isdigit() and 1 <= int(text) <= 12:
        return int(text)
    if text in MONTHS:
        return MONTHS[text]
    raise ValueError(f"{value!r} is not a month")


def parse_date(value: str | None, month_first: bool = False) -> pd.Timestamp | None:
    """One date cell -> Timestamp (time and timezone dropped); ValueError when unreadable."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        if m := _ISO.match(text):
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(text):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            year += 2000 if year < 100 else 0
            day, month = (b, a) if month_first else (a, b)
            return pd.Timestamp(year, month, day)
        if m := _YMD_SLASH.match(text):
            return pd.Timestamp(int(m[1]), int(m[2]), int(m[3]))
        if m := _TEXT_DATE.match(text):
            return pd.Timestamp(int(m[3]), month_number(m[2]), int(m[1]))
        if m := _MONTH_YEAR.match(text):
            return pd.Timestamp(int(m[2]), month_number(m[1]), 1)
        if m := _YEAR_MONTH.match(text):
            return pd.Timestamp(int(m[1]), int(m[2]), 1)
        if re.fullmatch(r"\d{5}(\.\d+)?", text) and 10000 <= float(text) <= 80000:
            return pd.Timestamp(EXCEL_EPOCH + timedelta(days=int(float(text))))
    except ValueError:
        pass
    raise ValueError(f"unreadable date {value!r}")


def detect_month_first(values: pd.Series) -> bool:
    """True when the column's a/b/yyyy dates are US month-first (some b > 12, no a > 12)."""
    firsts, seconds = [], []
    for text in values.dropna():
        if m := _DMY.match(str(text).strip()):
            firsts.append(int(m[1]))
            seconds.append(int(m[2]))
    return bool(seconds) and max(seconds) > 12 and max(firsts) <= 12


def month_start(month: str | None, year: str | None) -> pd.Timestamp | None:
    """The first day of a (month name/number, year) pair, as in ACLED's HDX "Month","Year"."""
    if month is None or year is None:
        raise ValueError("month or year missing")
    number = parse_number(year, integer=True)
    if number is None or not 1900 <= number <= 2100:
        raise ValueError(f"{year!r} is not a year")
    return pd.Timestamp(int(number), month_number(month), 1)
