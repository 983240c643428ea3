"""The work of one import job: recognise the stream, then let the publisher read, resolve and
compare the file into a draft."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path

from data.options import build_options
from data.publishing import Publisher, PublishRefused
from data.readers.base import guess_stream
from data.tabular import TabularError, read_table
from imports.web.jobs import JobFailed, Progress
from imports.web.uploads import Upload, Uploads, stream_from_name


def detect_stream(upload: Upload, progress: Progress) -> str:
    """The stream asked for; else the one the file's headers clearly point to (two typical
    headers or more); else the one its name points to (``dtm_…``, ``…_3W…``); else the
    headers' best guess."""
    if upload.stream != "auto":
        return upload.stream
    progress("detecting", 0.0)
    try:
        by_headers, score = guess_stream(read_table(Path(upload.path)))
    except TabularError as error:
        raise JobFailed("job_rejected", str(error)) from None
    if by_headers and score >= 2:
        return by_headers
    stream = stream_from_name(upload.file_name) or by_headers
    if not stream:
        raise JobFailed("stream_unknown")
    return stream


def _prepare(publisher: Publisher, upload: Upload, stream: str, user: str, progress: Progress):
    return publisher.prepare(
        stream,
        Path(upload.path),
        upload.file_name,
        user,
        options=build_options(stream),
        progress=progress,
    )


def read_upload(
    publisher: Publisher,
    uploads: Uploads,
    upload: Upload,
    user: str,
    progress: Progress,
    previous_draft: str | None = None,
) -> str:
    """Read ``upload`` into a new draft (of the stream :func:`detect_stream` finds) and return
    its id; a re-check replaces ``previous_draft`` (discarded once the new one exists)."""
    stream = detect_stream(upload, progress)
    try:
        draft = _prepare(publisher, upload, stream, user, progress)
    except (TabularError, PublishRefused) as error:
        raise JobFailed("job_rejected", str(error)) from None
    uploads.link(str(draft.id), upload)
    if previous_draft is not None:
        # Already published or discarded meanwhile: nothing to tidy.
        with suppress(LookupError, ValueError, PublishRefused):
            publisher.discard(previous_draft, user)
        uploads.forget_link(previous_draft)
    return str(draft.id)
