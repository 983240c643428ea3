"""The naive baseline: what a first-draft Dash map would do, measured on the same path.

Why keep it: "fast" only means something against the obvious implementation. This tiny app
has one callback that, on every filter change, filters and groups the RAW incident rows with
pandas and rebuilds a ``px.choropleth_map`` figure with the FULL-RESOLUTION GeoJSON of the
boundary set (``GeoDataFrame.to_json`` each call), so every update ships the whole geometry.
It is driven through the same :class:`bench.client.DashClient` (real HTTP endpoint, same
payload rules, gzip) with the same sequence of view states as the dashboard.

The only preparation done once is attaching the map unit of each row at each level
(``BoundarySet.assign_units``), i.e. the columns a raw file would already need to be mapped.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.express as px
from dash import Dash, Input, Output, dcc, html

from geo.boundaries import BoundarySet

STORE = "filters"
MAP = "map"


def _rows(incidents: pd.DataFrame, boundaries: BoundarySet) -> pd.DataFrame:
    """Raw rows plus their unit at each level of the set (plain columns, no aggregation)."""
    codes = {c: incidents[c].astype("string").fillna("") for c in ("adm1_pcode", "adm2_pcode")}
    adm3 = incidents["adm3_pcode"].astype("string").fillna("")
    rows = pd.DataFrame(
        {
            "date": incidents["date"],
            "category": incidents["category"].astype(str),
            "events": incidents["events"].fillna(1).astype("int64"),
            "fatalities": incidents["fatalities"].fillna(0).astype("int64"),
        }
    )
    from data.vocab import CATEGORY_BY_CODE

    rows["sector"] = rows["category"].map({k: v.sector for k, v in CATEGORY_BY_CODE.items()})
    for level in sorted(boundaries.levels):
        units = boundaries.assign_units(codes["adm1_pcode"], codes["adm2_pcode"], level, adm3)
        rows[f"unit{level}"] = units.astype(str).to_numpy()
    return rows


def naive_level(state: dict, levels: list[int]) -> int:
    """The level the dashboard would draw: a région shows its cercles."""
    level = 2 if state.get("region") and int(state.get("level", 1)) < 2 else int(state["level"])
    return level if level in levels else max(levels)


def naive_figure(rows: pd.DataFrame, boundaries: BoundarySet, state: dict) -> dict:
    """Filter, group and draw from scratch (the work this benchmark's app avoids)."""
    level = naive_level(state, sorted(boundaries.levels))
    start = pd.Timestamp(f"{state['start']}-01")
    end = pd.Timestamp(f"{state['end']}-01") + pd.offsets.MonthEnd(0)
    keep = (rows["date"] >= start) & (rows["date"] <= end)
    if state.get("cats"):
        keep &= rows["category"].isin(state["cats"])
    if state.get("sector"):
        keep &= rows["sector"] == state["sector"]
    if state.get("region"):
        keep &= rows["unit1"] == state["region"]
    measure = "fatalities" if state.get("ind") == "fatalities" else "events"
    column = f"unit{level}"
    grouped = rows[keep].groupby(column, as_index=False)[measure].sum()
    grouped = grouped[grouped[column] != ""]
    shapes = boundaries.level(level).set_index("unit_id")[["name", "geometry"]]
    geojson = json.loads(shapes.to_json())  # full resolution, every call
    figure = px.choropleth_map(
        grouped,
        geojson=geojson,
        locations=column,
        color=measure,
        color_continuous_scale="Cividis",
        map_style="white-bg",
        zoom=4.3,
        center={"lat": 17.5, "lon": -4.0},
        height=620,
    )
    return figure.to_plotly_json()


def create_naive_app(incidents: pd.DataFrame, boundaries: BoundarySet, state: dict) -> Dash:
    """A one-callback Dash app over the raw rows; ``state`` is the initial view state."""
    rows = _rows(incidents, boundaries)
    app = Dash(__name__, compress=True, serve_locally=True, update_title=None)
    app.layout = html.Div([dcc.Store(id=STORE, data=state), dcc.Graph(id=MAP)])

    @app.callback(Output(MAP, "figure"), Input(STORE, "data"))
    def draw(filters: dict) -> dict:
        return naive_figure(rows, boundaries, filters)

    return app
