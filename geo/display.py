"""Display geometry: simplified, rounded GeoJSON per admin level, computed once per boundary set.

The browser receives these shapes once; they are for drawing only. Spatial joins always use the
full-resolution geometry of :class:`geo.boundaries.BoundarySet` (simplified shapes misassign
points near borders).

Simplification is topology preserving over the whole level (``shapely.coverage_simplify``), so
neighbouring units keep one shared border with no gaps or slivers; coordinates are then rounded
to ``precision`` decimals (3 decimals is about 100 m, far below what a country map shows). A
shared vertex rounds to the same value on both sides, so rounding keeps borders shared.
"""

from __future__ import annotations

from dataclasses import dataclass
from threading import Lock
from typing import Any

import numpy as np
import shapely

from geo.boundaries import BoundarySet

DEFAULT_TOLERANCE = 0.01  # degrees (about 1 km): invisible at country and région scale
DEFAULT_PRECISION = 3  # decimals kept in coordinates


@dataclass(frozen=True)
class UnitExtent:
    """Bounding box and label point of one unit, for zooming and for labels drawn in the page."""

    unit_id: str
    name: str
    parent_id: str
    west: float
    south: float
    east: float
    north: float
    label_lon: float
    label_lat: float


@dataclass(frozen=True)
class DisplayLevel:
    """The drawable form of one level: a GeoJSON FeatureCollection plus per-unit extents."""

    level: int
    geojson: dict[str, Any]
    extents: dict[str, UnitExtent]

    @property
    def unit_ids(self) -> list[str]:
        return [f["id"] for f in self.geojson["features"]]

    def bounds(self, unit_ids: list[str] | None = None) -> tuple[float, float, float, float]:
        """(west, south, east, north) around the given units (all units when None)."""
        chosen = [self.extents[u] for u in (unit_ids or self.extents) if u in self.extents]
        if not chosen:
            chosen = list(self.extents.values())
        return (
            min(e.west for e in chosen),
            min(e.south for e in chosen),
            max(e.east for e in chosen),
            max(e.north for e in chosen),
        )


def simplify_level(
    geometries: np.ndarray, tolerance: float = DEFAULT_TOLERANCE, precision: int = DEFAULT_PRECISION
) -> np.ndarray:
    """Simplify a coverage keeping shared borders, then round coordinates.

    Falls back to per-polygon topology-preserving simplification if the input is not a clean
    coverage (GEOS refuses overlapping input), so a slightly faulty boundary file still draws.
    """
    try:
        simplified = shapely.coverage_simplify(geometries, tolerance)
    except shapely.errors.GEOSException:  # pragma: no cover - depends on the input file
        simplified = shapely.simplify(geometries, tolerance, preserve_topology=True)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, precision))
    repaired = [g if shapely.is_valid(g) else shapely.make_valid(g) for g in rounded]
    return np.asarray(repaired, dtype=object)


def _feature(unit_id: str, name: str, parent_id: str, geometry: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": unit_id,
        "properties": {"name": name, "parent_id": parent_id},
        "geometry": shapely.geometry.mapping(geometry),
    }


def build_display_level(
    boundaries: BoundarySet,
    level: int,
    tolerance: float = DEFAULT_TOLERANCE,
    precision: int = DEFAULT_PRECISION,
) -> DisplayLevel:
    """Compute one level's display geometry (prefer :func:`display_level`, which caches)."""
    frame = boundaries.level(level)
    shapes = simplify_level(frame.geometry.values, tolerance, precision)
    features = []
    extents = {}
    for row, shape in zip(frame.itertuples(index=False), shapes, strict=True):
        features.append(_feature(row.unit_id, row.name, row.parent_id, shape))
        west, south, east, north = (float(v) for v in shapely.bounds(row.geometry))
        point = shapely.point_on_surface(row.geometry)
        extents[row.unit_id] = UnitExtent(
            row.unit_id,
            row.name,
            row.parent_id,
            west,
            south,
            east,
            north,
            round(float(point.x), precision),
            round(float(point.y), precision),
        )
    return DisplayLevel(level, {"type": "FeatureCollection", "features": features}, extents)


_CACHE: dict[tuple[int, int, float, int], tuple[BoundarySet, DisplayLevel]] = {}
_LOCK = Lock()


def display_level(
    boundaries: BoundarySet,
    level: int,
    tolerance: float = DEFAULT_TOLERANCE,
    precision: int = DEFAULT_PRECISION,
) -> DisplayLevel:
    """Display geometry of a level, computed once per boundary set and kept for the process."""
    key = (id(boundaries), level, tolerance, precision)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is boundaries:
            return hit[1]
        built = build_display_level(boundaries, level, tolerance, precision)
        _CACHE[key] = (boundaries, built)  # holding the set keeps its id from being reused
        return built


def display_geojson(boundaries: BoundarySet, level: int) -> dict[str, Any]:
    """The cached FeatureCollection of a level: feature ``id`` = unit_id, ``properties.name``."""
    return display_level(boundaries, level).geojson
