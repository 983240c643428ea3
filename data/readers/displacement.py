"""Displacement: IOM DTM baseline (xlsx/csv, "Total No# of IDPs Ind#", MLI-prefixed p-codes),
IOM DTM API v2 (numPresentIdpInd, reportingDate), HDX HAPI ``idps`` and CMP tables with
French headers (PDI / retournés / rapatriés). Measures are individuals, never households.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from data.columns import PLACE_FIELDS, Field
from data.options import ReadOptions
from data.readers.base import Converter, ReadResult, map_fields, require, score_for
from data.readers.places import finish
from data.tabular import read_table
from geo.boundaries import BoundarySet

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        *PLACE_FIELDS,
        Field(
            "date",
            (
                "Snapshot Date",
                "reportingDate",
                "reference_period_start",
                "Date",
                "Date de collecte",
                "Date de mise à jour",
                "Date du rapport",
                "Date de rapportage",
                "reporting_date",
                "Période",
                "Periode",
            ),
            ("#date+occurred", "#date+reported", "#date+start", "#date"),
        ),
        Field("month", ("Month", "Mois", "monthReportingDate"), ("#date+month",)),
        Field("year", ("Year", "Année", "Annee", "yearReportingDate"), ("#date+year",)),
        Field(
            "idps",
            (
                "Total No# of IDPs Ind#",
                "Total No. of IDPs Ind.",
                "numPresentIdpInd",
                "PDI",
                "PDI (individus)",
                "Nombre de PDI",
                "Personnes déplacées internes",
                "Total PDI",
                "PDI individus",
                "IDPs",
                "idps",
                "IDP individuals",
            ),
            ("#affected+idps+ind", "#affected+idps"),
        ),
        Field("idp_population", ("population",)),  # HDX HAPI idps table only
        Field(
            "returnees",
            (
                "Num_Ret_IDP_IND",
                "Retournés",
                "Retournes",
                "Nombre de retournés",
                "Retournés (individus)",
                "PDI retournés",
                "returnees",
                "Returnees",
                "Total No# of Returnees Ind#",
                "Total No. of Returnees Ind.",
            ),
            ("#affected+returnees+ind", "#affected+returnees"),
        ),
        Field(
            "repatriated",
            (
                "Num_RET_from_Abroad_IND",
                "Rapatriés",
                "Rapatries",
                "Nombre de rapatriés",
                "Rapatriés (individus)",
                "Réfugiés rapatriés",
                "repatriated",
                "Repatriated",
            ),
            ("#affected+repatriated", "#affected+refugees+returned"),
        ),
        Field("returnees_total", ("Total No# of Returnees Ind#", "Total No. of Returnees Ind.")),
        Field(
            "hapi_marker", ("assessment_type", "reporting_round", "assessmentType", "roundNumber")
        ),
    )
}
MEASURES = ("idps", "returnees", "repatriated")


def read_displacement(
    path: str | Path, boundaries: BoundarySet | None = None, options: ReadOptions | None = None
) -> ReadResult:
    """Read a DTM / CMP / HAPI displacement file into the canonical displacement frame."""
    table = read_table(path, score_for(FIELDS.values()), options.limits if options else None)
    mapping = map_fields(table, FIELDS, options)
    if "idps" not in mapping and "idp_population" in mapping and "hapi_marker" in mapping:
        mapping["idps"] = mapping["idp_population"]
    require(table, "displacement", mapping, FIELDS, [("date", "month"), MEASURES])
    if "date" not in mapping:
        require(table, "displacement", mapping, FIELDS, [("year",)])
    conv = Converter(table, mapping)
    dates = (
        conv.dates("date", required=True) if conv.has("date") else conv.month_year("month", "year")
    )
    values = pd.DataFrame({"date": dates}, index=table.frame.index)
    for measure in MEASURES:
        values[measure] = conv.counts(measure)
    if mapping.get("returnees") != mapping.get("returnees_total") and "returnees_total" in mapping:
        table.warnings.append(
            f"returnees read from {mapping['returnees']!r} (returned IDPs); "
            f"{mapping['returnees_total']!r} also counts returns from abroad and is not used"
        )
    if "month" not in mapping and "date" in mapping and table.frame[mapping["date"]].isna().all():
        table.warnings.append("the date column is empty")
    values["source"] = _source_of(mapping)
    return finish("displacement", conv, values, _source_of(mapping), boundaries, options=options)


def _source_of(mapping: dict[str, str]) -> str:
    """hapi (HDX HAPI idps), dtm (IOM baseline/API) or cmp (French CMP table)."""
    if mapping.get("idps") == mapping.get("idp_population") and "hapi_marker" in mapping:
        return "hapi"
    column = mapping.get("idps", "") + mapping.get("returnees", "")
    if any(k in column for k in ("IDPs", "numPresent", "Num_Ret", "Returnees")):
        return "dtm"
    return "cmp"
