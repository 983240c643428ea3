"""Coordinates that outrank wrong labels, and the quality panel that lists such rows."""

from __future__ import annotations

import json

from callbacks.quality import quality_summary
from data import ingest
from data.readers import read_incidents

# A 2016-style ACLED export whose ADMIN2 holds the région's name: Dioura and Diafarabé are
# communes of Ténenkou, yet ADMIN2 says "Mopti"; the coordinates are right.
OLD_ACLED = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,"
    "ALLY_ACTOR_1,INTER1,ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,"
    "LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,SOURCE,NOTES,FATALITIES,,,,,,,\n"
    "432,1001MLI,1001,12/02/2016,2016,1,Violence against civilians,Unidentified Armed Group (Mali),,3,"
    "Civilians (Mali),,7,37,Mali,Mopti,Mopti,Dioura,Dioura,14.8300,-5.2500,1,AFP,Two killed,2,,,,,,,\n"
    "432,1002MLI,1002,14/02/2016,2016,1,Battle-No change of territory,Military Forces of Mali (2013-),,1,"
    "MUJAO,,2,12,Mali,Mopti,Mopti,Diafarabe,Diafarabe,14.1500,-4.9500,1,RFI,,1,,,,,,,\n"
    "432,1003MLI,1003,15/02/2016,2016,1,Riots/Protests,Protesters (Mali),,6,,,0,60,Mali,Mopti,Mopti,"
    "Socoura,Sevare,14.5300,-4.1000,1,Reuters,,0,,,,,,,\n"
    "432,1004MLI,1004,16/02/2016,2016,1,Strategic development,MUJAO,,2,,,0,20,Mali,Mopti,Mopti,,"
    "Mopti,14.4900,-4.1900,3,AFP,Region-wide,0,,,,,,,\n"
    "432,1005MLI,1005,17/02/2016,2016,1,Remote violence,Unidentified Armed Group (Mali),,3,,,0,30,"
    "Mali,Mopti,Douentza,Boni,Boni,15.0700,-1.9800,2,AFP,,0,,,,,,,\n"
)


def test_old_acled_region_name_in_admin2_is_overruled_by_the_points(tmp_path):
    path = tmp_path / "MLI_ACLED_2016.csv"
    path.write_text(OLD_ACLED, encoding="utf-8")
    frame = read_incidents(path).frame.set_index("source_row")
    assert list(frame["adm2_pcode"]) == ["ML0507", "ML0507", "ML0506", "", "ML0504"]
    assert list(frame["match_method"])[:2] == ["point", "point"]
    for row in (1, 2):
        conflict = frame.loc[row, "match_conflict"]
        assert "names/codes say Mopti (ML0506)" in conflict
        assert "Ténenkou" in conflict and "the coordinates decide" in conflict
    assert (frame.loc[[3, 5], "match_conflict"] == "").all()
    # geo_precision 3: a région-wide event sits at the capital; it is placed at région level
    assert (frame.loc[4, "adm1_pcode"], frame.loc[4, "precision"]) == ("ML05", "region")


def test_quality_panel_counts_and_lists_conflict_rows_per_stream(tmp_path):
    path = tmp_path / "MLI_ACLED_2016.csv"
    path.write_text(OLD_ACLED, encoding="utf-8")
    frame = read_incidents(path).frame
    summary = quality_summary({"incidents": frame}, {}, {}, is_demo=False)
    rows = {r["stream"]: r for r in summary["rows"]}
    assert rows["incidents"]["conflicts"] == 2
    assert [(c["row"], c["placed"]) for c in summary["conflicts"]] == [
        (1, "ML0507"),
        (2, "ML0507"),
    ]


def test_conflicts_are_in_the_json_report_rows(tmp_path, capsys):
    path = tmp_path / "MLI_ACLED_2016.csv"
    path.write_text(OLD_ACLED, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert ingest.main(["incidents", str(path), "--dry-run", "--json", "--output", str(out)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows_accepted"] == 5
    assert [c["row"] for c in report["conflicts"]] == [1, 2]
    assert "match_conflict" in out.read_text(encoding="utf-8").splitlines()[0]
