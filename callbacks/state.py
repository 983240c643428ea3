"""The view state: every filter, the selected unit, language and mode, and its query string.

One plain dict is the single source of truth of what is on screen. It round-trips through the
URL query string (deep links, back/forward) and is validated against the data on the way in,
so a hand-edited or stale link never breaks the page: unknown values fall back to defaults.
No Dash import: tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qs, urlencode

import pandas as pd

from analysis.domain import Domain
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
# Need-index weights (incidents / displacement / access): state keys and their defaults.
WEIGHT_KEYS = ("wi", "wd", "wa")
DEFAULT_WEIGHTS = {"wi": 0.4, "wd": 0.4, "wa": 0.2}


@lru_cache(maxsize=4096)
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
        "cats": sorted(domain.default_categories),
        "sector": "",
        "ind": DEFAULT_INDICATOR,
        "unit": "",
        **DEFAULT_WEIGHTS,
    }


def clean_weight(value) -> float | None:
    """A weight from a control or a link: a number in [0, 1] with 2 decimals, else None.

    A French browser may send "0,5": the decimal comma is read as a point.
    """
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    if number != number or not 0 <= number <= 1:  # NaN or out of range
        return None
    return round(number, 2)


def weights_of(state: dict) -> dict[str, float]:
    """Need-index weights of a state, as analysis.gap expects them."""
    return {
        "incidents": float(state.get("wi", DEFAULT_WEIGHTS["wi"])),
        "displacement": float(state.get("wd", DEFAULT_WEIGHTS["wd"])),
        "access": float(state.get("wa", DEFAULT_WEIGHTS["wa"])),
    }


def _text(value) -> str | None:
    """A short string, or None: what every enumerated state value must be."""
    return value if isinstance(value, str) and len(value) <= 64 else None


def _pick_one(raw: dict, key: str, allowed) -> str | None:
    value = _text(raw.get(key))
    return value if value is not None and value in allowed else None


def _categories(value) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return []
    return [c for c in value[:100] if _text(c)]


def clean_state(raw, domain: Domain) -> dict:
    """A valid state from anything a client may send (a dict or not, any types inside): every
    value outside the domain falls back to the default, so no request reaches the analysis with
    a value it was not built for."""
    state = default_state(domain)
    if not isinstance(raw, dict):
        return state
    for key, allowed in (
        ("lang", LANGUAGES),
        ("mode", MODES),
        ("tab", TABS),
        ("region", domain.regions),
        ("ind", INDICATORS),
        ("sector", domain.sectors),
        ("unit", domain.units),
    ):
        value = _pick_one(raw, key, allowed)
        if value is not None:
            state[key] = value
    level = raw.get("level")
    if not isinstance(level, bool) and str(level)[:4] in {str(n) for n in domain.levels}:
        state["level"] = int(str(level))
    cats = _categories(raw.get("cats"))
    state["cats"] = sorted({c for c in cats if c in domain.categories}) or state["cats"]
    weights = {key: clean_weight(raw.get(key, state[key])) for key in WEIGHT_KEYS}
    if all(w is not None for w in weights.values()) and sum(weights.values()) > 0:
        state.update(weights)
    preset = _text(raw.get("preset"))
    start, end = _text(raw.get("start")), _text(raw.get("end"))
    if preset in PRESETS and preset != "custom":
        state["preset"] = preset
        state["start"], state["end"] = preset_range(preset, domain.last_month)
    elif start in domain.months and end in domain.months:
        start, end = sorted([start, end])
        state.update(preset="custom", start=start, end=end)
    return state


def clean_slice(raw, domain: Domain) -> tuple[bool, dict]:
    """(shown, state) from a slice store a callback received: whether the view is on (slices
    of hidden views are ``{"on": False}``) and the slice's values as a validated state."""
    if not isinstance(raw, dict):
        return False, default_state(domain)
    return raw.get("on", True) is not False, clean_state(raw, domain)


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
        *WEIGHT_KEYS,
    ):
        value = state.get(key)
        custom_range = key in ("start", "end") and state.get("preset") == "custom"
        if key in ("start", "end") and not custom_range:
            continue
        if value == default[key] and not custom_range:
            continue
        if key == "cats" and sorted(value) == sorted(default["cats"]):
            continue
        if key in WEIGHT_KEYS and not custom_weights(state):
            continue
        params.append(
            (
                key,
                ",".join(value)
                if isinstance(value, list)
                else f"{value:g}"
                if isinstance(value, float)
                else str(value),
            )
        )
    return "?" + urlencode(params, safe=",") if params else ""


def custom_weights(state: dict) -> bool:
    return any(float(state.get(k, DEFAULT_WEIGHTS[k])) != DEFAULT_WEIGHTS[k] for k in WEIGHT_KEYS)


def from_query(search: str | None, domain: Domain) -> dict:
    text = search[:4096] if isinstance(search, str) else ""
    try:
        parsed = parse_qs(text.lstrip("?"), keep_blank_values=False, max_num_fields=64)
    except ValueError:  # too many fields: a crafted link, not one the app wrote
        parsed = {}
    raw = {key: values[-1] for key, values in parsed.items()}
    return clean_state(raw, domain)


# The controls of the filter bar, in the order the router callback lists them.
CONTROL_KEYS = (
    "level",
    "region",
    "start",
    "end",
    "preset",
    "cats",
    "sector",
    "ind",
    "lang",
    "tab",
    *WEIGHT_KEYS,
)


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
        if new["region"] and new.get("level") != 3:
            new["level"] = 2  # a région shows its cercles (or its communes at level 3)
    if "level" in changed:
        new["unit"] = ""
    return clean_state(new, domain)


def select_unit(state: dict, unit_id: str, level_of_unit: int, domain: Domain) -> dict:
    """Clicking a région zooms to it and shows its cercles (its communes at level 3);
    clicking a cercle or a commune selects it."""
    new = dict(state)
    if level_of_unit == 1:
        new.update(region=unit_id, level=3 if state.get("level") == 3 else 2, unit="")
    else:
        new["unit"] = unit_id
    return clean_state(new, domain)


# ---------------------------------------------------------------- slices of the state
#
# Each group of views reads only some keys of the state. The router writes each slice to its
# own dcc.Store and only when the slice changed, so a filter change fires only the callbacks
# whose output can change (a new indicator redraws the map, not the trends or key figures).
# A view that is not shown (gap tab, quality tab, briefing priorities, trends in briefing
# mode) has the slice {"on": False}: nothing fires until it is shown again.

FILTER_KEYS = ("start", "end", "cats")
WEIGHTS_AND_SECTOR = ("sector", *WEIGHT_KEYS)


def _pick(state: dict, keys: Iterable[str]) -> dict:
    return {key: state.get(key) for key in keys}


def _gated(on: bool, state: dict, keys: Iterable[str]) -> dict:
    return {"on": True, **_pick(state, keys)} if on else {"on": False}


def slices(state: dict) -> dict[str, dict]:
    """The part of ``state`` each group of callbacks depends on, by slice name."""
    briefing = state.get("mode") == "briefing"
    unit = state.get("unit") or ""
    return {
        "ui": _pick(state, ("lang", "mode", "tab")),
        "map": {k: v for k, v in state.items() if k != "tab"},
        "figures": _pick(state, ("lang", *FILTER_KEYS, "region", "unit", "sector")),
        "trend": _gated(not briefing, state, ("lang", *FILTER_KEYS, "region", "unit")),
        "displacement": _gated(not briefing, state, ("lang", "region", "unit")),
        "panel": _pick(state, ("lang", "unit", *FILTER_KEYS, *WEIGHTS_AND_SECTOR))
        if unit
        else {"lang": state.get("lang"), "unit": ""},
        "gap": _gated(
            state.get("tab") == "gap" and not briefing,
            state,
            ("lang", "mode", "region", *FILTER_KEYS, *WEIGHTS_AND_SECTOR),
        ),
        "quality": _gated(state.get("tab") == "quality", state, ("lang",)),
        "briefing": _gated(briefing, state, ("lang", "region", *FILTER_KEYS, *WEIGHTS_AND_SECTOR)),
    }


SLICE_NAMES = tuple(slices({}))
