"""What each view shows, as plain data: the callbacks only wrap these functions.

Everything here takes the loaded :class:`DashboardData` and the view state (see
:mod:`callbacks.state`) and returns pandas objects or plain dicts; suppression of sensitive
small counts happens here, server side, before anything is sent to the browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import queries as q
from analysis.cubes import Cubes, build_cubes
from analysis.gap import NeedSettings, gap_table, need_index
from analysis.suppression import public_view
from callbacks.state import Domain
from data.schemas import STREAMS
from data.vocab import INCIDENT_CATEGORIES, PROTECTION_SECTORS, SENSITIVE_CATEGORIES
from geo.boundaries import BoundarySet
from geo.display import DisplayLevel, display_level


@dataclass
class DashboardData:
    """Everything loaded once at start: boundaries, canonical tables, cubes, labels."""

    boundaries: BoundarySet
    tables: dict[str, pd.DataFrame]
    cubes: Cubes
    is_demo: bool
    public: bool = True
    reports: dict[str, dict] = field(default_factory=dict)

    @property
    def months(self) -> list[str]:
        frames = [self.cubes.incidents["month"], self.cubes.access["month"]]
        dates = pd.concat([f for f in frames if len(f)])
        disp = self.cubes.displacement["date"]
        if len(disp):
            dates = pd.concat([dates, disp])
        if dates.empty:
            today = pd.Timestamp.today()
            return [f"{today.year}-{today.month:02d}"]
        periods = pd.period_range(dates.min(), dates.max(), freq="M")
        return [str(p) for p in periods]

    def display(self, level: int) -> DisplayLevel:
        return display_level(self.boundaries, level)

    def names(self, level: int) -> pd.Series:
        return self.cubes.names[level]

    def parents(self, level: int) -> pd.Series:
        return self.cubes.parents[level]

    def regions(self) -> list[tuple[str, str]]:
        names = self.names(1)
        return sorted(zip(names.index, names.values, strict=True), key=lambda p: p[1])

    def categories(self) -> list[str]:
        present = set(self.cubes.incidents["category"])
        return [c.code for c in INCIDENT_CATEGORIES if c.code in present]

    def sectors(self) -> list[str]:
        present = set(self.cubes.services["sector"]) | set(self.cubes.incidents["sector"])
        return [s for s in PROTECTION_SECTORS if s in present]

    def domain(self) -> Domain:
        return Domain(
            months=tuple(self.months),
            regions=frozenset(self.cubes.units[1]),
            units=frozenset(self.cubes.units[1]) | frozenset(self.cubes.units.get(2, [])),
            categories=frozenset(self.categories()),
            sectors=frozenset(self.sectors()),
        )

    def level_of(self, unit_id: str) -> int | None:
        for level, units in self.cubes.units.items():
            if unit_id in units:
                return level
        return None


def load_data(public: bool = True, use_store: bool = True, seed: int = 2019) -> DashboardData:
    """Stored active versions when every stream has one, otherwise the demonstration data."""
    from geo.default import default_boundaries

    boundaries = default_boundaries()
    tables: dict[str, pd.DataFrame] = {}
    reports: dict[str, dict] = {}
    is_demo = True
    if use_store:
        from data import store

        stored = {s: store.active(s) for s in STREAMS}
        if any(frame is not None for frame in stored.values()):
            tables = {s: f for s, f in stored.items() if f is not None}
            reports = {s: store.report(s) or {} for s in tables}
            is_demo = False
    if not tables:
        from data.demo import generate_demo

        tables = generate_demo(seed)
    cubes = build_cubes(tables, boundaries)
    return DashboardData(boundaries, tables, cubes, is_demo, public, reports)


# ---------------------------------------------------------------- scope and periods


def month_start(month: str) -> pd.Timestamp:
    return pd.Timestamp(f"{month}-01")


def month_end(month: str) -> pd.Timestamp:
    return month_start(month) + pd.offsets.MonthEnd(0)


def previous_months(start: str, end: str) -> tuple[str, str]:
    first, last = q.previous_period(month_start(start), month_end(end))
    return f"{first.year}-{first.month:02d}", f"{last.year}-{last.month:02d}"


def map_level(state: dict) -> int:
    """Régions or cercles: a selected région always shows its cercles."""
    return 2 if state.get("region") else int(state.get("level", 1))


def scope_units(data: DashboardData, state: dict) -> pd.Index:
    """Units drawn on the map: every unit of the level, or the cercles of the région."""
    level = map_level(state)
    units = data.cubes.units[level]
    if state.get("region") and level == 2:
        parents = data.parents(2)
        units = units[parents.reindex(units).to_numpy() == state["region"]]
    return units


def selected_categories(data: DashboardData, state: dict) -> list[str]:
    return list(state.get("cats") or data.categories())


# ---------------------------------------------------------------- indicator values


@dataclass(frozen=True)
class Values:
    """One number per unit: ``values`` NaN = no data or hidden, ``display`` what people see."""

    values: pd.Series
    display: pd.Series
    hidden: pd.Series  # bool: suppressed in the public view
    unit_key: str  # i18n key of the unit (events, per 10k, people...)
    decimals: int = 0


def _fmt(values: pd.Series, decimals: int = 0) -> pd.Series:
    return pd.Series(
        ["" if pd.isna(v) else f"{v:,.{decimals}f}".replace(",", "\u202f") for v in values],
        index=values.index,
        dtype=object,
    )


def incident_table(
    data: DashboardData,
    level: int,
    start: str,
    end: str,
    categories: list[str],
    measure: str = "events",
) -> pd.DataFrame:
    """Units x categories counts over whole months (the input of the suppression)."""
    columns = {
        c: q.incident_totals(
            data.cubes, level, month_start(start), month_start(end), categories=[c], measure=measure
        )
        for c in categories
    }
    if not columns:
        return pd.DataFrame(index=data.cubes.units[level])
    return pd.DataFrame(columns)


def incidents_public(
    data: DashboardData,
    level: int,
    start: str,
    end: str,
    categories: list[str],
    units: pd.Index,
    measure: str = "events",
):
    """Per-unit totals and grand total after suppression (exact for cluster members)."""
    table = incident_table(data, level, start, end, categories, measure).reindex(units)
    sensitive = SENSITIVE_CATEGORIES if measure == "events" else SENSITIVE_CATEGORIES
    view = public_view(table, sensitive=sensitive, member=not data.public)
    label = "Total"
    per_unit = view.values.loc[list(units), label] if len(units) else pd.Series(dtype=float)
    hidden = view.suppressed.loc[list(units), label] if len(units) else pd.Series(dtype=bool)
    shown = view.display.loc[list(units), label] if len(units) else pd.Series(dtype=object)
    grand = view.values.loc[label, label]
    grand_shown = view.display.loc[label, label]
    return per_unit, shown, hidden.astype(bool), grand, grand_shown


def gap_frame(data: DashboardData, state: dict, units: pd.Index | None = None) -> pd.DataFrame:
    """Need index, coverage and priority per cercle of the scope (level 2 always)."""
    level = 2
    if units is None:
        units = scope_units(data, {**state, "level": 2})
    start, end = state["start"], state["end"]
    cats = selected_categories(data, state)
    incidents = q.incident_totals(
        data.cubes, level, month_start(start), month_start(end), categories=cats
    )
    disp = q.displacement_at(data.cubes, level, month_end(end))
    displaced = disp["idps"].fillna(0) + disp["returnees"].fillna(0)
    access = q.access_totals(data.cubes, level, month_start(start), month_start(end))
    population = q.population(data.cubes, level)
    # Rank over every cercle of the country so a cercle's class does not depend on the zoom.
    need = need_index(incidents, displaced, access, population, NeedSettings())
    partners = q.partners_present(data.cubes, level, sector=state.get("sector") or None)
    table = gap_table(need, partners, population, names=data.names(level))
    table["region"] = data.parents(level).reindex(table.index).map(data.names(1))
    return table[table.index.isin(units)]


INDICATOR_UNITS = {
    "incidents": "unit_events",
    "incidents_10k": "unit_per_10k",
    "fatalities": "unit_people",
    "idps": "unit_people",
    "returnees": "unit_people",
    "partners": "unit_partners",
    "access": "unit_events",
    "need": "unit_class",
    "coverage": "unit_per_100k",
    "gap": "unit_class",
}


def indicator_values(data: DashboardData, state: dict) -> Values:
    """The mapped indicator per unit of the scope, suppressed where the public view requires."""
    level, units = map_level(state), scope_units(data, state)
    ind, start, end = state["ind"], state["start"], state["end"]
    unit_key = INDICATOR_UNITS[ind]
    no_hidden = pd.Series(False, index=units)
    if ind in ("incidents", "incidents_10k", "fatalities"):
        measure = "fatalities" if ind == "fatalities" else "events"
        values, shown, hidden, _, _ = incidents_public(
            data, level, start, end, selected_categories(data, state), units, measure
        )
        if ind == "incidents_10k":
            rate = q.per_10k(values, q.population(data.cubes, level).reindex(units))
            return Values(rate, _fmt(rate, 1).where(~hidden, shown), hidden, unit_key, 1)
        return Values(values, shown.where(values.notna() | hidden, ""), hidden, unit_key)
    if ind in ("idps", "returnees"):
        disp = q.displacement_at(data.cubes, level, month_end(end))[ind].reindex(units)
        return Values(disp, _fmt(disp), no_hidden, unit_key)
    if ind == "partners":
        partners = q.partners_present(data.cubes, level, sector=state.get("sector") or None)
        partners = partners.reindex(units).astype(float)
        return Values(partners, _fmt(partners), no_hidden, unit_key)
    if ind == "access":
        access = q.access_totals(data.cubes, level, month_start(start), month_start(end))
        access = access.reindex(units).astype(float)
        return Values(access, _fmt(access), no_hidden, unit_key)
    # need / coverage / gap are cercle measures; at région level show the cercles' mean
    table = gap_frame(data, state, None if level == 2 else data.cubes.units[2])
    if ind == "need":
        column, decimals = "need_class", 0
    elif ind == "coverage":
        column, decimals = "coverage_per_100k", 1
    else:
        column, decimals = "bivariate", 0
    series = table[column].astype("float64")
    if level == 1:
        parents = data.parents(2).reindex(series.index)
        series = series.groupby(parents).mean().round(1 if ind != "gap" else 0)
        decimals = 1 if ind != "gap" else 0
    series = series.reindex(units)
    return Values(series, _fmt(series, decimals), no_hidden, unit_key, decimals)


# ---------------------------------------------------------------- key figures


def _scope_label_units(data: DashboardData, state: dict) -> tuple[int, list[str] | None]:
    """Level and units whose sum the key figures show (selected cercle > région > Mali)."""
    if state.get("unit"):
        level = data.level_of(state["unit"]) or 2
        return level, [state["unit"]]
    if state.get("region"):
        return 1, [state["region"]]
    return 1, None


def key_figures(data: DashboardData, state: dict) -> list[dict]:
    """Each figure: i18n key, current and previous value, display strings, change in %."""
    level, chosen = _scope_label_units(data, state)
    units = pd.Index(chosen) if chosen else data.cubes.units[level]
    start, end = state["start"], state["end"]
    prev_start, prev_end = previous_months(start, end)
    has_previous = prev_start >= data.months[0]
    cats = selected_categories(data, state)
    out = []
    for measure, key in (("events", "ind_incidents"), ("fatalities", "ind_fatalities")):
        _, _, _, cur, cur_shown = incidents_public(data, level, start, end, cats, units, measure)
        _, _, _, prev, prev_shown = incidents_public(
            data, level, prev_start, prev_end, cats, units, measure
        )
        out.append(
            _figure(
                key,
                cur,
                prev if has_previous else np.nan,
                cur_shown,
                prev_shown if has_previous else "",
            )
        )
    disp_now = q.displacement_at(data.cubes, level, month_end(end)).reindex(units)
    disp_prev = q.displacement_at(data.cubes, level, month_end(prev_end)).reindex(units)
    for measure, key in (("idps", "ind_idps"), ("returnees", "ind_returnees")):
        cur = disp_now[measure].sum(min_count=1)
        prev = disp_prev[measure].sum(min_count=1)
        out.append(_figure(key, cur, prev, _num(cur), _num(prev)))
    access_now = q.access_totals(data.cubes, level, month_start(start), month_start(end))
    access_prev = q.access_totals(data.cubes, level, month_start(prev_start), month_start(prev_end))
    cur, prev = access_now.reindex(units).sum(), access_prev.reindex(units).sum()
    out.append(
        _figure(
            "ind_access",
            cur,
            prev if has_previous else np.nan,
            _num(cur),
            _num(prev) if has_previous else "",
        )
    )
    partners = _distinct_partners(data, level, units, state.get("sector") or None)
    out.append(_figure("ind_partners", partners, np.nan, _num(partners), ""))
    return out


def _distinct_partners(data: DashboardData, level: int, units, sector) -> float:
    orgs = data.cubes.service_orgs
    orgs = orgs[orgs[f"unit{level}"].isin(list(units))]
    if sector:
        orgs = orgs[orgs["sector"] == sector]
    return float(orgs["org"].nunique())


def _num(value) -> str:
    return "" if value is None or pd.isna(value) else f"{value:,.0f}".replace(",", "\u202f")


def _figure(key: str, current, previous, shown: str, previous_shown: str) -> dict:
    pct = np.nan
    if not pd.isna(current) and not pd.isna(previous) and previous:
        pct = (float(current) - float(previous)) / float(previous)
    return {
        "key": key,
        "value": None if pd.isna(current) else float(current),
        "previous": None if pd.isna(previous) else float(previous),
        "display": shown,
        "previous_display": previous_shown,
        "pct": None if pd.isna(pct) else float(pct),
    }


# ---------------------------------------------------------------- trends and panels


def incident_trend(data: DashboardData, state: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Month x category counts of the scope (values NaN where hidden) and display strings."""
    level, chosen = _scope_label_units(data, state)
    cats = selected_categories(data, state)
    table = q.incidents_by_month(
        data.cubes,
        chosen,
        level,
        month_start(state["start"]),
        month_start(state["end"]),
        categories=cats,
    )
    table.index = [f"{m.year}-{m.month:02d}" for m in table.index]
    view = public_view(table, member=not data.public, row_totals=False, column_totals=False)
    return view.values, view.display


def displacement_trend(data: DashboardData, state: dict) -> pd.DataFrame:
    level, chosen = _scope_label_units(data, state)
    return q.displacement_series(data.cubes, chosen, level)


def unit_rows(data: DashboardData, state: dict) -> list[dict]:
    """Rows of the cercle panel: each indicator for the selected unit, exported as CSV too."""
    unit = state.get("unit")
    if not unit:
        return []
    rows = [
        {"key": fig["key"], "value": fig["display"], "previous": fig["previous_display"]}
        for fig in key_figures(data, state)
    ]
    level = data.level_of(unit) or 2
    cats = selected_categories(data, state)
    table = incident_table(data, level, state["start"], state["end"], cats).reindex([unit])
    view = public_view(table, member=not data.public, row_totals=False, column_totals=False)
    for cat in cats:
        shown = view.display.loc[unit, cat]
        if shown not in ("", "0"):
            rows.append({"key": f"cat:{cat}", "value": shown, "previous": ""})
    if level == 2:
        gap = gap_frame(data, state, pd.Index([unit]))
        if unit in gap.index:
            row = gap.loc[unit]
            rows.append({"key": "col_need_class", "value": _num(row["need_class"]), "previous": ""})
            rows.append(
                {
                    "key": "col_coverage",
                    "value": ""
                    if pd.isna(row["coverage_per_100k"])
                    else f"{row['coverage_per_100k']:.1f}",
                    "previous": "",
                }
            )
    for sector in data.sectors():
        count = q.partners_present(data.cubes, level, sector=sector).get(unit, 0)
        rows.append({"key": f"sector:{sector}", "value": _num(count), "previous": ""})
    return rows


def quality_rows(data: DashboardData) -> list[dict]:
    """Per stream: rows read, places resolved by each method, unresolved, date coverage."""
    out = []
    for stream in STREAMS:
        table = data.tables.get(stream)
        if table is None:
            continue
        methods = table["match_method"].astype("string").fillna("unresolved").value_counts()
        date_col = "date" if "date" in table else ("start_date" if "start_date" in table else None)
        dates = pd.to_datetime(table[date_col], errors="coerce").dropna() if date_col else None
        report = data.reports.get(stream) or {}
        out.append(
            {
                "stream": stream,
                "rows": int(report.get("rows_read", len(table))),
                "pcode": int(methods.get("pcode", 0)),
                "name": int(methods.get("name", 0)),
                "fuzzy_name": int(methods.get("fuzzy_name", 0)),
                "point": int(methods.get("point", 0)),
                "unresolved": int(methods.get("unresolved", 0)) + int(methods.get("", 0)),
                "first": "" if dates is None or dates.empty else dates.min().strftime("%Y-%m-%d"),
                "last": "" if dates is None or dates.empty else dates.max().strftime("%Y-%m-%d"),
            }
        )
    return out
