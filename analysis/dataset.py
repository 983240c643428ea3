"""What is loaded once and how aggregates are memoised.

:class:`DashboardData` holds the boundaries, cubes, labels and data-quality summary built at
start (:func:`load_data`); :func:`memo` and :func:`cached` memoise the aggregates computed
from it in ``data.cache``, keyed by the view-state filters each one reads.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from analysis import queries as q
from analysis.cells import ProtectedCells, build_cells
from analysis.cubes import Cubes, build_cubes
from analysis.domain import Domain
from analysis.periods import month_end
from analysis.protection import ProtectionPolicy
from callbacks.quality import quality_summary
from data.population import codps_2018
from data.schemas import STREAMS
from data.vocab import CATEGORY_BY_CODE, INCIDENT_CATEGORIES, PROTECTION_SECTORS
from geo.boundaries import BoundarySet
from geo.display import DisplayLevel, display_level

LOG = logging.getLogger(__name__)


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
    # The data-protection policy (sensitive categories, protected grain, rounding secret); a
    # random secret when none is given, so nothing is ever published with a known key.
    policy: ProtectionPolicy = field(default_factory=lambda: ProtectionPolicy(key=os.urandom(32)))
    reports: dict[str, dict] = field(default_factory=dict)
    # Where each stream comes from: "demo", "store" or "codps2018" (vendored population).
    origins: dict[str, str] = field(default_factory=dict)
    # A ResilientCache over flask-caching (set by create_app) memoising the aggregates; None:
    # no caching.
    cache: Any = None
    computed: Counter = field(default_factory=Counter)  # aggregates actually computed, by name
    keep_tables: bool = False  # True: keep ``tables`` after the summaries (tools, debugging)

    def __post_init__(self) -> None:
        self.table_rows = {stream: len(table) for stream, table in self.tables.items()}
        self.quality = quality_summary(self.tables, self.reports, self.origins, self.is_demo)
        self.org_labels = org_labels(self.tables.get("services"))
        self.cells: ProtectedCells = build_cells(self.cubes, self.policy)
        self.fingerprint = self._fingerprint()
        if not self.keep_tables:
            self.tables = {}

    def _fingerprint(self) -> str:
        """Identifies the loaded data in cache keys (a shared Redis may serve several apps)."""
        policy = self.policy
        parts = [
            self.is_demo,
            sorted(policy.sensitive),
            policy.grain_level,
            policy.grain_months,
            hashlib.sha256(policy.key).hexdigest(),
            self.boundaries.source,
            sorted((s, (r or {}).get("version", "")) for s, r in self.reports.items()),
            sorted(self.table_rows.items()),
        ]
        return hashlib.sha1(json.dumps(parts, default=str).encode()).hexdigest()[:12]

    def updated(self) -> tuple[tuple[str, str], ...]:
        """``(stream, "YYYY-MM-DD")``: when each stored stream's active version was published
        (nothing for demo data and the vendored population)."""
        out = []
        for stream in STREAMS:
            record = self.reports.get(stream) or {}
            when = record.get("published_at") or record.get("saved_at")
            if self.origins.get(stream) == "store" and when:
                out.append((stream, str(when)[:10]))
        return tuple(out)

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(sorted(self.cubes.units))

    @functools.cached_property
    def months(self) -> list[str]:
        """Every month from the first to the last dated row of any stream (computed once)."""
        frames = [
            self.cubes.incidents["month"],
            self.cubes.access["month"],
            self.cubes.displacement["date"],
        ]
        dates = pd.concat([f for f in frames if len(f)] or [pd.Series(dtype="datetime64[ns]")])
        dates = pd.to_datetime(dates, errors="coerce").dropna()
        if dates.empty:  # stored streams without a dated row (never a crash at start)
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
        value = store[key]
        return value.copy() if hasattr(value, "copy") else value

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

    def name_of(self, level: int) -> dict[str, str]:
        """Unit id -> name of ``level`` as a dict (units without a name left out), built once:
        a map looks up every unit's name on each change."""
        known = self._name_dicts.get(level)
        if known is None:
            names = self.names(level)
            known = self._name_dicts[level] = {
                unit: name
                for unit, name in zip(names.index, names.tolist(), strict=True)
                if not pd.isna(name)
            }
        return known

    @functools.cached_property
    def _name_dicts(self) -> dict[int, dict[str, str]]:
        return {}

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


def stored_tables(
    store=None, strict: bool = False
) -> tuple[dict[str, pd.DataFrame], dict[str, dict]]:
    """The active version of each stream in ``store`` (default: the file store) and its
    record. A version that cannot be read is left out and logged, never a failed start;
    ``strict``: raised instead (a live reload keeps the data in use rather than lose a
    stream to a passing database error)."""
    from data.stores import FileStore
    from data.stores.base import record_meta

    store = store if store is not None else FileStore()
    tables: dict[str, pd.DataFrame] = {}
    reports: dict[str, dict] = {}
    for stream in STREAMS:
        try:
            version = store.active_id(stream)
            if version is None:
                continue
            record = store.record(version, stream)
            tables[stream] = store.frame(record)
        except Exception:  # noqa: BLE001 - one unreadable stream must not stop the others
            if strict:
                raise
            LOG.exception("%s: the active version could not be read; left out", stream)
            continue
        reports[stream] = record_meta(record)
    return tables, reports


def load_data(
    use_store: bool = True,
    seed: int = 2019,
    boundaries=None,
    policy: ProtectionPolicy | None = None,
    store=None,
    strict: bool = False,
) -> DashboardData:
    """Stored active versions when any stream has one (in ``store``, a
    :class:`data.stores.StreamStore`; default the file store), otherwise the demonstration
    data. Stored data without a population stream get the vendored COD-PS 2018 population;
    streams stored with no row give empty figures, never a failed start.
    """
    from geo.default import default_boundaries

    boundaries = boundaries or default_boundaries()
    tables: dict[str, pd.DataFrame] = {}
    reports: dict[str, dict] = {}
    origins: dict[str, str] = {}
    is_demo = True
    if use_store:
        tables, reports = stored_tables(store, strict)
        if tables:
            origins = dict.fromkeys(tables, "store")
            tables, origins = with_population_fallback(tables, origins)
            is_demo = False
    if not tables:
        from data.demo import generate_demo

        tables = generate_demo(seed)
        origins = dict.fromkeys(tables, "demo")
        origins["population"] = POPULATION_FALLBACK  # the demo uses the real COD-PS 2018 table
    cubes = build_cubes(tables, boundaries)
    return DashboardData(
        boundaries,
        tables,
        cubes,
        is_demo,
        policy or ProtectionPolicy(key=os.urandom(32)),
        reports,
        origins,
    )


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

    Counts the real computations in ``data.computed[name]`` (what tests check). The cache is
    a :class:`analysis.resilient_cache.ResilientCache`: when Redis is down it misses, so the
    answer is computed (the same, only slower), never turned into an error page.
    """
    cache = data.cache
    key = f"agg:{data.fingerprint}:{hashlib.sha1(f'{name}|{raw}'.encode()).hexdigest()}"
    hit = None if cache is None else cache.get(key)
    if hit is not None:
        return hit
    data.computed[name] += 1
    value = compute()
    if cache is not None:
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

        wrapper.uncached = fn
        wrapper.keys = keys
        return wrapper

    return decorate


# The state keys each cached aggregate reads.
PERIOD = ("start", "end", "cats")
NEED = (*PERIOD, "sector", "wi", "wd", "wa")
