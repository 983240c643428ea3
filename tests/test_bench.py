"""The performance harness in tiny mode, so it cannot rot: JSON shape and real 200 answers.

Timing values are not asserted (a test machine's speed says nothing); what is asserted is
that every measure is present, numeric, and came from callback requests that succeeded.
"""

from __future__ import annotations

import json

import pytest

from bench.__main__ import options_for
from bench.report import render, summary
from bench.run import run

KEYS = [
    "ingest_points_per_s",
    "startup_s",
    "callback_ms",
    "first_map_bytes",
    "update_bytes",
    "peak_rss_mb",
    "baseline",
    "speedup_p95",
]


@pytest.fixture(scope="module")
def measured():
    options = options_for(tiny=True)
    options.log = lambda _text: None
    return run(options)


def _levels(section: dict) -> dict:
    return {name: value for name, value in section.items() if value is not None}


def test_tiny_run_has_the_issue_json_shape(measured):
    result, notes = measured
    document = json.loads(json.dumps(summary(result)))
    assert list(document) == KEYS
    assert document["ingest_points_per_s"] > 0
    assert set(document["startup_s"]) == {"default"} and document["startup_s"]["default"] > 0
    assert "cercle" in _levels(document["callback_ms"])
    for name, sizes in _levels(document["callback_ms"]).items():
        assert set(sizes) == {"1k"}
        assert set(sizes["1k"]) == {"p50", "p95"} and 0 < sizes["1k"]["p50"] <= sizes["1k"]["p95"]
        baseline = document["baseline"]["callback_ms"][name]["1k"]
        assert baseline["p95"] > 0
        assert document["speedup_p95"][name] > 0
        for key in ("first_map_bytes", "update_bytes"):
            ours, theirs = document[key][name], document["baseline"][key][name]
            assert set(ours) == set(theirs) == {"raw", "gzip"}
            assert 0 < ours["gzip"] <= ours["raw"] and 0 < theirs["gzip"] <= theirs["raw"]
    assert document["peak_rss_mb"] > 0


def test_every_callback_request_succeeded(measured):
    result, notes = measured
    assert notes.statuses and set(notes.statuses) <= {200, 204}
    # about 25 answered requests per level measured (cercles; communes when ../shared has them)
    levels = len(_levels(json.loads(json.dumps(summary(result)))["callback_ms"]))
    assert levels >= 1 and notes.statuses.get(200, 0) > 20 * levels


def test_the_table_names_every_target(measured):
    text = render(*measured)
    for target in (
        "≤ 25 ms",
        "≥ 20x",
        "≤ 5 KB gzip",
        "≤ 80 KB gzip",
        "≥ 1,000,000 pts/s",
        "≤ 3 s",
        "≤ 600 MB",
    ):
        assert target in text
