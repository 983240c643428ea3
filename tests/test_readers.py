"""Stream readers on files written like real exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from data.columns import MissingColumnsError, WrongStreamError
from data.readers import (
    read_access,
    read_displacement,
    read_incidents,
    read_population,
    read_services,
)
from data.readers.services import sector_code
from data.schemas import SCHEMAS

SHARED_BOUNDARIES = Path(__file__).resolve().parents[2] / "shared" / "data" / "boundaries"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def assert_canonical(result, stream):
    assert list(result.frame.columns) == SCHEMAS[stream].all_columns
    assert result.frame["source_row"].notna().all()


ACLED_CURRENT = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
    "admin1,admin2,admin3,location,latitude,longitude,fatalities\n"
    "MLI1,2024-03-15,2024,1,Political violence,Battles,Armed clash,JNIM,Mopti,Bandiagara,,Bandiagara,14.35,-3.61,5\n"
    "MLI2,2024-03-16,2024,1,Political violence,Violence against civilians,Sexual violence,X,Gao,Bourem,,Bourem,,,0\n"
    "MLI3,2024-03-17,2024,1,Political violence,Explosions/Remote violence,Remote explosive/landmine/IED,X,"
    "Timbuktu,Niafunke,,Niafunke,15.93,-3.99,2\n"
    "MLI4,not a date,2024,1,Political violence,Battles,Armed clash,X,Mopti,Mopti,,Mopti,,,1\n"
    "MLI5,2024-03-18,2024,1,Political violence,Battles,Armed clash,X,Nowhere,Atlantis,,Atlantis,,,-2\n"
    "MLI6,2024-03-19,2024,1,Demonstrations,Protests,Peaceful protest,X,Nowhere,Atlantis,,Atlantis,,,0\n"
)


def test_acled_current_export(tmp_path):
    result = read_incidents(write(tmp_path, "acled.csv", ACLED_CURRENT))
    assert_canonical(result, "incidents")
    frame = result.frame.set_index("source_row")
    assert frame.loc[1, "category"] == "conflict_battles"
    assert frame.loc[1, "adm2_pcode"] == "ML0501"
    assert frame.loc[2, "category"] == "conflict_sexual_violence"
    assert bool(frame.loc[2, "sensitive"]) is True
    assert frame.loc[3, "adm1_pcode"] == "ML06"  # Timbuktu = Tombouctou
    assert frame.loc[6, "category"] == "conflict_demonstrations"
    assert frame.loc[6, "match_method"] == "unresolved"  # kept, not dropped
    assert frame["events"].sum() == 4
    rejected = {(r.row, r.column) for r in result.rejected}
    assert rejected == {(4, "event_date"), (5, "fatalities")}
    assert result.rows_read == 6 and result.rows_accepted == 4 and result.rows_rejected == 2
    assert [u.row for u in result.unresolved] == [6]


def test_acled_pre2020_uppercase_columns(tmp_path):
    text = (
        "GWNO,EVENT_ID_CNTY,EVENT_DATE,YEAR,EVENT_TYPE,ACTOR1,COUNTRY,ADMIN1,ADMIN2,LATITUDE,LONGITUDE,FATALITIES\n"
        "432,1MLI,05/01/2016,2016,Battle-No change of territory,X,Mali,Mopti,Tenenkou,14.45,-4.91,3\n"
        "432,2MLI,25/01/2016,2016,Riots/Protests,X,Mali,Bamako,Bamako,12.65,-8,0\n"
        "432,3MLI,26/01/2016,2016,Remote violence,X,Mali,Kidal,Kidal,18.44,1.41,1\n"
    )
    result = read_incidents(write(tmp_path, "acled2016.csv", text))
    frame = result.frame.set_index("source_row")
    assert frame.loc[1, "date"] == pd.Timestamp("2016-01-05")
    assert frame.loc[2, "date"] == pd.Timestamp("2016-01-25")
    assert list(frame["category"]) == [
        "conflict_battles",
        "conflict_demonstrations",
        "conflict_explosions",
    ]
    assert list(frame["fatalities"]) == [3, 0, 1]
    assert frame.loc[2, "adm1_pcode"] == "ML09"
    assert (frame["match_method"] != "unresolved").all()


def test_hapi_conflict_event_with_bom_and_mixed_pcodes(tmp_path):
    text = (
        "\ufefflocation_code,has_hrp,in_gho,provider_admin1_name,provider_admin2_name,admin1_code,admin1_name,"
        "admin2_code,admin2_name,admin_level,event_type,events,fatalities,reference_period_start,"
        "reference_period_end\n"
        "MLI,Y,Y,Mopti,Bandiagara,MLI05,Mopti,ML0501,Bandiagara,2,political_violence,7,12,"
        "2024-01-01 00:00:00+00:00,2024-01-31\n"
        "MLI,Y,Y,Mopti,Bandiagara,ML05,Mopti,ML0501,Bandiagara,2,civilian_targeting,3,,2024-01-01,2024-01-31\n"
        "MLI,Y,Y,Gao,Ansongo,ML07,Gao,ML0701,Ansongo,2,demonstration,1,,2024-02-01,2024-02-29\n"
    )
    result = read_incidents(write(tmp_path, "hapi_conflict.csv", text))
    frame = result.frame
    assert result.source_format == "hapi"
    assert list(frame["category"]) == [
        "conflict_political_violence",
        "conflict_civilian_targeting",
        "conflict_demonstrations",
    ]
    assert list(frame["events"]) == [7, 3, 1]
    assert frame["date"].iloc[0] == pd.Timestamp("2024-01-01")
    assert list(frame["adm1_pcode"]) == ["ML05", "ML05", "ML07"]
    assert result.vintage == "cod2021"


def test_hdx_acled_xlsx_month_year_sheets(tmp_path):
    book = Workbook()
    book.active.title = "TOU"
    book.active.append(["ACLED terms of use"])
    sheet = book.create_sheet("HRP_1")
    sheet.append(
        [
            "Country",
            "Admin1",
            "Admin2",
            "ISO3",
            "Admin2 Pcode",
            "Admin1 Pcode",
            "Month",
            "Year",
            "Events",
            "Fatalities",
        ]
    )
    sheet.append(["Mali", "Mopti", "Bandiagara", "MLI", "ML0501", "ML05", "January", 2024, 4, 9])
    sheet.append(["Mali", "Gao", "Ansongo", "MLI", "ML0701", "ML07", "Febuary", 2024, 1, 0])
    path = tmp_path / "mali_hrp_political_violence_events_and_fatalities_by_month-year.xlsx"
    book.save(path)
    result = read_incidents(path)
    assert result.table_info["sheet"] == "HRP_1"
    assert list(result.frame["category"]) == ["conflict_political_violence"]
    assert result.frame["date"].iloc[0] == pd.Timestamp("2024-01-01")
    assert result.rejected[0].row == 2 and "month" in result.rejected[0].reason


def test_protection_monitoring_french_cp1252_semicolons(tmp_path):
    text = (
        "Date de l'incident;Région;Cercle;Pcode Cercle;Catégorie;Nombre de victimes\n"
        "03/02/2019;Mopti;Bandiagara; ML0501 ;Atteinte au droit à la vie;3\n"
        "04/02/2019;Ségou;Niono;;VBG;1\n"
        "05/02/2019;Gao;Ansongo;MLI0701;Atteintes à la propriété;2\n"
        "06/02/2019;Mopti;Djenné;;Recrutement et utilisation d'enfants;1\n"
        "07/02/2019;Mopti;Douentza;;Incident lié aux engins explosifs;#N/A\n"
        "08/02/2019;Mopti;Koro;;Quelque chose;1\n"
    )
    result = read_incidents(write(tmp_path, "monitoring.csv", text, encoding="cp1252"))
    frame = result.frame.set_index("source_row")
    assert list(frame["category"]) == [
        "pm_life",
        "pm_gbv",
        "pm_property",
        "mrm_recruitment",
        "explosive_ordnance",
    ]
    assert list(frame["source"]) == ["monitoring", "monitoring", "monitoring", "mrm", "explosive"]
    assert frame.loc[2, "sensitive"] and not frame.loc[1, "sensitive"]
    assert frame.loc[1, "victims"] == 3 and pd.isna(frame.loc[5, "victims"])
    assert frame.loc[2, "adm1_pcode"] == "ML04"
    assert frame.loc[3, "adm2_pcode"] == "ML0701"
    assert frame.loc[4, "date"] == pd.Timestamp("2019-02-06")
    assert [(r.row, r.reason) for r in result.rejected] == [(6, "unknown category 'Quelque chose'")]


def test_dtm_baseline_with_hxl_and_mli_codes(tmp_path):
    text = (
        "Snapshot Date,Admin 0,Admin 0 pcode,Admin 1,Admin 1 pcode,Admin 2,Admin 2 pcode,Admin 3,Admin 3 pcode,"
        "Total No# of IDPs HH,Total No# of IDPs Ind#,Num_RET_from_Abroad_IND,Num_Ret_IDP_IND,"
        "Total No# of Returnees Ind#\n"
        "#date+occurred,#country+name,#country+code,#adm1+name,#adm1+code,#adm2+name,#adm2+code,#adm3+name,"
        "#adm3+code,#affected+idps+hh,#affected+idps+ind,,,#affected+returnees+ind\n"
        "31/12/2023,Mali,MLI,Mopti,MLI05,Bandiagara,MLI0501,Bandiagara,MLI050101,100,1234,10,20,30\n"
        "31/12/2023,Mali,MLI,Ménaka,MLI10,Ménaka,MLI1001,Ménaka,MLI100101,50,250,0,5,5\n"
        "31/12/2023,Mali,MLI,Gao,MLI07,Gao,MLI0703,Gao,MLI070301,1,-4,0,0,0\n"
    )
    result = read_displacement(write(tmp_path, "dtm_baseline.csv", text))
    assert_canonical(result, "displacement")
    frame = result.frame.set_index("source_row")
    assert list(frame["idps"]) == [1234, 250]
    assert list(frame["returnees"]) == [20, 5]  # returned IDPs, not the total with abroad
    assert list(frame["repatriated"]) == [10, 0]
    assert list(frame["adm1_pcode"]) == ["ML05", "ML10"]
    assert frame.loc[1, "adm2_pcode"] == "ML0501"
    assert result.rejected[0].row == 3 and "negative" in result.rejected[0].reason
    assert any("Num_Ret_IDP_IND" in w for w in result.warnings)


def test_dtm_api_v2(tmp_path):
    text = (
        "id,operation,admin0Name,admin0Pcode,admin1Name,admin1Pcode,admin2Name,admin2Pcode,adminLevel,"
        "numPresentIdpInd,reportingDate,yearReportingDate,monthReportingDate,roundNumber\n"
        "1,Mali,Mali,MLI,Mopti,MLI05,Mopti,MLI0506,2,5000,2024-06-30T00:00:00,2024,6,80\n"
    )
    result = read_displacement(write(tmp_path, "dtm_api.csv", text))
    row = result.frame.iloc[0]
    assert row["idps"] == 5000 and row["date"] == pd.Timestamp("2024-06-30")
    assert row["adm2_pcode"] == "ML0506" and row["source"] == "dtm"


def test_cmp_french_table_xlsx(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Région", "Cercle", "PDI", "Retournés", "Rapatriés"])
    sheet.append([pd.Timestamp("2019-09-30").to_pydatetime(), "Mopti", "Mopti", "61 083", 100, 5])
    sheet.append([43738, "Tombouctou", "Goundam", 22641, 0, 0])  # Excel serial date
    path = tmp_path / "cmp.xlsx"
    book.save(path)
    result = read_displacement(path)
    assert list(result.frame["idps"]) == [61083, 22641]
    assert list(result.frame["date"]) == [pd.Timestamp("2019-09-30")] * 2
    assert result.frame["source"].iloc[0] == "cmp"


OCHA_3W_HEADER = (
    "Organisation Accronyme,Nom Organisation,Type Organisation,Program Organization,Bailleur de fond,"
    "admin1Pcod,Region,admin2Pcod,Cercle,admin3Pcod,Commune,Village,Cluster,HRP,Project Title,"
    "Date début,Date fin,Activités,Montant Cash Transfert (USD),Total Personnes ciblées,"
    "Total Femmesciblées,Total Hommes ciblés,Total Filles ciblées (<18),Total Garçons ciblés  (<18),"
    "Total Femmes adultes ciblés (> =18),Total Hommes adultes ciblés (> =18),Femmes âgées ciblées (> =59),"
    "Hommes âgés ciblés (> =59),Personnes vivant avec Handicap ciblées,Total No. atteintes,"
    "Total Femmes atteintes,Total Hommes atteints,Total Adult Femmes atteintes (> =18),"
    "Total Adult Hommes atteints (> =18),Total Filles atteintes (<18),Total Garçons atteints (<18),"
    "Femmes agées atteintes (> =59),Hommes agés atteints  (> =59),Personnes vivant avec Handicap atteintes,"
    "Remarques\n"
)
OCHA_3W_HXL = (
    "#org+acronym,#org+name,#org+type,,#actor,#adm1+code,#adm1+name,#adm2+code,#adm2+name,#adm3+code,,,#sector"
    + "," * 27
    + "\n"
)


def ocha_row(acronym, name, org_type, adm1, region, adm2, cercle, cluster):
    cells = [acronym, name, org_type, "", "", adm1, region, adm2, cercle, "", "", "", cluster] + [
        ""
    ] * 27
    return ",".join(cells) + "\n"


def test_ocha_3w_french_columns(tmp_path):
    text = (
        OCHA_3W_HEADER
        + OCHA_3W_HXL
        + ocha_row(
            "NRC",
            "Norwegian Refugee Council",
            "ONG Int",
            "ML05",
            "Mopti",
            "ML0501",
            "Bandiagara",
            "Protection",
        )
        + ocha_row(
            "AMSS", "Association Malienne", "ONG Nat", "ML07", "Gao", "ML0701", "Ansongo", "EHA"
        )
        + ocha_row(
            "UNICEF", "UNICEF", "Agence UN", "ML06", "Tombouctou", "ML0604", "Niafunké", "Santé"
        )
        + ocha_row("X", "X", "ONG Nat", "ML06", "Tombouctou", "ML0604", "Niafunké", "")
    )
    result = read_services(write(tmp_path, "ML_5W.csv", text))
    assert_canonical(result, "services")
    frame = result.frame
    assert list(frame["sector"]) == ["PRO", "WSH", "HEA"]
    assert list(frame["org_acronym"]) == ["NRC", "AMSS", "UNICEF"]
    assert list(frame["org_type"]) == ["International NGO", "National NGO", "United Nations"]
    assert list(frame["adm2_pcode"]) == ["ML0501", "ML0701", "ML0604"]
    assert [(r.row, r.reason) for r in result.rejected] == [(4, "no cluster / sector")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Protection de l'enfance", "PRO-CPN"),
        ("Protection de l'enfant", "PRO-CPN"),
        ("CP", "PRO"),
        ("PE", "PRO-CPN"),
        ("VBG", "PRO-GBV"),
        ("Violences basées sur le genre", "PRO-GBV"),
        ("Lutte anti-mines", "PRO-MIN"),
        ("Lutte antimines", "PRO-MIN"),
        ("Déminage humanitaire", "PRO-MIN"),
        ("Action contre les mines", "PRO-MIN"),
        ("TBP", "PRO-HLP"),
        ("Logement, terre et biens", "PRO-HLP"),
        ("PRO_CPM", "PRO-CPN"),
        ("PRO_GBV", "PRO-GBV"),
        ("Protection générale", "PRO"),
        ("EHA", "WSH"),
        ("Santé", "HEA"),
        ("Abris", "SHL"),
        ("Sécurité Alimentaire", "FSC"),
        ("Coordination", "CCM"),
        ("Child Protection", "PRO-CPN"),
    ],
)
def test_sector_codes(text, code):
    assert sector_code(text) == code


def test_hapi_operational_presence_and_subsector(tmp_path):
    text = (
        "location_code,admin1_code,admin1_name,admin2_code,admin2_name,org_acronym,org_name,"
        "org_type_description,sector_code,sector_name,reference_period_start,reference_period_end\n"
        "MLI,ML05,Mopti,ML0501,Bandiagara,IRC,International Rescue Committee,International NGO,PRO-GBV,"
        "Gender Based Violence,2023-10-01,2023-12-31\n"
    )
    result = read_services(write(tmp_path, "hapi_op.csv", text))
    row = result.frame.iloc[0]
    assert row["sector"] == "PRO-GBV" and row["start_date"] == pd.Timestamp("2023-10-01")
    assert result.source_format == "hapi"

    text = "Partenaire;Cluster;Sous-cluster;Cercle;Statut\nDRC;Protection;VBG;Mopti;En cours\nDRC;Protection;;Mopti;planifié\n"
    result = read_services(write(tmp_path, "3w_pro.csv", text))
    assert list(result.frame["sector"]) == ["PRO-GBV", "PRO"]
    assert list(result.frame["status"]) == ["ongoing", "planned"]


def test_access_incidents_and_severity(tmp_path):
    text = (
        "Date;Région;Cercle;Type de contrainte\n"
        "12/01/2024;Mopti;Bandiagara;Violence contre le personnel humanitaire\n"
        "13/01/2024;Mopti;Bankass;Présence d'engins explosifs\n"
        "14/01/2024;Gao;Ansongo;Restriction des mouvements\n"
        "15/01/2024;Gao;Ansongo;Météo magique\n"
    )
    result = read_access(write(tmp_path, "acces.csv", text))
    assert list(result.frame["constraint_type"]) == [
        "violence_humanitarians",
        "explosive_devices",
        "movement_restriction",
    ]
    assert list(result.frame["events"]) == [1, 1, 1]
    assert result.rejected[0].row == 4 and "unknown constraint" in result.rejected[0].reason

    text = 'Période,admin2Pcode,Sévérité\n2024-01,ML0501,"3,5"\n2024-01,ML0502,7\n'
    result = read_access(write(tmp_path, "severite.csv", text))
    assert result.frame["severity"].tolist() == [3.5]
    assert result.frame["date"].iloc[0] == pd.Timestamp("2024-01-01")
    assert "outside" in result.rejected[0].reason


def test_cod_ps_population_with_null(tmp_path):
    text = (
        "\ufeffadmin2Name_fr,admin2Pcode,admin2RefName,admin2AltName1_fr,admin2AltName2_fr,admin1Name_fr,"
        "admin1Pcode,admin0Name_fr,admin0Pcode,M_TL,F_TL,T_TL\n"
        "Bandiagara,ML0501,Bandiagara,<Null>,<Null>,Mopti,ML05,Mali,ML,200000,210000,410000\n"
        "Ansongo,ML0701,Ansongo,<Null>,<Null>,Gao,ML07,Mali,ML,80000,81000,<Null>\n"
    )
    result = read_population(write(tmp_path, "mli_pop_adm2_2018.csv", text))
    assert result.frame["population"].tolist() == [410000]
    assert result.frame["year"].tolist() == [2018]
    assert result.rejected[0].row == 2 and result.rejected[0].column == "T_TL"


def test_unresolved_rows_are_kept_with_candidates(tmp_path):
    text = "admin2Pcode,Cercle,T_TL\nML0599,Bandiagarra,100\n,Zzyzx,50\n"
    result = read_population(write(tmp_path, "pop.csv", text))
    assert len(result.frame) == 2
    assert "unresolved" in result.frame["match_method"].tolist()
    unresolved = [u for u in result.unresolved if u.row == 2]
    assert unresolved and "Zzyzx" in unresolved[0].value


def test_wrong_stream_and_missing_column(tmp_path):
    three_w = write(
        tmp_path,
        "3w.csv",
        OCHA_3W_HEADER + ocha_row("A", "A", "", "ML05", "Mopti", "", "", "Protection"),
    )
    with pytest.raises(
        WrongStreamError, match=r"3w.csv: not a displacement file.*looks like a services file"
    ):
        read_displacement(three_w)
    no_date = write(tmp_path, "nodate.csv", "event_type,admin1,fatalities\nBattles,Mopti,1\n")
    with pytest.raises(
        MissingColumnsError, match=r"nodate.csv: .*missing required column\(s\): date"
    ):
        read_incidents(no_date)


@pytest.mark.skipif(
    not (SHARED_BOUNDARIES / "mli_adm2.geojson").exists(),
    reason=f"2015 COD-AB test boundaries not found at {SHARED_BOUNDARIES}",
)
def test_points_with_2015_boundaries(tmp_path):
    from geo.boundaries import load_boundaries

    boundaries = load_boundaries(SHARED_BOUNDARIES)
    path = write(
        tmp_path,
        "points.csv",
        "event_date,event_type,latitude,longitude,fatalities\n2024-01-01,Battles,14.35,-3.61,1\n"
        "2024-01-02,Battles,-3.61,14.35,0\n",
    )
    result = read_incidents(path, boundaries)
    assert list(result.frame["match_method"]) == ["point", "point"]
    assert list(result.frame["adm2_pcode"]) == ["ML0501", "ML0501"]  # 2021 Bandiagara
    assert "swapped" in result.frame["match_note"].iloc[1]
