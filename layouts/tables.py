"""Key figure tiles and tables (plain HTML tables: light, printable, readable on a projector)."""

from __future__ import annotations

import pandas as pd
from dash import html

from analysis.protection import WITHHELD
from layouts.classes import gap_class_text, token_text
from layouts.i18n import category_label, local_number, number, percent_change, sector_label, t


def key_figure_tiles(figures: list[dict], lang: str, has_previous: bool) -> html.Div:
    tiles = []
    for fig in figures:
        pct = fig.get("pct")
        if fig["key"] == "ind_partners":
            change = ""
        elif pct is None:
            change = (
                t("no_previous", lang)
                if not fig.get("previous_display")
                else (f"{t('vs_previous', lang)} : {fig['previous_display']}")
            )
        else:
            change = f"{percent_change(pct, lang)} {t('vs_previous', lang)}"
        direction = "" if pct is None else ("up" if pct > 0 else "down" if pct < 0 else "")
        value = fig["display"] or "–"
        if value == WITHHELD:
            value = t("members_only", lang)
        elif value != "–":
            value = number(fig["value"], lang)
        tiles.append(
            html.Div(
                [
                    html.Div(t(fig["key"], lang), className="kf-label"),
                    html.Div(value, className="kf-value"),
                    html.Div(change, className=f"kf-change {direction}".strip()),
                ],
                className="kf-tile",
            )
        )
    return html.Div(tiles, className="kf-grid")


def cell_text(value: str, lang: str) -> str:
    """A gate display string written for the page: class tokens in words ("class:need:3" ->
    "besoin élevé"), withheld values as "réservé aux membres", numbers the language's way."""
    words = token_text(value, lang)
    return words if words is not None else local_number(value, lang)


def row_label(key: str, lang: str) -> str:
    if key.startswith("cat:"):
        return category_label(key[4:], lang)
    if key.startswith("sector:"):
        return f"{t('col_partners', lang)} – {sector_label(key[7:], lang)}"
    return t(key, lang)


def unit_panel(title: str, rows: list[dict], lang: str) -> html.Div:
    if not rows:
        return html.P(t("unit_hint", lang), className="text-muted mb-0")
    body = [
        html.Tr(
            [
                html.Td(row_label(r["key"], lang)),
                html.Td(_with_rank(r, lang), className="num"),
                html.Td(local_number(r["previous"], lang), className="num text-muted"),
            ]
        )
        for r in rows
    ]
    return html.Div(
        [
            html.H3(title, className="h5"),
            html.Table(
                [
                    html.Thead(
                        html.Tr(
                            [
                                html.Th(t("col_indicator", lang)),
                                html.Th(t("col_value", lang)),
                                html.Th(t("col_previous", lang)),
                            ]
                        )
                    ),
                    html.Tbody(body),
                ],
                className="table table-sm mb-0",
            ),
        ]
    )


def _with_rank(row: dict, lang: str) -> str:
    text = cell_text(row["value"], lang)
    if row.get("rank") is None:
        return text
    return f"{text} ({t('rank_of', lang, rank=row['rank'], n=row['of'])})"


def priority_table(
    table: pd.DataFrame, lang: str, limit: int | None = 15, compact: bool = False
) -> html.Table:
    """The ranked cercles with the map's class (swatch and words); ``compact`` for briefing:
    rank, cercle (région), class and coverage only, so eight rows fit a projector."""
    rows = table[table["priority"].notna()]
    if limit:
        rows = rows.head(limit)
    keys = (
        ("col_rank", "col_unit", "col_gap_class", "col_coverage_short")
        if compact
        else ("col_rank", "col_unit", "col_region", "col_gap_class", "col_partners", "col_coverage")
    )
    head = html.Tr([html.Th(t(k, lang)) for k in keys])
    body = []
    for unit, row in rows.iterrows():
        swatch = (
            html.Span(className=f"swatch biv-{int(row['bivariate'])}")
            if pd.notna(row["bivariate"])
            else ""
        )
        gap_class = html.Td(
            [swatch, gap_class_text(row["need_class"], row["coverage_tercile"], lang)],
            className="gap-class",
        )
        region = row.get("region", "") or ""
        cells = [html.Td(str(int(row["priority"])))]
        if compact:
            cells.append(html.Td(f"{row['name']} ({region})" if region else row["name"]))
        else:
            cells += [html.Td(row["name"]), html.Td(region)]
        cells.append(gap_class)
        if not compact:
            cells.append(html.Td(str(int(row["partners"])), className="num"))
        cells.append(html.Td(number(row["coverage_per_100k"], lang, 1), className="num"))
        body.append(
            html.Tr(
                cells,
                className="priority-gap" if row["priority_gap"] else "",
                **{"data-unit": unit},
            )
        )
    return html.Table([html.Thead(head), html.Tbody(body)], className="table table-sm mb-0")


def deserts_list(table: pd.DataFrame, lang: str) -> html.Div:
    deserts = table[table["desert"]]
    if deserts.empty:
        return html.P(t("no_deserts", lang), className="mb-0")
    return html.Ul(
        [
            html.Li(
                f"{row['name']} ({row.get('region', '')}) – "
                f"{gap_class_text(row['need_class'], row['coverage_tercile'], lang)}"
            )
            for _, row in deserts.iterrows()
        ],
        className="mb-0",
    )
