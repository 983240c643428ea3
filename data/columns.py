"""Mapping source columns to canonical fields by header name or HXL hashtag, never by position.

Header names are compared after folding (case, accents, spaces, punctuation and ``#`` removed:
"Admin 2 PCode", "ADM2_PCODE" and "admin2Pcod" all become ``admin2pcode``/``adm2pcode``/
``admin2pcod``), against a list of French and English aliases per field. HXL hashtags match
when the tag is the same and the required attributes are present (``#adm2+code`` matches
``#adm2+code+v_pcode``); attributes such as ``+origin`` exclude a match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from data.tabular import TabularError


class ColumnError(TabularError):
    """A file whose columns do not fit the stream it was given as."""


class MissingColumnsError(ColumnError):
    """A required column is absent."""


class WrongStreamError(MissingColumnsError):
    """Required columns are absent and the file looks like another stream."""


def fold_header(text: str) -> str:
    """Comparison key of a header: ASCII lower-case letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", ascii_only.lower())


@dataclass(frozen=True)
class Field:
    """A canonical field with the header aliases and HXL patterns that identify it."""

    name: str
    aliases: tuple[str, ...] = ()
    hxl: tuple[str, ...] = ()  # "#adm2+code": tag #adm2 with attribute code
    exclude: tuple[str, ...] = ("origin",)  # HXL attributes that rule a column out

    def keys(self) -> set[str]:
        return {fold_header(a) for a in self.aliases}

    def matches_hxl(self, tag: str) -> bool:
        parts = tag.lower().split("+")
        if any(a in parts[1:] for a in self.exclude):
            return False
        for pattern in self.hxl:
            want = pattern.lower().split("+")
            if parts[0] == want[0] and set(want[1:]) <= set(parts[1:]):
                return True
        return False


def map_columns(
    columns: Iterable[str], hxl: dict[str, str], fields: Iterable[Field]
) -> dict[str, str]:
    """Field name -> source column. Header aliases first (in alias order), then HXL tags."""
    columns = list(columns)
    folded = {}
    for column in columns:
        folded.setdefault(fold_header(column), column)
    taken: set[str] = set()
    found: dict[str, str] = {}
    fields = list(fields)
    for f in fields:
        for alias in f.aliases:
            column = folded.get(fold_header(alias))
            if column is not None and column not in taken:
                found[f.name] = column
                taken.add(column)
                break
    for f in fields:
        if f.name in found or not f.hxl:
            continue
        for column in columns:
            tag = hxl.get(column)
            if tag and column not in taken and f.matches_hxl(tag):
                found[f.name] = column
                taken.add(column)
                break
    return found


def describe(field: Field, limit: int = 3) -> str:
    """A field as users would recognise it: ``date ('event_date', 'Date', ...)``."""
    examples = ", ".join(repr(a) for a in field.aliases[:limit])
    return f"{field.name} ({examples}{', ...' if len(field.aliases) > limit else ''})"


# -- place fields shared by every stream ------------------------------------------------------

PLACE_FIELDS: tuple[Field, ...] = (
    Field(
        "adm1_code",
        (
            "adm1_pcode",
            "admin1Pcode",
            "admin1Pcod",
            "Admin 1 PCode",
            "Admin 1 pcode",
            "ADM1_PCODE",
            "admin1_code",
            "Admin1 Pcode",
            "Pcode Region",
            "Pcode région",
            "region_pcode",
            "code region",
            "code_region",
            "adm1code",
        ),
        ("#adm1+code",),
    ),
    Field(
        "adm1_name",
        (
            "admin1",
            "admin1Name_fr",
            "admin1Name",
            "Admin 1",
            "ADMIN1",
            "ADM1_FR",
            "admin1_name",
            "provider_admin1_name",
            "Region",
            "Région",
            "Regions",
            "Régions",
            "Admin 1 Name",
            "admin1name_en",
            "Admin1 Name",
            "Nom région",
            "Nom region",
        ),
        ("#adm1+name",),
    ),
    Field(
        "adm2_code",
        (
            "adm2_pcode",
            "admin2Pcode",
            "admin2Pcod",
            "Admin 2 PCode",
            "Admin 2 pcode",
            "ADM2_PCODE",
            "admin2_code",
            "Admin2 Pcode",
            "Pcode Cercle",
            "cercle_pcode",
            "code cercle",
            "code_cercle",
            "adm2code",
        ),
        ("#adm2+code",),
    ),
    Field(
        "adm2_name",
        (
            "admin2",
            "admin2Name_fr",
            "admin2Name",
            "Admin 2",
            "ADMIN2",
            "ADM2_FR",
            "admin2_name",
            "provider_admin2_name",
            "Cercle",
            "Cercles",
            "Admin 2 Name",
            "Admin2 Name",
            "admin2name_en",
            "Nom cercle",
            "District",
        ),
        ("#adm2+name",),
    ),
    Field(
        "adm3_code",
        (
            "adm3_pcode",
            "admin3Pcode",
            "admin3Pcod",
            "Admin 3 PCode",
            "Admin 3 pcode",
            "ADM3_PCODE",
            "admin3_code",
            "Pcode Commune",
            "code commune",
            "adm3code",
        ),
        ("#adm3+code",),
    ),
    Field(
        "adm3_name",
        (
            "admin3",
            "admin3Name_fr",
            "admin3Name",
            "Admin 3",
            "ADMIN3",
            "ADM3_FR",
            "admin3_name",
            "Commune",
            "Communes",
            "Admin 3 Name",
            "Nom commune",
        ),
        ("#adm3+name",),
    ),
    Field("latitude", ("latitude", "lat", "y", "gps_latitude"), ("#geo+lat",)),
    Field(
        "precision",
        (
            "geo_precision",
            "Geo Precision",
            "Précision géographique",
            "Location precision",
            "Précision de la localisation",
        ),
        ("#geo+precision",),
    ),
    Field("longitude", ("longitude", "lon", "long", "lng", "x", "gps_longitude"), ("#geo+lon",)),
)
