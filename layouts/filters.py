"""The filter bar: level, région, period (months + presets), categories, sub-sector, indicator."""

from __future__ import annotations

from dash import dcc, html

from data.vocab import CATEGORY_BY_CODE
from layouts import ids
from layouts.common import T
from layouts.i18n import category_label, dropdown_labels, month_label, sector_label, t

DROPDOWNS = (
    "filter-region",
    "filter-start",
    "filter-end",
    "filter-categories",
    "filter-sector",
    "filter-indicator",
)

INDICATOR_KEYS = {
    "incidents": "ind_incidents",
    "incidents_10k": "ind_incidents_10k",
    "fatalities": "ind_fatalities",
    "idps": "ind_idps",
    "returnees": "ind_returnees",
    "partners": "ind_partners",
    "access": "ind_access",
    "need": "ind_need",
    "coverage": "ind_coverage",
    "gap": "ind_gap",
}


def level_options(lang: str, levels=(1, 2)) -> list[dict]:
    """Régions and cercles, and communes when the boundary set has them."""
    shown = [level for level in (1, 2, 3) if level in levels or level < 3]
    return [{"label": t(f"level_{level}", lang), "value": level} for level in shown]


def region_options(regions: list[tuple[str, str]], lang: str) -> list[dict]:
    return [{"label": name, "value": code} for code, name in regions]


def month_options(months: list[str], lang: str) -> list[dict]:
    return [{"label": month_label(m, lang), "value": m} for m in months]


def preset_options(lang: str) -> list[dict]:
    return [
        {"label": t(f"preset_{p}", lang), "value": p} for p in ("1", "3", "12", "year", "custom")
    ]


FAMILY_PREFIX = "family:"


def category_options(categories: list[str], lang: str) -> list[dict]:
    """Categories grouped by counting system, each group under a disabled heading option."""
    out: list[dict] = []
    family = None
    for code in categories:
        cat = CATEGORY_BY_CODE.get(code)
        this = cat.family if cat else "other"
        if this != family and cat is not None:
            label = t("family_header", lang, family=t(f"family_{this}", lang))
            out.append({"label": label, "value": FAMILY_PREFIX + this, "disabled": True})
        family = this
        out.append({"label": category_label(code, lang), "value": code})
    return out


def sector_options(sectors: list[str], lang: str) -> list[dict]:
    return [{"label": sector_label(s, lang), "value": s} for s in sectors]


def indicator_options(lang: str) -> list[dict]:
    return [{"label": t(key, lang), "value": code} for code, key in INDICATOR_KEYS.items()]


def _field(label_key: str, lang: str, control, width: str = "col-md-3") -> html.Div:
    return html.Div(
        [T(label_key, lang, html.Label, className="form-label small fw-semibold"), control],
        className=f"{width} col-12 mb-2",
    )


def filter_bar(
    state: dict, lang: str, regions, months, categories, sectors, levels=(1, 2)
) -> html.Div:
    return html.Div(
        [
            html.Div(
                [
                    _field(
                        "level",
                        lang,
                        dcc.RadioItems(
                            id=ids.LEVEL,
                            options=level_options(lang, levels),
                            value=state["level"],
                            inline=True,
                            inputClassName="me-1",
                            labelClassName="me-3",
                        ),
                        "col-md-2",
                    ),
                    _field(
                        "region",
                        lang,
                        dcc.Dropdown(
                            labels=dropdown_labels(lang),
                            id=ids.REGION,
                            options=region_options(regions, lang),
                            value=state["region"] or None,
                            placeholder=t("all_mali", lang),
                            clearable=True,
                        ),
                        "col-md-2",
                    ),
                    _field(
                        "period",
                        lang,
                        html.Div(
                            [
                                dcc.Dropdown(
                                    labels=dropdown_labels(lang),
                                    id=ids.START,
                                    options=month_options(months, lang),
                                    value=state["start"],
                                    clearable=False,
                                    className="month-select",
                                ),
                                html.Span("–", className="mx-1"),
                                dcc.Dropdown(
                                    labels=dropdown_labels(lang),
                                    id=ids.END,
                                    options=month_options(months, lang),
                                    value=state["end"],
                                    clearable=False,
                                    className="month-select",
                                ),
                            ],
                            className="d-flex align-items-center",
                        ),
                        "col-md-3",
                    ),
                    _field(
                        "presets",
                        lang,
                        dcc.RadioItems(
                            id=ids.PRESET,
                            options=preset_options(lang),
                            value=state["preset"],
                            inline=True,
                            inputClassName="me-1",
                            labelClassName="me-2 small",
                        ),
                        "col-md-5",
                    ),
                ],
                className="row g-2",
            ),
            html.Div(
                [
                    _field(
                        "categories",
                        lang,
                        dcc.Dropdown(
                            labels=dropdown_labels(lang),
                            id=ids.CATEGORIES,
                            options=category_options(categories, lang),
                            value=state["cats"],
                            multi=True,
                            placeholder=t("all_categories", lang),
                        ),
                        "col-md-5",
                    ),
                    _field(
                        "sector",
                        lang,
                        dcc.Dropdown(
                            labels=dropdown_labels(lang),
                            id=ids.SECTOR,
                            options=sector_options(sectors, lang),
                            value=state["sector"] or None,
                            placeholder=t("all_sectors", lang),
                        ),
                        "col-md-3",
                    ),
                    _field(
                        "indicator",
                        lang,
                        dcc.Dropdown(
                            labels=dropdown_labels(lang),
                            id=ids.INDICATOR,
                            options=indicator_options(lang),
                            value=state["ind"],
                            clearable=False,
                        ),
                        "col-md-4",
                    ),
                ],
                className="row g-2",
            ),
        ],
        className="filter-bar controls p-2 mb-3",
    )
