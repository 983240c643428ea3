"""French and English texts of the dashboard (French first: the cluster's working language).

The texts live in gettext catalogues a translator can edit without touching code:
``layouts/locales/<lang>/LC_MESSAGES/messages.po``, one per language, ``msgid`` = the key the
code asks for, ``msgstr`` = the text (with the other language's text as a comment). They are
read once at import with Babel (no compile step) into plain dicts, so ``t(key, lang)`` is a dict
lookup. Numbers, months and dates are written with Babel's CLDR locale data, never with the
browser's locale. Vocabulary labels (categories, sub-sectors, access constraints) come from
:mod:`data.vocab`. ``tests/test_i18n.py`` checks that both catalogues are complete and walks the
layout in both languages for any text that is not in them.
"""

from __future__ import annotations

import datetime
import math
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_skeleton
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_pattern

from analysis.protection import WITHHELD
from data.vocab import ACCESS_CONSTRAINTS, CATEGORY_BY_CODE, PROTECTION_SECTORS

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
# The Babel (CLDR) locale of each page language: its number, month and date conventions.
BABEL_LOCALES = {"fr": Locale.parse("fr"), "en": Locale.parse("en")}


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


def read_catalogue(lang: str) -> dict[str, str]:
    """``{key: text}`` of one language's ``.po`` file (the header entry left out)."""
    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    return {str(m.id): str(m.string) for m in catalog if m.id}


TEXTS: dict[str, dict[str, str]] = {lang: read_catalogue(lang) for lang in LANGUAGES}
# The same texts by key, then language (what the rest of the code has always read).
CATALOGUE: dict[str, dict[str, str]] = {
    key: {lang: TEXTS[lang].get(key, "") for lang in LANGUAGES} for key in TEXTS[DEFAULT_LANGUAGE]
}

DROPDOWN_KEYS = (
    "select_all",
    "deselect_all",
    "selected_count",
    "search",
    "clear_search",
    "clear_selection",
    "no_options_found",
)
# dcc.Dropdown's own texts ("{num_selected}" is filled in by the dropdown itself).
DROPDOWN_LABELS = {
    lang: {k: TEXTS[lang][f"dropdown_{k}"] for k in DROPDOWN_KEYS} for lang in LANGUAGES
}


def dropdown_labels(lang: str | None) -> dict[str, str]:
    """Texts inside dcc.Dropdown (search box, select all...), which default to English."""
    return dict(DROPDOWN_LABELS[lang_or_default(lang)])


def lang_or_default(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str | None, **values: object) -> str:
    """The text of ``key`` in ``lang``; raises KeyError for an unknown key (caught by tests)."""
    text = TEXTS[lang_or_default(lang)][key]
    return text.format(**values) if values else text


def category_label(code: str, lang: str | None) -> str:
    cat = CATEGORY_BY_CODE.get(code)
    if cat is None:
        return code
    return cat.fr if lang_or_default(lang) == "fr" else cat.en


def sector_label(code: str, lang: str | None) -> str:
    labels = PROTECTION_SECTORS.get(code)
    if labels is None:
        return code
    return labels[0] if lang_or_default(lang) == "fr" else labels[1]


def constraint_label(code: str, lang: str | None) -> str:
    labels = ACCESS_CONSTRAINTS.get(code)
    if labels is None:
        return code
    return labels[0] if lang_or_default(lang) == "fr" else labels[1]


@lru_cache(maxsize=4096)
def month_label(month: str, lang: str | None) -> str:
    """'2019-09' -> 'sept. 2019' / 'Sep 2019' (CLDR's abbreviated month and year)."""
    day = datetime.date(int(month[:4]), int(month[5:7]), 1)
    return format_skeleton("yMMM", day, locale=BABEL_LOCALES[lang_or_default(lang)])


@lru_cache(maxsize=4096)
def month_abbr(month: str, lang: str | None) -> str:
    """'2019-09' -> 'sept.' / 'Sep' (CLDR's abbreviated month, for chart axes)."""
    day = datetime.date(int(month[:4]), int(month[5:7]), 1)
    return format_skeleton("MMM", day, locale=BABEL_LOCALES[lang_or_default(lang)])


@lru_cache(maxsize=4096)
def date_label(date: str, lang: str | None) -> str:
    """'2019-09-30' -> '30 sept. 2019' / 'Sep 30, 2019' (CLDR's medium date)."""
    day = datetime.date(int(date[:4]), int(date[5:7]), int(date[8:10]))
    return format_skeleton("yMMMd", day, locale=BABEL_LOCALES[lang_or_default(lang)])


@lru_cache(maxsize=16)
def _decimal_pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def _missing(value) -> bool:
    try:
        return value is None or math.isnan(value)
    except TypeError:
        return False


def number(value: float | int | None, lang: str | None, decimals: int = 0) -> str:
    """Numbers written the local way (CLDR): 61 083 (narrow no-break space) and 2,5 in French;
    61,083 and 2.5 in English."""
    if _missing(value):
        return "–"
    return _number(float(value), lang_or_default(lang), decimals)


@lru_cache(maxsize=65_536)
def _number(value: float, lang: str, decimals: int) -> str:
    """Babel's formatting costs tens of microseconds; a chart or a map writes the same small
    counts again and again, so each (value, language, decimals) is formatted once."""
    return _decimal_pattern(decimals).apply(value, BABEL_LOCALES[lang])


# Model display strings use a narrow no-break space between thousands and a decimal point.
_LOCAL_DIGITS = {
    lang: str.maketrans({"\u202f": get_group_symbol(locale), ".": get_decimal_symbol(locale)})
    for lang, locale in BABEL_LOCALES.items()
}


def local_number(text: str, lang: str | None) -> str:
    """Model display strings ("11\u202f280", "12.5") written the page's way (FR or EN)."""
    if text == WITHHELD:
        return t("members_only", lang)
    return text.translate(_LOCAL_DIGITS[lang_or_default(lang)])


def percent_change(value: float | None, lang: str | None) -> str:
    """A relative change with its sign: "+12 %" / "−3 %" in French, "+12%" in English."""
    if _missing(value) or math.isinf(value):
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    locale = BABEL_LOCALES[lang_or_default(lang)]
    return sign + locale.percent_formats[None].apply(abs(value), locale)
