"""The PostgreSQL store: versions, drafts and active pointers in the accounts database.

Rows are kept as parquet bytes; the record and report as JSON. A stream's changes are
serialised with ``pg_advisory_xact_lock`` held by one transaction for the whole change, so
two workers, replicas or command-line imports never interleave.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
from sqlalchemy import select, text, update

from accounts.db import Database
from accounts.models import utcnow
from data.schemas import SCHEMAS, conform
from data.stores.base import DISCARDED, UnknownVersion, VersionRecord, check_stream
from data.stores.models import ActiveVersionRow, StreamVersionRow, create_tables


def _lock_key(stream: str) -> int:
    """A stable signed 63-bit advisory-lock key per stream."""
    return zlib.crc32(f"mali-dashboard-stream:{stream}".encode()) | (0x4D41 << 32)


# Everything but the rows: listing versions never reads their parquet bytes.
_RECORD_COLUMNS = [c for c in StreamVersionRow.__table__.c if c.name != "table"]


def _record(row) -> VersionRecord:
    return VersionRecord(
        id=row.id,
        stream=row.stream,
        status=row.status,
        created_by=row.created_by,
        created_at=row.created_at,
        published_at=row.published_at,
        file_name=row.file_name,
        rows=row.rows,
        report=row.report or {},
        comparison=row.comparison or {},
        unresolved=row.unresolved or [],
    )


class SqlStore:
    """Stream versions in PostgreSQL (see the module docstring)."""

    def __init__(self, database: Database) -> None:
        if not database.is_postgresql:
            raise ValueError("the SQL stream store needs PostgreSQL; use the file store")
        self.database = database
        create_tables(database)

    @contextmanager
    def lock(self, stream: str) -> Iterator[None]:
        check_stream(stream)
        with self.database.engine.connect() as connection, connection.begin():
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(stream)})
            yield

    def add_draft(self, record: VersionRecord, frame: pd.DataFrame) -> None:
        buffer = io.BytesIO()
        conform(frame, SCHEMAS[record.stream]).to_parquet(buffer, index=False)
        with self.database.session() as session:
            session.add(
                StreamVersionRow(
                    id=record.id,
                    stream=check_stream(record.stream),
                    status=record.status,
                    created_by=record.created_by,
                    created_at=record.created_at,
                    published_at=record.published_at,
                    file_name=record.file_name,
                    rows=record.rows,
                    report=record.report,
                    comparison=record.comparison,
                    unresolved=record.unresolved,
                    table=buffer.getvalue(),
                )
            )

    def record(self, version_id: str, stream: str | None = None) -> VersionRecord:
        with self.database.session() as session:
            row = session.execute(
                select(*_RECORD_COLUMNS).where(StreamVersionRow.id == str(version_id)[:64])
            ).first()
        if row is None or (stream and row.stream != stream):
            where = f" in {stream}" if stream else ""
            raise UnknownVersion(f"no version {version_id!r}{where}")
        return _record(row)

    def records(self, stream: str) -> list[VersionRecord]:
        with self.database.session() as session:
            rows = session.execute(
                select(*_RECORD_COLUMNS)
                .where(StreamVersionRow.stream == check_stream(stream))
                .order_by(StreamVersionRow.created_at.desc(), StreamVersionRow.id.desc())
            )
            return [_record(row) for row in rows]

    def frame(self, record: VersionRecord) -> pd.DataFrame:
        with self.database.session() as session:
            data = session.scalar(
                select(StreamVersionRow.table).where(StreamVersionRow.id == record.id)
            )
        if data is None:
            raise UnknownVersion(f"{record.stream}: the rows of {record.id} are not stored")
        return conform(pd.read_parquet(io.BytesIO(data)), SCHEMAS[record.stream])

    def update(self, record: VersionRecord) -> None:
        values = {
            "status": record.status,
            "published_at": record.published_at,
            "comparison": record.comparison,
        }
        if record.status == DISCARDED:
            values["table"] = None
        with self.database.session() as session:
            session.execute(
                update(StreamVersionRow).where(StreamVersionRow.id == record.id).values(**values)
            )

    def active_id(self, stream: str) -> str | None:
        with self.database.session() as session:
            return session.scalar(
                select(ActiveVersionRow.version_id).where(
                    ActiveVersionRow.stream == check_stream(stream)
                )
            )

    def activate(self, stream: str, version_id: str) -> None:
        with self.database.session() as session:
            stored = session.scalar(
                select(StreamVersionRow.id).where(
                    StreamVersionRow.id == version_id,
                    StreamVersionRow.stream == stream,
                    StreamVersionRow.table.is_not(None),
                )
            )
            if stored is None:
                raise UnknownVersion(f"{stream}: no stored version {version_id!r}")
            pointer = session.get(ActiveVersionRow, stream)
            if pointer is None:
                session.add(ActiveVersionRow(stream=stream, version_id=version_id, serial=1))
            else:
                pointer.version_id = version_id
                pointer.serial += 1
                pointer.changed_at = utcnow()

    def generation(self) -> str:
        with self.database.session() as session:
            rows = session.execute(
                select(
                    ActiveVersionRow.stream, ActiveVersionRow.version_id, ActiveVersionRow.serial
                ).order_by(ActiveVersionRow.stream)
            ).all()
        parts = "|".join(f"{s}:{v}:{n}" for s, v, n in rows)
        return hashlib.sha1(parts.encode()).hexdigest()[:16]
