"""AG Grid tables (priority cercles, partners of a unit, data quality): columns and rows.

The grids are static components of the page; callbacks fill ``rowData`` and ``columnDefs``
(headers in the page's language). Rows are built here from frames the model has already
prepared server side: in the public view they only ever hold suppressed values.
"""

from __future__ import annotations

import dash_ag_grid as dag
import pandas as pd

from layouts.classes import gap_class_text
from layouts.i18n import local_number, sector_label, t

# Numbers formatted the local way in the browser without depending on its locale setting.
_NUMBER = (
    "params.value == null ? '–' : Number(params.value).toLocaleString("
    "'{locale}', {{maximumFractionDigits: {digits}, minimumFractionDigits: {digits}}})"
)


def _number_format(lang: str, digits: int = 0) -> dict:
    locale = "fr-FR" if lang == "fr" else "en-GB"
    return {"function": _NUMBER.format(locale=locale, digits=digits)}


def grid_options(lang: str, **extra) -> dict:
    """Grid options: texts of the grid itself in the page's language."""
    return {
        "localeText": {
            "noRowsToShow": t("grid_no_rows", lang),
            "loadingOoo": t("grid_loading", lang),
        },
        "suppressCellFocus": True,
        # the overlay's text is fixed when the grid starts: empty grids are hidden instead
        "suppressNoRowsOverlay": True,
        "enableCellTextSelection": True,
        **extra,
    }


def grid(grid_id: str, class_name: str = "", height: str | None = None, **kwargs) -> dag.AgGrid:
    """An empty grid (a callback fills it), auto height unless ``height`` is given."""
    options = {"domLayout": "autoHeight"} if height is None else {}
    return dag.AgGrid(
        id=grid_id,
        rowData=[],
        columnDefs=[],
        defaultColDef={
            "sortable": True,
            "resizable": True,
            "suppressHeaderMenuButton": True,
            "wrapHeaderText": True,
            "autoHeaderHeight": True,
            "cellDataType": False,  # no type guessing: values are shown as sent
            "minWidth": 72,  # on a phone the grid scrolls sideways: no one-letter-wide columns
        },
        dashGridOptions={**grid_options("fr"), **options},
        columnSize="responsiveSizeToFit",
        className=f"ag-theme-quartz dash-grid {class_name}".strip(),
        style={"height": height} if height else {"height": None},
        **kwargs,
    )


def _col(field: str, key: str, lang: str, numeric: bool = False, digits: int = 0, **extra):
    column = {"field": field, "headerName": t(key, lang), **extra}
    if numeric:
        column.update(type="rightAligned", valueFormatter=_number_format(lang, digits))
    return column


# ---------------------------------------------------------------- priority cercles


def priority_columns(lang: str) -> list[dict]:
    return [
        _col("rank", "col_rank", lang, numeric=True, minWidth=70, maxWidth=90),
        _col("name", "col_unit", lang, minWidth=120),
        _col("region", "col_region", lang, minWidth=110),
        _col("gap_class", "col_gap_class", lang, minWidth=230, wrapText=True, autoHeight=True),
        _col("need_score", "col_need_score", lang, numeric=True, digits=2),
        _col("partners", "col_partners", lang, numeric=True),
        _col("coverage", "col_coverage", lang, numeric=True, digits=1),
    ]


def _value(value, digits: int | None = None):
    if value is None or pd.isna(value):
        return None
    return round(float(value), digits) if digits is not None else int(value)


def priority_rows(table: pd.DataFrame, lang: str, limit: int | None = None) -> list[dict]:
    """One row per ranked cercle, priority order, with the map's class in words."""
    rows = table[table["priority"].notna()]
    if limit:
        rows = rows.head(limit)
    return [
        {
            "unit": str(unit),
            "rank": _value(row["priority"]),
            "name": row["name"],
            "region": row.get("region", "") or "",
            "need_class": _value(row["need_class"]),
            "gap_class": gap_class_text(row["need_class"], row["coverage_tercile"], lang),
            "bivariate": _value(row["bivariate"]),
            "need_score": _value(row["need_score"], 3),
            "partners": _value(row["partners"]),
            "coverage": _value(row["coverage_per_100k"], 2),
            "gap": bool(row["priority_gap"]),
        }
        for unit, row in rows.iterrows()
    ]


PRIORITY_ROW_CLASSES = {"priority-gap": "params.data.gap"}


# ---------------------------------------------------------------- partners of a unit


def partner_columns(lang: str) -> list[dict]:
    return [
        _col("org", "col_org", lang, minWidth=180),
        _col("sectors", "col_sectors", lang, minWidth=180, wrapText=True, autoHeight=True),
        _col("services", "col_services", lang, numeric=True, maxWidth=120),
    ]


def partner_grid_rows(rows: list[dict], lang: str) -> list[dict]:
    return [
        {
            "org": r["org"],
            "sectors": ", ".join(sector_label(s, lang) for s in r["sectors"]),
            "services": r["services"],
        }
        for r in rows
    ]


# ---------------------------------------------------------------- data quality

QUALITY_FIELDS = (
    ("stream", "stream", False),
    ("origin", "col_origin", False),
    ("rows", "rows_read", True),
    ("pcode", "by_pcode", True),
    ("name", "by_name", True),
    ("fuzzy_name", "by_fuzzy", True),
    ("point", "by_point", True),
    ("unresolved", "unresolved", True),
    ("conflicts", "col_conflicts", True),
    ("first", "date_first", False),
    ("last", "date_last", False),
)


def quality_columns(lang: str) -> list[dict]:
    columns = []
    for field, key, numeric in QUALITY_FIELDS:
        extra = {"minWidth": {"stream": 150, "origin": 260}.get(field, 100)}
        if field in ("first", "last"):  # "2018" (a census year) is not a date string to AG Grid
            extra["cellDataType"] = "text"
        if field == "unresolved":
            extra["cellClassRules"] = {"warn": "params.value > 0"}
        columns.append(_col(field, key, lang, numeric=numeric, **extra))
    return columns


def origin_label(row: dict, lang: str) -> str:
    origin = row.get("origin", "")
    if origin == "store":
        return t("origin_store", lang, version=row.get("version") or "–")
    return t(f"origin_{origin}", lang) if origin else "–"


def quality_grid_rows(rows: list[dict], lang: str) -> list[dict]:
    out = []
    for row in rows:
        item = {field: row.get(field) for field, _, _ in QUALITY_FIELDS}
        item["stream"] = t(f"stream_{row['stream']}", lang)
        item["origin"] = origin_label(row, lang)
        for edge in ("first", "last"):
            item[edge] = local_number(row.get(edge) or "–", lang)
        out.append(item)
    return out


def reason_columns(lang: str) -> list[dict]:
    return [
        _col("stream", "stream", lang, maxWidth=200),
        _col("reason", "col_reason", lang, minWidth=260, wrapText=True, autoHeight=True),
        _col("count", "col_count", lang, numeric=True, maxWidth=120),
    ]


def unresolved_columns(lang: str) -> list[dict]:
    return [
        _col("stream", "stream", lang, maxWidth=180),
        _col("row", "col_row", lang, numeric=True, maxWidth=100),
        _col("value", "col_value_read", lang, minWidth=140),
        _col("reason", "col_reason", lang, minWidth=220, wrapText=True, autoHeight=True),
        _col("candidates", "col_candidates", lang, minWidth=160, wrapText=True, autoHeight=True),
    ]


def conflict_columns(lang: str) -> list[dict]:
    return [
        _col("stream", "stream", lang, maxWidth=180),
        _col("row", "col_row", lang, numeric=True, maxWidth=100),
        _col("placed", "col_placed", lang, maxWidth=140),
        _col("conflict", "col_conflict", lang, minWidth=300, wrapText=True, autoHeight=True),
    ]


def with_stream_labels(rows: list[dict], lang: str) -> list[dict]:
    return [{**row, "stream": t(f"stream_{row['stream']}", lang)} for row in rows]
