"""Briefing mode on real screens: 1920 x 1080 and a 1366 x 768 projector, French and English.

Nothing overflows (no scrolling, nothing cut at the right or the bottom): the key figures, the
priority rows shown and the source line are inside the window, and no key figure is clipped.
It leads with the priority (gap) map, on a dark background.
"""

from __future__ import annotations

import pytest

from tests.browser.test_dashboard_browser import Watch, _ready, pytestmark  # noqa: F401

SIZES = [(1920, 1080), (1366, 768)]

MEASURE = """() => {
    const visible = (sel) => Array.from(document.querySelectorAll(sel)).filter(e => e.offsetParent);
    const boxes = visible('.kf-tile, #briefing-priorities tbody tr, #attribution, #briefing-button')
        .map(e => e.getBoundingClientRect());
    return {
        scrollWidth: document.documentElement.scrollWidth,
        scrollHeight: document.documentElement.scrollHeight,
        right: Math.max(...boxes.map(b => b.right)),
        bottom: Math.max(...boxes.map(b => b.bottom)),
        clipped: visible('.kf-value').filter(e => e.scrollWidth > e.clientWidth + 1).length,
        rows: visible('#briefing-priorities tbody tr').length,
        tiles: visible('.kf-tile').length,
        title: document.querySelector('#map-title').innerText,
        background: getComputedStyle(document.querySelector('#map .main-svg')).backgroundColor,
        paper: document.querySelector('#map .main-svg').style.background,
    };
}"""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_briefing_fits_the_screen(browser, server, size, lang):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watch = Watch(page, server)
    page.goto(f"{server}/?mode=briefing&lang={lang}")
    _ready(page)
    page.wait_for_selector("#briefing-priorities tbody tr")
    got = page.evaluate(MEASURE)
    assert got["scrollWidth"] <= width and got["scrollHeight"] <= height, got
    assert got["right"] <= width and got["bottom"] <= height, got
    assert got["clipped"] == 0 and got["tiles"] == 6, got
    assert got["rows"] >= (8 if height >= 1000 else 5), got
    assert got["title"].startswith("Lacune" if lang == "fr" else "Gap"), got  # the priority map
    assert "17, 17, 17" in got["paper"] or "#111" in got["paper"], got  # dark map
    watch.check()
    context.close()
