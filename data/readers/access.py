"""Access constraints: either incident rows (date + constraint type text, optional count) or
place x period severity rows (date/period + 0-5 severity, ACAPS style). Constraint text in
French or English becomes a :data:`data.vocab.ACCESS_CONSTRAINTS` code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from data.columns import PLACE_FIELDS, Field
from data.options import ReadOptions
from data.readers.base import Converter, ReadResult, map_fields, require, score_for
from data.readers.places import finish
from data.readers.sind import is_sind, read_sind
from data.tabular import read_table
from data.vocab import ACCESS_CONSTRAINTS
from geo.boundaries import BoundarySet
from geo.names import fold

FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        *PLACE_FIELDS,
        Field(
            "date",
            (
                "Date",
                "Date de l'incident",
                "Date incident",
                "incident_date",
                "event_date",
                "Période",
                "Periode",
                "Period",
                "Mois",
                "Month",
                "reference_period_start",
                "Date début",
                "Date debut",
            ),
            ("#date+occurred", "#date+start", "#date"),
        ),
        Field(
            "constraint",
            (
                "Type de contrainte",
                "Type de contrainte d'accès",
                "Contrainte",
                "Catégorie de contrainte",
                "Categorie",
                "Catégorie",
                "constraint_type",
                "Constraint type",
                "Constraint",
                "Type d'incident",
                "Incident type",
                "Type",
            ),
            ("#access+type", "#event+type", "#impact+type"),
        ),
        Field(
            "events",
            (
                "Nombre d'incidents",
                "Nombre",
                "Incidents",
                "events",
                "Events",
                "count",
                "Nombre de contraintes",
            ),
            ("#event+num",),
        ),
        Field(
            "severity",
            (
                "Sévérité",
                "Severite",
                "severity",
                "Severity",
                "Score",
                "Niveau de sévérité",
                "Access severity",
                "Score d'accès",
                "Niveau d'accès",
            ),
            ("#severity",),
        ),
        Field("source", ("Source",)),
    )
}

# Folded keyword patterns, first hit wins; the vocabulary's own labels and codes also match.
CONSTRAINT_RULES: tuple[tuple[str, str], ...] = (
    (
        r"\b(violence|attaque|attack|agression|enlevement|kidnap|braquage|vol|pillage|looting|menace)",
        "violence_humanitarians",
    ),
    (r"\b(engins?|explosi\w*|mines?|eei|ied|uxo)\b", "explosive_devices"),
    (
        r"\b(hostilit|insecurit|affrontement|conflit|combat|fighting|operation militaire)",
        "hostilities",
    ),
    (
        r"\b(interference|ingerence|detournement|diversion|bureaucrat\w*|administrati\w*)",
        "interference",
    ),
    (r"\b(entree|entry|visa|importation)", "entry_impediments"),
    (
        r"\b(restriction|restrictions?|blocus|blocage|checkpoint|barrage|movement|mouvement|deplacement|escorte)",
        "movement_restriction",
    ),
    (
        r"\b(acces des populations|access of people|acces aux services|access to services)",
        "restriction_services",
    ),
    (r"\b(deni|denial)", "denial_needs"),
    (
        r"\b(physique|physical|route|pont|road|bridge|inondation|flood|saison des pluies|rainy)",
        "physical",
    ),
)
_LABELS = {fold(label): code for code, labels in ACCESS_CONSTRAINTS.items() for label in labels}


def constraint_code(text: str | None) -> str | None:
    """Constraint type text (code, French or English label, or keywords) -> vocabulary code."""
    if text is None:
        return None
    raw = str(text).strip()
    if raw in ACCESS_CONSTRAINTS:
        return raw
    key = fold(raw)
    if key in _LABELS:
        return _LABELS[key]
    if key.replace(" ", "_") in ACCESS_CONSTRAINTS:
        return key.replace(" ", "_")
    # "restriction de l'accès des populations aux services" before movement restriction
    for pattern, code in sorted(CONSTRAINT_RULES, key=lambda r: r[1] != "restriction_services"):
        if re.search(pattern, key):
            return code
    return None


def read_access(
    path: str | Path, boundaries: BoundarySet | None = None, options: ReadOptions | None = None
) -> ReadResult:
    """Read access incidents or severity-by-place rows into the canonical access frame."""
    table = read_table(path, score_for(FIELDS.values()), options.limits if options else None)
    if is_sind(table):
        return read_sind(table, "access", boundaries, options)
    mapping = map_fields(table, FIELDS, options)
    require(table, "access", mapping, FIELDS, [("date",), ("constraint", "severity")])
    conv = Converter(table, mapping)
    index = table.frame.index
    codes: list[str | None] = []
    for row, text in zip(index, conv.text("constraint"), strict=True):
        code = constraint_code(text)
        if text is not None and code is None:
            conv.reject(row, "constraint", f"unknown constraint type {text!r}")
        elif text is None and not conv.has("severity"):
            conv.reject(row, "constraint", "missing constraint type")
        codes.append(code)
    severity = conv.numbers("severity", 0, 5)
    if conv.has("events"):
        events = conv.counts("events")
    elif conv.has("constraint"):
        events = pd.Series([1 if c else pd.NA for c in codes], index=index, dtype="Int64")
    else:
        events = pd.Series(pd.NA, index=index, dtype="Int64")
    values = pd.DataFrame(
        {
            "date": conv.dates("date", required=True),
            "constraint_type": codes,
            "events": events,
            "severity": severity,
            "source": conv.text("source").fillna("access"),
        },
        index=index,
    )
    source_format = "incidents" if conv.has("constraint") else "severity"
    return finish("access", conv, values, source_format, boundaries, options=options)
