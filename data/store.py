"""Versioned storage of canonical stream tables.

Layout: ``<root>/<stream>/versions/<id>.parquet`` + ``<id>.json`` (the import report) and
``<root>/<stream>/ACTIVE`` holding the active version id. A version is written completely
under temporary names first; only then is ``ACTIVE`` replaced with :func:`os.replace`, so a
crash or a failed import never changes what the dashboard reads. Old versions are kept.
"""

from __future__ import annotations

import json
import os
import tempfile
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from data.schemas import SCHEMAS, STREAMS, conform

ENV = "MALI_DASHBOARD_STORE"
ACTIVE = "ACTIVE"


def root() -> Path:
    """The store folder: ``$MALI_DASHBOARD_STORE`` or ``./var/store``."""
    return Path(os.environ.get(ENV) or Path("var") / "store")


def _stream_dir(stream: str) -> Path:
    if stream not in STREAMS:
        raise ValueError(f"unknown stream {stream!r}; expected one of {', '.join(STREAMS)}")
    return root() / stream


def _atomic_write(target: Path, write) -> None:
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


def save(stream: str, frame: pd.DataFrame, report: dict | None = None) -> str:
    """Store ``frame`` (conformed to the stream schema) as a new version and make it active."""
    folder = _stream_dir(stream)
    canonical = conform(frame, SCHEMAS[stream])
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ") + "-" + uuid.uuid4().hex[:6]
    versions = folder / "versions"
    meta = {
        "version": version,
        "stream": stream,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": len(canonical),
        "report": report or {},
    }
    files = [versions / f"{version}.json", versions / f"{version}.parquet"]
    try:  # the report first: a version is listed only once its parquet exists
        _atomic_write(
            files[0],
            lambda p: p.write_text(
                json.dumps(meta, ensure_ascii=False, indent=1, default=str),
                encoding="utf-8",
                errors="backslashreplace",
            ),
        )
        _atomic_write(files[1], lambda p: canonical.to_parquet(p, index=False))
        _atomic_write(folder / ACTIVE, lambda p: p.write_text(version + "\n", encoding="utf-8"))
    except BaseException:
        for path in files:  # no orphan version when any step fails
            path.unlink(missing_ok=True)
        raise
    return version


def active_version(stream: str) -> str | None:
    """Id of the active version, or None when nothing was imported yet."""
    pointer = _stream_dir(stream) / ACTIVE
    if not pointer.exists():
        return None
    return pointer.read_text(encoding="utf-8").strip() or None


def load(stream: str, version: str) -> pd.DataFrame:
    """One stored version, conformed again (parquet round trips may widen dtypes)."""
    path = _stream_dir(stream) / "versions" / f"{version}.parquet"
    return conform(pd.read_parquet(path), SCHEMAS[stream])


def active(stream: str) -> pd.DataFrame | None:
    """The active canonical frame of ``stream``, or None."""
    version = active_version(stream)
    return None if version is None else load(stream, version)


def report(stream: str, version: str | None = None) -> dict | None:
    """The stored import report (and metadata) of a version, the active one by default."""
    version = version or active_version(stream)
    if version is None:
        return None
    path = _stream_dir(stream) / "versions" / f"{version}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def versions(stream: str) -> list[str]:
    """All complete stored versions, oldest first."""
    folder = _stream_dir(stream) / "versions"
    if not folder.exists():
        return []
    return sorted(p.stem for p in folder.glob("*.parquet") if not p.name.startswith("."))


def activate(stream: str, version: str) -> None:
    """Make an existing stored version active again (rollback), atomically."""
    if version not in versions(stream):
        raise ValueError(f"{stream}: no stored version {version!r}")
    _atomic_write(
        _stream_dir(stream) / ACTIVE, lambda p: p.write_text(version + "\n", encoding="utf-8")
    )
