"""The embedded default boundary set: geoBoundaries gbOpen Mali cercles keyed to 2021 p-codes.

The 2017 geoBoundaries geometry has one Ménaka cercle where the 2021 COD has a Ménaka région with
four cercles (``ML1001``-``ML1004``). That polygon becomes one map unit at both levels: région
``ML10``, and at cercle level the unit ``ML1001-ML1004`` into which data of any of the four
cercles (or of the région as a whole) is rolled up.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.boundaries import COLUMNS, BoundarySet, dissolve_to_parent, validate
from geo.gazetteer import DEFAULT_DATA_DIR, MENAKA_CERCLES, load_gazetteer

TOPOJSON = "geoBoundaries-MLI-ADM2_simplified.topojson"
CROSSWALK = "mali_cercles_pcodes.csv"
MENAKA_UNIT = f"{MENAKA_CERCLES[0]}-{MENAKA_CERCLES[-1]}"
ATTRIBUTION = {
    "fr": (
        "Limites administratives : geoBoundaries gbOpen (William & Mary geoLab), CC BY 4.0 ; "
        "données d'origine DNCT / DNP et OCHA Mali (COD-AB). Population : COD-PS 2018 (DNP)."
    ),
    "en": (
        "Administrative boundaries: geoBoundaries gbOpen (William & Mary geoLab), CC BY 4.0; "
        "original data DNCT / DNP and OCHA Mali (COD-AB). Population: COD-PS 2018 (DNP)."
    ),
}


@lru_cache(maxsize=2)
def default_boundaries(data_dir: Path = DEFAULT_DATA_DIR) -> BoundarySet:
    """Load the vendored polygons, key them to 2021 codes and dissolve the régions."""
    gaz = load_gazetteer(data_dir)
    shapes = gpd.read_file(data_dir / TOPOJSON).set_crs(4326, allow_override=True)
    cross = pd.read_csv(data_dir / CROSSWALK, dtype=str, keep_default_na=False)
    merged = shapes.merge(cross, left_on="shapeID", right_on="geoboundaries_shapeID", how="left")
    unmatched = merged.loc[merged["cod2021_adm1_pcode"].isna(), "shapeID"]
    if len(unmatched):
        raise ValueError(f"{TOPOJSON}: shapeID {unmatched.iloc[0]} is not in {CROSSWALK}")

    whole = merged["cod2021_adm2_pcode"].str.contains(";")
    cercles = gpd.GeoDataFrame(
        {
            "unit_id": merged["cod2021_adm2_pcode"].where(~whole, MENAKA_UNIT),
            "name": merged["adm2_name"],
            "parent_id": merged["cod2021_adm1_pcode"],
            "adm1_pcode": merged["cod2021_adm1_pcode"],
            "adm2_pcode": merged["cod2021_adm2_pcode"].where(~whole, ""),
        },
        geometry=merged.geometry.values,
        crs=4326,
    ).sort_values("unit_id", ignore_index=True)
    regions = dissolve_to_parent(cercles)
    regions["name"] = [gaz.name(code) for code in regions["unit_id"]]
    regions["parent_id"] = ""
    regions["adm1_pcode"] = regions["unit_id"]
    regions["adm2_pcode"] = ""
    boundary_set = BoundarySet(
        levels={1: regions[COLUMNS], 2: cercles[COLUMNS]},
        source="geoBoundaries gbOpen MLI ADM2 (embedded)",
        vintage="cod2021",
        attribution=ATTRIBUTION["en"],
    )
    validate(boundary_set)
    return boundary_set
