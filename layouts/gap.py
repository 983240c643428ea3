"""Gap view: bivariate need x coverage map, priority table, service deserts, method."""

from __future__ import annotations

from dash import dcc, html

from analysis.gap import BIVARIATE_COLOURS
from layouts import ids
from layouts.common import T, card
from layouts.overview import MAP_CONFIG


def bivariate_legend(lang: str) -> html.Div:
    cells = []
    for need in (2, 1, 0):
        for cover in (0, 1, 2):
            cells.append(
                html.Div(
                    className="biv-cell", style={"background": BIVARIATE_COLOURS[(need, cover)]}
                )
            )
    return html.Div(
        [
            html.Div(
                [
                    T("need_high", lang, html.Small),
                    html.Br(),
                    html.Span("↑"),
                    html.Br(),
                    T("need_low", lang, html.Small),
                ],
                className="biv-y",
            ),
            html.Div(
                [
                    html.Div(cells, className="biv-grid"),
                    html.Div(
                        [
                            T("cover_low", lang, html.Small),
                            html.Span(" → "),
                            T("cover_high", lang, html.Small),
                        ],
                        className="biv-x",
                    ),
                ]
            ),
        ],
        className="biv-legend d-flex align-items-center gap-2",
    )


def gap_view(state: dict, lang: str) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    html.Div(
                        card(
                            "gap_title",
                            lang,
                            [
                                dcc.Graph(
                                    id=ids.GAP_MAP,
                                    config={
                                        **MAP_CONFIG,
                                        "toImageButtonOptions": {
                                            "format": "png",
                                            "filename": "lacunes-mali-protection",
                                            "scale": 2,
                                        },
                                    },
                                    className="map-graph",
                                ),
                                bivariate_legend(lang),
                            ],
                        ),
                        className="col-lg-6",
                    ),
                    html.Div(
                        [
                            card(
                                "gap_priorities",
                                lang,
                                html.Div(id=ids.GAP_TABLE),
                                extra=html.Button(
                                    T("export_csv", lang, n="gap"),
                                    id=ids.GAP_EXPORT,
                                    n_clicks=0,
                                    className="btn btn-outline-secondary btn-sm",
                                ),
                            ),
                            card("gap_deserts", lang, html.Div(id=ids.GAP_DESERTS)),
                        ],
                        className="col-lg-6",
                    ),
                ],
                className="row",
            ),
            card("method", lang, html.P(id=ids.GAP_METHOD, className="small mb-0")),
        ]
    )
