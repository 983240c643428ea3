"""From a field file to the dashboard: ingest with the command line, then what the app shows."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd

from analysis import queries as q
from analysis.dataset import load_data
from tests.conftest import REPO

# A protection-monitoring export as field offices save it from Excel: cp1252, semicolons, an HXL
# row, dd/mm/yyyy, padded MLI codes, a typo, "#N/A", and one row whose cercle is unknown.
MONITORING = (
    "Date;Région;Cercle;admin2Pcod;Catégorie;Nombre de victimes\n"
    "#date;#adm1+name;#adm2+name;#adm2+code;#category;#affected\n"
    "03/01/2019;Mopti;Bandiagra; MLI0501 ;Atteinte au droit à la vie;2\n"
    "15/02/2019;Mopti;Douentza;ML0504;Atteintes à la propriété;1\n"
    "20/02/2019;Timbuktu;Niafunke;#N/A;Atteintes à la propriété;1\n"
    "01/03/2019;Kidal;Xyzville;;Atteinte au droit à la vie;3\n"
)


def _ingest(path, store, *args):
    env = {**os.environ, "MALI_DASHBOARD_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "data.ingest", "incidents", str(path), *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ingested_file_is_what_the_dashboard_counts(tmp_path, monkeypatch):
    store = tmp_path / "store"
    export = tmp_path / "monitoring.csv"
    export.write_bytes(MONITORING.encode("cp1252"))
    done = _ingest(export, store)
    assert done.returncode == 0, done.stderr

    monkeypatch.setenv("MALI_DASHBOARD_STORE", str(store))
    data = load_data(use_store=True)
    assert not data.is_demo
    start, end = pd.Timestamp("2019-01-01"), pd.Timestamp("2019-03-01")
    regions = q.incident_totals(data.cubes, 1, start, end)
    assert (regions["ML05"], regions["ML06"], regions["ML08"]) == (2, 1, 1)
    cercles = q.incident_totals(data.cubes, 2, start, end)
    assert (cercles["ML0501"], cercles["ML0504"], cercles["ML0604"]) == (1, 1, 1)
    assert cercles.sum() == 3  # the Kidal row has no cercle: région only, never a wrong one

    garbage = tmp_path / "broken.csv"
    garbage.write_bytes(bytes(range(256)) * 8)
    rejected = _ingest(garbage, store)
    assert rejected.returncode == 2 and "Traceback" not in rejected.stderr
    again = load_data(use_store=True)
    assert q.incident_totals(again.cubes, 1, start, end).equals(regions)
