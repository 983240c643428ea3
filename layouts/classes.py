"""The gap classes in words, the same everywhere (page, grids, briefing pack): no Dash import."""

from __future__ import annotations

import pandas as pd

from layouts.i18n import t


def gap_class_text(need_class, coverage_class, lang: str) -> str:
    """The map's class of a cercle in words: "besoin élevé · couverture faible"."""
    if pd.isna(need_class) or pd.isna(coverage_class):
        return "–"
    return (
        f"{t(f'need_class_{int(need_class)}', lang)} · "
        f"{t(f'cover_class_{int(coverage_class)}', lang)}"
    )


def token_text(value: str, lang: str) -> str | None:
    """A gate class token in words ("class:need:3" -> "besoin élevé"); None for other values."""
    if not value.startswith("class:"):
        return None
    _, kind, code = value.split(":")
    return t(f"{kind}_class_{code}", lang)
