"""Vectorised point-in-polygon: which polygon holds each (longitude, latitude)."""

from __future__ import annotations

import numpy as np
import shapely
from numpy.typing import NDArray


def locate(
    lon: NDArray[np.float64], lat: NDArray[np.float64], polygons: NDArray[np.object_]
) -> NDArray[np.int64]:
    """Index into ``polygons`` of the polygon containing each point, -1 where none does.

    Each polygon is prepared once and tested only against the points inside its bounding box,
    so the cost grows with points x overlapping boxes rather than points x polygons. Points on a
    shared border go to the first polygon in order, which keeps the result deterministic.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    found = np.full(lon.shape[0], -1, dtype=np.int64)
    if lon.size == 0:
        return found
    order = np.argsort(lon, kind="stable")
    lon_sorted = lon[order]
    for index, polygon in enumerate(polygons):
        if polygon is None or polygon.is_empty:
            continue
        shapely.prepare(polygon)
        min_x, min_y, max_x, max_y = polygon.bounds
        start = np.searchsorted(lon_sorted, min_x, side="left")
        stop = np.searchsorted(lon_sorted, max_x, side="right")
        candidates = order[start:stop]
        candidates = candidates[found[candidates] < 0]
        y = lat[candidates]
        candidates = candidates[(y >= min_y) & (y <= max_y)]
        if candidates.size:
            inside = shapely.intersects_xy(polygon, lon[candidates], lat[candidates])
            found[candidates[inside]] = index
    return found
