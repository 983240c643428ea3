"""``GET /healthz``: data versions, cache and database state, on real servers; 200 while serving."""

from __future__ import annotations

import json
import threading
import time

import pytest
from flask import Flask

from accounts.db import Database
from analysis import dataset
from callbacks.health import PROBE_TTL, Probe, install_health
from data import store
from data.schemas import STREAMS


@pytest.fixture
def app(monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    return create_app(dataset.load_data(use_store=False))


def health(server) -> tuple[int, dict]:
    response = server.test_client().get("/healthz")
    assert response.headers["Cache-Control"] == "no-store"
    return response.status_code, json.loads(response.get_data())


def test_health_reports_demo_data_local_cache_and_database(app):
    status, body = health(app.server)
    assert status == 200
    assert body["status"] == "ok" and body["serving"] is True
    assert body["version"] == "0.1.0"
    assert body["cache"] == {"backend": "local", "ok": True}
    assert body["database"]["backend"] == "sqlite" and body["database"]["ok"] is True
    assert body["data"]["demo"] is True
    assert set(body["data"]["streams"]) == set(STREAMS)
    assert body["data"]["streams"]["incidents"] == {
        "served": None,
        "origin": "demo",
        "active": None,
    }


def test_health_shows_a_worker_serving_an_older_version_than_the_store(app):
    from data.demo import generate_demo

    version = store.save("access", generate_demo()["access"])
    _, body = health(app.server)
    assert body["data"]["streams"]["access"]["active"] == version
    assert body["data"]["streams"]["access"]["served"] is None  # this process still serves demo


def test_health_names_no_secret(app, monkeypatch):
    text = app.server.test_client().get("/healthz").get_data(as_text=True)
    database_path = str(app.server.extensions["mali_accounts"].database.url.database)
    assert database_path not in text
    assert app.server.secret_key not in text
    assert "sqlite:" not in text and "redis://" not in text


def test_health_is_503_only_without_data_to_serve(tmp_path):
    server = Flask("bare")
    database = Database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    install_health(server, lambda: None, database, None, lambda stream: None, environ={})
    status, body = health(server)
    assert status == 503 and body["status"] == "unavailable" and body["data"] is None


def test_health_follows_redis_down_and_back(monkeypatch, redis_server, tmp_path):
    from app import create_app

    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    app = create_app(dataset.load_data(use_store=False))
    status, body = health(app.server)
    assert status == 200 and body["cache"]["backend"] == "redis" and body["cache"]["ok"] is True
    assert redis_server.url not in json.dumps(body)
    redis_server.stop()
    time.sleep(PROBE_TTL)
    start = time.monotonic()
    status, body = health(app.server)
    assert time.monotonic() - start < 1.5
    assert status == 200  # the app still serves: computing without the cache
    assert body["status"] == "degraded"
    assert body["cache"]["ok"] is False and body["cache"]["error"] == "ConnectionError"
    redis_server.start()
    time.sleep(PROBE_TTL)
    assert health(app.server)[1]["cache"]["ok"] is True


def test_health_follows_postgresql_down_and_back(postgres_server, monkeypatch, tmp_path):
    from app import create_app

    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    database = Database(postgres_server.create_database())
    app = create_app(dataset.load_data(use_store=False), database)
    status, body = health(app.server)
    assert body["database"]["backend"] == "postgresql" and body["database"]["ok"] is True
    postgres_server.stop()
    try:
        time.sleep(PROBE_TTL)
        start = time.monotonic()
        status, body = health(app.server)
        assert time.monotonic() - start < 2.5
        assert status == 200 and body["status"] == "degraded"
        assert body["database"]["ok"] is False
    finally:
        postgres_server.start()
    time.sleep(PROBE_TTL)
    assert health(app.server)[1]["database"]["ok"] is True
    database.dispose()


def test_probe_runs_once_per_period_however_often_it_is_asked():
    runs = []
    probe = Probe(lambda: runs.append(1), ttl=60)
    states = [probe.state() for _ in range(200)]
    assert len(runs) == 1 and all(s["ok"] for s in states)


def test_a_hung_probe_answers_within_its_timeout_and_is_not_started_twice():
    release = threading.Event()
    started = []

    def hang() -> None:
        started.append(1)
        release.wait(10)

    probe = Probe(hang, ttl=60)
    start = time.monotonic()
    first = probe.state(timeout=0.3)
    second = probe.state(timeout=0.3)
    assert time.monotonic() - start < 1.5
    assert first == second == {"ok": False, "error": "no answer within 0.3 s"}
    assert len(started) == 1
    release.set()
    time.sleep(0.1)
    assert probe.state()["ok"] is True


def test_hammering_health_pings_redis_at_most_once_per_period(monkeypatch, redis_server, tmp_path):
    import redis

    from app import create_app

    monkeypatch.setenv(store.ENV, str(tmp_path / "store"))
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    app = create_app(dataset.load_data(use_store=False))
    client = app.server.test_client()
    start = time.monotonic()
    for _ in range(300):
        assert client.get("/healthz").status_code == 200
    elapsed = time.monotonic() - start
    pings = redis.Redis.from_url(redis_server.url).info("commandstats")["cmdstat_ping"]["calls"]
    assert pings <= 1 + elapsed / PROBE_TTL, (pings, elapsed)


def test_health_answers_only_get(app):
    client = app.server.test_client()
    for method in (client.post, client.put, client.delete):
        assert method("/healthz", data="x" * 1000).status_code == 405
    assert client.get("/healthz?verbose=1&x=%00").status_code == 200
