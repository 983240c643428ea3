"""Tables of the publishing data, in the accounts database: learned place names (always) and,
on PostgreSQL, stream versions, drafts and the active pointers."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from accounts.db import Database
from accounts.models import UTCDateTime, utcnow

# Arbitrary constant (not the accounts one): serialises CREATE TABLE across workers.
_SCHEMA_LOCK_ID = 0x4D414C50


class PublishingBase(DeclarativeBase):
    """Declarative base of the publishing tables."""


class PlaceMappingRow(PublishingBase):
    """A place name an information manager taught the resolver."""

    __tablename__ = "data_place_mapping"
    __table_args__ = (UniqueConstraint("name_key", "level", "scope"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    name_key: Mapped[str] = mapped_column(String(200), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    pcode: Mapped[str] = mapped_column(String(16), nullable=False)
    scope: Mapped[str] = mapped_column(String(16), nullable=False, default="")
    created_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


class StreamVersionRow(PublishingBase):
    """One draft or version of a stream: its record, report and canonical rows (parquet)."""

    __tablename__ = "data_stream_version"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    stream: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    created_by: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    file_name: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    rows: Mapped[int] = mapped_column(Integer, nullable=False)
    report: Mapped[Any] = mapped_column(JSON, nullable=False)
    comparison: Mapped[Any] = mapped_column(JSON, nullable=False)
    unresolved: Mapped[Any] = mapped_column(JSON, nullable=False)
    table: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ActiveVersionRow(PublishingBase):
    """Which version of a stream is served; ``serial`` grows with every change."""

    __tablename__ = "data_active_version"

    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    version_id: Mapped[str] = mapped_column(String(64), nullable=False)
    serial: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)


_create_lock = threading.Lock()


def create_tables(database: Database) -> None:
    """Create the publishing tables that do not exist yet (once per database and process)."""
    with _create_lock:
        if getattr(database, "publishing_tables_ready", False):
            return
        database.create_all()  # the accounts tables, and a SQLite file's folder
        for attempt in range(3):
            try:
                with database.engine.begin() as connection:
                    if database.is_postgresql:
                        connection.execute(
                            text("SELECT pg_advisory_xact_lock(:id)"), {"id": _SCHEMA_LOCK_ID}
                        )
                    PublishingBase.metadata.create_all(connection)
                break
            except DatabaseError:
                # Another process (SQLite has no advisory lock) created a table meanwhile.
                if attempt == 2:
                    raise
        database.publishing_tables_ready = True  # type: ignore[attr-defined]
