"""Who is making the current request, from the signed session cookie and the database only.

The session holds a user id, that user's session version and the login time. Each request
re-reads the user (once, cached in ``flask.g``) so that a disabled user, a changed role or an
expired login takes effect on the very next request, Dash callbacks included.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from flask import current_app, g, has_app_context, has_request_context, session
from sqlalchemy.exc import SQLAlchemyError

from accounts.roles import Role
from accounts.users import UserInfo
from accounts.web.cookies import SESSION_LIFETIME

if TYPE_CHECKING:
    from accounts.web.extension import Accounts

EXTENSION_KEY = "mali_accounts"
SESSION_USER_ID = "uid"
SESSION_VERSION = "sv"
SESSION_LOGIN_AT = "at"
_CACHE = "_mali_accounts_user"
_log = logging.getLogger(__name__)


def extension() -> Accounts | None:
    """The :class:`Accounts` installed on the current app, if any."""
    if not has_app_context():
        return None
    return current_app.extensions.get(EXTENSION_KEY)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _load() -> UserInfo | None:
    accounts = extension()
    user_id = _int(session.get(SESSION_USER_ID))
    version = _int(session.get(SESSION_VERSION))
    login_at = _int(session.get(SESSION_LOGIN_AT))
    if accounts is None or user_id is None or version is None or login_at is None:
        return None
    if time.time() - login_at > SESSION_LIFETIME.total_seconds():
        return None
    try:
        return accounts.users.by_session(user_id, version)
    except (SQLAlchemyError, ValueError):
        # Database unreachable (or a row with a role this code does not know): the public view
        # rather than an error page, and never more than public.
        _log.exception("cannot check the session's user; treating the request as public")
        return None


def current_user() -> UserInfo | None:
    """The logged-in, active user of this request, or None (public, or outside a request)."""
    if not has_request_context():
        return None
    if _CACHE not in g:
        setattr(g, _CACHE, _load())
    user: UserInfo | None = getattr(g, _CACHE)
    return user


def remember(user: UserInfo | None) -> None:
    """Set the current request's user (after a login or logout in this same request)."""
    setattr(g, _CACHE, user)


def current_role() -> Role:
    """The viewer's role; ``Role.public`` when not logged in or outside a request."""
    user = current_user()
    return user.role if user else Role.public


def current_username() -> str | None:
    """The logged-in user's name, or None."""
    user = current_user()
    return user.username if user else None
