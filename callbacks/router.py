"""The view-state router: which state, query string, slices and control values follow a change.

It runs in the browser (``assets/router.js``, a clientside callback), so a click fires the
views' server callbacks at once instead of after a first round trip. This module is its twin:
:func:`router_outputs` is the same computation in Python, which the benchmark's headless
client replays (``bench.client``) and a browser test compares with the JavaScript on many
inputs; :func:`router_domain` is what the browser needs to know about the data (the page's
``router-domain`` store: months, unit levels, categories... all of it public, shown in the
filters and the map). The server never trusts the result: every view callback cleans the slice
it receives (:func:`callbacks.state.clean_slice`).
"""

from __future__ import annotations

from collections.abc import Callable

from analysis.dataset import DashboardData
from analysis.domain import Domain
from callbacks import views
from callbacks.state import (
    CONTROL_KEYS,
    DEFAULT_INDICATOR,
    DEFAULT_PRESET,
    DEFAULT_WEIGHTS,
    INDICATORS,
    MODES,
    PRESETS,
    SLICE_NAMES,
    TABS,
    WEIGHT_KEYS,
    slices,
)
from layouts import ids
from layouts.i18n import DEFAULT_LANGUAGE, LANGUAGES
from layouts.page import SLICE_STORES

# The controls of the filter bar by state key (the router's inputs, in CONTROL_KEYS order).
CONTROL_IDS = {
    "level": ids.LEVEL,
    "region": ids.REGION,
    "start": ids.START,
    "end": ids.END,
    "preset": ids.PRESET,
    "cats": ids.CATEGORIES,
    "sector": ids.SECTOR,
    "ind": ids.INDICATOR,
    "lang": ids.LANG,
    "tab": ids.TABS,
    "wi": ids.WEIGHT_INCIDENTS,
    "wd": ids.WEIGHT_DISPLACEMENT,
    "wa": ids.WEIGHT_ACCESS,
}
QUERY_KEYS = (
    "lang",
    "mode",
    "tab",
    "level",
    "region",
    "preset",
    "start",
    "end",
    "cats",
    "sector",
    "ind",
    "unit",
    *WEIGHT_KEYS,
)
NO_UPDATE = None  # in router_outputs: the query or slice keeps its value (never a value)


def router_domain(data: DashboardData) -> dict:
    """What the browser's router knows: the valid values of every state key (public), once
    per loaded data."""
    return data.static(("router_domain",), lambda: _router_domain(data, data.domain()))


def _router_domain(data: DashboardData, domain: Domain) -> dict:
    return {
        "months": list(domain.months),
        "last_month": domain.last_month,
        "regions": sorted(domain.regions),
        "units": {unit: data.level_of(unit) or 2 for unit in sorted(domain.units)},
        "categories": sorted(domain.categories),
        "default_categories": sorted(domain.default_categories),
        "sectors": sorted(domain.sectors),
        "levels": list(domain.levels),
        "languages": list(LANGUAGES),
        "default_language": DEFAULT_LANGUAGE,
        "modes": list(MODES),
        "tabs": list(TABS),
        "indicators": list(INDICATORS),
        "default_indicator": DEFAULT_INDICATOR,
        "presets": list(PRESETS),
        "default_preset": DEFAULT_PRESET,
        "default_weights": dict(DEFAULT_WEIGHTS),
        "weight_keys": list(WEIGHT_KEYS),
        "control_keys": list(CONTROL_KEYS),
        "query_keys": list(QUERY_KEYS),
        "slice_names": list(SLICE_NAMES),
        "control_of_id": {CONTROL_IDS[key]: key for key in CONTROL_KEYS},
        "ids": {
            "url": ids.URL,
            "map": ids.MAP,
            "gap_map": ids.GAP_MAP,
            "country": ids.COUNTRY_BUTTON,
            "briefing": ids.BRIEFING_BUTTON,
        },
    }


def trigger_of(triggered: list[str]) -> str:
    """The id that fired (as the server router read ``ctx``): the first changed prop's string
    id; the address on the initial call, for a dict id, and when it fired with others."""
    names = [p.rsplit(".", 1)[0] for p in triggered]
    if not names or not names[0] or names[0].startswith("{"):
        return ids.URL
    if len(names) > 1 and ids.URL in names:
        return ids.URL
    return names[0]


def domain_of(known: dict) -> Domain:
    """The data's domain as the browser's router knows it (the page's ``router-domain`` store,
    see :func:`router_domain`)."""
    return Domain(
        months=tuple(known["months"]),
        regions=frozenset(known["regions"]),
        units=frozenset(known["units"]),
        categories=frozenset(known["categories"]),
        sectors=frozenset(known["sectors"]),
        levels=tuple(known["levels"]),
        default_categories=tuple(known["default_categories"]),
    )


def router_outputs(triggered: list[str], args: list, known: dict) -> dict | None:
    """The router's result for ``args`` (its inputs and the state store, in callback order)
    after the props ``triggered`` changed, knowing what the page's ``router-domain`` store
    holds (``known``), like the browser: None when nothing changes, else the query string
    (None: unchanged), the state, each slice (None: unchanged) and the control values."""
    domain = domain_of(known)
    n = len(CONTROL_KEYS)
    search, controls = args[0], list(args[1 : 1 + n])
    map_click, gap_click, _country, _briefing, raw = args[1 + n : 6 + n]
    trigger = trigger_of(triggered)
    click = views.clicked_location(map_click if trigger == ids.MAP else gap_click)
    query, new, control_values = views.route(
        trigger, search, controls, raw, click, known["units"].get, domain
    )
    if new == raw and query is views.KEEP:
        return None
    before, after = slices(raw if isinstance(raw, dict) else {}), slices(new)
    return {
        "query": NO_UPDATE if query is views.KEEP else query,
        "state": new,
        "parts": [
            NO_UPDATE if raw is not None and before[name] == after[name] else after[name]
            for name in SLICE_NAMES
        ],
        "controls": [
            (v or None) if k in ("region", "sector") else v
            for k, v in zip(CONTROL_KEYS, control_values, strict=True)
        ],
    }


def route_twin(body: dict) -> dict:
    """The router as a function of its callback request body (inputs, the state store and the
    router-domain store, as the browser would post them), answering what the server would
    (``{id: {prop: value}}``, unchanged outputs left out): for ``bench.client``."""
    args = [item.get("value") for item in (*body["inputs"], *body["state"][:1])]
    out = router_outputs(body.get("changedPropIds") or [], args, body["state"][1]["value"])
    if out is None:
        return {}
    response: dict = {ids.STATE: {"data": out["state"]}}
    if out["query"] is not NO_UPDATE:
        response[ids.URL] = {"search": out["query"]}
    for name, part in zip(SLICE_NAMES, out["parts"], strict=True):
        if part is not NO_UPDATE:
            response[SLICE_STORES[name]] = {"data": part}
    for key, value in zip(CONTROL_KEYS, out["controls"], strict=True):
        response[CONTROL_IDS[key]] = {"value": value}
    return response


# Python twins of the app's clientside callbacks that feed server callbacks, by
# "namespace.function" (what bench.client runs instead of a browser).
TWINS: dict[str, Callable[[dict], dict]] = {"router.route": route_twin}
