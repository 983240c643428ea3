"""A real PostgreSQL server restarted while the dashboard serves logins, member callbacks and
audit writes: requests during the restart wait (bounded) or get the clear "unavailable" page,
never a traceback; nothing written before is lost; the app recovers without a restart."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from accounts.db import CONNECT_RETRY_SECONDS, Database
from accounts.models import AuditEvent, User
from accounts.users import UserStore
from accounts.web.i18n import texts
from analysis import dataset
from bench.client import CallbackFailure, DashClient
from tests.accounts_support import PASSWORD, TOKEN_RE

UNAVAILABLE = texts("fr")["unavailable"]


@pytest.fixture
def dashboard(postgres_server, monkeypatch):
    from app import create_app

    monkeypatch.delenv("REDIS_URL", raising=False)
    database = Database(postgres_server.create_database())
    app = create_app(dataset.load_data(use_store=False), database)
    # many logins from one test address: lift the per-address limit for this test
    app.server.config["ACCOUNTS_LOGIN_LIMIT_PER_ADDRESS"] = "10000 per minute"
    app.server.config["ACCOUNTS_LOGIN_LIMIT_PER_USERNAME"] = "10000 per minute"
    UserStore(database).add("awa", PASSWORD, "member", actor="test")
    yield app, database
    database.dispose()


def login(client) -> tuple[int, str]:
    page = client.get("/login")
    match = TOKEN_RE.search(page.get_data(as_text=True))
    if match is None:  # the login page itself needs the database (the session secret is read
        return page.status_code, page.get_data(as_text=True)  # at start-up, not here)
    response = client.post(
        "/login", data={"username": "awa", "password": PASSWORD, "csrf_token": match.group(1)}
    )
    return response.status_code, response.get_data(as_text=True)


class Load:
    """Threads doing logins, member page loads and audit writes until ``stop`` is set."""

    def __init__(self, app) -> None:
        self.app = app
        self.stop = threading.Event()
        self.logins: list[tuple[int, str]] = []
        self.callbacks: list[str] = []  # "ok" or the failure
        self.audited: list[int] = []  # sequence numbers whose write returned
        self.audit_failures: list[str] = []
        self.errors: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self._guard, args=(fn,))
            for fn in (self._logins, self._members, self._members, self._audits)
        ]

    def _guard(self, fn) -> None:
        try:
            fn()
        except BaseException as error:  # noqa: BLE001 - reported in the test thread
            self.errors.append(error)

    def _logins(self) -> None:
        while not self.stop.is_set():
            self.logins.append(login(self.app.server.test_client()))

    def _members(self) -> None:
        client = DashClient(self.app)
        assert login(client.http)[0] == 303
        while not self.stop.is_set():
            try:
                client.load()
                self.callbacks.append("ok")
            except CallbackFailure as failure:
                self.callbacks.append(str(failure))

    def _audits(self) -> None:
        accounts = self.app.server.extensions["mali_accounts"]
        seq = 0
        while not self.stop.is_set():
            seq += 1
            try:
                accounts.audit("fault_probe", {"seq": seq}, username="probe")
                self.audited.append(seq)
            except Exception as error:  # noqa: BLE001 - the caller saw the failure: not lost
                self.audit_failures.append(type(error).__name__)
            time.sleep(0.02)

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_postgresql_restart_loses_nothing_and_the_app_recovers(dashboard, postgres_server):
    app, database = dashboard
    with Load(app) as load:
        time.sleep(2.0)
        before_restart = len(load.audited)
        postgres_server.restart()
        time.sleep(3.0)
    assert not load.errors, load.errors
    print(
        f"\nlogins {len(load.logins)}, page loads {len(load.callbacks)}, audit writes "
        f"{len(load.audited)} (+{len(load.audit_failures)} refused: {load.audit_failures})"
    )
    assert before_restart > 10 and len(load.audited) > before_restart  # writes went on after
    # every audit write that returned is stored: nothing acknowledged was lost
    with database.session() as session:
        stored = {
            event.detail["seq"]
            for event in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "fault_probe")
            )
        }
        users = session.scalar(select(func.count()).select_from(User))
        logins = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "login")
        )
    assert set(load.audited) <= stored
    # writes waited for the server (without the bounded retry, ~8 of them were refused); one
    # in flight at the very moment the server stopped may fail, and its caller knows it
    assert len(load.audit_failures) <= 1, load.audit_failures
    assert users == 1
    # a login answered 303 (done, audited) or the clear "unavailable" page, never a traceback
    for status, body in load.logins:
        assert status in (303, 503), (status, body[:300])
        assert "Traceback" not in body
        if status == 503:
            assert UNAVAILABLE in body
    done = sum(1 for status, _ in load.logins if status == 303)
    assert logins >= done + 2  # every successful login is in the audit log (+2 member logins)
    # member page loads: every callback answered (the role check waits for the database)
    assert load.callbacks and all(c == "ok" for c in load.callbacks), set(load.callbacks)
    # recovered without restarting the app
    assert login(app.server.test_client())[0] == 303
    assert app.server.test_client().get("/healthz").get_json()["database"]["ok"] is True


def test_an_unreachable_database_is_waited_for_a_bounded_time(tmp_path):
    database = Database(f"postgresql://postgres@/nothing?host={tmp_path}")  # no server there
    start = time.monotonic()
    with pytest.raises(OperationalError), database.engine.connect():
        pass
    elapsed = time.monotonic() - start
    assert CONNECT_RETRY_SECONDS - 0.5 <= elapsed <= CONNECT_RETRY_SECONDS + 1.5, elapsed
    database.dispose()
