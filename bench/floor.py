"""The framework's floor: the dashboard's map recolour alone on a one-control Dash page.

Why: a click's time in the dashboard is mostly Dash's renderer and plotly.js, not the server
(issue 11's profile). This page keeps only what a recolour cannot do without: one
``dcc.RadioItems`` of indicators, one server callback returning the dashboard's own map patch
(``callbacks.views.map_output`` and ``callbacks.register.map_patch``, on the same data, gate
and role), and one ``dcc.Graph`` holding the dashboard's own map figure, drawn by the same
plotly.js bundle. No router, no other view, no other component. Its click-to-paint is what
Dash and plotly cost for the simplest recolour on this machine: a click target below it cannot
be met by any Dash page, only by recolouring outside Dash's callbacks.
"""

from __future__ import annotations

import os

from dash import Dash, Input, Output, dcc, html

CONTROL = "indicator"
MAP = "map"  # the id the browser probe watches, as on the dashboard


def create_floor_app(dashboard: Dash, state: dict) -> Dash:
    """The one-control page over ``dashboard``'s data, starting from the view ``state``."""
    from app import geojson
    from callbacks import views
    from callbacks.register import map_patch
    from layouts.filters import INDICATOR_KEYS
    from layouts.overview import map_config

    data = dashboard.live.current()
    # the indicators a click only recolours (the bivariate gap map draws other traces)
    indicators = [i for i in INDICATOR_KEYS if i not in views.BIVARIATE_INDICATORS]

    def recolour(indicator: str, key: str | None):
        result, key = views.map_output(data, {**state, "ind": indicator}, "public", key)
        result.pop("notes")
        return result, key

    first, key = recolour(indicators[0], None)
    assets = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "assets")
    app = Dash(
        __name__,
        serve_locally=True,
        compress=True,
        assets_folder=assets,
        assets_ignore=r"^(?!plotly-)",  # the dashboard's plotly.js bundle and its locale only
    )
    app.layout = html.Div(
        [
            dcc.RadioItems(indicators, indicators[0], id=CONTROL, inline=True),
            dcc.Graph(
                id=MAP,
                figure=first,
                config=map_config(state["lang"], "map"),
                style={"height": "620px", "width": "900px"},  # the dashboard's map, wide screen
            ),
        ]
    )

    # the dashboard's aggregate cache, as its own callbacks use it (flask-caching finds its
    # backend in the serving app's extensions)
    app.server.extensions["cache"] = dashboard.server.extensions["cache"]

    @app.callback(Output(MAP, "figure"), Input(CONTROL, "value"), prevent_initial_call=True)
    def map_values(indicator):
        result, _ = recolour(indicator, key)
        return map_patch(result) if views.is_values_only(result) else result

    @app.server.route("/geo/level-<int:level>.json")
    def geo(level: int):
        return app.server.response_class(geojson(data, level), mimetype="application/json")

    return app
