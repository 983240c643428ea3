"""Fixtures and helpers of the accounts tests: databases (SQLite, PostgreSQL), a Flask app with
accounts installed, and a browser-like login."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time

import pytest
from argon2 import PasswordHasher
from flask import Flask, jsonify
from sqlalchemy import func, select

from accounts.db import Database
from accounts.models import AuditEvent
from accounts.web import Accounts, current_role, current_username, install

PASSWORD = "correct horse battery"
ENV = (
    "DATABASE_URL",
    "MALI_DASHBOARD_DB_PATH",
    "MALI_DASHBOARD_SECRET",
    "MALI_DASHBOARD_PUBLISHING_KEY",
    "MALI_DASHBOARD_SECURE_COOKIES",
    "MALI_DASHBOARD_BEHIND_PROXY",
    "REDIS_URL",
)
# Real argon2id with light parameters, so the web tests run in seconds; the default parameters
# are checked where they matter (hash format, upgrade at login, timing of unknown users).
FAST_ARGON2 = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
TOKEN_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def sqlite_db(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """The same test on a SQLite file and on a fresh database of the real PostgreSQL server."""
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    else:
        db = Database(request.getfixturevalue("postgres_server").create_database())
    yield db
    db.dispose()


def make_app(database: Database, **config) -> tuple[Flask, Accounts]:
    """A Flask app with accounts installed, plus two routes standing in for the dashboard: a
    Dash-style JSON POST and an export that writes to the audit log."""
    server = Flask("dashboard")
    server.config["ACCOUNTS_PASSWORD_HASHER"] = FAST_ARGON2
    server.config.update(config)
    accounts = install(server, database)

    @server.post("/_dash-update-component")
    def dash_update():
        return jsonify(role=current_role().value, user=current_username())

    @server.get("/export")
    def export():
        accounts.audit("export", {"file": "priorities.csv", "role": current_role().value})
        return "ok"

    return server, accounts


def token(client, path: str = "/login", **kwargs) -> str:
    page = client.get(path, **kwargs)
    match = TOKEN_RE.search(page.get_data(as_text=True))
    assert match, page.get_data(as_text=True)
    return match.group(1)


def login(client, username: str, password: str = PASSWORD, environ_base=None, **form):
    """Fill in and post the login form, as a browser does (GET the page, then POST)."""
    data = {"username": username, "password": password, "csrf_token": token(client), **form}
    return client.post("/login", data=data, environ_base=environ_base or {})


def role_of(client) -> str:
    return client.post("/_dash-update-component", json={"output": "map.figure"}).json["role"]


def audit_rows(database: Database, action: str | None = None) -> list[AuditEvent]:
    with database.session() as session:
        query = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return list(session.scalars(query))


def count_rows(database: Database, model) -> int:
    with database.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def set_cookie(response, name: str = "session") -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(f"{name}=")]
    assert cookies, response.headers
    return cookies[-1]


@pytest.fixture
def redis_url(tmp_path):
    """A real Redis server on a free loopback port, stopped after the test."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--dir",
        str(tmp_path),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
