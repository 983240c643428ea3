"""Every text of the page exists in French and English; no untranslated string in either."""

from __future__ import annotations

import pytest
from dash import dcc

from callbacks import views
from layouts.i18n import CATALOGUE, LANGUAGES, number, t

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
    assert number(61083, "fr") == "61\u202f083"
    assert number(2.5, "fr", 1) == "2,5"
    assert number(61083, "en") == "61,083"
