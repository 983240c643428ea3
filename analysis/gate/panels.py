"""The selected unit's panel, its partners, and the data-quality rows a viewer may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis.dataset import NEED, cached
from analysis.gate.aggregates import format_number, partners_present, protection_notes
from analysis.gate.figures import key_figures_of
from analysis.gate.need import gap_frame_all, gap_notes
from analysis.gate.scope import selected_categories
from analysis.protection import WITHHELD
from analysis.published import incident_table, is_exact

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


def unit_rows(data: DashboardData, state: dict, role: str) -> list[dict]:
    """Rows of the cercle panel: each indicator for the selected unit, exported as CSV too."""
    return _unit_rows(data, state, is_exact(role))


@cached("unit", *NEED)
def _unit_rows(data: DashboardData, state: dict, exact: bool) -> list[dict]:
    unit = state.get("unit")
    if not unit:
        return []
    rows = [
        {"key": fig["key"], "value": fig["display"], "previous": fig["previous_display"]}
        for fig in key_figures_of(data, state, exact).figures
    ]
    level = data.level_of(unit) or 2
    cats = selected_categories(data, state)
    table = incident_table(data, level, [unit], state["start"], state["end"], cats, "events", exact)
    for cat in cats:
        if cat in table.withheld:
            rows.append({"key": f"cat:{cat}", "value": WITHHELD, "previous": ""})
            continue
        count = table.values.loc[unit, cat]
        if count:
            rows.append({"key": f"cat:{cat}", "value": format_number(count), "previous": ""})
    if level == 2:
        rows.extend(need_rows(gap_frame_all(data, state, exact), unit))
    for sector in data.sectors():
        count = partners_present(data, level, sector).get(unit, 0)
        rows.append({"key": f"sector:{sector}", "value": format_number(count), "previous": ""})
    return rows


NEED_COMPONENTS = (
    ("comp_incidents", "incidents_per_10k", "rank_incidents", 1),
    ("comp_displaced", "displaced_per_10k", "rank_displacement", 0),
    ("comp_access", "access_constraints", "rank_access", 0),
)


def need_rows(gap: pd.DataFrame, unit: str) -> list[dict]:
    """Why a cercle is (or is not) a priority: its need and coverage classes (the map's), the
    three components of the need index each with its rank among cercles, coverage and rank.

    ``class:`` values are class tokens the page writes in words ("need:3" = high need).
    """
    if unit not in gap.index:
        return []
    row = gap.loc[unit]
    ranked = int(gap["need_score"].notna().sum())
    out: list[dict[str, object]] = [
        {"key": "col_priority", "value": format_number(row["priority"]), "previous": ""},
        {"key": "col_need_class", "value": _token("need", row["need_class"]), "previous": ""},
        {
            "key": "col_coverage_class",
            "value": _token("cover", row["coverage_tercile"]),
            "previous": "",
        },
    ]
    for key, column, rank, decimals in NEED_COMPONENTS:
        value = row[column]
        shown = "" if pd.isna(value) else f"{value:,.{decimals}f}".replace(",", "\u202f")
        out.append(
            {"key": key, "value": shown, "previous": "", "rank": _int(row[rank]), "of": ranked}
        )
    cover = row["coverage_per_100k"]
    shown = "" if pd.isna(cover) else f"{cover:.1f}"
    out.append({"key": "col_coverage", "value": shown, "previous": ""})
    return out


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _token(kind: str, value) -> str:
    return "" if value is None or pd.isna(value) else f"class:{kind}:{int(value)}"


def unit_notes(data: DashboardData, state: dict, role: str) -> tuple[str, ...]:
    """What the public must be told about the panel of the selected unit."""
    if is_exact(role) or not state.get("unit"):
        return ()
    level = data.level_of(state["unit"]) or 2
    cats = selected_categories(data, state)
    table = incident_table(
        data, level, [state["unit"]], state["start"], state["end"], cats, "events", False
    )
    return protection_notes(table.withheld, table.rounded) + gap_notes(data, state, role)


def partner_rows(data: DashboardData, state: dict, role: str) -> list[dict]:
    """Organisations with an active service in the selected unit: name, sub-sectors, services
    (service presence is not sensitive: the same for every role)."""
    unit = state.get("unit")
    level = data.level_of(unit) if unit else None
    if not unit or level is None:
        return []
    orgs = data.cubes.service_orgs
    orgs = orgs[orgs[f"unit{level}"] == unit]
    if state.get("sector"):
        orgs = orgs[orgs["sector"] == state["sector"]]
    if orgs.empty:
        return []
    shown = data.org_labels
    rows = []
    for org, group in orgs.groupby("org", sort=True, observed=True):
        rows.append(
            {
                "org": shown.get(str(org), str(org)),
                "sectors": sorted(group["sector"].astype(str).unique()),
                "services": int(group["services"].sum()),
            }
        )
    return sorted(rows, key=lambda r: (-len(r["sectors"]), r["org"].casefold()))


def unresolved_rows(data: DashboardData, role: str, rows: list[dict]) -> list[dict]:
    """Rows of the quality panel's lists the viewer may see (unresolved rows, their reasons,
    point/name conflicts): the incident stream's (which say where and when an event was
    reported) only for members."""
    if is_exact(role):
        return rows
    return [row for row in rows if row.get("stream") != "incidents"]


QUALITY_COUNTS = (
    "rows",
    "accepted",
    "pcode",
    "name",
    "learned",
    "fuzzy_name",
    "point",
    "unresolved",
)


def quality_rows(data: DashboardData, role: str, rows: list[dict]) -> list[dict]:
    """The per-stream summary the viewer may see. For the public, the incident stream's counts
    and dates are withheld: they include the sensitive categories at national scale and to the
    day, so with the exact non-sensitive totals they would give back sensitive counts."""
    if is_exact(role):
        return rows
    out = []
    for row in rows:
        if row.get("stream") == "incidents":
            row = {**row, **dict.fromkeys((*QUALITY_COUNTS, "conflicts"), None)}
            row.update(first=WITHHELD, last=WITHHELD)
        out.append(row)
    return out
