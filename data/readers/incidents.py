"""Incidents: ACLED event exports (current and pre-2020 upper-case columns), ACLED monthly
aggregates from HDX (xlsx sheets with Month/Year, the HXL CSV) and HDX HAPI ``conflict_event``,
and protection-monitoring / MRM / explosive-ordnance tables (see docs/SCHEMAS.md).

The category comes from ACLED's event/sub-event type, HAPI's event_type, or the monitoring
"catégorie" text (French or English labels, or the vocabulary code itself).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from data.columns import PLACE_FIELDS, Field, fold_header
from data.options import ReadOptions
from data.readers.base import Converter, ReadResult, map_fields, require, score_for
from data.readers.places import finish
from data.readers.sind import is_sind, read_sind
from data.tabular import read_table
from data.vocab import CATEGORY_BY_CODE
from geo.boundaries import BoundarySet
from geo.names import fold

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        *PLACE_FIELDS,
        Field(
            "date",
            (
                "event_date",
                "Date",
                "Date de l'incident",
                "Date incident",
                "Date de l'événement",
                "incident_date",
                "reference_period_start",
                "Start Date",
                "Date début",
                "Date debut",
            ),
            ("#date+occurred", "#date+start", "#date"),
        ),
        Field("month", ("Month", "Mois"), ("#date+month",)),
        Field("year", ("Year", "Année", "Annee"), ("#date+year",)),
        Field("event_type", ("event_type", "Event Type"), ("#event+type",)),
        Field("sub_event_type", ("sub_event_type", "Sub Event Type")),
        Field(
            "category",
            (
                "Catégorie",
                "Categorie",
                "category",
                "Catégorie de violation",
                "Type de violation",
                "Violation",
                "Type d'incident",
                "incident_type",
                "Grave violation",
                "Violation grave",
                "Type",
            ),
            ("#event+category", "#crisis+type"),
        ),
        Field(
            "sub_type",
            (
                "Sous-catégorie",
                "Sous categorie",
                "Sous-type",
                "sub_type",
                "Sub-category",
                "Sous type de violation",
            ),
        ),
        Field(
            "events",
            (
                "events",
                "Events",
                "Nombre d'incidents",
                "Nombre incidents",
                "Incidents",
                "Nombre d'événements",
                "count",
            ),
            ("#event+num",),
        ),
        Field(
            "victims",
            (
                "Nombre de victimes",
                "Nb victimes",
                "Victimes",
                "victims",
                "Number of victims",
                "Number of Reported Victims",
            ),
            ("#affected+num", "#affected"),
        ),
        Field(
            "fatalities",
            (
                "fatalities",
                "Fatalities",
                "Morts",
                "Nombre de morts",
                "Décès",
                "Deces",
                "Tués",
                "Tues",
            ),
            ("#fatality+num", "#affected+killed"),
        ),
        Field(
            "source", ("source_system", "Source de données", "Système", "Systeme", "data_source")
        ),
    )
}

ACLED_TYPES = {
    "battles": "conflict_battles",
    "violence against civilians": "conflict_violence_civilians",
    "explosions remote violence": "conflict_explosions",
    "remote violence": "conflict_explosions",
    "protests": "conflict_demonstrations",
    "riots": "conflict_demonstrations",
    "riots protests": "conflict_demonstrations",
    "strategic developments": "conflict_strategic",
    "strategic development": "conflict_strategic",
    "non violent transfer of territory": "conflict_strategic",
    "headquarters or base established": "conflict_strategic",
    "civilian targeting": "conflict_civilian_targeting",
    "demonstration": "conflict_demonstrations",
    "demonstrations": "conflict_demonstrations",
    "political violence": "conflict_political_violence",
}

# Ordered keyword rules for monitoring / MRM / explosive labels (folded text, first hit wins).
# MRM rules that could also describe adults need a child marker ("enfant", "child", "MRM").
CHILD = r"\b(enfants?|child|children|mineurs?|mrm)\b"
CATEGORY_RULES: tuple[tuple[str, str, bool], ...] = (
    (r"\b(recrut|recruit|enrol|utilisation d enfants|use of children)", "mrm_recruitment", False),
    (r"\b(ecoles?|hopita|school|hospital)", "mrm_attacks_schools_hospitals", False),
    (r"\b(deni|denial)\b", "mrm_denial_access", False),
    (r"\b(meurtres?|mutilations?|killing|maiming|tues?)\b", "mrm_killing_maiming", True),
    (r"\b(violences? sexuelles?|sexual violence|viols?|rape)\b", "mrm_sexual_violence", True),
    (r"\b(enlevements?|abductions?|rapts?)\b", "mrm_abduction", True),
    (
        r"\b(engins?|explosi\w*|mines?|eei|ied|uxo|erw|munitions?|reg)\b",
        "explosive_ordnance",
        False,
    ),
    (r"\b(vbg|gbv|genre|gender|viols?|rape|sexuel\w*|sexual)\b", "pm_gbv", False),
    (
        r"\b(droit a la vie|right to life|vie|life|meurtres?|homicides?|assassinats?|killing)\b",
        "pm_life",
        False,
    ),
    (
        r"\b(liberte|liberty|securite|security|enlevements?|abductions?|detentions?|arrestations?)\b",
        "pm_liberty",
        False,
    ),
    (
        r"\b(integrite|integrity|physique|psychique|physical|psychological|torture|coups)\b",
        "pm_integrity",
        False,
    ),
    (r"\b(propriete|property|biens|pillages?|looting|extorsion)\b", "pm_property", False),
)
SOURCE_BY_FAMILY = {
    "monitoring": "monitoring",
    "mrm": "mrm",
    "explosive": "explosive",
    "conflict": "acled",
    "sind": "sind",
}


def category_from_label(text: str | None) -> str | None:
    """Monitoring/MRM/explosive label (French or English) or vocabulary code -> category code."""
    if text is None:
        return None
    raw = str(text).strip()
    if raw in CATEGORY_BY_CODE:
        return raw
    key = fold(raw)
    if key in ACLED_TYPES:
        return ACLED_TYPES[key]
    child = re.search(CHILD, key) is not None
    for pattern, code, needs_child in CATEGORY_RULES:
        if (child or not needs_child) and re.search(pattern, key):
            return code
    return None


def category_from_acled(event_type: str | None, sub_event_type: str | None) -> str | None:
    """ACLED event type (any generation) or HAPI event_type -> category code."""
    if event_type is None:
        return None
    key = fold(event_type)
    if key.startswith("battle"):
        return "conflict_battles"
    if sub_event_type and fold(sub_event_type) == "sexual violence":
        return "conflict_sexual_violence"
    return ACLED_TYPES.get(key) or ACLED_TYPES.get(key.replace("_", " "))


def _category_from_filename(path: Path) -> str | None:
    key = fold_header(path.stem)
    for needle, code in (
        ("civiliantargeting", "conflict_civilian_targeting"),
        ("demonstration", "conflict_demonstrations"),
        ("politicalviolence", "conflict_political_violence"),
    ):
        if needle in key:
            return code
    return None


def read_incidents(
    path: str | Path, boundaries: BoundarySet | None = None, options: ReadOptions | None = None
) -> ReadResult:
    """Read an incident file of any supported format into the canonical incidents frame."""
    table = read_table(path, score_for(FIELDS.values()), options.limits if options else None)
    if is_sind(table):
        return read_sind(table, "incidents", boundaries, options)
    mapping = map_fields(table, FIELDS, options)
    file_category = _category_from_filename(table.path)
    groups: list[tuple[str, ...]] = [("date", "month")]
    if not file_category:
        groups.append(("event_type", "category"))
    require(table, "incidents", mapping, FIELDS, groups)
    if "date" not in mapping:
        require(table, "incidents", mapping, FIELDS, [("year",)])
    conv = Converter(table, mapping)
    index = table.frame.index

    dates = (
        conv.dates("date", required=True) if conv.has("date") else conv.month_year("month", "year")
    )
    if conv.has("event_type"):
        source_format = "hapi" if conv.has("events") else "acled"
        categories = [
            category_from_acled(e, s)
            for e, s in zip(conv.text("event_type"), conv.text("sub_event_type"), strict=True)
        ]
        labels = conv.text("event_type")
        sub_types = conv.text("sub_event_type").where(conv.text("sub_event_type").notna(), labels)
    elif conv.has("category"):
        source_format = "monitoring"
        labels = conv.text("category")
        categories = [category_from_label(v) for v in labels]
        sub_types = conv.text("sub_type").where(conv.text("sub_type").notna(), labels)
    else:
        source_format = "hdx_acled"
        labels = pd.Series([None] * len(index), index=index, dtype=object)
        categories = [file_category] * len(index)
        sub_types = labels
    for row, category, label in zip(index, categories, labels, strict=True):
        if category is None:
            what = f"unknown category {label!r}" if label is not None else "missing category"
            conv.reject(row, "event_type" if conv.has("event_type") else "category", what)

    events = (
        conv.counts("events") if conv.has("events") else pd.Series(1, index=index, dtype="Int64")
    )
    events = events.fillna(1) if not conv.has("events") else events.fillna(0)
    values = pd.DataFrame(
        {
            "date": dates,
            "category": categories,
            "sub_type": sub_types,
            "events": events,
            "victims": conv.counts("victims"),
            "fatalities": conv.counts("fatalities"),
            "latitude": conv.coordinates("latitude"),
            "longitude": conv.coordinates("longitude"),
        },
        index=index,
    )
    values["sensitive"] = [bool(CATEGORY_BY_CODE[c].sensitive) if c else False for c in categories]
    if conv.has("source"):
        values["source"] = conv.text("source").fillna(source_format)
    elif source_format == "monitoring":
        values["source"] = [
            SOURCE_BY_FAMILY[CATEGORY_BY_CODE[c].family] if c else "" for c in categories
        ]
    else:
        values["source"] = source_format
    if source_format == "hdx_acled":
        table.warnings.append(
            f"no event type column: category {file_category} taken from the file name"
        )
    return finish("incidents", conv, values, source_format, boundaries, options=options)
