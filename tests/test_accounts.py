"""Accounts: roles, storage, passwords, the CLI and the Flask integration, on SQLite and on a
real PostgreSQL server. A real Flask app and its test client; nothing we ship is mocked."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from argon2 import PasswordHasher
from flask import Flask, jsonify
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from accounts import cli
from accounts.db import Database, database_from_env, normalise_url
from accounts.models import AuditEvent, Setting, User
from accounts.passwords import Passwords
from accounts.roles import Role
from accounts.users import AccountError, UserStore
from accounts.web import Accounts, current_role, current_username, install
from accounts.web.redirects import safe_next
from tests import postgres
from tests.conftest import REPO

# The session's PostgreSQL server (started once, on first use) and its URL.
postgres_server = postgres.postgres_server
postgres_url = postgres.postgres_url

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


# --- roles ------------------------------------------------------------------------------------


@given(st.sampled_from(list(Role)), st.sampled_from(list(Role)))
def test_role_order_is_public_member_imo_admin(first, second):
    order = [Role.public, Role.member, Role.imo, Role.admin]
    assert first.at_least(second) == (order.index(first) >= order.index(second))
    assert first.sees_exact_figures == (first is not Role.public)
    assert isinstance(first, str) and Role(first.value) is first


def test_unknown_role_name_is_refused_with_the_valid_ones():
    assert Role.parse(" IMO ") is Role.imo
    with pytest.raises(ValueError, match="member, imo, admin"):
        Role.parse("boss")


# --- storage and passwords -------------------------------------------------------------------


def test_database_urls_and_default_sqlite_file(tmp_path, monkeypatch):
    assert normalise_url("postgres://u:p@db/x").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql://u:p@db/x").drivername == "postgresql+psycopg"
    path = tmp_path / "nested" / "dir" / "accounts.sqlite3"
    monkeypatch.setenv("MALI_DASHBOARD_DB_PATH", str(path))
    db = database_from_env()
    UserStore(db).list()  # first use creates the tables (and the parent directories)
    assert path.exists() and db.engine.pool._pre_ping
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/dash")
    assert database_from_env().url.drivername == "postgresql+psycopg"
    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.delenv("MALI_DASHBOARD_DB_PATH")
    assert database_from_env().url.database == str(REPO / "var" / "accounts.sqlite3")


def test_database_url_selects_postgresql_with_psycopg(postgres_url, monkeypatch):
    plain = postgres_url.replace("postgresql+psycopg://", "postgres://")
    monkeypatch.setenv("DATABASE_URL", plain)
    db = database_from_env()
    assert db.is_postgresql and db.url.drivername == "postgresql+psycopg"
    assert UserStore(db).list() == []
    db.dispose()


def test_forked_workers_do_not_share_the_parents_connections(database):
    store = UserStore(database, Passwords(FAST_ARGON2))
    store.add("awa", PASSWORD, Role.member, actor="test")

    def pooled_connection():
        with database.engine.connect() as connection:
            raw = connection.connection.dbapi_connection
            if database.is_postgresql:
                return raw, connection.execute(text("SELECT pg_backend_pid()")).scalar()
            return raw, id(raw)

    parent_raw, parent_identity = pooled_connection()  # kept alive: its id cannot be reused
    pid = os.fork()
    if pid == 0:  # a gunicorn worker forked after --preload
        code = 1
        try:
            _, identity = pooled_connection()
            users = [u.username for u in store.list()]
            code = 0 if identity != parent_identity and users == ["awa"] else 3
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert pooled_connection()[1] == parent_identity and parent_raw is not None
    assert store.authenticate("awa", PASSWORD).ok  # the parent's connection still works


def test_users_are_stored_with_argon2_hashes_never_the_password(database):
    store = UserStore(database)
    store.add("Awa.Traore", PASSWORD, Role.member, actor="test")
    with database.session() as session:
        user = session.scalars(select(User)).one()
        assert user.username == "awa.traore"  # one account whatever the capitals
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in repr(vars(user))
        assert user.created_at.tzinfo is not None and user.last_login is None
    for event in audit_rows(database):
        assert PASSWORD not in f"{event.detail}"
    created = audit_rows(database, "user_created")
    assert [(e.username, e.detail) for e in created] == [
        ("test", {"user": "awa.traore", "role": "member"})
    ]
    with pytest.raises(AccountError, match="already exists"):
        store.add("awa.traore", PASSWORD, Role.imo, actor="test")


class CountingHasher(PasswordHasher):
    """argon2's hasher, counting the hashes it checks and with which parameters."""

    def __init__(self) -> None:
        super().__init__()
        self.checked: list[str] = []

    def verify(self, hash, password) -> bool:  # noqa: A002 - argon2's own parameter name
        self.checked.append(hash.rsplit("$", 2)[0])  # algorithm and parameters, no salt
        return super().verify(hash, password)


def test_unknown_user_costs_the_same_password_check_as_a_wrong_password(sqlite_db):
    hasher = CountingHasher()
    store = UserStore(sqlite_db, Passwords(hasher))
    store.add("awa", PASSWORD, Role.member, actor="test")
    assert not store.authenticate("awa", "wrong password!").ok
    assert not store.authenticate("nobody", "wrong password!").ok
    assert not store.authenticate("not a valid name!", "wrong password!").ok
    # One full argon2 check each time, with the same parameters: timing tells nothing.
    assert len(hasher.checked) == 3 and len(set(hasher.checked)) == 1


def test_hash_is_upgraded_at_login_when_parameters_change(sqlite_db):
    weak = UserStore(
        sqlite_db, Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    )
    weak.add("moussa", PASSWORD, Role.member, actor="test")
    old = sqlite_db.engine.connect().execute(select(User.password_hash)).scalar_one()
    result = UserStore(sqlite_db).authenticate("moussa", PASSWORD)
    assert result.ok and result.user and result.user.last_login is not None
    with sqlite_db.session() as session:
        new = session.scalar(select(User.password_hash))
    assert new != old and "m=65536" in new and "m=1024" in old
    assert UserStore(sqlite_db).authenticate("moussa", PASSWORD).ok


# --- login, logout, sessions -----------------------------------------------------------------


def test_login_then_logout(database):
    server, accounts = make_app(database, ACCOUNTS_PASSWORD_HASHER=None)  # default argon2
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    with database.session() as session:
        assert "$m=65536,t=3,p=4$" in session.scalar(select(User.password_hash))
    client = server.test_client()
    assert role_of(client) == "public"

    response = login(client, "awa", next="/?mode=briefing")
    assert response.status_code == 303 and response.headers["Location"] == "/?mode=briefing"
    assert role_of(client) == "member"
    assert client.post("/_dash-update-component", json={}).json["user"] == "awa"
    (event,) = audit_rows(database, "login")
    assert (event.username, event.remote_addr) == ("awa", "127.0.0.1")
    assert accounts.users.get("awa").last_login is not None

    response = client.post("/logout", data={"csrf_token": token(client)})
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert role_of(client) == "public"
    assert [e.username for e in audit_rows(database, "logout")] == ["awa"]


def test_login_stores_only_user_id_version_and_time_in_a_new_session(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.admin, actor="test")
    client = server.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before login"
    login(client, "awa")
    with client.session_transaction() as session:
        assert set(session) == {"uid", "sv", "at", "_permanent"}


def test_wrong_password_and_unknown_user_get_the_same_answer(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    client = server.test_client()
    wrong = login(client, "awa", "not the password")
    unknown = login(client, "nobody", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 200
        assert "Nom d'utilisateur ou mot de passe incorrect." in response.get_data(
            as_text=True
        ).replace("&#39;", "'")
    english = login(client, "nobody", PASSWORD, lang="en")
    assert "Wrong username or password." in english.get_data(as_text=True)
    assert role_of(client) == "public"
    failed = audit_rows(sqlite_db, "login_failed")
    assert [(e.username, e.detail["reason"]) for e in failed] == [
        ("awa", "wrong_password"),
        ("nobody", "unknown_user"),
        ("nobody", "unknown_user"),
    ]
    assert audit_rows(sqlite_db, "login") == []


def test_disabled_user_cannot_log_in_and_their_open_session_ends(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    client = server.test_client()
    login(client, "awa")
    assert role_of(client) == "member"
    accounts.users.set_active("awa", False, actor="test")
    assert role_of(client) == "public"
    assert login(client, "awa").status_code == 200
    assert role_of(client) == "public"
    assert audit_rows(sqlite_db, "login_failed")[-1].detail == {"reason": "disabled"}
    assert audit_rows(sqlite_db, "user_disabled")[-1].detail == {"user": "awa"}


def test_session_older_than_12_hours_is_public(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    client = server.test_client()
    login(client, "awa")
    with client.session_transaction() as session:
        session["at"] -= 12 * 3600 + 1
    assert role_of(client) == "public"


def test_role_comes_only_from_the_signed_session(sqlite_db, tmp_path):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.admin, actor="test")
    client = server.test_client()
    response = client.post(
        "/_dash-update-component?role=admin",
        json={"role": "admin", "uid": 1},
        headers={"X-Role": "admin"},
    )
    assert response.json["role"] == "public"
    client.set_cookie("role", "admin")
    client.set_cookie("uid", "1")
    assert role_of(client) == "public"
    # A session cookie signed with another secret (another deployment) is ignored.
    other, other_accounts = make_app(Database(f"sqlite:///{tmp_path / 'other.sqlite3'}"))
    other_accounts.users.add("awa", PASSWORD, Role.admin, actor="test")
    other_client = other.test_client()
    cookie = set_cookie(login(other_client, "awa")).split(";")[0].split("=", 1)[1]
    client.set_cookie("session", cookie)
    assert role_of(client) == "public"
    with server.test_request_context("/"):
        assert current_role() is Role.public and current_username() is None
    assert current_role() is Role.public  # outside any request


def test_audit_from_any_request_names_the_user_and_address(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    client = server.test_client()
    client.get("/export", environ_base={"REMOTE_ADDR": "10.0.0.7"})
    login(client, "awa")
    client.get("/export", environ_base={"REMOTE_ADDR": "10.0.0.8"})
    exports = audit_rows(sqlite_db, "export")
    assert [(e.username, e.remote_addr, e.detail["role"]) for e in exports] == [
        ("", "10.0.0.7", "public"),
        ("awa", "10.0.0.8", "member"),
    ]
    assert exports[0].at.tzinfo is not None
    accounts.audit("nightly-check")  # outside a request: no user, no address
    assert audit_rows(sqlite_db, "nightly-check")[0].username == ""


def test_an_unreachable_database_degrades_to_the_public_view_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MALI_DASHBOARD_SECRET", "s" * 40)
    nowhere = Database(f"postgresql://postgres@/accounts?host={tmp_path}")  # no server there
    server, _ = make_app(nowhere)
    client = server.test_client()
    assert role_of(client) == "public"
    with client.session_transaction() as session:  # a member's session, unverifiable now
        session.update(uid=1, sv=1, at=int(time.time()))
    assert role_of(client) == "public"
    response = login(client, "awa")
    assert response.status_code == 503
    assert "momentanément indisponible" in response.get_data(as_text=True)
    nowhere.dispose()


# --- rate limits -----------------------------------------------------------------------------


def test_sixth_login_attempt_in_a_minute_from_one_address_gets_429(sqlite_db):
    server, _ = make_app(sqlite_db)
    client = server.test_client()
    for attempt in range(5):
        assert login(client, f"guess{attempt}", "wrong password!").status_code == 200
    limited = login(client, "guess5", "wrong password!")
    assert limited.status_code == 429 and limited.headers["Retry-After"]
    assert "Trop de tentatives" in limited.get_data(as_text=True)
    english = login(client, "guess6", "wrong password!", lang="en")
    assert english.status_code == 429 and "Too many login attempts" in english.get_data(
        as_text=True
    )
    # The same address stays limited whatever the session; another address is not affected.
    assert login(server.test_client(), "guess7", "wrong password!").status_code == 429
    fresh = server.test_client()
    response = login(fresh, "guess8", "wrong password!", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 200
    assert len(audit_rows(sqlite_db, "login_failed")) == 6
    limited_rows = audit_rows(sqlite_db, "login_rate_limited")
    assert len(limited_rows) == 1  # audited once per client and minute, not once per request
    assert limited_rows[0].detail["attempted"] == "guess5"
    assert limited_rows[0].remote_addr == "127.0.0.1"


def test_many_addresses_guessing_one_account_are_limited_per_username(sqlite_db):
    server, accounts = make_app(sqlite_db, ACCOUNTS_LOGIN_LIMIT_PER_USERNAME="3 per hour")
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    client = server.test_client()
    # A successful login does not count against the account.
    assert login(client, "awa", environ_base={"REMOTE_ADDR": "10.0.0.1"}).status_code == 303

    def attempt(address: str, password: str):
        tok = token(client)
        return client.post(
            "/login",
            data={"username": "AWA", "password": password, "csrf_token": tok},
            environ_base={"REMOTE_ADDR": address},
        )

    for n in range(3):
        assert attempt(f"10.1.0.{n}", "wrong password!").status_code == 200
    assert attempt("10.2.0.1", PASSWORD).status_code == 429  # even with the right password
    assert audit_rows(sqlite_db, "login_rate_limited")[0].username == "awa"


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


def test_workers_share_the_login_limit_through_redis(sqlite_db, redis_url, monkeypatch):
    monkeypatch.setenv("REDIS_URL", redis_url)
    workers = [make_app(sqlite_db)[0].test_client() for _ in range(2)]  # two gunicorn workers
    for attempt in range(5):
        assert login(workers[attempt % 2], f"guess{attempt}", "wrong password!").status_code == 200
    for worker in workers:
        assert login(worker, "guess", "wrong password!").status_code == 429


# --- CSRF --------------------------------------------------------------------------------------


def test_forms_without_a_valid_csrf_token_get_400_and_write_nothing(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("boss", PASSWORD, Role.admin, actor="test")
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    client = server.test_client()
    before = count_rows(sqlite_db, AuditEvent)
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post("/login", data={"username": "boss", "password": PASSWORD, **data})
        assert response.status_code == 400
        assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert role_of(client) == "public"
    assert count_rows(sqlite_db, AuditEvent) == before

    login(client, "boss")
    before = count_rows(sqlite_db, AuditEvent)
    for data in ({}, {"csrf_token": "forged"}):
        response = client.post("/admin/role", data={"username": "awa", "role": "admin", **data})
        assert response.status_code == 400
        assert client.post("/logout", data=data).status_code == 400
    assert accounts.users.get("awa").role is Role.member
    assert role_of(client) == "admin"  # still logged in
    assert count_rows(sqlite_db, AuditEvent) == before
    # A token of another session is no better than none.
    stranger = server.test_client()
    stolen = token(stranger)
    assert client.post("/logout", data={"csrf_token": stolen}).status_code == 400


def test_dash_json_posts_are_not_subject_to_the_form_csrf_check(sqlite_db):
    server, _ = make_app(sqlite_db)
    response = server.test_client().post("/_dash-update-component", json={"inputs": []})
    assert response.status_code == 200 and response.json["role"] == "public"


# --- redirects and cookies ---------------------------------------------------------------------


OFF_SITE = [
    "//evil.example/x",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n//evil.example",
    "evil.example",
    "",
    None,
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_parameter_off_site_is_replaced_by_the_home_page(target):
    assert safe_next(target) == "/"


def test_login_never_redirects_off_site(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    for n, target in enumerate(["//evil.example/x", "https://evil.example/", "/\\evil.example"]):
        client = server.test_client()
        page = client.get("/login", query_string={"next": target})
        assert 'name="next" value="/"' in page.get_data(as_text=True)
        response = login(client, "awa", next=target, environ_base={"REMOTE_ADDR": f"10.3.0.{n}"})
        assert response.status_code == 303 and response.headers["Location"] == "/"


@given(st.text())
def test_safe_next_is_always_a_same_site_path(value):
    result = safe_next(value)
    parts = urlsplit(result)
    assert result.startswith("/") and not result.startswith("//")
    assert not parts.scheme and not parts.netloc and "\\" not in result
    assert result in (value, "/")


def test_session_cookie_is_httponly_lax_and_secure_over_https(sqlite_db, monkeypatch):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    plain = set_cookie(login(server.test_client(), "awa"))
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    expires = re.search(r"Expires=([^;]+)", plain).group(1)
    lifetime = datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=UTC)
    assert abs((lifetime - datetime.now(UTC)).total_seconds() - 12 * 3600) < 60

    https = server.test_client()
    tok = token(https, base_url="https://dash.example")
    response = https.post(
        "/login",
        data={"username": "awa", "password": PASSWORD, "csrf_token": tok},
        base_url="https://dash.example",
        headers={"Referer": "https://dash.example/login"},
    )
    assert response.status_code == 303
    assert "Secure" in set_cookie(response) and "HttpOnly" in set_cookie(response)

    # X-Forwarded-Proto is a client header unless the operator says a proxy sets it.
    spoofed = server.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" not in set_cookie(spoofed)
    monkeypatch.setenv("MALI_DASHBOARD_BEHIND_PROXY", "1")
    proxied, _ = make_app(sqlite_db)
    behind = proxied.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in set_cookie(behind)
    monkeypatch.delenv("MALI_DASHBOARD_BEHIND_PROXY")
    monkeypatch.setenv("MALI_DASHBOARD_SECURE_COOKIES", "1")
    forced, _ = make_app(sqlite_db)
    assert "Secure" in set_cookie(forced.test_client().get("/login"))


def test_login_page_is_french_by_default_english_on_request_and_uses_local_css(sqlite_db):
    server, _ = make_app(sqlite_db)
    client = server.test_client()
    french = client.get("/login").get_data(as_text=True)
    english = client.get("/login?lang=en").get_data(as_text=True)
    assert 'lang="fr"' in french and "Mot de passe" in french and "Se connecter" in french
    assert 'lang="en"' in english and "Password" in english and "Log in" in english
    for page in (french, english):
        assert 'href="/assets/00-bootstrap-5.3.3.min.css"' in page
        assert "http://" not in page and "https://" not in page  # no CDN, no web fonts
        assert 'name="username"' in page and 'name="password"' in page


# --- administration ----------------------------------------------------------------------------


def test_admin_page_is_for_administrators_only(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("boss", PASSWORD, Role.admin, actor="test")
    accounts.users.add("imo", PASSWORD, Role.imo, actor="test")
    public = server.test_client().get("/admin")
    assert public.status_code == 303 and public.headers["Location"] == "/login?next=%2Fadmin"
    imo = server.test_client()
    login(imo, "imo")
    assert imo.get("/admin").status_code == 403
    assert (
        imo.post(
            "/admin/role", data={"csrf_token": token(imo), "username": "imo", "role": "admin"}
        ).status_code
        == 403
    )
    assert accounts.users.get("imo").role is Role.imo
    admin = server.test_client()
    login(admin, "boss")
    page = admin.get("/admin?lang=en")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "information manager" in text and "Last login" in text
    assert "user_created" in text and "login" in text


def test_role_change_is_audited_and_ends_the_users_session(database):
    server, accounts = make_app(database)
    accounts.users.add("boss", PASSWORD, Role.admin, actor="test")
    accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    member, admin = server.test_client(), server.test_client()
    login(member, "awa")
    login(admin, "boss")
    assert role_of(member) == "member"
    response = admin.post(
        "/admin/role",
        data={"csrf_token": token(admin, "/admin"), "username": "awa", "role": "imo"},
        environ_base={"REMOTE_ADDR": "10.0.0.5"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/admin"
    assert accounts.users.get("awa").role is Role.imo
    assert role_of(member) == "public"  # logged out: must log in again to get the new role
    login(member, "awa")
    assert role_of(member) == "imo"
    (event,) = audit_rows(database, "role_changed")
    assert (event.username, event.remote_addr) == ("boss", "10.0.0.5")
    assert event.detail == {"user": "awa", "from": "member", "to": "imo"}


def test_last_administrator_cannot_be_demoted(sqlite_db):
    server, accounts = make_app(sqlite_db)
    accounts.users.add("boss", PASSWORD, Role.admin, actor="test")
    admin = server.test_client()
    login(admin, "boss")
    response = admin.post(
        "/admin/role",
        data={"csrf_token": token(admin, "/admin"), "username": "boss", "role": "member"},
    )
    assert response.status_code == 400 and "last active administrator" in response.get_data(
        as_text=True
    )
    assert accounts.users.get("boss").role is Role.admin
    with pytest.raises(AccountError):
        accounts.users.set_active("boss", False, actor="test")


# --- secrets -----------------------------------------------------------------------------------


def test_secrets_are_the_same_for_every_install_on_one_database(database, monkeypatch):
    first, first_accounts = make_app(database)
    second, second_accounts = make_app(database)
    assert first.secret_key and first.secret_key == second.secret_key
    key = first_accounts.publishing_key()
    assert len(key) == 32 and key == second_accounts.publishing_key()
    assert count_rows(database, Setting) == 2
    # A session issued by one worker is valid on another.
    first_accounts.users.add("awa", PASSWORD, Role.member, actor="test")
    cookie = set_cookie(login(first.test_client(), "awa")).split(";")[0].split("=", 1)[1]
    other = second.test_client()
    other.set_cookie("session", cookie)
    assert role_of(other) == "member"
    # The environment wins when set.
    monkeypatch.setenv("MALI_DASHBOARD_SECRET", "s" * 40)
    monkeypatch.setenv("MALI_DASHBOARD_PUBLISHING_KEY", "k" * 40)
    configured, configured_accounts = make_app(database)
    assert configured.secret_key == "s" * 40
    assert configured_accounts.publishing_key() == b"k" * 40


def test_workers_starting_together_on_postgresql_agree_on_one_secret(postgres_server):
    url = postgres_server.create_database()
    databases = [Database(url) for _ in range(4)]
    barrier = threading.Barrier(len(databases))
    keys: list[bytes] = []
    errors: list[BaseException] = []

    def start(db: Database) -> None:
        try:
            barrier.wait()
            server, accounts = make_app(db)
            keys.append(accounts.publishing_key() + server.secret_key.encode())
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=start, args=(db,)) for db in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and len(keys) == 4 and len(set(keys)) == 1
    for db in databases:
        db.dispose()


def test_postgresql_restart_loses_no_account(postgres_server):
    db = Database(postgres_server.create_database())
    store = UserStore(db)
    store.add("awa", PASSWORD, Role.member, actor="test")
    assert store.authenticate("awa", PASSWORD).ok  # a pooled connection now exists
    postgres_server.restart()
    assert store.authenticate("awa", PASSWORD).ok  # pool_pre_ping replaces the dead connection
    assert [u.username for u in store.list()] == ["awa"]
    db.dispose()


# --- command line ------------------------------------------------------------------------------


def run_cli(db: Database, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str]:
    try:
        code = cli.run(list(argv), database=db, stdin=io.StringIO(stdin))
    except (cli.UsageError, AccountError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        code = 2
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_adds_users_changes_roles_and_lists_them(sqlite_db, capsys):
    code, out, _ = run_cli(
        sqlite_db,
        capsys,
        "users",
        "add",
        "Awa",
        "--role",
        "member",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0 and out.strip() == "created awa (member)"
    assert UserStore(sqlite_db).authenticate("awa", PASSWORD).ok
    assert run_cli(sqlite_db, capsys, "users", "set-role", "awa", "imo")[0] == 0
    assert run_cli(sqlite_db, capsys, "users", "disable", "awa")[0] == 0
    code, out, _ = run_cli(sqlite_db, capsys, "users", "list")
    assert code == 0 and out.startswith("awa\timo\tdisabled\tlast login ")
    assert not UserStore(sqlite_db).authenticate("awa", PASSWORD).ok
    assert run_cli(sqlite_db, capsys, "users", "enable", "awa")[0] == 0
    assert UserStore(sqlite_db).authenticate("awa", PASSWORD).ok
    assert [(e.action, e.username) for e in audit_rows(sqlite_db)] == [
        ("user_created", "cli"),
        ("login", "awa"),
        ("role_changed", "cli"),
        ("user_disabled", "cli"),
        ("login_failed", "awa"),
        ("user_enabled", "cli"),
        ("login", "awa"),
    ]
    code, out, _ = run_cli(sqlite_db, capsys, "audit", "--limit", "2")
    assert code == 0 and len(out.splitlines()) == 2 and "user_enabled\tcli" in out


def test_cli_prompts_twice_for_the_password(sqlite_db, capsys):
    answers = iter([PASSWORD, PASSWORD + "x"])
    with pytest.raises(cli.UsageError, match="differ"):
        cli.run(["users", "add", "awa"], database=sqlite_db, prompt=lambda _: next(answers))
    answers = iter([PASSWORD, PASSWORD])
    assert cli.run(["users", "add", "awa"], database=sqlite_db, prompt=lambda _: next(answers)) == 0
    assert UserStore(sqlite_db).get("awa").role is Role.member


BAD_INPUT = [
    (
        ["users", "add", "moussa", "--role", "boss", "--password-stdin"],
        PASSWORD,
        "unknown role 'boss'",
    ),
    (["users", "add", "awa", "--password-stdin"], PASSWORD, "user 'awa' already exists"),
    (["users", "add", "moussa", "--password-stdin"], "short", "password too short"),
    (["users", "set-role", "nobody", "imo"], "", "unknown user 'nobody'"),
    (["users", "set-role", "awa", "root"], "", "unknown role 'root'"),
    (["users", "disable", "nobody"], "", "unknown user 'nobody'"),
    (["users", "add"], "", "required: name"),
    (["audit", "--limit", "0"], "", "--limit must be at least 1"),
]


def test_cli_bad_input_exits_2_with_one_line_and_changes_nothing(tmp_path, monkeypatch, capsys):
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("MALI_DASHBOARD_DB_PATH", str(path))
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main(["users", "add", "awa", "--password-stdin"]) == 0
    capsys.readouterr()
    for argv, stdin, reason in BAD_INPUT:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin + "\n"))
        assert cli.main(argv) == 2, argv
        out, err = capsys.readouterr()
        assert out == "" and len(err.strip().splitlines()) == 1 and reason in err, (argv, err)
    database = Database(f"sqlite:///{path}")
    assert [u.username for u in UserStore(database).list()] == ["awa"]
    assert [e.action for e in audit_rows(database)] == ["user_created"]


def test_python_dash_m_accounts_exit_codes(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "MALI_DASHBOARD_DB_PATH": str(tmp_path / "x.sqlite3")}

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "accounts", *argv]
        return subprocess.run(
            command, capture_output=True, text=True, cwd=REPO, env=env, timeout=60
        )

    listed = run("users", "list")
    assert listed.returncode == 0 and listed.stdout == "" and (tmp_path / "x.sqlite3").exists()
    refused = run("users", "set-role", "awa", "boss")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "error: argument role: unknown role 'boss' (one of: public, member, imo, admin)"
    ]
