"""Data-quality view: per stream, rows read, how places were resolved, unresolved, dates."""

from __future__ import annotations

from dash import html

from layouts import ids
from layouts.common import card


def quality_view(state: dict, lang: str) -> html.Div:
    return card("quality_title", lang, html.Div(id=ids.QUALITY))
