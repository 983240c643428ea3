"""Insecurity Insight (SiND) exports as HDX publishes them: CSV with an HXL row, API JSON and
XLSX, precision strings with trailing spaces, several spellings of the event id."""

from __future__ import annotations

import json

import pytest
from openpyxl import Workbook

from data import ingest
from data.columns import MissingColumnsError, WrongStreamError
from data.readers import read_access, read_incidents
from data.vocab import CATEGORY_BY_CODE

AID_WORKERS = (
    "Date,Event Description,Country,Country ISO,Admin 1,Latitude,Longitude,Geo Precision,"
    "Reported Perpetrator,Reported Perpetrator Name,Weapon Carried/Used,Organisation Affected,"
    "Programme Focus,Aid Workers Killed,Aid Workers Injured,Aid Workers Kidnapped,Aid Workers Arrested,"
    "International Aid Workers Killed,National Aid Workers Killed,Known Kidnapping or Arrest Outcome,"
    "SiND Event ID,Date Event Entered,Date Event Modified\n"
    "#date,#description,#country+name,#country+code,#adm1+name,#geo+lat,#geo+lon,#geo+precision,,,,,,,,,,,,,#id,,\n"
    '2023-02-14,"Two aid workers injured, one national staff member killed in an ambush near Mopti.",'
    "Mali,MLI,Mopti Region,14.5,-4.2,(1) Exact Location ,NSA,,Firearm,INGO,Health,1,2,,,,1,,SIND-1,2023-03-01,2023-03-02\n"
    '2023-04-02,"An NGO reported that a staff member was kidnapped in Mali.",Mali,MLI,,17.6,-4,'
    "(6) Country,NSA,,,LNGO,,,,1,,,,Released,SIND-2,2023-04-10,2023-04-10\n"
    '2023-05-20,"Staff threatened in Ségou region.",Mali,MLI,Ségou Region,13.4,-6.3,'
    '"(4) Province, State, Governorate ",Criminal,,,UN Agency,,,,,1,,,,SIND-3,2023-05-25,2023-05-25\n'
    '2023-06-07,"A convoy was stopped near Timbuktu.",Mali,MLI,Timbuktu,16.8,-3,(2) 25 km Precision ,'
    "NSA,,,INGO,,,1,,,,,,SIND-4,2023-06-10,2023-06-10\n"
    '2023-07-01,"Aid worker killed in Burkina Faso.",Burkina Faso,BFA,Sahel,14.0,-0.2,(1) Exact Location ,'
    "NSA,,,INGO,,1,,,,,1,,SIND-5,2023-07-02,2023-07-02\n"
)


@pytest.fixture
def aid_workers(tmp_path):
    path = tmp_path / "2020-2024-mli-aid-worker-kka-incident-data.csv"
    path.write_text(AID_WORKERS, encoding="utf-8")
    return path


def test_aid_worker_csv_is_read_with_its_precision(aid_workers):
    result = read_incidents(aid_workers)
    assert result.source_format == "sind"
    frame = result.frame.set_index("source_row")
    assert set(frame["category"]) == {"sind_aid_workers"}
    # exact point in Mopti cercle; victims = killed + injured, the national split not re-counted
    assert (frame.loc[1, "adm2_pcode"], frame.loc[1, "victims"], frame.loc[1, "fatalities"]) == (
        "ML0506",
        3,
        1,
    )
    # "(6) Country": the country's centroid (in Goundam) places nothing; the reason is reported
    assert (frame.loc[2, "adm1_pcode"], frame.loc[2, "adm2_pcode"]) == ("", "")
    assert "whole country" in next(u.reason for u in result.unresolved if u.row == 2)
    # "(4) Province": région only, even though the point lies in a cercle
    assert (frame.loc[3, "adm1_pcode"], frame.loc[3, "adm2_pcode"]) == ("ML04", "")
    assert frame.loc[3, "precision"] == "region"
    # "(2) 25 km": cercle, flagged approximate since a boundary is within 25 km
    assert frame.loc[4, "adm2_pcode"] == "ML0605"
    assert "approximate" in frame.loc[4, "match_note"]
    # another country's row is rejected, not placed
    assert [(r.row, r.column) for r in result.rejected] == [(5, "Country ISO")]


def test_aid_worker_events_feed_the_access_stream(aid_workers):
    result = read_access(aid_workers)
    assert set(result.frame["constraint_type"]) == {"violence_humanitarians"}
    assert result.frame["events"].sum() == 4


def test_sexual_violence_against_aid_workers_is_never_an_access_constraint(tmp_path):
    path = tmp_path / "2020-2024-mli-aid-worker-kka-incident-data.csv"
    path.write_text(
        AID_WORKERS.replace(
            "A convoy was stopped near Timbuktu.", "A staff member was raped near Timbuktu."
        ),
        encoding="utf-8",
    )
    access = read_access(path)
    assert [(r.row, r.column) for r in access.rejected] == [
        (4, "Event Description"),
        (5, "Country ISO"),
    ]
    incidents = read_incidents(path).frame.set_index("source_row")
    assert incidents.loc[4, "category"] == "sind_sexual_violence" and incidents.loc[4, "sensitive"]


def test_sexual_violence_json_from_the_api_is_sensitive(tmp_path):
    records = [
        {
            "Date": "2022-03-01T00:00:00.000Z",
            "Event Description": "Three women were raped by armed men near Bandiagara.",
            "Country": "Mali",
            "Country ISO": "MLI",
            "Admin 1": "Mopti",
            "Latitude": 14.3,
            "Longitude": -3.6,
            "Geo Precision": "(2) 25 km Precision ",
            "Reported Perpetrator": "NSA",
            "Survivor Or Victim Sex": "Female",
            "Adult Or Minor": "Adult",
            "Type Of Sexual Violence": "Rape",
            "Sexual Violence Context": "CRSV",
            "Number of Reported Victims": 3,
            "SIND Event ID": 4521,
        },
        {
            "Date": "2022-04-11T00:00:00.000Z",
            "Event Description": "A girl was abducted and assaulted.",
            "Country": "Mali",
            "Country ISO": "MLI",
            "Admin 1": "Gao",
            "Latitude": None,
            "Longitude": None,
            "Geo Precision": "(4) Province, State, Governorate ",
            "Survivor Or Victim Sex": "Female",
            "Adult Or Minor": "Minor",
            "Type Of Sexual Violence": "Sexual Assault",
            "Sexual Violence Context": "CRSV",
            "Number of Reported Victims": 1,
            "SIND Event ID": 4522,
        },
    ]
    path = tmp_path / "mli-sv-data.json"
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    frame = read_incidents(path).frame
    assert set(frame["category"]) == {"sind_sexual_violence"}
    assert CATEGORY_BY_CODE["sind_sexual_violence"].sensitive
    assert frame["sensitive"].all()
    assert list(frame["victims"]) == [3, 1]
    assert list(frame["adm1_pcode"]) == ["ML05", "ML07"]


def test_sexual_violence_in_another_dataset_never_stays_non_sensitive(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(
        [
            "Date",
            "Event Description",
            "Country ISO",
            "Admin 1",
            "Latitude",
            "Longitude",
            "Geo Precision",
            "Health Workers Killed",
            "Health Workers Kidnapped",
            "Health Workers Sexually Assaulted",
            "Sind Event ID",
        ]
    )
    sheet.append(
        [
            "2021-09-03",
            "A clinic was looted in Ménaka.",
            "MLI",
            "Menaka",
            15.9,
            2.4,
            "(1) Exact Location ",
            0,
            0,
            0,
            1,
        ]
    )
    sheet.append(
        [
            "2021-09-04",
            "A nurse was raped after the attack on the health centre.",
            "MLI",
            "Menaka",
            15.9,
            2.4,
            "(1) Exact Location ",
            0,
            0,
            0,
            2,
        ]
    )
    sheet.append(
        [
            "2021-09-05",
            "Two health workers were abducted.",
            "MLI",
            "Menaka",
            15.9,
            2.4,
            "(1) Exact Location ",
            0,
            2,
            1,
            3,
        ]
    )
    path = tmp_path / "mli-healthcare-data.xlsx"
    book.save(path)
    frame = read_incidents(path).frame.set_index("source_row")
    assert frame.loc[1, "category"] == "sind_health_care" and not frame.loc[1, "sensitive"]
    assert frame.loc[2, "category"] == "sind_sexual_violence" and frame.loc[2, "sensitive"]
    assert frame.loc[3, "category"] == "sind_sexual_violence" and frame.loc[3, "sensitive"]
    assert frame.loc[3, "victims"] == 2  # kidnapped; the sexual assault count is a subset
    assert set(frame["adm1_pcode"]) == {"ML10"}


def test_education_events_are_not_access_constraints(tmp_path):
    path = tmp_path / "mli-education-data.csv"
    path.write_text(
        "Date,Event Description,Country ISO,Admin 1,Latitude,Longitude,Geo Precision,"
        "Educators Killed,Students Abducted,SiND ID\n"
        "2023-01-09,School burnt,MLI,Mopti,14.5,-4.2,(1) Exact Location ,0,0,9\n",
        encoding="utf-8",
    )
    assert read_incidents(path).frame["category"].tolist() == ["sind_education"]
    with pytest.raises(WrongStreamError, match="not access constraints"):
        read_access(path)


def test_a_sind_file_whose_dataset_cannot_be_told_is_rejected(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(
        "Date,Event Description,Country ISO,Admin 1,Latitude,Longitude,Geo Precision,SiND Event ID\n"
        "2023-01-09,Something,MLI,Mopti,14.5,-4.2,(1) Exact Location ,9\n",
        encoding="utf-8",
    )
    with pytest.raises(MissingColumnsError, match="which dataset"):
        read_incidents(path)
    assert ingest.main(["incidents", str(path), "--dry-run"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_datasets_are_told_apart_by_their_columns(tmp_path):
    common = (
        "Date,Event Description,Country ISO,Admin 1,Latitude,Longitude,Geo Precision,SiND Event ID"
    )
    cases = {
        "Camp Name,Survivor or Victim Sex,Camp Resident Killed": "sind_idp_camps",
        "Aid Workers Killed,Health Workers Killed,Educators Killed,Students Killed": "sind_explosive_weapons",
        "Health Workers Killed,Number of Attacks on Health Facilities Reporting Damaged": "sind_health_care",
        "Educators Killed,Students Abducted,Attacks on Schools": "sind_education",
        "Aid Workers Killed,Aid Workers Killed in Captivity,Organisation Affected": "sind_aid_workers",
    }
    for extra, expected in cases.items():
        width = extra.count(",") + 1
        path = tmp_path / "export.csv"
        path.write_text(
            f"{common},{extra}\n"
            "14/02/2023,Attack,MLI,Mopti,14.5,-4.2,(1) Exact Location ,7,"
            + ",".join(["1"] * width)
            + "\n",
            encoding="utf-8",
        )
        assert read_incidents(path).frame["category"].tolist() == [expected], extra


def test_a_split_count_of_sexual_violence_marks_the_row_and_bad_counts_reject_once(tmp_path):
    path = tmp_path / "mli-aid-worker-kika.csv"
    path.write_text(
        "Date,Event Description,Country ISO,Admin 1,Latitude,Longitude,Geo Precision,"
        "Aid Workers Killed,Aid Workers Injured,Female Aid Workers Sexually Assaulted,SiND Event ID\n"
        "2023-03-01,Attack on a convoy,MLI,Gao,16.3,-0.1,(1) Exact Location ,0,1,1,1\n"
        "2023-03-02,Attack on a base,MLI,Gao,16.3,-0.1,(1) Exact Location ,lots,0,0,2\n",
        encoding="utf-8",
    )
    result = read_incidents(path)
    assert result.frame["category"].tolist() == ["sind_sexual_violence"]
    assert [(r.row, r.column) for r in result.rejected] == [(2, "Aid Workers Killed")]
