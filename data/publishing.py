"""Publishing stream data: a dry-run import (a draft), then publish, discard or roll back.

Nothing is ever replaced silently: a draft with no accepted row is never published, and one
that would lose more than :func:`max_loss_share` of the active rows (or whose file was mostly
rejected) only with ``confirm``. Every change of one stream holds that stream's lock, so two
imports never interleave, and every one is written to the audit log. Names taught with
:meth:`Publisher.learn` are used by every later import (the app's and the command line's).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from accounts import audit
from accounts.db import Database
from data import mappings as learned
from data.comparison import compare, unresolved_places
from data.mappings import MappingError, PlaceMapping
from data.options import ReadOptions
from data.readers import ReadResult, read_stream
from data.stores import StreamStore, VersionRecord, open_store
from data.stores.base import (
    DISCARDED,
    DRAFT,
    PUBLISHED,
    UnknownVersion,
    check_stream,
    new_version_id,
)
from geo.boundaries import BoundarySet

LOSS_ENV = "MALI_DASHBOARD_MAX_LOSS"
DEFAULT_MAX_LOSS = 0.2

__all__ = [
    "Draft",
    "MappingError",
    "PlaceMapping",
    "PublishRefused",
    "Publisher",
    "UnknownVersion",
    "VersionInfo",
    "max_loss_share",
]


def max_loss_share() -> float:
    """``MALI_DASHBOARD_MAX_LOSS`` (a share between 0 and 1), default 0.2."""
    raw = os.environ.get(LOSS_ENV, "").strip()
    try:
        value = float(raw) if raw else DEFAULT_MAX_LOSS
    except ValueError:
        return DEFAULT_MAX_LOSS
    return min(max(value, 0.0), 1.0)


class PublishRefused(Exception):
    """Publishing (or a rollback) was refused; ``str()`` says why in one sentence.

    ``code``: "empty" (no accepted row: never, even confirmed), "loss" (too many active rows
    lost or file rows rejected: only with ``confirm``), "stale" (the draft was already
    published or discarded, or the rollback target is not a published version).
    """

    def __init__(self, code: str, message: str, **detail: object) -> None:
        super().__init__(message)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Draft:
    """A dry-run import, stored but not active."""

    id: str
    stream: str
    file_name: str
    created_by: str
    created_at: datetime
    report: dict
    comparison: dict
    unresolved: list[dict]


@dataclass(frozen=True)
class VersionInfo:
    """A draft, published or discarded import of one stream, as listed on the versions page."""

    id: str
    stream: str
    status: str
    created_by: str
    created_at: datetime
    published_at: datetime | None
    file_name: str
    rows: int
    active: bool
    report: dict


def _draft(record: VersionRecord) -> Draft:
    return Draft(
        id=record.id,
        stream=record.stream,
        file_name=record.file_name,
        created_by=record.created_by,
        created_at=record.created_at,
        report=record.report,
        comparison=record.comparison,
        unresolved=record.unresolved,
    )


def _info(record: VersionRecord, active_id: str | None) -> VersionInfo:
    return VersionInfo(
        id=record.id,
        stream=record.stream,
        status=record.status,
        created_by=record.created_by,
        created_at=record.created_at,
        published_at=record.published_at,
        file_name=record.file_name,
        rows=record.rows,
        active=record.id == active_id,
        report=record.report,
    )


def _refusal(comparison: dict, report: dict, limit: float) -> PublishRefused | None:
    """Why a draft may not become active without ``confirm`` (None: it may)."""
    rows = comparison["rows"]
    if comparison["loss_share"] > limit:
        return PublishRefused(
            "loss",
            f"This file has {rows['draft']} rows where the published version has "
            f"{rows['active']}: {comparison['loss_share']:.0%} of the rows would be lost "
            f"(more than {limit:.0%}). Confirm to publish it anyway.",
            loss_share=comparison["loss_share"],
        )
    if comparison["rejected_share"] > limit:
        return PublishRefused(
            "loss",
            f"{report.get('rows_rejected', 0)} of the {report.get('rows_read', 0)} rows of this "
            f"file were rejected ({comparison['rejected_share']:.0%}, more than {limit:.0%}). "
            "Confirm to publish it anyway.",
            rejected_share=comparison["rejected_share"],
        )
    return None


def _check(stream: str, report: dict, comparison: dict, confirm: bool, file_name: str) -> None:
    if not comparison["rows"]["draft"]:
        raise PublishRefused(
            "empty",
            f"No row of {file_name} was accepted: publishing it would empty the {stream} "
            "data. Nothing was changed.",
        )
    refusal = None if confirm else _refusal(comparison, report, max_loss_share())
    if refusal is not None:
        raise refusal


class Publisher:
    """Drafts, versions, rollback and learned names over one database and stream store."""

    def __init__(self, database: Database, store: StreamStore | None = None) -> None:
        self.database = database
        self.store = store if store is not None else open_store(database)

    # -- imports --------------------------------------------------------------------------

    def read(
        self,
        stream: str,
        path: Path,
        *,
        options: ReadOptions | None = None,
        boundaries: BoundarySet | None = None,
    ) -> ReadResult:
        """Read and resolve ``path`` with the learned names; stores nothing."""
        check_stream(stream)
        options = replace(options or ReadOptions(), learned=learned.learned_names(self.database))
        return read_stream(stream, path, boundaries, options)

    def prepare(
        self,
        stream: str,
        path: Path,
        file_name: str,
        user: str,
        *,
        options: ReadOptions | None = None,
        boundaries: BoundarySet | None = None,
        progress: Callable[[str, float], None] | None = None,
    ) -> Draft:
        """Read and resolve ``path`` (with the learned names) and store it as a draft.

        Raises :class:`data.tabular.TabularError` (and the readers' other errors) for a file
        that cannot be read at all; nothing is stored then. ``progress(stage, share)`` is
        called with ("read", 0.0) before reading and resolving (one step), ("report", 0.8)
        and ("done", 1.0).
        """
        step = progress or (lambda _stage, _share: None)
        step("read", 0.0)
        result = self.read(stream, path, options=options, boundaries=boundaries)
        step("report", 0.8)
        draft = self.store_draft(result, file_name, user)
        step("done", 1.0)
        return draft

    def store_draft(self, result: ReadResult, file_name: str, user: str) -> Draft:
        """Store what was read as a draft, compared with the active version."""
        from data.ingest import build_report

        stream = result.stream
        report = build_report(result)
        report["file"] = file_name
        now = datetime.now(UTC)
        with self.store.lock(stream):
            record = VersionRecord(
                id=new_version_id(now),
                stream=stream,
                status=DRAFT,
                created_by=user,
                created_at=now,
                published_at=None,
                file_name=file_name,
                rows=result.rows_accepted,
                report=report,
                comparison=compare(stream, report, self._active_record(stream)),
                unresolved=unresolved_places(report),
            )
            self.store.add_draft(record, result.frame)
        self._audit(
            user,
            "import.prepare",
            stream=stream,
            draft=record.id,
            file=file_name,
            rows_read=report["rows_read"],
            rows_accepted=report["rows_accepted"],
            rows_rejected=report["rows_rejected"],
            unresolved=len(report["unresolved"]),
        )
        return _draft(record)

    def check(self, stream: str, report: dict, *, confirm: bool = False) -> None:
        """Raise the PublishRefused that publishing ``report`` now would raise (stores
        nothing: the command line refuses a file before keeping a draft of it)."""
        comparison = compare(stream, report, self._active_record(check_stream(stream)))
        _check(stream, report, comparison, confirm, report.get("file", ""))

    def draft(self, draft_id: str) -> Draft:
        """A stored import (draft or not) by id; UnknownVersion when there is none."""
        return _draft(self.store.record(draft_id))

    def publish(self, draft_id: str, user: str, *, confirm: bool = False) -> VersionInfo:
        """Make a draft the active version of its stream, compared again with the version
        active now (another import may have been published since the draft was made)."""
        stream = self.store.record(draft_id).stream
        with self.store.lock(stream):
            record = self.store.record(draft_id, stream)
            if record.status != DRAFT:
                raise PublishRefused(
                    "stale", f"This import was already {record.status}; it cannot be published."
                )
            active = self._active_record(stream)
            comparison = compare(stream, record.report, active)
            _check(stream, record.report, comparison, confirm, record.file_name)
            published = replace(
                record, status=PUBLISHED, published_at=datetime.now(UTC), comparison=comparison
            )
            self.store.update(published)
            try:
                self.store.activate(stream, published.id)
            except BaseException:
                self.store.update(record)  # back to a draft: no version that never was active
                raise
        self._audit(
            user,
            "import.publish",
            stream=stream,
            version=published.id,
            replaced=active.id if active else None,
            file=published.file_name,
            rows=published.rows,
            confirmed=bool(confirm),
            loss_share=round(comparison["loss_share"], 4),
        )
        return _info(published, published.id)

    def discard(self, draft_id: str, user: str) -> None:
        """Drop a draft (its report stays listed, its rows are removed)."""
        stream = self.store.record(draft_id).stream
        with self.store.lock(stream):
            record = self.store.record(draft_id, stream)
            if record.status != DRAFT:
                raise PublishRefused(
                    "stale", f"This import was already {record.status}; it cannot be discarded."
                )
            self.store.update(replace(record, status=DISCARDED))
        self._audit(user, "import.discard", stream=stream, draft=draft_id, file=record.file_name)

    # -- versions -------------------------------------------------------------------------

    def versions(self, stream: str) -> list[VersionInfo]:
        """Every import of ``stream`` (drafts, published, discarded), newest first."""
        active = self.store.active_id(check_stream(stream))
        return [_info(record, active) for record in self.store.records(stream)]

    def rollback(self, stream: str, version_id: str, user: str) -> VersionInfo:
        """Make an earlier published version active again; nothing is deleted."""
        check_stream(stream)
        with self.store.lock(stream):
            record = self.store.record(version_id, stream)
            if record.status != PUBLISHED:
                raise PublishRefused(
                    "stale", f"{version_id} is {record.status}, not a published version."
                )
            if record.rows == 0:
                raise PublishRefused(
                    "empty", f"{version_id} has no row: making it active would empty {stream}."
                )
            before = self.store.active_id(stream)
            self.store.activate(stream, record.id)
        self._audit(user, "import.rollback", stream=stream, version=record.id, replaced=before)
        return _info(record, record.id)

    def active(self, stream: str) -> VersionRecord | None:
        """The record of the active version of ``stream`` (None before any import)."""
        return self._active_record(check_stream(stream))

    def _active_record(self, stream: str) -> VersionRecord | None:
        active_id = self.store.active_id(stream)
        if active_id is None:
            return None
        try:
            return self.store.record(active_id, stream)
        except UnknownVersion:
            return None

    def generation(self) -> str:
        """Changes whenever any stream's active version changes."""
        return self.store.generation()

    def updated_at(self) -> dict[str, datetime]:
        """Per stream with an active version: when that version was published."""
        from data.schemas import STREAMS

        out = {}
        for stream in STREAMS:
            record = self._active_record(stream)
            if record is not None and record.published_at is not None:
                out[stream] = record.published_at
        return out

    # -- learned place names --------------------------------------------------------------

    def learn(
        self,
        name: str,
        pcode: str,
        user: str,
        *,
        level: int | None = None,
        scope: str | None = None,
    ) -> PlaceMapping:
        """Teach the resolver that ``name`` means ``pcode`` (MappingError when it cannot)."""
        mapping, replaced = learned.learn(
            self.database, name, pcode, user, level=level, scope=scope
        )
        self._audit(
            user,
            "mapping.learn",
            id=mapping.id,
            name=mapping.name,
            level=mapping.level,
            pcode=mapping.pcode,
            scope=mapping.scope,
            replaced=replaced,
        )
        return mapping

    def mappings(self) -> list[PlaceMapping]:
        return learned.mappings(self.database)

    def forget(self, mapping_id: int, user: str) -> None:
        """Remove a learned name (LookupError when there is none)."""
        gone = learned.forget(self.database, mapping_id)
        if gone is None:
            raise LookupError(f"no learned place name {mapping_id}")
        self._audit(
            user, "mapping.forget", id=gone.id, name=gone.name, level=gone.level, pcode=gone.pcode
        )

    def _audit(self, user: str, action: str, **detail: object) -> None:
        audit.write(self.database, action, username=user, detail=detail)
