"""Plotly figures: the offline choropleth map and the trend charts (pure functions of data)."""

from __future__ import annotations

import textwrap

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

# Trace order on the map: grey "no data", beige "members only", then the values.
TRACE_NO_DATA, TRACE_HIDDEN, TRACE_VALUES = 0, 1, 2


def _hover(lang: str, unit: str) -> str:
    return "<b>%{customdata[0]}</b><br>%{customdata[1]} " + unit + "<extra></extra>"


def map_traces_data(
    units: pd.Index,
    values: pd.Series,
    display: pd.Series,
    hidden: pd.Series,
    names: pd.Series,
    lang: str,
    bivariate: bool = False,
) -> list[dict]:
    """Per-trace locations, z and hover data (what a Patch updates when only values change)."""
    values = values.reindex(units)
    hidden = hidden.reindex(units).fillna(False).astype(bool)
    shown = display.reindex(units).fillna("").map(lambda text: local_number(str(text), lang))
    has = values.notna() & ~hidden
    no_data = ~has & ~hidden
    name = names.reindex(units).fillna(pd.Series(units, index=units))
    out = []
    for mask, label in ((no_data, t("hover_no_data", lang)), (hidden, None)):
        locs = list(units[mask.to_numpy()])
        out.append(
            {
                "locations": locs,
                "z": [0] * len(locs),
                "customdata": [[name[u], label if label else shown[u]] for u in locs],
            }
        )
    locs = list(units[has.to_numpy()])
    z = [float(values[u]) for u in locs]
    out.append({"locations": locs, "z": z, "customdata": [[name[u], shown[u]] for u in locs]})
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
    centre: dict,
    zoom: float,
    revision: str,
    bivariate: bool = False,
    height: int | None = None,
) -> dict:
    """Choropleth on a blank ("white-bg") MapLibre map: no tiles, nothing fetched from outside.

    A plain figure dict (what plotly would serialise), built without plotly's validation.
    """
    common = {
        "type": "choroplethmap",
        "geojson": geojson,
        "featureidkey": "id",
        "marker": {"line": {"color": BORDER, "width": 0.8}},
    }
    fixed_hover = "<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"
    tick = {"tickfont": {"size": 18}} if height else {}
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
            "colorbar": {
                "title": {"text": unit_label},
                "thickness": 14,
                "len": 0.6,
                "x": 0.99,
                "xanchor": "right",
                "bgcolor": "rgba(255,255,255,0.8)",
                "tickformat": ",~r",
            },
        }
    values = {
        **traces[TRACE_VALUES],
        **common,
        **scale,
        "name": unit_label,
        "hovertemplate": _hover(lang, "" if bivariate else unit_label),
    }
    data = [no_data, hidden, values]
    if tick:  # briefing: readable from the back of the room
        for trace in data:
            trace["colorbar"] = {**trace.get("colorbar", {}), **tick}
    layout = {
        "template": TEMPLATE,
        "map": {"style": "white-bg", "center": centre, "zoom": zoom},
        "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
        "uirevision": revision,
        "showlegend": False,
        "paper_bgcolor": "#ffffff",
        "font": {"family": FONT, **({"size": 18} if height else {})},
        "separators": _separators(lang),
    }
    if height:
        layout["height"] = height
    return {"data": data, "layout": layout}


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


def incident_trend_figure(
    values: pd.DataFrame, withheld: list[str], notes: list[str], lang: str
) -> dict:
    """Stacked monthly bars per category; categories withheld from the viewer are left out and
    the reason is written on the chart.

    A plain figure dict (what plotly would serialise), built without plotly's validation.
    """
    months = list(values.index)
    x = [month_label(m, lang) for m in months]
    shown = values.drop(columns=[c for c in withheld if c in values.columns])
    totals = shown.sum(axis=1, min_count=1)
    order = shown.sum().sort_values(ascending=False).index
    data = []
    for cat in order:
        series = shown[cat]
        if (series.fillna(0) == 0).all():
            continue
        label = category_label(cat, lang)
        data.append(
            {
                "type": "bar",
                "x": x,
                "y": [None if pd.isna(v) else float(v) for v in series.tolist()],
                "name": label,
                "customdata": [number(v, lang) for v in series.tolist()],
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
    if totals.notna().any():
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
