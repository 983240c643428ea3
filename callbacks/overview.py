"""The overview's callback: map, key figures, trends and the unit panel in one request.

One request per interaction, not one per view: each callback a click fires costs the page a
round of store updates that every component answers, and each response a render pass (issue
11). The views whose slice did not change get ``no_update`` (all are drawn on the first call),
so the server does no more work than with one callback per view. Each part still cleans its
own slice and asks the gate for the viewer's role.
"""

from __future__ import annotations

from collections.abc import Callable

from dash import ALL, Dash, Input, Output, Patch, State, ctx, no_update

from analysis.dataset import DashboardData
from analysis.live import LiveData
from callbacks import views
from callbacks.state import clean_slice
from callbacks.viewer import viewer_role
from layouts import ids
from layouts.overview import graph_config, map_config
from layouts.tables import TileText

MAP_OUTPUTS = (
    Output(ids.MAP, "figure"),
    Output(ids.MAP, "config"),
    Output(ids.MAP_KEY, "data"),
    Output(ids.MAP_TITLE, "children"),
)
FIGURE_OUTPUTS = (
    Output({"type": ids.KF_VALUE, "key": ALL}, "children"),
    Output({"type": ids.KF_CHANGE, "key": ALL}, "children"),
    Output({"type": ids.KF_CHANGE, "key": ALL}, "className"),
    Output(ids.KF_FAMILIES, "children"),
    Output(ids.KF_OVERLAP, "children"),
    Output(ids.KF_PROTECTION, "children"),
)
TREND_OUTPUTS = (
    Output(ids.TREND_INCIDENTS, "figure"),
    Output(ids.TREND_INCIDENTS, "config"),
    Output(ids.TREND_DISPLACEMENT, "figure"),
    Output(ids.TREND_DISPLACEMENT, "config"),
    Output(ids.DISPLACEMENT_KEY, "data"),
)
PANEL_OUTPUTS = (
    Output(ids.UNIT_PANEL, "children"),
    Output(ids.UNIT_PARTNERS, "rowData"),
    Output(ids.UNIT_PARTNERS, "columnDefs"),
    Output(ids.UNIT_PARTNERS, "dashGridOptions"),
    Output(ids.UNIT_PARTNERS_BOX, "style"),
)
TILE_GROUPS = slice(len(MAP_OUTPUTS), len(MAP_OUTPUTS) + 3)  # the tiles' ALL outputs


def map_patch(result: dict) -> Patch:
    """Only the values of the map's traces (locations, z, hover): never its geometry."""
    patch = Patch()
    for index, trace in enumerate(result["traces"]):
        patch["data"][index]["locations"] = trace["locations"]
        patch["data"][index]["z"] = trace["z"]
        patch["data"][index]["customdata"] = trace["customdata"]
    patch["layout"]["meta"] = result["meta"]
    patch["data"][3]["locations"] = result["outline"]
    patch["data"][3]["z"] = [0] * len(result["outline"])
    patch["data"][2]["colorbar"]["title"]["text"] = result["unit_label"]
    patch["data"][2]["name"] = result["unit_label"]
    patch["data"][2]["hovertemplate"] = (
        "<b>%{customdata[0]}</b><br>%{customdata[1]} " + result["unit_label"] + "<extra></extra>"
    )
    return patch


def tile_key(output: dict) -> str | None:
    """The figure key of a key-figure output the request names (anything may be sent)."""
    ident = output.get("id") if isinstance(output, dict) else None
    key = ident.get("key") if isinstance(ident, dict) else None
    return key if isinstance(key, str) else None


def map_part(data: DashboardData, raw, current_key, role: str) -> tuple:
    """The map: a patch of its values, or a full figure with its config when the geometry or
    the language changed (a dcc.Graph reads its config only when it plots)."""
    _, state = clean_slice(raw, data.domain())
    state = views.briefing_map_state(state)
    result, key = views.map_output(data, state, role, current_key)
    title = views.titled(views.map_title(data, state), result.pop("notes"), state["lang"])
    if views.is_values_only(result):
        return map_patch(result), no_update, no_update, title
    return result, map_config(state["lang"]), key, title


def figures_part(data: DashboardData, raw, role: str) -> tuple:
    """The tiles' texts (the tiles are laid out once) and the notes below them."""
    _, state = clean_slice(raw, data.domain())
    tiles = views.key_figures_view(data, state, role)
    shown = [
        [tiles.get(tile_key(o), TileText()) for o in group]
        for group in ctx.outputs_list[TILE_GROUPS]
    ]
    return (
        [tile.value for tile in shown[0]],
        [tile.change for tile in shown[1]],
        [f"kf-change {tile.direction}".strip() for tile in shown[2]],
        *views.families_note_view(data, state, role),
    )


def trends_part(
    data: DashboardData, raw_trend, raw_displacement, drawn, trend_changed: bool, role: str
) -> tuple:
    """The incident trend when its slice changed; the displacement chart only when its scope
    or language differs from the one drawn (``drawn``), which no filter but those changes."""
    domain = data.domain()
    trend_on, trend = clean_slice(raw_trend, domain)
    moved_on, moved_state = clean_slice(raw_displacement, domain)
    incidents = incidents_config = no_update
    if trend_on and trend_changed:
        incidents = views.incident_trend_view(data, trend, role)
        incidents_config = graph_config(trend["lang"])
    moved = moved_config = key = no_update
    wanted = views.displacement_key(moved_state)
    if moved_on and wanted != drawn:
        moved, key = views.displacement_trend_view(data, moved_state, role), wanted
        moved_config = graph_config(moved_state["lang"])
    return incidents, incidents_config, moved, moved_config, key


def panel_part(data: DashboardData, raw, role: str) -> tuple:
    """The selected unit's rows and its partners grid."""
    _, state = clean_slice(raw, data.domain())
    partners = views.partners_view(data, state, role)
    return (
        views.unit_panel_view(data, state, role),
        partners["rows"],
        partners["columns"],
        partners["options"],
        partners["style"],
    )


def _unchanged(count: int, first: int = 0) -> list:
    """``no_update`` for ``count`` outputs from position ``first`` (a list for each ALL one)."""
    return [
        [no_update] * len(group) if isinstance(group, list) else no_update
        for group in ctx.outputs_list[first : first + count]
    ]


def register_overview(app: Dash, live: LiveData) -> None:
    @app.callback(
        *MAP_OUTPUTS,
        *FIGURE_OUTPUTS,
        *TREND_OUTPUTS,
        *PANEL_OUTPUTS,
        Input(ids.MAP_STATE, "data"),
        Input(ids.FIGURES_STATE, "data"),
        Input(ids.TREND_STATE, "data"),
        Input(ids.DISPLACEMENT_STATE, "data"),
        Input(ids.PANEL_STATE, "data"),
        State(ids.MAP_KEY, "data"),
        State(ids.DISPLACEMENT_KEY, "data"),
    )
    def overview(raw_map, raw_figures, raw_trend, raw_displacement, raw_panel, map_key, drawn):
        data = live.current()
        role = viewer_role()
        fired = ctx.triggered_prop_ids  # empty on the initial call: every view

        def changed(*stores: str) -> bool:
            return not fired or any(f"{store}.data" in fired for store in stores)

        parts: list[tuple[bool, int, Callable[[], tuple]]] = [
            (
                changed(ids.MAP_STATE),
                len(MAP_OUTPUTS),
                lambda: map_part(data, raw_map, map_key, role),
            ),
            (
                changed(ids.FIGURES_STATE),
                len(FIGURE_OUTPUTS),
                lambda: figures_part(data, raw_figures, role),
            ),
            (
                changed(ids.TREND_STATE, ids.DISPLACEMENT_STATE),
                len(TREND_OUTPUTS),
                lambda: trends_part(
                    data, raw_trend, raw_displacement, drawn, changed(ids.TREND_STATE), role
                ),
            ),
            (
                changed(ids.PANEL_STATE),
                len(PANEL_OUTPUTS),
                lambda: panel_part(data, raw_panel, role),
            ),
        ]
        out: list = []
        for wanted, count, compute in parts:
            out.extend(compute() if wanted else _unchanged(count, len(out)))
        return out
