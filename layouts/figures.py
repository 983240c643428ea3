"""Plotly figures: the offline choropleth map and the trend charts (pure functions of data)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd

from analysis.gap import BIVARIATE_COLOURS
from layouts.i18n import category_label, local_number, month_abbr, month_label, number, t

NO_DATA_COLOUR = "#bdbdbd"
HIDDEN_COLOUR = "#f3e3c3"
COLOURSCALE = "Cividis"  # colour-blind safe, monotone in lightness
BORDER = "#ffffff"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

# A tiny shared template instead of plotly's default one (7 KB in every figure): only the
# colour cycle of the default is kept; every other look is set on the figures themselves.
COLORWAY = [
    "#636efa",
    "#EF553B",
    "#00cc96",
    "#ab63fa",
    "#FFA15A",
    "#19d3f3",
    "#FF6692",
    "#B6E880",
    "#FF97FF",
    "#FECB52",
]
TEMPLATE = {"layout": {"colorway": COLORWAY}}

# Trace order on the map: grey "no data", beige "members only", the values, the outline of
# the selected or priority units, the place names.
TRACE_NO_DATA, TRACE_HIDDEN, TRACE_VALUES, TRACE_OUTLINE, TRACE_LABELS = 0, 1, 2, 3, 4


def _hover(lang: str, unit: str) -> str:
    return "<b>%{customdata[0]}</b><br>%{customdata[1]} " + unit + "<extra></extra>"


def _on_units(series: pd.Series, units: pd.Index) -> pd.Series:
    """``series.reindex(units)``, skipped when it is already on ``units`` (the usual case)."""
    return series if series.index.equals(units) else series.reindex(units)


def map_traces_data(
    units: pd.Index,
    values: pd.Series,
    display: pd.Series,
    hidden: pd.Series,
    names: Mapping[str, str],
    lang: str,
    bivariate: bool = False,
) -> list[dict]:
    """Per-trace locations, z and hover data (what a Patch updates when only values change).

    ``names``: unit id -> name (a unit without one is shown by its id). Built over plain lists:
    per-unit lookups on Series with Arrow-backed string indexes cost microseconds each.
    """
    ids = units.tolist()
    numbers = _on_units(values, units).to_numpy(dtype="float64", na_value=np.nan)
    withheld = _on_units(hidden, units).fillna(False).to_numpy(dtype=bool)
    texts = _on_units(display, units)
    missing = texts.isna().to_numpy()
    # number strings of the gate are written the page's way; the gap map's texts already are
    shown = [
        "" if gone else (str(text) if bivariate else local_number(str(text), lang))
        for text, gone in zip(texts.tolist(), missing.tolist(), strict=True)
    ]
    has = ~np.isnan(numbers) & ~withheld
    no_data = ~has & ~withheld
    name = [names.get(u, u) for u in ids]
    out = []
    for mask, label in ((no_data, t("hover_no_data", lang)), (withheld, None)):
        rows = np.flatnonzero(mask).tolist()
        out.append(
            {
                "locations": [ids[i] for i in rows],
                "z": [0] * len(rows),
                "customdata": [[name[i], label if label else shown[i]] for i in rows],
            }
        )
    rows = np.flatnonzero(has).tolist()
    out.append(
        {
            "locations": [ids[i] for i in rows],
            "z": [float(v) for v in numbers[rows].tolist()],
            "customdata": [[name[i], shown[i]] for i in rows],
        }
    )
    return out


def _discrete_scale(colours: list[str]) -> list[list]:
    scale = []
    n = len(colours)
    for i, colour in enumerate(colours):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


BIVARIATE_SCALE = _discrete_scale([BIVARIATE_COLOURS[(c // 3, c % 3)] for c in range(9)])


def map_figure(
    geojson: str | dict,
    traces: list[dict],
    unit_label: str,
    lang: str,
    revision: str,
    bivariate: bool = False,
    big: bool = False,
    labels: dict | None = None,
    outline: list[str] | None = None,
    dark: bool = False,
) -> dict:
    """Choropleth drawn as SVG (plotly ``geo``): no tiles, no WebGL, no glyph fonts, nothing
    fetched from outside (the graph's ``topojsonURL`` points at an empty local topology).

    Traces: 0 "no data" (grey), 1 "members only" (beige), 2 the values, 3 the outline of the
    selected unit or of the priority cercles, 4 the place names that fit without overlapping.
    Keys for "no data" and "réservé aux membres" and the unit of the colour bar are drawn in
    the figure itself, so a PNG of the map carries its legend. A plain figure dict.
    """
    ink = "#f5f5f5" if dark else "#1a1a1a"
    common = {
        "type": "choropleth",
        "geojson": geojson,
        "featureidkey": "id",
        "marker": {"line": {"color": "#2b2b2b" if dark else BORDER, "width": 0.8}},
    }
    fixed_hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"
    no_data = {
        **traces[TRACE_NO_DATA],
        **common,
        "name": t("no_data", lang),
        "colorscale": [[0, NO_DATA_COLOUR], [1, NO_DATA_COLOUR]],
        "showscale": False,
        "hovertemplate": fixed_hover,
    }
    hidden = {
        **traces[TRACE_HIDDEN],
        **common,
        "name": t("members_only", lang),
        "colorscale": [[0, HIDDEN_COLOUR], [1, HIDDEN_COLOUR]],
        "showscale": False,
        "hovertemplate": fixed_hover,
    }
    if bivariate:
        scale = {"colorscale": BIVARIATE_SCALE, "zmin": -0.5, "zmax": 8.5, "showscale": False}
    else:
        scale = {
            "colorscale": COLOURSCALE,
            "showscale": True,
            # horizontal, bottom right: it never covers the east of Mali, even on a phone
            "colorbar": {
                "title": {"text": unit_label, "font": {"color": ink}, "side": "top"},
                "orientation": "h",
                "thickness": 12,
                "len": 0.42,
                "x": 1.0,
                "xanchor": "right",
                "y": 0.0,
                "yanchor": "bottom",
                "bgcolor": "rgba(0,0,0,0)",
                "tickformat": ",~r",
                "tickfont": {"color": ink, **({"size": 16} if big else {})},
            },
        }
    values = {
        **traces[TRACE_VALUES],
        **common,
        **scale,
        "name": unit_label,
        "hovertemplate": _hover(lang, "" if bivariate else unit_label),
    }
    ring = {
        **common,
        "locations": outline or [],
        "z": [0] * len(outline or []),
        "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        "showscale": False,
        "marker": {"line": {"color": "#ffffff" if dark else "#111111", "width": 3}},
        "hoverinfo": "skip",
        "name": t("selected", lang),
    }
    names = {
        "type": "scattergeo",
        "mode": "text",
        **(labels or {"lon": [], "lat": [], "text": []}),
        "textfont": {
            "size": 15 if big else 11,
            "color": ink,
            "shadow": "1px 1px 2px #000000" if dark else "auto",
        },
        "hoverinfo": "skip",
        "showlegend": False,
    }
    layout = {
        "template": TEMPLATE,
        "geo": {
            "fitbounds": "locations",
            "visible": False,
            "projection": {"type": "mercator"},
            "bgcolor": "rgba(0,0,0,0)",
        },
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "uirevision": revision,
        "showlegend": False,
        "paper_bgcolor": "#111111" if dark else "#ffffff",
        "font": {"family": FONT, "color": ink, **({"size": 18} if big else {})},
        "separators": _separators(lang),
    }
    keys = _keys(lang, ink, big)
    if bivariate:
        grid = _bivariate_key(lang, ink, big)
        keys = {k: keys[k] + grid[k] for k in keys}
    layout.update(keys)
    return {"data": [no_data, hidden, values, ring, names], "layout": layout}


def _bivariate_key(lang: str, ink: str, big: bool) -> dict:
    """The 3 x 3 need x coverage key, bottom right of the map (the same colours as the map)."""
    cell, x0, y0 = (0.03, 0.86, 0.06) if big else (0.025, 0.88, 0.06)
    shapes, annotations = [], []
    for (need, cover), colour in BIVARIATE_COLOURS.items():
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": x0 + cover * cell,
                "x1": x0 + (cover + 1) * cell,
                "y0": y0 + need * cell * 1.3,
                "y1": y0 + (need + 1) * cell * 1.3,
                "fillcolor": colour,
                "line": {"color": "#ffffff", "width": 1},
            }
        )
    font = {"size": 13 if big else 10, "color": ink}
    annotations.append(
        {
            "text": t("key_coverage", lang),
            "xref": "paper",
            "yref": "paper",
            "x": x0 + 1.5 * cell,
            "y": y0 - 0.005,
            "xanchor": "center",
            "yanchor": "top",
            "showarrow": False,
            "font": font,
        }
    )
    annotations.append(
        {
            "text": t("key_need", lang),
            "xref": "paper",
            "yref": "paper",
            "x": x0 - 0.005,
            "y": y0 + 1.5 * cell * 1.3,
            "xanchor": "right",
            "yanchor": "middle",
            "textangle": -90,
            "showarrow": False,
            "font": font,
        }
    )
    return {"shapes": shapes, "annotations": annotations}


def _keys(lang: str, ink: str, big: bool) -> dict:
    """Swatches and words for "no data" and "members only", bottom left of the map."""
    size = 14 if big else 11
    shapes, annotations = [], []
    for row, (colour, key) in enumerate(
        ((NO_DATA_COLOUR, "no_data"), (HIDDEN_COLOUR, "members_only"))
    ):
        y = 0.015 + row * (0.05 if big else 0.04)
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "yref": "paper",
                "x0": 0.005,
                "x1": 0.025,
                "y0": y,
                "y1": y + (0.03 if big else 0.025),
                "fillcolor": colour,
                "line": {"color": "#888888", "width": 1},
            }
        )
        annotations.append(
            {
                "text": t(key, lang).capitalize(),
                "xref": "paper",
                "yref": "paper",
                "x": 0.03,
                "y": y,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": size, "color": ink},
            }
        )
    return {"shapes": shapes, "annotations": annotations}


def _separators(lang: str) -> str:
    return ", " if lang == "fr" else ".,"


# Month axes: at most this many labelled months, on calendar-aligned steps (Jan/Apr/Jul/Oct...).
MAX_MONTH_TICKS = 7
NOTE_WIDTH = 50  # characters a line of a note over a chart (10 px type on a phone)
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
TREND_MARGIN = {"l": 8, "r": 8, "t": 10, "b": 8}  # axes and legend grow it (automargin)


def month_axis(months: list[str], labels: list[str], lang: str) -> dict:
    """A category x axis over ``labels`` (one per month, 'YYYY-MM' in ``months``) with few,
    short, horizontal tick labels ("janv.<br>2019", "avr.", ...): readable on a phone, never
    clipped (the axis grows the bottom margin); the hover keeps the full month."""
    step = next((s for s in MONTH_STEPS if -(-len(months) // s) <= MAX_MONTH_TICKS), 120)
    tickvals, ticktext, last_year = [], [], None
    for month, label in zip(months, labels, strict=True):
        if step > 1 and (int(month[5:7]) - 1) % step:
            continue
        if step >= 12 and int(month[:4]) % (step // 12):
            continue
        text = month_abbr(month, lang)
        if month[:4] != last_year:
            text = f"{text}<br>{month[:4]}"
            last_year = month[:4]
        tickvals.append(label)
        ticktext.append(text)
    if not tickvals and labels:  # too few months to meet a step: label the first one
        tickvals, ticktext = [labels[0]], [f"{month_abbr(months[0], lang)}<br>{months[0][:4]}"]
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": labels,
        "tickmode": "array",
        "tickvals": tickvals,
        "ticktext": ticktext,
        "tickangle": 0,
        "automargin": True,
        "showgrid": False,
    }


def _legend_below() -> dict:
    """Legend under the plot (never over the bars on a narrow screen), wrapping as needed."""
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 0,
        "yanchor": "bottom",
        "yref": "container",
        "font": {"size": 11},
        "traceorder": "normal",
    }


def _largest_first(totals: np.ndarray) -> np.ndarray:
    """Positions of ``totals`` from the largest down, ties in the order pandas'
    ``Series.sort_values(ascending=False)`` gives them (the same quicksort on the reversed
    values, reversed back)."""
    backwards = np.arange(len(totals))[::-1]
    return backwards[totals[::-1].argsort(kind="quicksort")][::-1]


def incident_trend_figure(
    values: pd.DataFrame, withheld: list[str], notes: list[str], lang: str
) -> dict:
    """Stacked monthly bars per category; categories withheld from the viewer are left out and
    the reason is written on the chart.

    A plain figure dict (what plotly would serialise), built without plotly's validation.
    """
    months = values.index.tolist()
    x = [month_label(m, lang) for m in months]
    left_out = set(withheld)
    kept = [j for j, c in enumerate(values.columns) if c not in left_out]
    categories = [values.columns[j] for j in kept]
    shown = values.to_numpy(dtype="float64")[:, kept]
    data = []
    for j in _largest_first(np.nansum(shown, axis=0)):
        column = shown[:, j]
        if not np.any(np.nan_to_num(column)):
            continue
        label = category_label(categories[j], lang)
        data.append(
            {
                "type": "bar",
                "x": x,
                "y": [None if math.isnan(v) else v for v in column.tolist()],
                "name": label,
                "customdata": [number(v, lang) for v in column.tolist()],
                "hovertemplate": "%{x}<br>"
                + label.replace("%", "%%")
                + " : %{customdata}<extra></extra>",
            }
        )
    xaxis = month_axis(months, x, lang)
    yaxis = {
        "gridcolor": "#e5e5e5",
        "title": {"text": t("unit_events", lang)},
        "automargin": True,
        "tickformat": ",~r",
    }
    if not np.isnan(shown).all():
        yaxis["rangemode"] = "tozero"
    layout = {
        "template": TEMPLATE,
        "barmode": "stack",
        "margin": dict(TREND_MARGIN),
        "legend": _legend_below(),
        "font": {"family": FONT},
        "separators": _separators(lang),
        "plot_bgcolor": "#ffffff",
        "xaxis": xaxis,
        "yaxis": yaxis,
        "hovermode": "closest",
    }
    if notes:
        # Wrapped so that the note fits a phone-wide chart (annotations do not wrap by themselves).
        lines = [line for note in notes for line in textwrap.wrap(note, NOTE_WIDTH)]
        layout["margin"]["t"] = 14 + 13 * len(lines)
        layout["annotations"] = [
            {
                "text": "<br>".join(lines),
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": 1.0,
                "yanchor": "bottom",
                "xanchor": "left",
                "showarrow": False,
                "align": "left",
                "font": {"size": 10, "color": "#555555"},
            }
        ]
    return {"data": data, "layout": layout}


def displacement_trend_figure(series: pd.DataFrame, lang: str) -> dict:
    """IDPs, returnees and repatriated over reporting dates (a plain figure dict)."""
    colours = {"idps": "#00204d", "returnees": "#7c7b78", "repatriated": "#c9b659"}
    months = [d.strftime("%Y-%m") for d in series.index]
    x = [month_label(m, lang) for m in months]
    data = []
    for measure, key in (
        ("idps", "ind_idps"),
        ("returnees", "ind_returnees"),
        ("repatriated", "ind_repatriated"),
    ):
        if measure not in series:
            continue
        label = t(key, lang)
        data.append(
            {
                "type": "scatter",
                "x": x,
                "y": [None if pd.isna(v) else float(v) for v in series[measure].tolist()],
                "name": label,
                "mode": "lines+markers",
                "line": {"color": colours[measure], "width": 2},
                "customdata": [number(v, lang) for v in series[measure]],
                "hovertemplate": "%{x}<br>" + label + " : %{customdata}<extra></extra>",
            }
        )
    layout = {
        "template": TEMPLATE,
        "margin": dict(TREND_MARGIN),
        "font": {"family": FONT},
        "legend": _legend_below(),
        "separators": _separators(lang),
        "plot_bgcolor": "#ffffff",
        "xaxis": month_axis(months, x, lang),
        "yaxis": {
            "gridcolor": "#e5e5e5",
            "rangemode": "tozero",
            "title": {"text": t("unit_people", lang)},
            "automargin": True,
            "tickformat": ",~r",
        },
        "hovermode": "closest",
    }
    return {"data": data, "layout": layout}
