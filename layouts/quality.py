"""Data-quality view: per stream, origin, rows read, how places were resolved, unresolved rows
with their reasons, and date coverage (AG Grid tables filled by a callback)."""

from __future__ import annotations

from dash import html

from layouts import ids
from layouts.common import card
from layouts.grids import grid


def quality_view(state: dict, lang: str) -> html.Div:
    return html.Div(
        [
            card(
                "quality_title",
                lang,
                [html.Div(id=ids.QUALITY, className="small mb-2"), grid(ids.QUALITY_GRID)],
            ),
            html.Div(
                card("quality_conflicts", lang, grid(ids.QUALITY_CONFLICTS)),
                id=ids.QUALITY_CONFLICTS_BOX,
                style={"display": "none"},
            ),
            html.Div(
                [
                    html.Div(
                        card("quality_reasons", lang, grid(ids.QUALITY_REASONS)),
                        className="col-lg-5",
                    ),
                    html.Div(
                        card(
                            "quality_unresolved",
                            lang,
                            grid(ids.QUALITY_UNRESOLVED),
                        ),
                        className="col-lg-7",
                    ),
                ],
                className="row",
                id=ids.QUALITY_DETAILS,
                style={"display": "none"},
            ),
        ]
    )
