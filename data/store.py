"""Versioned storage of canonical stream tables in files: the functions older code and tests use.

The layout and its guarantees are :class:`data.stores.files.FileStore`'s (``<root>/<stream>/
versions/<id>.parquet`` + ``<id>.json``, ``ACTIVE``). Imports go through
:class:`data.publishing.Publisher`, which checks a version before making it active; :func:`save`
stores and activates without those checks (tools and test set-ups).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from data.stores.base import (
    PUBLISHED,
    UnknownVersion,
    VersionRecord,
    new_version_id,
    record_meta,
)
from data.stores.files import ACTIVE, ENV, FileStore, root

__all__ = [
    "ACTIVE",
    "ENV",
    "activate",
    "active",
    "active_version",
    "load",
    "report",
    "root",
    "save",
    "versions",
]


def save(stream: str, frame: pd.DataFrame, report: dict | None = None, user: str = "") -> str:
    """Store ``frame`` (conformed to the stream schema) as a new version and make it active."""
    store = FileStore()
    now = datetime.now(UTC)
    report = report or {}
    record = VersionRecord(
        id=new_version_id(now),
        stream=stream,
        status=PUBLISHED,
        created_by=user,
        created_at=now,
        published_at=now,
        file_name=str(report.get("file", "")),
        rows=len(frame),
        report=report,
    )
    with store.lock(stream):
        store.add_draft(record, frame)
        store.update(record)
        store.activate(stream, record.id)
    return record.id


def active_version(stream: str) -> str | None:
    """Id of the active version, or None when nothing was imported yet."""
    return FileStore().active_id(stream)


def load(stream: str, version: str) -> pd.DataFrame:
    """One stored version, conformed again (parquet round trips may widen dtypes)."""
    store = FileStore()
    return store.frame(store.record(version, stream))


def active(stream: str) -> pd.DataFrame | None:
    """The active canonical frame of ``stream``, or None."""
    version = active_version(stream)
    return None if version is None else load(stream, version)


def report(stream: str, version: str | None = None) -> dict | None:
    """The stored record and import report of a version, the active one by default."""
    version = version or active_version(stream)
    if version is None:
        return None
    try:
        return record_meta(FileStore().record(version, stream))
    except UnknownVersion:
        return None


def versions(stream: str) -> list[str]:
    """All complete stored (published) versions, oldest first."""
    return sorted(r.id for r in FileStore().records(stream) if r.status == PUBLISHED)


def activate(stream: str, version: str) -> None:
    """Make an existing stored version active again (rollback), atomically."""
    store = FileStore()
    with store.lock(stream):
        try:
            store.activate(stream, version)
        except UnknownVersion as error:
            raise ValueError(str(error)) from error
