"""``python -m bench.load`` (bounded, loopback only) and a gunicorn worker killed under its load:
only the requests that worker was answering fail, the others keep answering, gunicorn replaces
it. Real gunicorn on a loopback port, real HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bench.http import NotLoopback, loopback_base
from bench.load import main, run_load
from bench.serve import REPO, Gunicorn


def served_env(folder: Path, **extra: str) -> dict[str, str]:
    """A served app's environment: an empty store (demo data), its own accounts file."""
    environ = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environ["MALI_DASHBOARD_STORE"] = str(folder / "store")
    environ["MALI_DASHBOARD_DB_PATH"] = str(folder / "accounts.sqlite3")
    return {**environ, **extra}


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    return served_env(tmp_path)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.8:8050",
        "http://example.org",
        "http://localhost.example.org:8050",
        "https://127.0.0.1:8050",
        "http://0.0.0.0:8050",
        "ftp://127.0.0.1",
    ],
)
def test_load_refuses_any_url_off_this_machine(url, capsys):
    with pytest.raises(NotLoopback):
        loopback_base(url)
    with pytest.raises(SystemExit) as exit_:
        main(["--url", url, "--users", "1", "--duration", "1"])
    assert exit_.value.code == 2
    assert "bench.load:" in capsys.readouterr().err


def test_loopback_urls_are_accepted():
    assert loopback_base("http://127.0.0.1:8050/") == ("127.0.0.1", 8050)
    assert loopback_base("http://127.3.2.1:9") == ("127.3.2.1", 9)
    assert loopback_base("http://[::1]:8050") == ("::1", 8050)
    assert loopback_base("http://localhost:8050") == ("localhost", 8050)


@pytest.mark.parametrize(
    "args", [["--users", "201"], ["--users", "0"], ["--duration", "601"], ["--duration", "0"]]
)
def test_load_is_bounded_in_users_and_time(args):
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--url", "http://127.0.0.1:1"])
    assert exit_.value.code == 2
    with pytest.raises(ValueError):
        run_load("http://127.0.0.1:1", 500, 1)


def test_load_runs_tiny_against_its_own_gunicorn(env):
    command = [sys.executable, "-m", "bench.load", "--users", "2", "--duration", "6"]
    command += ["--workers", "1", "--threads", "2", "--json"]
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["users"] == 2 and summary["errors"] == 0, summary
    assert summary["requests"] > 20 and summary["page_loads"] >= 2 and summary["actions"] >= 1
    assert 0 < summary["latency_ms"]["p50"] <= summary["latency_ms"]["p95"]
    assert summary["latency_ms"]["p95"] <= summary["latency_ms"]["p99"]


def test_a_worker_killed_under_load_fails_only_its_own_requests(env, tmp_path):
    with Gunicorn(workers=3, threads=2, env=env, log_path=tmp_path / "gunicorn.log") as server:
        workers = server.worker_pids()
        assert len(workers) == 3
        outcome: dict = {}
        runner = threading.Thread(
            target=lambda: outcome.setdefault("result", run_load(server.url, 12, 20.0, seed=3))
        )
        runner.start()
        time.sleep(8.0)
        victim = workers[1]
        killed_at = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        runner.join(timeout=120)
        result = outcome["result"]
        # gunicorn replaced the worker
        replaced = server.worker_pids()
        assert len(replaced) == 3 and victim not in replaced
    errors = result.errors
    print(f"\n{len(result.timings)} requests, {len(errors)} failed; {result.summary()}")
    # only requests already sent when the worker died failed (it was answering them)
    assert all(t.start <= killed_at + 0.05 for t in errors), [
        (round(t.start - killed_at, 3), t.status, t.path) for t in errors
    ]
    assert len(errors) <= 6
    after = [t for t in result.timings if t.start > killed_at + 0.05]
    assert len(after) > 100 and all(t.status in (200, 204) for t in after)
