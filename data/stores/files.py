"""The file store (the embedded default): one folder per stream under ``var/store``.

Layout: ``<root>/<stream>/versions/<id>.parquet`` + ``<id>.json`` (the record and import
report), ``<root>/<stream>/drafts/`` the same for imports not yet published, and
``<root>/<stream>/ACTIVE`` holding the active version id. Every file is written under a
temporary name and renamed into place, so a crash never leaves half a version; a version is
listed only once its parquet exists. ``<root>/<stream>/.lock`` is held (``flock``) while one
stream changes, by threads and processes alike. Nothing is deleted but a discarded draft's rows.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from data.schemas import SCHEMAS, STREAMS, conform
from data.stores.base import (
    DISCARDED,
    DRAFT,
    PUBLISHED,
    UnknownVersion,
    VersionRecord,
    check_stream,
    record_meta,
)

ENV = "MALI_DASHBOARD_STORE"
ACTIVE = "ACTIVE"
VERSIONS = "versions"
DRAFTS = "drafts"
_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_-]{0,80}")


def root() -> Path:
    """The store folder: ``$MALI_DASHBOARD_STORE`` or ``./var/store``."""
    return Path(os.environ.get(ENV) or Path("var") / "store")


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file in the same folder, then rename over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def record_from_meta(meta: dict, default_status: str = PUBLISHED) -> VersionRecord:
    """A record from a stored ``.json`` (those written before drafts existed are published
    versions: their save time is their creation and publication time)."""
    saved = _time(meta.get("saved_at")) or datetime.fromtimestamp(0, UTC)
    status = meta.get("status") or default_status
    report = meta.get("report") or {}
    return VersionRecord(
        id=meta["version"],
        stream=meta["stream"],
        status=status,
        created_by=meta.get("created_by", ""),
        created_at=_time(meta.get("created_at")) or saved,
        published_at=_time(meta.get("published_at")) or (saved if status == PUBLISHED else None),
        file_name=meta.get("file_name") or str(report.get("file", "")),
        rows=int(meta.get("rows", 0)),
        report=report,
        comparison=meta.get("comparison") or {},
        unresolved=meta.get("unresolved") or [],
    )


def _write_json(path: Path, meta: dict) -> None:
    atomic_write(
        path,
        lambda p: p.write_text(
            json.dumps(meta, ensure_ascii=False, indent=1, default=str),
            encoding="utf-8",
            errors="backslashreplace",
        ),
    )


class FileStore:
    """Stream versions as parquet and JSON files (see the module docstring)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder

    @property
    def root(self) -> Path:
        return self._folder or root()

    def _dir(self, stream: str, kind: str = "") -> Path:
        folder = self.root / check_stream(stream)
        return folder / kind if kind else folder

    @staticmethod
    def _checked_id(version_id: str) -> str:
        if not isinstance(version_id, str) or not _ID.fullmatch(version_id):
            raise UnknownVersion(f"no version {version_id!r}")
        return version_id

    @contextmanager
    def lock(self, stream: str) -> Iterator[None]:
        folder = self._dir(stream)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / ".lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- records --------------------------------------------------------------------------

    def add_draft(self, record: VersionRecord, frame: pd.DataFrame) -> None:
        folder = self._dir(record.stream, DRAFTS)
        canonical = conform(frame, SCHEMAS[record.stream])
        files = [folder / f"{record.id}.json", folder / f"{record.id}.parquet"]
        try:
            _write_json(files[0], record_meta(record))
            atomic_write(files[1], lambda p: canonical.to_parquet(p, index=False))
        except BaseException:
            for path in files:
                path.unlink(missing_ok=True)
            raise

    def _find(self, version_id: str, stream: str | None) -> tuple[Path, str]:
        """The ``.json`` of ``version_id`` and whether it is in versions/ or drafts/."""
        self._checked_id(version_id)
        for name in [stream] if stream else STREAMS:
            for kind in (VERSIONS, DRAFTS):
                path = self._dir(name, kind) / f"{version_id}.json"
                if path.exists():
                    return path, kind
        raise UnknownVersion(f"no version {version_id!r}" + (f" in {stream}" if stream else ""))

    def record(self, version_id: str, stream: str | None = None) -> VersionRecord:
        path, kind = self._find(version_id, stream)
        meta = json.loads(path.read_text(encoding="utf-8"))
        return record_from_meta(meta, PUBLISHED if kind == VERSIONS else DRAFT)

    def records(self, stream: str) -> list[VersionRecord]:
        out = []
        for kind, status in ((VERSIONS, PUBLISHED), (DRAFTS, DRAFT)):
            folder = self._dir(stream, kind)
            if not folder.exists():
                continue
            for path in folder.glob("*.json"):
                if path.name.startswith("."):
                    continue
                if kind == VERSIONS and not path.with_suffix(".parquet").exists():
                    continue  # a version whose rows were never completely written
                meta = json.loads(path.read_text(encoding="utf-8"))
                out.append(record_from_meta(meta, status))
        return sorted(out, key=lambda r: (r.created_at, r.id), reverse=True)

    def frame(self, record: VersionRecord) -> pd.DataFrame:
        kind = VERSIONS if record.status == PUBLISHED else DRAFTS
        path = self._dir(record.stream, kind) / f"{self._checked_id(record.id)}.parquet"
        if not path.exists():
            raise UnknownVersion(f"{record.stream}: the rows of {record.id} are not stored")
        return conform(pd.read_parquet(path), SCHEMAS[record.stream])

    def update(self, record: VersionRecord) -> None:
        drafts = self._dir(record.stream, DRAFTS)
        versions = self._dir(record.stream, VERSIONS)
        self._checked_id(record.id)
        if record.status == PUBLISHED and (drafts / f"{record.id}.parquet").exists():
            _write_json(versions / f"{record.id}.json", record_meta(record))
            os.replace(drafts / f"{record.id}.parquet", versions / f"{record.id}.parquet")
            (drafts / f"{record.id}.json").unlink(missing_ok=True)
            return
        if record.status != PUBLISHED and (versions / f"{record.id}.parquet").exists():
            _write_json(drafts / f"{record.id}.json", record_meta(record))  # publishing undone
            os.replace(versions / f"{record.id}.parquet", drafts / f"{record.id}.parquet")
            (versions / f"{record.id}.json").unlink(missing_ok=True)
            return
        folder = versions if record.status == PUBLISHED else drafts
        _write_json(folder / f"{record.id}.json", record_meta(record))
        if record.status == DISCARDED:
            (drafts / f"{record.id}.parquet").unlink(missing_ok=True)

    # -- the active pointer ---------------------------------------------------------------

    def active_id(self, stream: str) -> str | None:
        pointer = self._dir(stream) / ACTIVE
        try:
            return pointer.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def activate(self, stream: str, version_id: str) -> None:
        self._checked_id(version_id)
        if not (self._dir(stream, VERSIONS) / f"{version_id}.parquet").exists():
            raise UnknownVersion(f"{stream}: no stored version {version_id!r}")
        atomic_write(
            self._dir(stream) / ACTIVE,
            lambda p: p.write_text(version_id + "\n", encoding="utf-8"),
        )

    def generation(self) -> str:
        parts = []
        for stream in STREAMS:
            pointer = self.root / stream / ACTIVE
            try:
                stat = pointer.stat()
                parts.append(f"{stream}:{stat.st_ino}:{stat.st_mtime_ns}:{stat.st_size}")
            except FileNotFoundError:
                parts.append(f"{stream}:-")
        return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]
