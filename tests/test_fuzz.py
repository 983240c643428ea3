"""Malformed callback bodies: never a 500, never a traceback in the log.

Bodies start as valid requests of every callback (what the page sends) and are broken the ways
a script can: junk in any value (unknown months, ``level: 3``, all weights 0, unknown
``lang``, missing state keys, null state, huge or non-finite numbers, deeply nested JSON),
missing or retyped envelope keys, inputs of another callback, bodies that are not JSON.
"""

from __future__ import annotations

import copy
import json
import logging
import random

import pytest

from tests.attacker import UPDATE_URL

JUNK = [
    None,
    0,
    3,
    -1,
    1e308,
    10**30,
    "",
    "x" * 5000,
    "1990-01",
    "2019-13",
    "ML99",
    [],
    [None],
    {},
    {"on": True},
    True,
    "NaN",
    ["pm_gbv"] * 500,
    {"level": 3, "lang": "xx", "wi": 0, "wd": 0, "wa": 0},
]


def _deep(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture(scope="module")
def app():
    from analysis.dataset import load_data
    from app import create_app

    return create_app(load_data(use_store=False))


def _valid_bodies(app) -> list[dict]:
    """One plausible body per callback, values taken from the page's own layout defaults."""
    client = app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()
    from analysis.gate import map_level  # noqa: F401  (the gate is imported by the app anyway)
    from callbacks.state import default_state, slices

    state = default_state(app.dashboard_data.domain())
    stores = {f"state-{k}" if k != "state" else k: v for k, v in slices(state).items()}
    stores["state"] = state
    bodies = []
    for dep in dependencies:
        if dep["output"].startswith("..{") or "ALL" in dep["output"]:
            continue
        if dep.get("clientside_function"):  # runs in the browser: the server refuses it (400)
            continue
        parts = (
            dep["output"][2:-2].split("...") if dep["output"].startswith("..") else [dep["output"]]
        )
        outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]

        def item(spec, stores=stores):
            return {**spec, "value": stores.get(spec["id"])}

        bodies.append(
            {
                "output": dep["output"],
                "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": [item(s) for s in dep["inputs"]],
                "state": [item(s) for s in dep["state"]],
                "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
            }
        )
    return bodies


def _mutate(body: dict, rng: random.Random, others: list[dict]) -> object:
    body = copy.deepcopy(body)
    kind = rng.randrange(9)
    if kind == 0:  # junk in an input or state value
        slots = body["inputs"] + body["state"]
        rng.choice(slots)["value"] = rng.choice(JUNK)
    elif kind == 1:  # junk inside a state store
        slots = [s for s in body["inputs"] + body["state"] if isinstance(s.get("value"), dict)]
        if slots:
            value = rng.choice(slots)["value"]
            key = rng.choice([*value.keys(), "start", "cats", "level", "lang", "wi", "unit"])
            value[key] = rng.choice(JUNK)
            if rng.random() < 0.3 and value:
                value.pop(rng.choice(list(value)))
    elif kind == 2:  # an envelope key missing or retyped
        key = rng.choice(["output", "outputs", "inputs", "state", "changedPropIds"])
        if rng.random() < 0.5:
            body.pop(key, None)
        else:
            body[key] = rng.choice(JUNK)
    elif kind == 3:  # inputs of another callback
        body["inputs"] = copy.deepcopy(rng.choice(others)["inputs"])
    elif kind == 4:  # one input too many or too few
        if rng.random() < 0.5:
            body["inputs"] = body["inputs"][:-1]
        else:
            body["inputs"].append({"id": "x", "property": "y", "value": 1})
    elif kind == 5:  # deeply nested value
        slots = body["inputs"] + body["state"]
        rng.choice(slots)["value"] = _deep(rng.choice([30, 200, 900]))
    elif kind == 6:  # not an object at all
        return rng.choice(JUNK)
    elif kind == 7:  # an unknown output
        body["output"] = rng.choice(["nope.children", "..a.b...c.d..", body["output"] + "x"])
    else:  # a weird trigger
        body["changedPropIds"] = [rng.choice(["", "map.clickData", "x" * 300, "lang.value"])]
    return body


def test_fuzzed_callback_bodies_never_answer_500(app, caplog):
    rng = random.Random(2026)
    bodies = _valid_bodies(app)
    client = app.server.test_client()
    statuses: dict[int, int] = {}
    caplog.set_level(logging.INFO)
    for _ in range(1500):
        body = _mutate(rng.choice(bodies), rng, bodies)
        response = client.post(UPDATE_URL, data=json.dumps(body), content_type="application/json")
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, body if len(str(body)) < 2000 else str(body)[:2000]
        assert b"Traceback" not in response.data
    for raw in (b"{", b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe", b"null", b"x" * 600_000):
        response = client.post(UPDATE_URL, data=raw, content_type="application/json")
        assert 400 <= response.status_code < 500
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert statuses.get(200, 0) > 100 and statuses.get(400, 0) > 100  # both kinds exercised


def test_valid_bodies_still_answer(app):
    client = app.server.test_client()
    for body in _valid_bodies(app):
        response = client.post(UPDATE_URL, json=body)
        assert response.status_code in (200, 204), (body["output"], response.data[:300])


def test_clientside_callbacks_are_refused_by_the_server(app, caplog):
    client = app.server.test_client()
    clientside = [
        d for d in client.get("/_dash-dependencies").get_json() if d.get("clientside_function")
    ]
    # the router, copy link, <html lang>, the two map PNGs
    assert len(clientside) == 5
    for dep in clientside:
        body = {
            "output": dep["output"],
            "outputs": [],
            "inputs": [{**s, "value": 1} for s in dep["inputs"]],
            "state": [{**s, "value": None} for s in dep["state"]],
            "changedPropIds": [],
        }
        assert client.post(UPDATE_URL, json=body).status_code == 400
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
