"""Which place names fit on a map: a greedy placement that never lets two names overlap.

Why: names read from the back of a meeting room only if they do not pile up. The map is drawn
in a Mercator projection fitted to the units on screen, so each label's box can be estimated
in pixels here, once per scope, without a browser: the largest units are named first (they are
the easiest to find), and a name that would overlap one already placed is left to the hover.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from geo.display import UnitExtent

CHAR_WIDTH = 0.62  # average glyph width of a sans-serif font, in font sizes (with a margin)
LINE_HEIGHT = 1.25


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def place_labels(
    extents: Sequence[UnitExtent],
    names: dict[str, str],
    width: int = 1000,
    height: int = 620,
    font_px: int = 11,
) -> list[str]:
    """The unit ids whose name can be written at its label point without overlapping another."""
    if not extents:
        return []
    west = min(e.west for e in extents)
    east = max(e.east for e in extents)
    south = min(e.south for e in extents)
    north = max(e.north for e in extents)
    x_span = math.radians(max(east - west, 1e-6))
    y_span = max(_mercator_y(north) - _mercator_y(south), 1e-6)
    scale = min(width / x_span, height / y_span)  # fitbounds: the tighter dimension decides

    def box(extent: UnitExtent) -> tuple[float, float, float, float]:
        x = math.radians(extent.label_lon - west) * scale
        y = (_mercator_y(north) - _mercator_y(extent.label_lat)) * scale
        half_w = len(names.get(extent.unit_id, "")) * CHAR_WIDTH * font_px / 2 + 2
        half_h = LINE_HEIGHT * font_px / 2
        return x - half_w, y - half_h, x + half_w, y + half_h

    def area(extent: UnitExtent) -> float:
        return (extent.east - extent.west) * (extent.north - extent.south)

    placed: list[tuple[float, float, float, float]] = []
    chosen = []
    for extent in sorted(extents, key=area, reverse=True):
        left, top, right, bottom = box(extent)
        clear = all(
            right < other[0] or left > other[2] or bottom < other[1] or top > other[3]
            for other in placed
        )
        if clear:
            placed.append((left, top, right, bottom))
            chosen.append(extent.unit_id)
    return chosen


__all__ = ["place_labels"]
