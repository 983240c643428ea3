"""Texts that explain a figure, shared by the page and the briefing pack (no Dash import)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analysis import gate
from layouts.i18n import t

if TYPE_CHECKING:
    from analysis.dataset import DashboardData


def families_note(data: DashboardData, state: dict) -> list[str]:
    """Which counting systems the incident figures add up, and a caution when several."""
    lang = state["lang"]
    families = gate.families_of(gate.selected_categories(data, state))
    if not families:
        return []
    names = " + ".join(t(f"family_{f}", lang) for f in families)
    lines = [t("kf_families", lang, families=names)]
    if len(families) > 1:
        lines.append(t("kf_overlap", lang))
    return lines
