"""Everything a briefing pack shows, as plain data: numbers from the publishing gate, texts.

Why one collector: the PDF, the slides and the offline snapshot must show the same figures as
the web page for the same viewer. Every number here comes from :mod:`analysis.gate` called with
the pack's role (the public gets published values and "réservé aux membres", members exact
ones) and is only *formatted* here, the way the page formats it. No Dash import.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from analysis import gate
from analysis.dataset import DashboardData
from analysis.gap import METHOD_TEXT
from analysis.periods import month_end
from analysis.protection import WITHHELD
from analysis.published import is_exact
from briefing.model import BriefingContent, KeyFigure, MapContent, Table, TrendContent
from briefing.texts import bt
from callbacks.state import clean_state, custom_weights, shift_month
from geo.default import ATTRIBUTION
from layouts.classes import gap_class_text
from layouts.i18n import (
    category_label,
    date_label,
    local_number,
    month_label,
    number,
    percent_change,
    t,
)
from layouts.notes import families_note

TREND_MONTHS = 12  # trends show at least the 12 months ending with the period
PRIORITY_ROWS = 10  # priority cercles listed for Mali (a région lists all its cercles)
CATEGORY_COLUMNS = 6  # categories per table; more are continued in a second table


def briefing_state(data: DashboardData, scope: str, start: str, end: str, lang: str) -> dict:
    """The view state of a pack (validated like a link; raises ValueError when it is not what
    was asked, so a scheduled job never silently briefs on another scope or period)."""
    domain = data.domain()
    scope = "" if scope in ("", "ML") else scope
    raw = {
        "lang": lang,
        "region": scope,
        "level": 2 if scope else 1,
        "preset": "custom",
        "start": start,
        "end": end,
    }
    state = clean_state(raw, domain)
    if scope and state["region"] != scope:
        raise ValueError(f"unknown scope {scope!r}")
    if (state["start"], state["end"]) != (start, end):
        raise ValueError(f"period {start}..{end} is not within the data's months")
    if state["lang"] != lang:
        raise ValueError(f"unknown language {lang!r}")
    return state


def period_label(start: str, end: str, lang: str) -> str:
    if start == end:
        return month_label(start, lang)
    return f"{month_label(start, lang)} – {month_label(end, lang)}"


def collect(
    data: DashboardData, state: dict, role: str, today: dt.date | None = None
) -> BriefingContent:
    """The pack's content for ``state`` (scope, period, filters, language) and ``role``.

    The pack briefs on Mali (régions on the map) or on a région (its cercles), whatever unit or
    level the page had selected: a selected cercle or the commune level does not change it.
    """
    lang = state["lang"]
    region = state.get("region") or ""
    state = {**state, "unit": "", "level": 2 if region else 1}
    scope_name = data.names(1).get(region, region) if region else t("scope_mali", lang)
    where = bt("scope_region", lang, name=scope_name) if region else scope_name
    period = period_label(state["start"], state["end"], lang)
    view = t("footer_member" if is_exact(role) else "footer_public", lang)
    today = today or dt.date.today()
    info = (
        t(
            "data_period",
            lang,
            start=month_label(data.months[0], lang),
            end=month_label(data.months[-1], lang),
        ),
        bt("displacement_as_of", lang, date=date_label(str(month_end(state["end"]).date()), lang)),
        bt("view_line", lang, view=view),
        bt("generated", lang, date=date_label(today.isoformat(), lang)),
    )
    figures = gate.key_figures(data, state, role)
    gap_state = {**state, "ind": "gap", "level": 2}
    priorities, deserts, ranked = _priorities(data, gap_state, role, lang, limited=not region)
    return BriefingContent(
        lang=lang,
        role=role,
        is_demo=data.is_demo,
        scope=region,
        scope_name=scope_name,
        start=state["start"],
        end=state["end"],
        title=bt("pack_title", lang),
        subtitle=f"{where} — {period}",
        info_lines=info,
        sources=_sources(data, lang),
        key_figures=tuple(_key_figures(figures, lang)),
        key_notes=tuple(families_note(data, state) + [t(n, lang) for n in figures.notes]),
        incidents_map=_map(data, {**state, "ind": "incidents"}, role, where, period),
        unit_tables=_unit_tables(data, state, role),
        gap_map=replace(_map(data, gap_state, role, where, period), marks=() if region else ranked),
        priorities=priorities,
        deserts=deserts,
        trends=_trends(data, state, role),
        method=tuple(_method(data, state, role)),
        protection_title=t("protection_title", lang),
        protection=t("protection_text", lang),
        demo_badge=t("demo_badge", lang),
        demo_note=t("demo_note", lang),
        view=view,
        footer=f"{bt('pack_title', lang)} · {where} · {period}",
        headings={
            "key_figures": t("key_figures", lang),
            "maps_incidents": bt("maps_incidents", lang),
            "maps_gap": bt("maps_gap", lang),
            "trends": bt("trends", lang),
            "method": bt("method_and_protection", lang),
            "method_title": t("method", lang),
            "sources": bt("sources", lang),
            "gap_deserts": t("gap_deserts", lang),
            "no_deserts": t("no_deserts", lang),
            "no_data": t("no_data", lang),
            "members_only": t("members_only", lang),
            "legend_title_gap": bt("legend_title_gap", lang),
            "legend_need": bt("legend_need", lang),
            "legend_coverage": bt("legend_coverage", lang),
            "legend_outline": bt("legend_outline", lang),
            "no_incident_data": bt("no_incident_data", lang),
            "member_mark": bt("member_mark", lang),
            "snapshot_title": bt("snapshot_title", lang),
            "snapshot_note": bt("snapshot_note", lang),
        },
    )


# ---------------------------------------------------------------- key figures


def _key_figures(figures: gate.KeyFigures, lang: str) -> list[KeyFigure]:
    """The tiles of the page (layouts.tables.key_figure_texts), with the previous value."""
    out = []
    for fig in figures.figures:
        pct = fig.get("pct")
        if fig["key"] == "ind_partners":
            change = ""
        elif pct is None:
            change = t("no_previous", lang) if not fig.get("previous_display") else ""
        else:
            change = percent_change(pct, lang)
        value = fig["display"] or "–"
        if value == WITHHELD:
            value = t("members_only", lang)
        elif value != "–":
            value = number(fig["value"], lang)
        previous = fig.get("previous_display") or ""
        previous = number(fig["previous"], lang) if previous else "–"
        direction = "" if pct is None else ("up" if pct > 0 else "down" if pct < 0 else "")
        out.append(KeyFigure(t(fig["key"], lang), value, previous, change, direction))
    return out


# ---------------------------------------------------------------- maps


def map_title(data: DashboardData, state: dict, where: str, period: str) -> str:
    lang = state["lang"]
    if state["ind"] == "gap":
        return f"{t('gap_title', lang)} – {where}, {period}"
    return f"{t('ind_' + state['ind'], lang)} – {where}, {period}"


def _map(data: DashboardData, state: dict, role: str, where: str, period: str) -> MapContent:
    lang = state["lang"]
    level = gate.map_level(state)
    units = gate.scope_units(data, state)
    values = gate.indicator_values(data, state, role)
    names = data.names(level).reindex(units)
    shown = values.display.reindex(units).fillna("")
    hidden = values.hidden.reindex(units).fillna(False).astype(bool)
    raw = values.values.reindex(units)
    return MapContent(
        title=map_title(data, state, where, period),
        level=level,
        units=tuple(units),
        names=tuple(str(n) if isinstance(n, str) else u for u, n in zip(units, names, strict=True)),
        values=tuple(
            None if pd.isna(v) or h else float(v) for v, h in zip(raw, hidden, strict=True)
        ),
        labels=tuple(local_number(str(s), lang) for s in shown),
        hidden=tuple(bool(h) for h in hidden),
        unit_label=t(values.unit_key, lang),
        bivariate=state["ind"] == "gap",
        region=state.get("region") or "",
        notes=tuple(t(n, lang) for n in values.notes),
    )


# ---------------------------------------------------------------- tables


def _unit_tables(data: DashboardData, state: dict, role: str) -> tuple[Table, ...]:
    """Incidents per category for each unit of the map (the cercle panel's rows of the gate):
    the public gets "réservé aux membres" where a sensitive category is below the grain."""
    lang = state["lang"]
    level = gate.map_level(state)
    units = gate.scope_units(data, state)
    cats = gate.selected_categories(data, state)
    names = data.names(level)
    per_unit: dict[str, dict[str, str]] = {}
    notes: set[str] = set()
    for unit in units:
        unit_state = {**state, "unit": unit}
        panel = gate.unit_rows(data, unit_state, role)
        notes.update(gate.unit_notes(data, unit_state, role))
        per_unit[unit] = {r["key"]: r["value"] for r in panel}
    shown_cats = [c for c in cats if any(f"cat:{c}" in per_unit[u] for u in units)]
    title = bt("incidents_by_unit", lang, level=bt(f"level_name_{level}", lang))
    ordered_notes = tuple(
        t(n, lang) for n in ("note_sensitive_rounded", "note_sensitive_withheld") if n in notes
    )
    chunks = [
        shown_cats[i : i + CATEGORY_COLUMNS] for i in range(0, len(shown_cats), CATEGORY_COLUMNS)
    ]
    tables = []
    for i, chunk in enumerate(chunks or [[]]):
        columns = (
            t("col_unit" if level == 2 else "col_region", lang),
            *(category_label(c, lang) for c in chunk),
        )
        if i == 0:
            columns = (*columns, t("ind_incidents", lang))
        rows: list[tuple[str, ...]] = []
        for unit in units:
            values = per_unit[unit]
            cells = [local_number(values.get(f"cat:{c}", "0"), lang) for c in chunk]
            if i == 0:
                cells.append(local_number(values.get("ind_incidents", "") or "–", lang))
            rows.append((str(names.get(unit, unit)), *cells))
        tables.append(
            Table(
                title=title if i == 0 else f"{title} {bt('continued', lang)}",
                columns=tuple(columns),
                rows=tuple(rows),
                numeric=(False, *[True] * (len(columns) - 1)),
                notes=ordered_notes if i == len(chunks or [[]]) - 1 else (),
            )
        )
    return tuple(tables)


def _priorities(
    data: DashboardData, state: dict, role: str, lang: str, limited: bool
) -> tuple[Table, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The priority table, the service deserts, and (cercle, rank) of the rows listed."""
    table = gate.gap_frame(data, state, role)
    ranked = table[table["priority"].notna()]
    shown = ranked.head(PRIORITY_ROWS) if limited else ranked
    columns = tuple(
        t(k, lang)
        for k in (
            "col_rank",
            "col_unit",
            "col_region",
            "col_gap_class",
            "col_partners",
            "col_coverage",
            "col_desert",
        )
    )
    rows = []
    for _, row in shown.iterrows():
        rows.append(
            (
                str(int(row["priority"])),
                str(row["name"]),
                str(row.get("region", "") or ""),
                gap_class_text(row["need_class"], row["coverage_tercile"], lang),
                number(int(row["partners"]), lang),
                number(row["coverage_per_100k"], lang, 1),
                t("yes" if row["desert"] else "no", lang),
            )
        )
    title = (
        bt("top_priorities", lang, shown=len(shown), total=len(ranked))
        if limited and len(ranked) > len(shown)
        else t("briefing_priorities", lang)
    )
    strong = tuple(bool(v) for v in shown["priority_gap"])
    notes = (
        *([bt("priority_highlight", lang)] if any(strong) else []),
        bt("rank_marks", lang) if limited else bt("rank_national", lang),
        *(t(n, lang) for n in gate.gap_notes(data, state, role)),
    )
    deserts = tuple(
        f"{row['name']} ({row.get('region', '')}) – "
        f"{gap_class_text(row['need_class'], row['coverage_tercile'], lang)}"
        for _, row in table[table["desert"]].iterrows()
    )
    return (
        Table(
            title=title,
            columns=columns,
            rows=tuple(rows),
            numeric=(True, False, False, True, True, True, False),
            strong=strong,
            notes=notes,
        ),
        deserts,
        tuple((str(unit), str(int(rank))) for unit, rank in shown["priority"].items()),
    )


# ---------------------------------------------------------------- trends


def trend_window(data: DashboardData, start: str, end: str) -> tuple[str, str]:
    """The months the trends show: the period, or the 12 months ending with it if longer."""
    first = min(start, shift_month(end, -(TREND_MONTHS - 1)))
    return max(first, data.months[0]), end


def _trends(data: DashboardData, state: dict, role: str) -> TrendContent:
    lang = state["lang"]
    first, last = trend_window(data, state["start"], state["end"])
    trend_state = {**state, "start": first, "end": last}
    trend = gate.incident_trend(data, trend_state, role)
    values = trend.values.drop(columns=[c for c in trend.withheld if c in trend.values.columns])
    values = values.loc[:, (values.fillna(0) != 0).any(axis=0)]
    order = values.sum().sort_values(ascending=False).index
    incidents = values[order]
    incidents.columns = [category_label(c, lang) for c in incidents.columns]
    incidents.index = [month_label(m, lang) for m in incidents.index]
    series = gate.displacement_trend(data, trend_state, role)
    months = series.index.strftime("%Y-%m") if len(series) else pd.Index([])
    series = series[(months >= first) & (months <= last)]
    labels = {
        "idps": t("ind_idps", lang),
        "returnees": t("ind_returnees", lang),
        "repatriated": t("ind_repatriated", lang),
    }
    displacement = series[[c for c in labels if c in series.columns]].rename(columns=labels)
    displacement.index = [month_label(d.strftime("%Y-%m"), lang) for d in series.index]
    window = period_label(first, last, lang)
    return TrendContent(
        title=bt("trend_window", lang, title=t("trend_incidents", lang), period=window),
        incidents=incidents,
        incident_notes=(*(t(n, lang) for n in trend.notes), bt("trend_window_note", lang)),
        displacement_title=bt(
            "trend_window", lang, title=t("trend_displacement", lang), period=window
        ),
        displacement=displacement,
        axis_events=t("unit_events", lang),
        axis_people=t("unit_people", lang),
    )


# ---------------------------------------------------------------- method, sources


def _weight(value, lang: str) -> str:
    text = f"{float(value):g}"
    return text.replace(".", ",") if lang == "fr" else text


def _method(data: DashboardData, state: dict, role: str) -> list[str]:
    lang = state["lang"]
    weights = {k: _weight(state[k], lang) for k in ("wi", "wd", "wa")}
    which = t("weights_custom" if custom_weights(state) else "weights_default", lang)
    lines = [
        METHOD_TEXT[lang],
        t("weights_used", lang, which=which, **weights),
        t("method_families", lang),
    ]
    return lines + [t(n, lang) for n in gate.gap_notes(data, state, role)]


def _origin(row: dict, lang: str) -> str:
    origin = row.get("origin") or "missing"
    if origin == "store":
        return t("origin_store", lang, version=row.get("version") or "?")
    return _label(f"origin_{origin}", lang, origin)


def _label(key: str, lang: str, fallback: str) -> str:
    """The page's text of ``key``, or ``fallback`` for a value it has no text for."""
    try:
        return t(key, lang)
    except KeyError:
        return fallback


def _date(text: str, lang: str) -> str:
    if len(text) == 10:
        return date_label(text, lang)
    return text or "–"


def _sources(data: DashboardData, lang: str) -> tuple[str, ...]:
    """Where each stream comes from and the dates it covers, then the boundaries' credit."""
    lines = []
    for row in data.quality["rows"]:
        stream = _label(f"stream_{row['stream']}", lang, str(row["stream"]))
        first, last = str(row.get("first") or ""), str(row.get("last") or "")
        lines.append(
            bt(
                "sources_line" if first != last else "sources_line_one",
                lang,
                stream=stream,
                origin=_origin(row, lang),
                first=_date(first, lang),
                last=_date(last, lang),
            )
        )
    if data.is_demo:
        lines.append(t("quality_demo", lang))
    lines.append(ATTRIBUTION[lang])
    return tuple(lines)


__all__ = [
    "BriefingContent",
    "KeyFigure",
    "MapContent",
    "Table",
    "TrendContent",
    "briefing_state",
    "collect",
    "period_label",
    "trend_window",
]
