"""User accounts: create, change role, disable, list, and check a login.

Every change is audited in the same transaction; every change of role or status bumps the
user's ``session_version`` so sessions issued before it stop working on their next request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accounts import audit
from accounts.db import Database
from accounts.models import User, utcnow
from accounts.passwords import Passwords, check_policy
from accounts.roles import Role

USERNAME_RE = re.compile(r"[a-z0-9][a-z0-9._@-]{0,63}")


class AccountError(ValueError):
    """A request that cannot be done as asked (the message says why, in one line)."""


def normalise_username(username: str) -> str:
    """The canonical form of a username: trimmed, lower case, 1-64 of ``a-z 0-9 . _ @ -``.

    Lower case so that "Awa" and "awa" cannot be two accounts (or two rate-limit buckets).
    """
    name = username.strip().lower()
    if not USERNAME_RE.fullmatch(name):
        raise AccountError(f"invalid username {username!r}: 1-64 characters among a-z 0-9 . _ @ -")
    return name


@dataclass(frozen=True)
class UserInfo:
    """A user as the rest of the app sees it (no password hash, detached from the database)."""

    id: int
    username: str
    role: Role
    active: bool
    session_version: int
    created_at: datetime
    last_login: datetime | None

    @classmethod
    def of(cls, user: User) -> UserInfo:
        return cls(
            id=user.id,
            username=user.username,
            role=Role(user.role),
            active=user.active,
            session_version=user.session_version,
            created_at=user.created_at,
            last_login=user.last_login,
        )


@dataclass(frozen=True)
class LoginResult:
    """The outcome of a login attempt; ``reason`` is for the audit log, never for the client."""

    user: UserInfo | None
    reason: str  # "ok", "unknown_user", "wrong_password" or "disabled"

    @property
    def ok(self) -> bool:
        return self.user is not None


class UserStore:
    """The user accounts in ``database``."""

    def __init__(self, database: Database, passwords: Passwords | None = None) -> None:
        self.database = database
        self.passwords = passwords or Passwords()

    def add(
        self, username: str, password: str, role: Role, *, actor: str, remote_addr: str = ""
    ) -> UserInfo:
        """Create an active user; :class:`AccountError` if the name is taken or invalid."""
        name = normalise_username(username)
        role = Role(role)
        if role is Role.public:
            raise AccountError("a user cannot have the role 'public' (that is not logging in)")
        check_policy(password)
        password_hash = self.passwords.hash(password)
        try:
            with self.database.session() as session:
                if session.scalar(select(User).where(User.username == name)) is not None:
                    raise AccountError(f"user {name!r} already exists")
                user = User(username=name, password_hash=password_hash, role=role.value)
                session.add(user)
                session.flush()
                audit.record(
                    session,
                    audit.USER_CREATED,
                    username=actor,
                    detail={"user": name, "role": role.value},
                    remote_addr=remote_addr,
                )
                return UserInfo.of(user)
        except IntegrityError:  # created by someone else between the check and the insert
            raise AccountError(f"user {name!r} already exists") from None

    def set_role(self, username: str, role: Role, *, actor: str, remote_addr: str = "") -> UserInfo:
        """Change a user's role (and end their sessions); audited as ``role_changed``."""
        role = Role(role)
        if role is Role.public:
            raise AccountError("a user cannot have the role 'public'; disable the user instead")
        with self.database.session() as session:
            user = self._get(session, username)
            before = Role(user.role)
            if before is not role:
                if before is Role.admin:
                    self._keep_an_admin(session, user)
                user.role = role.value
                user.session_version += 1
                audit.record(
                    session,
                    audit.ROLE_CHANGED,
                    username=actor,
                    detail={"user": user.username, "from": before.value, "to": role.value},
                    remote_addr=remote_addr,
                )
            return UserInfo.of(user)

    def set_active(
        self, username: str, active: bool, *, actor: str, remote_addr: str = ""
    ) -> UserInfo:
        """Disable (ending their sessions) or re-enable a user; audited."""
        with self.database.session() as session:
            user = self._get(session, username)
            if user.active != active:
                if not active and user.role == Role.admin.value:
                    self._keep_an_admin(session, user)
                user.active = active
                user.session_version += 1
                audit.record(
                    session,
                    audit.USER_ENABLED if active else audit.USER_DISABLED,
                    username=actor,
                    detail={"user": user.username},
                    remote_addr=remote_addr,
                )
            return UserInfo.of(user)

    def list(self) -> list[UserInfo]:
        """All users, by name."""
        with self.database.session() as session:
            return [UserInfo.of(u) for u in session.scalars(select(User).order_by(User.username))]

    def get(self, username: str) -> UserInfo | None:
        """The user named ``username``, or None."""
        try:
            name = normalise_username(username)
        except AccountError:
            return None
        with self.database.session() as session:
            user = session.scalar(select(User).where(User.username == name))
            return UserInfo.of(user) if user else None

    def by_session(self, user_id: int, session_version: int) -> UserInfo | None:
        """The user a session belongs to, if still active and the session is still current."""
        with self.database.session() as session:
            user = session.get(User, user_id)
            if user is None or not user.active or user.session_version != session_version:
                return None
            return UserInfo.of(user)

    def authenticate(self, username: str, password: str, *, remote_addr: str = "") -> LoginResult:
        """Check a login and audit it (``login`` or ``login_failed`` with the attempted name).

        Takes as long for an unknown user as for a wrong password (a dummy hash is verified),
        and upgrades the stored hash when the hashing parameters have changed.
        """
        attempted = username.strip().lower()[: audit.MAX_FIELD]
        with self.database.session() as session:
            user = None
            if USERNAME_RE.fullmatch(attempted):
                user = session.scalar(select(User).where(User.username == attempted))
            matches = self.passwords.verify(user.password_hash if user else None, password)
            if user is None or not matches or not user.active:
                reason = (
                    "unknown_user"
                    if user is None
                    else "wrong_password"
                    if not matches
                    else "disabled"
                )
                audit.record(
                    session,
                    audit.LOGIN_FAILED,
                    username=attempted,
                    detail={"reason": reason},
                    remote_addr=remote_addr,
                )
                return LoginResult(None, reason)
            if self.passwords.needs_rehash(user.password_hash):
                user.password_hash = self.passwords.hash(password)
            user.last_login = utcnow()
            audit.record(session, audit.LOGIN, username=user.username, remote_addr=remote_addr)
            return LoginResult(UserInfo.of(user), "ok")

    @staticmethod
    def _get(session: Session, username: str) -> User:
        name = normalise_username(username)
        user = session.scalar(select(User).where(User.username == name))
        if user is None:
            raise AccountError(f"unknown user {name!r}")
        return user

    @staticmethod
    def _keep_an_admin(session: Session, leaving: User) -> None:
        """Refuse to remove the last active administrator (nobody could manage users then)."""
        others = session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == Role.admin.value, User.active.is_(True), User.id != leaving.id)
        )
        if not others:
            raise AccountError(
                f"{leaving.username!r} is the last active administrator: promote another first"
            )
