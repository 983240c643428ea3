"""The 2021 communes (``data/default/mali_communes_2021.csv``): names and codes within their
cercle and région.

Commune names repeat across Mali (Bamba, Benkadi ×3, Diédougou ×4…) and the OCHA 3W gives some
rows a homonym's code, so a commune is only ever looked up *within* the cercle or région the
row already has, or nationally when the name is unique. Codes come in two styles: the 2021
``ML`` + 6 digits (unique), and the ``MLI`` style of the OCHA ``Admin`` sheet and IOM DTM,
which is unreliable in Ménaka, Kadiolo and Barouéli (see the file's SOURCE note): there an
``MLI`` code is trusted only when the row's commune name agrees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from geo.gazetteer import DEFAULT_DATA_DIR
from geo.names import fold, normalise_name

FILE = "mali_communes_2021.csv"
UNRELIABLE_MLI_CERCLES = ("ML0302", "ML0401")  # Kadiolo shifted, Barouéli all MLI040101
UNRELIABLE_MLI_REGIONS = ("ML10",)  # the Admin sheet numbers Ménaka's cercles differently
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6"}


@dataclass(frozen=True)
class Commune:
    pcode: str  # 2021 code (ML + 6 digits; 18 keep the MLI style)
    name: str
    adm2: str
    adm1: str
    mli: str  # the Admin sheet's MLI-style code ("" where it is not unique)
    cercle: str  # the cercle's name


def commune_key(value: object) -> str:
    """Comparison key of a commune name: accents, case, apostrophes and punctuation ignored,
    "Kiffosso1" = "Kiffosso 1", roman numerals as digits, "Commune de …"/"… Commune" dropped."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = fold(re.sub(r"['’`]", "", str(value)))
    text = re.sub(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", " ", text)
    text = " ".join(ROMAN.get(word, word) for word in text.split())
    key = normalise_name(text)
    return key or text


class CommuneIndex:
    """Communes by code and by name key within a cercle, a région, or the whole country."""

    def __init__(self, communes: list[Commune], cod2015: dict[str, str] | None = None) -> None:
        self.by_code = {c.pcode: c for c in communes}
        self.cod2015 = cod2015 or {}  # 2021 code -> the matching 2015 COD-AB commune
        self.by_mli = {c.mli: c for c in communes if c.mli}
        self.by_key: dict[str, list[Commune]] = {}
        for commune in communes:
            for key in self._keys(commune):
                entries = self.by_key.setdefault(key, [])
                if commune not in entries:
                    entries.append(commune)

    @staticmethod
    def _keys(commune: Commune) -> set[str]:
        """The name's key, and without a trailing cercle name ("Baye Bankass" = "Baye")."""
        key = commune_key(commune.name)
        cercle = commune_key(commune.cercle)
        if cercle and key.endswith(" " + cercle):
            return {key, key[: -len(cercle) - 1]}
        return {key}

    def code(self, raw: str, name: str = "") -> Commune | None:
        """The commune a code written in a file stands for, ``None`` when it cannot be trusted."""
        text = re.sub(r"[\s\-_./]", "", raw).upper()
        if not text:
            return None
        commune = self.by_code.get(text)
        if commune is not None:
            return commune
        commune = self.by_mli.get(text)
        if commune is None:
            return None
        unreliable = commune.adm2 in UNRELIABLE_MLI_CERCLES or commune.adm1 in (
            UNRELIABLE_MLI_REGIONS
        )
        if name:
            return commune if commune_key(name) == commune_key(commune.name) else None
        return None if unreliable else commune

    def named(self, name: str, adm2: str = "", adm1: str = "") -> Commune | None:
        """The one commune of that name in the cercle (or région, or country), else ``None``."""
        found = self.by_key.get(commune_key(name), [])
        if adm2:
            found = [c for c in found if c.adm2 == adm2]
        elif adm1:
            found = [c for c in found if c.adm1 == adm1]
        return found[0] if len(found) == 1 else None


@lru_cache(maxsize=2)
def load_communes(data_dir: Path = DEFAULT_DATA_DIR) -> CommuneIndex:
    """Read the vendored commune gazetteer; MLI codes shared by several rows are dropped."""
    table = pd.read_csv(data_dir / FILE, dtype=str, keep_default_na=False)
    shared = table["adm3_pcode_mli"].duplicated(keep=False)
    suspect = table["match_note"].str.contains("suspect row", regex=False)
    table = table[~suspect]
    communes = [
        Commune(
            row.adm3_pcode,
            row.adm3_name,
            row.adm2_pcode,
            row.adm1_pcode,
            "" if shared[index] else row.adm3_pcode_mli,
            row.adm2_name,
        )
        for index, row in table.iterrows()
    ]
    linked = table[table["cod2015_adm3_pcode"] != ""]
    links = dict(zip(linked["adm3_pcode"], linked["cod2015_adm3_pcode"], strict=True))
    return CommuneIndex(communes, links)
