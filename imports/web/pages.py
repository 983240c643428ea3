"""Rendering of the import screens: Jinja templates in ``templates/``, every value escaped,
the locally served Bootstrap CSS and one local script (no CDN, no inline script)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Response, request
from jinja2 import Environment, FileSystemLoader, select_autoescape

from accounts.web.pages import BOOTSTRAP_CSS
from imports.web.i18n import texts
from layouts.i18n import number

TEMPLATES = Path(__file__).resolve().parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True))


def when(value: datetime | None, lang: str) -> str:
    """A UTC time as ``2026-11-27 10:41``; empty for None."""
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def size_text(n_bytes: int, lang: str) -> str:
    """A size the way the limit is configured: 512 Mio / 512 MiB, 2 Kio, 900 octets."""
    units = ("octets", "Kio", "Mio", "Gio") if lang == "fr" else ("bytes", "KiB", "MiB", "GiB")
    value, unit = float(n_bytes), 0
    while value >= 1024 and unit < len(units) - 1:
        value, unit = value / 1024, unit + 1
    return f"{number(value, lang, 0 if value >= 10 or unit == 0 else 1)} {units[unit]}"


def lang_url(path: str, lang: str, **query: Any) -> str:
    """``path`` with ``query`` and ``lang=en`` when the page is in English."""
    args = {k: v for k, v in query.items() if v not in (None, "")}
    if lang == "en":
        args["lang"] = "en"
    return f"{path}?{urlencode(args)}" if args else path


def render(template: str, lang: str, title: str, *, status: int = 200, **context: Any) -> Response:
    """A complete page; never cached (it shows names and unpublished data)."""
    t = texts(lang)
    other = "fr" if lang == "en" else "en"
    args = request.args.to_dict()
    args["lang"] = other
    root = request.script_root
    html = _env.get_template(template).render(
        lang=lang,
        t=t,
        title=title,
        root=root,
        css=BOOTSTRAP_CSS,
        other_lang=other,
        other_query=urlencode(args),
        number=lambda value, decimals=0: number(value, lang, decimals),
        when=lambda value: when(value, lang),
        url=lambda path, **query: lang_url(root + path, lang, **query),
        **context,
    )
    response = Response(html, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def message(lang: str, title_key: str, text: str, status: int, level: str = "danger") -> Response:
    """An error or notice page (400, 403, 404, 503…)."""
    return render(
        "message.html", lang, texts(lang)[title_key], status=status, text=text, level=level
    )
