"""Deterministic demonstration data for the five streams, calibrated to the 2019 strategy.

Why it exists: the dashboard must open with something believable before any real file is
imported, and the aggregation path (cubes, queries, the publishing gate) needs a dataset whose
totals are known independently of the code. Every row is **fictitious** (``source == "demo"``,
:data:`DEMO_LABEL` must be shown wherever it is displayed); only the published totals are real.

Calibration (exact, checked by ``tests/test_demo.py`` through ``analysis.queries``):

* displacement at the reporting date 2019-09-30: IDPs per région as published (Mopti 61,083;
  Gao 53,380; Ségou 24,291; Tombouctou 22,641; Ménaka 16,430 spread over ML1001-ML1004; the
  other régions 9,314), national 187,139 IDPs, 561,606 returnees, 74,205 repatriated. A fixed
  total is split over cercles with a multinomial draw (exact sum); other month-end reporting
  dates scale each cercle's 2019-09-30 value by a smooth régional trend with noise.
* protection monitoring 1 Jan - 30 Jun 2019 (1,058 by category), MRM Jan - Jul 2019 (429 by
  violation), explosive ordnance 2018 (201) and Jan - Jul 2019 (138), access constraints 2018
  (80, of which 58 violence against humanitarians: 58/80 = 72.5 %, published rounded half-up
  as 73 %). A calibrated total is split over the months of its window by a multinomial draw;
  months outside calibrated windows get Poisson volumes at the same rate, scaled by the trend.
  Each event is one row (``events == 1``) placed in a cercle drawn from conflict-weighted
  probabilities (centre and north).
* The published explosive-ordnance figures for 2016 (129) and 2017 (123) fall outside the demo
  period (2018-01 to 2019-12) and are not reproduced.

Everything derives from one ``numpy.random.Generator(PCG64(seed))``, drawn in a fixed order, so
two calls with the same seed return identical frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.population import codps_2018
from data.schemas import SCHEMAS, conform
from data.vocab import CATEGORY_BY_CODE
from geo.gazetteer import MENAKA_CERCLES, MENAKA_REGION, load_gazetteer

DEMO_LABEL = (
    "Données de démonstration fictives, calibrées sur les chiffres publiés de la stratégie "
    "du Cluster Protection Mali 2020-2022 — ne pas citer"
)
DEMO_SOURCE = "demo"
PERIOD_START = pd.Timestamp("2018-01-01")
PERIOD_END = pd.Timestamp("2019-12-31")
MONTHS = pd.date_range(PERIOD_START, PERIOD_END, freq="MS")
REPORTING_DATE = pd.Timestamp("2019-09-30")

# ---- published figures (DOMAIN.md, "Figures published in the strategy") -------------------
IDPS_BY_REGION = {"ML05": 61_083, "ML07": 53_380, "ML04": 24_291, "ML06": 22_641, "ML10": 16_430}
IDPS_OTHER_REGIONS = 9_314
NATIONAL_AT_REPORTING_DATE = {"idps": 187_139, "returnees": 561_606, "repatriated": 74_205}
PM_H1_2019 = {
    "pm_life": 285,
    "pm_liberty": 67,
    "pm_integrity": 283,
    "pm_property": 379,
    "pm_gbv": 44,
}
MRM_JAN_JUL_2019 = {
    "mrm_recruitment": 99,
    "mrm_killing_maiming": 225,
    "mrm_sexual_violence": 3,
    "mrm_abduction": 8,
    "mrm_attacks_schools_hospitals": 17,
    "mrm_denial_access": 77,
}
EO_2018, EO_JAN_JUL_2019 = 201, 138
ACCESS_2018 = {
    "violence_humanitarians": 58,
    "movement_restriction": 7,
    "hostilities": 5,
    "interference": 4,
    "explosive_devices": 4,
    "restriction_services": 2,
}

# ---- geography of need (demo assumptions, not data) -----------------------------------------
# Share of conflict-related events per région: the centre (Mopti, Ségou) and the north.
CONFLICT_REGION_WEIGHT = {
    "ML05": 0.43,
    "ML06": 0.14,
    "ML07": 0.13,
    "ML04": 0.12,
    "ML10": 0.07,
    "ML08": 0.05,
    "ML02": 0.02,
    "ML09": 0.02,
    "ML01": 0.01,
    "ML03": 0.01,
}
EO_REGION_WEIGHT = {
    "ML05": 0.35,
    "ML07": 0.15,
    "ML06": 0.15,
    "ML08": 0.12,
    "ML10": 0.10,
    "ML04": 0.10,
    "ML02": 0.01,
    "ML09": 0.01,
    "ML01": 0.005,
    "ML03": 0.005,
}
ACCESS_REGION_WEIGHT = {
    "ML05": 0.30,
    "ML07": 0.20,
    "ML06": 0.20,
    "ML10": 0.12,
    "ML08": 0.10,
    "ML04": 0.08,
}
# Hot spots within a région (multiplies sqrt(population)).
HOTSPOT = {
    "ML0501": 2.0,
    "ML0502": 2.0,
    "ML0505": 2.5,
    "ML0504": 2.0,
    "ML0503": 1.2,
    "ML0507": 1.2,
    "ML0403": 2.5,
    "ML0404": 2.5,
    "ML0405": 0.7,
    "ML0407": 0.7,
    "ML0402": 0.5,
    "ML0401": 0.5,
    "ML0604": 1.5,
    "ML0602": 1.5,
    "ML0603": 1.5,
    "ML0605": 1.2,
    "ML0601": 0.8,
    "ML0701": 1.5,
    "ML0703": 1.2,
    "ML0802": 2.0,
    "ML1001": 2.0,
    "ML1002": 1.5,
    "ML0207": 2.0,
    "ML0204": 1.0,
}
# Ménaka's 2018 population is known only for the whole région; demo split over its cercles.
MENAKA_SPLIT = {"ML1001": 0.55, "ML1002": 0.20, "ML1003": 0.15, "ML1004": 0.10}
RETURNEES_REGION_WEIGHT = {
    "ML06": 0.30,
    "ML07": 0.22,
    "ML05": 0.20,
    "ML04": 0.10,
    "ML08": 0.06,
    "ML10": 0.05,
    "ML09": 0.03,
    "ML02": 0.02,
    "ML01": 0.01,
    "ML03": 0.01,
}
REPATRIATED_REGION_WEIGHT = {
    "ML06": 0.45,
    "ML07": 0.25,
    "ML10": 0.12,
    "ML08": 0.10,
    "ML05": 0.05,
    "ML09": 0.02,
    "ML04": 0.01,
}
OTHER_IDPS_REGION_WEIGHT = {"ML09": 0.40, "ML08": 0.35, "ML02": 0.15, "ML01": 0.05, "ML03": 0.05}
# IDP level in January 2018 relative to 2019-09-30 (the centre's crisis grew fastest).
IDP_START_FACTOR = {"ML05": 0.35, "ML04": 0.40, "ML10": 0.60, "ML07": 0.80, "ML06": 0.90}

# Conflict-data categories without a published figure: mean events per month in 2018.
CONFLICT_MONTHLY = {
    "conflict_battles": 18.0,
    "conflict_violence_civilians": 22.0,
    "conflict_explosions": 8.0,
    "conflict_sexual_violence": 1.0,
    "conflict_demonstrations": 4.0,
    "conflict_strategic": 5.0,
}


def _cercles() -> pd.DataFrame:
    """Every canonical 2021 cercle with its région and a demo weight basis (sqrt population)."""
    gaz = load_gazetteer()
    rows = []
    for place in gaz.cercles():
        if place.pcode in MENAKA_CERCLES:
            pop = gaz.population[MENAKA_REGION] * MENAKA_SPLIT[place.pcode]
        else:
            pop = gaz.population[place.pcode]
        rows.append((place.parent, place.pcode, np.sqrt(pop) * HOTSPOT.get(place.pcode, 1.0)))
    return pd.DataFrame(rows, columns=["adm1", "adm2", "basis"]).sort_values(
        "adm2", ignore_index=True
    )


def _weights(
    cercles: pd.DataFrame, region_weight: dict[str, float], floor: float = 0.0
) -> np.ndarray:
    """Probability per cercle: région share split within the région by the cercle basis."""
    within = cercles["basis"] / cercles.groupby("adm1")["basis"].transform("sum")
    w = cercles["adm1"].map(region_weight).fillna(0.0).to_numpy() * within.to_numpy() + floor
    return w / w.sum()


def _trend() -> np.ndarray:
    """Relative monthly intensity, rising about 60 % over two years (the crisis in the centre)."""
    i = np.arange(len(MONTHS))
    return 1.0 + 0.6 * i / (len(MONTHS) - 1) + 0.15 * np.sin(2 * np.pi * (i - 3) / 12)


def _monthly_counts(
    rng: np.random.Generator, windows: list[tuple[str, str, int]], trend: np.ndarray
) -> np.ndarray:
    """Events per month: exact totals inside calibrated windows, Poisson elsewhere.

    ``windows`` are (first month, last month, total). Outside them the monthly mean is the
    rate of the nearest window in time, scaled by the trend.
    """
    counts = np.full(len(MONTHS), -1, dtype=np.int64)
    rates = []
    for first, last, total in windows:
        mask = (pd.Timestamp(first) <= MONTHS) & (pd.Timestamp(last) >= MONTHS)
        p = trend[mask] / trend[mask].sum()
        counts[mask] = rng.multinomial(total, p)
        rates.append((np.flatnonzero(mask).mean(), total / trend[mask].sum()))
    free = np.flatnonzero(counts < 0)
    for i in free:
        rate = min(rates, key=lambda r: abs(r[0] - i))[1]
        counts[i] = rng.poisson(rate * trend[i])
    return counts


def _victims(rng: np.random.Generator, category: str, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Plausible victims and fatalities per event (float arrays, NaN when not reported)."""
    ones = np.ones(n)
    if category in (
        "mrm_attacks_schools_hospitals",
        "mrm_denial_access",
        "conflict_battles",
        "conflict_explosions",
        "conflict_strategic",
        "conflict_demonstrations",
    ):
        victims = np.full(n, np.nan)
        mean_dead = {
            "conflict_battles": 3.0,
            "conflict_explosions": 1.0,
            "conflict_demonstrations": 0.05,
        }.get(category, 0.0)
        return victims, rng.poisson(mean_dead, n).astype(float)
    extra = {
        "pm_life": 0.8,
        "pm_liberty": 0.5,
        "pm_integrity": 0.6,
        "pm_property": 1.5,
        "mrm_killing_maiming": 0.3,
        "conflict_violence_civilians": 1.0,
    }.get(category, 0.0)
    victims = ones + rng.poisson(extra, n) if extra else ones.copy()
    if category == "explosive_ordnance":
        victims = rng.poisson(1.5, n).astype(float)
    lethal = {
        "pm_life": 0.7,
        "mrm_killing_maiming": 0.4,
        "explosive_ordnance": 0.35,
        "conflict_violence_civilians": 0.6,
    }.get(category, 0.0)
    fatalities = rng.binomial(victims.astype(np.int64), lethal).astype(float)
    return victims, fatalities


SUB_TYPES = {
    "pm_life": ("exécution sommaire", "meurtre", "menace de mort"),
    "pm_liberty": ("enlèvement", "détention arbitraire", "restriction de mouvement"),
    "pm_integrity": ("coups et blessures", "torture", "traitement dégradant"),
    "pm_property": ("pillage", "vol de bétail", "incendie de biens", "extorsion"),
    "pm_gbv": ("agression", "mariage forcé", "déni de ressources"),
}


def _incidents(rng: np.random.Generator, cercles: pd.DataFrame) -> pd.DataFrame:
    trend = _trend()
    plan: list[tuple[str, list[tuple[str, str, int]], float, dict[str, float]]] = []
    for code, total in PM_H1_2019.items():
        plan.append((code, [("2019-01", "2019-06", total)], 0.0, CONFLICT_REGION_WEIGHT))
    for code, total in MRM_JAN_JUL_2019.items():
        plan.append((code, [("2019-01", "2019-07", total)], 0.0, CONFLICT_REGION_WEIGHT))
    plan.append(
        (
            "explosive_ordnance",
            [("2018-01", "2018-12", EO_2018), ("2019-01", "2019-07", EO_JAN_JUL_2019)],
            0.0,
            EO_REGION_WEIGHT,
        )
    )
    for code, mean in CONFLICT_MONTHLY.items():
        plan.append((code, [], mean, CONFLICT_REGION_WEIGHT))

    parts = []
    for code, windows, mean, region_weight in plan:
        if windows:
            counts = _monthly_counts(rng, windows, trend)
        else:
            counts = rng.poisson(mean * trend / trend[:12].mean())
        n = int(counts.sum())
        month_idx = np.repeat(np.arange(len(MONTHS)), counts)
        day = np.floor(rng.random(n) * MONTHS[month_idx].days_in_month.to_numpy()).astype(int)
        where = rng.choice(len(cercles), size=n, p=_weights(cercles, region_weight, 1e-4))
        victims, fatalities = _victims(rng, code, n)
        choices = SUB_TYPES.get(code, (CATEGORY_BY_CODE[code].fr,))
        parts.append(
            pd.DataFrame(
                {
                    "date": MONTHS[month_idx] + pd.to_timedelta(day, unit="D"),
                    "cercle": where,
                    "category": code,
                    "sub_type": np.asarray(choices, dtype=object)[rng.integers(0, len(choices), n)],
                    "victims": victims,
                    "fatalities": fatalities,
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    # Every cercle appears at least once: a demonstration for cercles no draw reached.
    missing = np.setdiff1d(np.arange(len(cercles)), frame["cercle"].unique())
    if len(missing):
        frame = pd.concat(
            [
                frame,
                pd.DataFrame(
                    {
                        "date": MONTHS[rng.integers(0, len(MONTHS), len(missing))],
                        "cercle": missing,
                        "category": "conflict_demonstrations",
                        "sub_type": CATEGORY_BY_CODE["conflict_demonstrations"].fr,
                        "victims": np.nan,
                        "fatalities": 0.0,
                    }
                ),
            ],
            ignore_index=True,
        )
    frame["events"] = 1
    frame["sensitive"] = frame["category"].map(lambda c: CATEGORY_BY_CODE[c].sensitive)
    return _finish(frame, cercles, "incidents", ["date", "category", "adm2_pcode"])


def _displacement(rng: np.random.Generator, cercles: pd.DataFrame) -> pd.DataFrame:
    n = len(cercles)
    target = {m: np.zeros(n, dtype=np.int64) for m in ("idps", "returnees", "repatriated")}
    for region, total in IDPS_BY_REGION.items():
        target["idps"] += rng.multinomial(total, _weights(cercles, {region: 1.0}))
    target["idps"] += rng.multinomial(
        IDPS_OTHER_REGIONS, _weights(cercles, OTHER_IDPS_REGION_WEIGHT)
    )
    target["returnees"] = rng.multinomial(
        NATIONAL_AT_REPORTING_DATE["returnees"], _weights(cercles, RETURNEES_REGION_WEIGHT)
    )
    target["repatriated"] = rng.multinomial(
        NATIONAL_AT_REPORTING_DATE["repatriated"], _weights(cercles, REPATRIATED_REGION_WEIGHT)
    )

    dates = MONTHS + pd.offsets.MonthEnd(0)
    ref = int(np.flatnonzero(dates == REPORTING_DATE)[0])
    steps = (np.arange(len(dates)) - ref) / ref  # -1 at January 2018, 0 at the reporting date
    start = {
        "idps": cercles["adm1"].map(IDP_START_FACTOR).fillna(0.8).to_numpy(),
        "returnees": np.full(n, 0.85),
        "repatriated": np.full(n, 0.80),
    }
    columns = {}
    for measure, values in target.items():
        factor = 1.0 + np.outer(steps, 1.0 - start[measure])  # dates x cercles, 1 at ref
        noise = np.exp(rng.normal(0.0, 0.03, factor.shape))
        noise[ref] = 1.0
        columns[measure] = np.rint(values[None, :] * factor * noise).astype(np.int64).ravel()
    frame = pd.DataFrame(
        {
            "date": np.repeat(dates, n),
            "cercle": np.tile(np.arange(n), len(dates)),
            **columns,
        }
    )
    return _finish(frame, cercles, "displacement", ["date", "adm2_pcode"])


# Demo organisations: (name, acronym, type, sectors, régions where it works; () = everywhere).
ORGS = (
    ("ONG Sahel Solidarité", "SSOL", "National NGO", ("PRO", "PRO-HLP"), ("ML05", "ML04", "ML06")),
    (
        "Association Fleuve Entraide",
        "AFE",
        "National NGO",
        ("PRO", "PRO-CPN"),
        ("ML06", "ML07", "ML05"),
    ),
    ("Femmes et Paix du Delta", "FPD", "National NGO", ("PRO-GBV",), ("ML05", "ML04")),
    (
        "Enfance Avenir Mali",
        "EAM",
        "National NGO",
        ("PRO-CPN", "PRO-GBV"),
        ("ML05", "ML06", "ML09", "ML02"),
    ),
    ("Action Plateau pour la Protection", "APP", "National NGO", ("PRO", "PRO-CPN"), ("ML05",)),
    ("Adrar Solidarité", "ADS", "National NGO", ("PRO", "PRO-GBV", "PRO-CPN"), ("ML08", "ML10")),
    (
        "Initiative Boucle du Niger",
        "IBN",
        "National NGO",
        ("PRO", "PRO-GBV"),
        ("ML07", "ML10", "ML06"),
    ),
    (
        "Clinique Juridique Droit pour Tous",
        "CJDT",
        "National NGO",
        ("PRO-HLP", "PRO"),
        ("ML09", "ML05", "ML07"),
    ),
    (
        "Alliance Sahélienne pour la Paix",
        "ASP",
        "National NGO",
        ("PRO",),
        ("ML04", "ML02", "ML03", "ML01"),
    ),
    (
        "Protection Sans Frontières Sahel",
        "PSFS",
        "International NGO",
        ("PRO", "PRO-HLP"),
        ("ML05", "ML06", "ML07", "ML10"),
    ),
    (
        "International Child Relief",
        "ICR",
        "International NGO",
        ("PRO-CPN",),
        ("ML05", "ML07", "ML06", "ML04"),
    ),
    (
        "Global Demining Initiative",
        "GDI",
        "International NGO",
        ("PRO-MIN",),
        ("ML05", "ML06", "ML07"),
    ),
    (
        "Humanitarian Clearance Partners",
        "HCP",
        "International NGO",
        ("PRO-MIN",),
        ("ML08", "ML10", "ML04", "ML05"),
    ),
    (
        "Women's Refuge International",
        "WRI",
        "International NGO",
        ("PRO-GBV",),
        ("ML06", "ML07", "ML09"),
    ),
    (
        "Conseil International pour les Déplacés",
        "CID",
        "International NGO",
        ("PRO", "PRO-HLP"),
        ("ML05", "ML06", "ML07", "ML10", "ML04"),
    ),
    ("Agence onusienne de protection (démo)", "AOP", "UN Agency", ("PRO", "PRO-HLP"), ()),
    ("Fonds onusien pour l'enfance (démo)", "FOE", "UN Agency", ("PRO-CPN", "PRO-GBV"), ()),
    (
        "Service onusien d'action antimines (démo)",
        "SOAA",
        "UN Agency",
        ("PRO-MIN",),
        ("ML05", "ML06", "ML07", "ML08", "ML10"),
    ),
    ("Direction régionale du Développement social", "DRDS", "Government", ("PRO",), ()),
    (
        "Direction régionale de la Promotion de la Femme, de l'Enfant et de la Famille",
        "DRPFEF",
        "Government",
        ("PRO-CPN", "PRO-GBV"),
        (),
    ),
)
ACTIVITIES = {
    "PRO": ("monitoring de protection", "assistance juridique", "cohésion sociale"),
    "PRO-CPN": (
        "prise en charge des enfants",
        "espaces amis des enfants",
        "réunification familiale",
    ),
    "PRO-GBV": ("prise en charge psychosociale", "référencement médical", "espaces sûrs"),
    "PRO-MIN": ("éducation aux risques", "dépollution", "assistance aux victimes"),
    "PRO-HLP": ("documentation foncière", "médiation des litiges fonciers"),
}
# Expected partners per cercle and sub-sector where need is highest (scaled down elsewhere).
SECTOR_PARTNERS = {"PRO": 3.5, "PRO-CPN": 2.5, "PRO-GBV": 2.5, "PRO-MIN": 1.5, "PRO-HLP": 1.2}
# High-need cercle x sub-sector left without any partner, so the gap map has something to show.
FORCED_GAPS = {
    ("ML0505", "PRO-GBV"),
    ("ML0502", "PRO-HLP"),
    ("ML0403", "PRO-CPN"),
    ("ML0604", "PRO-MIN"),
    ("ML0504", "PRO-GBV"),
    ("ML0701", "PRO-HLP"),
    ("ML1002", "PRO-GBV"),
    ("ML0404", "PRO-GBV"),
}


def _services(rng: np.random.Generator, cercles: pd.DataFrame) -> pd.DataFrame:
    need = _weights(cercles, CONFLICT_REGION_WEIGHT)
    need = need / need.max()
    # Bamako hosts most organisations' offices: presence there does not follow conflict.
    need[cercles["adm2"].eq("ML0901").to_numpy()] = 0.8
    rows = []
    for i, (adm1, adm2) in enumerate(zip(cercles["adm1"], cercles["adm2"], strict=True)):
        for sector, peak in SECTOR_PARTNERS.items():
            eligible = [o for o in ORGS if sector in o[3] and (not o[4] or adm1 in o[4])]
            if (adm2, sector) in FORCED_GAPS:
                continue
            wanted = rng.poisson(peak * (0.3 + need[i]))
            if sector == "PRO":
                wanted = max(wanted, 1)  # a general protection focal point in every cercle
            if sector == "PRO-MIN" and CONFLICT_REGION_WEIGHT[adm1] < 0.05:
                wanted = 0  # no mine action in the south
            wanted = min(wanted, len(eligible))
            picks = rng.choice(len(eligible), size=wanted, replace=False) if wanted else []
            for j, k in enumerate(picks):
                name, acronym, org_type, _, _ = eligible[k]
                activity = ACTIVITIES[sector][rng.integers(len(ACTIVITIES[sector]))]
                focal = sector == "PRO" and j == 0
                rows.append((adm2, name, acronym, org_type, sector, activity, focal))
    frame = pd.DataFrame(
        rows, columns=["adm2", "org_name", "org_acronym", "org_type", "sector", "activity", "focal"]
    )
    frame["cercle"] = frame["adm2"].map({c: i for i, c in enumerate(cercles["adm2"])})
    n = len(frame)
    # Status first, then dates consistent with it (as seen at the end of 2019).
    draw = rng.random(n)
    status = np.select([draw < 0.12, draw < 0.20], ["completed", "planned"], "ongoing")
    status = np.where(frame["focal"], "ongoing", status)
    start = np.where(status == "planned", rng.integers(24, 27, n), rng.integers(0, 22, n))
    end = np.where(
        status == "completed",
        np.minimum(start + rng.integers(4, 13, n), 23),
        np.maximum(start + rng.integers(6, 25, n), 24),
    )
    frame["status"] = status
    frame["start_date"] = _month_start(start)
    frame["end_date"] = _month_start(end + 1) - pd.Timedelta(days=1)
    return _finish(frame, cercles, "services", ["adm2_pcode", "sector", "org_name"])


def _month_start(index: np.ndarray) -> pd.DatetimeIndex:
    """First day of the month ``index`` months after January 2018."""
    index = np.asarray(index)
    return pd.to_datetime(
        pd.DataFrame({"year": 2018 + index // 12, "month": index % 12 + 1, "day": 1})
    )


def _access(rng: np.random.Generator, cercles: pd.DataFrame) -> pd.DataFrame:
    in_2018 = MONTHS.year == 2018
    parts = []
    for constraint, total in ACCESS_2018.items():
        counts = np.zeros(len(MONTHS), dtype=np.int64)
        counts[in_2018] = rng.multinomial(total, np.full(in_2018.sum(), 1 / in_2018.sum()))
        counts[~in_2018] = rng.poisson(total / 12 * 1.3, (~in_2018).sum())  # 2019 worse
        parts.append((constraint, counts))
    rows = []
    for constraint, counts in parts:
        n = int(counts.sum())
        month_idx = np.repeat(np.arange(len(MONTHS)), counts)
        day = np.floor(rng.random(n) * MONTHS[month_idx].days_in_month.to_numpy()).astype(int)
        low, high = (3, 5) if constraint == "violence_humanitarians" else (1, 4)
        rows.append(
            pd.DataFrame(
                {
                    "date": MONTHS[month_idx] + pd.to_timedelta(day, unit="D"),
                    "cercle": rng.choice(
                        len(cercles), size=n, p=_weights(cercles, ACCESS_REGION_WEIGHT)
                    ),
                    "constraint_type": constraint,
                    "events": 1,
                    "severity": rng.integers(low, high + 1, n).astype(float),
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    return _finish(frame, cercles, "access", ["date", "constraint_type", "adm2_pcode"])


def _finish(
    frame: pd.DataFrame, cercles: pd.DataFrame | None, stream: str, order: list[str]
) -> pd.DataFrame:
    """Attach canonical codes and resolution columns, sort, number rows, conform to schema."""
    if cercles is not None:
        frame["adm1_pcode"] = cercles["adm1"].to_numpy()[frame["cercle"].to_numpy()]
        frame["adm2_pcode"] = cercles["adm2"].to_numpy()[frame["cercle"].to_numpy()]
    frame = frame.sort_values(order, kind="stable", ignore_index=True)
    frame["source_row"] = np.arange(1, len(frame) + 1)
    frame["match_method"] = "pcode"
    frame["match_note"] = "démo : p-code 2021"
    frame["source"] = DEMO_SOURCE
    return conform(frame, SCHEMAS[stream])


def generate_demo(seed: int = 2019) -> dict[str, pd.DataFrame]:
    """The five canonical demo tables (incidents, displacement, services, access, population).

    Deterministic for a given ``seed``; the published totals hold for every seed (only the
    split over cercles, months and the uncalibrated volumes change).
    """
    rng = np.random.Generator(np.random.PCG64(seed))
    cercles = _cercles()
    return {
        "incidents": _incidents(rng, cercles),
        "displacement": _displacement(rng, cercles),
        "services": _services(rng, cercles),
        "access": _access(rng, cercles),
        "population": codps_2018(),
    }
