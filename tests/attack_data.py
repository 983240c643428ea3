"""A seeded dataset with many small sensitive cells, and its twin that differs only inside them.

The demo's other streams (displacement, services, access, population) and its non-sensitive
incidents are kept; the sensitive incidents are replaced by 1-4 (sometimes 0 or 6) GBV and
child killing/maiming events per cercle and month of 2019 — the cells an attacker wants.
The **twin** moves every sensitive event to another cercle of the same région and another
month of the same calendar quarter: every protected cell (région x quarter x category x
measure) keeps its exact total, while almost every finer cell changes. A public view that
reveals nothing below the protected grain must answer both datasets identically.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demo import generate_demo
from data.schemas import SCHEMAS, conform
from geo.gazetteer import load_gazetteer

SENSITIVE = ("pm_gbv", "mrm_killing_maiming")
PLAIN = ("pm_life", "pm_liberty", "pm_integrity", "pm_property")
MONTHS = [f"2019-{m:02d}" for m in range(1, 13)]
KEY = b"attack-test secret, the same for every app of the test"


def _sensitive_rows(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for cercle in load_gazetteer().cercles():
        for month in MONTHS:
            for category in SENSITIVE:
                count = int(rng.choice([0, 0, 1, 1, 2, 3, 4, 6]))
                for i in range(count):
                    rows.append(
                        {
                            "adm1_pcode": cercle.parent,
                            "adm2_pcode": cercle.pcode,
                            "date": pd.Timestamp(f"{month}-{i + 1:02d}"),
                            "category": category,
                            "events": 1,
                            "fatalities": int(rng.integers(0, 2))
                            if category.startswith("mrm")
                            else 0,
                            "sensitive": True,
                        }
                    )
    return pd.DataFrame(rows)


def _shuffle_within_cells(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Each event to a random cercle of its région and a random month of its quarter."""
    rng = np.random.default_rng(seed)
    by_region: dict[str, list[str]] = {}
    for cercle in load_gazetteer().cercles():
        by_region.setdefault(cercle.parent, []).append(cercle.pcode)
    out = frame.copy()
    cercles, dates = [], []
    for adm1, date in zip(frame["adm1_pcode"], frame["date"], strict=True):
        cercles.append(str(rng.choice(by_region[adm1])))
        first = (date.month - 1) // 3 * 3 + 1
        month = first + int(rng.integers(0, 3))
        dates.append(pd.Timestamp(year=date.year, month=month, day=int(rng.integers(1, 28))))
    out["adm2_pcode"] = cercles
    out["date"] = dates
    return out


def attack_tables(twin: bool = False, seed: int = 11) -> dict[str, pd.DataFrame]:
    """The demo streams with the seeded small sensitive cells (or their shuffled twin)."""
    tables = generate_demo(2019)
    incidents = tables["incidents"]
    plain = incidents[~incidents["category"].isin(set(SENSITIVE) | {"pm_gbv"})]
    plain = plain[~plain["sensitive"].fillna(False).astype(bool)]
    sensitive = _sensitive_rows(seed)
    if twin:
        sensitive = _shuffle_within_cells(sensitive, seed + 1)
    sensitive["match_method"] = "pcode"
    combined = pd.concat([plain, conform(sensitive, SCHEMAS["incidents"])], ignore_index=True)
    combined["source_row"] = range(1, len(combined) + 1)
    return {**tables, "incidents": conform(combined, SCHEMAS["incidents"])}
