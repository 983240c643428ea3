"""The audit log: who logged in, failed, was rate-limited, created or changed an account.

Written in the same transaction as the change it records, so neither exists without the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accounts.db import Database
from accounts.models import AuditEvent, utcnow

# The actions this package writes (other features may write their own, e.g. "export").
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
LOGIN_RATE_LIMITED = "login_rate_limited"
USER_CREATED = "user_created"
ROLE_CHANGED = "role_changed"
USER_DISABLED = "user_disabled"
USER_ENABLED = "user_enabled"

MAX_FIELD = 64


@dataclass(frozen=True)
class AuditRecord:
    """One audit event, detached from the database session."""

    id: int
    at: datetime
    username: str
    action: str
    detail: Any
    remote_addr: str


def record(
    session: Session,
    action: str,
    *,
    username: str = "",
    detail: dict[str, Any] | str = "",
    remote_addr: str = "",
) -> None:
    """Add an audit event to ``session`` (committed with the caller's transaction)."""
    session.add(
        AuditEvent(
            at=utcnow(),
            username=(username or "")[:MAX_FIELD],
            action=action[:MAX_FIELD],
            detail=detail,
            remote_addr=(remote_addr or "")[:MAX_FIELD],
        )
    )


def write(
    database: Database,
    action: str,
    *,
    username: str = "",
    detail: dict[str, Any] | str = "",
    remote_addr: str = "",
) -> None:
    """Record one event in its own transaction."""
    with database.session() as session:
        record(session, action, username=username, detail=detail, remote_addr=remote_addr)


def latest(database: Database, limit: int = 50) -> list[AuditRecord]:
    """The ``limit`` most recent events, newest first."""
    with database.session() as session:
        rows = session.scalars(
            select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
        )
        return [
            AuditRecord(
                id=row.id,
                at=row.at,
                username=row.username,
                action=row.action,
                detail=row.detail,
                remote_addr=row.remote_addr,
            )
            for row in rows
        ]
