"""The whole page: stores, header, filter bar, tabs, the three views and the footer."""

from __future__ import annotations

from dataclasses import dataclass

from dash import dcc, html

from callbacks.state import slices
from geo.default import ATTRIBUTION
from layouts import ids
from layouts.common import T
from layouts.filters import filter_bar
from layouts.gap import gap_view
from layouts.header import Viewer, header
from layouts.i18n import lang_or_default, t
from layouts.overview import overview
from layouts.quality import quality_view


@dataclass(frozen=True)
class PageMeta:
    """What the layout needs to know about the loaded data (no frames, only labels)."""

    months: list[str]
    regions: list[tuple[str, str]]  # (unit_id, name)
    categories: list[str]
    sectors: list[str]
    is_demo: bool
    attribution: dict[str, str] | None = None
    levels: tuple[int, ...] = (1, 2)
    updated: tuple[tuple[str, str], ...] = ()  # (stream, "YYYY-MM-DD") of each publication
    router_domain: dict | None = None  # what the browser's router knows (callbacks.router)


# The store holding each slice of the state (see callbacks.state.slices).
SLICE_STORES = {
    "ui": ids.UI_STATE,
    "map": ids.MAP_STATE,
    "figures": ids.FIGURES_STATE,
    "trend": ids.TREND_STATE,
    "displacement": ids.DISPLACEMENT_STATE,
    "panel": ids.PANEL_STATE,
    "gap": ids.GAP_STATE,
    "quality": ids.QUALITY_STATE,
    "briefing": ids.BRIEFING_STATE,
}


TABS = (("overview", "tab_overview"), ("gap", "tab_gap"), ("quality", "tab_quality"))


def tab_id(value: str) -> str:
    return f"{ids.TABS}-{value}"


def tab_labels(lang: str) -> list[str]:
    return [t(key, lang) for _, key in TABS]


def tab_children(lang: str) -> list:
    """The tabs, laid out once (the language callback sets their labels)."""
    return [
        dcc.Tab(
            label=label,
            value=value,
            id=tab_id(value),
            className="tab",
            selected_className="tab-on",
        )
        for (value, _), label in zip(TABS, tab_labels(lang), strict=True)
    ]


def shown_view(state: dict) -> str:
    """The view on screen: the tab's, except in briefing mode (always the overview)."""
    return "overview" if state.get("mode") == "briefing" else state["tab"]


def overview_style(shown: str) -> dict:
    return {} if shown == "overview" else {"display": "none"}


def views(state: dict, lang: str) -> list:
    """The overview, always mounted (hidden when another view is shown, so its map is never
    redrawn from scratch), then the gap and quality views, mounted only while shown.

    Those two sit in a ``dcc.Tabs`` whose tab bar the stylesheet hides (the tabs people click
    are ``ids.TABS``): it renders only its selected tab's children, and none on the overview.
    They stay in Dash's layout, so their callbacks keep their outputs and a view opens with its
    latest figures, but their ~100 components are not mounted: Dash's renderer runs every
    mounted component's selector on each of the ~60 store actions of a click.
    """
    shown = shown_view(state)
    return [
        html.Div(overview(state, lang), id=ids.VIEW_OVERVIEW, style=overview_style(shown)),
        dcc.Tabs(
            id=ids.VIEW_SWITCH,
            value=shown,
            children=[
                dcc.Tab(value="gap", children=html.Div(gap_view(state, lang), id=ids.VIEW_GAP)),
                dcc.Tab(
                    value="quality",
                    children=html.Div(quality_view(state, lang), id=ids.VIEW_QUALITY),
                ),
            ],
            parent_className="view-switch",
        ),
    ]


def root_class(state: dict) -> str:
    return "app briefing" if state.get("mode") == "briefing" else "app"


def footer(lang: str, meta: PageMeta, viewer: Viewer) -> html.Footer:
    attribution = (meta.attribution or ATTRIBUTION)[lang]
    return html.Footer(
        [
            html.Div(attribution, id=ids.ATTRIBUTION, className="small"),
            T(
                "footer_member" if viewer.exact else "suppressed_note",
                lang,
                html.Div,
                className="small text-muted",
            ),
            html.Details(
                [
                    T("protection_title", lang, html.Summary),
                    T("protection_text", lang, html.P, className="small mb-0"),
                ],
                id=ids.PROTECTION_NOTE,
                className="protection-details small mt-1",
            ),
        ],
        className="app-footer p-2 mt-2",
    )


def build_layout(state: dict, meta: PageMeta, viewer: Viewer | None = None) -> html.Div:
    """Component tree of the page in the state's language (the callbacks fill the figures)."""
    lang = lang_or_default(state.get("lang"))
    viewer = viewer or Viewer()
    return html.Div(
        [
            dcc.Location(id=ids.URL, refresh="callback-nav"),
            dcc.Store(id=ids.STATE, data=state),
            dcc.Store(id=ids.ROUTER_DOMAIN, data=meta.router_domain),
            *[dcc.Store(id=SLICE_STORES[name], data=part) for name, part in slices(state).items()],
            dcc.Store(id=ids.MAP_KEY),
            dcc.Store(id=ids.GAP_MAP_KEY),
            dcc.Store(id=ids.DISPLACEMENT_KEY),
            dcc.Store(id=ids.HTML_LANG, data=lang),
            dcc.Download(id=ids.DOWNLOAD),
            dcc.Download(id=ids.DOWNLOAD_PACK),
            header(
                state, lang, meta.months[0], meta.months[-1], meta.is_demo, viewer, meta.updated
            ),
            filter_bar(
                state, lang, meta.regions, meta.months, meta.categories, meta.sectors, meta.levels
            ),
            dcc.Tabs(
                id=ids.TABS,
                value=state["tab"],
                children=tab_children(lang),
                className="controls mb-2",
            ),
            html.Main(views(state, lang)),
            footer(lang, meta, viewer),
        ],
        id=ids.ROOT,
        className=root_class(state),
        lang=lang,
    )
