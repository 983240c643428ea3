"""The unit panel's table is Markdown (one component, however many rows): names from the data
must come out in the browser exactly as written, whatever characters they hold."""

from __future__ import annotations

import threading

import pytest
from dash import Dash, html

from layouts.tables import markdown_table, unit_panel
from tests.browser.conftest import _free_port

pytestmark = pytest.mark.browser

HOSTILE = [
    "Physical/psychological integrity",
    "11\u202f280",
    "12,5",
    "a|b",
    "back\\slash",
    "*bold* _it_ `code` ~~gone~~",
    "[link](http://example.org) www.example.org",
    "<b>html</b> &amp; <script>alert(1)</script>",
    "# title",
    "+ item",
    "- item",
    "1. item",
    "> quote",
    "!bang (paren) {brace}",
    "Ségou – Tombouctou’s “cercle”",
]


@pytest.fixture(scope="module")
def page_url():
    from werkzeug.serving import make_server

    rows = [[cell, cell, str(i)] for i, cell in enumerate(HOSTILE)]
    app = Dash(__name__, serve_locally=True)
    app.layout = html.Div(
        [
            html.Div(unit_panel("Cercle", _panel_rows(), "fr"), id="panel"),
            html.Div(
                unit_panel("x", [], "fr") + [html.Div(id="raw-table", children=_markdown(rows))],
            ),
        ]
    )
    port = _free_port()
    httpd = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()


def _markdown(rows):
    from dash import dcc

    return dcc.Markdown(markdown_table(["a", "b", "c"], rows, (False, True, True)))


def _panel_rows():
    return [{"key": "ind_incidents", "value": "11\u202f280", "previous": "10\u202f021"}]


def _cells(page, selector: str) -> list[list[str]]:
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel + ' tbody tr')].map(
            (tr) => [...tr.cells].map((td) => td.textContent))""",
        selector,
    )


def test_every_cell_reads_as_written(browser, page_url):
    page = browser.new_page()
    page.goto(page_url)
    page.wait_for_selector("#raw-table table tbody tr")
    cells = _cells(page, "#raw-table")
    assert cells == [[cell, cell, str(i)] for i, cell in enumerate(HOSTILE)]
    assert page.locator("#raw-table script, #raw-table b, #raw-table a").count() == 0
    # numbers right-aligned, as the panel's other tables
    align = page.evaluate(
        "() => getComputedStyle(document.querySelector('#raw-table tbody td:nth-child(2)'))"
        ".textAlign"
    )
    assert align == "right"
    page.close()


def test_the_panel_shows_its_title_header_and_rows(browser, page_url):
    page = browser.new_page()
    page.goto(page_url)
    page.wait_for_selector("#panel table tbody tr")
    assert page.inner_text("#panel h3") == "Cercle"
    head = page.evaluate(
        "() => [...document.querySelectorAll('#panel thead th')].map((th) => th.textContent)"
    )
    assert head == ["Indicateur", "Valeur", "Période précédente"]
    assert _cells(page, "#panel") == [["Incidents", "11\u202f280", "10\u202f021"]]
    page.close()
