"""The one place that creates the engine and sessions, for SQLite (default) or PostgreSQL."""

from __future__ import annotations

import logging
import os
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from accounts.models import Base

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO / "var" / "accounts.sqlite3"
# Arbitrary constant: serialises CREATE TABLE when several workers start on one PostgreSQL.
_SCHEMA_LOCK_ID = 0x4D414C49
# A new PostgreSQL connection that fails (server restarting) is tried again, pauses doubling
# from 0.1 s, for up to CONNECT_RETRY_SECONDS: requests wait through a restart instead of
# failing at once, and never longer than ~10 s in all (gunicorn's worker timeout is 30 s).
CONNECT_RETRY_SECONDS = 6.0
CONNECT_TIMEOUT_SECONDS = 3
_log = logging.getLogger(__name__)


def normalise_url(url: str | URL) -> URL:
    """The SQLAlchemy URL for ``url``; ``postgres://`` and ``postgresql://`` (as Heroku-style
    hosts hand out) use the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgres", "postgresql"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL so gunicorn workers can read while one writes; wait instead of failing on a lock."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.close()


def _connect_with_retry(dialect: Any, _record: Any, cargs: tuple, cparams: dict) -> Any:
    """Open a DBAPI connection, waiting with a short bounded backoff while the server refuses
    (restart, failover); the failure is raised once the retry time is spent."""
    deadline = time.monotonic() + CONNECT_RETRY_SECONDS
    pause = 0.1
    while True:
        try:
            return dialect.loaded_dbapi.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as error:
            left = deadline - time.monotonic()
            if left <= 0:
                raise
            if pause == 0.1:  # info: a final failure is reported by the caller
                _log.info("database unreachable (%s): retrying", " ".join(str(error).split())[:200])
            time.sleep(min(pause, left))
            pause *= 2


def _forget_connections_after_fork(engine: Engine) -> None:
    """In a forked child (gunicorn ``--preload`` workers), drop the parent's pooled connections
    without closing them: two processes on one socket corrupt each other's conversation."""
    ref = weakref.ref(engine)

    def after_fork() -> None:
        forked = ref()
        if forked is not None:
            forked.dispose(close=False)

    os.register_at_fork(after_in_child=after_fork)


class Database:
    """An engine and a session factory; the tables are created on first use."""

    def __init__(self, url: str | URL) -> None:
        self.url = normalise_url(url)
        postgresql = self.url.get_backend_name() == "postgresql"
        # pool_pre_ping: a pooled connection that a database restart broke is replaced on
        # checkout, so the app recovers by itself.
        self.engine: Engine = create_engine(
            self.url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS} if postgresql else {},
        )
        if postgresql:
            event.listen(self.engine, "do_connect", _connect_with_retry)
        elif self.url.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        _forget_connections_after_fork(self.engine)
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    @property
    def is_postgresql(self) -> bool:
        return self.url.get_backend_name() == "postgresql"

    def create_all(self) -> None:
        """Create the tables that do not exist yet (and a SQLite file's directory), safely when
        several processes start at once."""
        with self._schema_lock:
            if self._schema_ready:
                return
            if self.url.get_backend_name() == "sqlite" and self.url.database not in (
                None,
                "",
                ":memory:",
            ):
                Path(self.url.database).parent.mkdir(parents=True, exist_ok=True)
            for attempt in range(3):
                try:
                    with self.engine.begin() as connection:
                        if self.is_postgresql:
                            connection.execute(
                                text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID}
                            )
                        Base.metadata.create_all(connection)
                    break
                except DatabaseError:
                    # Another process created a table between our check and our CREATE.
                    if attempt == 2:
                        raise
            self._schema_ready = True

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        self.create_all()
        with self._sessions.begin() as session:
            yield session

    def dispose(self) -> None:
        """Close pooled connections (tests, and forked workers that must not share sockets)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"


def url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """``DATABASE_URL`` when set, else the SQLite file ``MALI_DASHBOARD_DB_PATH`` (default
    ``var/accounts.sqlite3`` in the repository)."""
    env = os.environ if environ is None else environ
    url = env.get("DATABASE_URL", "").strip()
    if url:
        return url
    path = Path(env.get("MALI_DASHBOARD_DB_PATH", "").strip() or DEFAULT_SQLITE_PATH)
    return URL.create("sqlite", database=str(path.resolve())).render_as_string()


def database_from_env(environ: Mapping[str, str] | None = None) -> Database:
    """The deployment's database, as configured by the environment (see :func:`url_from_env`)."""
    return Database(url_from_env(environ))
