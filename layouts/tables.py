"""Key figure tiles and tables (plain HTML tables: light, printable, readable on a projector)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from dash import dcc, html

from analysis.protection import WITHHELD
from layouts import ids
from layouts.classes import gap_class_text, token_text
from layouts.common import T
from layouts.i18n import category_label, local_number, number, percent_change, sector_label, t

# The tiles, in the order of analysis.gate.key_figures (a test holds the two together).
KEY_FIGURE_KEYS = (
    "ind_incidents",
    "ind_fatalities",
    "ind_idps",
    "ind_returnees",
    "ind_access",
    "ind_partners",
)


@dataclass(frozen=True)
class TileText:
    """What one key-figure tile shows: its value, its change and the change's direction."""

    value: str = "–"
    change: str = ""
    direction: str = ""


def key_figure_grid(lang: str) -> html.Div:
    """The tiles, laid out once; the key-figure callback sets only their texts.

    Texts, not components: Dash's renderer re-creates every component a callback returns, and
    each new one costs a store update that every component of the page answers (issue 11).
    """
    return html.Div(
        [
            html.Div(
                [
                    T(key, lang, html.Div, n="kf", className="kf-label"),
                    html.Div("–", id={"type": ids.KF_VALUE, "key": key}, className="kf-value"),
                    html.Div(id={"type": ids.KF_CHANGE, "key": key}, className="kf-change"),
                ],
                className="kf-tile",
            )
            for key in KEY_FIGURE_KEYS
        ],
        id=ids.KEY_FIGURES,
        className="kf-grid",
    )


def key_figure_texts(figures: list[dict], lang: str) -> dict[str, TileText]:
    """Each tile's texts by figure key."""
    out = {}
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
        out[fig["key"]] = TileText(value, change, direction)
    return out


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


def unit_panel(title: str, rows: list[dict], lang: str) -> list:
    """The selected unit's title and its rows, as one Markdown table (one component, however
    many rows: see ``key_figure_grid`` for why that matters)."""
    if not rows:
        return [html.P(t("unit_hint", lang), className="text-muted mb-0")]
    head = [t("col_indicator", lang), t("col_value", lang), t("col_previous", lang)]
    body = [
        [row_label(r["key"], lang), _with_rank(r, lang), local_number(r["previous"], lang)]
        for r in rows
    ]
    return [
        html.H3(title, className="h5"),
        dcc.Markdown(markdown_table(head, body, (False, True, True)), className="unit-table"),
    ]


# What dcc.Markdown's parser (remark, GFM mode) could read as syntax in a cell: its escapable
# characters, entities (&), autolinks (the ':' of "http://") and HTML (<). Written as numeric
# character references, which the parser decodes to the character itself as plain text.
MARKDOWN_SPECIAL = re.compile(r"[\\`*{}\[\]()#+\-.!_>~|&:<]")


def markdown_table(head: list[str], rows: list[list[str]], numeric: tuple[bool, ...]) -> str:
    """A GitHub-flavoured Markdown table, its cells escaped: names from the data are shown as
    written, never read as Markdown, links or HTML."""
    align = ["---:" if right else "---" for right in numeric]
    lines = [head, align, *rows]
    return "\n".join(
        "| " + " | ".join(cell if line is align else markdown_text(cell) for cell in line) + " |"
        for line in lines
    )


def markdown_text(text: str) -> str:
    """``text`` for a Markdown table cell: special characters as character references, line
    breaks as spaces."""
    flat = re.sub(r"\s*[\r\n]+\s*", " ", str(text))  # keeps narrow no-break spaces
    return MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group(0))};", flat)


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
