"""Small hand-built canonical tables shared by test_cubes and test_queries.

Expected aggregates in those tests are computed by hand from the rows below (see comments).
Ménaka appears three ways: cercle ML1003, cercle ML1001 and the whole région (ML10, no cercle).
"""

from __future__ import annotations

import pandas as pd

from data.schemas import SCHEMAS, conform


def _frame(stream: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["source_row"] = range(1, len(frame) + 1)
    frame["match_method"] = "pcode"
    return conform(frame, SCHEMAS[stream])


def tables() -> dict[str, pd.DataFrame]:
    t = pd.Timestamp
    incidents = _frame(
        "incidents",
        [
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0501",
                date=t("2019-01-15"),
                category="pm_life",
                events=1,
                victims=2,
                fatalities=1,
            ),
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0501",
                date=t("2019-01-20"),
                category="pm_gbv",
                events=1,
                victims=1,
                sensitive=True,
            ),
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0502",
                date=t("2019-02-03"),
                category="pm_life",
                events=1,
                victims=3,
                fatalities=0,
            ),
            dict(
                adm1_pcode="ML10",
                adm2_pcode="ML1003",
                date=t("2019-01-10"),
                category="pm_property",
                events=1,
            ),
            dict(
                adm1_pcode="ML10",
                adm2_pcode="",
                date=t("2019-02-11"),
                category="pm_property",
                events=2,
            ),
            dict(
                adm1_pcode="ML05", adm2_pcode="", date=t("2019-01-05"), category="pm_life", events=4
            ),
            dict(adm1_pcode="", adm2_pcode="", date=t("2019-01-07"), category="pm_life", events=1),
            dict(
                adm1_pcode="ML07",
                adm2_pcode="ML0701",
                date=t("2018-12-31"),
                category="explosive_ordnance",
                events=1,
                victims=3,
                fatalities=2,
            ),
            dict(
                adm1_pcode="ML07",
                adm2_pcode="ML0703",
                date=t("2019-03-01"),
                category="conflict_violence_civilians",
                events=1,
                sensitive=True,
            ),
        ],
    )
    displacement = _frame(
        "displacement",
        [
            dict(adm1_pcode="ML05", adm2_pcode="ML0501", date=t("2019-08-31"), idps=100),
            dict(
                adm1_pcode="ML05", adm2_pcode="ML0501", date=t("2019-09-30"), idps=150, returnees=7
            ),
            dict(adm1_pcode="ML05", adm2_pcode="ML0502", date=t("2019-08-31"), idps=40),
            dict(adm1_pcode="ML10", adm2_pcode="ML1003", date=t("2019-09-30"), idps=30),
            dict(adm1_pcode="ML10", adm2_pcode="", date=t("2019-09-30"), idps=5),
            dict(adm1_pcode="ML10", adm2_pcode="ML1001", date=t("2019-07-31"), idps=20),
            dict(adm1_pcode="ML07", adm2_pcode="ML0701", date=t("2019-10-31"), idps=999),
        ],
    )
    services = _frame(
        "services",
        [
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0501",
                org_name="Org A",
                sector="PRO",
                status="ongoing",
            ),
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0502",
                org_name="Org A",
                sector="PRO",
                status="ongoing",
            ),
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0501",
                org_name="Org B",
                sector="PRO",
                status="ongoing",
            ),
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0501",
                org_name="Org B",
                sector="PRO-GBV",
                status="ongoing",
            ),
            dict(
                adm1_pcode="ML10",
                adm2_pcode="ML1003",
                org_name="Org C",
                sector="PRO",
                status="ongoing",
            ),
            dict(
                adm1_pcode="ML10",
                adm2_pcode="ML1001",
                org_name="Org C",
                sector="PRO",
                status="ongoing",
            ),
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0502",
                org_name="Org D",
                sector="PRO-CPN",
                status="completed",
            ),
            dict(adm1_pcode="ML05", adm2_pcode="ML0501", org_name="Org E", sector="PRO", status=""),
        ],
    )
    access = _frame(
        "access",
        [
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0501",
                date=t("2018-03-02"),
                constraint_type="violence_humanitarians",
                events=1,
                severity=4.0,
            ),
            dict(
                adm1_pcode="ML05",
                adm2_pcode="ML0501",
                date=t("2018-03-20"),
                constraint_type="violence_humanitarians",
                events=1,
                severity=2.0,
            ),
            dict(
                adm1_pcode="ML10",
                adm2_pcode="ML1002",
                date=t("2018-05-01"),
                constraint_type="movement_restriction",
                events=3,
            ),
        ],
    )
    population = _frame(
        "population",
        [
            dict(adm1_pcode="ML05", adm2_pcode="ML0501", population=100_000, year=2018),
            dict(adm1_pcode="ML05", adm2_pcode="ML0502", population=50_000, year=2018),
            dict(adm1_pcode="ML10", adm2_pcode="", population=20_000, year=2018),
        ],
    )
    return {
        "incidents": incidents,
        "displacement": displacement,
        "services": services,
        "access": access,
        "population": population,
    }
