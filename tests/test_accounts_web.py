"""Accounts on a real Flask app through its test client: login, logout, sessions, rate limits,
CSRF, redirects, cookies and the admin page, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from accounts.db import Database
from accounts.models import AuditEvent, User
from accounts.roles import Role
from accounts.users import AccountError
from accounts.web import current_role, current_username
from accounts.web.redirects import safe_next
from tests import accounts_support as support
from tests.accounts_support import (
    PASSWORD,
    audit_rows,
    count_rows,
    login,
    make_app,
    role_of,
    set_cookie,
    token,
)

# Fixtures: a clean environment for each test, the databases (postgres_server: conftest).
clean_env = support.clean_env
sqlite_db = support.sqlite_db
database = support.database
redis_url = support.redis_url


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

    # Requests refused before any password check (no CSRF token) do not count either.
    for n in range(4):
        response = client.post(
            "/login",
            data={"username": "awa", "password": "wrong password!"},
            environ_base={"REMOTE_ADDR": f"10.4.0.{n}"},
        )
        assert response.status_code == 400
    for n in range(3):
        assert attempt(f"10.1.0.{n}", "wrong password!").status_code == 200
    assert attempt("10.2.0.1", PASSWORD).status_code == 429  # even with the right password
    assert audit_rows(sqlite_db, "login_rate_limited")[0].username == "awa"


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
