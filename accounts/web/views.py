"""The account routes: ``/login``, ``/logout``, ``/admin`` and ``/admin/role``.

Every form view checks its CSRF token first (a forged POST gets 400 and writes nothing); the
Dash JSON endpoints are not touched (``WTF_CSRF_CHECK_DEFAULT`` is off).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from flask import Blueprint, Response, redirect, request, session
from flask_limiter import RequestLimit
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from accounts import audit
from accounts.roles import Role
from accounts.users import AccountError
from accounts.web import identity, ratelimit
from accounts.web.i18n import language, texts
from accounts.web.pages import message, render
from accounts.web.redirects import safe_next

if TYPE_CHECKING:
    from accounts.web.extension import Accounts

_log = logging.getLogger(__name__)
MAX_PASSWORD_LENGTH = 1024  # argon2 copes, but there is no reason to accept megabytes


def _with_lang(path: str, lang: str) -> str:
    return f"{path}?{urlencode({'lang': lang})}" if lang == "en" else path


def _see_other(location: str) -> BaseResponse:
    response = redirect(location, code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def make_blueprint(accounts: Accounts) -> Blueprint:
    """The routes, bound to one :class:`Accounts` (one per Flask app, so tests stay isolated)."""
    bp = Blueprint("accounts", __name__)
    limiter = accounts.limiter

    def rate_limited(breach: RequestLimit, audit_it: bool) -> Response:
        if audit_it:
            accounts.audit(
                audit.LOGIN_RATE_LIMITED,
                {"attempted": ratelimit.attempted_username(), "limit": str(breach.limit)},
                username=ratelimit.attempted_username(),
            )
        return message(language(), "rate_limited_title", "rate_limited", 429, "warning")

    on_breach = ratelimit.on_breach_handler(limiter, rate_limited)

    def login_page(
        lang: str, *, error: str = "", username: str = "", status: int = 200
    ) -> Response:
        user = identity.current_user()
        return render(
            "login.html",
            lang,
            "login_title",
            status=status,
            error=error,
            username=username,
            username_now=user.username if user else "",
            next=safe_next(request.values.get("next")),
            csrf_token=generate_csrf(),
        )

    @bp.get("/login")
    def login_form() -> BaseResponse:
        return login_page(language())

    @bp.post("/login")
    @limiter.limit(ratelimit.per_address_limit, methods=["POST"], on_breach=on_breach)
    @limiter.limit(
        ratelimit.per_username_limit,
        key_func=ratelimit.attempted_username,
        methods=["POST"],
        deduct_when=ratelimit.login_failed,
        on_breach=on_breach,
    )
    def login() -> BaseResponse:
        accounts.csrf.protect()
        lang = language()
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if not username.strip() or not password:
            return login_page(lang, error=texts(lang)["login_missing"], username=username)
        if len(password) > MAX_PASSWORD_LENGTH:
            password = ""  # checked anyway (same timing), can never match
        result = accounts.users.authenticate(
            username, password, remote_addr=request.remote_addr or ""
        )
        if result.user is None:
            ratelimit.mark_failed_check()
            return login_page(lang, error=texts(lang)["login_failed"], username=username)
        # A new session: nothing from before the login survives (no fixation, no stale token).
        session.clear()
        session[identity.SESSION_USER_ID] = result.user.id
        session[identity.SESSION_VERSION] = result.user.session_version
        session[identity.SESSION_LOGIN_AT] = int(time.time())
        session.permanent = True
        identity.remember(result.user)
        return _see_other(request.script_root + safe_next(request.form.get("next")))

    @bp.post("/logout")
    def logout() -> BaseResponse:
        accounts.csrf.protect()
        user = identity.current_user()
        if user is not None:
            accounts.audit(audit.LOGOUT)
        session.clear()
        identity.remember(None)
        return _see_other(request.script_root + safe_next(request.form.get("next")))

    def admin_or_response(lang: str) -> BaseResponse | None:
        """None for an administrator; a redirect to the login page or a 403 page otherwise."""
        user = identity.current_user()
        if user is None:
            query = {"next": "/admin", **({"lang": lang} if lang == "en" else {})}
            return _see_other(f"{request.script_root}/login?{urlencode(query)}")
        if not user.role.at_least(Role.admin):
            return message(lang, "forbidden_title", "forbidden", 403)
        return None

    @bp.get("/admin")
    def admin() -> BaseResponse:
        lang = language()
        refused = admin_or_response(lang)
        if refused is not None:
            return refused
        return render(
            "admin.html",
            lang,
            "admin_title",
            width="72rem",
            users=accounts.users.list(),
            roles=[role for role in Role if role is not Role.public],
            events=audit.latest(accounts.database, 100),
            username_now=identity.current_username(),
            csrf_token=generate_csrf(),
        )

    @bp.post("/admin/role")
    def change_role() -> BaseResponse:
        accounts.csrf.protect()
        lang = language()
        refused = admin_or_response(lang)
        if refused is not None:
            return refused
        try:
            role = Role.parse(request.form.get("role", ""))
            accounts.users.set_role(
                request.form.get("username", ""),
                role,
                actor=identity.current_username() or "",
                remote_addr=request.remote_addr or "",
            )
        except (AccountError, ValueError) as error:
            return render(
                "message.html", lang, "error_title", status=400, message=str(error), level="danger"
            )
        return _see_other(request.script_root + _with_lang("/admin", lang))

    @bp.errorhandler(SQLAlchemyError)
    def database_down(error: SQLAlchemyError) -> BaseResponse:
        # The accounts database is unreachable: say so in the user's language, no stack trace.
        _log.error("accounts database error on %s: %s", request.path, error)
        return message(language(), "unavailable_title", "unavailable", 503, "warning")

    @bp.errorhandler(CSRFError)
    def csrf_failed(_error: CSRFError) -> BaseResponse:
        return message(language(), "bad_request_title", "csrf", 400)

    return bp
