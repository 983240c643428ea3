"""Header: title, data period, demo badge, language switch, briefing button."""

from __future__ import annotations

from dataclasses import dataclass

from dash import dcc, html

from layouts import ids
from layouts.common import T
from layouts.i18n import LANGUAGES, date_label, month_label, t


def period_text(first: str, last: str, lang: str) -> str:
    return t("data_period", lang, start=month_label(first, lang), end=month_label(last, lang))


def data_note(first: str, last: str, updated: tuple[tuple[str, str], ...], lang: str) -> list:
    """The data period, then "Données mises à jour le …" for each published stream."""
    return [
        period_text(first, last, lang),
        *[
            html.Div(
                t(
                    "data_updated",
                    lang,
                    stream=t(f"stream_{stream}", lang),
                    date=date_label(day, lang),
                ),
                className="data-updated",
            )
            for stream, day in updated
        ],
    ]


@dataclass(frozen=True)
class Viewer:
    """Who the page is built for: the role checked on the server, the user name, and the CSRF
    token of the logout form (the page's only form)."""

    role: str = "public"
    name: str = ""
    csrf_token: str = ""

    @property
    def exact(self) -> bool:
        return self.role in ("member", "imo", "admin")


def account_box(viewer: Viewer, lang: str) -> html.Div:
    """Members' login link for the public; name, role and a logout button for members."""
    if not viewer.exact:
        return html.Div(
            html.A(T("login", lang), href="/login", id=ids.LOGIN_LINK, className="btn btn-sm"),
            className="account ms-2",
        )
    parts: list = [
        # no-break spaces: a trailing space is dropped at the end of a flex item
        html.Span(f"{viewer.name}\u00a0·\u00a0", className="small"),
        T(f"role_{viewer.role}", lang, className="small me-2"),
    ]
    if viewer.role in ("imo", "admin"):
        parts.append(
            html.A(
                T("imports", lang), href="/imports/", id=ids.IMPORTS_LINK, className="small me-2"
            )
        )
    if viewer.role == "admin":
        parts.append(html.A(T("administration", lang), href="/admin", className="small me-2"))
    parts.append(
        html.Form(
            [
                dcc.Input(type="hidden", name="csrf_token", value=viewer.csrf_token),
                html.Button(
                    T("logout", lang), type="submit", className="btn btn-sm", id=ids.LOGOUT
                ),
            ],
            method="POST",
            action="/logout",
            className="d-inline",
        )
    )
    return html.Div(parts, className="account ms-2 d-flex align-items-center")


def copy_link_box(lang: str) -> html.Div:
    """The "Copier le lien" button: copies the address of the current view (every filter and
    the selected unit are in it); where the clipboard API is missing (a plain-http address other
    than localhost), the link is shown selected in a read-only box to copy by hand."""
    return html.Div(
        [
            html.Button(
                T("copy_link", lang),
                id=ids.COPY_LINK,
                n_clicks=0,
                className="btn btn-outline-dark btn-sm",
            ),
            dcc.Input(
                id=ids.COPY_LINK_URL,
                type="text",
                readOnly=True,
                value="",
                className="form-control form-control-sm ms-1",
                style={"display": "none"},
            ),
            html.Span(
                id=ids.COPY_LINK_STATUS,
                className="small ms-1 copy-link-status",
                role="status",
                **{"aria-live": "polite"},
            ),
        ],
        className="copy-link d-flex align-items-center ms-2 controls",
    )


def header(
    state: dict,
    lang: str,
    first_month: str,
    last_month: str,
    is_demo: bool,
    viewer: Viewer | None = None,
    updated: tuple[tuple[str, str], ...] = (),
) -> html.Header:
    badge = (
        html.Div(
            [T("demo_badge", lang, html.Strong), html.Br(), T("demo_note", lang, html.Small)],
            id=ids.DEMO_BADGE,
            className="demo-badge",
            role="status",
        )
        if is_demo
        else html.Div(id=ids.DEMO_BADGE, hidden=True)
    )
    return html.Header(
        [
            html.Div(
                [
                    T("title", lang, html.H1, className="h4 mb-0"),
                    html.Div(
                        data_note(first_month, last_month, updated, lang),
                        id=ids.DATA_PERIOD,
                        className="text-muted small",
                    ),
                ],
                className="me-auto",
            ),
            badge,
            html.Div(
                [
                    dcc.RadioItems(
                        id=ids.LANG,
                        value=lang,
                        inline=True,
                        options=[{"label": code.upper(), "value": code} for code in LANGUAGES],
                        inputClassName="me-1",
                        labelClassName="me-2",
                        className="lang-switch controls",
                    ),
                    copy_link_box(lang),
                    html.Button(
                        t("exit_briefing" if state["mode"] else "briefing", lang),
                        id=ids.BRIEFING_BUTTON,
                        className="btn btn-outline-dark btn-sm ms-2",
                        n_clicks=0,
                    ),
                    account_box(viewer or Viewer(), lang),
                ],
                className="d-flex align-items-center ms-3",
            ),
        ],
        className="app-header d-flex align-items-center flex-wrap gap-2 p-2 mb-2",
    )
