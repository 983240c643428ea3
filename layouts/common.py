"""Small building blocks shared by the views."""

from __future__ import annotations

from dash import html

from layouts import ids
from layouts.i18n import t


def T(key: str, lang: str, tag: type = html.Span, n: str = "", **kwargs) -> html.Div:  # noqa: N802
    """A translatable text node: rendered in ``lang`` and re-translated by the language callback.

    ``n`` tells apart two nodes showing the same text (ids must be unique in the page).
    """
    return tag(t(key, lang), id={"type": ids.TEXT, "key": key, "n": n}, **kwargs)


def card(title_key: str, lang: str, body, extra=None, class_name: str = "") -> html.Div:
    header = [T(title_key, lang, html.H2, className="card-title h6 mb-0")]
    if extra is not None:
        header.append(extra)
    return html.Div(
        [
            html.Div(
                header, className="card-header d-flex justify-content-between align-items-center"
            ),
            html.Div(body, className="card-body"),
        ],
        className=f"card mb-3 {class_name}".strip(),
    )


def export_buttons(csv_id: str, xlsx_id: str, lang: str) -> html.Div:
    """The CSV and XLSX export buttons of a card (the files are built on the server)."""
    return html.Div(
        [
            html.Button(
                T("export_csv", lang, n=csv_id),
                id=csv_id,
                n_clicks=0,
                className="btn btn-outline-secondary btn-sm",
            ),
            html.Button(
                T("export_xlsx", lang, n=xlsx_id),
                id=xlsx_id,
                n_clicks=0,
                className="btn btn-outline-secondary btn-sm",
            ),
        ],
        className="btn-group export-buttons",
        role="group",
    )
