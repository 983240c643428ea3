"""What each view shows, as plain data: the callbacks only wrap these functions.

Everything here takes the loaded :class:`DashboardData` and the view state (see
:mod:`callbacks.state`) and returns pandas objects or plain dicts; suppression of sensitive
small counts happens here, server side, before anything is sent to the browser.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from analysis import queries as q
from analysis.cubes import Cubes, build_cubes
from analysis.gap import (
    NeedSettings,
    coverage,
    coverage_classes,
    gap_table,
    need_index,
    terciles,
)
from analysis.suppression import (
    PRIMARY_LABEL,
    SECONDARY_LABEL,
    format_count,
    public_view,
    suppression_masks,
)
from callbacks.state import WEIGHT_KEYS, Domain, weights_of
from data.population import codps_2018
from data.schemas import STREAMS
from data.vocab import (
    CATEGORY_BY_CODE,
    INCIDENT_CATEGORIES,
    PROTECTION_SECTORS,
    SENSITIVE_CATEGORIES,
)
from geo.boundaries import BoundarySet
from geo.display import DisplayLevel, display_level


@dataclass
class DashboardData:
    """Everything loaded once at start: boundaries, cubes, labels, the data-quality summary.

    The canonical tables (a million incident rows) are only read at construction: the cubes
    are built from them beforehand, and what the quality panel and the partner grid need from
    them (rows per stream, resolution methods, unresolved reasons and first rows, date coverage,
    organisation names) is summarised in ``__post_init__``. Then ``tables`` is emptied so the
    big frames can be freed; ``table_rows`` keeps their row counts.
    """

    boundaries: BoundarySet
    tables: dict[str, pd.DataFrame]
    cubes: Cubes
    is_demo: bool
    public: bool = True
    reports: dict[str, dict] = field(default_factory=dict)
    # Where each stream comes from: "demo", "store" or "codps2018" (vendored population).
    origins: dict[str, str] = field(default_factory=dict)
    # A flask-caching Cache (set by create_app) memoising the aggregates; None: no caching.
    cache: Any = None
    computed: Counter = field(default_factory=Counter)  # aggregates actually computed, by name
    keep_tables: bool = False  # True: keep ``tables`` after the summaries (tools, debugging)

    def __post_init__(self) -> None:
        self.table_rows = {stream: len(table) for stream, table in self.tables.items()}
        self.quality = quality_summary(self.tables, self.reports, self.origins, self.is_demo)
        self.org_labels = org_labels(self.tables.get("services"))
        self.fingerprint = self._fingerprint()
        if not self.keep_tables:
            self.tables = {}

    def _fingerprint(self) -> str:
        """Identifies the loaded data in cache keys (a shared Redis may serve several apps)."""
        parts = [
            self.is_demo,
            self.public,
            self.boundaries.source,
            sorted((s, (r or {}).get("version", "")) for s, r in self.reports.items()),
            sorted(self.table_rows.items()),
        ]
        return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:12]

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(self.cubes.units))

    @functools.cached_property
    def months(self) -> list[str]:
        """Every month from the first to the last dated row of any stream (computed once)."""
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

    def displacement_months(self, level: int) -> dict[str, pd.DataFrame]:
        """Displacement per unit of ``level`` as of the end of each month of the data."""
        done = self._displacement_months.get(level)
        if done is None:
            done = {
                month: q.displacement_at(self.cubes, level, month_end(month))
                for month in self.months
            }
            self._displacement_months[level] = done
        return done

    def static(self, key: tuple, compute):
        """``compute()`` once per process: aggregates that no filter changes (population,
        partners per sub-sector). A copy is returned, so callers may change it."""
        store = self._static
        if key not in store:
            store[key] = compute()
        return store[key].copy()

    @functools.cached_property
    def _static(self) -> dict:
        return {}

    @functools.cached_property
    def _displacement_months(self) -> dict[int, dict[str, pd.DataFrame]]:
        return {}

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
        return list(self._categories)

    @functools.cached_property
    def _categories(self) -> tuple[str, ...]:
        present = set(self.cubes.incidents["category"].unique())
        return tuple(c.code for c in INCIDENT_CATEGORIES if c.code in present)

    def families(self) -> list[str]:
        """Counting systems present, in vocabulary order (monitoring, mrm, explosive, conflict)."""
        return list(dict.fromkeys(CATEGORY_BY_CODE[c].family for c in self.categories()))

    def default_categories(self) -> list[str]:
        """One counting system by default: protection monitoring when present, else the first."""
        families = self.families()
        if not families:
            return []
        family = DEFAULT_FAMILY if DEFAULT_FAMILY in families else families[0]
        return [c for c in self.categories() if CATEGORY_BY_CODE[c].family == family]

    def sectors(self) -> list[str]:
        return list(self._sectors)

    @functools.cached_property
    def _sectors(self) -> tuple[str, ...]:
        present = set(self.cubes.services["sector"].unique()) | set(
            self.cubes.incidents["sector"].unique()
        )
        return tuple(s for s in PROTECTION_SECTORS if s in present)

    def domain(self) -> Domain:
        return self._domain

    @functools.cached_property
    def _domain(self) -> Domain:
        return Domain(
            months=tuple(self.months),
            regions=frozenset(self.cubes.units[1]),
            units=frozenset().union(*(frozenset(u) for u in self.cubes.units.values())),
            categories=frozenset(self.categories()),
            sectors=frozenset(self.sectors()),
            levels=self.levels,
            default_categories=tuple(self.default_categories()),
        )

    def level_of(self, unit_id: str) -> int | None:
        return self._unit_levels.get(unit_id)

    @functools.cached_property
    def _unit_levels(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for level in sorted(self.cubes.units, reverse=True):  # the coarsest level wins
            out.update(dict.fromkeys(self.cubes.units[level], level))
        return out


DEFAULT_FAMILY = "monitoring"
POPULATION_FALLBACK = "codps2018"


def codps_population() -> pd.DataFrame:
    """The vendored COD-PS 2018 population per cercle (Ménaka for the whole région).

    These are the real published figures (the demo data uses the same table); they stand in
    when stored real data has no population stream, so per-capita rates still work.
    """
    return codps_2018()


def with_population_fallback(
    tables: dict[str, pd.DataFrame], origins: dict[str, str]
) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Add the vendored COD-PS 2018 population when the tables have none (or an empty one)."""
    population = tables.get("population")
    if population is not None and len(population):
        return tables, origins
    return (
        {**tables, "population": codps_population()},
        {**origins, "population": POPULATION_FALLBACK},
    )


def load_data(
    public: bool = True, use_store: bool = True, seed: int = 2019, boundaries=None
) -> DashboardData:
    """Stored active versions when any stream has one, otherwise the demonstration data.

    Stored data without a population stream get the vendored COD-PS 2018 population.
    """
    from geo.default import default_boundaries

    boundaries = boundaries or default_boundaries()
    tables: dict[str, pd.DataFrame] = {}
    reports: dict[str, dict] = {}
    origins: dict[str, str] = {}
    is_demo = True
    if use_store:
        from data import store

        stored = {s: store.active(s) for s in STREAMS}
        if any(frame is not None for frame in stored.values()):
            tables = {s: f for s, f in stored.items() if f is not None}
            reports = {s: store.report(s) or {} for s in tables}
            origins = dict.fromkeys(tables, "store")
            tables, origins = with_population_fallback(tables, origins)
            is_demo = False
    if not tables:
        from data.demo import generate_demo

        tables = generate_demo(seed)
        origins = dict.fromkeys(tables, "demo")
        origins["population"] = POPULATION_FALLBACK  # the demo uses the real COD-PS 2018 table
    cubes = build_cubes(tables, boundaries)
    return DashboardData(boundaries, tables, cubes, is_demo, public, reports, origins)


# ---------------------------------------------------------------- caching of aggregates


def state_key(state: dict, keys: tuple[str, ...] | None = None) -> str:
    """The filters that change aggregates (``keys``, else all but the language, tab and mode),
    as a stable string."""
    if keys is None:
        ignore = {"lang", "tab", "mode", "on"}
        items = sorted((k, v) for k, v in state.items() if k not in ignore)
    else:
        items = [(k, state.get(k)) for k in keys]
    return json.dumps(items, default=str, separators=(",", ":"))


def memo(data: DashboardData, name: str, raw: str, compute):
    """``compute()`` memoised in ``data.cache`` under ``name`` and the string ``raw``.

    Counts the real computations in ``data.computed[name]`` (what tests check).
    """
    cache = data.cache
    if cache is None:
        data.computed[name] += 1
        return compute()
    key = f"agg:{data.fingerprint}:{hashlib.sha1(f'{name}|{raw}'.encode()).hexdigest()}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    data.computed[name] += 1
    value = compute()
    cache.set(key, value)
    return value


def cached(*keys: str):
    """Memoise ``fn(data, state, *args)`` in ``data.cache`` keyed by the state's ``keys``.

    Only the keys a function reads are in its cache key, so callbacks that receive different
    slices of the same view state (see :func:`callbacks.state.slices`) share one result.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(data: DashboardData, state: dict, *args):
            raw = f"{state_key(state, keys)}|{args!r}"
            return memo(data, fn.__name__, raw, lambda: fn(data, state, *args))

        wrapper.uncached = fn  # type: ignore[attr-defined]
        wrapper.keys = keys  # type: ignore[attr-defined]
        return wrapper

    return decorate


# The state keys each cached aggregate reads.
PERIOD = ("start", "end", "cats")
NEED = (*PERIOD, "sector", "wi", "wd", "wa")


# ---------------------------------------------------------------- scope and periods


def month_start(month: str) -> pd.Timestamp:
    return pd.Timestamp(f"{month}-01")


def month_end(month: str) -> pd.Timestamp:
    return month_start(month) + pd.offsets.MonthEnd(0)


def previous_months(start: str, end: str) -> tuple[str, str]:
    first, last = q.previous_period(month_start(start), month_end(end))
    return f"{first.year}-{first.month:02d}", f"{last.year}-{last.month:02d}"


def map_level(state: dict) -> int:
    """Régions, cercles or communes: a selected région shows its cercles (communes at level 3)."""
    level = int(state.get("level", 1))
    if state.get("region"):
        return 3 if level == 3 else 2
    return level


def region_of(data: DashboardData, level: int, units: pd.Index) -> np.ndarray:
    """The région id of each unit of ``level`` (walking up the parents)."""
    ids = pd.Index(units)
    for upper in range(level, 1, -1):
        ids = pd.Index(data.parents(upper).reindex(ids).fillna("").to_numpy())
    return ids.to_numpy()


def scope_units(data: DashboardData, state: dict) -> pd.Index:
    """Units drawn on the map: every unit of the level, or those inside the selected région."""
    level = map_level(state)
    units = data.cubes.units[level]
    if state.get("region") and level >= 2:
        units = units[region_of(data, level, units) == state["region"]]
    return units


def selected_categories(data: DashboardData, state: dict) -> list[str]:
    return list(state.get("cats") or data.default_categories())


def families_of(categories: list[str]) -> list[str]:
    """Counting systems (vocabulary families) a selection of categories adds up."""
    order = [c.family for c in INCIDENT_CATEGORIES]
    found = {CATEGORY_BY_CODE[c].family for c in categories if c in CATEGORY_BY_CODE}
    return sorted(found, key=order.index)


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
    """Units x categories counts over whole months (the input of the suppression).

    One :func:`analysis.queries.incident_matrix` call over the dense arrays (tens of
    microseconds: cheaper than a cache round trip, so not memoised; the callers' results are).
    """
    return _incident_table(data.cubes, level, start, end, list(categories), measure)


def _incident_table(
    cubes: Cubes, level: int, start: str, end: str, categories: list[str], measure: str
) -> pd.DataFrame:
    if not categories:
        return pd.DataFrame(index=cubes.units[level])
    return q.incident_matrix(
        cubes, level, month_start(start), month_start(end), categories, measure=measure
    )


def displacement_at(data: DashboardData, level: int, month: str) -> pd.DataFrame:
    """IDPs, returnees, repatriated per unit as of the end of ``month``.

    Every month of the data is computed once per level (the first time the level is asked
    for; :func:`warm` does it at start-up), so a period change never waits for it.
    """
    table = data.displacement_months(level).get(month)
    if table is not None:
        return table.copy()
    return memo(
        data,
        "displacement_at",
        json.dumps([level, month]),
        lambda: q.displacement_at(data.cubes, level, month_end(month)),
    )


def warm(data: DashboardData) -> None:
    """Compute at start-up what no filter changes: displacement as of each month, and the
    displacement trend of Mali and of each région."""
    for level in data.levels:
        data.displacement_months(level)
    for region in ["", *data.cubes.units[1]]:
        displacement_trend(data, {"region": region, "unit": ""})


def access_totals(data: DashboardData, level: int, start: str, end: str) -> pd.Series:
    """Access constraint events per unit over whole months (memoised)."""
    return memo(
        data,
        "access_totals",
        json.dumps([level, start, end]),
        lambda: q.access_totals(data.cubes, level, month_start(start), month_start(end)),
    )


def population_of(data: DashboardData, level: int) -> pd.Series:
    return data.static(("population", level), lambda: q.population(data.cubes, level))


def partners_present(data: DashboardData, level: int, sector: str | None) -> pd.Series:
    return data.static(
        ("partners", level, sector or None),
        lambda: q.partners_present(data.cubes, level, sector=sector or None),
    )


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
    units = pd.Index(units)
    table = incident_table(data, level, start, end, categories, measure).reindex(units)
    # The suppression of public_view (same masks), keeping only the total column and cell.
    matrix, primary, secondary = suppression_masks(table, SENSITIVE_CATEGORIES)
    if not data.public:
        primary = np.zeros_like(primary)
        secondary = np.zeros_like(secondary)
    totals = matrix[:, -1]  # units then the grand total
    hidden_all = (primary | secondary)[:, -1]
    shown_all = np.array([format_count(v) for v in totals], dtype=object)
    shown_all[primary[:, -1]] = PRIMARY_LABEL
    shown_all[secondary[:, -1]] = SECONDARY_LABEL
    values_all = np.where(hidden_all, np.nan, totals)
    n = len(units)
    per_unit = pd.Series(values_all[:n], index=units, dtype="float64")
    hidden = pd.Series(hidden_all[:n], index=units, dtype=bool)
    shown = pd.Series(shown_all[:n], index=units, dtype=object)
    grand, grand_shown = float(values_all[n]), shown_all[n]
    return per_unit, shown, hidden, grand, grand_shown


def gap_frame(data: DashboardData, state: dict, units: pd.Index | None = None) -> pd.DataFrame:
    """Need index, coverage and priority per cercle of the scope (level 2 always)."""
    table = gap_frame_all(data, state)
    if units is None:
        units = scope_units(data, {**state, "level": 2})
    return table[table.index.isin(units)]


@cached(*PERIOD, *WEIGHT_KEYS)
def need_frame(data: DashboardData, state: dict) -> pd.DataFrame:
    """Need index (with the state's weights) of every cercle: no sub-sector in it."""
    level = 2
    start, end = state["start"], state["end"]
    cats = selected_categories(data, state)
    incidents = incident_table(data, level, start, end, cats).sum(axis=1).astype("int64")
    disp = displacement_at(data, level, end)
    displaced = disp["idps"].fillna(0) + disp["returnees"].fillna(0)
    access = access_totals(data, level, start, end)
    population = population_of(data, level)
    # Rank over every cercle of the country so a cercle's class does not depend on the zoom.
    return need_index(
        incidents, displaced, access, population, NeedSettings(weights=weights_of(state))
    )


def coverage_of(data: DashboardData, sector: str | None) -> pd.Series:
    """Partners of the sub-sector per 100,000 inhabitants of every cercle (gap_table's
    ``coverage_per_100k``): no period in it, so computed once per sub-sector."""

    def compute() -> pd.Series:
        units = data.cubes.units[2]
        part = partners_present(data, 2, sector).reindex(units).fillna(0).astype(int)
        return coverage(part, population_of(data, 2)).reindex(units)

    return data.static(("coverage", sector or None), compute)


def coverage_classes_of(data: DashboardData, sector: str | None) -> pd.Series:
    """Coverage tercile (0/1/2, no partner = 0) of every cercle: gap_table's
    ``coverage_tercile``, computed once per sub-sector."""

    def compute() -> pd.Series:
        units = data.cubes.units[2]
        part = partners_present(data, 2, sector).reindex(units).fillna(0).astype(int)
        return coverage_classes(part, coverage_of(data, sector))

    return data.static(("coverage_classes", sector or None), compute)


@cached(*NEED)
def bivariate_of(data: DashboardData, state: dict) -> pd.Series:
    """Bivariate class (need tercile x 3 + coverage tercile) of every cercle: gap_table's
    ``bivariate`` without ranking the priorities (what the gap map shows on each change)."""
    need3 = terciles(need_frame(data, state)["score"])
    cover3 = coverage_classes_of(data, state.get("sector")).reindex(need3.index)
    codes = need3.to_numpy(dtype=float, na_value=np.nan) * 3 + cover3.to_numpy(
        dtype=float, na_value=np.nan
    )  # missing on either side stays missing
    return pd.Series(pd.array(np.where(np.isnan(codes), None, codes), dtype="Int64"), need3.index)


@cached(*NEED)
def gap_frame_all(data: DashboardData, state: dict) -> pd.DataFrame:
    """Need index (with the state's weights), coverage and priority of every cercle."""
    level = 2
    need = need_frame(data, state)
    population = population_of(data, level)
    partners = partners_present(data, level, state.get("sector"))
    table = gap_table(need, partners, population, names=data.names(level))
    table["region"] = data.parents(level).reindex(table.index).map(data.names(1))
    return table


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


@cached("level", "region", "ind", *NEED)
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
            rate = q.per_10k(values, population_of(data, level).reindex(units))
            return Values(rate, _fmt(rate, 1).where(~hidden, shown), hidden, unit_key, 1)
        return Values(values, shown.where(values.notna() | hidden, ""), hidden, unit_key)
    if ind in ("idps", "returnees"):
        disp = displacement_at(data, level, end)[ind].reindex(units)
        return Values(disp, _fmt(disp), no_hidden, unit_key)
    if ind == "partners":
        partners = partners_present(data, level, state.get("sector"))
        partners = partners.reindex(units).astype(float)
        return Values(partners, _fmt(partners), no_hidden, unit_key)
    if ind == "access":
        access = access_totals(data, level, start, end).reindex(units).astype(float)
        return Values(access, _fmt(access), no_hidden, unit_key)
    # need / coverage / gap are cercle measures; at région level show the cercles' mean, at
    # commune level each commune shows its cercle's value
    # (need and coverage without the whole gap table: a coverage map does not change with
    # the period, a need map not with the sub-sector)
    if ind == "need":
        series, decimals = need_frame(data, state)["need_class"], 0
    elif ind == "coverage":
        series, decimals = coverage_of(data, state.get("sector")), 1
    else:
        series, decimals = bivariate_of(data, state), 0
    cercles = scope_units(data, {**state, "level": 2}) if level == 2 else data.cubes.units[2]
    series = series[series.index.isin(cercles)].astype("float64")
    if level == 1:
        parents = data.parents(2).reindex(series.index)
        series = series.groupby(parents).mean().round(1 if ind != "gap" else 0)
        decimals = 1 if ind != "gap" else 0
    if level == 3:
        cercles = data.parents(3).reindex(units)
        series = pd.Series(series.reindex(cercles.to_numpy()).to_numpy(), index=units)
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


@cached(*PERIOD, "region", "unit", "sector")
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
    disp_now = displacement_at(data, level, end).reindex(units)
    disp_prev = displacement_at(data, level, prev_end).reindex(units)
    for measure, key in (("idps", "ind_idps"), ("returnees", "ind_returnees")):
        cur = disp_now[measure].sum(min_count=1)
        prev = disp_prev[measure].sum(min_count=1)
        out.append(_figure(key, cur, prev, _num(cur), _num(prev)))
    access_now = access_totals(data, level, start, end)
    access_prev = access_totals(data, level, prev_start, prev_end)
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
    """Organisations present in any of ``units`` (no period in it: once per scope and sector)."""
    key = ("distinct_partners", level, tuple(units), sector or None)
    if key not in data._static:
        data._static[key] = _count_partners(data, level, units, sector)
    return data._static[key]


def _count_partners(data: DashboardData, level: int, units, sector) -> float:
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


@cached(*PERIOD, "region", "unit")
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
    return public_cells(table, member=not data.public)


def public_cells(table: pd.DataFrame, member: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Values (NaN where hidden) and display strings of a table published without totals:
    :func:`analysis.suppression.public_view` with ``row_totals=column_totals=False``, from
    the same masks without its label-indexed frame building (the trend asks it per change)."""
    matrix, primary, secondary = suppression_masks(
        table, SENSITIVE_CATEGORIES, row_totals=False, column_totals=False
    )
    rows, cols = table.shape
    primary, secondary = primary[:rows, :cols], secondary[:rows, :cols]
    if member:
        primary = np.zeros_like(primary)
        secondary = np.zeros_like(secondary)
    numbers = np.where(table.notna().to_numpy(), matrix[:rows, :cols], np.nan)
    display = np.array([[format_count(v) for v in row] for row in numbers], dtype=object)
    display = display.reshape(rows, cols)
    display[primary] = PRIMARY_LABEL
    display[secondary] = SECONDARY_LABEL
    values = np.where(primary | secondary, np.nan, numbers)
    return (
        pd.DataFrame(values, index=table.index, columns=table.columns, dtype="float64"),
        pd.DataFrame(display, index=table.index, columns=table.columns, dtype=object),
    )


def displacement_trend(data: DashboardData, state: dict) -> pd.DataFrame:
    """Displacement totals per reporting date of the scope (Mali, a région or a unit): no
    filter changes it, so each scope is computed once per process (Mali and the régions at
    start-up, see :func:`warm`)."""
    level, chosen = _scope_label_units(data, state)
    key = ("displacement_series", level, tuple(chosen) if chosen else None)

    return data.static(key, lambda: q.displacement_series(data.cubes, chosen, level))


@cached("unit", *NEED)
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
        count = partners_present(data, level, sector).get(unit, 0)
        rows.append({"key": f"sector:{sector}", "value": _num(count), "previous": ""})
    return rows


def partner_rows(data: DashboardData, state: dict) -> list[dict]:
    """Organisations with an active service in the selected unit: name, sub-sectors, services."""
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
    for org, group in orgs.groupby("org", sort=True):
        rows.append(
            {
                "org": shown.get(org, org),
                "sectors": sorted(group["sector"].unique()),
                "services": int(group["services"].sum()),
            }
        )
    return sorted(rows, key=lambda r: (-len(r["sectors"]), r["org"].casefold()))


def org_labels(services: pd.DataFrame | None) -> dict[str, str]:
    """How each organisation (keyed as in the cubes: casefolded name) is shown: "Name (ACR)"."""
    shown: dict[str, str] = {}
    if services is None or not len(services):
        return shown
    names = services["org_name"].astype("string").fillna("").str.strip()
    acronyms = services["org_acronym"].astype("string").fillna("").str.strip()
    full = names.where(names != "", acronyms)
    for key, name, acronym in zip(full.str.casefold(), full, acronyms, strict=True):
        if key not in shown:
            shown[key] = f"{name} ({acronym})" if acronym and acronym != name else name
    return shown


RESOLUTION_METHODS = ("pcode", "name", "fuzzy_name", "point", "unresolved")
UNRESOLVED_SAMPLE = 50


def _report_body(report: dict | None) -> dict:
    """The ingest report inside a stored version's metadata (or the report itself)."""
    report = report or {}
    inner = report.get("report")
    return inner if isinstance(inner, dict) else report


def stream_dates(table: pd.DataFrame) -> tuple[str, str]:
    """First and last date of a stream ('' when it has no date column or no date)."""
    column = next((c for c in ("date", "start_date") if c in table), None)
    if column is None and "year" in table:  # population: the census / projection year
        years = pd.to_numeric(table["year"], errors="coerce").dropna()
        return ("", "") if years.empty else (str(int(years.min())), str(int(years.max())))
    if column is None:
        return "", ""
    dates = pd.to_datetime(table[column], errors="coerce").dropna()
    if dates.empty:
        return "", ""
    return dates.min().strftime("%Y-%m-%d"), dates.max().strftime("%Y-%m-%d")


def quality_summary(
    tables: dict[str, pd.DataFrame],
    reports: dict[str, dict],
    origins: dict[str, str],
    is_demo: bool,
) -> dict[str, list[dict]]:
    """What the quality panel shows, computed once from the canonical tables at load."""
    return {
        "rows": _quality_rows(tables, reports, origins, is_demo),
        "reasons": _unresolved_reasons(tables),
        "unresolved": _unresolved_rows(tables, reports),
    }


def quality_rows(data: DashboardData) -> list[dict]:
    """Per stream: origin, rows read, places resolved by each method, unresolved, date coverage."""
    return [dict(row) for row in data.quality["rows"]]


def unresolved_reasons(data: DashboardData) -> list[dict]:
    """Unresolved rows grouped by stream and reason (the canonical tables' match_note)."""
    return [dict(row) for row in data.quality["reasons"]]


def unresolved_rows(data: DashboardData, limit: int = UNRESOLVED_SAMPLE) -> list[dict]:
    """The first unresolved rows of each stream (at most ``limit`` per stream)."""
    out, per_stream = [], Counter()
    for row in data.quality["unresolved"]:
        per_stream[row["stream"]] += 1
        if per_stream[row["stream"]] <= limit:
            out.append(dict(row))
    return out


def _quality_rows(
    tables: dict[str, pd.DataFrame],
    reports: dict[str, dict],
    origins: dict[str, str],
    is_demo: bool,
) -> list[dict]:
    out = []
    for stream in STREAMS:
        table = tables.get(stream)
        if table is None:
            out.append({"stream": stream, "origin": "missing", "rows": 0, "first": "", "last": ""})
            continue
        methods = table["match_method"].astype("string").fillna("").replace("", "unresolved")
        counts = methods.value_counts()
        report = _report_body(reports.get(stream))
        first, last = stream_dates(table)
        row = {
            "stream": stream,
            "origin": origins.get(stream, "demo" if is_demo else "store"),
            "rows": int(report.get("rows_read", len(table))),
            "accepted": len(table),
            "first": first,
            "last": last,
            "version": str((reports.get(stream) or {}).get("version", "")),
            "file": str(report.get("file", "")),
        }
        for method in RESOLUTION_METHODS:
            row[method] = int(counts.get(method, 0))
        out.append(row)
    return out


def _unresolved_reasons(tables: dict[str, pd.DataFrame]) -> list[dict]:
    out = []
    for stream in STREAMS:
        table = tables.get(stream)
        if table is None or not len(table):
            continue
        method = table["match_method"].astype("string").fillna("")
        unresolved = table[(method == "unresolved") | (method == "")]
        if unresolved.empty:
            continue
        notes = unresolved["match_note"].astype("string").fillna("").replace("", "?")
        for reason, count in notes.value_counts().items():
            out.append({"stream": stream, "reason": str(reason), "count": int(count)})
    return out


def _unresolved_rows(
    tables: dict[str, pd.DataFrame], reports: dict[str, dict], limit: int = UNRESOLVED_SAMPLE
) -> list[dict]:
    """The first unresolved rows of each stream: row, value, reason and candidate places.

    Taken from the stored ingest report when it lists them (it keeps the value as read and
    the candidates), else from the canonical table (row number and reason only).
    """
    out = []
    for stream in STREAMS:
        table = tables.get(stream)
        listed = _report_body(reports.get(stream)).get("unresolved") or []
        if listed:
            for item in listed[:limit]:
                candidates = item.get("candidates") or []
                if not isinstance(candidates, list):
                    candidates = [candidates]
                out.append(
                    {
                        "stream": stream,
                        "row": item.get("row"),
                        "value": str(item.get("value") or ""),
                        "reason": str(item.get("reason") or ""),
                        "candidates": ", ".join(str(c) for c in candidates),
                    }
                )
            continue
        if table is None or not len(table):
            continue
        method = table["match_method"].astype("string").fillna("")
        unresolved = table[(method == "unresolved") | (method == "")].head(limit)
        for _, row in unresolved.iterrows():
            source_row = row.get("source_row")
            out.append(
                {
                    "stream": stream,
                    "row": None if pd.isna(source_row) else int(source_row),
                    "value": "",
                    "reason": str(row.get("match_note") or ""),
                    "candidates": "",
                }
            )
    return out
