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
    """The stream asked for, else the one the file name says, else the one its headers say."""
    if upload.stream != "auto":
        return upload.stream
    by_name = stream_from_name(upload.file_name)
    if by_name:
        return by_name
    progress("detecting", 0.0)
    try:
        stream, score = guess_stream(read_table(Path(upload.path)))
    except TabularError as error:
        raise JobFailed("job_rejected", str(error)) from None
    if not stream or score < 1:
        raise JobFailed("stream_unknown")
    return stream


def read_upload(
    publisher: Publisher,
    uploads: Uploads,
    upload: Upload,
    user: str,
    progress: Progress,
    previous_draft: str | None = None,
) -> str:
    """Read ``upload`` into a new draft and return its id; a re-check replaces
    ``previous_draft`` (discarded once the new one exists)."""
    stream = detect_stream(upload, progress)
    try:
        draft = publisher.prepare(
            stream,
            Path(upload.path),
            upload.file_name,
            user,
            options=build_options(stream),
            progress=progress,
        )
    except (TabularError, PublishRefused) as error:
        raise JobFailed("job_rejected", str(error)) from None
    uploads.link(str(draft.id), upload)
    if previous_draft is not None:
        # Already published or discarded meanwhile: nothing to tidy.
        with suppress(LookupError, ValueError, PublishRefused):
            publisher.discard(previous_draft, user)
        uploads.forget_link(previous_draft)
    return str(draft.id)
