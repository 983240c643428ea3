"""Static maps of a briefing pack, drawn with matplotlib from the dashboard's display geometry.

Why matplotlib (Agg) rather than a headless browser (plotly + kaleido): a scheduled job and CI
then need no Chromium, nothing is fetched, and the same PNG goes into the PDF, the slides and
the offline snapshot. The map shows what the page's map shows: the gate's value per unit
(``MapContent``), "no data" in grey and "réservé aux membres" in beige, each keyed in the
legend with the unit, place names on the map, and the briefing's area outlined.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.patheffects as pe  # noqa: E402
import numpy as np  # noqa: E402
import shapely  # noqa: E402
from geopandas import GeoSeries  # noqa: E402
from matplotlib import colormaps  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch, Rectangle  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from analysis.gap import BIVARIATE_COLOURS  # noqa: E402
from briefing.model import MapContent  # noqa: E402
from geo.display import DisplayLevel  # noqa: E402
from layouts.i18n import number  # noqa: E402

# The page's colours (layouts/figures.py), so the printed map reads like the one on screen.
NO_DATA_COLOUR = "#bdbdbd"
HIDDEN_COLOUR = "#f3e3c3"
CONTEXT_COLOUR = "#f1f1f1"
COLOURMAP = "cividis"
DPI = 180
MAP_WIDTH = 6.0  # inches; the height follows the area
STRIP = 0.95  # inches below the map for the legend
STRIP_BIVARIATE = 1.45
FONT = "DejaVu Sans"  # shipped with matplotlib: the same glyphs on every machine
HALO = [pe.withStroke(linewidth=2.4, foreground="white")]


def shapes_of(display: DisplayLevel) -> dict[str, object]:
    """Unit id -> shapely geometry of a display level."""
    return {f["id"]: shapely.geometry.shape(f["geometry"]) for f in display.geojson["features"]}


def _colours(content: MapContent) -> list[str]:
    if content.bivariate:
        return [
            HIDDEN_COLOUR
            if hidden
            else NO_DATA_COLOUR
            if value is None
            else BIVARIATE_COLOURS[(int(value) // 3, int(value) % 3)]
            for value, hidden in zip(content.values, content.hidden, strict=True)
        ]
    present = [v for v in content.values if v is not None]
    norm = Normalize(0, max(present) if present and max(present) > 0 else 1)
    cmap = colormaps[COLOURMAP]
    return [
        HIDDEN_COLOUR
        if hidden
        else NO_DATA_COLOUR
        if value is None
        else matplotlib.colors.to_hex(cmap(norm(value)))
        for value, hidden in zip(content.values, content.hidden, strict=True)
    ]


def _extent(geoms: list, pad: float = 0.06) -> tuple[float, float, float, float]:
    west, south, east, north = shapely.total_bounds(np.asarray(geoms, dtype=object))
    dx, dy = (east - west) * pad, (north - south) * pad
    return west - dx, south - dy, east + dx, north + dy


def render_map(
    content: MapContent,
    units: DisplayLevel,
    regions: DisplayLevel,
    texts: dict[str, str],
    width: float = MAP_WIDTH,
) -> bytes:
    """The map as PNG bytes, ``width`` inches wide and as tall as the area needs.

    ``units``: display geometry of the mapped level; ``regions``: of the régions (context
    around a région, borders and names on national maps); ``texts``: the pack's headings
    (legend labels in the pack's language).
    """
    shapes = shapes_of(units)
    region_shapes = shapes_of(regions)
    geoms = [shapes[u] for u in content.units if u in shapes]
    west, south, east, north = _extent(geoms)
    # Plate carrée stretched by 1/cos(latitude): shapes look right at Mali's latitudes.
    stretch = 1 / math.cos(math.radians((south + north) / 2))
    map_h = min(max(width * (north - south) * stretch / (east - west), 2.6), width * 1.05)
    strip_h = STRIP_BIVARIATE if content.bivariate else STRIP
    fig = Figure(figsize=(width, map_h + strip_h), dpi=DPI)
    FigureCanvasAgg(fig)  # a renderer to measure labels with (priority marks avoid names)
    fig.set_layout_engine(None)
    strip = strip_h / (map_h + strip_h)
    ax = fig.add_axes((0.0, strip, 1.0, 1.0 - strip))
    ax.set_axis_off()
    ax.set_aspect(stretch)
    national = not content.region
    if not national:  # the neighbouring régions, for context
        GeoSeries(list(region_shapes.values())).plot(
            ax=ax, color=CONTEXT_COLOUR, edgecolor="white", linewidth=0.8
        )
        for rid, shape in region_shapes.items():
            if rid == content.region:
                continue
            point = shapely.point_on_surface(shape)
            if west < point.x < east and south < point.y < north:
                ax.text(
                    point.x,
                    point.y,
                    regions.extents[rid].name,
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="#7a7a7a",
                    style="italic",
                    family=FONT,
                )
    GeoSeries(geoms).plot(ax=ax, color=_colours(content), edgecolor="white", linewidth=0.7)
    if national and content.level > 1:  # région borders over the cercles
        GeoSeries(list(region_shapes.values())).boundary.plot(ax=ax, color="#4d4d4d", linewidth=0.9)
    outline = (
        shapely.union_all(list(region_shapes.values()))
        if national
        else region_shapes[content.region]
    )
    GeoSeries([outline]).boundary.plot(ax=ax, color="#111111", linewidth=1.8)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    _labels(ax, content, units, regions, national)
    _legend(fig, content, texts, strip)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, transparent=True, metadata={"Software": None})
    return buffer.getvalue()


def _labels(ax, content: MapContent, units: DisplayLevel, regions: DisplayLevel, national: bool):
    """Names on the map: each unit with its value; on a national cercle map (too many
    cercles to name legibly) the régions' names instead."""
    if national and content.level > 1:
        names = []
        for region in regions.extents.values():
            text = ax.text(
                region.label_lon,
                region.label_lat,
                region.name,
                ha="center",
                va="center",
                fontsize=10,
                weight="bold",
                family=FONT,
                color="#1a1a1a",
                path_effects=HALO,
            )
            names.append(text)
        _marks(ax, content, units, names)
        return
    width = ax.get_xlim()[1] - ax.get_xlim()[0]
    small = 10 if len(content.units) <= 12 else 8
    for unit, name, label, value, hidden in zip(
        content.units, content.names, content.labels, content.values, content.hidden, strict=True
    ):
        extent = units.extents.get(unit)
        if extent is None:
            continue
        text = name
        if not content.bivariate and not hidden and value is not None:
            text = f"{name}\n{label}"
        x, y = extent.label_lon, extent.label_lat
        tiny = (extent.east - extent.west) < width * 0.04
        if tiny:  # Bamako and the like: the name beside the unit, with a leader line
            ax.annotate(
                text.replace("\n", " "),
                (x, y),
                xytext=(x - width * 0.09, y - width * 0.075),
                ha="right",
                va="center",
                fontsize=small - 1,
                family=FONT,
                path_effects=HALO,
                arrowprops={"arrowstyle": "-", "color": "#333333", "linewidth": 0.7},
            )
            continue
        ax.text(
            x,
            y,
            text,
            ha="center",
            va="center",
            fontsize=small,
            family=FONT,
            linespacing=1.1,
            path_effects=HALO,
        )


def _marks(ax, content: MapContent, units: DisplayLevel, taken: list) -> None:
    """The priority ranks of the table beside the map, as numbered discs on their cercles
    (a national map has no room for 50 cercle names). A disc that would cover a name or
    another disc moves to the nearest free place, with a leader line to its cercle."""
    renderer = ax.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in taken]
    step = DPI * 13 / 72  # pixels
    tries = [(0, 0), (0, -1), (1, -1), (-1, -1), (1, 0), (-1, 0), (0, 1), (1, 1), (-1, 1)]
    tries += [(2 * dx, 2 * dy) for dx, dy in tries[1:]]
    to_data = ax.transData.inverted()
    for unit, label in content.marks:
        extent = units.extents.get(unit)
        if extent is None:
            continue
        point = (extent.label_lon, extent.label_lat)
        x, y = ax.transData.transform(point)
        style = {
            "ha": "center",
            "va": "center",
            "fontsize": 7.5,
            "weight": "bold",
            "family": FONT,
            "color": "#111111",
            "bbox": {"boxstyle": "circle,pad=0.25", "facecolor": "white", "edgecolor": "#111111"},
            "zorder": 5,
        }
        mark = ax.text(*point, label, **style)
        for dx, dy in tries:
            where = to_data.transform((x + dx * step, y + dy * step))
            mark.set_position(where)
            box = mark.get_window_extent(renderer).expanded(2.0, 1.9)
            if not any(box.overlaps(other) for other in boxes):
                break
        boxes.append(mark.get_window_extent(renderer).expanded(2.0, 1.9))
        if (dx, dy) != (0, 0):
            ax.annotate(
                "",
                xy=point,
                xytext=tuple(where),
                arrowprops={"arrowstyle": "-", "color": "#111111", "linewidth": 0.7},
                zorder=4,
            )


def _inches(
    fig: Figure, x: float, y: float, w: float, h: float
) -> tuple[float, float, float, float]:
    """An axes box given in inches from the bottom left, as figure fractions."""
    width, height = fig.get_size_inches()
    return (x / width, y / height, w / width, h / height)


def _legend(fig: Figure, content: MapContent, texts: dict[str, str], strip: float) -> None:
    """Below the map: the colour key with its unit (or the 3 x 3 need x coverage key), then
    "no data", "réservé aux membres" and the briefing's area."""
    if content.bivariate:
        key = fig.add_axes(_inches(fig, 0.55, 0.32, 0.92, 0.92))
        for need in range(3):
            for cover in range(3):
                key.add_patch(
                    Rectangle((cover, need), 1, 1, color=BIVARIATE_COLOURS[(need, cover)])
                )
        key.set_xlim(0, 3)
        key.set_ylim(0, 3)
        key.set_aspect("equal")
        key.set_xticks([])
        key.set_yticks([])
        key.set_xlabel(texts["legend_coverage"], fontsize=9, family=FONT, labelpad=2)
        key.set_ylabel(texts["legend_need"], fontsize=9, family=FONT, labelpad=2)
        key.set_title(texts["legend_title_gap"], fontsize=9.5, family=FONT, pad=3)
        patches_box = _inches(fig, 2.6, 0.05, 3.3, STRIP_BIVARIATE - 0.1)
    else:
        bar = fig.add_axes(_inches(fig, 0.3, 0.36, 2.9, 0.16))
        present = [v for v in content.values if v is not None]
        top = max(present) if present and max(present) > 0 else 1
        gradient = np.linspace(0, top, 256)[None, :]
        bar.imshow(gradient, aspect="auto", cmap=COLOURMAP, extent=(0, top, 0, 1))
        bar.set_yticks([])
        ticks = [v for v in MaxNLocator(nbins=5).tick_values(0, top) if 0 <= v <= top]
        bar.set_xticks(ticks)
        lang = texts.get("lang", "fr")
        decimals = 0 if all(float(v).is_integer() for v in ticks) else 1
        bar.set_xticklabels([number(v, lang, decimals) for v in ticks], fontsize=8, family=FONT)
        bar.set_title(content.unit_label, fontsize=9.5, family=FONT, pad=3, loc="left")
        patches_box = _inches(fig, 3.5, 0.03, 2.4, STRIP - 0.06)
    handles = [
        Patch(facecolor=NO_DATA_COLOUR, edgecolor="#888888", label=texts["no_data"]),
        Patch(facecolor=HIDDEN_COLOUR, edgecolor="#888888", label=texts["members_only"]),
        Patch(facecolor="none", edgecolor="#111111", linewidth=1.8, label=texts["legend_outline"]),
    ]
    holder = fig.add_axes(patches_box)
    holder.set_axis_off()
    holder.legend(
        handles=handles,
        loc="center left",
        frameon=False,
        prop={"family": FONT, "size": 9},
        handlelength=1.6,
    )
