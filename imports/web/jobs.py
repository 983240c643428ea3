"""Background reading of an upload: a job per file, its state kept in a small JSON file.

Reading and resolving a large file takes longer than a request should, so it runs in a thread
of the worker that received the upload; the browser polls the job's state. The state is a file
in a folder shared by the workers (and replicas on one volume), so a poll answered by another
gunicorn worker sees the same job. A job belongs to the user who started it and expires.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

_log = logging.getLogger(__name__)

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
JOB_TTL_SECONDS = 6 * 3600  # a job (and its status) is forgotten after this
STALE_SECONDS = 30 * 60  # a running job not heard of for this long was interrupted
RUNNING = "running"
DONE = "done"
FAILED = "failed"

Progress = Callable[[str, float], None]


class JobFailed(Exception):
    """A job's work failed for a reason the user can act on; ``key`` names the text shown
    (see :mod:`imports.web.i18n`), ``detail`` is appended as given (e.g. the reader's message)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}" if detail else key)
        self.key = key
        self.detail = detail


@dataclass
class JobState:
    """What the browser is told about one job."""

    id: str
    user: str
    state: str  # running | done | failed
    stage: str  # e.g. "queued", "reading", "resolving" (the publisher's names)
    fraction: float
    started: float
    updated: float
    result: str = ""  # the draft id, when done
    error_key: str = ""
    error_detail: str = ""
    host: str = ""  # where the job runs: a poll on the same host sees a stopped worker at once
    pid: int = 0


def _gone(state: JobState) -> bool:
    """Whether the process running ``state`` was on this host and has stopped."""
    if state.host != socket.gethostname() or state.pid <= 0:
        return False
    try:
        os.kill(state.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Jobs:
    """Starts jobs in threads (at most ``parallel`` at once per process) and reports them."""

    def __init__(self, folder: Path, parallel: int = 2) -> None:
        self.folder = Path(folder)
        self._slots = threading.BoundedSemaphore(parallel)

    def _path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def _write(self, state: JobState) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".job.", suffix=".tmp", dir=self.folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(state), handle)
        os.replace(tmp, self._path(state.id))

    def _read(self, job_id: str) -> JobState | None:
        if not JOB_ID.match(job_id or ""):
            return None
        try:
            raw = json.loads(self._path(job_id).read_text(encoding="utf-8"))
            return JobState(**raw)
        except (OSError, ValueError, TypeError):
            return None

    def start(self, user: str, work: Callable[[Progress], str]) -> str:
        """Run ``work(progress)`` in a thread for ``user``; its return value (a draft id) is
        the job's result. Returns the job id."""
        self.sweep()
        now = time.time()
        state = JobState(
            secrets.token_urlsafe(16),
            user,
            RUNNING,
            "queued",
            0.0,
            now,
            now,
            host=socket.gethostname(),
            pid=os.getpid(),
        )
        self._write(state)
        thread = threading.Thread(
            target=self._run, args=(state, work), name=f"import-{state.id}", daemon=True
        )
        thread.start()
        return state.id

    def _run(self, state: JobState, work: Callable[[Progress], str]) -> None:
        last = 0.0

        def progress(stage: str, fraction: float) -> None:
            nonlocal last
            state.stage = str(stage)[:40]
            state.fraction = min(max(float(fraction), 0.0), 1.0)
            state.updated = time.time()
            if state.updated - last > 0.2 or state.fraction >= 1.0:  # bounded writes
                last = state.updated
                self._write(state)

        with self._slots:
            try:
                state.result = work(progress)
                state.state, state.stage, state.fraction = DONE, "done", 1.0
            except JobFailed as failure:
                state.state, state.error_key, state.error_detail = (
                    FAILED,
                    failure.key,
                    failure.detail[:2000],
                )
            except Exception:
                _log.exception("import job %s failed", state.id)
                state.state, state.error_key = FAILED, "job_crashed"
            state.updated = time.time()
            self._write(state)

    def status(self, job_id: str, user: str) -> JobState | None:
        """The job, if it exists, is ``user``'s and has not expired; a running job not heard of
        for a long time (its worker was stopped) is reported as failed."""
        state = self._read(job_id)
        now = time.time()
        if state is None or state.user != user or now - state.started > JOB_TTL_SECONDS:
            return None
        if state.state == RUNNING and (now - state.updated > STALE_SECONDS or _gone(state)):
            state.state, state.error_key = FAILED, "job_interrupted"
        return state

    def sweep(self) -> None:
        """Delete the state files of expired jobs."""
        if not self.folder.is_dir():
            return
        limit = time.time() - JOB_TTL_SECONDS
        for path in self.folder.glob("*.json"):
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                continue
