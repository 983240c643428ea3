"""The canonical, p-code keyed schema of each stream.

Every reader turns its source format into exactly these columns; everything downstream
(storage, cubes, the dashboard) relies only on them. ``docs/SCHEMAS.md`` describes them for
people. Each stream also carries the resolution columns of :data:`PLACE_COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

STREAMS = ("incidents", "displacement", "services", "access", "population")

# Added to every stream by place resolution.
PLACE_COLUMNS: dict[str, str] = {
    "source_row": "Int64",  # 1-based data record number in the file (no header, no HXL row)
    "adm1_pcode": "string",  # canonical 2021 région code ("" if unresolved)
    "adm2_pcode": "string",  # canonical 2021 cercle code ("" if région-level or whole Ménaka)
    "adm3_pcode": "string",  # commune code of the boundary set in use, when it has communes
    "commune_pcode": "string",  # 2021 OCHA commune code (mali_communes_2021.csv), when known
    "match_method": "string",  # pcode | name | learned | fuzzy_name | point | unresolved
    "match_note": "string",  # how, in words
    "precision": "string",  # declared point precision: exact | 25km | commune | region | country
    "match_conflict": "string",  # names/codes and point disagree: both, and which decided
}


@dataclass(frozen=True)
class Schema:
    stream: str
    columns: dict[str, str]  # name -> pandas dtype
    required: tuple[str, ...]  # measures/fields that must be present in the source

    @property
    def all_columns(self) -> list[str]:
        return list(PLACE_COLUMNS) + list(self.columns)

    def empty(self) -> pd.DataFrame:
        return conform(pd.DataFrame(columns=self.all_columns), self)


SCHEMAS: dict[str, Schema] = {
    "incidents": Schema(
        "incidents",
        {
            "date": "datetime64[ns]",  # event date, or the start of an aggregate's period
            "category": "string",  # data.vocab.INCIDENT_CATEGORIES code
            "sub_type": "string",  # source's own sub-type, kept for reference
            "events": "Int64",  # 1 per event row; the count for aggregates
            "victims": "Int64",  # people affected, when reported
            "fatalities": "Int64",
            "sensitive": "boolean",  # GBV / child protection / sexual violence
            "source": "string",  # acled | hapi | monitoring | mrm | ...
            "latitude": "Float64",
            "longitude": "Float64",
        },
        ("date", "category"),
    ),
    "displacement": Schema(
        "displacement",
        {
            "date": "datetime64[ns]",  # reporting (snapshot) date
            "idps": "Int64",  # personnes déplacées internes, individuals
            "returnees": "Int64",  # retournés, individuals
            "repatriated": "Int64",  # rapatriés (returned refugees), individuals
            "source": "string",
        },
        ("date",),
    ),
    "services": Schema(
        "services",
        {
            "org_name": "string",
            "org_acronym": "string",
            "org_type": "string",
            "sector": "string",  # Global Coordination Group code: PRO, PRO-CPN, PRO-GBV...
            "activity": "string",
            "status": "string",  # ongoing | planned | completed | ""
            "start_date": "datetime64[ns]",
            "end_date": "datetime64[ns]",
        },
        ("org_name", "sector"),
    ),
    "access": Schema(
        "access",
        {
            "date": "datetime64[ns]",  # incident date or period start
            "constraint_type": "string",  # data.vocab.ACCESS_CONSTRAINTS code
            "events": "Int64",
            "severity": "Float64",  # 0-5 (ACAPS style) when given per place and period
            "source": "string",
        },
        ("date",),
    ),
    "population": Schema(
        "population",
        {
            "population": "Int64",
            "year": "Int64",
        },
        ("population",),
    ),
}


def conform(frame: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Exactly the schema's columns, in order, with its dtypes (missing columns added empty)."""
    dtypes = {**PLACE_COLUMNS, **schema.columns}
    out = pd.DataFrame(index=frame.index)
    for column, dtype in dtypes.items():
        values = frame[column] if column in frame else pd.Series(pd.NA, index=frame.index)
        if dtype.startswith("datetime"):
            out[column] = pd.to_datetime(values, errors="coerce").astype(dtype)
        elif dtype == "string":
            out[column] = values.astype("string").fillna("")
        else:
            out[column] = values.astype(dtype)
    return out
