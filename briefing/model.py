"""What a briefing pack shows, as plain frozen data (texts and formatted numbers).

Filled by :func:`briefing.content.collect` from the publishing gate; read by the maps, charts
and the three writers, which compute nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    previous: str
    change: str
    direction: str = ""  # "up", "down" or ""


@dataclass(frozen=True)
class Table:
    """A table as shown: header texts, rows of texts, which columns are numbers."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    strong: tuple[bool, ...] = ()  # rows to emphasise (priority gaps)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class MapContent:
    """One map: a value per unit as the gate returned it (``None``: no data or withheld)."""

    title: str
    level: int
    units: tuple[str, ...]
    names: tuple[str, ...]
    values: tuple[float | None, ...]
    labels: tuple[str, ...]  # formatted values ("réservé aux membres" where hidden)
    hidden: tuple[bool, ...]
    unit_label: str
    bivariate: bool
    region: str  # the selected région ("" = Mali): outlined on the map
    notes: tuple[str, ...] = ()
    marks: tuple[tuple[str, str], ...] = ()  # (unit, text) drawn on the map: priority ranks


@dataclass(frozen=True)
class TrendContent:
    title: str
    incidents: pd.DataFrame  # month label x category label; withheld categories left out
    incident_notes: tuple[str, ...]
    displacement_title: str
    displacement: pd.DataFrame  # month label x measure label
    axis_events: str
    axis_people: str


@dataclass(frozen=True)
class BriefingContent:
    lang: str
    role: str
    is_demo: bool
    scope: str  # "" for Mali, else the région p-code
    scope_name: str
    start: str
    end: str
    title: str
    subtitle: str  # scope and period
    info_lines: tuple[str, ...]  # data dates, displacement date, view, production date
    sources: tuple[str, ...]
    key_figures: tuple[KeyFigure, ...]
    key_notes: tuple[str, ...]
    incidents_map: MapContent
    unit_tables: tuple[Table, ...]
    gap_map: MapContent
    priorities: Table
    deserts: tuple[str, ...]
    trends: TrendContent
    method: tuple[str, ...]
    protection_title: str
    protection: str
    demo_badge: str
    demo_note: str
    view: str
    footer: str
    headings: dict[str, str] = field(default_factory=dict)
