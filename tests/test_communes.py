"""Communes: the 2021 gazetteer, names and codes resolved within their cercle or région."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook

from data.readers import read_displacement, read_incidents, read_services
from geo.communes import commune_key, load_communes
from tests.conftest import requires_shared_boundaries


def test_commune_keys_follow_the_gazetteer_spellings():
    assert commune_key("Kiffosso1") == commune_key("Kiffosso 1")
    assert commune_key("Commune IV") == commune_key("Commune 4")
    assert commune_key("N'Gara") == commune_key("Ngara")
    assert commune_key("Ségou Commune") == commune_key("Segou")


def test_names_are_found_only_within_their_cercle_or_when_unique():
    communes = load_communes()
    assert communes.named("Bamba") is None  # Bourem and Koro both have one
    assert communes.named("Bamba", adm2="ML0702").pcode == "ML070201"
    assert communes.named("Baye", adm2="ML0502").pcode == "ML050202"  # "Baye Bankass"
    assert communes.named("Inekar", adm1="ML10").adm2 == "ML1003"


def test_mli_codes_are_trusted_only_where_the_admin_sheet_is_reliable():
    communes = load_communes()
    assert communes.code("MLI050101").pcode == "ML050101"
    assert communes.code("MLI100101") is None  # Ménaka: MLI1001 is not ML1001
    assert communes.code("MLI100101", "Anderamboukane").pcode == "ML100201"
    assert communes.code("MLI040101") is None  # the 11 Barouéli communes share it
    assert communes.code("ML040626").name == "Segou Commune"


def test_pre_2021_menaka_row_is_placed_by_its_commune(resolver):
    frame = pd.DataFrame(
        {
            "adm1_name": ["Gao", "Gao"],
            "adm2_name": ["Menaka", "Menaka"],
            "adm3_name": ["Inekar", None],
        }
    )
    rows = resolver.resolve(frame).rows
    assert (rows.adm1_pcode[0], rows.adm2_pcode[0], rows.commune_pcode[0]) == (
        "ML10",
        "ML1003",
        "ML100301",
    )
    assert (rows.adm1_pcode[1], rows.adm2_pcode[1]) == ("ML10", "")  # still the whole région


def test_a_commune_name_in_the_cercle_column_is_recognised(resolver):
    frame = pd.DataFrame({"adm1_name": ["Mopti", "Ségou"], "adm2_name": ["Kareri", "Dioro"]})
    rows = resolver.resolve(frame).rows
    assert list(rows.adm2_pcode) == ["ML0507", "ML0406"]  # Ténenkou, Ségou
    assert rows.commune_pcode[0] == "ML050704"
    assert "is a commune" in rows.match_note[0]


def test_3w_homonym_codes_do_not_move_a_commune_to_another_cercle(tmp_path):
    path = tmp_path / "ML_5W.csv"
    path.write_text(
        "Organisation Accronyme,Nom Organisation,admin1Pcod,Region,admin2Pcod,Cercle,admin3Pcod,Commune,Cluster\n"
        "#org+acronym,#org+name,#adm1+code,#adm1+name,#adm2+code,#adm2+name,#adm3+code,,#sector\n"
        "IRC,International Rescue Committee,ML07,Gao,ML0702,Bourem,ML050501,Bamba,Protection\n"
        "NRC,Norwegian Refugee Council,ML05,Mopti,ML0503,Djenné,ML050609,Djenné,Protection\n"
        "DRC,Danish Refugee Council,ML05,Mopti,ML0506,Mopti,ML050609,Mopti,Protection\n"
        "AMSS,AMSS,ML06,Tombouctou,ML0604,Niafunké,=#N/A,Soboundou,Protection\n",
        encoding="utf-8",
    )
    frame = read_services(path).frame.set_index("source_row")
    assert frame.loc[1, "commune_pcode"] == "ML070201"  # Bamba of Bourem, not of Koro
    assert frame.loc[1, "adm2_pcode"] == "ML0702"
    assert frame.loc[2, "adm2_pcode"] == "ML0503" and frame.loc[2, "commune_pcode"] != "ML050609"
    assert frame.loc[3, "commune_pcode"] == "ML050609"
    assert frame.loc[4, "adm2_pcode"] == "ML0604"


def test_dtm_admin3_and_acled_admin3_give_the_commune(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "MLI_BA_R72"
    sheet.append(
        [
            "Snapshot Date",
            "Admin 1",
            "Admin 1 pcode",
            "Admin 2",
            "Admin 2 pcode",
            "Admin 3",
            "Admin 3 pcode",
            "Total No# of IDPs HH",
            "Total No# of IDPs Ind#",
        ]
    )
    sheet.append(
        [
            "#date+occurred",
            "#adm1+name",
            "#adm1+code",
            "#adm2+name",
            "#adm2+code",
            "#adm3+name",
            "#adm3+code",
            "#affected+idps+hh",
            "#affected+idps+ind",
        ]
    )
    sheet.append(
        [
            "2023-06-30",
            "Mopti",
            "MLI05",
            "Bandiagara",
            "MLI0501",
            "Bandiagara",
            "MLI050101",
            120,
            640,
        ]
    )
    sheet.append(
        ["2023-06-30", "Ségou", "MLI04", "Ségou", "MLI0406", "Dioro", "MLI040607", 80, 410]
    )
    path = tmp_path / "dtm_round72.xlsx"
    book.save(path)
    frame = read_displacement(path).frame
    assert list(frame["adm2_pcode"]) == ["ML0501", "ML0406"]
    assert frame["commune_pcode"].str.len().eq(8).all()

    acled = tmp_path / "acled.csv"
    acled.write_text(
        "event_date,event_type,sub_event_type,admin1,admin2,admin3,location,latitude,longitude,geo_precision,fatalities\n"
        "2024-03-15,Battles,Armed clash,Mopti,Tenenkou,Diafarabe,Diafarabe,14.1500,-4.9500,1,2\n",
        encoding="utf-8",
    )
    row = read_incidents(acled).frame.iloc[0]
    assert (row["adm2_pcode"], row["commune_pcode"]) == ("ML0507", "ML050701")


@requires_shared_boundaries
def test_a_named_commune_is_drawn_on_a_2015_commune_set(cod2015_boundaries, gazetteer):
    from geo.resolve import PlaceResolver

    resolver = PlaceResolver(gazetteer, cod2015_boundaries)
    frame = pd.DataFrame(
        {
            "adm1_name": ["Mopti", "Gao"],
            "adm2_name": ["Bandiagara", "Bourem"],
            "adm3_name": ["Bandiagara", "Bamba"],
        }
    )
    rows = resolver.resolve(frame).rows
    assert list(rows.commune_pcode) == ["ML050101", "ML070201"]  # 2021 codes
    assert list(rows.adm3_pcode) == ["ML050201", "ML070301"]  # the 2015 COD-AB communes


def test_a_commune_name_found_in_the_cercle_outranks_a_code_of_the_same_cercle(resolver):
    frame = pd.DataFrame(
        {
            "adm2_code": ["ML0507", "ML0507"],
            "adm2_name": ["Ténenkou", "Ténenkou"],
            "adm3_code": ["ML050701", "ML050701"],  # Diafarabe
            "adm3_name": ["Kareri", "Nulle part"],
        }
    )
    rows = resolver.resolve(frame).rows
    assert list(rows.commune_pcode) == ["ML050704", "ML050701"]  # the name, else the code


@requires_shared_boundaries
def test_a_coarse_point_keeps_the_commune_code_a_row_gives(cod2015_boundaries, gazetteer):
    from geo.resolve import PlaceResolver

    resolver = PlaceResolver(gazetteer, cod2015_boundaries)
    frame = pd.DataFrame(
        {
            "adm2_name": ["Mopti"],
            "adm3_code": ["ML050109"],  # a 2015 COD-AB commune of Mopti cercle
            "latitude": [14.49],
            "longitude": [-4.19],
            "precision": ["(2) 25 km Precision "],
        }
    )
    rows = resolver.resolve(frame).rows
    assert (rows.adm2_pcode[0], rows.adm3_pcode[0]) == ("ML0506", "ML050109")
