"""Name and p-code normalisation, and name resolution on real-world spellings."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.names import normalise_name, normalise_pcode

# (adm1 as written, adm2 as written, expected adm1, expected adm2): spellings seen in ACLED,
# DTM, 3W and monitoring exports: accents dropped, English names, frame words, case, padding.
REAL_WORLD_VARIANTS = [
    ("Ségou", "Ségou", "ML04", "ML0406"),
    ("Segou", "Segou", "ML04", "ML0406"),
    ("Ségou Region", "Ségou", "ML04", "ML0406"),
    ("SEGOU ", "SEGOU", "ML04", "ML0406"),
    ("Région de Ségou", "Cercle de Ségou", "ML04", "ML0406"),
    ("segou", "Barouéli", "ML04", "ML0401"),
    ("Ségou", "Baroueli", "ML04", "ML0401"),
    ("Segou", "Ke-Macina", "ML04", "ML0403"),
    ("Segou", "Macina", "ML04", "ML0403"),
    ("Ségou", "Niono", "ML04", "ML0404"),
    ("Ségou", "San", "ML04", "ML0405"),
    ("Ségou", "Tominian", "ML04", "ML0407"),
    ("Ségou", "Bla", "ML04", "ML0402"),
    ("Tombouctou", "Tombouctou", "ML06", "ML0605"),
    ("Timbuktu", "Timbuktu", "ML06", "ML0605"),
    ("Timbuktu", "Niafunke", "ML06", "ML0604"),
    ("Tombouctou", "Niafunké", "ML06", "ML0604"),
    ("Tombouctou", "Niafounké", "ML06", "ML0604"),
    ("Timbuktu", "Gourma-Rharous", "ML06", "ML0603"),
    ("Timbuktu", "Gourma Rharous", "ML06", "ML0603"),
    ("Tombouctou", "Rharous", "ML06", "ML0603"),
    ("Tombouctou", "Diré", "ML06", "ML0601"),
    ("Timbuktu", "Dire", "ML06", "ML0601"),
    ("Timbuktu", "Goundam", "ML06", "ML0602"),
    ("Koulikouro", "Kati", "ML02", "ML0204"),
    ("Koulikoro", "Cercle de Kati", "ML02", "ML0204"),
    ("KOULIKORO", "KOULIKORO", "ML02", "ML0206"),
    ("Koulikoro", "Dioila", "ML02", "ML0202"),
    ("Koulikoro", "Dioïla", "ML02", "ML0202"),
    ("Koulikoro", "Nara", "ML02", "ML0207"),
    ("Koulikoro", "Banamba", "ML02", "ML0201"),
    ("Koulikoro", "Kolokani", "ML02", "ML0205"),
    ("Koulikoro", "Kangaba", "ML02", "ML0203"),
    ("Gao", "Cercle de Bourem", "ML07", "ML0702"),
    ("Gao", "Bourem", "ML07", "ML0702"),
    ("Gao", "Ansongo", "ML07", "ML0701"),
    ("Gao", "Gao", "ML07", "ML0703"),
    ("Gao Region", "Gao Cercle", "ML07", "ML0703"),
    ("Mopti", "Mopti", "ML05", "ML0506"),
    ("Mopti", "Bandiagara", "ML05", "ML0501"),
    ("Mopti", "Bankass", "ML05", "ML0502"),
    ("Mopti", "Djenné", "ML05", "ML0503"),
    ("Mopti", "Djenne", "ML05", "ML0503"),
    ("Mopti", "Jenne", "ML05", "ML0503"),
    ("Mopti", "Douentza", "ML05", "ML0504"),
    ("Mopti", "Koro", "ML05", "ML0505"),
    ("Mopti", "Ténenkou", "ML05", "ML0507"),
    ("Mopti", "Tenenkou", "ML05", "ML0507"),
    ("Mopti", "Youwarou", "ML05", "ML0508"),
    ("Mopti", "Youvarou", "ML05", "ML0508"),
    ("Kayes", "Kayes", "ML01", "ML0103"),
    ("Kayes", "Bafoulabe", "ML01", "ML0101"),
    ("Kayes", "Diema", "ML01", "ML0102"),
    ("Kayes", "Kenieba", "ML01", "ML0104"),
    ("Kayes", "Kita", "ML01", "ML0105"),
    ("Kayes", "Nioro du Sahel", "ML01", "ML0106"),
    ("Kayes", "Nioro", "ML01", "ML0106"),
    ("Kayes", "Yelimane", "ML01", "ML0107"),
    ("Sikasso", "Bougouni", "ML03", "ML0301"),
    ("Sikasso", "Kadiolo", "ML03", "ML0302"),
    ("Sikasso", "Kolondieba", "ML03", "ML0303"),
    ("Sikasso", "Koutiala", "ML03", "ML0304"),
    ("Sikasso", "Sikasso", "ML03", "ML0305"),
    ("Sikasso", "Yanfolila", "ML03", "ML0306"),
    ("Sikasso", "Yorosso", "ML03", "ML0307"),
    ("Kidal", "Kidal", "ML08", "ML0802"),
    ("Kidal", "Abeïbara", "ML08", "ML0801"),
    ("Kidal", "Abeibara", "ML08", "ML0801"),
    ("Kidal", "Tessalit", "ML08", "ML0803"),
    ("Kidal", "Tin-Essako", "ML08", "ML0804"),
    ("Kidal", "Tin Essako", "ML08", "ML0804"),
    ("Kidal", "Tinessako", "ML08", "ML0804"),
    ("Bamako", "Bamako", "ML09", "ML0901"),
    ("District de Bamako", "District de Bamako", "ML09", "ML0901"),
    ("Bamako District", "Bamako", "ML09", "ML0901"),
    ("Ménaka", "Ménaka", "ML10", "ML1001"),
    ("Menaka", "Anderamboukane", "ML10", "ML1002"),
    ("Ménaka", "Andéramboukane", "ML10", "ML1002"),
    ("Menaka", "Inekar", "ML10", "ML1003"),
    ("Menaka", "Tidermene", "ML10", "ML1004"),
    # no parent given: the cercle name alone is unique nationally
    (None, "Niafunké", "ML06", "ML0604"),
    ("", "Bandiagara", "ML05", "ML0501"),
    # parent given in the wrong région: the cercle wins, the note says so
    ("Mopti", "Niono", "ML04", "ML0404"),
]


def test_variant_table_is_large_enough():
    assert len(REAL_WORLD_VARIANTS) >= 60


@pytest.mark.parametrize(("adm1", "adm2", "want1", "want2"), REAL_WORLD_VARIANTS)
def test_real_world_spelling_resolves(resolver, adm1, adm2, want1, want2):
    rows = resolver.resolve(pd.DataFrame({"adm1_name": [adm1], "adm2_name": [adm2]})).rows
    got = rows.iloc[0]
    assert (got.adm1_pcode, got.adm2_pcode) == (want1, want2), got.match_note
    assert got.match_method in {"name", "fuzzy_name"}


@pytest.mark.parametrize(
    ("written", "region"),
    [
        ("Ségou", "ML04"),
        ("Segou", "ML04"),
        ("Ségou Region", "ML04"),
        ("Région de Ségou", "ML04"),
        ("Tombouctou", "ML06"),
        ("Timbuktu", "ML06"),
        ("Koulikouro", "ML02"),
        ("  KOULIKORO  ", "ML02"),
        ("Menaka", "ML10"),
        ("District de Bamako", "ML09"),
    ],
)
def test_region_spellings(resolver, written, region):
    rows = resolver.resolve(pd.DataFrame({"adm1_name": [written]})).rows
    assert rows.iloc[0].adm1_pcode == region
    assert rows.iloc[0].adm2_pcode == ""


def test_typo_resolves_by_fuzzy_match_and_says_so(resolver):
    rows = resolver.resolve(pd.DataFrame({"adm1_name": ["Mopti"], "adm2_name": ["Bandiagra"]}))
    row = rows.rows.iloc[0]
    assert (row.adm2_pcode, row.match_method) == ("ML0501", "fuzzy_name")
    assert "Bandiagara" in row.match_note


def test_unknown_cercle_name_is_reported_with_candidates_not_dropped(resolver):
    frame = pd.DataFrame({"adm1_name": ["Mopti", "Gao"], "adm2_name": ["Dougouna", "Bourem"]})
    rows = resolver.resolve(frame).rows
    assert len(rows) == 2
    unknown = rows.iloc[0]
    assert unknown.adm1_pcode == "ML05" and unknown.adm2_pcode == ""
    assert "Dougouna" in unknown.unresolved_reason
    assert unknown.candidates.count(";") == 2  # three candidates, from Mopti's cercles
    assert all(code.startswith("ML05") for code in unknown.candidates.split("; ") if code)


def test_unknown_place_with_no_parent_is_unresolved_with_candidates(resolver):
    rows = resolver.resolve(pd.DataFrame({"adm2_name": ["Koulikor"]})).rows
    row = rows.iloc[0]
    assert row.adm2_pcode == "ML0206"  # one letter off, unique: fuzzy
    rows = resolver.resolve(pd.DataFrame({"adm2_name": ["Atlantis"]})).rows
    assert rows.iloc[0].match_method == "unresolved"
    assert rows.iloc[0].candidates


def test_ambiguous_name_is_not_guessed(resolver):
    # A name that mixes two cercles is close to both: it must stay unresolved, not pick one.
    rows = resolver.resolve(pd.DataFrame({"adm1_name": [None], "adm2_name": ["Nioro Kita"]})).rows
    assert rows.iloc[0].adm2_pcode == ""
    assert rows.iloc[0].candidates


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("ML0501", "ML0501"),
        (" ML0501 ", "ML0501"),
        ("ml0501", "ML0501"),
        ("MLI0501", "ML0501"),
        ("MLI05", "ML05"),
        ("ML-05", "ML05"),
        ("ML 05 01", "ML0501"),
        ("ML_0501", "ML0501"),
        ("MLI050101", "ML050101"),
        ("ML050", ""),
        ("Mopti", ""),
        (None, ""),
        (float("nan"), ""),
    ],
)
def test_pcode_normalisation(written, expected):
    assert normalise_pcode(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Cercle de Bourem", "bourem"),
        ("Ségou Region", "segou"),
        ("Région de Mopti", "mopti"),
        ("TOMBOUCTOU ", "tombouctou"),
        ("Timbuktu", "tombouctou"),
        ("Gourma-Rharous", "gourma rharous"),
        ("Cercle d'Ansongo", "ansongo"),
    ],
)
def test_name_normalisation(written, expected):
    assert normalise_name(written) == expected
