"""Every text of the page exists in French and English; no untranslated string in either.

The ``.po`` catalogues are checked for completeness (same keys, no empty or fuzzy text, same
placeholders, every key the code asks for); numbers, months and dates follow Babel's locale data.
"""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from dash import dcc

from callbacks import views
from layouts.i18n import (
    CATALOGUE,
    LANGUAGES,
    LOCALES_DIR,
    date_label,
    local_number,
    month_label,
    number,
    percent_change,
    po_path,
    t,
)
from layouts.tables import TileText
from tests.attacker import markdown_rows

ROOT = Path(__file__).resolve().parents[1]

# Texts that are the same in both languages on purpose (codes, names, symbols, numbers).
NEUTRAL = {"FR", "EN", "–", "↑", " → ", "<5", "PDF", "PPTX"}  # file formats: the same words


def _strings(component, out):
    """Every string child and every label/placeholder of a component tree."""
    if isinstance(component, str):
        out.append(component)
        return
    if isinstance(component, (list, tuple)):
        for child in component:
            _strings(child, out)
        return
    if component is None or isinstance(component, (int, float)):
        return
    if isinstance(component, dict):  # key-figure tiles by key
        _strings(list(component.values()), out)
        return
    if isinstance(component, TileText):
        _strings([component.value, component.change], out)
        return
    if isinstance(component, dcc.Markdown):  # a table: its cells
        _strings([cell for row in markdown_rows(component.children) for cell in row], out)
        return
    for prop in ("children", "label", "placeholder", "title"):
        value = getattr(component, prop, None)
        if value is not None and (prop != "children" or not isinstance(component, dcc.Graph)):
            _strings(value, out)
    for column in getattr(component, "columnDefs", None) or []:  # AG Grid headers
        _strings(column.get("headerName"), out)
    options = getattr(component, "options", None)
    if isinstance(options, list):
        for option in options:
            if isinstance(option, dict):
                _strings(option.get("label"), out)


def _grid_strings(columns, options, out):
    """AG Grid headers and the grid's own texts (no rows, loading)."""
    for column in columns:
        _strings(column.get("headerName"), out)
    _strings(list(options.get("localeText", {}).values()), out)


def test_every_key_has_french_and_english():
    for key, texts in CATALOGUE.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key


def _po(lang: str):
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, abort_invalid=True)


def test_one_catalogue_per_language():
    assert sorted(p.name for p in LOCALES_DIR.iterdir() if p.is_dir()) == sorted(LANGUAGES)
    for lang in LANGUAGES:
        assert _po(lang).locale.language == lang


def test_catalogues_are_complete_and_consistent():
    """Same keys in every language, each once, with a non-empty, non-fuzzy text, the same
    {placeholders}, and the other language's text as a comment for the translator."""
    catalogues = {lang: _po(lang) for lang in LANGUAGES}
    keys = {lang: [str(m.id) for m in cat if m.id] for lang, cat in catalogues.items()}
    reference = keys[LANGUAGES[0]]
    for lang in LANGUAGES:
        source = po_path(lang).read_text(encoding="utf-8")
        assert source.count("\nmsgid ") == len(keys[lang]) + 1, f"{lang}: a msgid is repeated"
        assert sorted(keys[lang]) == sorted(reference), lang
        assert not catalogues[lang].obsolete, lang
        for message in catalogues[lang]:
            if not message.id:
                continue
            assert isinstance(message.string, str) and message.string.strip(), (lang, message.id)
            assert not message.fuzzy, (lang, message.id)
            assert message.auto_comments, (lang, message.id)

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}

    for key in reference:
        found = {lang: fields(t(key, lang)) for lang in LANGUAGES}
        assert len({frozenset(f) for f in found.values()}) == 1, (key, found)


def _keys_used_in_code() -> tuple[set[str], set[str]]:
    """Literal keys (and f-string key prefixes) passed to t(), T() and card() in the app."""
    literal, prefixes = set(), set()
    files = [
        ROOT / "app.py",
        *(ROOT / "layouts").rglob("*.py"),
        *(ROOT / "callbacks").rglob("*.py"),
    ]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in ("t", "T", "card"):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                literal.add(first.value)
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                prefixes.add(first.values[0].value)
    return literal, prefixes


def test_every_key_the_code_asks_for_is_in_the_catalogues():
    literal, prefixes = _keys_used_in_code()
    assert len(literal) > 50  # the scan does find the calls
    assert literal - set(CATALOGUE) == set()
    for prefix in prefixes:
        assert any(key.startswith(prefix) for key in CATALOGUE), prefix


@pytest.fixture(scope="module")
def pages(data):
    from app import page_meta
    from callbacks.state import default_state
    from layouts.header import Viewer
    from layouts.page import build_layout

    domain = data.domain()
    out = {}
    for lang in LANGUAGES:
        state = {**default_state(domain), "lang": lang, "unit": "ML0501"}
        strings: list[str] = []
        _strings(build_layout(state, page_meta(data)), strings)
        _strings(build_layout(state, page_meta(data), Viewer("admin", "", "token")), strings)
        for producer in (
            views.key_figures_view,
            views.families_note_view,
            views.unit_panel_view,
            views.briefing_priorities,
        ):
            for role in ("public", "member"):
                _strings(producer(data, state, role), strings)
        _strings(
            views.incident_trend_view(data, state, "public")["layout"]["annotations"][0]["text"],
            strings,
        )
        gap = views.gap_view(data, state, "public")
        _strings([gap["deserts"], gap["method"], views.map_title(data, state)], strings)
        _grid_strings(gap["columns"], gap["options"], strings)
        quality = views.quality_view(data, state, "public")
        _strings(quality["notes"], strings)
        for rows, columns in (quality["summary"], quality["reasons"], quality["unresolved"]):
            _grid_strings(columns, quality["options"], strings)
            for row in rows:
                _strings([v for k, v in row.items() if k in ("stream", "origin")], strings)
        partners = views.partners_view(data, state, "public")
        _grid_strings(partners["columns"], partners["options"], strings)
        for row in partners["rows"]:
            _strings(row["sectors"], strings)
        out[lang] = strings
    return out


def _allowed(data) -> set[str]:
    names = set(data.names(1)) | set(data.names(1).values) | set(data.names(2).values)
    return NEUTRAL | names


def test_layout_has_no_untranslated_string(data, pages):
    french, english = set(pages["fr"]), set(pages["en"])
    allowed = _allowed(data)
    same = {
        s
        for s in french & english
        if any(ch.isalpha() for ch in s) and s not in allowed and not _is_data_value(s, allowed)
    }
    # Words that are honestly the same in both languages.
    identical = {t(k, "fr") for k in CATALOGUE if t(k, "fr") == t(k, "en")}
    assert same <= identical, sorted(same - identical)


def _is_data_value(text: str, allowed: set[str]) -> bool:
    """Numbers, month labels, place names (with their région in brackets), dates, codes."""
    stripped = text.replace("\u202f", "").replace(",", "").replace(".", "").replace(" ", "")
    if stripped.replace("-", "").replace("%", "").replace("+", "").replace("−", "").isdigit():
        return True
    return any(text.startswith(name) for name in allowed if len(name) > 2)


def test_no_english_text_in_french_page(pages):
    english_only = {t(k, "en") for k in CATALOGUE if t(k, "fr") != t(k, "en")}
    leaked = [s for s in pages["fr"] if s in english_only]
    assert not leaked


def test_french_numbers_use_narrow_space_and_comma():
    assert number(61083, "fr") == "61\u202f083"  # CLDR's French group separator (U+202F)
    assert number(2.5, "fr", 1) == "2,5"
    assert number(61083, "en") == "61,083"
    assert number(1234567.25, "en", 2) == "1,234,567.25"
    assert number(None, "fr") == number(float("nan"), "en") == "–"
    assert local_number("11\u202f280", "en") == "11,280"
    assert local_number("12.5", "fr") == "12,5"
    assert local_number("11\u202f280", "fr") == "11\u202f280"


def test_months_dates_and_changes_from_locale_data():
    assert month_label("2019-09", "fr") == "sept. 2019"
    assert month_label("2019-01", "fr") == "janv. 2019"
    assert month_label("2019-12", "en") == "Dec 2019"
    assert date_label("2019-09-30", "fr") == "30 sept. 2019"
    assert date_label("2019-09-30", "en") == "Sep 30, 2019"
    assert percent_change(0.123, "fr") == "+12\u00a0%"  # no break between number and sign
    assert percent_change(-0.5, "en") == "−50%"
    assert percent_change(0, "en") == "±0%"
    assert percent_change(None, "fr") == percent_change(float("inf"), "fr") == "–"
