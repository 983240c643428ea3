"""The browser benchmark in ``--quick`` mode (tiny data, one run, a handful of interactions,
no network emulation), so it cannot rot: JSON shape, positive numbers, a printed table.

Timings are not asserted against targets (a shared test machine says nothing about them).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench.browser import CHROMIUM

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not shutil.which("chromium"),
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]

LOAD_KEYS = {"requests", "from_cache", "bytes", "first_map_ms", "settled_ms", "runs", "by_type"}
CLICK_KEYS = {"p50", "p95", "n", "by_kind", "missed", "detected_by", "split_p50"}


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    from bench.browser import main

    path = tmp_path_factory.mktemp("bench") / "browser.json"
    assert main(["--quick", "--json", str(path)]) == 0
    return json.loads(path.read_text())


def _positive_load(section: dict) -> None:
    assert set(section) >= LOAD_KEYS
    assert section["requests"] > 0 and section["bytes"] > 0
    assert 0 < section["first_map_ms"] <= section["settled_ms"]
    assert len(section["runs"]) == 1


def test_quick_run_has_the_json_shape_and_positive_numbers(measured):
    for key in (
        "environment",
        "cold_load",
        "repeat_load",
        "click_to_paint",
        "click_to_paint_local",
        "baseline",
        "floor",
        "ratios",
        "notes",
    ):
        assert key in measured
    assert measured["environment"]["network"] is None  # --quick: no emulation
    assert measured["cold_load"]["commune"] is None  # --quick: cercle level only
    for who in (measured, measured["baseline"]):
        _positive_load(who["cold_load"]["cercle"])
        _positive_load(who["repeat_load"]["cercle"])
        for section in ("click_to_paint", "click_to_paint_local"):
            clicks = who[section]["cercle"]
            assert set(clicks) >= CLICK_KEYS
            assert clicks["n"] >= 4 and 0 < clicks["p50"] <= clicks["p95"]
    # the framework floor page recoloured its map on every click (bench.floor)
    floor = measured["floor"]["cercle"]
    assert set(floor) >= CLICK_KEYS and set(floor["by_kind"]) == {"indicator"}
    assert floor["n"] >= 4 and 0 < floor["p50"] <= floor["p95"] and not floor["missed"]
    # the warm cache serves something, so a repeat load moves fewer bytes than a cold one
    assert measured["repeat_load"]["cercle"]["bytes"] < measured["cold_load"]["cercle"]["bytes"]
    # every kind of interaction of ours repainted the map at least once
    assert set(measured["click_to_paint"]["cercle"]["by_kind"]) == {
        "period",
        "indicator",
        "map",
        "language",
    }
    ratios = measured["ratios"]["cercle"]
    assert all(v is None or v > 0 for v in ratios.values())
    assert ratios["click_to_paint.p50"] is not None
    assert ratios["click_to_paint_local.p95"] is not None
    from bench.browser import table

    printed = table(measured)
    assert "cercle click to paint, emulated link" in printed
    assert "cercle click to paint, local link" in printed
    assert "cercle framework floor, local link" in printed
