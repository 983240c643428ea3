"""What every stream store keeps: version records (with their import report) and frames."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

import pandas as pd

from data.schemas import STREAMS

DRAFT = "draft"
PUBLISHED = "published"
DISCARDED = "discarded"
STATUSES = (DRAFT, PUBLISHED, DISCARDED)


@dataclass(frozen=True)
class VersionRecord:
    """One import of one stream: a draft, a published version or a discarded draft."""

    id: str
    stream: str
    status: str
    created_by: str
    created_at: datetime
    published_at: datetime | None
    file_name: str
    rows: int
    report: dict = field(default_factory=dict)
    comparison: dict = field(default_factory=dict)
    unresolved: list = field(default_factory=list)


def record_meta(record: VersionRecord) -> dict:
    """The ``.json`` of a record; ``version``, ``stream``, ``saved_at``, ``rows`` and
    ``report`` as before drafts existed, so older readers still understand it."""
    saved = record.published_at or record.created_at
    return {
        "version": record.id,
        "stream": record.stream,
        "saved_at": saved.isoformat(timespec="seconds"),
        "rows": record.rows,
        "report": record.report,
        "status": record.status,
        "created_by": record.created_by,
        "created_at": record.created_at.isoformat(),
        "published_at": record.published_at.isoformat() if record.published_at else None,
        "file_name": record.file_name,
        "comparison": record.comparison,
        "unresolved": record.unresolved,
    }


class UnknownVersion(LookupError):
    """No stored version or draft with that id (in that stream)."""


def check_stream(stream: str) -> str:
    if stream not in STREAMS:
        raise ValueError(f"unknown stream {stream!r}; expected one of {', '.join(STREAMS)}")
    return stream


def new_version_id(now: datetime | None = None) -> str:
    """Sortable by creation time, unique across processes."""
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:6]


class StreamStore(Protocol):
    """The operations :class:`data.publishing.Publisher` needs from a back end."""

    def lock(self, stream: str) -> AbstractContextManager[None]:
        """Held while one stream's drafts, versions or active pointer change."""

    def add_draft(self, record: VersionRecord, frame: pd.DataFrame) -> None: ...

    def record(self, version_id: str, stream: str | None = None) -> VersionRecord:
        """The record of ``version_id`` (any stream when ``stream`` is None); UnknownVersion."""

    def records(self, stream: str) -> list[VersionRecord]:
        """Every draft and version of ``stream``, newest first."""

    def frame(self, record: VersionRecord) -> pd.DataFrame: ...

    def update(self, record: VersionRecord) -> None:
        """Store a changed status, publication time or comparison (a published draft becomes
        a version; a discarded draft's rows are dropped, its report kept)."""

    def active_id(self, stream: str) -> str | None: ...

    def activate(self, stream: str, version_id: str) -> None: ...

    def generation(self) -> str:
        """Changes whenever any stream's active version changes."""
