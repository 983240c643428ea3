"""Insecurity Insight Security in Numbers Database (SiND) exports, as HDX publishes them.

Every dataset (aid workers killed/injured/kidnapped/arrested, health care, education, food
security, protection / attacks on IDP and refugee camps, sexual violence and CRSV, explosive
weapons) shares ``Date, Event Description, Country, Country ISO, Admin 1, Latitude, Longitude,
Geo Precision`` and an event id spelled 'SiND Event ID', 'SiND ID', 'SIND Event ID'... Which
dataset a file is comes from its own columns, else from its file name. The precision string
("(6) Country ") caps how deep a row is placed (:mod:`geo.precision`).

Sexual violence is never left in a non-sensitive category: any row of any dataset that reports
sexual violence (a count, a type, or the words in its description) is ``sind_sexual_violence``,
and is not turned into an access constraint.
"""

from __future__ import annotations

import re

import pandas as pd

from data.columns import PLACE_FIELDS, Field, MissingColumnsError, WrongStreamError, fold_header
from data.options import ReadOptions
from data.readers.base import Converter, ReadResult, map_fields, require
from data.readers.places import finish
from data.tabular import Table, parse_count
from data.vocab import CATEGORY_BY_CODE
from geo.boundaries import BoundarySet
from geo.names import fold

ID_HEADERS = {"sindeventid", "sindid"}
FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        *PLACE_FIELDS,
        Field("date", ("Date",), ("#date+occurred", "#date")),
        Field("country", ("Country ISO", "Country"), ("#country+code",)),
        Field("description", ("Event Description",)),
        Field("event_id", ("SiND Event ID", "SiND ID", "SIND Event ID", "Sind Event ID")),
    )
}

# Header markers of each dataset (folded headers). The explosive weapons dataset counts
# victims of every sector (aid workers, health workers, educators...), so a file with the
# markers of two sectors is that one.
SEXUAL_VIOLENCE = r"typeofsexualviolence|sexualviolencecontext|locationwheresexualviolence"
CAMPS = r"campname|campresident|protectioneventcontext"
SECTORS: tuple[tuple[str, str], ...] = (
    ("sind_aid_workers", r"aidworker"),
    ("sind_health_care", r"healthworker|healthfacilit|healthtransport|healthsuppl"),
    ("sind_education", r"educator|student|school|universit|educationfacilit"),
    ("sind_food_security", r"foodsecurity|foodinsecurity|farmer|crop|livestock"),
)
FILE_NAMES: tuple[tuple[str, str], ...] = (
    ("sind_sexual_violence", r"crsv|sexual|sv"),
    ("sind_aid_workers", r"aid ?worker|kika|kka|aidworker"),
    ("sind_idp_camps", r"protection|camp|idp|refugee"),
    ("sind_health_care", r"health"),
    ("sind_education", r"educat"),
    ("sind_food_security", r"food"),
    ("sind_explosive_weapons", r"explosive|ewipe"),
)
LABELS = {
    "sind_sexual_violence": "SiND sexual violence / CRSV",
    "sind_aid_workers": "SiND aid workers",
    "sind_idp_camps": "SiND protection (IDP/refugee camps)",
    "sind_health_care": "SiND health care",
    "sind_education": "SiND education",
    "sind_food_security": "SiND food security",
    "sind_explosive_weapons": "SiND explosive weapons",
}
SEXUAL = re.compile(r"\b(sexual|sexually|rape[sd]?|raping|crsv|viols?|violee?s?|sexuelles?)\b")
OUTCOMES = ("killed", "injured", "kidnapped", "arrested", "abducted")
SPLITS = ("international", "national", "female", "male", "minor", "adult")
MALI = {"mli", "mali", "ml"}
# The access stream has no sensitive category: such events stay in incidents only.
SENSITIVE_NOT_ACCESS = "reports sexual violence: imported as a sensitive incident only"


def is_sind(table: Table) -> bool:
    """An Insecurity Insight export: its event id column, or description + geo precision."""
    keys = {fold_header(c) for c in table.frame.columns}
    return bool(keys & ID_HEADERS) or {"eventdescription", "geoprecision"} <= keys


def dataset_of(table: Table) -> str | None:
    """The SiND dataset (as its category code) a file holds, from its columns or its name."""
    keys = " ".join(fold_header(c) for c in table.frame.columns)
    if re.search(SEXUAL_VIOLENCE, keys):
        return "sind_sexual_violence"
    if re.search(CAMPS, keys):
        return "sind_idp_camps"
    sectors = [code for code, pattern in SECTORS if re.search(pattern, keys)]
    if "explosive" in keys or len(sectors) > 1:
        return "sind_explosive_weapons"
    if sectors:
        return sectors[0]
    name = fold(table.path.stem)
    for code, pattern in FILE_NAMES:
        if re.search(rf"\b({pattern})\b", name):
            return code
    return None


def _outcome_columns(table: Table) -> tuple[list[str], list[str], list[str]]:
    """Victim totals (no International/National/Female/Male splits, counted once), the killed
    among them, and the columns that count victims of sexual violence."""
    victims, killed, sexual = [], [], []
    for column in table.frame.columns:
        key = fold(column)
        words = set(key.split())
        if "number of reported victims" in key:
            victims.append(column)
        elif key.split()[-1:] and key.split()[-1] in OUTCOMES and not words & set(SPLITS):
            victims.append(column)
            if key.endswith("killed"):
                killed.append(column)
        if SEXUAL.search(key):  # any count of it, splits included, marks the row
            sexual.append(column)
    return victims, killed, sexual


def _counts(conv: Converter, columns: list[str]) -> dict[str, pd.Series]:
    """Each count column parsed once; a bad cell rejects its row."""
    out = {}
    for column in columns:
        values = []
        for row, text in conv.frame[column].items():
            try:
                values.append(parse_count(text))
            except ValueError as exc:
                conv.reject(row, column, str(exc))
                values.append(None)
        out[column] = pd.Series(values, index=conv.frame.index, dtype="Int64")
    return out


def _total(counts: list[pd.Series], index: pd.Index) -> pd.Series:
    """Row sums of count columns; a row with none of them filled stays empty."""
    total = pd.Series(pd.NA, index=index, dtype="Int64")
    for values in counts:
        total = total.fillna(0).add(values.fillna(0)).where(total.notna() | values.notna())
    return total.astype("Int64")


def _sexual_rows(conv: Converter, sexual_columns: list[str]) -> pd.Series:
    """Rows that report sexual violence in a count, a type column or their description."""
    flagged = pd.Series(False, index=conv.frame.index)
    for column in sexual_columns:
        text = conv.frame[column]
        numeric = pd.to_numeric(text, errors="coerce")
        yes = text.fillna("").astype(str).str.strip().str.lower().isin({"yes", "oui", "true"})
        flagged |= (numeric.fillna(0) > 0) | yes
    described = conv.text("description").fillna("").map(lambda v: bool(SEXUAL.search(fold(v))))
    return flagged | described.astype(bool)


def read_sind(
    table: Table,
    stream: str,
    boundaries: BoundarySet | None = None,
    options: ReadOptions | None = None,
) -> ReadResult:
    """A SiND table as incidents (its dataset's category) or as access constraints (the
    aid-worker dataset: violence against humanitarian personnel, OCHA's category)."""
    mapping = map_fields(table, FIELDS, options)
    require(table, stream, mapping, FIELDS, [("date",)])
    dataset = dataset_of(table)
    if dataset is None:
        raise _unknown_dataset(table)
    if stream == "access" and dataset != "sind_aid_workers":
        raise _not_access(table, dataset)
    conv = Converter(table, mapping)
    index = table.frame.index
    dates = conv.dates("date", required=True)
    for row, country in conv.text("country").items():
        if country is not None and fold(country) not in MALI:
            conv.reject(row, "country", f"not Mali ({country!r})")
    victims, killed, sexual = _outcome_columns(table)
    sexual_rows = _sexual_rows(conv, sexual)
    counts = _counts(conv, victims) if stream == "incidents" else {}
    label = LABELS[dataset]
    if stream == "access":
        for row in index[sexual_rows.to_numpy(dtype=bool)]:
            conv.reject(row, "description", SENSITIVE_NOT_ACCESS)
        values = pd.DataFrame(
            {
                "date": dates,
                "constraint_type": "violence_humanitarians",
                "events": pd.Series(1, index=index, dtype="Int64"),
                "source": "sind",
            },
            index=index,
        )
        return finish("access", conv, values, "sind", boundaries, options=options)
    categories = pd.Series(dataset, index=index, dtype=object).where(
        ~sexual_rows, "sind_sexual_violence"
    )
    values = pd.DataFrame(
        {
            "date": dates,
            "category": categories,
            "sub_type": [
                label + (" (sexual violence reported)" if s and dataset != c else "")
                for s, c in zip(sexual_rows, categories, strict=True)
            ],
            "events": pd.Series(1, index=index, dtype="Int64"),
            "victims": _total([counts[c] for c in victims], index),
            "fatalities": _total([counts[c] for c in killed], index),
            "latitude": conv.coordinates("latitude"),
            "longitude": conv.coordinates("longitude"),
            "source": "sind",
        },
        index=index,
    )
    values["sensitive"] = [CATEGORY_BY_CODE[c].sensitive for c in categories]
    return finish("incidents", conv, values, "sind", boundaries, options=options)


def _unknown_dataset(table: Table) -> MissingColumnsError:
    return MissingColumnsError(
        f"{table.name}: an Insecurity Insight (SiND) export, but which dataset (aid workers, "
        "health care, education, food security, protection, sexual violence, explosive "
        "weapons) cannot be told from its columns or file name; keep the dataset's name in "
        "the file name"
    )


def _not_access(table: Table, dataset: str) -> WrongStreamError:
    return WrongStreamError(
        f"{table.name}: {LABELS[dataset]} events are incidents, not access constraints; only "
        "the aid-worker dataset feeds the access stream (import it as incidents)"
    )
