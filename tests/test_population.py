"""The vendored COD-PS 2018 population table."""

from __future__ import annotations

import pandas as pd

from data.population import codps_2018
from geo.gazetteer import DEFAULT_DATA_DIR


def test_population_is_the_vendored_cod_ps_2018_per_map_unit(boundaries):
    table = codps_2018()
    source = pd.read_csv(DEFAULT_DATA_DIR / "mali_cercles_pcodes.csv")
    assert table["population"].sum() == source["population_2018"].sum()
    assert len(table) == len(source) == 50
    menaka = table[table["adm1_pcode"] == "ML10"]
    assert menaka[["adm2_pcode", "population"]].values.tolist() == [["", 67_119]]
    units = boundaries.assign_units(table["adm1_pcode"], table["adm2_pcode"], 2)
    assert sorted(units) == sorted(boundaries.level(2)["unit_id"])
    assert set(table["year"]) == {2018}
