"""Uploaded files kept on disk while their draft is open, so "re-check this file" can read
the same bytes again after the IMO taught the resolver a place name.

Each upload gets its own folder ``<root>/<id>/`` holding the file under its original name (the
import report shows it) and ``upload.json`` (who, stream asked for, name). A draft is linked to
its upload; publishing or discarding the draft deletes the upload. Uploads older than a day
are swept away.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

UPLOAD_TTL_SECONDS = 24 * 3600
ALLOWED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".json")
CHUNK = 1024 * 1024
SNIFF = 8192
UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{16}$")
DRAFT_LINK = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
# File-name words that say which stream a file holds (checked on the folded name, in order).
NAME_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("population", ("population", "pop_adm", "cod-ps", "codps")),
    ("displacement", ("dtm", "displacement", "deplace", "idp", "pdi")),
    ("services", ("3w", "4w", "5w", "services", "partenaires", "partners")),
    ("access", ("access", "acces", "contrainte")),
    ("incidents", ("incident", "acled", "monitoring", "protection", "violation")),
)


class UploadError(Exception):
    """An upload refused before any reading: ``key`` names the text shown to the user."""

    def __init__(self, key: str, **values: str | int) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class Upload:
    """One stored upload."""

    id: str
    user: str
    stream: str  # as asked for: a stream name or "auto"
    file_name: str
    created: float
    path: str


def clean_file_name(name: str) -> str:
    """The base name of ``name`` without folders, control characters or a leading dot, at most
    120 characters (accents kept: the report shows the name the IMO knows)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in unicodedata.normalize("NFC", base) if c.isprintable())
    base = base.strip().lstrip(".").strip()
    if len(base) > 120:
        stem, dot, suffix = base.rpartition(".")
        base = (stem[: 119 - len(suffix)] + dot + suffix) if dot else base[:120]
    return base


def stream_from_name(file_name: str) -> str | None:
    """The stream a file name points to ("dtm_round72.xlsx" -> displacement), or None."""
    folded = unicodedata.normalize("NFKD", file_name.lower())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    for stream, words in NAME_HINTS:
        if any(word in folded for word in words):
            return stream
    return None


def _check_content(head: bytes, suffix: str) -> None:
    """Refuse a file whose first bytes contradict its type (a renamed picture, a workbook
    called .csv, an old .xls)."""
    if not head:
        raise UploadError("upload_empty")
    is_zip = head[:4] == b"PK\x03\x04"
    if suffix == ".xlsx" and not is_zip:
        raise UploadError("upload_not_xlsx")
    if suffix != ".xlsx" and (is_zip or b"\x00" in head):
        raise UploadError("upload_binary", suffix=suffix)


class Uploads:
    """The upload folder of one deployment."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def save(
        self, stream: IO[bytes], file_name: str, user: str, asked: str, max_bytes: int
    ) -> Upload:
        """Copy the uploaded bytes to a new upload folder, refusing a wrong type or a file
        over ``max_bytes`` (nothing is left behind when refused)."""
        name = clean_file_name(file_name)
        suffix = Path(name).suffix.lower()
        if not name or suffix not in ALLOWED_SUFFIXES:
            raise UploadError("upload_type", suffix=suffix or "?")
        self.sweep()
        upload_id = secrets.token_urlsafe(12)
        folder = self.root / upload_id
        folder.mkdir(parents=True)
        target = folder / name
        try:
            size = 0
            with target.open("wb") as out:
                head = stream.read(SNIFF)
                _check_content(head, suffix)
                chunk = head
                while chunk:
                    size += len(chunk)
                    if size > max_bytes:
                        raise UploadError("upload_too_big", limit=max_bytes)
                    out.write(chunk)
                    chunk = stream.read(CHUNK)
            upload = Upload(upload_id, user, asked, name, time.time(), str(target))
            (folder / "upload.json").write_text(json.dumps(asdict(upload)), encoding="utf-8")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        return upload

    def get(self, upload_id: str) -> Upload | None:
        if not UPLOAD_ID.match(upload_id or ""):
            return None
        try:
            raw = json.loads((self.root / upload_id / "upload.json").read_text(encoding="utf-8"))
            upload = Upload(**raw)
        except (OSError, ValueError, TypeError):
            return None
        return upload if Path(upload.path).is_file() else None

    def _link(self, draft_id: str) -> Path | None:
        return self.root / "drafts" / draft_id if DRAFT_LINK.match(draft_id) else None

    def link(self, draft_id: str, upload: Upload) -> None:
        """Remember that ``draft_id`` was read from ``upload`` (for a re-check)."""
        link = self._link(draft_id)
        if link is not None:
            link.parent.mkdir(parents=True, exist_ok=True)
            link.write_text(upload.id, encoding="utf-8")

    def for_draft(self, draft_id: str) -> Upload | None:
        """The upload a draft was read from, while it is kept."""
        link = self._link(draft_id)
        try:
            return self.get(link.read_text(encoding="utf-8").strip()) if link else None
        except OSError:
            return None

    def forget(self, draft_id: str) -> None:
        """Delete a draft's upload (after it was published or discarded)."""
        upload = self.for_draft(draft_id)
        if upload is not None:
            shutil.rmtree(self.root / upload.id, ignore_errors=True)
        self.forget_link(draft_id)

    def forget_link(self, draft_id: str) -> None:
        """Forget which upload a draft came from (a re-check made a new draft of it)."""
        link = self._link(draft_id)
        if link is not None:
            link.unlink(missing_ok=True)

    def sweep(self) -> None:
        """Delete uploads (and draft links) older than :data:`UPLOAD_TTL_SECONDS`."""
        if not self.root.is_dir():
            return
        limit = time.time() - UPLOAD_TTL_SECONDS
        for path in list(self.root.iterdir()) + list((self.root / "drafts").glob("*")):
            try:
                if path.name != "drafts" and path.stat().st_mtime < limit:
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            except OSError:
                continue
