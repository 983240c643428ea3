"""Boundary sets are data: load, normalise and validate any COD-AB style file or folder.

A boundary set has one GeoDataFrame per administrative level with the columns

``unit_id``   the set's own code for the unit (its p-code, or a map-unit id)
``name``      display name
``parent_id`` the ``unit_id`` of the parent unit at the level above ("" at level 1)
``adm1_pcode``/``adm2_pcode`` the canonical 2021 codes the unit stands for ("" if none)
``geometry``  full-resolution geometry, EPSG:4326

Spatial joins always use this geometry; the simplified display geometry lives in
:mod:`geo.display`.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo.gazetteer import Gazetteer, Target, load_gazetteer
from geo.names import normalise_pcode, pcode_level
from geo.vintage import detect_vintage

COLUMNS = ["unit_id", "name", "parent_id", "adm1_pcode", "adm2_pcode", "geometry"]
_POLYGONAL = ("Polygon", "MultiPolygon")
_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip", ".topojson", ".fgb")


class BoundaryError(ValueError):
    """A boundary file or set that cannot be used, with the reason."""


@dataclass
class BoundarySet:
    """Polygons per level (1 = région, 2 = cercle, 3 = commune) and what they stand for."""

    levels: dict[int, gpd.GeoDataFrame]
    source: str
    vintage: str
    warnings: list[str] = field(default_factory=list)
    attribution: str = ""

    @property
    def finest_level(self) -> int:
        return max(self.levels)

    def level(self, level: int) -> gpd.GeoDataFrame:
        if level not in self.levels:
            raise BoundaryError(f"{self.source}: no admin level {level} in this boundary set")
        return self.levels[level]

    def assign_units(
        self, adm1: pd.Series, adm2: pd.Series, level: int, adm3: pd.Series | None = None
    ) -> pd.Series:
        """Map unit of each row at ``level`` from its canonical codes ("" if it has none).

        A unit standing for a whole région at cercle level (the 2015 Ménaka cercle) receives
        the rows of every cercle of that région and the rows known only at région level.
        Communes (level 3) are the set's own codes, carried by rows as ``adm3``.
        """
        frame = self.level(level)
        if level >= 3:
            if adm3 is None:
                return pd.Series("", index=adm1.index)
            return adm3.where(adm3.isin(frame["unit_id"]), "").fillna("")
        if level == 1:
            by_adm1 = dict(zip(frame["adm1_pcode"], frame["unit_id"], strict=True))
            return adm1.map(by_adm1).fillna("")
        with_cercle = frame[frame["adm2_pcode"] != ""]
        whole = frame[frame["adm2_pcode"] == ""]
        by_adm2 = dict(zip(with_cercle["adm2_pcode"], with_cercle["unit_id"], strict=True))
        by_whole_region = dict(zip(whole["adm1_pcode"], whole["unit_id"], strict=True))
        units = adm2.map(by_adm2)
        return units.fillna(adm1.map(by_whole_region)).fillna("")


# Header spellings of the p-code and name columns of admin level N, most specific first.
def _pcode_patterns(n: int) -> list[str]:
    return [
        rf"adm{n}_pcode",
        rf"admin{n}_?pcode?",
        rf"adm{n}_?code",
        rf"admin{n}_?code",
        rf"adm{n}pcod",
    ]


def _name_patterns(n: int) -> list[str]:
    return [
        rf"adm{n}_fr",
        rf"adm{n}_name",
        rf"admin{n}_?name_?fr",
        rf"admin{n}_?name",
        rf"adm{n}_en",
        rf"adm{n}_?ref_?name",
        rf"admin{n}_?refn?",
    ]


def _find_column(columns: list[str], patterns: list[str]) -> str | None:
    for pattern in patterns:
        for column in columns:
            if re.fullmatch(pattern, column, flags=re.IGNORECASE):
                return column
    return None


def _detect_level(frame: pd.DataFrame) -> int:
    columns = list(frame.columns)
    for n in (3, 2, 1):
        if _find_column(columns, _pcode_patterns(n)):
            return n
    raise BoundaryError(
        "no p-code column found (expected one of ADM1_PCODE/ADM2_PCODE/ADM3_PCODE, "
        f"admin2Pcod, adm2_pcode...); columns are: {', '.join(map(str, columns))}"
    )


def _read_layers(path: Path) -> list[gpd.GeoDataFrame]:
    """Every polygon layer of a file (a GeoPackage may hold several, one per level)."""
    target = str(path)
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            shapefiles = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        if not shapefiles:
            raise BoundaryError(f"{path.name}: the zip archive holds no .shp file")
        return [gpd.read_file(f"/vsizip/{path}/{name}") for name in shapefiles]
    try:
        layers = [row[0] for row in pyogrio.list_layers(target)]
        if len(layers) <= 1:
            return [gpd.read_file(target)]
        return [gpd.read_file(target, layer=layer) for layer in layers]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise BoundaryError(f"{path.name}: not a readable boundary file ({error})") from error


def _normalise_layer(frame: gpd.GeoDataFrame, origin: str) -> tuple[int, gpd.GeoDataFrame]:
    level = _detect_level(frame)
    columns = list(frame.columns)
    code_col = _find_column(columns, _pcode_patterns(level))
    name_col = _find_column(columns, _name_patterns(level))
    parent_col = _find_column(columns, _pcode_patterns(level - 1)) if level > 1 else None
    codes = frame[code_col].map(normalise_pcode)
    bad = frame.index[codes == ""]
    if len(bad):
        raw = frame.loc[bad[0], code_col]
        raise BoundaryError(
            f"{origin}: row {bad[0] + 1}, column {code_col}: {raw!r} is not a Mali p-code"
        )
    if parent_col:
        parents = frame[parent_col].map(normalise_pcode)
    elif level > 1:
        parents = codes.str[: 2 + 2 * (level - 1)]
    else:
        parents = pd.Series("", index=frame.index)
    names = frame[name_col].astype(str).str.strip() if name_col else codes
    crs = frame.crs
    geometry = frame.geometry if crs is None else frame.geometry.to_crs(4326)
    out = gpd.GeoDataFrame(
        {"unit_id": codes, "name": names, "parent_id": parents},
        geometry=geometry.values,
        crs=4326,
    )
    return level, out


def load_boundaries(path: str | Path, gazetteer: Gazetteer | None = None) -> BoundarySet:
    """Load a COD-AB style set: one file (all levels or one) or a folder of per-level files.

    Column names are recognised by pattern (``ADM2_PCODE``, ``admin2Pcod``, ``adm2_pcode``...);
    the level of each layer is that of its most detailed p-code column. Missing upper levels are
    dissolved from the level below so the set always has régions.
    """
    gazetteer = gazetteer or load_gazetteer()
    path = Path(path)
    if not path.exists():
        raise BoundaryError(f"{path}: no such file or folder")
    files = (
        sorted(p for p in path.iterdir() if p.suffix.lower() in _SUFFIXES)
        if path.is_dir()
        else [path]
    )
    if not files:
        raise BoundaryError(f"{path}: no boundary files (.geojson, .gpkg, .shp, .zip) found")
    levels: dict[int, gpd.GeoDataFrame] = {}
    for file in files:
        for layer in _read_layers(file):
            level, frame = _normalise_layer(layer, file.name)
            if level in levels:
                raise BoundaryError(f"{file.name}: admin level {level} is given twice")
            levels[level] = frame
    for level in range(max(levels) - 1, 0, -1):
        if level not in levels:
            levels[level] = dissolve_to_parent(levels[level + 1])
    return _finish(levels, str(path), gazetteer)


def dissolve_to_parent(children: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The parent level as the union of its children, so both share borders exactly."""
    merged = children.dissolve(by="parent_id", as_index=False)[["parent_id", "geometry"]]
    merged = merged.rename(columns={"parent_id": "unit_id"})
    merged["name"] = merged["unit_id"]
    level = pcode_level(merged["unit_id"].iloc[0]) if len(merged) else 1
    merged["parent_id"] = merged["unit_id"].str[: 2 + 2 * (level - 1)] if level > 1 else ""
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=4326)


def _canonical(code: str, vintage: str, gaz: Gazetteer) -> Target:
    """2021 codes a boundary unit stands for (a commune stands for its cercle's codes)."""
    level = pcode_level(code)
    target = gaz.translate(code[:6] if level >= 2 else code, vintage)
    if target is None and level >= 2:
        target = gaz.translate(code[:4], vintage)
    return target or Target("", "")


def _finish(levels: dict[int, gpd.GeoDataFrame], source: str, gaz: Gazetteer) -> BoundarySet:
    """Detect the set's vintage, attach canonical 2021 codes, repair and validate."""
    reference = levels.get(2, levels[1])
    guess = detect_vintage(zip(reference["unit_id"], reference["name"], strict=True), gaz)
    warnings = []
    for level, frame in levels.items():
        if level == 1 and frame["name"].equals(frame["unit_id"]):
            frame["name"] = [gaz.name(code) for code in frame["unit_id"]]
        targets = [_canonical(code, guess.vintage, gaz) for code in frame["unit_id"]]
        frame["adm1_pcode"] = [t.adm1 for t in targets]
        frame["adm2_pcode"] = [t.adm2 for t in targets]
        warnings += _repair(frame, f"{source}, admin level {level}")
        levels[level] = frame[COLUMNS]
    boundary_set = BoundarySet(
        levels=levels, source=source, vintage=guess.vintage, warnings=warnings
    )
    validate(boundary_set)
    return boundary_set


def _repair(frame: gpd.GeoDataFrame, where: str) -> list[str]:
    """Repair self-intersections that published files often carry, saying which were repaired."""
    invalid = ~shapely.is_valid(frame.geometry.values) & frame.geometry.notna().values
    notes = []
    for index in frame.index[invalid]:
        geometry = frame.at[index, "geometry"]
        reason = shapely.is_valid_reason(geometry)
        repaired = shapely.make_valid(geometry)
        polygons = [g for g in getattr(repaired, "geoms", [repaired]) if g.geom_type in _POLYGONAL]
        if not polygons:
            raise BoundaryError(
                f"{where}: {frame.at[index, 'unit_id']} has invalid geometry ({reason}) "
                "that cannot be repaired into a polygon"
            )
        frame.at[index, "geometry"] = shapely.union_all(polygons)
        notes.append(f"{where}: {frame.at[index, 'unit_id']} geometry repaired ({reason})")
    return notes


def validate(boundary_set: BoundarySet) -> None:
    """Unique ids, every unit has its parent, valid non-empty geometry; raise on the first fault."""
    ids_above: set[str] | None = None
    for level in sorted(boundary_set.levels):
        frame = boundary_set.levels[level]
        where = f"{boundary_set.source}, admin level {level}"
        duplicated = frame["unit_id"][frame["unit_id"].duplicated()]
        if len(duplicated):
            raise BoundaryError(f"{where}: p-code {duplicated.iloc[0]} appears more than once")
        if ids_above is not None:
            orphans = frame.loc[~frame["parent_id"].isin(ids_above)]
            if len(orphans):
                row = orphans.iloc[0]
                raise BoundaryError(
                    f"{where}: {row['unit_id']} ({row['name']}) has parent "
                    f"{row['parent_id'] or '(none)'}, which is not in the level above"
                )
        empty = frame.geometry.isna() | frame.geometry.is_empty
        if empty.any():
            raise BoundaryError(f"{where}: {frame.loc[empty, 'unit_id'].iloc[0]} has no geometry")
        invalid = ~shapely.is_valid(frame.geometry.values)
        if invalid.any():
            bad = frame.loc[invalid, "unit_id"].iloc[0]
            reason = shapely.is_valid_reason(frame.loc[invalid].geometry.values[0])
            raise BoundaryError(f"{where}: {bad} has invalid geometry ({reason})")
        ids_above = set(frame["unit_id"])
