"""Overview: map, key figures, trends, cercle panel."""

from __future__ import annotations

from dash import dcc, html

from layouts import ids
from layouts.common import T, card, export_buttons
from layouts.grids import grid
from layouts.tables import key_figure_grid, unit_panel

# The chart toolbar (plotly.js modebar) of every graph: nothing that uploads a figure (plotly.js
# 4 shows a "Share chart..." button to Plotly Cloud unless told otherwise; "Edit in Chart
# Studio" and the "Produced with Plotly" link are older forms of it), and its texts in the
# page's language (the French dictionary is assets/plotly-locale-fr.js; callbacks switch
# ``locale`` with the language).
NO_UPLOAD = {
    "displaylogo": False,
    "showLink": False,
    "sendData": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "plotlyServerURL": "",
    # The SVG map draws no base layer, but plotly.js still loads its world topology: an empty
    # one is served by the app, so nothing is fetched from another host.
    "topojsonURL": "/assets/topojson/",
}
CLOUD_BUTTONS = ["sendChartToCloud", "sendDataToCloud", "editInChartStudio"]


def graph_config(lang: str, remove: tuple[str, ...] = (), **extra) -> dict:
    """A dcc.Graph config with no upload button and the modebar in ``lang``."""
    return {
        **NO_UPLOAD,
        **extra,
        "modeBarButtonsToRemove": [*CLOUD_BUTTONS, *remove],
        "locale": lang,
    }


MAP_REMOVE = ("select2d", "lasso2d")
MAP_IMAGE = {"format": "png", "filename": "carte-mali-protection", "scale": 2}


def map_config(lang: str, filename: str = MAP_IMAGE["filename"]) -> dict:
    """The maps' config in ``lang``. A dcc.Graph reads its config only when it plots, so the
    callbacks send it with every full figure: a language switch re-plots each graph once."""
    image = {**MAP_IMAGE, "filename": filename}
    return graph_config(lang, MAP_REMOVE, scrollZoom=True, toImageButtonOptions=image)


def png_button(button_id: str, filename: str, lang: str) -> html.Button:
    """Downloads the map as a PNG with its title, keys, source and demo mark (map-png.js)."""
    return html.Button(
        T("map_png", lang, n=button_id),
        id=button_id,
        name=filename,
        n_clicks=0,
        className="btn btn-outline-secondary btn-sm",
    )


def pack_buttons(lang: str) -> html.Div:
    """The briefing pack of the current scope and period, in one click (PDF or PowerPoint)."""
    return html.Div(
        [
            T("pack", lang, html.Span, className="small me-1"),
            *[
                html.Button(
                    label,
                    id=button,
                    n_clicks=0,
                    className="btn btn-outline-secondary btn-sm ms-1",
                )
                for button, label in ((ids.PACK_PDF, "PDF"), (ids.PACK_PPTX, "PPTX"))
            ],
        ],
        className="controls d-flex align-items-center",
    )


def overview(state: dict, lang: str) -> html.Div:
    map_card = html.Div(
        [
            html.Div(
                [
                    html.H2(id=ids.MAP_TITLE, className="h6 mb-0"),
                    html.Button(
                        T("back_country", lang),
                        id=ids.COUNTRY_BUTTON,
                        n_clicks=0,
                        className="btn btn-link btn-sm controls",
                    ),
                ],
                className="card-header d-flex justify-content-between align-items-center",
            ),
            html.Div(
                dcc.Graph(
                    id=ids.MAP,
                    config=map_config(lang),
                    className="map-graph",
                ),
                className="card-body p-1",
            ),
            html.Div(
                png_button(ids.MAP_PNG, MAP_IMAGE["filename"], lang),
                className="card-footer py-1 controls",
            ),
        ],
        className="card mb-3 map-card",
    )
    return html.Div(
        [
            html.Div(
                [
                    html.Div(map_card, className="col-lg-7"),
                    html.Div(
                        [
                            card(
                                "key_figures",
                                lang,
                                [
                                    key_figure_grid(lang),
                                    html.Div(
                                        [
                                            html.Div(id=ids.KF_FAMILIES),
                                            html.Div(id=ids.KF_OVERLAP, className="kf-warn"),
                                            html.Div(
                                                id=ids.KF_PROTECTION, className="protection-note"
                                            ),
                                        ],
                                        id=ids.KEY_FIGURES_NOTE,
                                        className="kf-note small",
                                    ),
                                ],
                                extra=pack_buttons(lang),
                                class_name="key-figures-card",
                            ),
                            html.Div(
                                card(
                                    "briefing_priorities",
                                    lang,
                                    html.Div(id=ids.BRIEFING_PRIORITIES),
                                ),
                                className="briefing-only",
                            ),
                            html.Div(
                                card(
                                    "unit_panel",
                                    lang,
                                    [
                                        html.Div(unit_panel("", [], lang), id=ids.UNIT_PANEL),
                                        html.Div(
                                            [
                                                T(
                                                    "unit_partners_title",
                                                    lang,
                                                    html.H3,
                                                    className="h6 mt-3",
                                                ),
                                                grid(ids.UNIT_PARTNERS),
                                            ],
                                            id=ids.UNIT_PARTNERS_BOX,
                                            style={"display": "none"},
                                        ),
                                    ],
                                    extra=export_buttons(
                                        ids.UNIT_EXPORT, ids.UNIT_EXPORT_XLSX, lang
                                    ),
                                ),
                                className="hide-briefing",
                            ),
                        ],
                        className="col-lg-5",
                    ),
                ],
                className="row",
            ),
            html.Div(
                [
                    html.Div(
                        card(
                            "trend_incidents",
                            lang,
                            dcc.Graph(
                                id=ids.TREND_INCIDENTS,
                                config=graph_config(lang),
                                className="trend-graph",
                            ),
                        ),
                        className="col-lg-7",
                    ),
                    html.Div(
                        card(
                            "trend_displacement",
                            lang,
                            dcc.Graph(
                                id=ids.TREND_DISPLACEMENT,
                                config=graph_config(lang),
                                className="trend-graph",
                            ),
                        ),
                        className="col-lg-5",
                    ),
                ],
                className="row hide-briefing",
            ),
        ]
    )
