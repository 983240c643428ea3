"""Gap view: bivariate need x coverage map, priority table, service deserts, method."""

from __future__ import annotations

from dash import dcc, html

from analysis.gap import BIVARIATE_COLOURS
from layouts import ids
from layouts.common import T, card, export_buttons
from layouts.grids import PRIORITY_ROW_CLASSES, grid
from layouts.i18n import number
from layouts.overview import map_config, png_button

GAP_MAP_IMAGE = "lacunes-mali-protection"  # the gap map's picture file name

WEIGHT_CONTROLS = (
    (ids.WEIGHT_INCIDENTS, "wi", "weight_incidents"),
    (ids.WEIGHT_DISPLACEMENT, "wd", "weight_displacement"),
    (ids.WEIGHT_ACCESS, "wa", "weight_access"),
)
# Each slider's text box (what a person types goes through callbacks.state.clean_weight).
WEIGHT_BOXES = {
    ids.WEIGHT_INCIDENTS: ids.WEIGHT_INCIDENTS_BOX,
    ids.WEIGHT_DISPLACEMENT: ids.WEIGHT_DISPLACEMENT_BOX,
    ids.WEIGHT_ACCESS: ids.WEIGHT_ACCESS_BOX,
}


def weight_text(value, lang: str) -> str:
    """A weight written the page's way: "0,5" in French, "0.5" in English."""
    return number(value, lang, 2).rstrip("0").rstrip(",.") if value is not None else ""


def weights_card(state: dict, lang: str) -> html.Div:
    """A slider (a range input) and a text box for each need-index weight, kept in the URL.

    The box is a text input with a decimal keyboard, not a number input: a French browser's
    number input reads "0,5" its own way (or not at all); here the server reads it.
    """
    fields = [
        html.Div(
            [
                T(
                    label,
                    lang,
                    html.Label,
                    className="form-label small fw-semibold mb-0",
                    htmlFor=WEIGHT_BOXES[control_id],
                ),
                html.Div(
                    [
                        # the browser's own range input: dcc.Slider's 13 KB chunk would load
                        # on the first view (this view is laid out, hidden); the value is sent
                        # once the weight has stopped moving
                        dcc.Input(
                            id=control_id,
                            type="range",
                            min=0,
                            max=1,
                            step=0.05,
                            value=state[key],
                            debounce=0.4,
                            className="weight-slider form-range",
                        ),
                        dcc.Input(
                            id=WEIGHT_BOXES[control_id],
                            type="text",
                            inputMode="decimal",
                            autoComplete="off",
                            spellCheck=False,
                            maxLength=6,
                            debounce=True,
                            value=weight_text(state[key], lang),
                            className="weight-box",
                        ),
                    ],
                    className="weight-row",
                ),
            ],
            className="col-md-4",
        )
        for control_id, key, label in WEIGHT_CONTROLS
    ]
    return card(
        "weights_title",
        lang,
        [
            html.Div(fields, className="row g-2"),
            T("weights_note", lang, html.Small, className="text-muted"),
        ],
        class_name="controls weights-card",
    )


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
            weights_card(state, lang),
            html.Div(
                [
                    html.Div(
                        card(
                            "gap_title",
                            lang,
                            [
                                dcc.Graph(
                                    id=ids.GAP_MAP,
                                    config=map_config(lang, GAP_MAP_IMAGE),
                                    className="map-graph",
                                ),
                                bivariate_legend(lang),
                            ],
                            extra=png_button(ids.GAP_MAP_PNG, GAP_MAP_IMAGE, lang),
                        ),
                        className="col-lg-6",
                    ),
                    html.Div(
                        [
                            card(
                                "gap_priorities",
                                lang,
                                [
                                    T("priority_rule", lang, html.P, className="small mb-1"),
                                    grid(
                                        ids.GAP_TABLE,
                                        height="440px",
                                        rowClassRules=PRIORITY_ROW_CLASSES,
                                    ),
                                ],
                                extra=export_buttons(ids.GAP_EXPORT, ids.GAP_EXPORT_XLSX, lang),
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
