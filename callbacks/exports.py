"""Export files as French offices open them: CSV for French-locale Excel, and XLSX.

A table (columns and rows of cells the publishing gate gave the viewer) and its metadata
(title, scope, period, filters, sources, demo mark, data-protection note, generation date)
become:

- **CSV**: UTF-8 with a byte-order mark (so Excel reads the accents), ``;`` as separator (the
  list separator of French-locale Excel, which then opens the file as columns), CRLF line ends,
  numbers with a decimal comma in French and a decimal point in English, no thousands
  separator. The header block comes first as ``key;value`` lines (one metadata item a line,
  two columns in Excel), then one empty line, then the table with its header row. No
  ``sep=;`` line: Excel ignores the byte-order mark when one is present.
- **XLSX**: a data sheet ("Données"/"Data": header row, then numbers as numbers) and a
  metadata sheet ("Métadonnées"/"Metadata": the same key/value lines). The file is byte-for-
  byte reproducible (fixed zip and document timestamps): the same view gives the same file.

Every text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) is neutralised with a leading apostrophe, in both
formats (CSV injection); numbers are written as numbers and are never touched.

No Dash import and no number computed here: cells are formatted, nothing else.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import math
import numbers
import re
import zipfile
from dataclasses import dataclass, field

from layouts.i18n import lang_or_default, t

CSV_TYPE = "text/csv;charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"

Cell = str | int | float | None


@dataclass
class ExportTable:
    """Column headers and rows of cells (numbers stay numbers; None is an empty cell)."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def neutralise(text: str) -> str:
    """A text cell that cannot run as a formula in a spreadsheet (OWASP "CSV injection")."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _missing(value: object) -> bool:
    return value is None or (_is_number(value) and math.isnan(float(value)))  # type: ignore[arg-type]


def number_text(value: float | int, lang: str) -> str:
    """A number as a French (decimal comma) or English (decimal point) spreadsheet reads it:
    no thousands separator, no exponent."""
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        text = str(int(value))
    else:
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang_or_default(lang) == "fr" else text


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def parse_shown(text: str) -> Cell:
    """A display string of the gate ("11\u202f280", "12.5") as a number; other texts as they
    are ("" is an empty cell)."""
    cleaned = text.replace("\u202f", "").replace("\xa0", "")
    if not cleaned:
        return None
    if _NUMBER.fullmatch(cleaned):
        return float(cleaned) if "." in cleaned else int(cleaned)
    return text


def csv_cell(value: Cell, lang: str) -> str:
    if _missing(value):
        return ""
    if _is_number(value):
        return number_text(value, lang)  # type: ignore[arg-type]
    return neutralise(str(value))


def to_csv(table: ExportTable, meta: list[tuple[str, str]], lang: str) -> bytes:
    """UTF-8 (with BOM), ``;``-separated: the header block, an empty line, then the table."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for key, value in meta:
        writer.writerow([neutralise(key), neutralise(value)])
    writer.writerow([])
    writer.writerow([neutralise(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(v, lang) for v in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def _text_cell(sheet, row: int, column: int, text: str):
    cell = sheet.cell(row=row, column=column)
    cell.value = neutralise(text)
    cell.data_type = "s"  # openpyxl would store a text starting with "=" as a formula
    return cell


def to_xlsx(
    table: ExportTable, meta: list[tuple[str, str]], lang: str, generated: dt.date
) -> bytes:
    """A workbook with the data sheet and the metadata sheet (reproducible bytes)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    data = book.active
    data.title = t("export_sheet_data", lang)
    bold = Font(bold=True)
    for j, name in enumerate(table.columns, start=1):
        _text_cell(data, 1, j, name).font = bold
    for i, row in enumerate(table.rows, start=2):
        for j, value in enumerate(row, start=1):
            if _missing(value):
                continue
            if _is_number(value):
                data.cell(row=i, column=j, value=value)
            else:
                _text_cell(data, i, j, str(value))
    data.freeze_panes = "A2"
    for j, name in enumerate(table.columns, start=1):
        width = max([len(name)] + [len(str(r[j - 1])) for r in table.rows if r[j - 1] is not None])
        data.column_dimensions[data.cell(row=1, column=j).column_letter].width = min(
            max(width + 2, 8), 48
        )
    sheet = book.create_sheet(t("export_sheet_meta", lang))
    for i, (key, value) in enumerate(meta, start=1):
        _text_cell(sheet, i, 1, key).font = bold
        _text_cell(sheet, i, 2, value).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 110
    stamp = dt.datetime(generated.year, generated.month, generated.day)
    book.properties.creator = t("title", lang)
    book.properties.title = meta[0][1] if meta else ""
    book.properties.created = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    return _reproducible(buffer.getvalue(), stamp)


def _reproducible(content: bytes, stamp: dt.datetime) -> bytes:
    """The same workbook with fixed zip entry times and document dates (openpyxl writes the
    time of saving into both)."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + when.encode() + rb"\g<2>",
                    body,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, body)
    return out.getvalue()


def download(
    table: ExportTable,
    meta: list[tuple[str, str]],
    lang: str,
    fmt: str,
    stem: str,
    generated: dt.date,
) -> dict:
    """The ``dcc.Download`` data of the file (base64, so the bytes are exactly these)."""
    if fmt == "xlsx":
        content, kind = to_xlsx(table, meta, lang, generated), XLSX_TYPE
    else:
        fmt, content, kind = "csv", to_csv(table, meta, lang), CSV_TYPE
    return {
        "content": base64.b64encode(content).decode("ascii"),
        "base64": True,
        "filename": f"{stem}.{fmt}",
        "type": kind,
    }


def file_bytes(download_data: dict) -> bytes:
    """The bytes of a :func:`download` result (tests and tools)."""
    return base64.b64decode(download_data["content"])
