"""Service coverage: OCHA Mali 3W/5W (40 French columns, typos included), Protection Cluster
3W/4W with a sub-sector column, and HDX HAPI ``operational_presence``. Sector text becomes a
Global Coordination Group code the way HAPI's normaliser does it (PRO, PRO-CPN, PRO-GBV,
PRO-MIN, PRO-HLP, WSH, HEA...).
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
            "org_name",
            (
                "Nom Organisation",
                "org_name",
                "Organisation",
                "Organization",
                "Partenaire",
                "Nom du partenaire",
                "Organisation name",
                "Nom de l'organisation",
            ),
            ("#org+name",),
        ),
        Field(
            "org_acronym",
            (
                "Organisation Accronyme",
                "Organisation Acronyme",
                "org_acronym",
                "Acronyme",
                "Sigle",
                "Acronym",
            ),
            ("#org+acronym",),
        ),
        Field(
            "org_type",
            (
                "Type Organisation",
                "org_type_description",
                "Type d'organisation",
                "Organisation type",
                "org_type",
            ),
            ("#org+type",),
        ),
        Field(
            "sub_sector",
            (
                "Sous-cluster",
                "Sous cluster",
                "Sous-secteur",
                "Sous secteur",
                "Sub-sector",
                "Subsector",
                "AoR",
                "Domaine de responsabilité",
                "Domaine de responsabilite",
                "Area of responsibility",
            ),
            ("#sector+sub", "#subsector"),
        ),
        Field(
            "sector",
            ("Cluster", "sector_code", "Secteur", "Sector", "sector_name", "Cluster/Secteur"),
            ("#sector",),
        ),
        Field(
            "activity",
            (
                "Activités",
                "Activites",
                "Activité",
                "Activity",
                "Activities",
                "Type d'activité",
                "Service",
            ),
            ("#activity+name", "#activity"),
        ),
        Field("status", ("Statut", "Status", "Statut du projet", "Project status"), ("#status",)),
        Field(
            "start_date",
            (
                "Date début",
                "Date debut",
                "Date de début",
                "start_date",
                "reference_period_start",
                "Start date",
            ),
            ("#date+start",),
        ),
        Field(
            "end_date",
            ("Date fin", "Date de fin", "end_date", "reference_period_end", "End date"),
            ("#date+end",),
        ),
    )
}

# Folded text -> code; checked as whole values first, then as keyword patterns in order.
SECTOR_EXACT = {
    "protection": "PRO",
    "protection generale": "PRO",
    "pro": "PRO",
    "cp": "PRO",
    "pg": "PRO",
    "general protection": "PRO",
    "protection de l enfant": "PRO-CPN",
    "protection de l enfance": "PRO-CPN",
    "child protection": "PRO-CPN",
    "pe": "PRO-CPN",
    "sc pe": "PRO-CPN",
    "pro cpn": "PRO-CPN",
    "pro cpm": "PRO-CPN",
    "vbg": "PRO-GBV",
    "gbv": "PRO-GBV",
    "sc vbg": "PRO-GBV",
    "violences basees sur le genre": "PRO-GBV",
    "gender based violence": "PRO-GBV",
    "pro gbv": "PRO-GBV",
    "action contre les mines": "PRO-MIN",
    "lutte anti mines": "PRO-MIN",
    "mine action": "PRO-MIN",
    "gt lamh": "PRO-MIN",
    "lamh": "PRO-MIN",
    "pro min": "PRO-MIN",
    "logement terre et biens": "PRO-HLP",
    "hlp": "PRO-HLP",
    "tbp": "PRO-HLP",
    "housing land and property": "PRO-HLP",
    "pro hlp": "PRO-HLP",
    "ltb": "PRO-HLP",
    "eha": "WSH",
    "wash": "WSH",
    "wsh": "WSH",
    "eau hygiene et assainissement": "WSH",
    "sante": "HEA",
    "health": "HEA",
    "hea": "HEA",
    "education": "EDU",
    "edu": "EDU",
    "nutrition": "NUT",
    "nut": "NUT",
    "securite alimentaire": "FSC",
    "food security": "FSC",
    "fsc": "FSC",
    "abris": "SHL",
    "abris nfi": "SHL",
    "abris ame": "SHL",
    "shelter": "SHL",
    "shl": "SHL",
    "coordination": "CCM",
    "cccm": "CCM",
    "ccm": "CCM",
    "logistique": "LOG",
    "logistics": "LOG",
    "log": "LOG",
    "telecommunications d urgence": "TEL",
    "tel": "TEL",
    "relevement rapide": "ERY",
    "early recovery": "ERY",
    "ery": "ERY",
    "multi": "Multi",
    "multisectoriel": "Multi",
    "multi sector": "Multi",
    "cash": "Cash",
}
SECTOR_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\b(enfan\w*|child)", "PRO-CPN"),
    (r"\b(vbg|gbv|genre|gender)\b", "PRO-GBV"),
    (r"\b(antimines?|mines?|lamh|explosi\w*|demin\w*)\b", "PRO-MIN"),
    (r"\b(logement|hlp|tbp|housing|foncier)\b", "PRO-HLP"),
    (r"\bprotection\b", "PRO"),
    (r"\b(eau|wash|eha|assainissement)\b", "WSH"),
    (r"\b(sante|health)\b", "HEA"),
    (r"\b(alimentaire|food)\b", "FSC"),
    (r"\b(abris?|shelter|nfi)\b", "SHL"),
)
ORG_TYPES = {
    "ong int": "International NGO",
    "ongi": "International NGO",
    "ong internationale": "International NGO",
    "international ngo": "International NGO",
    "ingo": "International NGO",
    "ong nat": "National NGO",
    "ong nationale": "National NGO",
    "national ngo": "National NGO",
    "ongn": "National NGO",
    "local ngo": "National NGO",
    "agence un": "United Nations",
    "un agency": "United Nations",
    "united nations": "United Nations",
    "nations unies": "United Nations",
    "mouv cr": "Red Cross/Red Crescent",
    "croix rouge": "Red Cross/Red Crescent",
    "red cross red crescent": "Red Cross/Red Crescent",
    "gouvernement": "Government",
    "government": "Government",
    "etat": "Government",
    "bailleur": "Donor",
    "donor": "Donor",
    "international organization": "International Organization",
}
STATUS = (
    (r"\b(en cours|ongoing|active|actif|encours|in progress|implementation)\b", "ongoing"),
    (r"\b(planifie|prevu|planned|pipeline|a venir)\b", "planned"),
    (r"\b(termine|acheve|complete|completed|closed|cloture|fini)\b", "completed"),
)


def sector_code(text: str | None) -> str | None:
    """Cluster / AoR text (French, English, GCG or HNO code) -> Global Coordination Group code."""
    if text is None:
        return None
    key = fold(text)
    if key in SECTOR_EXACT:
        return SECTOR_EXACT[key]
    for pattern, code in SECTOR_PATTERNS:
        if re.search(pattern, key):
            return code
    return None


def org_type(text: str | None) -> str:
    """Mali 3W labels (ONG Int, Agence UN...) -> the OCHA organisation type term."""
    if text is None:
        return ""
    return ORG_TYPES.get(fold(text), str(text))


def status_code(text: str | None) -> str:
    """Free status text -> ongoing | planned | completed | "" (unknown or not given)."""
    key = fold(text or "")
    for pattern, code in STATUS:
        if re.search(pattern, key):
            return code
    return ""


def read_services(
    path: str | Path, boundaries: BoundarySet | None = None, options: ReadOptions | None = None
) -> ReadResult:
    """Read a 3W/4W/5W or HAPI operational-presence file into the canonical services frame."""
    table = read_table(path, score_for(FIELDS.values()), options.limits if options else None)
    mapping = map_fields(table, FIELDS, options)
    require(
        table, "services", mapping, FIELDS, [("org_name", "org_acronym"), ("sector", "sub_sector")]
    )
    conv = Converter(table, mapping)
    index = table.frame.index
    names = conv.text("org_name").where(conv.text("org_name").notna(), conv.text("org_acronym"))
    sectors: list[str | None] = []
    unknown: set[str] = set()
    for row, name, cluster, sub in zip(
        index, names, conv.text("sector"), conv.text("sub_sector"), strict=True
    ):
        if name is None:
            conv.reject(row, "org_name", "no organisation name or acronym")
        main = sector_code(cluster)
        specific = sector_code(sub)
        code = (
            specific if specific and (main in (None, "PRO") or specific.startswith("PRO")) else main
        )
        if code is None:
            given = sub or cluster
            if given is None:
                conv.reject(row, "sector", "no cluster / sector")
            else:
                unknown.add(given)
                code = given
        sectors.append(code)
    if unknown:
        table.warnings.append(
            "sector text kept as given (no coordination group code): "
            + ", ".join(sorted(unknown)[:10])
        )
    values = pd.DataFrame(
        {
            "org_name": names,
            "org_acronym": conv.text("org_acronym"),
            "org_type": [org_type(v) for v in conv.text("org_type")],
            "sector": sectors,
            "activity": conv.text("activity"),
            "status": [status_code(v) for v in conv.text("status")],
            "start_date": conv.dates("start_date"),
            "end_date": conv.dates("end_date"),
        },
        index=index,
    )
    source_format = "hapi" if "sector_code" in {mapping.get("sector")} else "3w"
    return finish("services", conv, values, source_format, boundaries, options=options)
