"""Reading CSV/XLSX as field exports really are, and the value parsers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from data.columns import PLACE_FIELDS, map_columns
from data.tabular import (
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    parse_count,
    parse_date,
    parse_number,
    read_table,
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_semicolon_bom_and_hxl_row_skipped(tmp_path):
    path = write(
        tmp_path,
        "a.csv",
        "\ufeff Admin 2 PCode ;Cercle; Total \n#adm2+code;#adm2+name;\n ML0501 ;Bandiagara; 1 234,5 \n",
    )
    table = read_table(path)
    assert table.delimiter == ";"
    assert table.encoding == "utf-8-sig"
    assert list(table.frame.columns) == ["Admin 2 PCode", "Cercle", "Total"]
    assert table.hxl == {"Admin 2 PCode": "#adm2+code", "Cercle": "#adm2+name"}
    assert table.frame.index.tolist() == [1]  # HXL row not counted
    assert table.frame.loc[1, "Admin 2 PCode"] == "ML0501"
    assert parse_number(table.frame.loc[1, "Total"]) == 1234.5


def test_cp1252_accents_and_tabs(tmp_path):
    path = write(tmp_path, "b.csv", "Région\tCercle\nSégou\tNiafunké\n", encoding="cp1252")
    table = read_table(path)
    assert table.encoding == "cp1252"
    assert table.delimiter == "\t"
    assert table.frame.loc[1, "Région"] == "Ségou"
    assert table.frame.loc[1, "Cercle"] == "Niafunké"


def test_excel_errors_and_null_are_missing_but_hxl_is_not_confused(tmp_path):
    path = write(tmp_path, "c.csv", "a,b,c\n#N/A,#VALUE!,<Null>\n1,#DIV/0!,x\n")
    table = read_table(path)
    assert table.hxl == {}
    # the all-missing first record is dropped, the second keeps number 2
    assert table.frame.index.tolist() == [2]
    assert table.frame.loc[2, "b"] is None
    assert table.frame.loc[2, "a"] == "1"


@pytest.mark.parametrize(
    ("text", "integer", "expected"),
    [
        ("1 234,5", False, 1234.5),
        ("1.234,5", False, 1234.5),
        ("1,234.5", False, 1234.5),
        ("14,4936", False, 14.4936),
        ("1.234", True, 1234.0),
        ("1\u00a0234", True, 1234.0),
        ("12", True, 12.0),
        ("-3,61", False, -3.61),
    ],
)
def test_parse_number(text, integer, expected):
    assert parse_number(text, integer=integer) == pytest.approx(expected)


def test_parse_count_rejects_negative_and_fractions():
    assert parse_count("1 200") == 1200
    assert parse_count(None) is None
    with pytest.raises(ValueError, match="negative"):
        parse_count("-1")
    with pytest.raises(ValueError, match="whole"):
        parse_count("2,5")
    with pytest.raises(ValueError, match="not a number"):
        parse_count("abc")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/03/2024", "2024-03-15"),
        ("2024-03-15", "2024-03-15"),
        ("2025-01-01 00:00:00+00:00", "2025-01-01"),
        ("2023-05-02T00:00:00.000Z", "2023-05-02"),
        ("45292", "2024-01-01"),
        ("15 January 2020", "2020-01-15"),
        ("15-March-2019", "2019-03-15"),
        ("janvier 2024", "2024-01-01"),
        ("2024-01-01 00:00:00", "2024-01-01"),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == pd.Timestamp(expected)


def test_parse_date_rejects_garbage():
    with pytest.raises(ValueError, match="unreadable date"):
        parse_date("32/13/2024")
    with pytest.raises(ValueError):
        parse_date("soon")


def test_xlsx_picks_matching_sheet_and_reads_dates(tmp_path):
    book = Workbook()
    notes = book.active
    notes.title = "TOU"
    notes.append(["Terms of use"])
    notes.append(["Do not redistribute"])
    data = book.create_sheet("HRP_1")
    data.append(["Admin1 Pcode", "Admin2 Pcode", "Admin2", "Month", "Year", "Events"])
    data.append(["ML05", "ML0501", "Bandiagara", "January", 2024, 3])
    data.append(["ML05", "ML0502", "Bankass", "February", 2024, 1.0])
    path = tmp_path / "hrp.xlsx"
    book.save(path)

    def score(columns, hxl):
        return len(map_columns(columns, hxl, PLACE_FIELDS))

    table = read_table(path, score)
    assert table.sheet == "HRP_1"
    assert table.excel
    assert table.frame.loc[2, "Events"] == "1"
    assert any("2 non-empty sheets" in w for w in table.warnings)


def test_bad_files_raise_specific_errors(tmp_path):
    zero = tmp_path / "zero.csv"
    zero.write_bytes(b"")
    with pytest.raises(EmptyFileError, match="zero.csv: the file is empty"):
        read_table(zero)
    header_only = write(tmp_path, "h.csv", "a;b;c\n")
    with pytest.raises(EmptyFileError, match="h.csv: no data rows"):
        read_table(header_only)
    utf16 = write(tmp_path, "u.csv", "\ufeffa,b\n1,2\n", encoding="utf-16-le")
    with pytest.raises(EncodingError, match="UTF-16"):
        read_table(utf16)
    garbage = tmp_path / "g.csv"
    garbage.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(BinaryFileError, match="g.csv: binary"):
        read_table(garbage)
    fake_zip = tmp_path / "f.xlsx"
    fake_zip.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(BinaryFileError, match="not a readable XLSX"):
        read_table(fake_zip)


@pytest.mark.parametrize(
    "header",
    ["admin2Pcod", "Admin 2 PCode", "ADM2_PCODE", "Admin 2 pcode", "admin2Pcode", " adm2_pcode "],
)
def test_adm2_code_headers_are_recognised_by_name(header):
    mapping = map_columns(["Other", header], {}, PLACE_FIELDS)
    assert mapping["adm2_code"] == header


@pytest.mark.parametrize("header", ["Cercle", "admin2", "ADMIN2", "Admin 2", "admin2Name_fr"])
def test_adm2_name_headers_are_recognised_by_name(header):
    assert map_columns([header], {}, PLACE_FIELDS) == {"adm2_name": header}


def test_hxl_tags_map_unknown_headers_and_origin_is_excluded():
    hxl = {"Lieu": "#adm2+code", "Origine": "#adm1+name+origin", "Nom": "#adm2+name"}
    mapping = map_columns(["Origine", "Lieu", "Nom"], hxl, PLACE_FIELDS)
    assert mapping == {"adm2_code": "Lieu", "adm2_name": "Nom"}


def test_hxl_mapped_file_reads_through_reader(tmp_path):
    from data.readers import read_displacement

    path = write(
        tmp_path,
        "hxl_only.csv",
        "Quand,Où,Combien,Foyers\n#date+reported,#adm2+code,#affected+idps+ind,#affected+idps+hh\n"
        "2024-05-31,ML0501,300,40\n",
    )
    result = read_displacement(path)
    assert result.frame["idps"].tolist() == [300]
    assert result.frame["adm2_pcode"].tolist() == ["ML0501"]
    assert result.frame["source_row"].tolist() == [1]
