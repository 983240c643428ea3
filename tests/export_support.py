"""Reading exported files back the way French-locale Excel does (tests only)."""

from __future__ import annotations

import csv
import io

from callbacks.exports import BOM, file_bytes


def csv_parts(download: dict) -> tuple[dict[str, str], list[str], list[list[str]]]:
    """(header block as key -> value, table header, table rows) of a downloaded CSV, read with
    ``;`` as the separator. Fails unless the file starts with the UTF-8 byte-order mark."""
    raw = file_bytes(download)
    assert raw.startswith(BOM.encode("utf-8")), raw[:10]
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    blank = lines.index([])
    meta = {row[0]: row[1] for row in lines[:blank]}
    return meta, lines[blank + 1], lines[blank + 2 :]


def french_number(text: str) -> float:
    """A cell as French Excel reads it: decimal comma, no thousands separator."""
    assert "." not in text and " " not in text, text
    return float(text.replace(",", "."))
