"""``GET /healthz``: whether this process serves, which data it serves, and the state of the
aggregate cache and the database, as JSON for load balancers, compose and people.

Public, so it names no secret (no URL, no host, no error message: only the error's type) and
stays cheap however often it is called: each back end is probed at most once per
``PROBE_TTL`` seconds per process, in a thread, and a probe that does not answer within
``PROBE_TIMEOUT`` seconds is reported as such without another one being started. HTTP 200
while the app can serve (even with Redis or the database down: it then degrades, see the
README), 503 only when it has no data to serve.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy import text

from accounts.db import Database
from analysis.resilient_cache import ResilientCache, redis_client_options
from data.schemas import STREAMS

PATH = "/healthz"
PROBE_TTL = 2.0
PROBE_TIMEOUT = 1.0
PACKAGE = "mali-protection-dashboard"


class Probe:
    """``check()`` (raises when unhealthy; its value is ignored) run at most once per ``ttl``
    seconds, in a thread, waited for ``timeout``."""

    def __init__(self, check: Callable[[], object], ttl: float = PROBE_TTL) -> None:
        self.check = check
        self.ttl = ttl
        self._lock = threading.Lock()
        self._result: dict[str, Any] | None = None
        self._at = 0.0
        self._running: threading.Event | None = None

    def state(self, timeout: float = PROBE_TIMEOUT) -> dict[str, Any]:
        """``{"ok": True, "ms": …}``, or ``{"ok": False, "error": <type or timeout>}``."""
        with self._lock:
            if self._result is not None and time.monotonic() - self._at < self.ttl:
                return self._result
            if self._running is None:
                self._running = threading.Event()
                threading.Thread(target=self._run, args=(self._running,), daemon=True).start()
            done = self._running
        if not done.wait(timeout):
            return {"ok": False, "error": f"no answer within {timeout:g} s"}
        with self._lock:
            return self._result or {"ok": False, "error": "no result"}

    def _run(self, done: threading.Event) -> None:
        start = time.perf_counter()
        try:
            self.check()
            result: dict[str, Any] = {
                "ok": True,
                "ms": round((time.perf_counter() - start) * 1000, 1),
            }
        except Exception as error:  # noqa: BLE001 - reported by type, never raised
            result = {"ok": False, "error": type(error).__name__}
        with self._lock:
            self._result, self._at, self._running = result, time.monotonic(), None
        done.set()


def stream_versions(active_id: Callable[[str], str | None]) -> dict[str, str | None]:
    """The active stored version of each stream (None: nothing imported yet, or the store
    cannot be read now: reported, never raised)."""
    out: dict[str, str | None] = {}
    for stream in STREAMS:
        try:
            out[stream] = active_id(stream)
        except Exception:  # noqa: BLE001 - a store that cannot answer is not an error page
            out[stream] = None
    return out


def _unknown(_stream: str) -> None:
    return None


def app_version() -> str:
    try:
        return importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def data_state(data: Any, active_id: Callable[[str], str | None]) -> dict[str, Any]:
    """What this process serves (version and origin per stream) next to the store's active
    version: a worker serving an older version than the store's shows here."""
    active = stream_versions(active_id)
    streams = {
        stream: {
            "served": ((data.reports.get(stream) or {}).get("version")),
            "origin": data.origins.get(stream, ""),
            "active": active[stream],
        }
        for stream in STREAMS
    }
    return {"demo": bool(data.is_demo), "streams": streams}


def _redis_probe(url: str) -> Probe:
    import redis

    client = redis.Redis.from_url(url, **redis_client_options())
    return Probe(lambda: client.ping())


def _database_probe(database: Database) -> Probe:
    def select_one() -> None:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    return Probe(select_one)


def install_health(
    server: Flask,
    current_data: Callable[[], Any],
    database: Database,
    cache: ResilientCache | None,
    active_id: Callable[[str], str | None],
    environ: dict[str, str] | None = None,
) -> None:
    """Add ``GET /healthz`` to ``server``; ``current_data()`` is the data being served (None
    while there is none), ``active_id(stream)`` the version the data store has active."""
    env = os.environ if environ is None else environ
    redis_url = env.get("REDIS_URL", "").strip()
    redis_probe = _redis_probe(redis_url) if redis_url else None
    database_probe = _database_probe(database)
    backend = database.url.get_backend_name()
    version = app_version()

    @server.get(PATH)
    def healthz() -> Response:
        data = current_data()
        serving = data is not None and bool(data.levels)
        if redis_probe is None:
            cache_state: dict[str, Any] = {"backend": "local", "ok": True}
        else:
            cache_state = {"backend": "redis", **redis_probe.state()}
            cache_state["in_use"] = cache is not None and cache.available
        database_state = {"backend": backend, **database_probe.state()}
        # the store may live in that database: not asked while it is down (its connections
        # retry for seconds), the store's versions are then reported unknown
        stored = active_id if database_state["ok"] else _unknown
        healthy = serving and cache_state["ok"] and database_state["ok"]
        body = {
            "status": "ok" if healthy else ("degraded" if serving else "unavailable"),
            "serving": serving,
            "version": version,
            "data": data_state(data, stored) if data is not None else None,
            "cache": cache_state,
            "database": database_state,
        }
        response = jsonify(body)
        response.status_code = 200 if serving else 503
        response.headers["Cache-Control"] = "no-store"
        return response
