"""The vendored COD-PS 2018 population, as a canonical population table.

These are real published figures (DNP projection, tabulated in ``data/default/
mali_cercles_pcodes.csv``), not demo data: the demo uses them, and so does real data that comes
without a population stream, so per-capita rates always have a denominator. Ménaka's 2018
population is known only for the whole (2015) cercle, so it is one région-level row.
"""

from __future__ import annotations

import pandas as pd

from data.schemas import SCHEMAS, conform
from geo.gazetteer import MENAKA_CERCLES, MENAKA_REGION, load_gazetteer

SOURCE_NOTE = "COD-PS 2018 (DNP), intégré / vendored"


def codps_2018() -> pd.DataFrame:
    """One row per 2021 cercle (Ménaka as its région), year 2018, in the canonical schema."""
    gaz = load_gazetteer()
    rows = [
        (c.parent, c.pcode, gaz.population[c.pcode])
        for c in gaz.cercles()
        if c.pcode not in MENAKA_CERCLES
    ]
    rows.append((MENAKA_REGION, "", gaz.population[MENAKA_REGION]))
    frame = pd.DataFrame(rows, columns=["adm1_pcode", "adm2_pcode", "population"])
    frame = frame.sort_values(["adm1_pcode", "adm2_pcode"], ignore_index=True)
    frame["year"] = 2018
    frame["source_row"] = range(1, len(frame) + 1)
    frame["match_method"] = "pcode"
    frame["match_note"] = SOURCE_NOTE
    return conform(frame, SCHEMAS["population"])
