"""Place resolution: every row of a stream to canonical 2021 région and cercle p-codes.

Order of evidence, first that answers wins:

1. p-code (normalised, translated from the file's detected vintage), checked against the
   name when the row has both;
2. name within its parent (accent-, case- and punctuation-insensitive, frame words such as
   "Cercle de" dropped, known aliases and English spellings, names the information managers
   taught the resolver: :mod:`geo.learned`);
3. fuzzy name within its parent, above a threshold, never when two candidates are close;
4. latitude/longitude, point in polygon on the boundary set's own geometry.

Coordinates outrank labels: when a precise point lies clearly (more than the point's
uncertainty plus :data:`BORDER_KM`) inside another cercle or région than its names or codes
say, the point decides and the row records both in ``match_conflict``; a point near the
boundary, or a coarse one, leaves the names in charge and the disagreement recorded. A point's
declared precision (:mod:`geo.precision`) caps how deep its row may be placed.

Each row records how it was resolved (``match_method``) and why (``match_note``). Rows that
cannot be placed are kept with ``match_method = "unresolved"`` and their candidates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from geo.boundaries import BoundarySet
from geo.communes import Commune, load_communes
from geo.gazetteer import MENAKA_REGION, REGIONS_2023, VINTAGES, Gazetteer, Target
from geo.learned import LearnedName, LearnedNames
from geo.names import normalise_name, normalise_pcode, pcode_level
from geo.points import locate
from geo.precision import COUNTRY, NAME_LEVEL, POINT_LEVEL, RADIUS_KM, precision_code
from geo.vintage import VintageGuess, detect_vintage

PLACE_FIELDS = (
    "adm1_code",
    "adm1_name",
    "adm2_code",
    "adm2_name",
    "adm3_code",
    "adm3_name",
    "latitude",
    "longitude",
    "precision",
)
RESULT_COLUMNS = [
    "adm1_pcode",
    "adm2_pcode",
    "adm3_pcode",
    "match_method",
    "match_note",
    "candidates",
    "unresolved_reason",
    "precision",
    "match_conflict",
    "commune_pcode",
]
BORDER_KM = 5.0  # GPS error and boundary generalisation: closer than this, a point proves nothing
KM_PER_DEGREE = 111.32
FUZZY_THRESHOLD = 85.0
FUZZY_MARGIN = 5.0
OUTSIDE_NOTE = "point outside the boundaries (see its latitude/longitude)"
MALI_LON = (-12.5, 4.5)
MALI_LAT = (10.0, 25.1)


@dataclass(frozen=True)
class Match:
    """The outcome for one distinct place key."""

    adm1: str = ""
    adm2: str = ""
    method: str = "unresolved"
    note: str = ""
    candidates: tuple[str, ...] = ()
    problem: str = ""  # what was given but could not be placed, even if a région was
    commune: str = ""  # 2021 commune code, when the row's commune is known

    @property
    def resolved(self) -> bool:
        return self.method != "unresolved"


@dataclass
class Resolution:
    """Per-row results (aligned with the input index) and the vintage the file was read in."""

    rows: pd.DataFrame
    vintage: VintageGuess


class _NameIndex:
    """Normalised names -> codes for one candidate set (all régions, or one région’s cercles)."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self.by_key: dict[str, set[str]] = {}
        for name, code in entries:
            key = normalise_name(name)
            if key:
                self.by_key.setdefault(key, set()).add(code)
        self.keys = list(self.by_key)

    def exact(self, key: str) -> set[str]:
        return self.by_key.get(key, set())

    def fuzzy(self, key: str) -> tuple[str | None, list[tuple[str, float]]]:
        """Best code if clearly above the threshold, and the scored candidates either way."""
        scored = process.extract(key, self.keys, scorer=fuzz.ratio, limit=5)
        ranked: list[tuple[str, float]] = []
        for matched_key, score, _ in scored:
            for code in sorted(self.by_key[matched_key]):
                ranked.append((code, float(score)))
        if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
            return None, ranked[:3]
        if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN:
            return None, ranked[:3]
        return ranked[0][0], ranked[:3]


class PlaceResolver:
    """Resolves place columns of a stream against the gazetteer and a boundary set."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        boundaries: BoundarySet,
        learned: Iterable[LearnedName] = (),
    ) -> None:
        self.gaz = gazetteer
        self.boundaries = boundaries
        self.learned = LearnedNames(n for n in learned if n.pcode in gazetteer.places)
        regions = [(p.name, p.pcode) for p in gazetteer.regions()]
        self.regions = _NameIndex(regions + [("Timbuktu", "ML06")])
        self.cercles = _NameIndex((p.name, p.pcode) for p in gazetteer.cercles())
        self.communes = load_communes()
        self.cercles_in = {
            r.pcode: _NameIndex((p.name, p.pcode) for p in gazetteer.cercles(r.pcode))
            for r in gazetteer.regions()
        }
        # Pre-2021 names within their pre-2021 parent: "Ménaka" under Gao is the whole région.
        self.legacy = {
            (code[:4], normalise_name(name)): gazetteer.translate(code, "cod2015")
            for code, name in gazetteer.vintage_names["cod2015"].items()
            if pcode_level(code) == 2
        }

    # -- public -------------------------------------------------------------------------

    def resolve(self, places: pd.DataFrame) -> Resolution:
        """Resolve every row of ``places`` (columns from :data:`PLACE_FIELDS`, any subset).

        Names and codes are resolved once per distinct combination, so a million rows that
        name fifty cercles cost fifty look-ups; coordinates are resolved in one vectorised pass.
        """
        fields = (
            ("adm1_code", normalise_pcode),
            ("adm1_name", _text),
            ("adm2_code", normalise_pcode),
            ("adm2_name", _text),
            ("adm3_code", normalise_pcode),
            ("adm3_code", _text),
            ("adm3_name", _text),
        )
        coded = [_distinct_codes(places, column, function) for column, function in fields]
        group, combos = _combine([codes for codes, _ in coded])
        names = ("c1", "n1", "c2", "n2", "c3", "r3", "n3")
        distinct = pd.DataFrame({name: coded[i][1][combos[:, i]] for i, name in enumerate(names)})
        distinct["c2"] = distinct["c2"].where(distinct["c2"] != "", distinct["c3"].str[:6])
        guess = detect_vintage(
            zip(
                pd.concat([distinct["c2"], distinct["c3"]]),
                pd.concat([distinct["n2"], pd.Series("", index=distinct.index)]),
                strict=True,
            ),
            self.gaz,
        )
        matches = [
            self._with_commune(
                self._resolve_key(row.c1, row.n1, row.c2, row.n2, vintage=guess.vintage),
                row.r3,
                row.n3,
            )
            for row in distinct.itertuples(index=False)
        ]
        columns = {
            "adm1_pcode": [m.adm1 for m in matches],
            "adm2_pcode": [m.adm2 for m in matches],
            "match_method": [m.method for m in matches],
            "match_note": [m.note for m in matches],
            "candidates": ["; ".join(m.candidates) for m in matches],
            "unresolved_reason": [m.problem or ("" if m.resolved else m.note) for m in matches],
            "commune_pcode": [m.commune for m in matches],
        }
        arrays = {name: np.array(values, dtype=object)[group] for name, values in columns.items()}
        arrays["adm3_pcode"] = self._own_communes(distinct["c3"].to_numpy(dtype=object))[group]
        codes, uniques = _distinct_codes(places, "precision", precision_code)
        arrays["precision"] = uniques[codes]
        # per-row limits looked up once per distinct precision (a million rows, six values)
        for key, table in (("_name_level", NAME_LEVEL), ("_point_level", POINT_LEVEL)):
            arrays[key] = np.array([table.get(u, 3) for u in uniques], dtype=int)[codes]
        arrays["_radius"] = np.array([RADIUS_KM.get(u, 0.0) for u in uniques])[codes]
        arrays["match_conflict"] = np.full(len(places), "", dtype=object)
        self._cap_names(arrays)
        if "latitude" in places and "longitude" in places:
            self._resolve_points(arrays, places["latitude"], places["longitude"])
        if self.boundaries.finest_level >= 3:
            self._set_communes(arrays)
        rows = pd.DataFrame({c: arrays[c] for c in RESULT_COLUMNS}, index=places.index)
        return Resolution(rows=rows, vintage=guess)

    # -- one distinct key ---------------------------------------------------------------

    def _resolve_key(self, c1: str, n1: str, c2: str, n2: str, vintage: str) -> Match:
        region = self._region(c1, n1, vintage)
        if c2:
            by_code = self._by_cercle_code(c2, n2, vintage)
            if by_code is not None:
                return by_code
        if n2:
            return self._by_cercle_name(n2, region)
        if region.resolved:
            return region
        if c2 or region.note:
            return Match(note=region.note or f"unknown p-code {c2}", candidates=region.candidates)
        return Match()

    def _region(self, code: str, name: str, vintage: str) -> Match:
        if code:
            target = self.gaz.translate(code[:4], vintage) or self.gaz.translate(
                code[:4], "cod2021"
            )
            if target is not None:
                return Match(target.adm1, "", "pcode", f"région p-code {code}")
        if not name:
            return Match(note=f"unknown région p-code {code}" if code else "")
        key = normalise_name(name)
        taught = self.learned.find(1, key)
        if taught:
            return self._learned(taught, name)
        exact = self.regions.exact(key)
        if len(exact) == 1:
            return Match(next(iter(exact)), "", "name", f"région name {name!r}")
        if key in REGIONS_2023:
            adm1 = REGIONS_2023[key]
            return Match(
                adm1, "", "name", f"2023 région {name!r} lies in {self.gaz.name(adm1)} (2021 COD)"
            )
        best, ranked = self.regions.fuzzy(key)
        if best:
            return Match(best, "", "fuzzy_name", f"région {name!r} read as {self.gaz.name(best)}")
        return Match(
            note=f"unknown région name {name!r}",
            candidates=tuple(self._label(c, s) for c, s in ranked),
        )

    def _by_cercle_code(self, code: str, name: str, vintage: str) -> Match | None:
        """Resolve by cercle p-code; ``None`` when the code says nothing usable."""
        target = self.gaz.translate(code, vintage)
        used = vintage
        if target is None:
            known = {v: self.gaz.translate(code, v) for v in VINTAGES}
            known = {v: t for v, t in known.items() if t is not None}
            if not known or len(set(known.values())) > 1:
                return None
            used, target = next(iter(known.items()))
        label = self._target_label(target)
        if not name:
            return Match(target.adm1, target.adm2, "pcode", f"{code} ({used}) = {label}")
        by_name = self._by_cercle_name(name, self._region_match(target.adm1))
        if not by_name.resolved:
            return Match(
                target.adm1,
                target.adm2,
                "pcode",
                f"{code} ({used}) = {label}; name {name!r} not recognised",
            )
        agrees = by_name.adm2 == target.adm2 or (not target.adm2 and by_name.adm1 == target.adm1)
        if agrees:
            return Match(
                target.adm1, target.adm2, "pcode", f"{code} ({used}) = {label}, name agrees"
            )
        conflict = f"code {code} is {label} in {used} but the name says {name!r}"
        if by_name.method == "name" and by_name.adm1 == target.adm1:
            return Match(by_name.adm1, by_name.adm2, "name", conflict + ": resolved by name")
        return Match(
            note=conflict,
            candidates=(
                f"{target.adm2 or target.adm1} {label}",
                f"{by_name.adm2 or by_name.adm1} "
                f"{self._target_label(Target(by_name.adm1, by_name.adm2))}",
            ),
        )

    def _by_cercle_name(self, name: str, region: Match) -> Match:
        key = normalise_name(name)
        parent = region.adm1 if region.resolved else ""
        taught = self.learned.find(2, key, parent)
        if taught:
            return self._learned(taught, name)
        index = self.cercles_in.get(parent, self.cercles)
        exact = index.exact(key)
        if len(exact) == 1:
            code = next(iter(exact))
            return Match(self.gaz.places[code].parent, code, "name", f"cercle name {name!r}")
        if parent:
            legacy = self.legacy.get((parent, key))
            if legacy is not None and legacy.adm1 != parent:
                return Match(
                    legacy.adm1,
                    legacy.adm2,
                    "name",
                    f"{name!r} under {self.gaz.name(parent)} is the pre-2021 cercle "
                    f"covering région {self.gaz.name(legacy.adm1)}",
                )
            national = self.cercles.exact(key)
            if len(national) == 1:
                code = next(iter(national))
                actual = self.gaz.places[code].parent
                return Match(
                    actual,
                    code,
                    "name",
                    f"cercle name {name!r} is in {self.gaz.name(actual)}, "
                    f"not {self.gaz.name(parent)}",
                )
        commune = self.communes.named(name, adm1=parent)
        if commune is not None:
            return self._in_commune(Match(), commune, f"{name!r} in the cercle column is a commune")
        best, ranked = index.fuzzy(key)
        if best:
            score = ranked[0][1]
            return Match(
                self.gaz.places[best].parent,
                best,
                "fuzzy_name",
                f"cercle {name!r} read as {self.gaz.name(best)} (similarity {score:.0f})",
            )
        candidates = tuple(self._label(code, score) for code, score in ranked)
        close = len(ranked) > 1 and ranked[0][1] >= FUZZY_THRESHOLD
        reason = "ambiguous cercle name" if close else "unknown cercle name"
        where = f" in {self.gaz.name(parent)}" if parent else ""
        problem = f"{reason} {name!r}{where}"
        if region.resolved:
            return Match(
                region.adm1, "", region.method, problem + ": région only", candidates, problem
            )
        return Match(note=problem, candidates=candidates, problem=problem)

    def _learned(self, pcode: str, name: str) -> Match:
        """A name taught by an information manager: a région or a cercle p-code."""
        place = self.gaz.places[pcode]
        adm1, adm2 = (pcode, "") if place.level == 1 else (place.parent, pcode)
        return Match(adm1, adm2, "learned", f"{name!r} learned as {place.name} ({pcode})")

    # -- communes -------------------------------------------------------------------------

    def _with_commune(self, match: Match, code: str, name: str) -> Match:
        """The row's 2021 commune, from its commune code or name within the place found so
        far; a commune also gives the cercle of a row known only by its région (a pre-2021
        "Ménaka" cercle row whose commune is Inékar is in the 2021 cercle Inékar)."""
        if match.commune or not (code or name):
            return match
        coded = self.communes.code(code, name) if code else None
        if coded is not None and not self._fits(coded, match):
            coded = None  # a homonym's code, or another vintage's numbering
        named = self.communes.named(name, match.adm2, match.adm1) if name else None
        if coded is not None and named in (None, coded):
            return self._in_commune(match, coded, f"commune code {code}")
        if named is not None:  # the name, found in the row's place, outranks a code
            return self._in_commune(match, named, f"commune name {name!r}")
        return match

    @staticmethod
    def _fits(commune: Commune, match: Match) -> bool:
        if match.adm2:
            return commune.adm2 == match.adm2
        return not match.adm1 or commune.adm1 == match.adm1

    def _in_commune(self, match: Match, commune: Commune, how: str) -> Match:
        if match.adm2:
            return Match(match.adm1, match.adm2, match.method, match.note, commune=commune.pcode)
        note = f"{how}: {commune.name} in {self.gaz.name(commune.adm2)}"
        return Match(
            commune.adm1,
            commune.adm2,
            match.method if match.resolved else "name",
            f"{match.note}; {note}" if match.note else note,
            commune=commune.pcode,
        )

    # -- points ---------------------------------------------------------------------------

    def _cap_names(self, rows: dict[str, np.ndarray]) -> None:
        """A coarse precision keeps names from placing deeper than the point could."""
        level = rows["_name_level"]
        capped = np.flatnonzero((level < 2) & (rows["adm2_pcode"] != ""))
        rows["adm2_pcode"][capped] = ""
        rows["adm3_pcode"][capped] = ""
        rows["commune_pcode"][capped] = ""
        for i in capped:
            rows["match_note"][i] += f"; precision {rows['precision'][i]}: région only"
        country = np.flatnonzero((rows["precision"] == COUNTRY) & (rows["adm1_pcode"] == ""))
        for i in country:
            rows["unresolved_reason"][i] = rows["match_note"][i] = (
                "the place given stands for the whole country (precision: country)"
            )

    def _resolve_points(
        self, rows: dict[str, np.ndarray], latitude: pd.Series, longitude: pd.Series
    ) -> None:
        """Place rows by their coordinates, within what each point's precision allows, and
        let a clear point overrule names that disagree with it."""
        lat = pd.to_numeric(latitude, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        lon = pd.to_numeric(longitude, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        usable = ~np.isnan(lat) & ~np.isnan(lon) & ~((lat == 0) & (lon == 0))
        allowed = rows["_point_level"]
        finest = self.boundaries.finest_level
        positions = np.flatnonzero(usable & (allowed >= 1))
        if not positions.size:
            return
        lat, lon, allowed = lat[positions], lon[positions], allowed[positions]
        swapped = ~_in_mali(lon, lat) & _in_mali(lat, lon)
        lon, lat = np.where(swapped, lat, lon), np.where(swapped, lon, lat)
        level = self.boundaries.level(finest)
        hit = locate(lon, lat, level.geometry.values)
        inside = hit >= 0
        polygon = np.where(inside, hit, 0)
        point_adm1 = level["adm1_pcode"].to_numpy()[polygon]
        point_adm2 = np.where(allowed >= 2, level["adm2_pcode"].to_numpy()[polygon], "")
        point_unit = np.where(allowed >= 3, level["unit_id"].to_numpy()[polygon], "")
        named_adm1 = rows["adm1_pcode"][positions]
        named_adm2 = rows["adm2_pcode"][positions]
        disagrees = (
            inside
            & (named_adm1 != "")
            & (
                (named_adm1 != point_adm1)
                | ((named_adm2 != "") & (point_adm2 != "") & (named_adm2 != point_adm2))
            )
        )
        fills = inside & ~disagrees & (named_adm1 == "")
        fills |= inside & ~disagrees & (named_adm2 == "") & (point_adm2 != "")
        slack = _slack_km(rows["_radius"][positions], lat, lon)
        distance = np.full(positions.size, np.inf)
        measure = disagrees | (fills & (slack > 0))
        distance[measure] = self._border_km(polygon[measure], lon[measure], lat[measure])
        decides = disagrees & (allowed >= 2) & (distance > BORDER_KM + slack)

        names = level["name"].to_numpy()
        notes = np.array([f"point in {name}" for name in names], dtype=object)[polygon]
        for i in np.flatnonzero(inside & (allowed < 2)):
            notes[i] = (
                f"point in {self.gaz.name(point_adm1[i])} "
                f"(precision {rows['precision'][positions[i]]}: région only)"
            )
        notes[swapped] += " (latitude and longitude were swapped)"
        approximate = (fills | decides) & (slack > 0) & (distance < slack)
        for i in np.flatnonzero(approximate):
            notes[i] += (
                f" (approximate: precision {rows['precision'][positions[i]]}, "
                f"{distance[i]:.0f} km from the boundary)"
            )
        notes[~inside] = OUTSIDE_NOTE
        for i in np.flatnonzero(disagrees):
            row = positions[i]
            said = self.gaz.name(named_adm2[i] or named_adm1[i])
            if decides[i]:
                why = f"{distance[i]:.0f} km inside it: the coordinates decide"
            elif allowed[i] < 2:
                why = f"precision {rows['precision'][row]}: the names decide"
            else:
                why = f"{distance[i]:.0f} km from its boundary: the names decide"
            rows["match_conflict"][row] = (
                f"names/codes say {said} ({named_adm2[i] or named_adm1[i]}); "
                f"the point is in {names[polygon[i]]}, {why}"
            )
        previous = rows["match_note"][positions]
        keep_note = (previous != "") & ~decides
        notes[keep_note] = previous[keep_note] + "; " + notes[keep_note]
        touched = ~inside | fills | decides
        rows["match_note"][positions[touched]] = notes[touched]
        for i in np.flatnonzero(decides):
            rows["match_note"][positions[i]] += "; " + rows["match_conflict"][positions[i]]

        taken = fills | decides
        where = positions[taken]
        rows["adm1_pcode"][where] = point_adm1[taken]
        rows["adm2_pcode"][where] = point_adm2[taken]
        if finest >= 3:
            rows["adm3_pcode"][where] = point_unit[taken]
            # a commune for a row placed by name: only where the point agrees with its cercle
            fits = inside & ~disagrees & (named_adm2 != "") & (named_adm2 == point_adm2)
            fits &= point_unit != ""  # a coarse point names no commune
            rows["adm3_pcode"][positions[fits]] = point_unit[fits]
        rows["match_method"][where] = "point"
        rows["commune_pcode"][positions[decides]] = ""  # the names' commune is elsewhere
        rows["candidates"][where] = ""
        rows["unresolved_reason"][where] = ""
        unplaced = positions[~inside]
        unplaced = unplaced[rows["match_method"][unplaced] == "unresolved"]
        rows["unresolved_reason"][unplaced] = rows["match_note"][unplaced]

    def _border_km(self, polygon: np.ndarray, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Distance of each point to the boundary of the cercle (or coarser unit) holding it,
        in km: the degree distance scaled by a longitude degree, an underestimate. A commune
        boundary would say nothing about whether the point could be in another cercle."""
        sets = self.boundaries.levels
        finest = self.boundaries.finest_level
        unit = min(finest, 2)
        geometry = sets[unit].geometry.values
        if finest > unit:  # commune polygons -> their cercle's polygon
            position = {u: i for i, u in enumerate(sets[unit]["unit_id"])}
            parents = sets[finest]["parent_id"].map(position).fillna(-1).to_numpy(dtype=int)
            polygon = parents[polygon]
        out = np.zeros(polygon.size)
        for index in np.unique(polygon):
            where = polygon == index
            if index < 0:
                continue
            points = shapely.points(lon[where], lat[where])
            degrees = shapely.distance(geometry[index].boundary, points)
            out[where] = degrees * KM_PER_DEGREE * np.cos(np.radians(lat[where]))
        return out

    def _set_communes(self, rows: dict[str, np.ndarray]) -> None:
        """Commune polygons of the boundary set for rows whose 2021 commune is known by name
        or code: the commune itself in a 2021 set, its linked commune in a 2015 COD-AB set."""
        links = {"cod2021": None, "cod2015": self.communes.cod2015}
        if self.boundaries.vintage not in links:
            return
        need = np.flatnonzero((rows["adm3_pcode"] == "") & (rows["commune_pcode"] != ""))
        if not need.size:
            return
        codes = pd.Series(rows["commune_pcode"][need], dtype=object)
        link = links[self.boundaries.vintage]
        if link is not None:
            codes = codes.map(link).fillna("")
        known = codes.isin(self.boundaries.level(3)["unit_id"]).to_numpy()
        rows["adm3_pcode"][need[known]] = codes.to_numpy(dtype=object)[known]

    def _own_communes(self, codes: np.ndarray) -> np.ndarray:
        """Commune codes given in the file that are units of the boundary set's commune level."""
        if self.boundaries.finest_level < 3:
            return np.full(codes.shape, "", dtype=object)
        known = pd.Series(codes).isin(self.boundaries.level(3)["unit_id"]).to_numpy()
        return np.where(known, codes, "").astype(object)

    # -- labels ---------------------------------------------------------------------------

    def _region_match(self, adm1: str) -> Match:
        return Match(adm1, "", "pcode") if adm1 else Match()

    def _target_label(self, target: Target) -> str:
        if not target.adm2:
            if target.adm1 == MENAKA_REGION:
                return f"{self.gaz.name(target.adm1)} (whole région)"
            return self.gaz.name(target.adm1)
        return self.gaz.name(target.adm2)

    def _label(self, code: str, score: float) -> str:
        return f"{code} {self.gaz.name(code)} ({score:.0f})"


def _distinct_codes(frame: pd.DataFrame, column: str, function) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the code of ``function(value)`` among the distinct results, and those results.

    ``function`` runs once per distinct raw value; raw values that normalise alike ("Mopti",
    "MOPTI ") share one code. An absent column is one "" for every row.
    """
    if column not in frame:
        return np.zeros(len(frame), dtype=np.int64), np.array([""], dtype=object)
    values = frame[column].astype(object).to_numpy()
    inverse, uniques = pd.factorize(values, use_na_sentinel=False)
    mapped = np.array([function(value) for value in uniques], dtype=object)
    merged, results = pd.factorize(mapped, use_na_sentinel=False)
    return merged[inverse].astype(np.int64), np.asarray(results, dtype=object)


def _combine(codes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Group number of each row over several code columns, and each group's codes.

    The columns are packed into one integer per row (mixed radix), so grouping a million rows
    is one factorisation of an int64 array rather than a group-by over object columns.
    """
    sizes = [int(c.max()) + 1 if c.size else 1 for c in codes]
    if np.prod([float(size) for size in sizes]) >= 2.0**62:  # too many combinations to pack
        combos, group = np.unique(np.stack(codes, axis=1), axis=0, return_inverse=True)
        return group.ravel(), combos
    packed = np.zeros(codes[0].shape, dtype=np.int64)
    for column, size in zip(codes, sizes, strict=True):
        packed = packed * size + column
    group, uniques = pd.factorize(packed)
    combos = np.empty((len(uniques), len(codes)), dtype=np.int64)
    rest = np.asarray(uniques, dtype=np.int64)
    for i in range(len(codes) - 1, -1, -1):
        rest, combos[:, i] = np.divmod(rest, sizes[i])
    return group, combos


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    text = str(value).strip()
    return "" if text.lower() in {"nan", "none", "<null>", "null", "n/a", "#n/a", "-"} else text


def _slack_km(radius: np.ndarray, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """How far the true place may be from each point: its declared radius, or the rounding
    of its coordinates (0.1° is up to 8 km off, whole degrees 80 km), whichever is larger."""
    tenths = (np.abs(lat * 10 - np.round(lat * 10)) < 1e-6) & (
        np.abs(lon * 10 - np.round(lon * 10)) < 1e-6
    )
    whole = tenths & (np.abs(lat - np.round(lat)) < 1e-6) & (np.abs(lon - np.round(lon)) < 1e-6)
    rounding = np.where(whole, 80.0, np.where(tenths, 8.0, 0.0))
    return np.maximum(radius, rounding)


def _in_mali(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon >= MALI_LON[0]) & (lon <= MALI_LON[1]) & (lat >= MALI_LAT[0]) & (lat <= MALI_LAT[1])
