"""Redis failing under the dashboard (a real redis-server, stopped, paused, restarted): every
callback still answers, with the very same bytes, the log says the cache is bypassed and the app
uses Redis again once it is back. The login rate limit degrades to memory likewise."""

from __future__ import annotations

import gzip
import logging
import threading
import time

import redis

from accounts.roles import Role
from analysis import dataset
from analysis.protection import ProtectionPolicy
from bench.client import DashClient
from bench.load import run_load
from bench.scenario import play
from bench.serve import Gunicorn
from tests import accounts_support as support
from tests.test_load import served_env

CHANGES = 10
LOGGER = "analysis.resilient_cache"
sqlite_db = support.sqlite_db


class Recording:
    """The test client of a :class:`DashClient`, keeping every callback body and answer."""

    def __init__(self, http) -> None:
        self.http = http
        self.exchanges: list[tuple[bytes, int, bytes]] = []

    def get(self, *args, **kwargs):
        return self.http.get(*args, **kwargs)

    def post(self, url, data, headers):
        response = self.http.post(url, data=data, headers=headers)
        wire = response.get_data()
        raw = gzip.decompress(wire) if response.headers.get("Content-Encoding") == "gzip" else wire
        self.exchanges.append((data.encode(), response.status_code, raw))
        return response


def session(app, seed: int = 11) -> list[tuple[bytes, int, bytes]]:
    """A user's page load and filter changes; raises on any answer other than 200/204."""
    client = DashClient(app, "?level=2")
    client.http = Recording(client.http)
    client.load()
    play(client, CHANGES, seed, 2)
    return client.http.exchanges


def hammer(app, users: int) -> list[list[tuple[bytes, int, bytes]]]:
    """``users`` sessions at once, in threads; their recordings (an exception fails the test)."""
    results: list = [None] * users
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            results[index] = session(app)
        except BaseException as error:  # noqa: BLE001 - re-raised below in the test thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def make_app(monkeypatch, url: str):
    from app import create_app

    monkeypatch.setenv("REDIS_URL", url)
    policy = ProtectionPolicy(key=b"one publishing key for the whole test")
    app = create_app(dataset.load_data(use_store=False, policy=policy))
    app.dashboard_data.cache.retry_seconds = 0.5  # retry Redis soon, so the test stays short
    return app


def test_redis_outage_changes_no_answer_and_the_app_returns_to_redis(
    monkeypatch, redis_server, caplog
):
    caplog.set_level(logging.INFO)
    app = make_app(monkeypatch, redis_server.url)
    data = app.dashboard_data
    computed_first = session(app)  # computed, stored in Redis
    keys = redis.Redis.from_url(redis_server.url).dbsize()
    assert keys > 0
    before = sum(data.computed.values())
    assert session(app) == computed_first  # served from Redis
    assert sum(data.computed.values()) == before

    redis_server.stop()
    caplog.clear()
    for recording in hammer(app, 4):
        assert recording == computed_first
    assert sum(data.computed.values()) > before  # computed without the cache
    down = [r for r in caplog.records if r.name == LOGGER and "unavailable" in r.message]
    assert len(down) == 1, [r.message for r in caplog.records]
    assert "computing without it" in down[0].message
    assert not data.cache.available

    redis_server.start()  # empty: a restarted cache
    time.sleep(0.6)
    caplog.clear()
    for recording in hammer(app, 4):
        assert recording == computed_first
    assert data.cache.available
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0  # used again
    back = [r for r in caplog.records if r.name == LOGGER and "available again" in r.message]
    assert len(back) == 1


def test_a_hung_redis_costs_one_short_timeout_not_one_per_request(monkeypatch, redis_server):
    app = make_app(monkeypatch, redis_server.url)
    app.dashboard_data.cache.retry_seconds = 30.0
    expected = session(app, seed=5)
    redis_server.pause()  # accepts connections, never answers
    start = time.monotonic()
    assert session(app, seed=5) == expected
    elapsed = time.monotonic() - start
    # one request waited for the client's 0.5 s timeout; the rest skipped Redis
    assert elapsed < 8.0, elapsed
    assert not app.dashboard_data.cache.available
    redis_server.resume()


def test_login_rate_limit_degrades_to_memory_when_redis_stops(sqlite_db, redis_server, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_server.url)
    server, accounts = support.make_app(sqlite_db)
    accounts.users.add("amina", support.PASSWORD, role=Role.member, actor="test")
    client = server.test_client()
    assert support.login(client, "amina", "wrong").status_code == 200
    redis_server.stop()
    statuses = []
    for _ in range(6):
        start = time.monotonic()
        statuses.append(support.login(client, "amina", "wrong").status_code)
        assert time.monotonic() - start < 3.0
    # the fifth attempt of the minute (one before the outage) is the last allowed, in memory
    assert statuses[:4] == [200] * 4 and statuses[-1] == 429, statuses
    assert support.login(client, "amina", "wrong").status_code == 429


def test_redis_stopped_under_load_through_gunicorn_costs_no_request(redis_server, tmp_path):
    """What the issue saw (every callback HTTP 500 while Redis was down), replayed: simulated
    users on real gunicorn workers sharing Redis; Redis stopped, then started again."""
    log = tmp_path / "gunicorn.log"
    env = served_env(tmp_path, REDIS_URL=redis_server.url)
    with Gunicorn(workers=2, threads=4, env=env, log_path=log) as server:
        outcome: dict = {}
        runner = threading.Thread(
            target=lambda: outcome.setdefault("result", run_load(server.url, 10, 24.0, seed=9))
        )
        runner.start()
        time.sleep(6.0)
        redis_server.stop()
        time.sleep(7.0)
        redis_server.start()
        runner.join(timeout=120)
    result = outcome["result"]
    print(f"\n{result.summary()}")
    assert len(result.timings) > 300
    assert result.errors == [] and not result.failures
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0  # used again after the restart
    text = log.read_text()
    assert text.count("aggregate cache unavailable") >= 1  # said once per worker that noticed
    assert text.count("aggregate cache unavailable") <= 2
    assert "aggregate cache available again" in text
    assert "Traceback" not in text
