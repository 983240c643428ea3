"""Where stream versions live: files under ``var/store`` (the embedded default) or PostgreSQL.

:func:`open_store` picks the back end from the accounts database: PostgreSQL when
``DATABASE_URL`` points at one, the file store otherwise. Both keep every version, the
drafts (imports not yet published) and one active pointer per stream, and serialise changes
to one stream with a lock (:meth:`StreamStore.lock`).
"""

from __future__ import annotations

from accounts.db import Database
from data.stores.base import StreamStore, VersionRecord
from data.stores.files import FileStore


def open_store(database: Database | None = None) -> StreamStore:
    """The SQL store in ``database`` when it is PostgreSQL, else the file store."""
    if database is not None and database.is_postgresql:
        from data.stores.sql import SqlStore

        return SqlStore(database)
    return FileStore()


__all__ = ["FileStore", "StreamStore", "VersionRecord", "open_store"]
