"""The dashboard under real gunicorn on a loopback port, for the load and fault tools.

Started as the Docker image starts it (``gunicorn --preload app:server``, several workers),
with the caller's environment (``DATABASE_URL``, ``REDIS_URL``, ``MALI_DASHBOARD_STORE``…), and
stopped with SIGTERM (then SIGKILL) on leaving the ``with`` block.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from bench.http import free_port, wait_until_up

REPO = Path(__file__).resolve().parent.parent


class Gunicorn:
    """``with Gunicorn(workers=3) as server: server.url`` — the dashboard served on loopback."""

    def __init__(
        self,
        workers: int = 2,
        threads: int = 4,
        env: Mapping[str, str] | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.workers = workers
        self.threads = threads
        self.env = dict(os.environ if env is None else env)
        self.log_path = log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self._log: BinaryIO | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> None:
        command = [
            sys.executable, "-m", "gunicorn",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--preload",
            "--graceful-timeout", "5",
            "app:server",
        ]  # fmt: skip
        self._log = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115
        output = self._log or subprocess.DEVNULL
        self.process = subprocess.Popen(
            command, cwd=REPO, env=self.env, stdout=output, stderr=output, start_new_session=True
        )
        try:
            wait_until_up("127.0.0.1", self.port, timeout=timeout)
            self._wait_for_workers(deadline=time.monotonic() + timeout)
        except TimeoutError:
            self.stop()
            raise

    def _wait_for_workers(self, deadline: float) -> None:
        """The first worker answers before the others have forked: wait for all of them."""
        while len(self.worker_pids()) < self.workers:
            if time.monotonic() > deadline:
                raise TimeoutError(f"gunicorn started {len(self.worker_pids())} workers")
            time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        """The pids of the master's live worker processes (children of the master)."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
