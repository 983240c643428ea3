"""The dashboard in a real headless Chromium: filters, map clicks, language, briefing, deep
links, CSV export; no console error and no request leaving the app's own address.

Screenshots (1920x1080) land in ``screenshots/`` (gitignored): main view, gap view, briefing.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import CHROMIUM

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not shutil.which("chromium"),
        reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)",
    ),
]


class Watch:
    """Console errors and requests to other addresses, collected per page."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.foreign: list[str] = []
        own = urlparse(base).netloc
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def request(req):
            url = urlparse(req.url)
            if url.scheme in ("http", "https", "ws", "wss") and url.netloc != own:
                self.foreign.append(req.url)

        page.on("request", request)

    def check(self):
        assert not self.errors, self.errors
        assert not self.foreign, self.foreign


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    page = context.new_page()
    watch = Watch(page, server)
    page.watch = watch
    yield page
    context.close()


def _ready(page, timeout: float = 20_000):
    page.wait_for_selector(
        "#map .choroplethlayer path, #map .choroplethmap, #map canvas", timeout=timeout
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=timeout
    )
    page.wait_for_timeout(800)


def _state(page) -> dict:
    return page.evaluate("""() => {
        const q = new URLSearchParams(window.location.search);
        return Object.fromEntries(q.entries());
    }""")


def _wait_query(page, key: str, value: str, timeout: float = 10_000):
    page.wait_for_function(
        "([k, v]) => new URLSearchParams(window.location.search).get(k) === v",
        arg=[key, value],
        timeout=timeout,
    )


def _select(page, dropdown_id: str, text: str, key: str, value: str):
    """Pick an option the way a person does: open, type to filter, click the option."""
    page.click(f"#{dropdown_id}")
    page.fill(
        "input.dash-dropdown-search, [role=dialog] input[type=search], "
        "input[placeholder=Rechercher]",
        text,
    )
    page.get_by_role("option", name=text).first.click()
    try:
        _wait_query(page, key, value)
    except Exception:
        page.screenshot(path=str(SCREENSHOTS / f"failed-{dropdown_id}.png"))
        raise
    page.keyboard.press("Escape")


def _click_map_unit(page, unit: str):
    """A real mouse click on the unit's label point, projected by the MapLibre map."""
    from geo.default import default_boundaries
    from geo.display import display_level

    level = 2 if "-" in unit or len(unit) > 4 else 1
    extent = display_level(default_boundaries(), level).extents[unit]
    page.wait_for_function(
        """(unit) => { const gd = document.querySelector('#map .js-plotly-plot');
            return gd && gd.data && gd.data.some(t => (t.locations || []).includes(unit)); }""",
        arg=unit,
        timeout=15_000,
    )
    page.wait_for_timeout(1000)
    x, y = page.evaluate(
        """([lon, lat]) => {
            const gd = document.querySelector('#map .js-plotly-plot');
            const p = gd._fullLayout.geo._subplot.projection([lon, lat]);
            const r = gd.querySelector('.main-svg').getBoundingClientRect();
            return [r.left + p[0], r.top + p[1]];
        }""",
        [extent.label_lon, extent.label_lat],
    )
    page.mouse.move(x, y)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)


def test_main_view_filters_map_language_and_deep_link(page, server):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(server + "/")
    _ready(page)
    assert "DONNÉES DE DÉMONSTRATION" in page.inner_text("#demo-badge")
    assert "CC BY 4.0" in page.inner_text("#attribution")
    page.screenshot(path=str(SCREENSHOTS / "main-fr.png"))

    # each filter changes the URL
    page.click("#filter-preset >> text=12 derniers mois")
    _wait_query(page, "preset", "12")
    page.click("#filter-level >> text=Cercles")
    _wait_query(page, "level", "2")
    _select(page, "filter-indicator", "Personnes déplacées", "ind", "idps")
    _select(page, "filter-sector", "Protection de l'enfance", "sector", "PRO-CPN")
    # protection monitoring is selected by default; adding an MRM category is flagged
    cats = "mrm_abduction,pm_gbv,pm_integrity,pm_liberty,pm_life,pm_property"
    _select(page, "filter-categories", "Enlèvements d'enfants", "cats", cats)
    page.wait_for_function(
        "() => document.querySelector('#key-figures-note').innerText.includes('Attention')"
    )
    assert "MRM" in page.inner_text("#key-figures-note")
    _select(page, "filter-start", "mars 2019", "start", "2019-03")
    assert _state(page).get("preset") == "custom"

    # région then cercle on the map
    page.click("#filter-level >> text=Régions")
    page.wait_for_function('() => !new URLSearchParams(window.location.search).has("level")')
    _click_map_unit(page, "ML05")
    _wait_query(page, "region", "ML05")
    _ready(page)
    _click_map_unit(page, "ML0501")
    _wait_query(page, "unit", "ML0501")
    page.wait_for_function("() => document.querySelector('#unit-panel h3')")
    assert "Bandiagara" in page.inner_text("#unit-panel")

    # CSV and XLSX exports of the cercle panel, as the browser saves them
    with page.expect_download() as download:
        page.click("#unit-export")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM survives the download
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Titre;") and "Indicateur;Valeur;Période précédente" in lines
    with page.expect_download() as download:
        page.click("#unit-export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames == ["Données", "Métadonnées"]
    assert book["Données"]["A1"].value == "Indicateur"

    # language switch
    page.click("#lang >> text=EN")
    _wait_query(page, "lang", "en")
    page.wait_for_timeout(800)
    assert "Key figures" in page.inner_text("#view-overview")
    assert "Chiffres clés" not in page.inner_text("body")
    page.wait_for_selector("#unit-partners .ag-header-cell-text >> text=Organisation")
    page.mouse.move(5, 5)  # no stale hover label (drawn before the switch) in the picture
    page.evaluate("() => Plotly.Fx.unhover(document.querySelector('#map .js-plotly-plot'))")
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / "main-en.png"))

    # deep link reproduces the view; back goes to the previous one
    link = page.url
    shown = page.inner_text("#map-title")
    page.goto(server + "/")
    _ready(page)
    page.goto(link)
    _ready(page)
    assert page.inner_text("#map-title") == shown
    assert "Bandiagara" in page.inner_text("#unit-panel")
    page.click("#lang >> text=FR")
    # the French page is drawn before going back (a fixed 800 ms was not always enough on a
    # busy machine: going back while the French texts were still on their way left them)
    page.wait_for_function(
        "() => document.getElementById('root').lang === 'fr'"
        " && document.querySelector('#view-overview').innerText.includes('Chiffres clés')",
        timeout=10_000,
    )
    page.go_back()
    page.wait_for_timeout(1500)
    assert _state(page).get("lang") == "en"
    page.wait_for_function(
        "() => document.querySelector('#view-overview').innerText.includes('Key figures')",
        timeout=10_000,
    )
    page.watch.check()


def _first_rows(page, grid: str, n: int = 5) -> list[str]:
    return page.evaluate(
        """([grid, n]) => [...document.querySelectorAll(`#${grid} .ag-center-cols-container .ag-row`)]
            .sort((a, b) => +a.getAttribute('row-index') - +b.getAttribute('row-index'))
            .slice(0, n).map(r => r.innerText)""",
        [grid, n],
    )


def test_gap_view_weights_and_export(page, server):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(server + "/?tab=gap&sector=PRO-GBV")
    page.wait_for_selector("#gap-table .ag-row", timeout=20_000)
    page.wait_for_timeout(2500)
    assert "Rang" in page.inner_text("#gap-table .ag-header")
    page.screenshot(path=str(SCREENSHOTS / "gap-fr.png"))
    with page.expect_download() as download:
        page.click("#gap-export")
    assert download.value.suggested_filename.endswith(".csv")

    # a weight typed in its box goes to the URL and re-ranks the priority grid
    before = _first_rows(page, "gap-table")
    box = page.locator("#weight-access-box")
    box.fill("1")
    box.press("Tab")  # the weight's text box commits on blur
    _wait_query(page, "wa", "1")
    page.wait_for_function(
        "(before) => document.querySelector('#gap-table .ag-center-cols-container')"
        " .innerText !== before",
        arg="\n".join(before),
        timeout=10_000,
    )
    page.wait_for_timeout(800)
    assert _first_rows(page, "gap-table") != before
    assert "accès 1" in page.inner_text("#gap-method")
    link = page.url
    page.goto(server + "/")
    _ready(page)
    page.goto(link)
    page.wait_for_selector("#gap-table .ag-row", timeout=20_000)
    page.wait_for_timeout(1000)
    assert _first_rows(page, "gap-table") != before
    page.watch.check()


def test_quality_tab(page, server):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(server + "/?tab=quality")
    page.wait_for_selector("#quality-grid .ag-row", timeout=20_000)
    page.wait_for_timeout(1000)
    text = page.inner_text("#view-quality")
    assert "Démonstration" in text and "Lignes lues" in text
    page.screenshot(path=str(SCREENSHOTS / "quality-fr.png"))
    page.goto(server + "/?tab=quality&lang=en")
    page.wait_for_selector("#quality-grid .ag-row", timeout=20_000)
    page.wait_for_timeout(1000)
    assert "Rows read" in page.inner_text("#view-quality")
    page.screenshot(path=str(SCREENSHOTS / "quality-en.png"))
    page.watch.check()


def test_briefing_mode(page, server):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(server + "/")
    _ready(page)
    page.click("#briefing-button")
    page.wait_for_timeout(1500)
    assert _state(page).get("mode") == "briefing"
    assert not page.is_visible("#filter-region")
    page.wait_for_selector("#briefing-priorities table", timeout=20_000)
    page.wait_for_timeout(2000)
    page.screenshot(path=str(SCREENSHOTS / "briefing-fr.png"))
    page.watch.check()


TOOLBARS = """() => Object.fromEntries([...document.querySelectorAll('.js-plotly-plot')].map(g => [
    g.closest('[id]').id,
    [...g.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))]))"""


def _toolbars(page) -> dict[str, list[str]]:
    return page.evaluate(TOOLBARS)


def test_chart_toolbar_in_the_page_language_without_cloud_link(page, server):
    page.goto(server + "/")
    _ready(page)
    bars = _toolbars(page)
    # the gap view is not mounted until its tab is opened (layouts.page.views)
    assert set(bars) == {"map", "trend-incidents", "trend-displacement"}
    assert page.locator("#view-gap, #view-quality").count() == 0
    for graph, titles in bars.items():
        assert "Télécharger le graphique en fichier PNG" in titles, (graph, titles)
        assert "Download plot as a PNG" not in titles
    everything = " ".join(t for titles in bars.values() for t in titles).casefold()
    for word in ("share", "partager", "cloud", "chart studio", "plotly"):
        assert word not in everything, word
    assert (
        page.locator(".modebar-btn--logo, a[href*='plotly.com'], a[href*='plot.ly']").count() == 0
    )

    # each graph takes the language with its next figure: at once for the graphs shown, when
    # its tab is opened for the gap map
    page.click("#lang >> text=EN")
    _wait_query(page, "lang", "en")
    shown = "#view-overview .js-plotly-plot .modebar-btn"
    page.wait_for_function(
        f"() => [...document.querySelectorAll('{shown}')]"
        ".every(b => !(b.getAttribute('data-title') || '').includes('Télécharger'))",
        timeout=10_000,
    )
    page.click("#tabs >> text=Gap analysis")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#gap-map .modebar-btn')]"
        ".some(b => b.getAttribute('data-title') === 'Download plot as a PNG')",
        timeout=10_000,
    )
    bars = _toolbars(page)
    assert set(bars) == {"map", "trend-incidents", "trend-displacement", "gap-map"}
    for graph, titles in bars.items():
        assert "Download plot as a PNG" in titles, (graph, titles)
        assert not any("Télécharger" in title for title in titles), (graph, titles)
    page.click("#tabs >> text=Overview")
    page.click("#lang >> text=FR")
    page.wait_for_function('() => !new URLSearchParams(window.location.search).has("lang")')
    page.wait_for_function(
        "() => [...document.querySelectorAll('#map .modebar-btn')]"
        ".some(b => b.getAttribute('data-title') === 'Télécharger le graphique en fichier PNG')",
        timeout=10_000,
    )
    # a deep link in English draws the toolbars in English from the start
    page.goto(server + "/?lang=en&tab=gap")
    page.wait_for_selector("#gap-table .ag-row", timeout=20_000)
    page.wait_for_timeout(1500)
    bars = _toolbars(page)
    assert set(bars) == {"map", "trend-incidents", "trend-displacement", "gap-map"}
    for graph, titles in bars.items():
        assert "Download plot as a PNG" in titles, (graph, titles)
    page.watch.check()


def test_copy_link_copies_the_view_address(browser, server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    page = context.new_page()
    watch = Watch(page, server)
    page.goto(server + "/?region=ML05&preset=12")
    _ready(page)
    assert page.inner_text("#copy-link") == "Copier le lien"
    page.click("#copy-link")
    page.wait_for_function(
        "() => document.querySelector('#copy-link-status').innerText === 'Lien copié'"
    )
    assert page.evaluate("() => navigator.clipboard.readText()") == page.url
    assert "region=ML05" in page.url and not page.is_visible("#copy-link-url")
    page.click("#lang >> text=EN")
    _wait_query(page, "lang", "en")
    page.wait_for_function("() => document.querySelector('#copy-link').innerText === 'Copy link'")
    page.click("#copy-link")
    page.wait_for_function(
        "() => document.querySelector('#copy-link-status').innerText === 'Link copied'"
    )
    assert "lang=en" in page.evaluate("() => navigator.clipboard.readText()")
    watch.check()
    context.close()


def test_copy_link_falls_back_to_a_selected_box_without_clipboard_api(browser, server):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    context.add_init_script(
        "Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined});"
        "document.execCommand = () => false;"  # as in a browser that refuses both ways
    )
    page = context.new_page()
    watch = Watch(page, server)
    page.goto(server + "/?region=ML07")
    _ready(page)
    page.click("#copy-link")
    page.wait_for_selector("#copy-link-url", state="visible")
    assert page.input_value("#copy-link-url") == page.url
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'copy-link-url'"
        " && document.activeElement.selectionEnd === document.activeElement.value.length"
    )
    assert page.inner_text("#copy-link-status") == "Copiez le lien sélectionné (Ctrl+C)"
    watch.check()
    context.close()
