"""A published or rolled-back version is served by every gunicorn worker within 10 s, with
no failed request while the workers swap their data (a real multi-worker gunicorn)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from accounts.db import Database
from data import store
from data.publishing import Publisher
from tests.attacker import callback_body, page_ids
from tests.test_publishing import incidents_csv

REPO = Path(__file__).resolve().parents[1]
WORKERS = 2
SWAP_LIMIT = 10.0  # seconds
CONSECUTIVE = 30  # answers in a row from the new data: every worker has swapped


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, timeout: float = 10) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def _post(url: str, body: dict, timeout: float = 20) -> int:
    request = urllib.request.Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()
        return response.status


def _find(node, wanted: str):
    """The props of the component whose id is ``wanted`` in a layout tree."""
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == wanted:
            return props
        return _find(props.get("children"), wanted)
    if isinstance(node, list):
        for child in node:
            found = _find(child, wanted)
            if found is not None:
                return found
    return None


def served_end(base: str) -> str:
    """The last month of the data the answering worker serves (its page's default state)."""
    layout = json.loads(_get(f"{base}/_dash-layout"))
    return _find(layout, "state")["data"]["end"]


def wait_everywhere(base: str, year: str) -> float:
    """Seconds until the first of :data:`CONSECUTIVE` answers in a row that serve data ending
    in ``year`` (from then on every worker answered with the new data)."""
    start = time.monotonic()
    streak, since = 0, start
    while time.monotonic() - start < 60:
        asked = time.monotonic()
        if served_end(base).startswith(year):
            streak, since = streak + 1, since if streak else asked
        else:
            streak = 0
        if streak >= CONSECUTIVE:
            return since - start
    raise AssertionError(f"workers still serve old data after 60 s (wanted {year})")


@pytest.fixture(params=["files", "postgresql"])
def served(request, tmp_path):
    """A gunicorn with several workers over a store holding one 2019 version: the file store,
    or PostgreSQL (as replicas sharing one database would)."""
    db_path = tmp_path / "accounts.sqlite3"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")} | {
        store.ENV: str(tmp_path / "store"),
        "MALI_DASHBOARD_DB_PATH": str(db_path),
    }
    os.environ[store.ENV] = env[store.ENV]
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres_server").create_database()
        env["DATABASE_URL"] = url.render_as_string(hide_password=False)
        database = Database(url)
    else:
        database = Database(f"sqlite:///{db_path}")
    publisher = Publisher(database)
    draft = publisher.prepare("incidents", incidents_csv(tmp_path / "a.csv", 40), "a.csv", "awa")
    first = publisher.publish(draft.id, "awa")
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--preload", "--workers", str(WORKERS),
         "--threads", "2", "--bind", f"127.0.0.1:{port}", "app:server"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                _get(f"{base}/_dash-layout", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log_text = (tmp_path / "gunicorn.log").read_text()[-3000:]
                    raise AssertionError(log_text) from None
                time.sleep(0.5)
        yield base, publisher, first, tmp_path
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.environ.pop(store.ENV, None)
        database.dispose()


def test_every_worker_serves_a_publish_and_a_rollback_without_a_failed_request(served):
    base, publisher, first, tmp_path = served
    assert served_end(base).startswith("2019")
    dependencies = json.loads(_get(f"{base}/_dash-dependencies"))
    overview = next(d for d in dependencies if "kf-families.children" in d["output"])
    layout = json.loads(_get(f"{base}/_dash-layout"))
    state = _find(layout, "state-figures")["data"]
    body = callback_body(overview, {"state-figures": state}, page_ids(layout))
    assert _post(f"{base}/_dash-update-component", body) == 200

    outcome = {"ok": 0, "errors": []}
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            try:
                status = _post(f"{base}/_dash-update-component", body)
                if status == 200:
                    outcome["ok"] += 1
                else:
                    outcome["errors"].append(status)
            except Exception as error:  # noqa: BLE001 - every failure is counted
                outcome["errors"].append(repr(error))

    hammers = [threading.Thread(target=hammer) for _ in range(2)]
    for thread in hammers:
        thread.start()
    try:
        draft = publisher.prepare(
            "incidents", incidents_csv(tmp_path / "b.csv", 45, year=2020), "b.csv", "awa"
        )
        publisher.publish(draft.id, "awa")
        to_new = wait_everywhere(base, "2020")
        publisher.rollback("incidents", first.id, "awa")
        to_old = wait_everywhere(base, "2019")
    finally:
        stop.set()
        for thread in hammers:
            thread.join(60)
    print(f"publish served by all workers in {to_new:.1f} s, rollback in {to_old:.1f} s; "
          f"{outcome['ok']} callback requests during the swaps, {len(outcome['errors'])} failed")  # fmt: skip
    assert outcome["errors"] == []
    assert outcome["ok"] > 20
    assert to_new < SWAP_LIMIT and to_old < SWAP_LIMIT
