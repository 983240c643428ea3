"""The map as a PNG document: downloaded from the page, drawn by plotly.js in the browser with
the title (scope and period), the keys, the source line and the demo mark."""

from __future__ import annotations

import struct

from tests.browser.test_dashboard_browser import SCREENSHOTS, Watch, _ready, pytestmark  # noqa: F401


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_map_png_has_its_title_source_and_demo_mark(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = context.new_page()
    watch = Watch(page, server)
    page.goto(server + "/?region=ML05&unit=ML0504")
    _ready(page)
    # names are drawn on the map, the selected cercle is outlined and named in the title
    drawn = page.evaluate(
        """() => Array.from(document.querySelectorAll('#map .scattergeo text, #map text.textpoint'))
            .map(e => e.textContent)"""
    )
    assert {"Mopti", "Douentza", "Bandiagara"} <= set(drawn), drawn
    outline = page.evaluate(
        "() => document.querySelector('#map .js-plotly-plot').data[3].locations"
    )
    assert outline == ["ML0504"]
    assert "Douentza" in page.inner_text("#map-title")
    meta = page.evaluate("() => document.querySelector('#map .js-plotly-plot').layout.meta")
    assert (
        meta["title"].startswith("Incidents – Douentza (Mopti)") and "CC BY 4.0" in meta["source"]
    )
    assert meta["demo"].startswith("DONNÉES DE DÉMONSTRATION")
    with page.expect_download(timeout=30_000) as download:
        page.click("#map-png")
    path = download.value.path()
    with open(path, "rb") as file:
        data = file.read()
    assert download.value.suggested_filename == "carte-mali-protection.png"
    assert _png_size(data) == (1600, 1100) and len(data) > 40_000
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "map-export.png").write_bytes(data)
    watch.check()
    context.close()
