"""Accounts: roles, storage (SQLite and a real PostgreSQL server), passwords, shared secrets and
the command line. Nothing we ship is mocked."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading

import pytest
from argon2 import PasswordHasher
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from accounts import cli
from accounts.db import Database, database_from_env, normalise_url
from accounts.models import Setting, User
from accounts.passwords import Passwords
from accounts.roles import Role
from accounts.users import AccountError, UserStore
from tests import accounts_support as support
from tests.accounts_support import (
    FAST_ARGON2,
    PASSWORD,
    audit_rows,
    count_rows,
    login,
    make_app,
    role_of,
    set_cookie,
)
from tests.conftest import REPO

# Fixtures: a clean environment for each test, the databases (postgres_server: conftest).
clean_env = support.clean_env
sqlite_db = support.sqlite_db
database = support.database


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
    """argon2's hasher (light parameters: the check is about how many, not how long), counting
    the hashes it checks and with which parameters."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8 * 1024, parallelism=1)
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

    env["DATABASE_URL"] = f"postgresql://postgres@/accounts?host={tmp_path}"  # nothing there
    down = run("users", "list")
    assert down.returncode == 1 and len(down.stderr.strip().splitlines()) == 1
    assert down.stderr.startswith("error: database unavailable: ")
    del env["DATABASE_URL"]
    listed = run("users", "list")
    assert listed.returncode == 0 and listed.stdout == "" and (tmp_path / "x.sqlite3").exists()
    refused = run("users", "set-role", "awa", "boss")
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.strip().splitlines() == [
        "error: argument role: unknown role 'boss' (one of: public, member, imo, admin)"
    ]
