"""Which p-code vintage a file (or boundary set) is written in, from its codes and names.

The same code means different cercles in different vintages (``ML0101`` is Kayes in the 2015
COD-AB, Bafoulabé in 2021), so a code is only meaningful once the file's vintage is known. The
evidence is every (code, name) pair the file holds: a vintage scores one point per pair whose
name is the name that vintage gives the code. Codes that exist in one vintage only (``ML10xx``
in 2021; ``ML0704`` before) break ties. With no names at all, 2021 is assumed and said so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from geo.gazetteer import CANONICAL_VINTAGE, VINTAGES, Gazetteer
from geo.names import normalise_name, normalise_pcode, pcode_level


@dataclass(frozen=True)
class VintageGuess:
    """The detected vintage, the score of each, and a sentence a user can read."""

    vintage: str
    scores: dict[str, int]
    explanation: str


def _cercle_code(code: str) -> str:
    return code[:6] if pcode_level(code) >= 2 else ""


def detect_vintage(pairs: Iterable[tuple[object, object]], gaz: Gazetteer) -> VintageGuess:
    """Score each vintage on (code, name) pairs of cercles (communes count via their cercle)."""
    scores = dict.fromkeys(VINTAGES, 0)
    only_in = dict.fromkeys(VINTAGES, 0)
    seen_pairs: set[tuple[str, str]] = set()
    for raw_code, raw_name in pairs:
        code = _cercle_code(normalise_pcode(raw_code))
        if not code:
            continue
        name = normalise_name(raw_name) if pcode_level(normalise_pcode(raw_code)) == 2 else ""
        if (code, name) in seen_pairs:
            continue
        seen_pairs.add((code, name))
        known_in = [v for v in VINTAGES if code in gaz.vintage_codes[v]]
        if 0 < len(known_in) < len(VINTAGES):
            for vintage in known_in:
                only_in[vintage] += 1
        if name:
            for vintage in known_in:
                if normalise_name(gaz.vintage_names[vintage].get(code, "")) == name:
                    scores[vintage] += 1

    total = {v: scores[v] * 1000 + only_in[v] for v in VINTAGES}
    best = max(VINTAGES, key=lambda v: (total[v], v == CANONICAL_VINTAGE))
    if total[best] == 0:
        return VintageGuess(
            CANONICAL_VINTAGE,
            scores,
            "no cercle code with a name to compare: the 2021 COD numbering is assumed",
        )
    if scores[best]:
        explanation = f"{scores[best]} cercle code/name pairs agree with the {best} numbering"
    else:
        explanation = f"codes that exist only in the {best} numbering are present"
    return VintageGuess(best, scores, explanation)
