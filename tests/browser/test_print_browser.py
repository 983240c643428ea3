"""Printing the page for the minutes: on an A4 sheet nothing spills off the side, the controls
are left out, and Chromium's own print to PDF gives a few readable pages."""

from __future__ import annotations

from tests.browser.test_dashboard_browser import Watch, _ready, pytestmark  # noqa: F401

A4_WIDTH_PX = 718  # 210 mm minus two 12 mm margins, at 96 px per inch


def test_printed_page_fits_an_a4_sheet(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    watch = Watch(page, server)
    page.goto(server + "/?region=ML05&unit=ML0501")
    _ready(page)
    page.set_viewport_size({"width": A4_WIDTH_PX, "height": 1000})
    page.emulate_media(media="print")
    page.wait_for_timeout(800)
    measure = page.evaluate(
        """() => ({
            width: document.documentElement.scrollWidth,
            widest: Math.max(...Array.from(document.querySelectorAll('.card, table'))
                .filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right)),
            controls: Array.from(document.querySelectorAll('.filter-bar, #tabs, button'))
                .filter(e => e.offsetParent).length,
        })"""
    )
    assert measure["width"] <= A4_WIDTH_PX and measure["widest"] <= A4_WIDTH_PX + 1, measure
    assert measure["controls"] == 0, measure
    pdf = page.pdf(format="A4")
    assert pdf[:5] == b"%PDF-" and 2 <= pdf.count(b"/Type /Page\n") + pdf.count(b"/Type/Page") <= 12
    watch.check()
    context.close()
