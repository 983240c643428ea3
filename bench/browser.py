"""``python -m bench.browser [--quick] [--json PATH]``: the dashboard measured in a real browser.

Playwright drives Debian's Chromium (headless) against the dashboard and the naive baseline
(``bench/naive.py``), each served by a forked process on a loopback port, on the same synthetic
incidents, at cercle level (the default boundaries) and at commune level (the 2015 COD-AB set
in ``../shared/data/boundaries/``; skipped with a note when absent).

Measures, per level and per app:

- ``cold_load``: a fresh browser context, HTTP cache disabled, the network emulated through the
  DevTools protocol (1 Mbit/s down, 512 kbit/s up, 300 ms latency); requests, bytes transferred
  (``Network.loadingFinished`` ``encodedDataLength``: compressed as the browser negotiated),
  time to the first map painted and time until every view has settled; median of the runs.
- ``repeat_load``: the same in one context whose HTTP cache was warmed by a first load.
- ``click_to_paint`` (and ``click_to_paint_local``, the same page with the emulation lifted):
  from the input event to the map's next painted frame, p50/p95 over the
  interactions (period presets, indicators, map clicks on units, language switch). The
  baseline has no controls; the same kinds of view changes (period, indicator, région) are
  pushed into its filter store with ``dash_clientside.set_props``, timed from that call. The
  interactions run on the last repeat load's page (warm cache, same emulated network).
- ``floor``: the same local-link measure on ``bench.floor``'s one-control page, which recolours
  the dashboard's own map through one server callback and nothing else: what Dash and plotly.js
  cost for the simplest click, the context of the click targets.

Definitions (all times are ``performance.now()`` in the page, i.e. from navigation start):

- **first map painted**: the first ``#map .choroplethlayer path`` exists (the baseline draws on
  a MapLibre canvas: the first ``#map canvas`` with a trace that has locations), then one
  ``requestAnimationFrame`` and a ``setTimeout(0)`` (the task after that frame's paint).
- **settled**: no ``[data-dash-is-loading="true"]`` element and no pending
  ``_dash-update-component`` request (body fully read) for 500 ms; the value is the time of the
  last such activity.
- **click to paint**: ``event.timeStamp`` of the click (captured on ``document``), to the first
  DOM change inside the map's plot (its own class toggles, hover labels and mode bar excepted)
  or a ``plotly_afterplot`` event, then ``requestAnimationFrame`` + ``setTimeout(0)``.
  Each interaction is split into *before request* (input to the first callback request),
  *requests* (first request sent to last response body read: network + server) and *render*
  (last response to the painted frame).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import naive, synth
from bench.run import COMMUNE_DIR, percentiles

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1600, "height": 1000}
# The field offices' link (issue 11): bytes per second and ms of latency.
FIELD_NETWORK = {
    "offline": False,
    "downloadThroughput": 1_000_000 / 8,
    "uploadThroughput": 512_000 / 8,
    "latency": 300,
}
# The same page with the emulation lifted: what a click costs on the office LAN or the
# server's own machine, where only the app's work remains (issue 11's click targets).
LOCAL_NETWORK = {"offline": False, "downloadThroughput": -1, "uploadThroughput": -1, "latency": 0}
CLICK_SECTIONS = {
    "click_to_paint": "click to paint, emulated link",
    "click_to_paint_local": "click to paint, local link",
}
QUIET_MS = 500
LEVELS = {"cercle": 2, "commune": 3}
PRESETS = ["1", "3", "12", "year"]
KINDS = ["period", "indicator", "map", "language"]
BASELINE_KINDS = ["period", "indicator", "region"]

# Runs in every page before its own scripts: first-map and settle bookkeeping, the callback
# requests (start, body read) and the click-to-paint probe.
PROBE = r"""
(() => {
  const B = window.__bench = {pending: 0, last: 0, requests: [], firstMap: null,
                              input: null, painted: null, armed: false, via: null};
  const later = (fn) => requestAnimationFrame(() => setTimeout(fn, 0));
  const realFetch = window.fetch;
  window.fetch = function (resource, init) {
    const url = typeof resource === 'string' ? resource : (resource && resource.url) || '';
    if (!url.includes('_dash-update-component')) return realFetch.apply(this, arguments);
    const rec = {start: performance.now(), end: null};
    B.requests.push(rec); B.pending++; B.last = rec.start;
    const done = () => { if (rec.end === null) { rec.end = performance.now(); B.pending--;
                                                 B.last = rec.end; } };
    return realFetch.apply(this, arguments).then(
      (r) => { r.clone().arrayBuffer().then(done, done); return r; },
      (e) => { done(); throw e; });
  };
  const mapShown = () => {
    if (document.querySelector('#map .choroplethlayer path')) return true;
    const gd = document.querySelector('#map .js-plotly-plot');
    return !!(gd && gd.querySelector('canvas') && (gd.data || []).some(
      (t) => (t.locations || []).length));
  };
  new MutationObserver((records) => {
    for (const m of records) {
      if (m.type === 'attributes' && m.attributeName === 'data-dash-is-loading') {
        B.last = Math.max(B.last, performance.now());
      }
    }
    if (B.firstMap === null && !B.mapSeen && mapShown()) {
      B.mapSeen = true; later(() => { B.firstMap = performance.now(); });
    }
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ['data-dash-is-loading']});
  document.addEventListener('click', (e) => {
    if (B.armed && B.input === null) B.input = e.timeStamp;
  }, true);
  const fire = (via) => {
    if (!B.armed || B.input === null) return;
    B.armed = false; B.via = via; later(() => { B.painted = performance.now(); });
  };
  B.arm = () => {
    const gd = document.querySelector('#map .js-plotly-plot');
    B.input = null; B.painted = null; B.via = null; B.mark = B.requests.length;
    B.armed = true;
    if (gd && !gd.__benchHooked) {
      gd.__benchHooked = true;
      if (gd.on) gd.on('plotly_afterplot', () => fire('afterplot'));
      new MutationObserver((records) => {
        for (const m of records) {
          const node = m.target.nodeType === 1 ? m.target : m.target.parentElement;
          if (node === gd || !node || node.closest('.hoverlayer, .modebar-container')) continue;
          fire('dom'); return;
        }
      }).observe(gd, {subtree: true, childList: true, attributes: true,
                      characterData: true});
    }
  };
  B.split = () => {
    const reqs = B.requests.slice(B.mark).filter((r) => r.start >= B.input);
    if (!reqs.length || B.painted === null) return null;
    const first = Math.min(...reqs.map((r) => r.start));
    const last = Math.max(...reqs.map((r) => r.end === null ? B.painted : r.end));
    return {before_request: first - B.input, requests: last - first,
            render: Math.max(0, B.painted - last), count: reqs.length};
  };
})();
"""


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


@contextmanager
def serving(wsgi: Any) -> Iterator[str]:
    """``wsgi`` on a free loopback port, served by a forked process for the duration of the block.

    A process of its own, as in production: served from a thread of this one, the app's requests
    would wait for the interpreter lock while Playwright polls the page, and a click would be
    measured hundreds of milliseconds slower than a user sees it.
    """
    import multiprocessing

    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, wsgi, threaded=True)  # listening before the fork
    port = httpd.socket.getsockname()[1]
    server = multiprocessing.get_context("fork").Process(target=httpd.serve_forever, daemon=True)
    server.start()
    httpd.server_close()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.join(timeout=10)


@dataclass
class Options:
    """What to measure; ``quick`` is the test's mode (tiny data, no emulation, few clicks)."""

    size: int = 100_000
    runs: int = 3
    interactions: int = 40
    network: dict | None = field(default_factory=lambda: dict(FIELD_NETWORK))
    commune_dir: Path | None = COMMUNE_DIR
    seed: int = 2019
    timeout_s: float = 180.0
    log: Callable[[str], None] = print


def options_for(quick: bool = False) -> Options:
    if quick:
        return Options(
            size=1000, runs=1, interactions=4, network=None, commune_dir=None, timeout_s=30.0
        )
    return Options()


# ------------------------------------------------------------------------- one page load


class Traffic:
    """Requests and bytes of one page, from the DevTools protocol's Network events."""

    def __init__(self, cdp: Any):
        self.requests = 0
        self._cached_ids: set[str] = set()
        self.bytes = 0
        self.by_type: dict[str, list[int]] = {}
        self.uncompressed: list[str] = []
        self._type: dict[str, str] = {}
        self._url: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.requestServedFromCache", self._cached)

    def _sent(self, event: dict) -> None:
        if event.get("request", {}).get("url", "").startswith("http"):
            self.requests += 1
            self._type[event["requestId"]] = event.get("type", "Other")
            self._url[event["requestId"]] = event["request"]["url"].split("?")[0]

    @property
    def from_cache(self) -> int:
        return len(self._cached_ids)

    def _cached(self, event: dict) -> None:
        self._cached_ids.add(event["requestId"])

    def _response(self, event: dict) -> None:
        response = event.get("response", {})
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self._cached_ids.add(event["requestId"])
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        kind = headers.get("content-type", "")
        textual = any(t in kind for t in ("text/", "javascript", "json"))
        if (
            textual
            and response.get("status") == 200
            and not response.get("fromDiskCache")
            and "content-encoding" not in headers
            and int(headers.get("content-length", "0") or 0) > 1024
        ):
            self.uncompressed.append(response.get("url", "").split("?")[0])

    def _finished(self, event: dict) -> None:
        size = int(event.get("encodedDataLength", 0))
        self.bytes += size
        kind = self._type.get(event["requestId"], "Other")
        url = self._url.get(event["requestId"], "?")
        self.sizes[url] = self.sizes.get(url, 0) + size
        entry = self.by_type.setdefault(kind, [0, 0])
        entry[0] += 1
        entry[1] += size


def _open(context: Any, network: dict | None, cache: bool) -> tuple[Any, Any, Traffic]:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if network:
        cdp.send("Network.emulateNetworkConditions", network)
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})
    return page, cdp, Traffic(cdp)


def wait_settled(page: Any, timeout_s: float) -> float:
    """Poll until no loading flag and no pending callback for QUIET_MS; the last activity."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = page.evaluate(
            """() => ({pending: window.__bench.pending, last: window.__bench.last,
                       now: performance.now(), first: window.__bench.firstMap,
                       loading: !!document.querySelector('[data-dash-is-loading="true"]')})"""
        )
        quiet = state["now"] - state["last"]
        idle = state["first"] is not None and not state["pending"] and not state["loading"]
        if idle and quiet >= QUIET_MS:
            return state["last"]
        page.wait_for_timeout(100)
    raise TimeoutError(f"the page did not settle within {timeout_s:.0f} s")


def load_once(
    context: Any, url: str, options: Options, cache: bool, after: Callable | None = None
) -> dict:
    """One navigation: requests, bytes, first map, settled (ms from navigation start).

    ``after(page, cdp)``, when given, runs on the settled page before it closes (the
    interactions run on the last repeat load's page, so they start from a warm cache)."""
    page, cdp, traffic = _open(context, options.network, cache)
    try:
        page.goto(url, wait_until="commit", timeout=options.timeout_s * 1000)
        page.wait_for_function(
            "() => window.__bench && window.__bench.firstMap !== null",
            timeout=options.timeout_s * 1000,
            polling=100,
        )
        first = page.evaluate("() => window.__bench.firstMap")
        settled = wait_settled(page, options.timeout_s)
        page.wait_for_timeout(200)  # late loadingFinished events
        measured = {
            "requests": traffic.requests,
            "from_cache": traffic.from_cache,
            "bytes": traffic.bytes,
            "first_map_ms": round(first, 1),
            "settled_ms": round(max(settled, first), 1),
            "by_type": {k: {"requests": v[0], "bytes": v[1]} for k, v in traffic.by_type.items()},
            "uncompressed": sorted(set(traffic.uncompressed)),
            "largest": {
                url.split("/", 3)[-1]: size
                for url, size in sorted(traffic.sizes.items(), key=lambda kv: -kv[1])[:5]
            },
        }
        if after is not None:
            measured["after"] = after(page, cdp)
        return measured
    finally:
        cdp.detach()
        page.close()


def _median_of(runs: list[dict]) -> dict:
    out: dict[str, Any] = {
        key: round(statistics.median(r[key] for r in runs), 1)
        for key in ("requests", "from_cache", "bytes", "first_map_ms", "settled_ms")
    }
    out["requests"] = int(out["requests"])
    out["bytes"] = int(out["bytes"])
    out["from_cache"] = int(out["from_cache"])
    out["runs"] = [
        {k: r[k] for k in ("requests", "bytes", "first_map_ms", "settled_ms")} for r in runs
    ]
    out["by_type"] = runs[-1]["by_type"]
    out["uncompressed"] = runs[-1]["uncompressed"]
    out["largest"] = runs[-1]["largest"]
    return out


def cold_load(browser: Any, url: str, options: Options) -> dict:
    runs = []
    for _ in range(options.runs):
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(PROBE)
        try:
            runs.append(load_once(context, url, options, cache=False))
        finally:
            context.close()
    return _median_of(runs)


def repeat_load(
    browser: Any, url: str, options: Options, after: Callable | None = None
) -> tuple[dict, Any]:
    """Median of warm-cache loads, and what ``after`` returned on the last one's page."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(PROBE)
    try:
        load_once(context, url, options, cache=True)  # warms the HTTP cache
        runs = [
            load_once(context, url, options, True, after if i == options.runs - 1 else None)
            for i in range(options.runs)
        ]
        return _median_of(runs), runs[-1].get("after")
    finally:
        context.close()


# ------------------------------------------------------------------------ click to paint


def _await_paint(page: Any, timeout_s: float) -> dict | None:
    try:
        page.wait_for_function(
            "() => window.__bench.painted !== null", timeout=timeout_s * 1000, polling=20
        )
    except Exception:
        page.evaluate("() => { window.__bench.armed = false; }")
        return None
    return page.evaluate(
        """() => ({ms: window.__bench.painted - window.__bench.input,
                   via: window.__bench.via, split: window.__bench.split()})"""
    )


def _map_point(page: Any, lon: float, lat: float) -> tuple[float, float] | None:
    return page.evaluate(
        """([lon, lat]) => {
            const gd = document.querySelector('#map .js-plotly-plot');
            const geo = gd && gd._fullLayout.geo && gd._fullLayout.geo._subplot;
            if (!geo) return null;
            const p = geo.projection([lon, lat]);
            const r = gd.querySelector('.main-svg').getBoundingClientRect();
            const x = r.left + p[0], y = r.top + p[1];
            return (x > r.left && x < r.right && y > r.top && y < r.bottom) ? [x, y] : null;
        }""",
        [lon, lat],
    )


class OurDriver:
    """The dashboard's own controls, clicked as a person does."""

    def __init__(self, page: Any, points: list[tuple[str, float, float]]):
        self.page = page
        self.points = points
        self.turn = {"period": 0, "map": 0}
        self.lang = "fr"

    def prepare(self, kind: str) -> Callable[[], None] | None:
        """Everything before the measured input (opening a dropdown); the input itself."""
        page = self.page
        if kind == "period":
            current = page.evaluate(
                "() => (document.querySelector('#filter-preset input:checked') || {}).value"
            )
            choices = [p for p in PRESETS if p != current]
            value = choices[self.turn["period"] % len(choices)]
            self.turn["period"] += 1
            return lambda: page.click(f"#filter-preset label:has(input[value='{value}'])")
        if kind == "language":
            self.lang = "en" if self.lang == "fr" else "fr"
            lang = self.lang
            return lambda: page.click(f"#lang label:has(input[value='{lang}'])")
        if kind == "indicator":
            page.click("#filter-indicator")
            option = page.locator(".dash-dropdown-option:not(.selected)").first
            option.wait_for(timeout=10_000)
            return lambda: option.click()
        if kind == "map":
            for _ in range(len(self.points)):
                unit, lon, lat = self.points[self.turn["map"] % len(self.points)]
                self.turn["map"] += 1
                point = _map_point(page, lon, lat)
                if point:
                    x, y = point
                    page.mouse.move(x, y)
                    return lambda: page.mouse.click(x, y)
            return None
        raise ValueError(kind)

    def interact(self, kind: str, timeout_s: float) -> dict | None:
        action = self.prepare(kind)
        if action is None:
            return None
        self.page.evaluate("() => window.__bench.arm()")
        action()
        return _await_paint(self.page, timeout_s)


class BaselineDriver:
    """The baseline's only input, its filter store, set from the page like a control would."""

    def __init__(self, page: Any, state: dict, regions: list[str]):
        from callbacks.state import shift_month

        self.page = page
        self.state = dict(state)
        self.regions = regions
        self.turn = 0
        end = state["end"]
        self.periods = [(shift_month(end, -k), end) for k in (0, 2, 11, 5)]
        self.indicators = ["fatalities", "events"]

    def interact(self, kind: str, timeout_s: float) -> dict | None:
        self.turn += 1
        new = dict(self.state)
        if kind == "period":
            choices = [p for p in self.periods if p != (new["start"], new["end"])]
            new["start"], new["end"] = choices[self.turn % len(choices)]
        elif kind == "indicator":
            new["ind"] = "events" if new.get("ind") == "fatalities" else "fatalities"
        else:
            regions = [r for r in [*self.regions, None] if r != new.get("region")]
            new["region"] = regions[self.turn % len(regions)]
        self.state = new
        self.page.evaluate(
            """(state) => { window.__bench.arm(); window.__bench.input = performance.now();
                           window.dash_clientside.set_props('filters', {data: state}); }""",
            new,
        )
        return _await_paint(self.page, timeout_s)


class FloorDriver:
    """The floor page's only control (``bench.floor``): the next indicator's radio item."""

    def __init__(self, page: Any):
        self.page = page

    def interact(self, kind: str, timeout_s: float) -> dict | None:
        from bench.floor import CONTROL

        page = self.page
        value = page.evaluate(
            f"""() => {{
                const inputs = [...document.querySelectorAll('#{CONTROL} input')];
                return inputs[(inputs.findIndex((i) => i.checked) + 1) % inputs.length].value;
            }}"""
        )
        page.evaluate("() => window.__bench.arm()")
        page.click(f"#{CONTROL} label:has(input[value='{value}'])")
        return _await_paint(page, timeout_s)


def click_to_paint(page: Any, options: Options, driver: Any, kinds: list[str]) -> dict:
    """``options.interactions`` timed interactions on a settled page, one at a time."""
    samples: dict[str, list[float]] = {}
    splits: list[dict] = []
    via: dict[str, int] = {}
    missed: dict[str, int] = {}
    attempts = 0
    while sum(len(v) for v in samples.values()) < options.interactions:
        attempts += 1
        if attempts > options.interactions * 2:
            break
        kind = kinds[attempts % len(kinds)]
        measured = driver.interact(kind, min(60.0, options.timeout_s))
        if measured is None:
            missed[kind] = missed.get(kind, 0) + 1
            continue
        samples.setdefault(kind, []).append(measured["ms"])
        via[measured["via"]] = via.get(measured["via"], 0) + 1
        if measured["split"]:
            splits.append(measured["split"])
        page.mouse.move(2, 2)
        wait_settled(page, options.timeout_s)  # one interaction at a time
    every = [ms for values in samples.values() for ms in values]
    if not every:
        raise RuntimeError(f"no interaction repainted the map ({missed})")
    result: dict[str, Any] = {**percentiles(every), "n": len(every)}
    result["by_kind"] = {k: {**percentiles(v), "n": len(v)} for k, v in samples.items()}
    result["missed"] = missed
    result["detected_by"] = via
    result["split_p50"] = (
        {
            key: round(statistics.median(s[key] for s in splits), 1)
            for key in ("before_request", "requests", "render", "count")
        }
        if splits
        else None
    )
    return result


# ----------------------------------------------------------------------------- the run


def _apps(name: str, options: Options, notes: list[str]) -> tuple[Any, Any, dict, Any] | None:
    """Our app and the baseline on the same synthetic incidents for one level."""
    from analysis.cubes import build_cubes
    from analysis.dataset import DashboardData
    from app import create_app
    from bench.client import DashClient
    from bench.scenario import STATE
    from geo.boundaries import load_boundaries
    from geo.default import default_boundaries

    if name == "commune":
        folder = options.commune_dir
        if folder is None or not (folder / "mli_adm3.geojson").exists():
            notes.append(f"commune level skipped: no mli_adm3.geojson in {folder}")
            return None
        boundaries = load_boundaries(folder)
    else:
        boundaries = default_boundaries()
    canonical = synth.canonical_incidents(options.size, boundaries, options.seed)
    tables = synth.tables_with(canonical.incidents)
    cubes = build_cubes(tables, boundaries)
    ours = create_app(DashboardData(boundaries, tables, cubes, is_demo=False))
    client = DashClient(ours, f"?level={LEVELS[name]}")
    client.load()
    state = dict(client.get(*STATE))
    if state.get("level") != LEVELS[name]:
        notes.append(f"{name}: the app shows level {state.get('level')} for ?level={LEVELS[name]}")
    baseline = naive.create_naive_app(canonical.incidents, boundaries, state)
    return ours, baseline, state, boundaries


def _points(boundaries: Any, level: int, count: int) -> list[tuple[str, float, float]]:
    """Label points of ``count`` units spread over the level (every n-th unit id)."""
    from geo.display import display_level

    extents = display_level(boundaries, level).extents
    units = sorted(extents)
    step = max(1, len(units) // max(1, count))
    return [(u, extents[u].label_lon, extents[u].label_lat) for u in units[::step]]


def _ratio(theirs: float | None, ours: float | None) -> float | None:
    return round(theirs / ours, 2) if theirs and ours else None


def ratios(ours: dict, base: dict) -> dict:
    out = {}
    for section in ("cold_load", "repeat_load"):
        for key in ("requests", "bytes", "first_map_ms", "settled_ms"):
            out[f"{section}.{key}"] = _ratio(base[section][key], ours[section][key])
    for section in CLICK_SECTIONS:
        for key in ("p50", "p95"):
            out[f"{section}.{key}"] = _ratio(base[section][key], ours[section][key])
    return out


def measure_level(browser: Any, name: str, options: Options, notes: list[str]) -> dict | None:
    log = options.log
    log(f"· {name}: building both apps on {options.size:,} synthetic incidents ...")
    built = _apps(name, options, notes)
    if built is None:
        return None
    ours_app, base_app, state, boundaries = built
    level = state.get("level", LEVELS[name])
    regions = sorted(boundaries.level(1)["unit_id"].astype(str))[:6]
    points = _points(boundaries, level, max(8, options.interactions // 4 + 1))
    out: dict[str, Any] = {"ours": {}, "baseline": {}}
    with serving(ours_app.server) as ours_url, serving(base_app.server) as base_url:
        for who, url in (("ours", f"{ours_url}/?level={level}"), ("baseline", base_url + "/")):
            log(f"· {name} {who}: cold load x{options.runs} ...")
            out[who]["cold_load"] = cold_load(browser, url, options)
            log(f"· {name} {who}: repeat load x{options.runs}, then interactions ...")

            def clicks(page: Any, cdp: Any, who: str = who) -> dict:
                def once() -> dict:
                    if who == "ours":
                        return click_to_paint(page, options, OurDriver(page, points), KINDS)
                    driver = BaselineDriver(page, state, regions)
                    return click_to_paint(page, options, driver, BASELINE_KINDS)

                field = once()
                cdp.send("Network.emulateNetworkConditions", LOCAL_NETWORK)
                return {"click_to_paint": field, "click_to_paint_local": once()}

            out[who]["repeat_load"], clicked = repeat_load(browser, url, options, clicks)
            out[who].update(clicked)
    log(f"· {name} floor: interactions on the one-control page ...")
    out["floor"] = framework_floor(browser, ours_app, state, options)
    return out


def framework_floor(browser: Any, ours_app: Any, state: dict, options: Options) -> dict:
    """Click to paint on ``bench.floor``'s page (local link, warm cache): Dash and plotly.js
    recolouring the dashboard's map with nothing else on the page."""
    from bench.floor import create_floor_app

    with serving(create_floor_app(ours_app, state).server) as url:
        context = browser.new_context(viewport=VIEWPORT)
        context.add_init_script(PROBE)
        try:
            page = context.new_page()
            page.goto(url + "/", timeout=options.timeout_s * 1000)
            page.wait_for_function(
                "() => window.__bench && window.__bench.firstMap !== null",
                timeout=options.timeout_s * 1000,
            )
            wait_settled(page, options.timeout_s)
            return click_to_paint(page, options, FloorDriver(page), ["indicator"])
        finally:
            context.close()


def run(options: Options) -> dict:
    """Everything, as the JSON document (see the module docstring for the definitions)."""
    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    notes: list[str] = []
    started = time.time()
    load_before = loadavg()
    levels: dict[str, Any] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            version = browser.version
            for name in LEVELS:
                levels[name] = measure_level(browser, name, options, notes)
        finally:
            browser.close()
    document: dict[str, Any] = {
        "environment": {
            "chromium": version,
            "network": options.network,
            "runs": options.runs,
            "interactions": options.interactions,
            "incidents": options.size,
            "cpus": os.cpu_count(),
            "loadavg_start": load_before,
            "loadavg_end": loadavg(),
            "seconds": round(time.time() - started, 1),
        },
        "cold_load": {},
        "repeat_load": {},
        **{section: {} for section in CLICK_SECTIONS},
        "baseline": {"cold_load": {}, "repeat_load": {}, **{s: {} for s in CLICK_SECTIONS}},
        "floor": {},
        "ratios": {},
        "notes": notes,
    }
    for name, measured in levels.items():
        ours, base = (measured["ours"], measured["baseline"]) if measured else ({}, {})
        for section in ("cold_load", "repeat_load", *CLICK_SECTIONS):
            document[section][name] = ours.get(section)
            document["baseline"][section][name] = base.get(section)
        document["floor"][name] = measured["floor"] if measured else None
        document["ratios"][name] = ratios(ours, base) if measured else None
    return document


# ------------------------------------------------------------------------------ report


def _kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def _click_rows(label: str, o: dict, b: dict, ratio: dict) -> list[tuple[str, str, str, str]]:
    """Rows of one click section: p50/p95, per kind of interaction, and the p50 split."""
    rows = [
        (
            f"{label}: p50 / p95 (n)",
            f"{o['p50']:,.0f} / {o['p95']:,.0f} ms ({o['n']})",
            f"{b['p50']:,.0f} / {b['p95']:,.0f} ms ({b['n']})",
            f"{_fmt(ratio['p50'])} / {_fmt(ratio['p95'])}",
        )
    ]
    for kind in [*o["by_kind"], *(k for k in b["by_kind"] if k not in o["by_kind"])]:
        pct, theirs = o["by_kind"].get(kind), b["by_kind"].get(kind)
        rows.append(
            (
                f"  {kind}",
                f"{pct['p50']:,.0f} / {pct['p95']:,.0f} ms ({pct['n']})" if pct else "",
                f"{theirs['p50']:,.0f} / {theirs['p95']:,.0f} ms ({theirs['n']})" if theirs else "",
                "",
            )
        )
    for who, data in (("ours", o), ("baseline", b)):
        split = data.get("split_p50")
        if split:
            rows.append(
                (
                    f"  {who} p50 split: before request / requests / render",
                    f"{split['before_request']:,.0f} / {split['requests']:,.0f} / "
                    f"{split['render']:,.0f} ms ({split['count']:.0f} req.)",
                    "",
                    "",
                )
            )
    return rows


def table(document: dict) -> str:
    """Measure | ours | baseline | baseline / ours, per level."""
    rows: list[tuple[str, str, str, str]] = []
    for name in LEVELS:
        ours = document["cold_load"].get(name)
        if ours is None:
            rows.append((f"{name}: skipped", "", "", ""))
            continue
        base = {
            s: document["baseline"][s][name] for s in ("cold_load", "repeat_load", *CLICK_SECTIONS)
        }
        ratio = document["ratios"][name]
        for section in ("cold_load", "repeat_load"):
            o, b = document[section][name], base[section]
            rows.append(
                (
                    f"{name} {section}: requests (served from cache)",
                    f"{o['requests']} ({o['from_cache']})",
                    f"{b['requests']} ({b['from_cache']})",
                    _fmt(ratio[f"{section}.requests"]),
                )
            )
            rows.append(
                (
                    f"{name} {section}: bytes transferred",
                    _kb(o["bytes"]),
                    _kb(b["bytes"]),
                    _fmt(ratio[f"{section}.bytes"]),
                )
            )
            rows.append(
                (
                    f"{name} {section}: first map painted",
                    f"{o['first_map_ms']:,.0f} ms",
                    f"{b['first_map_ms']:,.0f} ms",
                    _fmt(ratio[f"{section}.first_map_ms"]),
                )
            )
            rows.append(
                (
                    f"{name} {section}: every view settled",
                    f"{o['settled_ms']:,.0f} ms",
                    f"{b['settled_ms']:,.0f} ms",
                    _fmt(ratio[f"{section}.settled_ms"]),
                )
            )
        for section, label in CLICK_SECTIONS.items():
            ratio_of = {key: ratio[f"{section}.{key}"] for key in ("p50", "p95")}
            rows += _click_rows(f"{name} {label}", document[section][name], base[section], ratio_of)
        floor = document["floor"][name]
        rows.append(
            (
                f"{name} framework floor, local link: p50 / p95 (n)",
                f"{floor['p50']:,.0f} / {floor['p95']:,.0f} ms ({floor['n']})",
                "",
                "",
            )
        )
    header = ("measure", "ours", "baseline", "baseline/ours")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    env = document["environment"]
    net = env["network"]
    lines.append("")
    lines.append(
        f"Chromium {env['chromium']}, {env['cpus']} CPUs, {env['incidents']:,} incidents, "
        f"{env['runs']} runs (median), network "
        + (
            f"{net['downloadThroughput'] * 8 / 1e6:g} Mbit/s down / "
            f"{net['uploadThroughput'] * 8 / 1e3:g} kbit/s up / {net['latency']} ms"
            if net
            else "not emulated"
        )
        + f"; load average {env['loadavg_start']} at start, {env['loadavg_end']} at end; "
        f"{env['seconds']:.0f} s"
    )
    for name in LEVELS:
        for who, section in (
            ("ours", document["cold_load"].get(name)),
            ("baseline", document["baseline"]["cold_load"].get(name)),
        ):
            if not section:
                continue
            parts = sorted(section["by_type"].items(), key=lambda kv: -kv[1]["bytes"])
            lines.append(
                f"{name} {who} cold bytes by type: "
                + ", ".join(f"{k} {_kb(v['bytes'])} ({v['requests']})" for k, v in parts)
            )
            largest = section.get("largest", {})
            if largest:
                lines.append(
                    "  largest: " + ", ".join(f"/{u} {_kb(n)}" for u, n in largest.items())
                )
            if section["uncompressed"]:
                lines.append(f"  served without compression: {', '.join(section['uncompressed'])}")
    lines += document["notes"]
    return "\n".join(lines)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.2f}x"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny data, one run, a handful of clicks, no network emulation",
    )
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--interactions", type=int, help="interactions per level and app")
    parser.add_argument("--no-commune", action="store_true", help="cercle level only")
    args = parser.parse_args(argv)
    options = options_for(args.quick)
    options.log = lambda text: print(text, file=sys.stderr, flush=True)
    if args.interactions:
        options.interactions = args.interactions
    if args.no_commune:
        options.commune_dir = None
    document = run(options)
    print(table(document))
    if args.json:
        args.json.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
