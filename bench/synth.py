"""Synthetic incident sets of any size, made canonical the way real imports are.

Why synthetic: the benchmark needs 10k to 1M incidents with a realistic shape (most violence
in the centre and north, a rising trend over 2018-2019, the cluster's categories), and real
files of that size cannot be shipped. Points are drawn from hotspots (Mopti, Ségou, Tombouctou,
Gao, Ménaka, Kidal, Bamako) over a thin countrywide background, kept only inside Mali, then
resolved by :class:`geo.resolve.PlaceResolver` on the boundary set in use, so rows carry the
same canonical codes (``adm1_pcode``/``adm2_pcode``/``adm3_pcode``) a real import would.
The other four streams come from the demonstration data: they are small in real life too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from data.schemas import SCHEMAS, conform
from data.vocab import INCIDENT_CATEGORIES
from geo.boundaries import BoundarySet
from geo.gazetteer import load_gazetteer
from geo.points import locate
from geo.resolve import PlaceResolver

# (longitude, latitude, spread in degrees, share of incidents)
HOTSPOTS: tuple[tuple[float, float, float, float], ...] = (
    (-4.2, 14.5, 0.6, 0.20),  # Mopti, Djenné, Ténenkou
    (-3.0, 14.2, 0.5, 0.15),  # Bandiagara, Bankass, Koro
    (-5.6, 14.0, 0.6, 0.10),  # Ségou, Macina, Niono
    (-3.0, 16.8, 0.8, 0.10),  # Tombouctou, Goundam
    (-1.5, 16.0, 0.7, 0.05),  # Gourma-Rharous
    (0.0, 16.3, 0.6, 0.10),  # Gao, Ansongo
    (2.4, 15.9, 0.6, 0.08),  # Ménaka
    (1.4, 18.5, 0.8, 0.05),  # Kidal
    (-8.0, 12.65, 0.1, 0.04),  # Bamako
    (-7.0, 11.5, 1.0, 0.03),  # Sikasso, Koutiala
    (-10.5, 14.0, 1.0, 0.02),  # Kayes
)
BACKGROUND = 0.08  # uniform over the bounding box (what falls outside Mali is redrawn)
MALI_BOX = (-12.24, 10.14, 4.25, 25.0)
FAMILY_SHARE = {"conflict": 0.5, "monitoring": 0.35, "mrm": 0.1, "explosive": 0.05}
FIRST_DAY, LAST_DAY = pd.Timestamp("2018-01-01"), pd.Timestamp("2019-12-31")


def _candidates(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    shares = np.array([h[3] for h in HOTSPOTS] + [BACKGROUND])
    which = rng.choice(len(shares), size=count, p=shares / shares.sum())
    lon = np.empty(count)
    lat = np.empty(count)
    for index, (x, y, spread, _) in enumerate(HOTSPOTS):
        mask = which == index
        n = int(mask.sum())
        lon[mask] = rng.normal(x, spread, n)
        lat[mask] = rng.normal(y, spread * 0.7, n)
    mask = which == len(HOTSPOTS)
    lon[mask] = rng.uniform(MALI_BOX[0], MALI_BOX[2], int(mask.sum()))
    lat[mask] = rng.uniform(MALI_BOX[1], MALI_BOX[3], int(mask.sum()))
    return lon, lat


def mali_points(
    count: int, boundaries: BoundarySet, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points inside the set's régions, concentrated where incidents happen."""
    rng = np.random.default_rng(seed)
    regions = boundaries.level(1).geometry.values
    lons, lats, have = [], [], 0
    while have < count:
        lon, lat = _candidates(rng, int((count - have) * 1.25) + 16)
        inside = locate(lon, lat, regions) >= 0
        lons.append(lon[inside])
        lats.append(lat[inside])
        have += int(inside.sum())
    return np.concatenate(lons)[:count], np.concatenate(lats)[:count]


def _categories(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    codes = [c.code for c in INCIDENT_CATEGORIES]
    per_family = pd.Series([c.family for c in INCIDENT_CATEGORIES]).value_counts()
    weights = np.array(
        [FAMILY_SHARE.get(c.family, 0.05) / per_family[c.family] for c in INCIDENT_CATEGORIES]
    )
    chosen = rng.choice(len(codes), size=count, p=weights / weights.sum())
    sensitive = np.array([c.sensitive for c in INCIDENT_CATEGORIES])[chosen]
    return np.asarray(codes, dtype=object)[chosen], sensitive


def _dates(rng: np.random.Generator, count: int) -> pd.DatetimeIndex:
    """Days of 2018-2019, about 60 % more incidents at the end than at the start."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    weights = 1.0 + 0.6 * np.arange(days) / (days - 1)
    offsets = rng.choice(days, size=count, p=weights / weights.sum())
    return FIRST_DAY + pd.to_timedelta(offsets, unit="D")


def raw_incidents(count: int, boundaries: BoundarySet, seed: int = 0) -> pd.DataFrame:
    """Incident rows as a source file would give them: date, category, counts, coordinates."""
    rng = np.random.default_rng(seed + 1)
    lon, lat = mali_points(count, boundaries, seed)
    category, sensitive = _categories(rng, count)
    victims = 1 + rng.poisson(0.6, count)
    return pd.DataFrame(
        {
            "date": _dates(rng, count),
            "category": category,
            "sub_type": "",
            "events": 1,
            "victims": victims,
            "fatalities": rng.binomial(victims, 0.3),
            "sensitive": sensitive,
            "source": "bench",
            "latitude": lat,
            "longitude": lon,
        }
    )


@dataclass
class Canonical:
    """A canonical incident table and what resolving its points cost."""

    incidents: pd.DataFrame
    resolve_s: float

    @property
    def rows_per_s(self) -> float:
        return len(self.incidents) / self.resolve_s if self.resolve_s else float("nan")


_RESOLVERS: dict[int, tuple[BoundarySet, PlaceResolver]] = {}


def resolver_for(boundaries: BoundarySet) -> PlaceResolver:
    """One resolver per boundary set (building one indexes the gazetteer's names)."""
    hit = _RESOLVERS.get(id(boundaries))
    if hit is None or hit[0] is not boundaries:
        hit = (boundaries, PlaceResolver(load_gazetteer(), boundaries))
        _RESOLVERS[id(boundaries)] = hit
    return hit[1]


def canonical_incidents(count: int, boundaries: BoundarySet, seed: int = 0) -> Canonical:
    """Synthetic incidents resolved by point on ``boundaries`` and conformed to the schema."""
    raw = raw_incidents(count, boundaries, seed)
    resolver = resolver_for(boundaries)
    start = time.perf_counter()
    rows = resolver.resolve(raw[["latitude", "longitude"]]).rows
    resolve_s = time.perf_counter() - start
    frame = pd.concat([raw, rows], axis=1)
    frame["source_row"] = np.arange(1, count + 1)
    return Canonical(conform(frame, SCHEMAS["incidents"]), resolve_s)


@lru_cache(maxsize=1)
def _demo() -> dict[str, pd.DataFrame]:
    from data.demo import generate_demo

    return generate_demo()


def tables_with(incidents: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The five streams: these incidents plus the demonstration's other (small) streams."""
    demo = _demo()
    return {**{k: v for k, v in demo.items() if k != "incidents"}, "incidents": incidents}
