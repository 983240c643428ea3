"""Values written once and then shared: the session secret and the publishing key.

Every gunicorn worker and replica must use the same secrets, and they must survive restarts;
the first process to need one inserts it, the others read what it wrote.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Callable, Mapping

from sqlalchemy.exc import IntegrityError

from accounts.db import Database
from accounts.models import Setting

SESSION_SECRET_KEY = "session_secret"
PUBLISHING_KEY = "publishing_key"


def get_or_create(database: Database, key: str, make: Callable[[], str]) -> str:
    """The stored value of ``key``; if absent, store ``make()`` first (insert-if-absent).

    When two processes race, one insert wins (primary key) and the loser reads the winner's
    value, so both return the same value.
    """
    with database.session() as session:
        row = session.get(Setting, key)
        if row is not None:
            return row.value
    try:
        with database.session() as session:
            session.add(Setting(key=key, value=make()))
    except IntegrityError:
        pass  # another worker inserted it first: use theirs
    with database.session() as session:
        row = session.get(Setting, key)
        if row is None:  # pragma: no cover - only if someone deletes it in between
            raise RuntimeError(f"setting {key!r} vanished while being created")
        return row.value


def _random_text() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def session_secret(database: Database, environ: Mapping[str, str] | None = None) -> str:
    """``MALI_DASHBOARD_SECRET`` when set, else a random secret persisted once in the database."""
    env = os.environ if environ is None else environ
    return env.get("MALI_DASHBOARD_SECRET") or get_or_create(
        database, SESSION_SECRET_KEY, _random_text
    )


def publishing_key(database: Database, environ: Mapping[str, str] | None = None) -> bytes:
    """The key of the data-protection gate's keyed rounding: ``MALI_DASHBOARD_PUBLISHING_KEY``
    when set, else 32 random bytes persisted once (same on every worker, replica and restart)."""
    env = os.environ if environ is None else environ
    configured = env.get("MALI_DASHBOARD_PUBLISHING_KEY")
    if configured:
        return configured.encode("utf-8")
    return base64.urlsafe_b64decode(get_or_create(database, PUBLISHING_KEY, _random_text))
