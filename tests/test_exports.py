"""Exports as French offices open them: CSV (BOM, ``;``, decimal comma, header block) and XLSX
(data sheet + metadata sheet), formula cells neutralised, the public export carrying only
what the publishing gate gives the public."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from analysis import gate as model
from callbacks import exports, views
from callbacks.exports import ExportTable, file_bytes, neutralise, to_csv, to_xlsx
from callbacks.state import from_query
from layouts.i18n import t
from tests.export_support import csv_parts, french_number

GBV = "Violences basées sur le genre (VBG)"
PANEL = (
    "?level=2&region=ML05&unit=ML0501&preset=custom&start=2019-07&end=2019-09&cats=pm_gbv,pm_life"
)
META = [("Titre", "Essai"), ("Zone", "=cmd|' /C calc'!A0"), ("Généré le", "2026-11-27")]
DAY = dt.date(2026, 11, 27)


def _workbook(download: dict):
    return load_workbook(io.BytesIO(file_bytes(download)))


# ---------------------------------------------------------------- the format itself


def test_csv_opens_as_columns_with_semicolon_and_decimal_comma():
    table = ExportTable(["Nom", "Indice", "Effectif"], [["Kidal", 0.941, 12034], ["Gao", 1.5, 7]])
    raw = to_csv(table, META, "fr")
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark
    assert b"\r\n" in raw and "Généré".encode() in raw
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Titre", "Essai"] and lines[3] == []
    assert lines[4] == ["Nom", "Indice", "Effectif"]
    assert lines[5] == ["Kidal", "0,941", "12034"]  # no thousands separator, decimal comma
    assert [french_number(c) for c in lines[6][1:]] == [1.5, 7]
    english = to_csv(table, META, "en").decode("utf-8-sig")
    assert "Kidal;0.941;12034" in english


def test_formula_cells_are_neutralised_in_every_format():
    assert neutralise("=1+1") == "'=1+1"
    assert [neutralise(s) for s in ("+33", "-x", "@SUM(A1)", "\tx", "ok", "")] == [
        "'+33",
        "'-x",
        "'@SUM(A1)",
        "'\tx",
        "ok",
        "",
    ]
    table = ExportTable(['=HYPERLINK("http://x")', "n"], [["@cmd", -3], ["+1", -0.5]])
    text = to_csv(table, META, "fr").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert rows[4][0].startswith("'=") and rows[5] == ["'@cmd", "-3"] and rows[6] == ["'+1", "-0,5"]
    book = load_workbook(io.BytesIO(to_xlsx(table, META, "fr", DAY)))
    data = book["Données"]
    assert data["A1"].value.startswith("'=") and data["A1"].data_type == "s"
    assert data["A2"].value == "'@cmd" and data["B2"].value == -3  # numbers stay numbers
    assert book["Métadonnées"]["B2"].value == "'=cmd|' /C calc'!A0"
    assert all(c.data_type != "f" for s in book for row in s.iter_rows() for c in row)


def test_xlsx_has_data_and_metadata_sheets_and_is_reproducible():
    table = ExportTable(["Nom", "Indice"], [["Kidal", 0.941], ["Gao", None]])
    content = to_xlsx(table, META, "en", DAY)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Data", "Metadata"]
    assert [c.value for c in book["Data"][2]] == ["Kidal", 0.941]
    assert book["Data"]["B3"].value is None
    assert [(r[0].value, r[1].value) for r in book["Metadata"].iter_rows()] == [
        (key, neutralise(value)) for key, value in META
    ]
    assert to_xlsx(table, META, "en", DAY) == content  # same view, same bytes


# ---------------------------------------------------------------- the dashboard's exports


def test_panel_csv_has_header_block_and_numbers_a_french_excel_reads(data, domain):
    state = from_query(PANEL, domain)
    download = views.unit_export(data, state, "public", "csv")
    assert download["filename"] == "ML0501_2019-07_2019-09.csv" and download["base64"]
    meta, header, rows = csv_parts(download)
    assert header == ["Indicateur", "Valeur", "Période précédente"]
    assert meta["Titre"].endswith("Détail du cercle : Bandiagara (Mopti)")
    assert meta["Zone"] == "Bandiagara (Mopti)" and meta["Période"] == "juil. 2019 – sept. 2019"
    assert "Violences basées sur le genre (VBG)" in meta["Catégories d'incidents"]
    assert "geoBoundaries" in meta["Sources"] and "Démonstration (fictif)" in meta["Sources"]
    assert meta["Démonstration"].startswith("DONNÉES DE DÉMONSTRATION")
    assert meta["Protection des données"].startswith("Vue publique")
    assert dt.date.fromisoformat(meta["Généré le"])
    values = {r[0]: r[1] for r in rows}
    assert values[GBV] == "réservé aux membres"
    classes = {"Classe de besoin", "Classe de couverture"}  # the map's classes, in words
    assert values["Classe de besoin"].startswith("besoin ")
    numeric = [french_number(v) for k, v in values.items() if k != GBV and k not in classes and v]
    assert len(numeric) == len(rows) - 1 - len(classes)
    assert "," in values[t("col_coverage", "fr")]  # a decimal, written the French way


def test_public_panel_export_carries_only_published_values(data, domain):
    state = from_query(PANEL, domain)
    public_rows = model.unit_rows(data, state, "public")
    member_rows = model.unit_rows(data, state, "member")
    exact = model.q.incident_totals(data.cubes, 2, "2019-07-01", "2019-09-01", ["pm_gbv"])
    assert 1 <= exact["ML0501"] <= 4  # a small sensitive count: never in the public export
    for fmt in exports.FORMATS:
        public = views.unit_export(data, state, "public", fmt)
        member = views.unit_export(data, state, "member", fmt)
        if fmt == "csv":
            pub = {r[0]: r[1:] for r in csv_parts(public)[2]}
            mem = {r[0]: r[1:] for r in csv_parts(member)[2]}
            assert pub[GBV] == ["réservé aux membres", ""]
            assert mem[GBV] == [str(exact["ML0501"]), ""]
            assert csv_parts(member)[0]["Protection des données"].startswith("Vue membres")
        else:
            sheets = [_workbook(f)["Données"] for f in (public, member)]
            pub, mem = (
                {r[0]: list(r[1:]) for r in s.iter_rows(min_row=2, values_only=True)}
                for s in sheets
            )
            assert pub[GBV] == ["réservé aux membres", None]
            assert mem[GBV] == [exact["ML0501"], None]
        # every public cell is the gate's public value for the public, written as a cell
        shown = {views.row_label(r["key"], "fr"): r for r in public_rows}
        assert set(pub) == set(shown)
        for label, row in shown.items():
            expected = [views._export_value(row[k], "fr") for k in ("value", "previous")]
            if fmt == "csv":
                expected = [exports.csv_cell(v, "fr") for v in expected]
            assert pub[label] == expected, label
        assert len(member_rows) == len(public_rows)


def test_gap_exports_csv_and_xlsx_agree(data, domain):
    state = from_query("?tab=gap&sector=PRO-GBV&lang=en", domain)
    csv_download = views.gap_export(data, state, "public", "csv")
    xlsx_download = views.gap_export(data, state, "public", "xlsx")
    assert xlsx_download["filename"] == "lacunes_PRO-GBV_2019-12.xlsx"
    assert xlsx_download["type"] == exports.XLSX_TYPE
    meta, header, rows = csv_parts(csv_download)
    assert header[:3] == ["Rank", "pcode", "Cercle"] and len(rows) == 50
    assert meta["Data protection"].startswith("Public view")
    assert "incidents 0.4" in meta["Need index weights"]
    book = _workbook(xlsx_download)
    assert book.sheetnames == ["Data", "Metadata"]
    sheet = list(book["Data"].iter_rows(values_only=True))
    assert list(sheet[0]) == header
    assert [[exports.csv_cell(v, "en") for v in r] for r in sheet[1:]] == rows
    assert isinstance(sheet[1][4], float) and isinstance(sheet[1][0], int)
    assert dict(book["Metadata"].iter_rows(values_only=True)) == meta


@pytest.mark.parametrize("role", ["public", "member"])
def test_gap_export_is_the_gate_frame_of_the_role(data, domain, role):
    state = from_query("?tab=gap&preset=12", domain)
    frame = model.gap_frame(data, {**state, "level": 2}, role)
    _, _, rows = csv_parts(views.gap_export(data, state, role, "csv"))
    assert [r[1] for r in rows] == list(frame.index)
    assert [french_number(r[4]) for r in rows] == [round(v, 3) for v in frame["need_score"]]


def test_sources_name_each_stream_origin_and_version():
    from types import SimpleNamespace

    rows = [
        {"stream": "incidents", "origin": "store", "version": "20260301T101500Z"},
        {"stream": "displacement", "origin": "missing", "rows": 0},
        {"stream": "population", "origin": "codps2018", "version": ""},
    ]
    fake = SimpleNamespace(quality={"rows": rows})
    french = views._sources_text(fake, "fr")
    assert french.startswith("Limites administratives : geoBoundaries")
    assert "Incidents : Importé (version 20260301T101500Z) ; Déplacement : Aucune donnée" in french
    english = views._sources_text(fake, "en")
    assert "Data: Incidents: Imported (version 20260301T101500Z); Displacement: No data" in english
