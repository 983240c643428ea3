"""The view state: every filter, the selected unit, language and mode, and its query string.

One plain dict is the single source of truth of what is on screen. It round-trips through the
URL query string (deep links, back/forward) and is validated against the data on the way in,
so a hand-edited or stale link never breaks the page: unknown values fall back to defaults.
No Dash import: tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import pandas as pd

from layouts.i18n import DEFAULT_LANGUAGE, LANGUAGES

PRESETS = ("1", "3", "12", "year", "custom")
DEFAULT_PRESET = "3"
TABS = ("overview", "gap", "quality")
MODES = ("", "briefing")
INDICATORS = (
    "incidents",
    "incidents_10k",
    "fatalities",
    "idps",
    "returnees",
    "partners",
    "access",
    "need",
    "coverage",
    "gap",
)
DEFAULT_INDICATOR = "incidents"


@dataclass(frozen=True)
class Domain:
    """What valid values look like for this dataset (months, units, categories, sectors)."""

    months: tuple[str, ...]  # 'YYYY-MM', ascending
    regions: frozenset[str]
    units: frozenset[str]  # every unit id of levels 1 and 2
    categories: frozenset[str]
    sectors: frozenset[str]

    @property
    def last_month(self) -> str:
        return self.months[-1]


def shift_month(month: str, delta: int) -> str:
    period = pd.Period(month, freq="M") + delta
    return str(period)


def preset_range(preset: str, last_month: str) -> tuple[str, str]:
    """Start and end month of a preset, relative to the data's last month."""
    if preset == "1":
        return last_month, last_month
    if preset == "3":
        return shift_month(last_month, -2), last_month
    if preset == "12":
        return shift_month(last_month, -11), last_month
    if preset == "year":
        return f"{last_month[:4]}-01", last_month
    raise ValueError(f"no range for preset {preset!r}")


def default_state(domain: Domain) -> dict:
    start, end = preset_range(DEFAULT_PRESET, domain.last_month)
    return {
        "lang": DEFAULT_LANGUAGE,
        "mode": "",
        "tab": "overview",
        "level": 1,
        "region": "",
        "start": start,
        "end": end,
        "preset": DEFAULT_PRESET,
        "cats": [],
        "sector": "",
        "ind": DEFAULT_INDICATOR,
        "unit": "",
    }


def clean_state(raw: dict, domain: Domain) -> dict:
    """A valid state from anything (values outside the domain fall back to the default)."""
    state = default_state(domain)
    if raw.get("lang") in LANGUAGES:
        state["lang"] = raw["lang"]
    if raw.get("mode") in MODES:
        state["mode"] = raw["mode"]
    if raw.get("tab") in TABS:
        state["tab"] = raw["tab"]
    if str(raw.get("level")) in ("1", "2"):
        state["level"] = int(raw["level"])
    if raw.get("region") in domain.regions:
        state["region"] = raw["region"]
    if raw.get("ind") in INDICATORS:
        state["ind"] = raw["ind"]
    if raw.get("sector") in domain.sectors:
        state["sector"] = raw["sector"]
    cats = raw.get("cats") or []
    if isinstance(cats, str):
        cats = [c for c in cats.split(",") if c]
    state["cats"] = sorted(c for c in cats if c in domain.categories)
    if raw.get("unit") in domain.units:
        state["unit"] = raw["unit"]
    preset = raw.get("preset")
    if preset in PRESETS and preset != "custom":
        state["preset"] = preset
        state["start"], state["end"] = preset_range(preset, domain.last_month)
    elif raw.get("start") in domain.months and raw.get("end") in domain.months:
        start, end = sorted([raw["start"], raw["end"]])
        state.update(preset="custom", start=start, end=end)
    return state


def to_query(state: dict, domain: Domain) -> str:
    """Query string (with '?', or '' for the default view) holding every non-default value."""
    default = default_state(domain)
    params: list[tuple[str, str]] = []
    for key in (
        "lang",
        "mode",
        "tab",
        "level",
        "region",
        "preset",
        "start",
        "end",
        "cats",
        "sector",
        "ind",
        "unit",
    ):
        value = state.get(key)
        custom_range = key in ("start", "end") and state.get("preset") == "custom"
        if key in ("start", "end") and not custom_range:
            continue
        if value == default[key] and not custom_range:
            continue
        params.append((key, ",".join(value) if isinstance(value, list) else str(value)))
    return "?" + urlencode(params, safe=",") if params else ""


def from_query(search: str | None, domain: Domain) -> dict:
    parsed = parse_qs((search or "").lstrip("?"), keep_blank_values=False)
    raw = {key: values[-1] for key, values in parsed.items()}
    return clean_state(raw, domain)


# The controls of the filter bar, in the order the router callback lists them.
CONTROL_KEYS = ("level", "region", "start", "end", "preset", "cats", "sector", "ind", "lang", "tab")


def controls_of(state: dict) -> list:
    return [state[key] for key in CONTROL_KEYS]


def apply_controls(state: dict, values: Iterable, changed: set[str], domain: Domain) -> dict:
    """New state after the user changed the controls named in ``changed``."""
    new = dict(state)
    new.update(dict(zip(CONTROL_KEYS, values, strict=True)))
    new["cats"] = new.get("cats") or []
    new["sector"] = new.get("sector") or ""
    new["region"] = new.get("region") or ""
    if "preset" in changed and new.get("preset") in PRESETS and new["preset"] != "custom":
        new["start"], new["end"] = preset_range(new["preset"], domain.last_month)
    elif changed & {"start", "end"}:
        new["preset"] = "custom"
    if "region" in changed:
        new["unit"] = ""
        if new["region"]:
            new["level"] = 2  # a région shows its cercles
    if "level" in changed:
        new["unit"] = ""
    return clean_state(new, domain)


def select_unit(state: dict, unit_id: str, level_of_unit: int, domain: Domain) -> dict:
    """Clicking a région zooms to it and shows its cercles; clicking a cercle selects it."""
    new = dict(state)
    if level_of_unit == 1:
        new.update(region=unit_id, level=2, unit="")
    else:
        new["unit"] = unit_id
    return clean_state(new, domain)
