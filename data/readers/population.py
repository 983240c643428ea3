"""Population: COD-PS tables (admin2Pcode, admin2Name_fr, admin1Pcode, T_TL, ``<Null>``), the
HDX HAPI population table (only its gender=all, age_range=all rows) and simple
place + population tables. Used as the denominator of per-capita rates.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from data.columns import PLACE_FIELDS, Field
from data.options import ReadOptions
from data.readers.base import Converter, ReadResult, map_fields, require, score_for
from data.readers.places import finish
from data.tabular import read_table
from geo.boundaries import BoundarySet
from geo.names import fold

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        *PLACE_FIELDS,
        Field(
            "population",
            (
                "T_TL",
                "Total",
                "Population",
                "Population totale",
                "Pop totale",
                "pop_total",
                "Total population",
                "population_total",
            ),
            ("#population+total", "#population"),
        ),
        Field("males", ("M_TL", "Hommes", "Males"), ("#population+m+total", "#population+m")),
        Field("females", ("F_TL", "Femmes", "Females"), ("#population+f+total", "#population+f")),
        Field("year", ("Year", "Année", "Annee", "reference_year"), ("#date+year",)),
        Field("period_start", ("reference_period_start",)),
        Field("gender", ("gender",)),
        Field("age_range", ("age_range",)),
    )
}


def read_population(
    path: str | Path, boundaries: BoundarySet | None = None, options: ReadOptions | None = None
) -> ReadResult:
    """Read a COD-PS style population table into the canonical population frame."""
    table = read_table(path, score_for(FIELDS.values()), options.limits if options else None)
    mapping = map_fields(table, FIELDS, options)
    require(table, "population", mapping, FIELDS, [("population", "males")])
    if "population" not in mapping:
        require(table, "population", mapping, FIELDS, [("females",)])
    conv = Converter(table, mapping)
    index = table.frame.index
    if conv.has("population"):
        population = conv.counts("population", required=True)
    else:
        males, females = conv.counts("males", required=True), conv.counts("females", required=True)
        population = males + females
        table.warnings.append("no total column: population = males + females")
    keep = pd.Series(True, index=index)
    if conv.has("gender"):
        keep &= conv.text("gender").map(lambda v: fold(v or "all") == "all")
    if conv.has("age_range"):
        keep &= conv.text("age_range").map(lambda v: fold(v or "all") == "all")
    if not keep.all():
        table.warnings.append(
            f"{int((~keep).sum())} gender/age breakdown rows left out (totals kept)"
        )
    if conv.has("year"):
        year = conv.counts("year")
    elif conv.has("period_start"):
        year = conv.dates("period_start").dt.year.astype("Int64")
    else:
        found = re.findall(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", table.path.stem)
        year = pd.Series(int(found[-1]) if found else pd.NA, index=index, dtype="Int64")
        if found:
            table.warnings.append(f"year {found[-1]} taken from the file name")
    values = pd.DataFrame({"population": population, "year": year}, index=index)
    return finish("population", conv, values, "cod-ps", boundaries, keep=keep, options=options)
