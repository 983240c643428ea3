"""The router in the browser (assets/router.js) and its Python twin (callbacks/router.py) give
the same query string, state, slices and control values, on the page's own data, for many
changes: deep links (valid, stale, hand-edited, hostile), every control with valid and invalid
values, map clicks on régions, cercles and garbage, the country and briefing buttons.

The twin is what the benchmark client replays and what ``tests/test_callbacks.py`` checks
against the product rules (``views.route``), so agreement here carries those rules over to the
browser. A last test clicks a preset and checks the views were fired with no router request.
"""

from __future__ import annotations

import json
import random
import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from callbacks.router import CONTROL_IDS, domain_of, router_outputs
from callbacks.state import CONTROL_KEYS, default_state, from_query
from layouts import ids
from tests.browser.conftest import CHROMIUM, _free_port

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not shutil.which("chromium"),
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]

GARBAGE = [None, "", "zz", 7, -1, 2.5, True, [], {}, ["ML05"], {"a": 1}, "x" * 80, "0,5", " 1 "]


@pytest.fixture(scope="module")
def served():
    from werkzeug.serving import make_server

    from app import create_app

    app = create_app()
    port = _free_port()
    httpd = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield app, f"http://127.0.0.1:{port}"
    httpd.shutdown()


def _queries(rng: random.Random, domain, units: list[str]) -> list[str]:
    months = list(domain.months)
    cats = sorted(domain.categories)
    fixed = [
        "",
        "?",
        "??lang=en",
        "?lang=en&tab=gap&level=2&region=ML05",
        f"?preset=custom&start={months[-1]}&end={months[0]}",
        f"?start={months[0]}&end={months[-1]}",
        "?preset=12&cats=" + ",".join(cats[:2]),
        "?cats=nope,%2C,",
        "?wi=0,5&wd=0.25&wa=0",
        "?wi=0&wd=0&wa=0",
        "?wi=0.125&wd=0.375&wa=0.005",
        "?wi=1e-1&wd=.5&wa=0_1",
        "?level=3&unit=" + units[-1],
        "?level=2.0&ind=gap&mode=briefing",
        "?lang=%C3%A9&ind=%zz&region=ML05%00",
        "?unit=" + units[0] + "&unit=" + units[1],
        "?" + "&".join(f"k{i}=v" for i in range(70)),
        "?=x&lang&tab=&ind=need",
        "?sector=" + (sorted(domain.sectors) or ["x"])[0] + "&lang=en+",
    ]
    keys = ["lang", "mode", "tab", "level", "region", "preset", "start", "end", "cats"]
    keys += ["sector", "ind", "unit", "wi", "wd", "wa", "junk"]
    values = [*months[:3], *months[-3:], *units[:5], *cats[:3], "1", "3", "12", "year", "custom"]
    values += ["en", "fr", "gap", "quality", "briefing", "0.3", "2", "3", "need", "x y", "é"]
    for _ in range(60):
        picked = rng.sample(keys, rng.randint(1, 6))
        fixed.append("?" + "&".join(f"{k}={rng.choice(values)}" for k in picked))
    return fixed


def _cases(app) -> list[tuple[list[str], list]]:
    """(changed prop ids, router args) pairs: inputs in callback order, then the state store."""
    data = app.dashboard_data
    domain = data.domain()
    rng = random.Random(11)
    units = sorted(domain.units)
    regions = sorted(domain.regions)
    states = [None, default_state(domain), {"lang": "en"}, {"unit": units[3], "tab": "gap"}]
    states += [from_query(q, domain) for q in _queries(rng, domain, units)]
    queries = _queries(rng, domain, units)
    control_values = {
        "level": [1, 2, 3, "2"],
        "region": ["", None, *regions[:3]],
        "start": list(domain.months[:2]),
        "end": list(domain.months[-2:]),
        "preset": ["1", "3", "12", "year", "custom"],
        "cats": [[], sorted(domain.categories)[:2], "a,b"],
        "sector": ["", None, *sorted(domain.sectors)[:2]],
        "ind": ["incidents", "gap", "need"],
        "lang": ["fr", "en"],
        "tab": ["overview", "gap", "quality"],
        "wi": [0.5, "0,25", 0.125],
        "wd": [0, 1, "1.5"],
        "wa": [0.2, None, "abc"],
    }
    cases = []
    for _ in range(500):
        state = rng.choice(states)
        base = state if isinstance(state, dict) else default_state(domain)
        controls = [base.get(k) for k in CONTROL_KEYS]
        search = rng.choice(queries)
        clicks = [None, None]
        kind = rng.choice(["url", "control", "control", "map", "button", "initial"])
        if kind == "url":
            changed = [f"{ids.URL}.search"]
        elif kind == "initial":
            changed = []
        elif kind == "control":
            key = rng.choice(CONTROL_KEYS)
            value = rng.choice([*control_values[key], rng.choice(GARBAGE)])
            controls[CONTROL_KEYS.index(key)] = value
            changed = [f"{CONTROL_IDS[key]}.value"]
            if rng.random() < 0.1:
                changed.append(f"{ids.URL}.search")
        elif kind == "map":
            graph = rng.choice([ids.MAP, ids.GAP_MAP])
            location = rng.choice([*regions, *units, "nowhere", 5, None])
            clicks[graph == ids.GAP_MAP] = rng.choice(
                [{"points": [{"location": location}]}, {"points": []}, "bad", None]
            )
            changed = [f"{graph}.clickData"]
        else:
            changed = [f"{rng.choice([ids.COUNTRY_BUTTON, ids.BRIEFING_BUTTON])}.n_clicks"]
        cases.append((changed, [search, *controls, *clicks, 1, 1, state]))
    return cases


def test_router_in_the_browser_agrees_with_its_python_twin(served, browser):
    app, base = served
    data = app.dashboard_data
    domain = data.domain()
    cases = _cases(app)
    page = browser.new_page()
    try:
        page.goto(base, wait_until="networkidle")
        layout = page.evaluate("async () => (await fetch('/_dash-layout')).json()")
        known = _find(layout, ids.ROUTER_DOMAIN)["props"]["data"]
        results = page.evaluate(
            """([cases, D]) => cases.map(([changed, args]) => window.dash_clientside.router
                .outputs(changed.map((p) => ({prop_id: p, value: null})), args, D))""",
            [cases, known],
        )
    finally:
        page.close()
    assert len(results) == len(cases)
    kinds = set()
    for (changed, args), got in zip(cases, results, strict=True):
        want = router_outputs(changed, args, known)
        assert got == want, (changed, args, got, want)
        kinds.add("none" if want is None else "query" if want["query"] else "state")
    assert kinds == {"none", "query", "state"}  # every kind of answer was compared
    # and what the page's store tells the router is the data's own domain
    told = domain_of(known)
    assert told == replace(domain, default_categories=told.default_categories)
    assert sorted(told.default_categories) == sorted(domain.default_categories)


def _find(node, component_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        children = node.get("props", {}).get("children")
        return _find(children, component_id) if children is not None else None
    if isinstance(node, list):
        for item in node:
            found = _find(item, component_id)
            if found is not None:
                return found
    return None


def test_a_click_fires_the_views_without_a_router_request(served, browser):
    """A period preset: the URL and the map change, and every callback request the click
    caused is a view's (the router answered in the page: no round trip before the views)."""
    _, base = served
    page = browser.new_page()
    outputs: list[str] = []

    def record(request) -> None:
        if "_dash-update-component" in request.url:
            outputs.append(json.loads(request.post_data or "{}").get("output", ""))

    page.on("request", record)
    try:
        page.goto(base, wait_until="networkidle")
        page.wait_for_selector("#map .choroplethlayer path", timeout=30_000)
        outputs.clear()
        page.click("#filter-preset label:has(input[value='12'])")
        page.wait_for_function("() => window.location.search.includes('preset=12')")
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    assert any(f"{ids.MAP}.figure" in o for o in outputs), outputs
    assert not [o for o in outputs if f"{ids.URL}.search" in o or f"{ids.STATE}.data" in o]


def test_a_weight_moved_on_its_range_input_reaches_the_url_once_it_stops(served, browser):
    """The weights are the browser's range inputs: two steps with the keyboard give one new
    weight in the URL (sent once the value stopped moving) and in the weight's text box."""
    _, base = served
    page = browser.new_page()
    try:
        page.goto(base + "/?tab=gap", wait_until="networkidle")
        page.wait_for_selector("#gap-map .choroplethlayer path", timeout=30_000)
        page.focus(f"#{ids.WEIGHT_INCIDENTS}")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        page.wait_for_function("() => window.location.search.includes('wi=0.5')", timeout=10_000)
        page.wait_for_function(
            f"() => document.getElementById('{ids.WEIGHT_INCIDENTS_BOX}').value === '0,5'",
            timeout=10_000,
        )
    finally:
        page.close()
