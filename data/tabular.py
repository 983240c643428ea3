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
import json
import os
import re
import stat
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from data.limits import Limits

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
    """Text in an encoding the readers do not accept (UTF-16/32, mixed UTF-8 and cp1252)."""


class EncryptedFileError(TabularError):
    """A password-protected workbook."""


class NotRegularFileError(TabularError):
    """A pipe, device or socket: reading it could block or never end."""


class TooLargeError(TabularError):
    """Over one of the :class:`data.limits.Limits` (bytes, rows, columns, field size)."""


class QuoteError(TabularError):
    """A quoted field that is never closed."""


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
    duplicates: dict[str, list[int]] = field(default_factory=dict)  # header -> 1-based positions
    limits: Limits = field(default_factory=Limits)

    @property
    def name(self) -> str:
        return display_name(self.path)


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
    folded = text.lower()
    if folded in MISSING or (folded.startswith("=") and folded[1:] in MISSING):
        return None  # "=#N/A": a formula's error text, as in the OCHA 3W
    return text


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

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 container: .xls or encrypted OOXML
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
UTF8_ACCENT = re.compile(rb"\xc3[\x80-\xbf]")  # é, è, à... as UTF-8 bytes


def display_name(path: Path) -> str:
    """The file name as it can be printed, even when it is not valid UTF-8."""
    return os.fsencode(path.name).decode("utf-8", "replace")


def read_table(
    path: str | Path,
    score: Callable[[list[str], dict[str, str]], float] | None = None,
    limits: Limits | None = None,
) -> Table:
    """Read a CSV/TXT or XLSX file; for workbooks pick the sheet that ``score`` rates highest.

    Only regular files are opened (a pipe would block, a device never ends) and every limit is
    checked before the content is read in full.
    """
    path = Path(path)
    limits = limits or Limits.from_env()
    name = display_name(path)
    try:  # non-blocking: opening a pipe must not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise TabularError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise TabularError(f"{name}: is a folder, not a file") from None
    except OSError as exc:
        raise TabularError(f"{name}: cannot be opened ({exc.strerror})") from None
    info = os.fstat(fd)  # what was opened, not what the name pointed to a moment before
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        if stat.S_ISDIR(info.st_mode):
            raise TabularError(f"{name}: is a folder, not a file")
        raise NotRegularFileError(
            f"{name}: not a regular file (a pipe, device or socket); save the data to a file"
        )
    with os.fdopen(fd, "rb") as handle:
        if info.st_size > limits.max_bytes:
            raise TooLargeError(
                f"{name}: {info.st_size:,} bytes is over the limit of {limits.max_bytes:,} bytes"
            )
        raw = handle.read(info.st_size + 1)  # never allocate more than the file's size
    if len(raw) > info.st_size:
        raise TabularError(f"{name}: the file is still being written; try again when it is done")
    if not raw:
        raise EmptyFileError(f"{name}: the file is empty (0 bytes)")
    if raw[:4] == b"PK\x03\x04":
        table = _read_xlsx(path, score, limits)
    elif raw[:8] == CFB_MAGIC:
        if ENCRYPTED_PACKAGE in raw:
            raise EncryptedFileError(
                f"{name}: password-protected (encrypted) Excel workbook; remove the password "
                "in Excel and save it again as .xlsx"
            )
        raise BinaryFileError(
            f"{name}: old binary Excel (.xls) workbook is not supported; save it as .xlsx or CSV"
        )
    elif raw[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        table = _read_json(path, raw, limits)
    else:
        text, encoding = _decode(path, raw)
        del raw  # a 200 MB file must not be held twice
        table = _read_text(path, text, encoding, limits)
    if table.frame.empty:
        raise EmptyFileError(f"{name}: no data rows (only a header)")
    table.limits = limits
    return table


def _decode(path: Path, raw: bytes) -> tuple[str, str]:
    name = display_name(path)
    if raw[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        raise EncodingError(f"{name}: UTF-32 text is not accepted; save the file as UTF-8 CSV")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise EncodingError(f"{name}: UTF-16 text is not accepted; save the file as UTF-8 CSV")
    head = raw[:SNIFF_BYTES]
    if head.count(b"\x00") > 0:
        if head[1::2].count(b"\x00") > len(head) // 4 or head[0::2].count(b"\x00") > len(head) // 4:
            raise EncodingError(
                f"{name}: looks like UTF-16 text without BOM; save the file as UTF-8 CSV"
            )
        raise BinaryFileError(f"{name}: binary content, not a CSV or XLSX table")
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig" if raw[:3] == b"\xef\xbb\xbf" else "utf-8"
    except UnicodeDecodeError as exc:
        if UTF8_ACCENT.search(raw):
            line = raw.count(b"\n", 0, exc.start) + 1
            raise EncodingError(
                f"{name}: line {line}: mixes UTF-8 and Windows (cp1252) encodings; "
                "save the whole file again as UTF-8 CSV"
            ) from None
    try:
        text, encoding = raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    controls = sum(1 for ch in text[:SNIFF_BYTES] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > max(2, len(text[:SNIFF_BYTES]) // 200):
        raise BinaryFileError(f"{name}: binary content, not a CSV or XLSX table")
    return text, encoding


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields, consistent on line 2."""
    head = text[:SNIFF_BYTES]
    lines = [ln for ln in head.splitlines() if ln.strip()][:5]
    if not lines:
        return ","
    best, best_count = ",", 0
    for delim in (";", "\t", ",", "|"):
        try:
            counts = [len(next(csv.reader([ln], delimiter=delim))) - 1 for ln in lines]
        except csv.Error:
            continue
        if counts[0] > best_count:
            best, best_count = delim, counts[0]
    return best


def _csv_rows(path: Path, text: str, delimiter: str, limits: Limits) -> list[list[str]]:
    """Parse the text within the limits; errors name the line where the bad record starts."""
    name = display_name(path)
    csv.field_size_limit(limits.max_field_chars)
    reader = csv.reader(_lines(text), delimiter=delimiter)
    rows: list[list[str]] = []
    start = begin = 1
    try:
        for row in reader:
            begin = start
            if len(row) > limits.max_columns:
                raise TooLargeError(
                    f"{name}: line {start}: {len(row):,} columns, over the limit of "
                    f"{limits.max_columns:,}"
                )
            if len(rows) > limits.max_rows + 1:  # header and HXL rows are not data
                raise TooLargeError(
                    f"{name}: more than {limits.max_rows:,} rows (the limit); split the file"
                )
            rows.append(row)
            start = reader.line_num + 1
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise TooLargeError(
                f"{name}: line {start}: a field is longer than {limits.max_field_chars:,} "
                "characters (a quote opened and never closed?)"
            ) from None
        raise TabularError(f"{name}: line {start}: {exc}") from None
    if rows and reader.line_num > begin:  # the last record spans several lines
        _check_closed(name, text, delimiter, begin)
    return rows


def _lines(text: str):
    """The text's lines, one at a time (``io.StringIO`` would hold 4 bytes per character of
    the whole file); old Mac files with bare carriage returns go through StringIO."""
    if "\n" not in text[:SNIFF_BYTES] and "\r" in text[:SNIFF_BYTES]:
        yield from io.StringIO(text, newline="")
        return
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _check_closed(name: str, text: str, delimiter: str, start: int) -> None:
    """A multi-line last record is an unterminated quote when strict parsing hits the end."""
    position = 0
    for _ in range(start - 1):
        position = text.find("\n", position) + 1
    tail = text[position:]
    try:
        list(csv.reader(io.StringIO(tail, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise QuoteError(
                f'{name}: line {start}: a quote (") opens a field that is never closed'
            ) from None


def _read_text(path: Path, text: str, encoding: str, limits: Limits) -> Table:
    name = display_name(path)
    if not text or text.isspace():
        raise EmptyFileError(f"{name}: the file is empty (only blank lines)")
    delimiter = _sniff_delimiter(text)
    rows = _csv_rows(path, text, delimiter, limits)
    del text
    table = _rows_to_table(path, rows)
    table.encoding, table.delimiter = encoding, delimiter
    if len(table.frame.columns) < 2:
        raise TabularError(
            f"{name}: only one column found; not a delimited table (comma, semicolon or tab)"
        )
    return table


def _read_json(path: Path, raw: bytes, limits: Limits) -> Table:
    """A JSON list of flat records (HDX / API exports), or an object holding one such list."""
    name = display_name(path)
    text, encoding = _decode(path, raw)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TabularError(f"{name}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise TabularError(f"{name}: JSON nested too deeply to be a table") from None
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise TabularError(f"{name}: JSON without a list of records (objects) to read")
    if len(data) > limits.max_rows:
        raise TooLargeError(f"{name}: more than {limits.max_rows:,} records (the limit)")
    columns = list(dict.fromkeys(key for record in data for key in record))
    if len(columns) > limits.max_columns:
        raise TooLargeError(
            f"{name}: {len(columns):,} fields, over the limit of {limits.max_columns:,}"
        )
    rows: list[list[object]] = [columns]
    for record in data:
        rows.append([_json_cell(record.get(c)) for c in columns])
    table = _rows_to_table(path, rows)
    table.encoding = encoding
    table.delimiter = "json"
    return table


def _json_cell(value: object) -> object:
    """Nested values stay readable text; JSON booleans are not numbers."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return str(value).lower()
    return value


def _check_xlsx_size(path: Path, limits: Limits) -> None:
    """Reject zip bombs and oversized sheets from the archive itself, before parsing: the
    unpacked size from its directory, and each sheet's rows counted in its streamed XML (a
    sheet need not declare its size, and parsing a million rows takes minutes)."""
    name = display_name(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = [i for i in archive.infolist() if i.filename.startswith("xl/")]
            unpacked = sum(i.file_size for i in members)
            if unpacked > limits.max_bytes:
                raise TooLargeError(
                    f"{name}: the workbook unpacks to {unpacked:,} bytes, over the limit of "
                    f"{limits.max_bytes:,} bytes"
                )
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(
                    ".xml"
                ):
                    _count_rows(name, archive, member, limits)
    except (zipfile.BadZipFile, EOFError, zlib.error):
        raise BinaryFileError(f"{name}: not a readable XLSX workbook (corrupt zip)") from None


def _count_rows(name: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits):
    rows, tail = 0, b""
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            rows += data.count(b"<row ") + data.count(b"<row>")
            tail = data[-4:]  # a tag cut by the chunk boundary; too short to be counted twice
            if rows > limits.max_rows + 2:  # header and HXL rows are not data
                raise TooLargeError(
                    f"{name}: a sheet holds more than {limits.max_rows:,} rows (the limit); "
                    "split the workbook"
                )


def _sheet_rows(path: Path, sheet, limits: Limits) -> list[list[object]]:
    """The sheet's rows, refusing one that declares or holds more than the limits."""
    name = display_name(path)
    declared_rows, declared_cols = sheet.max_row or 0, sheet.max_column or 0
    if declared_rows > limits.max_rows + 2 or declared_cols > limits.max_columns:
        raise TooLargeError(
            f"{name}: sheet {sheet.title!r} has {declared_rows:,} rows x {declared_cols:,} "
            f"columns, over the limit of {limits.max_rows:,} rows x {limits.max_columns:,} columns"
        )
    rows: list[list[object]] = []
    cells = sheet.iter_rows(values_only=True)
    while True:
        try:
            row = next(cells)
        except StopIteration:
            return rows
        except Exception as exc:  # corrupt XML, a date cell Python cannot represent...
            raise BinaryFileError(
                f"{name}: sheet {sheet.title!r}, row {len(rows) + 1}: cannot be read "
                f"({exc.__class__.__name__}: {exc})"
            ) from None
        if len(rows) > limits.max_rows + 1 or len(row) > limits.max_columns:
            raise TooLargeError(
                f"{name}: sheet {sheet.title!r} is over the limit of {limits.max_rows:,} rows "
                f"x {limits.max_columns:,} columns"
            )
        rows.append(list(row))


def _read_xlsx(
    path: Path, score: Callable[[list[str], dict[str, str]], float] | None, limits: Limits
) -> Table:
    """The best-scoring sheet; openpyxl's warnings (a date serial out of range becomes an
    error cell, then a missing value) are not printed: the rejected row says it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _read_workbook(path, score, limits)


def _read_workbook(
    path: Path, score: Callable[[list[str], dict[str, str]], float] | None, limits: Limits
) -> Table:
    from openpyxl import load_workbook

    name = display_name(path)
    _check_xlsx_size(path, limits)
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zip but not a workbook, or a corrupt one
        raise BinaryFileError(
            f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from None
    try:
        candidates: list[tuple[float, int, Table]] = []
        for position, sheet in enumerate(book.worksheets):
            rows = _sheet_rows(path, sheet, limits)
            if not any(any(clean_cell(c) for c in r) for r in rows):
                continue
            table = _rows_to_table(path, rows)
            table.sheet, table.excel, table.encoding = sheet.title, True, "xlsx"
            rating = score(list(table.frame.columns), table.hxl) if score else 0.0
            candidates.append((rating, -position, table))
    finally:
        book.close()
    if not candidates:
        raise EmptyFileError(f"{name}: every sheet of the workbook is empty")
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
        raise EmptyFileError(f"{display_name(path)}: the file is empty (no header row)")
    header = [clean_header(c) for c in rows[start]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    names: list[str] = []
    duplicates: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        name = name or f"column_{i + 1}"
        base, n = name, 1
        if header[i] and header[i] in header[:i]:
            duplicates.setdefault(base, [header.index(base) + 1]).append(i + 1)
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
    return Table(path=path, frame=frame, hxl=hxl, duplicates=duplicates)


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


MAX_COUNT = 100_000_000  # over four times Mali's population: a count above it is an error


def parse_count(value: str | None) -> int | None:
    """A non-negative whole number of events or people (ValueError otherwise)."""
    number = parse_number(value, integer=True)
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"negative count {value!r}")
    if not float(number).is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    if number > MAX_COUNT:
        raise ValueError(f"count {value!r} is implausibly large (over {MAX_COUNT:,})")
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


def parse_date(
    value: str | None, month_first: bool = False, window: tuple[date, date] | None = None
) -> pd.Timestamp | None:
    """One date cell -> Timestamp (time and timezone dropped); ValueError when unreadable or
    outside ``window`` (default: :class:`data.limits.Limits`' plausible years)."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        day = _calendar_date(text, month_first)
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"unreadable date {value!r}")
    low, high = window or Limits().date_window()
    if not low <= day <= high:
        raise ValueError(f"date {value!r} is outside the plausible years {low.year}-{high.year}")
    return pd.Timestamp(day)


def _calendar_date(text: str, month_first: bool) -> date | None:
    if m := _ISO.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        year += 2000 if len(m[3]) == 2 else 0  # "01/01/0001" is year 1, not 2001
        day, month = (b, a) if month_first else (a, b)
        return date(year, month, day)
    if m := _YMD_SLASH.match(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := _TEXT_DATE.match(text):
        return date(int(m[3]), month_number(m[2]), int(m[1]))
    if m := _MONTH_YEAR.match(text):
        return date(int(m[2]), month_number(m[1]), 1)
    if m := _YEAR_MONTH.match(text):
        return date(int(m[1]), int(m[2]), 1)
    if re.fullmatch(r"\d{5}(\.\d+)?", text) and 10000 <= float(text) <= 80000:
        return (EXCEL_EPOCH + timedelta(days=int(float(text)))).date()
    return None


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
