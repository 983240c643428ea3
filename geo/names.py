"""Normalising place names and p-codes as they are written in real files.

Field files spell the same place many ways ("Ségou", "SEGOU ", "Ségou Region", "Cercle de
Bourem", "Timbuktu") and write p-codes with ISO3 prefixes, dashes and padding ("MLI0501",
"ML-05", " ml0501 "). Everything that compares names or codes goes through these functions.
"""

from __future__ import annotations

import re
import unicodedata

# Administrative words that frame a name but are not part of it, in French and English.
_FRAME_WORDS = (
    "cercle de",
    "cercle d",
    "cercle",
    "region de",
    "region d",
    "region of",
    "region",
    "district de",
    "district d",
    "district of",
    "district",
    "commune urbaine de",
    "commune rurale de",
    "commune de",
    "commune d",
    "commune",
    "province",
    "prefecture de",
    "prefecture",
    "city of",
    "ville de",
    "ville d",
)
_FRAME_PREFIX = re.compile(r"^(?:" + "|".join(re.escape(w) for w in _FRAME_WORDS) + r")\s+")
_FRAME_SUFFIX = re.compile(r"\s+(?:region|cercle|district|commune|province|prefecture)$")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

# English spellings, old transliterations and frequent typos of Mali's régions and cercles,
# keyed by their normalised form, valued by the normalised canonical French name.
ALIASES: dict[str, str] = {
    "timbuktu": "tombouctou",
    "timbouctou": "tombouctou",
    "tomboctou": "tombouctou",
    "tombuctu": "tombouctou",
    "tombouktou": "tombouctou",
    "koulikouro": "koulikoro",
    "koulikorou": "koulikoro",
    "segu": "segou",
    "menaka": "menaka",
    "djenne": "djenne",
    "jenne": "djenne",
    "dienne": "djenne",
    "youvarou": "youwarou",
    "niafounke": "niafunke",
    "niafunke": "niafunke",
    "rharous": "gourma rharous",
    "gourma rarhous": "gourma rharous",
    "gourma rarous": "gourma rharous",
    "goundam": "goundam",
    "tinessako": "tin essako",
    "tin essakou": "tin essako",
    "abeybara": "abeibara",
    "abeibara": "abeibara",
    "anderamboukane": "anderamboukane",
    "anderanboukane": "anderamboukane",
    "tidermen": "tidermene",
    "tidarmene": "tidermene",
    "inekar": "inekar",
    "nioro du sahel": "nioro",
    "ke macina": "macina",
    "kemacina": "macina",
    "bankas": "bankass",
    "barouelli": "baroueli",
    "kolondiebe": "kolondieba",
    "yelimani": "yelimane",
    "keniebe": "kenieba",
    "dioila": "dioila",
    "tessalit": "tessalit",
    "bamako district": "bamako",
    "bamako capital district": "bamako",
    "bko": "bamako",
}


def fold(text: str) -> str:
    """Lower-case; drop accents, punctuation and extra spaces ("Ségou-Région" -> "segou region")."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_only.lower()).strip()


def normalise_name(value: object) -> str:
    """The comparison key of a place name: folded, frame words removed, aliases applied.

    Returns "" for missing values so callers can test truthiness.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    key = fold(str(value))
    if not key:
        return ""
    stripped = _FRAME_SUFFIX.sub("", _FRAME_PREFIX.sub("", key)).strip()
    key = stripped or key
    return ALIASES.get(key, key)


_PCODE = re.compile(r"^(MLI|ML)(\d+)$")


def normalise_pcode(value: object) -> str:
    """Canonical spelling of a Mali p-code: "MLI0501", " ml-05-01 " -> "ML0501"; "" if not one.

    Digits are kept as written: numbering differences between vintages are resolved elsewhere,
    never by reshaping a code here.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    compact = re.sub(r"[\s\-_./]", "", str(value)).upper()
    match = _PCODE.match(compact)
    if not match:
        return ""
    digits = match.group(2)
    if len(digits) % 2:  # an odd digit count is never a Mali p-code
        return ""
    return "ML" + digits


def pcode_level(pcode: str) -> int:
    """Administrative level of a normalised p-code: ML05 -> 1, ML0501 -> 2, ML050101 -> 3."""
    return (len(pcode) - 2) // 2 if pcode else 0
