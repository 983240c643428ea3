"""What a point's declared precision lets it say about a place.

Sources attach a precision to their coordinates: ACLED's ``geo_precision`` 1-3 and Insecurity
Insight's ``Geo Precision`` "(1) …" to "(6) Country". A point that stands for a whole région
or the country sits at some centroid or capital, and a point-in-polygon test would put it in
whatever cercle holds that centroid; so the precision caps how far down a row may be placed,
by its point and by its names (a publisher fills the names of a coarse point from the point).
"""

from __future__ import annotations

import re

EXACT = "exact"  # a named town or GPS point
NEAR = "25km"  # within about 25 km
COMMUNE = "commune"  # the centroid of a commune / district-like unit
REGION = "region"  # a province-level unit or a linear feature (a road)
COUNTRY = "country"
UNKNOWN = ""  # not declared: coordinates are taken as precise

# Deepest level a row may be placed at: by its point, and by its names.
POINT_LEVEL = {UNKNOWN: 3, EXACT: 3, NEAR: 2, COMMUNE: 2, REGION: 1, COUNTRY: 0}
NAME_LEVEL = {UNKNOWN: 3, EXACT: 3, NEAR: 3, COMMUNE: 3, REGION: 1, COUNTRY: 1}
# How far the true place may lie from the point, in km (cercle-level points are flagged
# approximate when a boundary is nearer than this).
RADIUS_KM = {UNKNOWN: 0.0, EXACT: 0.0, NEAR: 25.0, COMMUNE: 15.0, REGION: 0.0, COUNTRY: 0.0}

SIND = {"1": EXACT, "2": NEAR, "3": COMMUNE, "4": REGION, "5": REGION, "6": COUNTRY}
ACLED = {"1": EXACT, "2": NEAR, "3": REGION}
WORDS = (
    (r"\b(country|pays|national)\b", COUNTRY),
    (r"\b(province|state|governorate|region|linear|road|route)\b", REGION),
    (r"\b(district|municipality|communicipality|commune)\b", COMMUNE),
    (r"\b25 ?km\b", NEAR),
    (r"\b(exact|gps|town|village|ville|localite)\b", EXACT),
)


def precision_code(value: object) -> str:
    """SiND "(6) Country", ACLED 1/2/3 or a word -> one of the constants ("" if unknown)."""
    if value is None or (isinstance(value, float) and value != value):
        return UNKNOWN
    text = str(value).strip().lower()
    if m := re.match(r"^\((\d)\)", text):  # SiND numbers its levels in brackets
        return SIND.get(m[1], UNKNOWN)
    if m := re.fullmatch(r"(\d)(\.0+)?", text):  # ACLED's plain 1-3
        return ACLED.get(m[1], UNKNOWN)
    for pattern, code in WORDS:
        if re.search(pattern, text):
            return code
    return UNKNOWN
