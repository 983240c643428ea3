"""The ingest command line and the versioned store, run as a user would (subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from data import store

REPO = Path(__file__).resolve().parents[1]
SHARED_BOUNDARIES = REPO.parent / "shared" / "data" / "boundaries"

GOOD = (
    "\ufeffDate;Région;Cercle;Pcode Cercle;Catégorie;Nombre de victimes\n"
    "03/02/2019;Mopti;Bandiagara; ML0501 ;Atteinte au droit à la vie;3\n"
    "04/02/2019;Mopti;Bankass;;Atteinte à la propriété;2\n"
    "05/02/2019;Gao;Ansongo;MLI0701;VBG;1\n"
    "xx/02/2019;Gao;Ansongo;;VBG;1\n"
    "06/02/2019;Nulle part;Atlantide;;VBG;1\n"
)


def run(*args: str, store_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, store.ENV: str(store_dir)}
    return subprocess.run(
        [sys.executable, "-m", "data.ingest", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    path = tmp_path / "monitoring.csv"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_json_report(tmp_path, good_file):
    out = tmp_path / "out.csv"
    proc = run(
        "incidents",
        str(good_file),
        "--json",
        "--dry-run",
        "--output",
        str(out),
        store_dir=tmp_path / "s",
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["stream"] == "incidents"
    assert (report["rows_read"], report["rows_accepted"], report["rows_rejected"]) == (5, 4, 1)
    assert report["rejected"] == [
        {"row": 4, "column": "Date", "reason": "unreadable date 'xx/02/2019'"}
    ]
    assert [u["row"] for u in report["unresolved"]] == [5]
    assert report["unresolved"][0]["candidates"]
    assert report["resolved_by"]["unresolved"] == 1
    assert sum(report["resolved_by"].values()) == 4
    assert report["totals_by_adm1"]["ML05"]["events"] == 2
    assert report["totals_by_adm1"]["ML05"]["victims"] == 5
    assert report["totals_by_adm1"]["ML07"]["victims"] == 1
    assert report["vintage"]
    assert not (tmp_path / "s").exists()  # dry run stores nothing
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert {"source_row", "adm1_pcode", "adm2_pcode", "match_method"} <= set(written.columns)
    assert written["source_row"].tolist() == ["1", "2", "3", "5"]
    assert written["adm2_pcode"].iloc[0] == "ML0501"


def test_store_keeps_versions_and_switches_active(tmp_path, good_file):
    store_dir = tmp_path / "store"
    first = run("incidents", str(good_file), store_dir=store_dir)
    assert first.returncode == 0, first.stderr
    assert "stored as active version" in first.stdout
    second = run("incidents", str(good_file), "--json", store_dir=store_dir)
    report = json.loads(second.stdout)
    os.environ[store.ENV] = str(store_dir)
    try:
        assert len(store.versions("incidents")) == 2
        assert store.active_version("incidents") == report["stored_version"]
        frame = store.active("incidents")
        assert len(frame) == 4 and frame["adm2_pcode"].iloc[0] == "ML0501"
        assert str(frame["date"].dtype) == "datetime64[ns]"
        assert store.report("incidents")["report"]["rows_rejected"] == 1
        assert store.active("displacement") is None
    finally:
        del os.environ[store.ENV]


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    """name -> (file, stream, expected message fragment)."""
    files: dict[str, tuple[Path, str, str]] = {}
    p = tmp_path / "missing.csv"
    p.write_text("Région;Cercle;Nombre de victimes\nMopti;Bandiagara;1\n", encoding="utf-8")
    files["missing column"] = (
        p,
        "incidents",
        "missing.csv: not an incidents file: missing required column(s): date",
    )
    p = tmp_path / "ML_5W.csv"
    p.write_text(
        "Organisation Accronyme,Nom Organisation,Type Organisation,admin1Pcod,Region,admin2Pcod,Cercle,Cluster\n"
        "#org+acronym,#org+name,#org+type,#adm1+code,#adm1+name,#adm2+code,#adm2+name,#sector\n"
        "NRC,Norwegian Refugee Council,ONG Int,ML05,Mopti,ML0501,Bandiagara,Protection\n",
        encoding="utf-8",
    )
    files["wrong stream"] = (p, "displacement", "looks like a services file")
    p = tmp_path / "garbage.csv"
    p.write_bytes(bytes(range(256)) * 8)
    files["binary"] = (p, "incidents", "garbage.csv: binary content")
    p = tmp_path / "header_only.csv"
    p.write_text("Date;Région;Catégorie\n", encoding="utf-8")
    files["empty"] = (p, "incidents", "header_only.csv: no data rows")
    p = tmp_path / "zero.csv"
    p.write_bytes(b"")
    files["0-byte"] = (p, "incidents", "zero.csv: the file is empty (0 bytes)")
    p = tmp_path / "utf16.csv"
    p.write_text(GOOD, encoding="utf-16")
    files["utf-16"] = (p, "incidents", "UTF-16")
    return files


@pytest.mark.parametrize(
    "case", ["missing column", "wrong stream", "binary", "empty", "0-byte", "utf-16"]
)
def test_bad_file_is_rejected_and_active_version_unchanged(tmp_path, good_file, case):
    store_dir = tmp_path / "store"
    assert run("incidents", str(good_file), store_dir=store_dir).returncode == 0
    assert run("displacement", str(_dtm(tmp_path)), store_dir=store_dir).returncode == 0
    os.environ[store.ENV] = str(store_dir)
    try:
        before = {
            s: (store.active_version(s), store.versions(s)) for s in ("incidents", "displacement")
        }
        path, stream, fragment = _bad_files(tmp_path)[case]
        proc = run(stream, str(path), "--json", store_dir=store_dir)
        assert proc.returncode == 2
        assert proc.stdout == ""
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr
        assert fragment in lines[0]
        after = {
            s: (store.active_version(s), store.versions(s)) for s in ("incidents", "displacement")
        }
        assert after == before
        assert len(store.active("incidents")) == 4
    finally:
        del os.environ[store.ENV]


def _dtm(tmp_path: Path) -> Path:
    path = tmp_path / "dtm.csv"
    path.write_text(
        "Snapshot Date,Admin 1 pcode,Admin 2,Admin 2 pcode,Total No# of IDPs Ind#\n"
        '31/12/2023,MLI05,Bandiagara,MLI0501,1234\n31/12/2023,MLI07,Ansongo,MLI0701,"1 000"\n',
        encoding="utf-8",
    )
    return path


def test_displacement_totals(tmp_path):
    proc = run("displacement", str(_dtm(tmp_path)), "--json", "--dry-run", store_dir=tmp_path / "s")
    report = json.loads(proc.stdout)
    assert report["totals_by_adm1"]["ML05"]["idps"] == 1234
    assert report["totals_by_adm1"]["ML07"]["idps"] == 1000


def test_unknown_boundaries_folder_is_rejected(tmp_path, good_file):
    proc = run(
        "incidents",
        str(good_file),
        "--boundaries",
        str(tmp_path / "nope"),
        store_dir=tmp_path / "s",
    )
    assert proc.returncode == 2 and "no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_failed_save_leaves_active_untouched(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    frame = pd.DataFrame({"population": [10], "adm1_pcode": ["ML05"], "source_row": [1]})
    version = store.save("population", frame, {"note": "good"})
    bad = pd.DataFrame({"population": ["not a number"]})
    with pytest.raises((ValueError, TypeError)):
        store.save("population", bad, {})
    assert store.active_version("population") == version
    assert store.versions("population") == [version]
    assert not [p for p in (tmp_path / "store").rglob("*.tmp")]


@pytest.mark.skipif(
    not (SHARED_BOUNDARIES / "mli_adm2.geojson").exists(),
    reason=f"2015 COD-AB test boundaries not found at {SHARED_BOUNDARIES}",
)
def test_cli_with_2015_boundaries(tmp_path):
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_date,event_type,sub_event_type,latitude,longitude,fatalities\n"
        "2024-01-01,Battles,Armed clash,14.35,-3.61,2\n2024-01-05,Protests,Peaceful protest,12.65,-8.0,0\n",
        encoding="utf-8",
    )
    proc = run(
        "incidents",
        str(path),
        "--boundaries",
        str(SHARED_BOUNDARIES),
        "--json",
        "--dry-run",
        store_dir=tmp_path / "s",
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["resolved_by"] == {"point": 2}
    assert set(report["totals_by_adm1"]) == {"ML05", "ML09"}
    assert report["totals_by_adm1"]["ML05"]["fatalities"] == 2


def test_rollback_to_previous_version(tmp_path, monkeypatch):
    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    first = store.save("population", pd.DataFrame({"population": [10]}), {})
    second = store.save("population", pd.DataFrame({"population": [20, 30]}), {})
    assert store.active("population")["population"].tolist() == [20, 30]
    store.activate("population", first)
    assert store.active("population")["population"].tolist() == [10]
    assert store.versions("population") == [first, second]
    with pytest.raises(ValueError, match="no stored version"):
        store.activate("population", "nope")
