"""``python -m bench.load --users N --duration S [--url URL] [--json]``: simulated users on the
dashboard over real HTTP, with think time; prints requests, errors, req/s and latency.

Each user loads the page (the HTML, ``/_dash-layout``, ``/_dash-dependencies``, the initial
callbacks, the map geometry) and then, after 0.5–2 s of thought each time, changes the period,
the indicator or the région, opens a cercle's panel by clicking the map, or switches to the
gap tab and back — the very callback bodies the browser posts (``bench.client``) — and reloads
the page every dozen actions. A request that fails (no answer, or HTTP ≥ 400) is an error;
the user then reloads after a pause, as a person would.

Bounded (≤ 200 users, ≤ 600 s) and loopback only: without ``--url`` it starts the dashboard
under gunicorn on a free loopback port (``--workers``, ``--threads``) and stops it after;
a ``--url`` must be a loopback address. Exit status 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from bench.client import CallbackFailure, DashClient
from bench.http import HttpSession, NotLoopback, Timing, loopback_base
from bench.scenario import pick_value
from callbacks.router import TWINS
from layouts import ids

MAX_USERS = 200
MAX_DURATION = 600.0
THINK_SECONDS = (0.5, 2.0)
ACTIONS_PER_PAGE = 12
RAMP_SECONDS = 2.0  # users arrive spread over the first seconds, not all at once
ACTIONS = {"period": 3, "indicator": 3, "region": 2, "panel": 2, "gap": 1}


@dataclass
class LoadResult:
    """Every timed request of a run, and what the users did."""

    users: int
    duration: float  # seconds the users ran (measured)
    timings: list[Timing] = field(default_factory=list)
    page_loads: int = 0
    actions: int = 0
    failures: Counter = field(default_factory=Counter)  # kind of failure -> count

    @property
    def errors(self) -> list[Timing]:
        return [t for t in self.timings if t.status == 0 or t.status >= 400]

    def summary(self) -> dict:
        ms = np.array([t.ms for t in self.timings]) if self.timings else np.zeros(1)
        p50, p95, p99 = np.percentile(ms, [50, 95, 99])
        return {
            "users": self.users,
            "duration_s": round(self.duration, 1),
            "requests": len(self.timings),
            "errors": len(self.errors),
            "error_rate": round(len(self.errors) / max(1, len(self.timings)), 5),
            "req_per_s": round(len(self.timings) / max(self.duration, 1e-9), 1),
            "latency_ms": {
                "p50": round(float(p50), 1),
                "p95": round(float(p95), 1),
                "p99": round(float(p99), 1),
                "max": round(float(ms.max()), 1),
            },
            "page_loads": self.page_loads,
            "actions": self.actions,
            "failures": dict(self.failures),
        }


def map_units(client: DashClient) -> list[str]:
    """The unit ids the map currently draws (what a click can hit)."""
    figure = client.get(ids.MAP, "figure") or {}
    units = {loc for trace in figure.get("data", []) for loc in trace.get("locations") or []}
    return sorted(u for u in units if isinstance(u, str))


def act(client: DashClient, kind: str, rng: random.Random) -> None:
    """One user action of ``kind`` (everything it triggers is posted)."""
    if kind == "panel":
        units = map_units(client)
        if units:
            click = {"points": [{"location": rng.choice(units)}]}
            client.change(ids.MAP, "clickData", click)
        return
    if kind == "gap":
        current = client.get(ids.TABS, "value")
        client.change(ids.TABS, "value", "overview" if current == "gap" else "gap")
        return
    control = {
        "period": rng.choice([ids.PRESET, ids.START]),
        "indicator": ids.INDICATOR,
        "region": ids.REGION,
    }[kind]
    if client.has(control):
        client.change(control, "value", pick_value(client, control, rng))


class User(threading.Thread):
    """One simulated person, until ``deadline`` (monotonic)."""

    def __init__(self, host: str, port: int, deadline: float, seed: int):
        super().__init__(daemon=True)
        self.http = HttpSession(host, port)
        self.deadline = deadline
        self.rng = random.Random(seed)
        self.page_loads = 0
        self.actions = 0
        self.failures: Counter = Counter()

    def think(self, low: float = THINK_SECONDS[0], high: float = THINK_SECONDS[1]) -> bool:
        """Pause like a person; False when the run is over."""
        pause = self.rng.uniform(low, high)
        if time.monotonic() + pause >= self.deadline:
            return False
        time.sleep(pause)
        return True

    def page(self) -> None:
        """Load the page, then act until it is time to reload (or the run ends)."""
        self.http.get("/")
        client = DashClient(None, "", http=self.http, twins=TWINS)
        client.load()
        level = (client.get(ids.STATE, "data") or {}).get("level", 2)
        client.fetch(f"/geo/level-{level}.json")
        self.page_loads += 1
        kinds, weights = list(ACTIONS), list(ACTIONS.values())
        for _ in range(ACTIONS_PER_PAGE):
            if not self.think():
                return
            act(client, self.rng.choices(kinds, weights)[0], self.rng)
            self.actions += 1

    def run(self) -> None:
        if not self.think(0.0, RAMP_SECONDS):
            return
        while time.monotonic() < self.deadline:
            try:
                self.page()
            except (CallbackFailure, OSError, http.client.HTTPException, ValueError) as error:
                self.failures[type(error).__name__] += 1
                if not self.think():
                    return
            else:
                if not self.think():
                    return


def argument_problems(users: int, duration: float, url: str | None) -> list[str]:
    """Why these arguments are refused (empty: accepted)."""
    problems = []
    if not 1 <= users <= MAX_USERS:
        problems.append(f"--users must be between 1 and {MAX_USERS}")
    if not 0 < duration <= MAX_DURATION:
        problems.append(f"--duration must be more than 0 and at most {MAX_DURATION:g} seconds")
    if url is not None:
        try:
            loopback_base(url)
        except NotLoopback as error:
            problems.append(str(error))
    return problems


def run_load(url: str, users: int, duration: float, seed: int = 1) -> LoadResult:
    """``users`` simulated users on ``url`` (loopback only) for ``duration`` seconds."""
    problems = argument_problems(users, duration, url)
    if problems:
        raise ValueError("; ".join(problems))
    host, port = loopback_base(url)
    start = time.monotonic()
    crowd = [User(host, port, start + duration, seed * 1000 + i) for i in range(users)]
    for user in crowd:
        user.start()
    for user in crowd:
        user.join()
    result = LoadResult(users, time.monotonic() - start)
    result.timings = sorted((t for u in crowd for t in u.http.timings), key=lambda t: t.start)
    result.page_loads = sum(u.page_loads for u in crowd)
    result.actions = sum(u.actions for u in crowd)
    for user in crowd:
        result.failures.update(user.failures)
    return result


def render(summary: dict, where: str) -> str:
    latency = summary["latency_ms"]
    failures = ", ".join(f"{k} {v}" for k, v in summary["failures"].items()) or "none"
    return "\n".join(
        [
            f"{summary['users']} users for {summary['duration_s']} s on {where}",
            f"requests {summary['requests']:,}  errors {summary['errors']:,} "
            f"({summary['error_rate']:.2%})  {summary['req_per_s']} req/s",
            f"latency ms  p50 {latency['p50']}  p95 {latency['p95']}  p99 {latency['p99']}  "
            f"max {latency['max']}",
            f"page loads {summary['page_loads']:,}  actions {summary['actions']:,}  "
            f"failed sessions: {failures}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10, help=f"1–{MAX_USERS} (default 10)")
    parser.add_argument("--duration", type=float, default=30, help="seconds, ≤ 600 (default 30)")
    parser.add_argument("--url", help="a running dashboard on loopback (default: start one)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (no --url)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (no --url)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    problems = argument_problems(args.users, args.duration, args.url)
    if not 1 <= args.workers <= 16 or not 1 <= args.threads <= 32:
        problems.append("--workers must be 1–16 and --threads 1–32")
    if problems:
        parser.exit(2, f"bench.load: {'; '.join(problems)}\n")
    if args.url:
        result = run_load(args.url, args.users, args.duration, args.seed)
        where = args.url
    else:
        from bench.serve import Gunicorn

        with Gunicorn(args.workers, args.threads) as server:
            result = run_load(server.url, args.users, args.duration, args.seed)
        where = f"gunicorn {args.workers} workers × {args.threads} threads (started on loopback)"
    summary = result.summary()
    print(json.dumps({**summary, "server": where}) if args.json else render(summary, where))
    return 0


if __name__ == "__main__":
    sys.exit(main())
