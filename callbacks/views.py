"""The bodies of the callbacks, as plain functions of (data, state): tested without a browser.

:mod:`callbacks.register` only wires these to component ids. Nothing here reads Dash's
callback context; values that mean "leave as is" are returned as :data:`KEEP`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from datetime import UTC, date, datetime

import pandas as pd
from dash import html

from analysis import dataset, gate, periods
from analysis.gap import METHOD_TEXT
from analysis.gate.panels import NEED_COMPONENTS
from analysis.published import is_exact
from callbacks import exports, quality
from callbacks.state import (
    CONTROL_KEYS,
    Domain,
    apply_controls,
    clean_state,
    controls_of,
    custom_weights,
    from_query,
    select_unit,
    to_query,
)
from geo.labels import place_labels
from layouts import figures
from layouts.classes import gap_class_text, token_text
from layouts.filters import (
    INDICATOR_KEYS,
    category_options,
    indicator_options,
    level_options,
    month_options,
    preset_options,
    region_options,
    sector_options,
)
from layouts.grids import (
    conflict_columns,
    grid_options,
    partner_columns,
    partner_grid_rows,
    priority_columns,
    priority_rows,
    quality_columns,
    quality_grid_rows,
    reason_columns,
    unresolved_columns,
    with_stream_labels,
)
from layouts.header import data_note
from layouts.i18n import (
    CATALOGUE,
    category_label,
    constraint_label,
    date_label,
    month_label,
    number,
    sector_label,
    t,
)
from layouts.notes import families_note
from layouts.page import root_class, tab_labels
from layouts.tables import (
    TileText,
    deserts_list,
    key_figure_texts,
    priority_table,
    row_label,
    unit_panel,
)

KEEP = object()  # "no change" marker, turned into dash.no_update by the wrapper
GEO_URL = "/geo/level-{level}.json"
BIVARIATE_INDICATORS = ("gap",)


# ---------------------------------------------------------------- routing


def route(
    trigger: str | None,
    search: str | None,
    controls: list,
    state: dict | None,
    clicked_unit: str | None,
    level_of: Callable[[str], int | None],
    domain: Domain,
) -> tuple[object, dict, list]:
    """New (query string, state, control values) after ``trigger`` changed.

    ``trigger`` is the id of the component that fired (None on first load): the URL (load,
    deep link, back/forward) sets the controls; a control, a map click or a button sets the URL.
    """
    search = search if isinstance(search, str) else ""
    state = clean_state(state, domain) if isinstance(state, dict) else None
    if trigger in (None, "url") or state is None:
        new = from_query(search, domain)
        return KEEP, new, controls_of(new)
    if trigger in ("map", "gap-map"):
        if not clicked_unit:
            return KEEP, state, controls_of(state)
        level = level_of(clicked_unit) or 2
        new = select_unit(state, clicked_unit, level, domain)
    elif trigger == "country-button":
        new = {**state, "region": "", "unit": "", "level": 1}
    elif trigger == "briefing-button":
        new = {**state, "mode": "" if state.get("mode") == "briefing" else "briefing"}
    else:
        key = {
            "filter-level": "level",
            "filter-region": "region",
            "filter-start": "start",
            "filter-end": "end",
            "filter-preset": "preset",
            "filter-categories": "cats",
            "filter-sector": "sector",
            "filter-indicator": "ind",
            "lang": "lang",
            "tabs": "tab",
            "weight-incidents": "wi",
            "weight-displacement": "wd",
            "weight-access": "wa",
        }.get(trigger)
        changed = {key} if key else set()
        new = apply_controls(state, controls, changed, domain)
    new = from_query(to_query(new, domain), domain)  # one canonical form
    query = to_query(new, domain)
    return (query if query != (search or "") else KEEP), new, controls_of(new)


def clicked_location(click: dict | None) -> str | None:
    """The unit id a map click names (None for anything else a client may send)."""
    try:
        location = click["points"][0]["location"]  # type: ignore[index]
    except (TypeError, KeyError, IndexError):
        return None
    return location if isinstance(location, str) and len(location) <= 64 else None


# ---------------------------------------------------------------- language and chrome


def chrome(data: dataset.DashboardData, state: dict, texts: list[str]) -> dict:
    """Every language-dependent property of the static page (texts, options, tabs, classes)."""
    lang = state["lang"]
    months = data.months
    return {
        "texts": [t(key, lang) if key in CATALOGUE else "" for key in texts],
        "options": [
            level_options(lang, data.levels),
            region_options(data.regions(), lang),
            month_options(months, lang),
            month_options(months, lang),
            preset_options(lang),
            category_options(data.categories(), lang),
            sector_options(data.sectors(), lang),
            indicator_options(lang),
        ],
        "placeholders": [t("all_mali", lang), t("all_categories", lang), t("all_sectors", lang)],
        "tabs": tab_labels(lang),
        "period": data_note(months[0], months[-1], data.updated(), lang),
        "briefing": t("exit_briefing" if state.get("mode") == "briefing" else "briefing", lang),
        "attribution": (data.boundaries and _attribution(lang)),
        "root_class": root_class(state),
    }


def _attribution(lang: str) -> str:
    from geo.default import ATTRIBUTION

    return ATTRIBUTION[lang]


# ---------------------------------------------------------------- map


def map_key(state: dict) -> str:
    level = gate.map_level(state)
    bivariate = state["ind"] in BIVARIATE_INDICATORS
    return f"{level}|{state.get('region', '')}|{int(bivariate)}|{state['lang']}|{state['mode']}"


def map_title(data: dataset.DashboardData, state: dict) -> str:
    lang = state["lang"]
    where = data.names(1).get(state["region"], "") if state.get("region") else t("scope_mali", lang)
    if state.get("unit"):
        where = unit_title(data, state["unit"])
    if state["ind"] in ("idps", "returnees"):
        when = t("as_of", lang, date=date_label(str(periods.month_end(state["end"]).date()), lang))
    else:
        when = f"{month_label(state['start'], lang)} – {month_label(state['end'], lang)}"
        if state["start"] == state["end"]:
            when = month_label(state["start"], lang)
    extra = ""
    if state["ind"] in ("partners", "coverage", "gap") and state.get("sector"):
        extra = f" – {sector_label(state['sector'], lang)}"
    return f"{t(INDICATOR_KEYS[state['ind']], lang)}{extra} – {where}, {when}"


def titled(title: str, notes, lang: str):
    """A map title followed by what the viewer must be told about its numbers."""
    if not notes:
        return title
    return [title, *[html.Div(t(n, lang), className="protection-note") for n in notes]]


def is_values_only(result: dict) -> bool:
    """Whether a :func:`map_output` result is the values-only spec (else a full figure)."""
    return "traces" in result


def briefing_map_state(state: dict) -> dict:
    """Briefing mode leads with the priorities: the gap map of the cercles of the scope."""
    if state.get("mode") != "briefing":
        return state
    return {**state, "ind": "gap", "level": 2, "unit": ""}


def map_output(
    data: dataset.DashboardData,
    state: dict,
    role: str,
    current_key: str | None,
):
    """(figure or patch-spec, key): a full figure when geometry changed, else only values.

    The patch-spec is a dict {"traces": [...], "outline": [...], "unit_label": str} applied with
    dash.Patch; the figure is a plain figure dict {"data": [...], "layout": {...}}. Both carry
    ``notes`` (what the viewer must be told) for the caller to show and drop.
    """
    lang = state["lang"]
    level = gate.map_level(state)
    units = gate.scope_units(data, state)
    values = gate.indicator_values(data, state, role)
    bivariate = state["ind"] in BIVARIATE_INDICATORS
    if bivariate:
        display, outline = gap_details(data, state, role, units, lang)
    else:
        display, outline = values.display, selected_outline(state, units)
    traces = figures.map_traces_data(
        units, values.values, display, values.hidden, data.name_of(level), lang, bivariate
    )
    unit_label = t(values.unit_key, lang)
    key = map_key(state)
    meta = picture_meta(data, state)
    if key == current_key:
        spec = {"traces": traces, "outline": outline, "unit_label": unit_label, "meta": meta}
        return {**spec, "notes": values.notes}, key
    briefing = state.get("mode") == "briefing"
    fig = figures.map_figure(
        GEO_URL.format(level=level),
        traces,
        unit_label,
        lang,
        revision=key,
        bivariate=bivariate,
        big=briefing,
        labels=map_labels(data, level, units, big=briefing),
        outline=outline,
        dark=briefing,
    )
    fig["layout"]["meta"] = meta
    fig["notes"] = values.notes
    return fig, key


def picture_meta(data: dataset.DashboardData, state: dict) -> dict:
    """What a PNG of the map writes around it (assets/map-png.js): title with scope and period,
    the source line and, for demo data, the demo mark."""
    lang = state["lang"]
    demo = f"{t('demo_badge', lang)} – {t('demo_note', lang)}" if data.is_demo else ""
    return {"title": map_title(data, state), "source": _attribution(lang), "demo": demo}


def gap_details(
    data: dataset.DashboardData, state: dict, role: str, units: pd.Index, lang: str
) -> tuple[pd.Series, list[str]]:
    """The gap map's hover text of each cercle of ``units`` and the priority cercles (high
    need, low coverage) to outline, in priority order (memoised: the same for the same need
    state, audience, language and scope; held as lists, which the cache stores cheaply)."""
    scope = ",".join(map(str, units))
    raw = f"{dataset.state_key(state, dataset.NEED)}|{is_exact(role)}|{lang}|{scope}"
    texts, priorities = dataset.memo(
        data, "gap_details", raw, lambda: _gap_details(data, state, role, units, lang)
    )
    return pd.Series(texts, index=units, dtype=object), priorities


def _gap_details(
    data: dataset.DashboardData, state: dict, role: str, units: pd.Index, lang: str
) -> tuple[list[str], list[str]]:
    """Each cercle's hover text, why it has its colour (its classes in words, its priority
    rank, the three components of the need index with their ranks, and coverage per 100,000),
    and the priority cercles in priority order."""
    wanted = ["need_score", "bivariate", "need_class", "coverage_tercile", "priority"]
    wanted += ["coverage_per_100k", "priority_gap"]
    wanted += [c for _, column, rank, _ in NEED_COMPONENTS for c in (column, rank)]
    columns = gate.gap_columns(data, state, role, units, wanted)
    ranked = sum(pd.notna(v) for v in columns["need_score"])
    lines = {}
    priorities = []
    for i, unit in enumerate(columns["unit_id"]):
        row = {c: values[i] for c, values in columns.items()}
        if pd.notna(row["priority_gap"]) and row["priority_gap"]:
            priorities.append(str(unit))
        if pd.isna(row["bivariate"]):
            continue
        text = [gap_class_text(row["need_class"], row["coverage_tercile"], lang)]
        if pd.notna(row["priority"]):
            text.append(f"{t('col_priority', lang)} : {int(row['priority'])}")
        for key, column, rank, decimals in NEED_COMPONENTS:
            value = number(row[column], lang, decimals)
            where = t("rank_of", lang, rank=int(row[rank]), n=ranked)
            text.append(f"{t(key, lang)} : {value} ({where})")
        text.append(f"{t('col_coverage', lang)} : {number(row['coverage_per_100k'], lang, 1)}")
        lines[str(unit)] = "<br>".join(text)
    return [lines.get(u, "") for u in units.tolist()], priorities


def selected_outline(state: dict, units: pd.Index) -> list[str]:
    """The selected unit, when it is on the map."""
    unit = state.get("unit")
    return [unit] if unit and unit in set(units) else []


def map_labels(data: dataset.DashboardData, level: int, units: pd.Index, big: bool) -> dict:
    """Names of the units that fit without overlapping, at their label points (per scope)."""
    key = ("map_labels", level, tuple(units), big)

    def compute() -> dict:
        extents = data.display(level).extents
        chosen = [extents[u] for u in units if u in extents]
        names = data.names(level).to_dict()
        size = (760, 520, 15) if big else (1000, 600, 11)
        placed = set(place_labels(chosen, names, *size))
        shown = [e for e in chosen if e.unit_id in placed]
        return {
            "lon": [e.label_lon for e in shown],
            "lat": [e.label_lat for e in shown],
            "text": [names.get(e.unit_id, e.unit_id) for e in shown],
        }

    return data.static(key, compute)


# ---------------------------------------------------------------- panels


def key_figures_view(data: dataset.DashboardData, state: dict, role: str) -> dict[str, TileText]:
    figures = gate.key_figures(data, state, role)
    return key_figure_texts(figures.figures, state["lang"])


def families_note_view(data: dataset.DashboardData, state: dict, role: str) -> tuple[str, ...]:
    """The counting systems added up, the caution when several are, then what the public is
    told about sensitive categories (one line each)."""
    lines = families_note(data, state)
    notes = gate.key_figures(data, state, role).notes
    return (
        lines[0] if lines else "",
        " ".join(lines[1:]),
        "\n".join(t(key, state["lang"]) for key in notes),
    )


def protection_note_lines(notes, lang: str) -> list:
    return [html.Div(t(key, lang), className="protection-note") for key in notes]


def partners_view(data: dataset.DashboardData, state: dict, role: str) -> dict:
    """Rows and headers of the partner grid of the selected unit, and whether to show it."""
    lang = state["lang"]
    rows = gate.partner_rows(data, state, role)
    return {
        "rows": partner_grid_rows(rows, lang),
        "columns": partner_columns(lang),
        "options": grid_options(lang, domLayout="autoHeight"),
        "style": {} if state.get("unit") and rows else {"display": "none"},
    }


def unit_title(data: dataset.DashboardData, unit: str) -> str:
    level = data.level_of(unit) or 2
    name = data.names(level).get(unit, unit)
    if level >= 2:
        parent = data.parents(level).get(unit, "")
        return f"{name} ({data.names(level - 1).get(parent, parent)})"
    return name


def unit_panel_view(data: dataset.DashboardData, state: dict, role: str):
    rows = gate.unit_rows(data, state, role)
    title = unit_title(data, state["unit"]) if state.get("unit") else ""
    panel = unit_panel(title, rows, state["lang"])
    notes = gate.unit_notes(data, state, role)
    return [*panel, *protection_note_lines(notes, state["lang"])]


def incident_trend_view(data: dataset.DashboardData, state: dict, role: str):
    trend = gate.incident_trend(data, state, role)
    return figures.incident_trend_figure(
        trend.values, trend.withheld, [t(n, state["lang"]) for n in trend.notes], state["lang"]
    )


def displacement_key(state: dict) -> str:
    """What the displacement chart depends on: its scope and language."""
    return f"{state.get('region', '')}|{state.get('unit', '')}|{state['lang']}"


def displacement_trend_view(data: dataset.DashboardData, state: dict, role: str):
    """Displacement over time: depends on the scope and language, not on period or categories."""
    series = gate.displacement_trend(data, state, role)
    return figures.displacement_trend_figure(series, state["lang"])


def gap_state(state: dict) -> dict:
    return {**state, "ind": "gap", "level": 2}


def _weight(value, lang: str) -> str:
    text = f"{float(value):g}"
    return text.replace(".", ",") if lang == "fr" else text


def method_text(state: dict) -> list[str]:
    """The published method, the weights in use, and how incident families are treated."""
    lang = state["lang"]
    weights = {k: _weight(state[k], lang) for k in ("wi", "wd", "wa")}
    custom = custom_weights(state)
    which = t("weights_custom" if custom else "weights_default", lang)
    used = t("weights_used", lang, which=which, **weights)
    return [METHOD_TEXT[lang], used, t("method_families", lang)]


def gap_view(
    data: dataset.DashboardData, state: dict, role: str, current_key: str | None = None
) -> dict:
    """Gap map (full figure, or only values when its geometry is already drawn), priority
    grid rows and headers, service deserts and method text, for the cercles of the scope."""
    lang = state["lang"]
    g_state = gap_state(state)
    fig, key = map_output(data, g_state, role, current_key)
    table = gate.gap_frame(data, g_state, role)
    notes = [t(n, lang) for n in gate.gap_notes(data, state, role)]
    return {
        "figure": fig,
        "key": key,
        "rows": priority_rows(table, lang),
        "columns": priority_columns(lang),
        "options": grid_options(lang),
        "deserts": deserts_list(table, lang),
        "method": [html.Span(text + " ") for text in [*method_text(state), *notes]],
    }


def briefing_priorities(data: dataset.DashboardData, state: dict, role: str):
    table = gate.gap_frame(data, {**state, "region": state.get("region", "")}, role)
    return priority_table(table, state["lang"], limit=8, compact=True)


def quality_notes(data: dataset.DashboardData, lang: str) -> list[str]:
    notes = []
    if data.is_demo:
        notes.append(t("quality_demo", lang))
    elif data.origins.get("population") == dataset.POPULATION_FALLBACK:
        notes.append(t("quality_population_fallback", lang))
    return notes


def quality_view(data: dataset.DashboardData, state: dict, role: str) -> dict:
    """Notes and the three quality grids (summary per stream, reasons, first unresolved rows)."""
    lang = state["lang"]
    conflicts = quality.conflict_rows(data)
    every_reason = quality.unresolved_reasons(data)
    reasons = gate.unresolved_rows(data, role, every_reason)
    rows = gate.quality_rows(data, role, quality.quality_rows(data))
    notes = quality_notes(data, lang)
    if not every_reason:
        notes.append(t("quality_all_resolved", lang))
    if any(row["first"] == gate.WITHHELD for row in rows):
        notes.append(t("quality_incidents_withheld", lang))
    return {
        "notes": [html.P(n, className="mb-1") for n in notes],
        "summary": (quality_grid_rows(rows, lang), quality_columns(lang)),
        "reasons": (with_stream_labels(reasons, lang), reason_columns(lang)),
        "unresolved": (
            with_stream_labels(
                gate.unresolved_rows(data, role, quality.unresolved_rows(data)), lang
            ),
            unresolved_columns(lang),
        ),
        "conflicts": (
            with_stream_labels(gate.unresolved_rows(data, role, conflicts), lang),
            conflict_columns(lang),
        ),
        "conflicts_style": {} if conflicts else {"display": "none"},
        "options": grid_options(lang),
        "details_style": {} if reasons else {"display": "none"},
    }


# ---------------------------------------------------------------- exports
#
# The tables of the exports come from the gate with the viewer's role, exactly as the page
# shows them ("réservé aux membres" stays a text); callbacks.exports only writes the files.


def _plain(value) -> exports.Cell:
    """A cell of a gate frame as a plain Python value (None for missing)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, str):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    return float(value)


def _export_value(shown: str, lang: str) -> exports.Cell:
    """A display string of the gate as a cell: a number, "réservé aux membres", or empty."""
    if shown == gate.WITHHELD:
        return t("members_only", lang)
    words = token_text(shown, lang)
    return words if words is not None else exports.parse_shown(shown)


def _months_text(state: dict, lang: str) -> str:
    start, end = month_label(state["start"], lang), month_label(state["end"], lang)
    return start if state["start"] == state["end"] else f"{start} – {end}"


def _sources_text(data: dataset.DashboardData, lang: str) -> str:
    """The attribution line, then where each data stream comes from (origin, version)."""
    colon, semicolon = (" : ", " ; ") if lang == "fr" else (": ", "; ")
    parts = []
    for row in quality.quality_rows(data):
        key = f"origin_{row['origin']}"
        version = row.get("version") or "?"
        label = t(key, lang, version=version) if key in CATALOGUE else row["origin"]
        parts.append(f"{t('stream_' + row['stream'], lang)}{colon}{label}")
    return f"{_attribution(lang)} {t('export_streams', lang)} {semicolon.join(parts)}."


def export_metadata(
    data: dataset.DashboardData,
    state: dict,
    role: str,
    title: str,
    scope: str,
    generated: date,
    weights: bool = False,
) -> list[tuple[str, str]]:
    """The header block of an export: title, scope, period, filters, sources, demo mark,
    data-protection note, generation date (in the view's language)."""
    lang = state["lang"]
    cats = gate.selected_categories(data, state)
    sector = state.get("sector")
    meta = [
        (t("export_title", lang), f"{t('title', lang)} — {title}"),
        (t("export_scope", lang), scope),
        (t("period", lang), _months_text(state, lang)),
        (t("categories", lang), ", ".join(category_label(c, lang) for c in cats)),
        (t("sector", lang), sector_label(sector, lang) if sector else t("all_sectors", lang)),
    ]
    if weights:
        values = {k: _weight(state[k], lang) for k in ("wi", "wd", "wa")}
        which = t("weights_custom" if custom_weights(state) else "weights_default", lang)
        meta.append((t("weights_title", lang), t("weights_used", lang, which=which, **values)))
    meta.append((t("export_sources", lang), _sources_text(data, lang)))
    if data.is_demo:
        meta.append((t("export_demo", lang), f"{t('demo_badge', lang)} — {t('demo_note', lang)}"))
    note = t("export_member_note" if is_exact(role) else "suppressed_note", lang)
    meta.append((t("protection_title", lang), note))
    meta.append((t("export_generated", lang), generated.isoformat()))
    return meta


def _scope_text(data: dataset.DashboardData, state: dict) -> str:
    if state.get("region"):
        return str(data.names(1).get(state["region"], state["region"]))
    return t("all_mali", state["lang"])


def _today() -> date:
    return datetime.now(UTC).date()


def unit_export(
    data: dataset.DashboardData, state: dict, role: str, fmt: str = "csv"
) -> dict | None:
    """The cercle panel as a CSV or XLSX file, as the viewer sees it (withheld values stay
    withheld)."""
    lang = state["lang"]
    rows = gate.unit_rows(data, state, role)
    if not rows:
        return None
    table = exports.ExportTable(
        [t("col_indicator", lang), t("col_value", lang), t("col_previous", lang)],
        [
            [
                row_label(r["key"], lang),
                _export_value(r["value"], lang),
                _export_value(r["previous"], lang),
            ]
            for r in rows
        ],
    )
    name = unit_title(data, state["unit"])
    generated = _today()
    meta = export_metadata(data, state, role, f"{t('unit_panel', lang)} : {name}", name, generated)
    stem = f"{state['unit']}_{state['start']}_{state['end']}"
    return exports.download(table, meta, lang, fmt, stem, generated)


def unit_csv(data: dataset.DashboardData, state: dict, role: str) -> dict | None:
    return unit_export(data, state, role, "csv")


def gap_export(data: dataset.DashboardData, state: dict, role: str, fmt: str = "csv") -> dict:
    """The ranked priority cercles of the scope as a CSV or XLSX file (the gate's gap frame
    for the viewer's role: the public need index counts no sensitive category)."""
    lang = state["lang"]
    frame = gate.gap_frame(data, {**state, "level": 2}, role).reset_index()
    columns = [
        "col_rank",
        "pcode",
        "col_unit",
        "col_region",
        "col_need_score",
        "col_need_class",
        "col_partners",
        "col_coverage",
        "col_desert",
    ]
    rows = [
        [
            _plain(r["priority"]),
            r["unit_id"],
            r["name"],
            r["region"],
            _plain(round(r["need_score"], 3)) if pd.notna(r["need_score"]) else None,
            _plain(r["need_class"]),
            _plain(r["partners"]),
            _plain(round(r["coverage_per_100k"], 2)) if pd.notna(r["coverage_per_100k"]) else None,
            t("yes" if _plain(r["desert"]) else "no", lang),
        ]
        for r in frame.to_dict("records")
    ]
    table = exports.ExportTable([c if c == "pcode" else t(c, lang) for c in columns], rows)
    generated = _today()
    meta = export_metadata(
        data,
        state,
        role,
        t("gap_priorities", lang),
        _scope_text(data, state),
        generated,
        weights=True,
    )
    sector = state.get("sector") or "all"
    stem = f"lacunes_{sector}_{state['end']}"
    return exports.download(table, meta, lang, fmt, stem, generated)


def gap_csv(data: dataset.DashboardData, state: dict, role: str) -> dict:
    return gap_export(data, state, role, "csv")


__all__ = ["CONTROL_KEYS", "KEEP", "route", "category_label", "constraint_label"]
