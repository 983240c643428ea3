"""Column mapping without code: ``--map`` options and saved mapping profiles."""

from __future__ import annotations

import json

from openpyxl import Workbook

from data import ingest
from data.options import ReadOptions, build_options
from data.profiles import available, load_profile
from data.readers import read_stream

# A partner's KoBo export: question names as headers, nothing the reader knows by itself.
KOBO = (
    "start;end;date_incident;lieu/region;lieu/cercle;incident/type_violation;incident/nb_victimes;_gps_latitude;_gps_longitude\n"
    "2024-02-01T08:00;2024-02-01T08:20;2024-01-28;Mopti;Bandiagara;Atteinte au droit à la vie;2;14.35;-3.61\n"
    "2024-02-02T09:00;2024-02-02T09:15;2024-01-30;Ségou;Niono;Atteinte à la propriété;1;;\n"
)


def _kobo(tmp_path):
    path = tmp_path / "kobo_export.csv"
    path.write_text(KOBO, encoding="utf-8")
    return path


def test_unknown_table_names_missing_fields_and_its_columns(tmp_path, capsys):
    assert ingest.main(["incidents", str(_kobo(tmp_path)), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "missing required column(s): event_type" in err
    assert "the file has columns 'start', 'end', 'date_incident', 'lieu/region'" in err
    assert "--map" in err


def test_map_options_load_a_renamed_file(tmp_path, capsys):
    code = ingest.main(
        [
            "incidents",
            str(_kobo(tmp_path)),
            "--dry-run",
            "--json",
            "--map",
            "date_incident=date",
            "--map",
            " lieu/region =adm1_name",
            "--map",
            "lieu/cercle=adm2_name",
            "--map",
            "incident/type_violation=category",
            "--map",
            "incident/nb_victimes=victims",
        ]
    )
    assert code == 0, capsys.readouterr().err
    report = json.loads(capsys.readouterr().out)
    assert report["rows_accepted"] == 2
    assert report["totals_by_adm1"]["ML05"]["victims"] == 2
    assert report["totals_by_adm1"]["ML04"]["victims"] == 1


def test_shipped_profile_loads_the_same_file(tmp_path):
    options = build_options(
        "incidents", profile="kobo_protection_monitoring"
    )  # as the upload screen
    assert options.profile == "kobo_protection_monitoring"
    result = read_stream("incidents", _kobo(tmp_path), options=options)
    frame = result.frame.set_index("source_row")
    assert frame.loc[1, "category"] == "pm_life"
    assert frame.loc[1, "adm2_pcode"] == "ML0501"
    assert frame.loc[2, "adm2_pcode"] == "ML0404"  # Niono
    assert frame.loc[1, "latitude"] == 14.35


def test_user_profile_added_without_code(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "profiles"
    folder.mkdir()
    (folder / "ong_x_suivi.toml").write_text(
        'stream = "incidents"\ndescription = "Suivi ONG X"\n[columns]\n'
        '"date_incident" = "date"\n"lieu/region" = "adm1_name"\n'
        '"incident/type_violation" = "category"\n"colonne absente" = "fatalities"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("MALI_DASHBOARD_PROFILES", str(folder))
    assert "ong_x_suivi" in {p.name for p in available()}
    code = ingest.main(
        ["incidents", str(_kobo(tmp_path)), "--dry-run", "--json", "--profile", "ong_x_suivi"]
    )
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["rows_accepted"] == 2


def test_map_wins_over_automatic_recognition(tmp_path, capsys):
    path = tmp_path / "suivi.csv"
    path.write_text(
        "Date;Date de saisie;Région;Catégorie\n01/01/2024;05/02/2024;Mopti;VBG\n", encoding="utf-8"
    )
    assert (
        ingest.main(
            [
                "incidents",
                str(path),
                "--dry-run",
                "--output",
                str(tmp_path / "o.csv"),
                "--map",
                "Date de saisie=date",
            ]
        )
        == 0
    )
    assert (tmp_path / "o.csv").read_text(encoding="utf-8").count("2024-02-05") == 1


def test_every_shipped_profile_names_fields_of_its_stream():
    from importlib import import_module

    from data.profiles import SHIPPED, read_profile

    shipped = sorted(SHIPPED.glob("*.toml"))
    assert len(shipped) >= 3
    for path in shipped:
        profile = read_profile(path)
        fields = import_module(f"data.readers.{profile.stream}").FIELDS
        assert set(profile.columns.values()) <= set(fields), profile.name
        assert profile.description


def test_3w_profile_reads_the_ml5w_sheet(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "ML_5W"
    sheet.append(
        [
            "Organisation Accronyme",
            "Nom Organisation",
            "Type Organisation",
            "admin1Pcod",
            "Region",
            "admin2Pcod",
            "Cercle",
            "admin3Pcod",
            "Commune",
            "Cluster",
        ]
    )
    sheet.append(
        [
            "#org+acronym",
            "#org+name",
            "#org+type",
            "#adm1+code",
            "#adm1+name",
            "#adm2+code",
            "#adm2+name",
            "#adm3+code",
            None,
            "#sector",
        ]
    )
    sheet.append(
        [
            "NRC",
            "Norwegian Refugee Council",
            "ONG Int",
            "ML05",
            "Mopti",
            "ML0501",
            "Bandiagara",
            "ML050101",
            "Bandiagara",
            "Protection",
        ]
    )
    path = tmp_path / "mali-3w.xlsx"
    book.save(path)
    profile = load_profile("ocha_3w_ml5w")
    frame = read_stream(
        "services", path, options=ReadOptions(profile_columns=profile.columns)
    ).frame
    assert (frame["adm2_pcode"][0], frame["commune_pcode"][0], frame["sector"][0]) == (
        "ML0501",
        "ML050101",
        "PRO",
    )
