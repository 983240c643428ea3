"""``install(server)``: accounts on a Flask server (the Dash app's), and the handle it returns."""

from __future__ import annotations

from typing import Any

from flask import Flask, has_request_context, request
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFProtect, generate_csrf

from accounts import audit as audit_log
from accounts import settings
from accounts.db import Database, database_from_env
from accounts.passwords import Passwords
from accounts.users import UserStore
from accounts.web import cookies, identity, ratelimit
from accounts.web.views import make_blueprint


class Accounts:
    """What ``install()`` set up on one server: the database, users, limiter, CSRF protection."""

    def __init__(
        self,
        server: Flask,
        database: Database,
        users: UserStore,
        limiter: Limiter,
        csrf: CSRFProtect,
    ) -> None:
        self.server = server
        self.database = database
        self.users = users
        self.limiter = limiter
        self.csrf = csrf
        self._publishing_key: bytes | None = None

    def audit(
        self, action: str, detail: dict[str, Any] | str = "", *, username: str | None = None
    ) -> None:
        """Record ``action`` as done by the current user from the current address (e.g. an
        export); outside a request both are empty. ``username`` overrides the current user."""
        who = identity.current_username() if username is None else username
        address = (request.remote_addr or "") if has_request_context() else ""
        audit_log.write(
            self.database, action, username=who or "", detail=detail, remote_addr=address
        )

    def publishing_key(self) -> bytes:
        """The secret of the data-protection gate's keyed rounding: the same in every worker,
        replica and restart (``MALI_DASHBOARD_PUBLISHING_KEY``, else persisted once)."""
        if self._publishing_key is None:
            self._publishing_key = settings.publishing_key(self.database)
        return self._publishing_key

    @staticmethod
    def csrf_token() -> str:
        """A CSRF token for a form the dashboard renders itself (e.g. a logout button)."""
        return generate_csrf()


def install(server: Flask, database: Database | None = None) -> Accounts:
    """Add login, logout, the admin page, secure session cookies, CSRF protection of those forms
    and login rate limits to ``server``; ``database`` defaults to :func:`database_from_env`.

    Replaces ``server.secret_key`` (see :func:`accounts.settings.session_secret`) and the session
    interface. Optional ``server.config`` keys, read here: ``ACCOUNTS_LOGIN_LIMIT_PER_ADDRESS`` and
    ``ACCOUNTS_LOGIN_LIMIT_PER_USERNAME`` (Flask-Limiter strings), ``ACCOUNTS_PASSWORD_HASHER``
    (an ``argon2.PasswordHasher`` with other parameters; existing hashes are upgraded at login).
    """
    if identity.EXTENSION_KEY in server.extensions:
        raise RuntimeError("accounts are already installed on this server")
    database = database or database_from_env()
    server.secret_key = settings.session_secret(database)
    cookies.configure(server)
    server.config["WTF_CSRF_CHECK_DEFAULT"] = False  # only our forms; never Dash's JSON posts
    server.config["WTF_CSRF_TIME_LIMIT"] = int(cookies.SESSION_LIFETIME.total_seconds())
    csrf = CSRFProtect(server)
    limiter = ratelimit.make_limiter(server)
    hasher = server.config.get("ACCOUNTS_PASSWORD_HASHER")
    passwords = Passwords(hasher) if hasher is not None else Passwords()
    accounts = Accounts(server, database, UserStore(database, passwords), limiter, csrf)
    server.extensions[identity.EXTENSION_KEY] = accounts
    server.register_blueprint(make_blueprint(accounts))
    return accounts
