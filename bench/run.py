"""The harness: every measure of the performance issue, in one process, into one result dict.

Why one function: the printed table, the JSON file and the test all come from :func:`run`, so
the test (tiny sizes) exercises the exact code the full benchmark runs. Phases free their data
before the next one, and the peak RSS reached after each phase is recorded so the table can
say which phase dominates memory.
"""

from __future__ import annotations

import gc
import json
import resource
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench import naive, scenario, startup, synth
from bench.client import DashClient, Exchange, id_key
from geo.boundaries import BoundarySet, load_boundaries
from geo.default import default_boundaries
from geo.points import locate

# The 2015 COD-AB test set with 701 communes, beside the clone (never committed to it).
COMMUNE_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "boundaries"
# Level wanted per measure, then what to fall back to while the UI does not offer it.
LEVEL_NAMES = {"cercle": (2,), "commune": (3, 2)}


def size_label(count: int) -> str:
    if count >= 1_000_000 and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    if count >= 1000 and count % 1000 == 0:
        return f"{count // 1000}k"
    return str(count)


def percentiles(values: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest-rank on the sorted sample, in ms, 0.1 ms resolution)."""
    ordered = sorted(values)
    rank = max(0, int(np.ceil(0.95 * len(ordered))) - 1)
    return {"p50": round(statistics.median(ordered), 1), "p95": round(ordered[rank], 1)}


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Options:
    """What to measure: sizes, changes per (level, size), points for the ingest measure."""

    sizes: list[int] = field(default_factory=lambda: [10_000, 100_000, 1_000_000])
    changes: int = 60
    ingest_points: int = 1_000_000
    seed: int = 2019
    commune_dir: Path | None = COMMUNE_DIR
    startup: bool = True
    log: Any = print


@dataclass
class Notes:
    """Side facts for the table: phases, memory, skips, how levels were reached."""

    lines: list[str] = field(default_factory=list)
    phases: list[tuple[str, float, float]] = field(default_factory=list)  # name, s, maxrss
    extra: dict[str, Any] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)

    def count(self, exchange: Exchange) -> None:
        for request in exchange.requests:
            self.statuses[request.status] = self.statuses.get(request.status, 0) + 1


@contextmanager
def phase(notes: Notes, name: str, log: Any) -> Iterator[None]:
    start = time.perf_counter()
    log(f"· {name} ...")
    yield
    gc.collect()
    notes.phases.append((name, time.perf_counter() - start, maxrss_mb()))


def _bytes(raw: int, gz: int) -> dict[str, int]:
    return {"raw": raw, "gzip": gz}


def measure_ingest(options: Options, notes: Notes) -> float:
    """Points/s of ``geo.points.locate`` on the cercles' own geometry; resolve() rows/s too."""
    boundaries = default_boundaries()
    lon, lat = synth.mali_points(options.ingest_points, boundaries, options.seed)
    polygons = boundaries.level(2).geometry.values
    locate(lon[:1000], lat[:1000], polygons)  # first call prepares the polygons
    start = time.perf_counter()
    found = locate(lon, lat, polygons)
    seconds = time.perf_counter() - start
    import pandas as pd

    resolver = synth.resolver_for(boundaries)
    frame = pd.DataFrame({"latitude": lat, "longitude": lon})
    start = time.perf_counter()
    resolver.resolve(frame)
    resolve_s = time.perf_counter() - start
    notes.extra["ingest"] = {
        "points": options.ingest_points,
        "locate_s": seconds,
        "inside": int((found >= 0).sum()),
        "resolve_rows_per_s": options.ingest_points / resolve_s,
    }
    return round(options.ingest_points / seconds, 1)


def _first_map(client: DashClient, load: Exchange) -> tuple[dict[str, int], list[str]]:
    """Bytes of the map's initial response plus every geometry URL its figure references."""
    key = f"{id_key(scenario.MAP[0])}.{scenario.MAP[1]}"
    mapped = [r for r in load.requests if key in r.props]
    if not mapped:
        raise AssertionError("the page load never set the map figure")
    raw, gz = sum(r.raw_bytes for r in mapped), sum(r.gzip_bytes for r in mapped)
    urls = []
    for trace in (client.get(*scenario.MAP) or {}).get("data", []):
        geo = trace.get("geojson")
        if isinstance(geo, str) and geo not in urls:
            urls.append(geo)
    for url in urls:
        r, g = client.fetch(url)
        raw, gz = raw + r, gz + g
    return _bytes(raw, gz), urls


def _update(client: DashClient, control: str) -> Exchange:
    """One later change of ``control`` (to its next option), for the update payload."""
    values = scenario.option_values(client, control)
    current = client.get(control, "value")
    value = next(v for v in values if v != current)
    exchange = client.change(control, "value", value)
    scenario.check(exchange, f"update {control}")
    return exchange


def _commune_set(options: Options, notes: Notes) -> BoundarySet | None:
    folder = options.commune_dir
    if folder is None or not (folder / "mli_adm3.geojson").exists():
        notes.lines.append(f"commune level skipped: no mli_adm3.geojson in {folder}")
        return None
    return load_boundaries(folder)


def first_visits(start: dict, session: scenario.Session) -> list[bool]:
    """Whether each change reached a view state not seen before in the session.

    An app may memoise aggregates per state; a revisited state (a level toggled back) can be
    served from that cache, so the table also reports the p95 of first visits only.
    """
    seen = {json.dumps(start, sort_keys=True, default=str)}
    out = []
    for change in session.changes:
        key = json.dumps(change.state, sort_keys=True, default=str)
        out.append(key not in seen)
        seen.add(key)
    return out


def measure_level(
    name: str,
    boundaries: BoundarySet,
    size: int,
    options: Options,
    notes: Notes,
    result: dict,
    keep_tables: Any = None,
) -> None:
    """Callback times, first-map and update bytes for one level and size, ours and baseline."""
    from analysis.cubes import build_cubes
    from analysis.dataset import DashboardData
    from app import create_app

    label = size_label(size)
    canonical = synth.canonical_incidents(size, boundaries, options.seed)
    tables = synth.tables_with(canonical.incidents)
    notes.extra.setdefault("resolve_rows_per_s", {})[f"{name} {label}"] = canonical.rows_per_s
    if keep_tables is not None:
        keep_tables(tables)
    cubes = build_cubes(tables, boundaries)
    app = create_app(DashboardData(boundaries, tables, cubes, is_demo=False))
    wanted = LEVEL_NAMES[name]
    tried: dict[int, int] = {}
    for level in wanted:
        client = DashClient(app, f"?level={level}")
        load = client.load()
        shown = tried[level] = client.get(*scenario.STATE).get("level")
        if shown == level:
            break
    notes.count(load)
    if shown != wanted[0]:
        geometry = (
            client.fetch(f"/geo/level-{wanted[0]}.json") if wanted[0] in cubes.units else None
        )
        notes.lines.append(
            f"{name} {label}: the UI does not accept level {wanted[0]} yet (?level={wanted[0]} "
            f"gives state level {tried[wanted[0]]}); measured at level "
            f"{shown} of this boundary set instead"
            + (
                f"; /geo/level-{wanted[0]}.json alone is {geometry[0] / 1024:,.0f} KB raw, "
                f"{geometry[1] / 1024:,.0f} KB gzip"
                if geometry
                else ""
            )
        )
    first, urls = _first_map(client, load)
    start_state = dict(client.get(*scenario.STATE))
    session = scenario.play(client, options.changes, options.seed + size, shown)
    for change in session.changes:
        notes.count(change.exchange)
    result["callback_ms"].setdefault(name, {})[label] = percentiles(session.ms)
    fresh = first_visits(start_state, session)
    notes.extra.setdefault("first_visit_ms", {})[f"{name} {label}"] = (
        percentiles([c.exchange.ms for c, new in zip(session.changes, fresh, strict=True) if new])
        if any(fresh)
        else None,
        sum(fresh),
        len(fresh),
    )
    notes.extra.setdefault("cpu_ms", {})[f"{name} {label}"] = percentiles(session.cpu_ms)
    by_control = result.setdefault("_by_control", {}).setdefault(f"{name} {label}", {})
    for change in session.changes:
        by_control.setdefault(change.control, []).append(change.exchange.ms)
    indicator = _update(client, scenario.ids.INDICATOR)
    indicator_state = dict(client.get(*scenario.STATE))
    period = _update(client, scenario.ids.PRESET)
    notes.count(indicator)
    notes.count(period)
    result["first_map_bytes"][name] = first
    result["update_bytes"][name] = _bytes(indicator.raw_bytes, indicator.gzip_bytes)
    notes.extra.setdefault("updates", {})[name] = {
        "indicator": indicator,
        "period": period,
        "geometry_urls": urls,
        "skipped": session.skipped,
    }
    base_state = client.get(*scenario.STATE)
    del app, client, cubes
    gc.collect()

    naive_app = naive.create_naive_app(canonical.incidents, boundaries, base_state)
    naive_client = DashClient(naive_app)
    naive_load = naive_client.load()
    base = result["baseline"]
    raw = sum(r.raw_bytes for r in naive_load.requests)
    base["first_map_bytes"][name] = _bytes(raw, sum(r.gzip_bytes for r in naive_load.requests))
    replayed = scenario.replay(naive_client, naive.STORE, [c.state for c in session.changes])
    base["callback_ms"].setdefault(name, {})[label] = percentiles(replayed.ms)
    notes.extra.setdefault("cpu_ms", {})[f"baseline {name} {label}"] = percentiles(replayed.cpu_ms)
    update = naive_client.change(naive.STORE, "data", indicator_state)
    notes.count(update)
    base["update_bytes"][name] = _bytes(update.raw_bytes, update.gzip_bytes)
    notes.count(naive_load)
    for change in replayed.changes:
        notes.count(change.exchange)


def run(options: Options) -> tuple[dict, Notes]:
    """Measure everything; returns the JSON-shaped result and the notes for the table."""
    notes = Notes()
    log = options.log
    result: dict[str, Any] = {
        "ingest_points_per_s": None,
        "startup_s": {},
        "callback_ms": {},
        "first_map_bytes": {},
        "update_bytes": {},
        "peak_rss_mb": None,
        "baseline": {"callback_ms": {}, "first_map_bytes": {}, "update_bytes": {}},
        "speedup_p95": {},
    }
    with phase(notes, f"ingest ({size_label(options.ingest_points)} points)", log):
        result["ingest_points_per_s"] = measure_ingest(options, notes)
    if options.startup:
        with phase(notes, "startup default (child process)", log):
            measured = startup.measure("default")
            result["startup_s"]["default"] = measured["seconds"]
            notes.extra["startup_rss"] = {"default": measured["maxrss_mb"]}
    levels: dict[str, BoundarySet] = {"cercle": default_boundaries()}
    commune = _commune_set(options, notes)
    if commune is not None:
        levels["commune"] = commune
    largest = max(options.sizes)
    with tempfile.TemporaryDirectory() as folder:
        for size in options.sizes:
            for name, boundaries in levels.items():
                saved: dict[str, str] = {}

                def keep(tables: dict, name: str = name, size: int = size, saved=saved) -> None:
                    if size == 1_000_000 and name == "cercle" and options.startup:
                        saved["path"] = startup.save_tables(tables, folder)

                with phase(notes, f"{name} {size_label(size)} (ours + baseline)", log):
                    measure_level(name, boundaries, size, options, notes, result, keep)
                if saved:
                    with phase(notes, "startup 1M (child process)", log):
                        measured = startup.measure("tables", saved["path"])
                        result["startup_s"]["1M"] = measured["seconds"]
                        notes.extra["startup_rss"]["1M"] = measured["maxrss_mb"]
    top = size_label(largest)
    for name in levels:
        ours = result["callback_ms"][name][top]["p95"]
        theirs = result["baseline"]["callback_ms"][name][top]["p95"]
        result["speedup_p95"][name] = round(theirs / ours, 1) if ours else None
    if commune is None:
        for key in ("callback_ms", "first_map_bytes", "update_bytes"):
            result[key]["commune"] = None
            result["baseline"][key]["commune"] = None
        result["speedup_p95"]["commune"] = None
    # The dashboard's own peak: the child that loaded the largest set and served it. The
    # harness process also holds raw rows, the baseline app and the ingest points at once.
    served = notes.extra.get("startup_rss", {}).get(size_label(largest))
    notes.extra["harness_maxrss_mb"] = round(maxrss_mb(), 1)
    result["peak_rss_mb"] = served if served is not None else notes.extra["harness_maxrss_mb"]
    notes.extra["by_control"] = result.pop("_by_control", {})
    notes.extra["children_maxrss_mb"] = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
    )
    return result, notes
