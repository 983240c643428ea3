"""Varied filter changes, played on the dashboard as a user would, then replayed on the baseline.

Why generated from the page: the values a user can pick are the options the filter controls
carry in the served layout, so the scenario follows the layout (new indicators, régions or
levels appear without touching the harness). Each change is one control set to a new value;
everything it triggers is one timed :class:`bench.client.Exchange`. When a change moves the
map away from the level being measured (a région shows its cercles), the level control is set
back, and that change is measured too: users do exactly that.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from bench.client import CallbackFailure, DashClient, Exchange, id_key
from layouts import ids

# How often each kind of change is picked (a user changes the level less than the period).
WEIGHTS = {"level": 1, "region": 2, "period": 2, "categories": 2, "sector": 1, "indicator": 2}
# The filter controls of the issue, by role; a role whose control is absent is skipped.
ROLES: dict[str, list[str]] = {
    "level": [ids.LEVEL],
    "region": [ids.REGION],
    "period": [ids.PRESET, ids.START, ids.END],
    "categories": [ids.CATEGORIES],
    "sector": [ids.SECTOR],
    "indicator": [ids.INDICATOR],
}
STATE = (ids.STATE, "data")
MAP = (ids.MAP, "figure")


@dataclass
class Change:
    """One measured filter change and the view state it led to."""

    control: str
    value: Any
    exchange: Exchange
    state: dict


@dataclass
class Session:
    """A played scenario: the measured changes and the no-op picks that were skipped."""

    changes: list[Change] = field(default_factory=list)
    skipped: int = 0

    @property
    def ms(self) -> list[float]:
        return [c.exchange.ms for c in self.changes]

    @property
    def cpu_ms(self) -> list[float]:
        return [c.exchange.cpu_ms for c in self.changes]


def option_values(client: DashClient, control: str) -> list[Any]:
    """Values offered by a control's ``options`` (dicts with ``value``, or plain values)."""
    options = client.get(control, "options") or []
    return [o["value"] if isinstance(o, dict) else o for o in options]


def pick_value(client: DashClient, control: str, rng: random.Random) -> Any:
    """A value different from the control's current one (None when there is none)."""
    current = client.get(control, "value")
    values = option_values(client, control)
    if client.get(control, "multi"):
        size = rng.choice([0, 1, 1, 2, 3])
        chosen = sorted(rng.sample(values, min(size, len(values))))
        return chosen if chosen != sorted(current or []) else sorted(values[:1])
    clearable = control in (ids.REGION, ids.SECTOR) and current is not None
    choices = [v for v in values if v != current] + ([None] if clearable else [])
    return rng.choice(choices) if choices else None


def check(exchange: Exchange, label: str) -> None:
    """A state change must reach the map; every request answered 200/204 (checked in post)."""
    props = exchange.props()
    state, figure = f"{id_key(STATE[0])}.{STATE[1]}", f"{id_key(MAP[0])}.{MAP[1]}"
    if state in props and figure not in props:
        raise CallbackFailure(f"{label}: the view state changed but no response set the map")


def _restore_level(client: DashClient, level: int, session: Session) -> None:
    state = client.get(*STATE)
    if state.get("level") != level and client.has(ids.LEVEL):
        exchange = client.change(ids.LEVEL, "value", level)
        check(exchange, f"level back to {level}")
        session.changes.append(Change(ids.LEVEL, level, exchange, dict(client.get(*STATE))))


def play(client: DashClient, count: int, seed: int, level: int) -> Session:
    """``count`` measured changes over every role, starting from a loaded page."""
    rng = random.Random(seed)
    session = Session()
    roles = [r for r, controls in ROLES.items() if any(client.has(c) for c in controls)]
    attempts = 0
    while len(session.changes) < count:
        attempts += 1
        if attempts > count * 5:
            raise CallbackFailure(f"only {len(session.changes)} of {count} changes took effect")
        role = rng.choices(roles, weights=[WEIGHTS[r] for r in roles])[0]
        control = rng.choice([c for c in ROLES[role] if client.has(c)])
        value = pick_value(client, control, rng)
        before = client.get(*STATE)
        exchange = client.change(control, "value", value)
        check(exchange, f"{control}={value!r}")
        after = client.get(*STATE)
        if after == before:
            session.skipped += 1  # the pick did not change the view (e.g. same period)
            continue
        session.changes.append(Change(control, value, exchange, dict(after)))
        _restore_level(client, level, session)
    del session.changes[count:]
    return session


def replay(client: DashClient, store: str, states: list[dict]) -> Session:
    """The same view states pushed into the baseline's store, one timed change each."""
    session = Session()
    for state in states:
        exchange = client.change(store, "data", state)
        if not exchange.requests or any(r.status != 200 for r in exchange.requests):
            raise CallbackFailure("baseline: a state change did not redraw the map")
        session.changes.append(Change(store, None, exchange, state))
    return session
