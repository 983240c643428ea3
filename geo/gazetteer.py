"""The canonical place list (2021 COD p-codes) and the older p-code vintages that map onto it.

Three numberings of Mali's cercles are in circulation and disagree for 42 of 50 cercles:

* ``cod2021``: the COD valid from 2021-12-20 used by HDX HAPI, the OCHA 3W and the HNO
  (alphabetical within a région, Ménaka région ``ML10`` with cercles ``ML1001``-``ML1004``);
* ``codps2018``: the COD-PS 2018 population tables, numbered like 2021 but with Ménaka as the
  single cercle ``ML0704`` of Gao;
* ``cod2015``: the 2015 COD-AB (capital cercle first, ``ML0101`` = Kayes; Ménaka = ``ML0704``).

Every vintage is translated to 2021 codes. The 2015/2018 cercle Ménaka covers the four 2021
cercles, so it translates to the région ``ML10`` with no cercle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.names import normalise_name

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "default"
CANONICAL_VINTAGE = "cod2021"
VINTAGES = ("cod2021", "codps2018", "cod2015")
MENAKA_REGION = "ML10"
MENAKA_CERCLES = ("ML1001", "ML1002", "ML1003", "ML1004")
# Régions created by the 2023 reform (19 régions), each carved out of one 2021 COD région:
# data written with them (OCHA's access dashboards since 2023) can be placed at that région.
REGIONS_2023 = {
    "kita": "ML01",
    "nioro": "ML01",
    "dioila": "ML02",
    "nara": "ML02",
    "bougouni": "ML03",
    "koutiala": "ML03",
    "san": "ML04",
    "bandiagara": "ML05",
    "douentza": "ML05",
    "taoudeni": "ML06",
}


@dataclass(frozen=True)
class Place:
    """A canonical (2021) région or cercle."""

    pcode: str
    name: str
    level: int
    parent: str  # "ML" for régions


@dataclass(frozen=True)
class Target:
    """Where a code of some vintage lands in 2021 codes (``adm2`` empty for région-level)."""

    adm1: str
    adm2: str


@dataclass
class Gazetteer:
    """Canonical places plus, per vintage, code -> (2021 target, name in that vintage)."""

    places: dict[str, Place]
    vintage_codes: dict[str, dict[str, Target]] = field(default_factory=dict)
    vintage_names: dict[str, dict[str, str]] = field(default_factory=dict)
    population: dict[str, int] = field(default_factory=dict)

    def regions(self) -> list[Place]:
        return [p for p in self.places.values() if p.level == 1]

    def cercles(self, adm1: str | None = None) -> list[Place]:
        return [
            p for p in self.places.values() if p.level == 2 and (adm1 is None or p.parent == adm1)
        ]

    def name(self, pcode: str) -> str:
        place = self.places.get(pcode)
        return place.name if place else pcode

    def translate(self, code: str, vintage: str) -> Target | None:
        """2021 target of a normalised région or cercle code written in ``vintage``."""
        return self.vintage_codes[vintage].get(code)

    def name_matches(self, code: str, vintage: str, name: str) -> bool:
        """Whether ``name`` is how ``vintage`` names ``code`` (normalised comparison)."""
        expected = self.vintage_names[vintage].get(code)
        return bool(expected) and normalise_name(name) == normalise_name(expected)


def _split_codes(cell: str) -> list[str]:
    return [c.strip() for c in str(cell).split(";") if c.strip()]


@lru_cache(maxsize=4)
def load_gazetteer(data_dir: Path = DEFAULT_DATA_DIR) -> Gazetteer:
    """Read the vendored gazetteer (``mali_pcodes_2021.csv``) and crosswalk of vintages."""
    listing = pd.read_csv(data_dir / "mali_pcodes_2021.csv", dtype=str, keep_default_na=False)
    cross = pd.read_csv(data_dir / "mali_cercles_pcodes.csv", dtype=str, keep_default_na=False)

    places = {
        row.pcode: Place(row.pcode, row.name_fr, int(row.level), row.parent_pcode)
        for row in listing.itertuples(index=False)
    }
    codes: dict[str, dict[str, Target]] = {v: {} for v in VINTAGES}
    names: dict[str, dict[str, str]] = {v: {} for v in VINTAGES}

    for place in places.values():
        target = Target(place.pcode, "") if place.level == 1 else Target(place.parent, place.pcode)
        codes["cod2021"][place.pcode] = target
        names["cod2021"][place.pcode] = place.name

    population: dict[str, int] = {}
    for row in cross.itertuples(index=False):
        cod2021 = _split_codes(row.cod2021_adm2_pcode)
        whole = len(cod2021) > 1  # the 2015 Ménaka cercle, four 2021 cercles
        target = Target(row.cod2021_adm1_pcode, "" if whole else cod2021[0])
        for vintage, code_col, adm1_col in (
            ("cod2015", "cod2015_adm2_pcode", "cod2015_adm1_pcode"),
            ("codps2018", "codps2018_adm2_pcode", "cod2015_adm1_pcode"),
        ):
            codes[vintage][getattr(row, code_col)] = target
            names[vintage][getattr(row, code_col)] = row.adm2_name
            adm1 = getattr(row, adm1_col)
            if adm1 != MENAKA_REGION:
                codes[vintage].setdefault(adm1, Target(adm1, ""))
                names[vintage].setdefault(adm1, places[adm1].name)
        population[MENAKA_REGION if whole else cod2021[0]] = int(row.population_2018)

    return Gazetteer(places, codes, names, population)
