"""Ready for the meeting room: every width, both languages, the page's language and numbers.

One server and one browser for the module; one page per width, reused across tabs and the
language switch. At 1920 x 1080, 1366 x 768 and 390 x 844, in French and English, the main view,
the gap tab and the quality tab have no horizontal overflow, no clipped key figure and readable
month labels on the trend charts; ``<html lang>`` follows the language; a weight typed "0,5" in
a French browser is read as 0.5. Screenshots land in ``screenshots/`` (gitignored).
"""

from __future__ import annotations

import urllib.request

import pytest

from tests.browser.test_dashboard_browser import (  # noqa: F401  (the same skip marks)
    SCREENSHOTS,
    Watch,
    pytestmark,
)

WIDTHS = [(1920, 1080), (1366, 768), (390, 844)]
TAB_LABELS = {
    "fr": {
        "overview": "Vue d'ensemble",
        "gap": "Analyse des lacunes",
        "quality": "Qualité des données",
    },
    "en": {"overview": "Overview", "gap": "Gap analysis", "quality": "Data quality"},
}
# What shows that a view is drawn, in each language.
READY = {
    "overview": "() => document.querySelectorAll('#key-figures .kf-value').length > 0"
    " && document.querySelector('#trend-incidents .xtick')"
    " && document.querySelector('#trend-displacement .xtick')",
    "gap": "() => document.querySelector('#gap-table .ag-row')",
    "quality": "() => document.querySelector('#quality-grid .ag-row')",
}
HEADINGS = {
    ("overview", "fr"): "Chiffres clés",
    ("overview", "en"): "Key figures",
    ("gap", "fr"): "Pondération",
    ("gap", "en"): "Need index weights",
    ("quality", "fr"): "Qualité des données par flux",
    ("quality", "en"): "Data quality by stream",
}

MEASURE = """() => {
    const visible = (el) => el.offsetParent !== null;
    const kf = [...document.querySelectorAll('.kf-value')].filter(visible);
    const clipped = kf.filter((el) => el.scrollWidth > el.clientWidth + 0.5)
        .map((el) => el.innerText);
    const wide = [...document.querySelectorAll('#view-overview, #view-gap, #view-quality, header,'
        + ' footer, .filter-bar, .card')].filter(visible)
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
        .map((el) => el.id || el.className);
    const narrow = [...document.querySelectorAll('.ag-header-cell')].filter(visible)
        .filter((el) => el.getBoundingClientRect().width < 60)
        .map((el) => el.innerText);
    const ticks = [];
    for (const id of ['trend-incidents', 'trend-displacement']) {
        const graph = document.getElementById(id);
        if (!graph || !visible(graph)) continue;
        const box = graph.querySelector('.main-svg').getBoundingClientRect();
        for (const text of graph.querySelectorAll('.xtick text')) {
            const r = text.getBoundingClientRect();
            const rotated = /rotate\\((?!0[,)])/.test(text.getAttribute('transform') || '');
            const out = r.left < box.left - 0.5 || r.right > box.right + 0.5
                || r.bottom > box.bottom + 0.5;
            if (rotated || out) ticks.push(id + ': ' + text.textContent);
        }
    }
    return {
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
        lang: document.documentElement.lang,
        kf: kf.length,
        clipped,
        wide,
        narrow,
        ticks,
    };
}"""


def _settle(page, tab: str, lang: str):
    page.wait_for_function(
        "(lang) => document.documentElement.lang === lang", arg=lang, timeout=20_000
    )
    page.wait_for_function(READY[tab], timeout=20_000)
    page.wait_for_function(
        "(text) => [...document.querySelectorAll('main .card-title')]"
        ".some((el) => el.offsetParent !== null && el.innerText.includes(text))",
        arg=HEADINGS[(tab, lang)],
        timeout=20_000,
    )
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=20_000
    )
    page.wait_for_timeout(600)  # charts and grids take their final size


def _check(page, width: int, tab: str, lang: str):
    _settle(page, tab, lang)
    found = page.evaluate(MEASURE)
    page.screenshot(path=str(SCREENSHOTS / f"width-{width}-{lang}-{tab}.png"), full_page=True)
    where = f"{width}px {lang} {tab}"
    assert found["lang"] == lang, where
    assert found["scroll"] <= found["inner"], (where, found)
    assert not found["wide"], (where, found["wide"])
    assert not found["narrow"], (where, found["narrow"])  # no one-letter-wide table column
    if tab == "overview":
        assert found["kf"] >= 6, where
        assert not found["clipped"], (where, found["clipped"])
        assert not found["ticks"], (where, found["ticks"])


def _tab(page, tab: str, lang: str):
    page.click(f"#tabs >> text={TAB_LABELS[lang][tab]}")


@pytest.mark.parametrize("width,height", WIDTHS, ids=[f"{w}x{h}" for w, h in WIDTHS])
def test_every_width_both_languages(browser, server, width, height):  # noqa: F811
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    watch = Watch(page, server)
    try:
        page.goto(server + "/")
        _check(page, width, "overview", "fr")
        _tab(page, "gap", "fr")
        _check(page, width, "gap", "fr")
        _tab(page, "quality", "fr")
        _check(page, width, "quality", "fr")
        page.click("#lang >> text=EN")  # the language switch, on the quality tab
        _check(page, width, "quality", "en")
        _tab(page, "gap", "en")
        _check(page, width, "gap", "en")
        _tab(page, "overview", "en")
        _check(page, width, "overview", "en")
        watch.check()
    finally:
        context.close()


def test_html_lang_from_the_first_byte_and_on_switch(browser, server):  # noqa: F811
    with urllib.request.urlopen(server + "/") as response:
        assert '<html lang="fr">' in response.read().decode("utf-8")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(server + "/?lang=en")
        page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=20_000)
        page.click("#lang >> text=FR")
        page.wait_for_function("() => document.documentElement.lang === 'fr'", timeout=10_000)
        assert "lang" not in page.evaluate("() => window.location.search")
    finally:
        context.close()


def _query(page, key: str):
    return page.evaluate("(k) => new URLSearchParams(window.location.search).get(k)", key)


def test_weight_typed_with_a_decimal_comma_in_a_french_browser(browser, server):  # noqa: F811
    """The finding: "0,5" typed in a French-locale browser set the weight to 1."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    watch = Watch(page, server)
    try:
        page.goto(server + "/?tab=gap")
        page.wait_for_selector("#gap-table .ag-row", timeout=20_000)
        box = page.locator("#weight-incidents-box")
        assert box.input_value() == "0,4"
        assert box.get_attribute("inputmode") == "decimal"
        box.fill("0,5")
        box.press("Tab")
        page.wait_for_function(
            "() => new URLSearchParams(window.location.search).get('wi') === '0.5'",
            timeout=10_000,
        )
        page.wait_for_function(
            "() => document.querySelector('#gap-method').innerText.includes('incidents 0,5')",
            timeout=10_000,
        )
        assert box.input_value() == "0,5"
        slider = page.locator("#weight-incidents")  # the browser's range input
        assert slider.get_attribute("type") == "range" and slider.input_value() == "0.5"

        # not a weight: the box shows the weight in use again, nothing else changes
        box.fill("2")
        box.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('#weight-incidents-box').value === '0,5'",
            timeout=10_000,
        )
        assert _query(page, "wi") == "0.5"

        # in English the box shows "0.5" and reads "0.25" the English way
        page.click("#lang >> text=EN")
        page.wait_for_function(
            "() => document.querySelector('#weight-incidents-box').value === '0.5'",
            timeout=10_000,
        )
        box.fill("0.25")
        box.press("Tab")
        page.wait_for_function(
            "() => new URLSearchParams(window.location.search).get('wi') === '0.25'",
            timeout=10_000,
        )
        page.wait_for_function(
            "() => document.querySelector('#gap-method').innerText.includes('incidents 0.25')",
            timeout=10_000,
        )
        watch.check()
    finally:
        context.close()
